"""`derive_rubric`, `derive_bank`, `dump_bank` and `coach derive`: drafts that are real rubrics."""

from __future__ import annotations

from pathlib import Path

import pytest

import coach
from coach.cli.main import main
from coach.text.normalize import normalize
from tests.support import DATA

PROMPT = "若频繁地对线性表进行插入和删除操作，宜采用何种存储结构，为什么？"
REFERENCES = [
    "宜采用链式存储结构。链表插入和删除时只需修改指针，不需要移动大量元素，效率高。",
    "应该用链表。因为顺序表插入删除要移动大量元素，而链表只要改变指针的指向。",
]
VERDICT_PROMPT = "请判断以下叙述是否正确，并做出解释：栈底元素是不能删除的元素"
VERDICT_REFERENCE = "错误。栈中元素可以从栈顶开始逐个出栈，最后删除栈底元素。"


def _bank(question: coach.Question) -> coach.Bank:
    return coach.Bank(id="t", title="t", language="zh", role="-", source="-", questions=[question])


def test_key_points_come_from_the_references_and_not_the_prompt() -> None:
    question = coach.derive_rubric(PROMPT, REFERENCES, question_id="s1", points=10)
    folded = [normalize(r).text for r in REFERENCES]
    points = [kp for kp in question.criteria[0].key_points if kp.id.startswith("kp")]
    assert points
    for kp in points:
        for variant in kp.variants:
            assert any(variant in ref for ref in folded), variant
            assert variant not in normalize(PROMPT).text
    assert question.points == 10 and question.criteria[0].points == 10
    assert question.model_answer == REFERENCES[0]


def test_shared_phrasing_scores_above_the_reference_alone() -> None:
    question = coach.derive_rubric(PROMPT, REFERENCES)
    text = "采用链表，因为插入删除只需修改指针，不需要移动大量元素。"
    off = "顺序表，因为可以随机访问。"
    grader = coach.KeywordGrader()
    bank = _bank(question)
    assert grader.grade(bank, question, text).score > grader.grade(bank, question, off).score


def test_traditional_references_give_simplified_variants() -> None:
    traditional = ["宜採用鏈式存儲結構。鏈表插入和刪除時只需修改指針，不需要移動大量元素。"]
    question = coach.derive_rubric(PROMPT, traditional)
    variants = [v for kp in question.criteria[0].key_points for v in kp.variants]
    assert not any(ch in v for v in variants for ch in "鏈儲結刪動")


def test_a_verdict_question_gets_the_verdict_and_a_deduction_for_its_opposite() -> None:
    question = coach.derive_rubric(VERDICT_PROMPT, [VERDICT_REFERENCE])
    assert question.criteria[0].key_points[0].id == "verdict"
    assert [d.id for d in question.deductions] == ["wrong_verdict"]
    grader = coach.KeywordGrader()
    bank = _bank(question)
    wrong = grader.grade(bank, question, "正确。栈底元素只能最后删除，不能直接删除。")
    negated = grader.grade(bank, question, "不正确。栈顶元素依次出栈后，最后删除栈底元素。")
    assert [d.id for d in wrong.deductions] == ["wrong_verdict"]
    assert negated.deductions == [] and negated.score > wrong.score


@pytest.mark.parametrize(
    ("prompt", "references", "message"),
    [
        (PROMPT, [], "no reference answer"),
        (PROMPT, ["", "   "], "no reference answer"),
        ("  ", REFERENCES, "question text is empty"),
        (PROMPT, ["的了。"], "no key phrase"),
    ],
)
def test_unusable_input_is_a_coach_error(prompt: str, references: list[str], message: str) -> None:
    with pytest.raises(coach.CoachError, match=message):
        coach.derive_rubric(prompt, references)


def test_dump_bank_round_trips_and_is_deterministic() -> None:
    sources = [
        coach.QuestionSource("s1", PROMPT, REFERENCES),
        coach.QuestionSource("s2", VERDICT_PROMPT, [VERDICT_REFERENCE]),
    ]
    bank = coach.derive_bank(sources, bank_id="draft", title="草稿")
    text = coach.dump_bank(bank, header="a header\nsecond line")
    assert text.startswith("# a header\n# second line\n")
    assert coach.parse_bank(text) == bank
    again = coach.derive_bank(sources, bank_id="draft", title="草稿")
    assert coach.dump_bank(again, header="a header\nsecond line") == text
    with pytest.raises(coach.CoachError):
        coach.derive_bank([], bank_id="x", title="x")


