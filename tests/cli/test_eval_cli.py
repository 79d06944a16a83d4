"""`coach eval`: grading a labelled file and reporting agreement with the human scores.

The command is exercised through `cmd_eval` with a Namespace parsed by its own
`add_eval_parser` on a fresh parser. The labels are written here: answers of varying quality
to two questions of the built-in bank finance-cs-manager (s2: 12 points, b1: 10 points), each
scored by hand for what it covers, without looking at the keyword grader's result.
"""

from __future__ import annotations

import argparse
import io
import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

import coach
import coach.grading.grader
from coach.cli.eval import DETERMINISTIC_NOTE, add_eval_parser, cmd_eval
from coach.eval.agreement import Pair, evaluate
from coach.llm.retry import RetryPolicy
from coach.testing import FakeJudge, JudgeRequest, _grade_for, completion
from tests.cli.support import run_cli
from tests.support import write_lines

BANK = "finance-cs-manager"

# (id, question, human score, answer)
LABELS: list[tuple[str, str, float, str]] = [
    (
        "s2-full",
        "s2",
        11,
        "客户急着用钱，我会先安抚他别着急，核实身份，请他出示身份证确认是本人，再记录他在哪台"
        "ATM、什么时间做了什么操作。然后说明解冻要按银行规定审核，可能需要交易凭条，告诉他预计"
        "多长时间并跟进进度。同时联系ATM管理和运营部门调取设备日志排查原因，看是多次输错密码、"
        "吞卡还是风控。解冻必须经过审批，是为了防止冒用、保护资金安全；如果急用，可以先到柜台或"
        "用其他账户解决临时需求。",
    ),
    (
        "s2-good",
        "s2",
        9,
        "我会先安抚客户，请他别着急，然后核实他的身份并记录操作经过。接着告诉他解冻需要按规定"
        "审核，大概一到两个工作日，我会跟进进度。我也会联系后台排查是不是密码输错导致的冻结。",
    ),
    (
        "s2-ok",
        "s2",
        7,
        "先让客户别着急，登记他的诉求，然后跟他说明需要审核，不能马上解冻，我会尽快联系相关部门"
        "处理，并告诉他大概要等多久。",
    ),
    ("s2-thin", "s2", 4, "我会安抚客户的情绪，告诉他我们会尽快处理，请他耐心等待。"),
    ("s2-vague", "s2", 3, "这种情况要冷静，按照银行的流程来办，不能违反规定。"),
    ("s2-bad", "s2", 1, "我会马上给您解冻，您把密码告诉我，我帮您操作一下就好了。"),
    ("s2-brush", "s2", 0, "这不归我管，你自己去网点问吧。"),
    ("s2-blank", "s2", 0, "不知道"),
    (
        "b1-full",
        "b1",
        10,
        "去年月底系统故障，进线量翻了好几倍，好几位客户情绪激动。我先深呼吸，提醒自己客户不是"
        "针对我。然后安抚客户情绪、致歉，把来电逐一记录并分类，优先处理最紧急的资金问题。事后"
        "参与复盘，分析原因，优化了应急流程。在金融行业，合规和客户信任最重要。",
    ),
    (
        "b1-good",
        "b1",
        7,
        "有一次业务高峰期排队的客户很多，我先调整心态，然后安抚客户，记录问题，按轻重缓急处理。"
        "结束后我总结经验，避免类似问题。",
    ),
    (
        "b1-ok",
        "b1",
        5,
        "压力大的时候我会告诉自己先冷静，然后一件一件处理，先处理最紧急的，事后再总结。",
    ),
    ("b1-thin", "b1", 2, "我抗压能力很强，从来不紧张，压力越大我越有动力。"),
    ("b1-bad", "b1", 1, "有一次客户无理取闹，我压力很大就跟客户吵了起来，后来主管来处理了。"),
    ("b1-off", "b1", 0, "我喜欢打篮球和看电影，周末经常和朋友出去玩。"),
]

BAD_LINES: list[Any] = [
    "{not json",
    [1, 2, 3],
    {"id": "no-bank", "bank": "no-such-bank", "question": "s2", "answer": "好的", "score": 3},
    {"id": "no-question", "bank": BANK, "question": "zz9", "answer": "好的", "score": 3},
    {"id": "no-score", "bank": BANK, "question": "s2", "answer": "好的"},
    {"id": "too-high", "bank": BANK, "question": "s2", "answer": "好的", "score": 13},
    {"id": "not-a-number", "bank": BANK, "question": "s2", "answer": "好的", "score": "高"},
    {"id": "s2-full", "bank": BANK, "question": "s2", "answer": "重复的编号", "score": 3},
]


