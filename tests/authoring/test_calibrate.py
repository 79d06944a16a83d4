"""`calibrate_bank` and `coach calibrate`: fitted rubrics beat the draft on held-out answers."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

import coach
from coach.cli.main import main
from coach.eval.statistics import mean_absolute_error

RUBRIC = """\
id: synth
title: 合成题库
language: zh
role: 测试
source: 单元测试
questions:
  - id: q1
    kind: knowledge
    prompt: 简述链表的特点
    points: 10
    criteria:
      - id: key_points
        name: 要点
        points: 10
        description: 覆盖要点
        key_points:
          - {id: pointer, text: 用指针连接, variants: [指针]}
          - {id: nomove, text: 插入删除不移动元素, variants: [不需要移动]}
          - {id: noise, text: 无关的说法, variants: [其实]}
    deductions:
      - {id: wrong, description: 说成随机访问, points: 1, triggers: [随机访问]}
    model_answer: 链表用指针连接结点，插入删除不需要移动元素。
"""
CLAUSES = {
    "pointer": "链表的结点之间用指针连起来",
    "nomove": "插入删除时不需要移动其他元素",
    "noise": "其实我也复习过这一章",
    "wrong": "链表支持随机访问",
}


def _answers(count: int, seed: int) -> list[coach.ScoredAnswer]:
    """Answers whose human score is 7 for `pointer`, 3 for `nomove`, 0 for `noise`, and 0 in
    all when `wrong` is said, with a little noise."""
    rng = random.Random(seed)
    answers = []
    for _ in range(count):
        said = [name for name in CLAUSES if rng.random() < 0.5]
        text = "，".join(CLAUSES[name] for name in said) + "。我认为这就是链表的主要特点和用法。"
        score = 7 * ("pointer" in said) + 3 * ("nomove" in said)
        score = 0 if "wrong" in said else score
        answers.append(
            coach.ScoredAnswer("q1", text, min(10.0, max(0.0, score + rng.choice([-1, 0, 1]))))
        )
    return answers


def _mae(bank: coach.Bank, answers: list[coach.ScoredAnswer]) -> float:
    grader = coach.KeywordGrader()
    question = bank.question("q1")
    model = [grader.grade(bank, question, a.answer).score for a in answers]
    value = mean_absolute_error([a.score for a in answers], model).value
    assert value is not None
    return value


def test_weights_fit_better_on_held_out_answers() -> None:
    bank = coach.parse_bank(RUBRIC)
    train, test = _answers(120, seed=1), _answers(80, seed=2)
    calibrated = coach.calibrate_bank(bank, train)
    assert _mae(calibrated, test) < 0.6 * _mae(bank, test)
    weights = {kp.id: kp.weight for kp in calibrated.question("q1").criteria[0].key_points}
    assert weights["pointer"] > weights["nomove"] > weights.get("noise", 0.0)
    assert calibrated.question("q1").deductions[0].points > 2  # saying it costs points


def test_bands_are_monotone_and_fit_better_than_the_draft() -> None:
    bank = coach.parse_bank(RUBRIC)
    train, test = _answers(120, seed=3), _answers(80, seed=4)
    calibrated = coach.calibrate_bank(bank, train, method="bands")
    bands = calibrated.question("q1").criteria[0].bands
    assert bands and [b.points for b in bands] == sorted(b.points for b in bands)
    assert _mae(calibrated, test) < _mae(bank, test)


def test_calibration_is_deterministic_and_round_trips() -> None:
    bank = coach.parse_bank(RUBRIC)
    one = coach.calibrate_bank(bank, _answers(60, seed=5))
    two = coach.calibrate_bank(bank, _answers(60, seed=5))
    assert coach.dump_bank(one) == coach.dump_bank(two)
    assert coach.parse_bank(coach.dump_bank(one)) == one


@pytest.mark.parametrize(
    ("answers", "message"),
    [
        ([], "no scored answers"),
        ([coach.ScoredAnswer("nope", "指针", 5)], "no question 'nope'"),
        ([coach.ScoredAnswer("q1", "指针", 11)], "outside 0..10"),
    ],
)
def test_bad_labels_are_coach_errors(answers: list[coach.ScoredAnswer], message: str) -> None:
    with pytest.raises(coach.CoachError, match=message):
        coach.calibrate_bank(coach.parse_bank(RUBRIC), answers)


def _files(tmp_path: Path, lines: list[dict[str, object]]) -> tuple[Path, Path]:
    bank = tmp_path / "synth.yaml"
    bank.write_text(RUBRIC, encoding="utf-8")
    labels = tmp_path / "labels.jsonl"
    labels.write_text("".join(json.dumps(x, ensure_ascii=False) + "\n" for x in lines), "utf-8")
    return bank, labels


def test_cli_calibrate_writes_a_bank_that_validates(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lines: list[dict[str, object]] = [
        {"bank": "synth.yaml", "question": a.question_id, "answer": a.answer, "score": str(a.score)}
        for a in _answers(40, seed=6)
    ]
    lines.append({"bank": "other-bank", "question": "q1", "answer": "指针", "score": 3})
    bank, labels = _files(tmp_path, lines)
    out = tmp_path / "calibrated.yaml"
    assert main(["calibrate", str(bank), str(labels), "--out", str(out)]) == 0
    assert "skipped 1 lines of another bank" in capsys.readouterr().out
    assert main(["validate", str(out)]) == 0
    assert out.read_text(encoding="utf-8").startswith("# Calibrated by `coach calibrate")


@pytest.mark.parametrize(
    ("lines", "message"),
    [
        ([{"question": "q1", "answer": "指针"}], "needs 'question'"),
        ([{"bank": "other", "question": "q1", "answer": "指针", "score": 3}], "no line of"),
        ([{"question": "zz", "answer": "指针", "score": 3}], "no question 'zz'"),
    ],
)
def test_cli_calibrate_mistakes_are_one_line_errors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], lines: list[dict[str, object]], message: str
) -> None:
    bank, labels = _files(tmp_path, lines)
    assert main(["calibrate", str(bank), str(labels), "--out", str(tmp_path / "o.yaml")]) == 1
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 1 and message in err[0]