def test_cli_derive_from_jsonl_writes_a_valid_bank(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "bank.yaml"
    assert (
        main(["derive", str(DATA / "derive_small.jsonl"), "--out", str(out), "--min-score", "10"])
        == 0
    )
    assert "2 questions" in capsys.readouterr().out
    assert main(["validate", str(out)]) == 0
    bank = coach.load_bank(out)
    assert bank.id == "derive_small" and [q.id for q in bank.questions] == ["s1", "s2"]


def test_cli_derive_from_arguments_prints_yaml(capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["derive", "--question", PROMPT, "--id", "q7", "--points", "6"]
    assert main([*argv, "--reference", REFERENCES[0], "--reference", REFERENCES[1]]) == 0
    bank = coach.parse_bank(capsys.readouterr().out)
    assert bank.questions[0].id == "q7" and bank.questions[0].points == 6


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["derive"], "give FILE.jsonl"),
        (["derive", "--question", PROMPT], "give FILE.jsonl"),
        (["derive", "x.jsonl", "--question", PROMPT], "not both"),
        (["derive", "missing.jsonl"], "cannot read"),
    ],
)
def test_cli_derive_mistakes_are_one_line_errors(
    argv: list[str],
    message: str,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(argv) == 1
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 1 and err[0].startswith("coach: error:") and message in err[0]


def test_cli_derive_rejects_a_line_without_its_question(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"q_id": "1", "reference1": "链表"}\n', encoding="utf-8")
    assert main(["derive", str(bad)]) == 1
    assert "bad.jsonl:1" in capsys.readouterr().err


def test_cli_derive_names_the_bank_by_id_not_by_the_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = str(DATA / "derive_small.jsonl")
    out = tmp_path / "bank.yaml"
    assert main(["derive", source, "--id", "ads-zh", "--out", str(out)]) == 0
    assert coach.load_bank(out).id == "ads-zh"
    assert "file name" not in capsys.readouterr().out + out.read_text("utf-8")
    assert main(["derive", source, "--bank-id", "ads-zh.v2"]) == 0
    assert coach.parse_bank(capsys.readouterr().out).id == "ads-zh.v2"
    # no id given: named after the file as before, and said so in the YAML and the summary
    assert main(["derive", source, "--out", str(out)]) == 0
    said = capsys.readouterr().out
    assert coach.load_bank(out).id == "derive_small"
    assert "bank id 'derive_small' comes from the file name; --id ID sets it" in said
    assert "# The bank id 'derive_small' comes from the file name" in out.read_text("utf-8")
    odd = tmp_path / "Train Set 二.jsonl"
    odd.write_text((DATA / "derive_small.jsonl").read_text("utf-8"), encoding="utf-8")
    assert main(["derive", str(odd)]) == 0
    assert coach.parse_bank(capsys.readouterr().out).id == "train-set--"


def test_cli_derive_with_question_keeps_id_for_the_question_and_bank_id_for_the_bank(
    capsys: pytest.CaptureFixture[str],
) -> None:
    argv = ["derive", "--question", PROMPT, "--reference", REFERENCES[0]]
    assert main([*argv, "--id", "q7", "--bank-id", "mine"]) == 0
    bank = coach.parse_bank(capsys.readouterr().out)
    assert (bank.id, bank.questions[0].id) == ("mine", "q7")
    assert main(argv) == 0
    bank = coach.parse_bank(capsys.readouterr().out)
    assert (bank.id, bank.questions[0].id) == ("derived", "q1")


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--id", "Ads Zh"], "--id 'Ads Zh' is not an id"),
        (["--bank-id", "_x"], "--bank-id '_x' is not an id"),
        (["--id", "a", "--bank-id", "b"], "differ; give one"),
    ],
)
def test_cli_derive_bad_ids_are_one_line_errors(
    extra: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["derive", str(DATA / "derive_small.jsonl"), *extra]) == 1
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 1 and message in err[0]
    question = ["derive", "--question", PROMPT, "--reference", REFERENCES[0]]
    assert main([*question, "--bank-id", "Not An Id"]) == 1
    assert "--bank-id 'Not An Id' is not an id" in capsys.readouterr().err


SHARE_REFERENCES = [
    "宜采用链式存储结构。链表插入删除时只需修改指针，不需要移动大量元素，效率高。",
    "应该用链表。因为顺序表插入删除要移动大量元素，而链表只要修改指针的指向。",
]


def test_full_share_gives_full_points_at_that_share_of_the_key_points() -> None:
    plain = coach.derive_rubric(PROMPT, SHARE_REFERENCES)
    assert plain.criteria[0].bands == []
    question = coach.derive_rubric(PROMPT, SHARE_REFERENCES, full_share=0.5)
    criterion = question.criteria[0]
    total = len(criterion.key_points)
    full = -(-total // 2)
    assert [b.hits for b in criterion.bands] == list(range(1, full + 1))
    assert criterion.bands[-1].points == question.points
    assert criterion.points_earned(full - 1, 0) < question.points
    # the same answer earns more under the share than in proportion to all key points
    answer = "采用链表，插入删除只需修改指针，不需要移动大量元素。"
    grader = coach.KeywordGrader()
    shared = grader.grade(_bank(question), question, answer).score
    assert shared > grader.grade(_bank(plain), plain, answer).score
    for bad in (0, 1.5, -0.2):
        with pytest.raises(coach.CoachError, match="full_share"):
            coach.derive_rubric(PROMPT, SHARE_REFERENCES, full_share=bad)


def test_cli_derive_full_share_writes_bands(tmp_path: Path) -> None:
    out = tmp_path / "bank.yaml"
    source = str(DATA / "derive_small.jsonl")
    assert main(["derive", source, "--full-share", "0.5", "--out", str(out)]) == 0
    bank = coach.load_bank(out)
    for question in bank.questions:
        bands = question.criteria[0].bands
        assert bands and bands[-1].points == question.points
        assert bands[-1].hits == -(-len(question.criteria[0].key_points) // 2)