def label_lines(bank: str = BANK) -> list[dict[str, Any]]:
    # Scores alternate between numbers and strings, as ads-zh stores them ("7").
    return [
        {
            "id": i,
            "bank": bank,
            "question": q,
            "answer": a,
            "score": s if n % 2 else str(s),
        }
        for n, (i, q, s, a) in enumerate(LABELS)
    ]


@pytest.fixture
def labels(tmp_path: Path) -> Path:
    return write_lines(tmp_path / "labels.jsonl", [*label_lines(), "", *BAD_LINES])


@pytest.fixture(autouse=True)
def no_llm(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "COACH_MODEL"):
        monkeypatch.delenv(name, raising=False)


def parse(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="coach")
    add_eval_parser(parser.add_subparsers(dest="command"))
    return parser.parse_args(["eval", *argv])


def run(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    code = cmd_eval(parse(*argv), out)
    return code, out.getvalue()


def run_json(*argv: str) -> dict[str, Any]:
    code, text = run(*argv, "--json")
    assert code == 0
    document: dict[str, Any] = json.loads(text)
    return document


def expected_report(**options: Any) -> dict[str, Any]:
    """The agreement computed directly from the keyword grader's scores."""
    pairs = [
        Pair(
            human=s,
            model=coach.grade_offline(BANK, q, a).score,
            max_score=coach.load_bank(BANK).question(q).points,
            group=f"{BANK}/{q}",
        )
        for _, q, s, a in LABELS
    ]
    return evaluate(pairs, **options).to_dict()


# --- the numbers -------------------------------------------------------------------------------


def test_json_numbers_are_those_of_the_statistics_module(labels: Path) -> None:
    document = run_json(str(labels), "--offline", "--bootstrap", "200", "--seed", "3")
    assert document["agreement"] == expected_report(resamples=200, seed=3)
    assert document["lines"] == len(LABELS) + len(BAD_LINES)
    assert document["evaluated"] == len(LABELS)
    assert document["failed"] == len(BAD_LINES)
    assert document["graders"] == {"keyword": len(LABELS)}
    overall = document["agreement"]["overall"]
    assert overall["n"] == len(LABELS) and overall["max_score"] == 12
    groups = {g["group"]: g for g in document["agreement"]["groups"]}
    assert set(groups) == {f"{BANK}/s2", f"{BANK}/b1"}
    assert (groups[f"{BANK}/s2"]["n"], groups[f"{BANK}/s2"]["max_score"]) == (8, 12)
    assert (groups[f"{BANK}/b1"]["n"], groups[f"{BANK}/b1"]["max_score"]) == (6, 10)
    # the hand scores and the keyword grader broadly agree on these answers
    assert overall["qwk"]["value"] > 0.7 and overall["spearman"]["value"] > 0.8
    assert overall["qwk"]["low"] <= overall["qwk"]["value"] <= overall["qwk"]["high"]
    json.dumps(document, allow_nan=False)


def test_bad_lines_are_counted_and_named_never_a_crash(labels: Path) -> None:
    document = run_json(str(labels), "--offline", "--bootstrap", "0")
    failures = {f["id"]: f for f in document["failures"]}
    kinds = Counter(f["type"] for f in document["failures"])
    assert kinds == {
        "InvalidLine": 2,
        "BankNotFoundError": 1,
        "QuestionNotFoundError": 1,
        "MissingField": 1,
        "InvalidScore": 2,
        "DuplicateId": 1,
    }
    first_bad = len(LABELS) + 2  # after the labels and one blank line
    assert failures[f"line-{first_bad}"]["message"].startswith("not JSON")
    assert failures["no-score"]["message"] == "missing score"
    assert "0 to 12" in failures["too-high"]["message"]
    assert failures["s2-full"]["type"] == "DuplicateId"
    assert [f["line"] for f in document["failures"]] == sorted(
        f["line"] for f in document["failures"]
    )


def test_text_report(labels: Path) -> None:
    code, text = run(str(labels), "--offline", "--bootstrap", "100")
    assert code == 0
    lines = text.splitlines()
    assert lines[0] == (
        f"coach eval {labels}: {len(LABELS) + len(BAD_LINES)} lines, "
        f"{len(LABELS)} evaluated, {len(BAD_LINES)} failed"
    )
    assert lines[1] == f"graded by: keyword {len(LABELS)}"
    assert "95% percentile bootstrap interval (100 resamples, seed 0)" in text
    header = next(line for line in lines if line.startswith("question"))
    for column in ("n", "scale", "QWK", "Spearman", "Pearson", "MAE", "exact", "adjacent"):
        assert column in header.split()
    rows = {line.split()[0]: line for line in lines if line.startswith((BANK, "overall"))}
    assert set(rows) == {f"{BANK}/s2", f"{BANK}/b1", "overall"}
    assert rows["overall"].split()[1:3] == [str(len(LABELS)), "0-12"]
    assert "[" in rows["overall"] and "%" in rows["overall"]
    assert "rounded to whole points" in text
    no_bank = len(LABELS) + 4  # the labels, a blank line, two lines that are not objects
    assert "failed lines: " in text and f"line {no_bank} (no-bank): BankNotFoundError" in text
    assert "test-retest" not in text


def test_bootstrap_is_seeded_and_can_be_switched_off(labels: Path) -> None:
    one = run_json(str(labels), "--offline", "--bootstrap", "150", "--seed", "9")
    same = run_json(str(labels), "--offline", "--bootstrap", "150", "--seed", "9")
    other = run_json(str(labels), "--offline", "--bootstrap", "150", "--seed", "10")
    assert one == same
    assert one["agreement"]["overall"] != other["agreement"]["overall"]
    assert (
        one["agreement"]["overall"]["qwk"]["value"]
        == (other["agreement"]["overall"]["qwk"]["value"])
    )
    none = run_json(str(labels), "--offline", "--bootstrap", "0")
    assert none["agreement"]["overall"]["qwk"]["low"] is None
    assert run(str(labels), "--offline", "--bootstrap", "0")[0] == 0
    text = run(str(labels), "--offline", "--bootstrap", "0")[1]
    assert "no bootstrap intervals" in text and " [" not in text.split("question")[1][:400]
    narrow = run_json(str(labels), "--offline", "--bootstrap", "150", "--confidence", "0.5")
    assert narrow["agreement"]["confidence"] == 0.5


def test_repeat_offline_is_perfect_and_says_why(labels: Path) -> None:
    document = run_json(str(labels), "--offline", "--repeat", "3", "--bootstrap", "50")
    tested = document["agreement"]["retest"]
    assert (tested["items"], tested["runs"]) == (len(LABELS), 3)
    assert tested["qwk"]["value"] == 1.0 and tested["mean_spread"]["value"] == 0.0
    assert tested["identical"]["value"] == 1.0
    assert document["notes"] == [DETERMINISTIC_NOTE]
    assert document["graders"] == {"keyword": 3 * len(LABELS)}
    # agreement with the humans is that of one run, the same as without --repeat
    single = run_json(str(labels), "--offline", "--bootstrap", "50")
    assert document["agreement"]["overall"] == single["agreement"]["overall"]
    text = run(str(labels), "--offline", "--repeat", "2", "--bootstrap", "0")[1]
    assert "test-retest: 2 runs of 14 answers" in text
    assert "note: every grade came from the keyword grader" in text


def test_auto_without_an_llm_falls_back_and_says_so(labels: Path) -> None:
    document = run_json(str(labels), "--bootstrap", "0")
    # the non-answer ("不知道") is scored 0 by code, never sent: a plain keyword grade
    assert document["graders"] == {"keyword (fallback)": len(LABELS) - 1, "keyword": 1}
    (reason,) = document["fallback_reasons"]
    assert "no LLM configured" in reason
    text = run(str(labels), "--bootstrap", "0")[1]
    assert f"graded by: keyword (fallback) {len(LABELS) - 1}, keyword 1" in text
    assert f"fallback ({len(LABELS) - 1}): no LLM configured" in text


# --- per-answer predictions and confusion matrices ---------------------------------------------


def level(score: float) -> int:
    return int(score + 0.5)  # halves up, as the statistics round


def test_json_predictions_are_the_keyword_grades_of_each_line(labels: Path) -> None:
    document = run_json(str(labels), "--offline", "--bootstrap", "0")
    rows = document["predictions"]
    assert len(rows) == len(LABELS) + len(BAD_LINES)  # every non-blank line, in line order
    assert [row["line"] for row in rows] == sorted(row["line"] for row in rows)
    graded = {row["id"]: row for row in rows if "error" not in row}
    assert list(graded) == [i for i, _, _, _ in LABELS]
    for label_id, question, human, answer in LABELS:
        result = coach.grade_offline(BANK, question, answer)
        row = graded[label_id]
        assert (row["bank"], row["question"], row["human"]) == (BANK, question, human)
        assert row["coach"] == result.score and row["runs"] == [result.score]
        assert row["percent"] == pytest.approx(result.percent, abs=0.05)
        assert row["max_score"] == coach.load_bank(BANK).question(question).points
        assert (row["human_level"], row["coach_level"]) == (level(human), level(result.score))
        assert row["flags"] == result.flag_codes
        assert (row["grader"], row["status"]) == ("keyword", "graded")
    assert graded["s2-blank"]["flags"] == ["non_answer"]  # "不知道"
    errors = {row["line"]: row["error"] for row in rows if "error" in row}
    assert errors == {
        f["line"]: {"type": f["type"], "message": f["message"]} for f in document["failures"]
    }


def test_confusion_matrices_count_every_pair_by_its_levels(labels: Path) -> None:
    document = run_json(str(labels), "--offline", "--bootstrap", "0")
    agreement = document["agreement"]
    graded = [row for row in document["predictions"] if "error" not in row]
    for found in [*agreement["groups"], agreement["overall"]]:
        matrix = found["confusion"]
        assert matrix["levels"] == list(range(found["min_score"], found["max_score"] + 1))
        assert sum(map(sum, matrix["counts"])) == found["n"]
        mine = [r for r in graded if found["group"] in (None, f"{r['bank']}/{r['question']}")]
        cells = Counter((r["human_level"], r["coach_level"]) for r in mine)
        for i, human in enumerate(matrix["levels"]):
            for j, model in enumerate(matrix["levels"]):
                assert matrix["counts"][i][j] == cells[(human, model)], (found["group"], i, j)
        diagonal = sum(matrix["counts"][i][i] for i in range(len(matrix["levels"])))
        assert diagonal / found["n"] == pytest.approx(found["exact"]["value"])


def test_predictions_file_has_one_line_per_labelled_line(labels: Path, tmp_path: Path) -> None:
    out = tmp_path / "predictions.jsonl"
    code, text = run(str(labels), "--offline", "--bootstrap", "0", "--predictions", str(out))
    assert code == 0
    written = [json.loads(line) for line in out.read_text("utf-8").splitlines()]
    blank_lines = 1
    assert len(written) == len(labels.read_text("utf-8").splitlines()) - blank_lines
    assert text.endswith(f"predictions: {len(written)} lines written to {out}\n")
    document = run_json(str(labels), "--offline", "--bootstrap", "0", "--predictions", str(out))
    assert written == document["predictions"]
    unusable = [row for row in written if "error" in row]
    assert len(unusable) == len(BAD_LINES)
    assert {row["error"]["type"] for row in unusable} >= {"InvalidLine", "DuplicateId"}
    assert "zz9" in out.read_text("utf-8")  # the unknown question, named in its error
    with pytest.raises(coach.CoachError, match="cannot write"):
        run(str(labels), "--offline", "--predictions", str(tmp_path / "no" / "such.jsonl"))


def test_a_grade_that_failed_keeps_its_label_in_the_predictions(
    labels: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from coach.batch.run import BatchError, BatchResult

    real = coach.grading.grader.Grader.grade_many

    def grade_many(self: coach.Grader, items: Any, **kwargs: Any) -> list[BatchResult]:
        outcomes = real(self, items, **kwargs)
        broken = BatchError(type="LLMError", message="the server went away", retry=True)
        return [
            BatchResult(index=o.index, id=o.id, error=broken) if o.id == "b1-ok" else o
            for o in outcomes
        ]

    monkeypatch.setattr(coach.grading.grader.Grader, "grade_many", grade_many)
    document = run_json(str(labels), "--offline", "--bootstrap", "0")
    (row,) = [row for row in document["predictions"] if row["id"] == "b1-ok"]
    assert row["error"] == {"type": "LLMError", "message": "the server went away"}
    assert (row["bank"], row["question"], row["human"]) == (BANK, "b1", 5)
    assert "coach" not in row
    assert document["evaluated"] == len(LABELS) - 1


# --- the LLM path, scripted --------------------------------------------------------------------


def test_repeat_with_an_llm_measures_test_retest(
    labels: Path, fake_judge: FakeJudge, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The judge gives full marks the first time it sees an answer and half marks after."""
    seen: Counter[str | None] = Counter()

    def reply(request: JudgeRequest) -> Any:
        seen[request.answer] += 1
        return completion(_grade_for(request, 1.0 if seen[request.answer] == 1 else 0.5))

    for _ in range(4 * len(LABELS)):
        fake_judge.push(reply)
    real = coach.grading.grader.Grader
    built: list[dict[str, Any]] = []

    def grader(**kwargs: Any) -> coach.Grader:
        built.append(kwargs)
        fast = {"policy": RetryPolicy(backoff=0.001, max_backoff=0.001)}
        return real(client=fake_judge.client(), **{**kwargs, **fast})

    monkeypatch.setattr(coach.grading.grader, "Grader", grader)
    document = run_json(
        str(labels),
        "--repeat",
        "2",
        "--bootstrap",
        "50",
        "--model",
        "judge-1",
        "--concurrency",
        "1",
    )
    assert len(built) == 1
    assert {k: built[0][k] for k in ("mode", "model", "base_url")} == {
        "mode": "auto",
        "model": "judge-1",
        "base_url": None,
    }
    sent = len(fake_judge.requests)
    assert 0 < sent <= 2 * len(LABELS)  # the blank answer is never sent
    assert document["graders"] == {"llm": sent, "keyword": 2 * len(LABELS) - sent}
    tested = document["agreement"]["retest"]
    assert tested["identical"]["value"] < 1.0 and tested["mean_spread"]["value"] > 0
    assert document["notes"] == []


# --- input and usage errors ---------------------------------------------------------------------


def test_a_bank_path_is_found_beside_the_labels_file(
    tmp_path: Path, mini_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "eval"
    folder.mkdir()
    (folder / "derived.yaml").write_text(mini_path.read_text("utf-8"), encoding="utf-8")
    labels = write_lines(
        folder / "labels.jsonl",
        [
            {
                "bank": "derived.yaml",
                "question": "atm",
                "answer": "我会先安抚客户情绪。",
                "score": 3,
            },
            {
                "bank": "derived.yaml",
                "question": "calm",
                "answer": "深呼吸，调整心态。",
                "score": 5,
            },
            {
                "bank": "derived.yaml",
                "question": "atm",
                "answer": "需要审核，请提供凭证。",
                "score": 6,
            },
        ],
    )
    monkeypatch.chdir(tmp_path)  # not the labels' folder
    document = run_json(str(labels), "--offline", "--bootstrap", "0")
    assert document["failed"] == 0 and document["evaluated"] == 3
    assert [g["group"] for g in document["agreement"]["groups"]] == ["mini/atm", "mini/calm"]
    # a group of one pair is reported, not computed
    calm = document["agreement"]["groups"][1]
    assert calm["qwk"]["value"] is None and calm["qwk"]["reason"] == "fewer than 2 pairs"


def test_nothing_usable_and_unreadable_files_are_coach_errors(tmp_path: Path) -> None:
    with pytest.raises(coach.CoachError, match="cannot read"):
        run(str(tmp_path / "missing.jsonl"), "--offline")
    empty = write_lines(tmp_path / "empty.jsonl", ["", "  "])
    with pytest.raises(coach.CoachError, match="no labelled lines"):
        run(str(empty), "--offline")
    bad = write_lines(tmp_path / "bad.jsonl", BAD_LINES[:3])
    with pytest.raises(coach.CoachError, match=r"2 InvalidLine, 1 BankNotFoundError"):
        run(str(bad), "--offline")
    binary = tmp_path / "binary.jsonl"
    binary.write_bytes(b"\xff\xfe\x00")  # a UTF-16 mark, then half a character
    with pytest.raises(coach.CoachError, match=r"binary\.jsonl.*not UTF-16 LE text"):
        run(str(binary), "--offline")
    junk = tmp_path / "junk.jsonl"
    junk.write_bytes(bytes(range(256)))
    with pytest.raises(coach.CoachError, match=r"junk\.jsonl.*does not look like text"):
        run(str(junk), "--offline")


@pytest.mark.parametrize(
    "argv",
    [
        ["--repeat", "0"],
        ["--bootstrap", "-1"],
        ["--concurrency", "0"],
        ["--confidence", "1"],
        ["--repeat", "two"],
    ],
)
def test_usage_errors_exit_2(
    labels: Path, argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exited:
        parse(str(labels), *argv)
    assert exited.value.code == 2
    assert "error: argument" in capsys.readouterr().err


def test_coach_eval_runs_as_a_command(tmp_path: Path) -> None:
    question = coach.load_bank("finance-cs-manager").question("s2")
    rows = [
        {
            "bank": "finance-cs-manager",
            "question": "s2",
            "answer": question.model_answer,
            "score": 12,
        },
        {"bank": "finance-cs-manager", "question": "s2", "answer": "不知道", "score": 0},
        {"bank": "finance-cs-manager", "question": "s2", "answer": "我会安抚客户。", "score": 3},
    ]
    labels = write_lines(tmp_path / "labels.jsonl", rows)
    done = run_cli("eval", labels, "--offline", "--json")
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert (report["lines"], report["evaluated"], report["failed"]) == (3, 3, 0)
    assert report["graders"] == {"keyword": 3} and "overall" in report["agreement"]
