"""`bench/ads_zh.py` run small: cross-validation on one file, or --train FILE --test FILE.

The script is not a package module, so it is loaded from its path. The data is made here, in
ads-zh's format: two questions, answers made of a random subset of a reference's parts and
scored by the points of the parts they contain, so a calibrated rubric has something to find.
"""

from __future__ import annotations

import importlib.util
import json
import random
import re
import statistics
import sys
from collections import Counter
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import yaml

import coach
from tests.support import ROOT

BENCH = ROOT / "bench" / "ads_zh.py"

# q_id: (question, [(part of the reference, its points)])
QUESTIONS: dict[str, tuple[str, list[tuple[str, int]]]] = {
    "003": (
        "若频繁地对一个线性表进行插入和删除操作，该线性表宜采用何种存储结构，为什么？",
        [
            ("宜采用链式存储结构。", 4),
            ("链表插入和删除时只需修改指针。", 3),
            ("顺序表插入删除需要移动大量元素，效率低。", 3),
        ],
    ),
    "007": (
        "简述栈和队列的区别。",
        [
            ("栈是后进先出的线性表。", 4),
            ("队列是先进先出的线性表。", 4),
            ("栈只在一端进行插入和删除，队列在两端操作。", 2),
        ],
    ),
}


def rows_of(seed: int, per_question: int) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    rows = []
    for q_id, (question, parts) in QUESTIONS.items():
        references = {f"reference{n}": "".join(p for p, _ in parts) for n in (1, 2)}
        for _ in range(per_question):
            chosen = [part for part in parts if rng.random() < 0.6]
            answer = "".join(p for p, _ in chosen) or "不太清楚，可能和内存有关。"
            score = sum(points for _, points in chosen)
            rows.append(
                {
                    "q_id": q_id,
                    "question": question,
                    **references,
                    "answer": answer,
                    "score": str(score),
                }  # ads-zh stores scores as strings
            )
    return rows


def write(path: Path, rows: list[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8")
    return path


@pytest.fixture(scope="module")
def bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("ads_zh", BENCH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    try:
        spec.loader.exec_module(module)
    finally:
        del sys.modules[spec.name]
    return module


def table_rows(text: str) -> dict[str, list[str]]:
    found = {}
    for line in text.splitlines():
        cells = [c.strip() for c in line.strip("|").split("|")]
        if line.startswith("| ") and cells[0] not in ("condition",):
            found[cells[0]] = cells[1:]
    return found


def test_train_and_test_files_build_on_one_and_report_on_the_other(
    bench: ModuleType, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    train = write(tmp_path / "train.jsonl", rows_of(1, 24))
    unknown = {**rows_of(9, 1)[0], "q_id": "099"}  # a question the train file lacks
    test = write(tmp_path / "test.jsonl", [*rows_of(2, 10), unknown])
    argv = ["--train", str(train), "--test", str(test), "--bootstrap", "50"]
    assert bench.main(argv) == 0
    text = capsys.readouterr().out
    assert "derived and calibrated on train.jsonl (48 answers, 2 questions)" in text
    assert "reported on test.jsonl (20 answers, 2 questions)" in text
    assert "left out: 1 test answers to questions not in train" in text
    rows = table_rows(text)
    assert list(rows) == bench.NAMES
    qwk = {name: float(cells[0].split()[0]) for name, cells in rows.items()}
    # answers scored by the parts of the reference they repeat: a rubric derived from that
    # reference follows the scores, far better than each question's mean score does
    assert qwk["derived"] > 0.5 and qwk["derived+weights"] > 0.5
    assert qwk["mean"] < 0.2
    assert all(re.fullmatch(r"-?\d\.\d\d \[-?\d\.\d\d, -?\d\.\d\d\]", c[0]) for c in rows.values())


def test_predictions_are_built_from_the_train_file_only(bench: ModuleType) -> None:
    train, test = rows_of(3, 20), rows_of(4, 8)
    flags: Counter[str] = Counter()
    predicted = bench.predict(train, test, train, 0, flags)
    assert set(predicted) == set(bench.NAMES)
    assert all(len(scores) == len(test) for scores in predicted.values())
    means = {
        q: statistics.fmean(float(r["score"]) for r in train if r["q_id"] == q) for q in QUESTIONS
    }
    assert predicted["mean"] == [means[r["q_id"]] for r in test]
    # the train file decides: the same test answers graded after other train answers differ
    other = bench.predict(rows_of(5, 20), test, train, 0, Counter())
    assert other["mean"] != predicted["mean"]


def test_one_file_is_cross_validated_and_the_modes_do_not_mix(
    bench: ModuleType, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = write(tmp_path / "all.jsonl", rows_of(6, 30))
    assert bench.main([str(data), "--folds", "3", "--bootstrap", "0"]) == 0
    text = capsys.readouterr().out
    assert "60 answers, 2 questions, 3-fold cross-validation by question, seed 0" in text
    assert list(table_rows(text)) == bench.NAMES
    for argv in (
        ["--train", str(data)],
        ["--test", str(data)],
        [str(data), "--train", str(data), "--test", str(data)],
        [],
    ):
        with pytest.raises(SystemExit) as exited:
            bench.main(argv)
        assert exited.value.code == 2
    assert "--train FILE and --test FILE" in capsys.readouterr().err


def test_a_rubric_file_stands_in_for_the_derived_one(
    bench: ModuleType, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`--questions ... --rubric FILE`: the file's rubric grades each group, by q_id. A rubric
    that credits only the first part of question 003's reference follows its scores less well
    than one that credits all three."""
    data = write(tmp_path / "all.jsonl", rows_of(7, 30))

    def rubric(parts: int) -> Path:
        question, reference = QUESTIONS["003"]
        points = {1: [10], 3: [4, 3, 3]}[parts]
        # a key point per part, named by a phrase of it (its whole sentence would make the
        # answers copies of the rubric)
        phrases = ["链式存储", "修改指针", "移动大量元素"]
        criteria = [
            {
                "id": f"c{k}",
                "name": f"part {k}",
                "points": share,
                "description": f"part {k} of the reference",
                "key_points": [{"id": f"k{k}", "text": phrases[k], "variants": [phrases[k]]}],
            }
            for k, share in enumerate(points)
        ]
        bank = {
            "id": "hand",
            "title": "hand",
            "language": "zh",
            "role": "student",
            "source": "written for the test",
            "questions": [
                {
                    "id": "003",
                    "kind": "knowledge",
                    "prompt": question,
                    "points": 10,
                    "criteria": criteria,
                    "model_answer": "".join(part for part, _ in reference),
                }
            ],
        }
        path = tmp_path / f"rubric{parts}.yaml"
        path.write_text(yaml.safe_dump(bank, allow_unicode=True), "utf-8")
        return path

    qwk = {}
    for parts in (1, 3):
        argv = [str(data), "--questions", "003", "--bootstrap", "0"]
        assert bench.main([*argv, "--rubric", str(rubric(parts))]) == 0
        text = capsys.readouterr().out
        assert f"rubric rubric{parts}.yaml, uncalibrated" in text
        qwk[parts] = float(text.split("QWK ")[1].split()[0])
    assert qwk[3] > qwk[1]


def test_the_blind_rubric_covers_every_question_of_ads_zh() -> None:
    bank = coach.load_file(ROOT / "bench" / "ads_blind.yaml")
    assert sorted(q.id for q in bank.questions) == [
        *(f"{n:03d}" for n in range(1, 12)),
        *("013", "014", "015", "019"),
    ] and all(q.points == 10 for q in bank.questions)
