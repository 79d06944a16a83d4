"""`coach lint`: each warning fires on a rubric that has the problem and not on a clean one;
suggestions are made only where they add recall; the command's exit status and JSON."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

import coach
from coach.authoring.draft import dump_bank
from coach.authoring.lint import Finding, lint_bank
from coach.authoring.lint_words import families, parse_families
from coach.authoring.suggest import english_forms
from coach.cli.main import main
from coach.errors import CoachError
from coach.text.match import compile_phrases
from coach.text.normalize import normalize

ZH_PROMPT = "客户的账户被冻结了，情绪很激动，你会怎么处理？"
ZH_MODEL = "我会先安抚客户的情绪，向他道歉，然后核实身份，说明解冻需要按规定审核。"
EN_PROMPT = "A customer was charged twice. What do you do?"
EN_MODEL = "I apologise, verify the customer's identity and explain the refund timeline."


def _kp(kp_id: str, variants: list[str], text: str = "要点") -> dict[str, Any]:
    return {"id": kp_id, "text": text, "variants": variants}


def _bank(
    key_points: list[dict[str, Any]],
    *,
    prompt: str = ZH_PROMPT,
    model: str = ZH_MODEL,
    deductions: tuple[dict[str, Any], ...] = (),
    language: str = "zh",
) -> coach.Bank:
    question = {
        "id": "q1",
        "kind": "situational",
        "prompt": prompt,
        "points": 10,
        "criteria": [
            {"id": "c1", "name": "c", "points": 10, "description": "d", "key_points": key_points}
        ],
        "deductions": list(deductions),
        "model_answer": model,
    }
    return coach.Bank.model_validate(
        {"id": "t", "title": "t", "language": language, "role": "-", "source": "-",
         "questions": [question]}
    )  # fmt: skip


CLEAN_ZH = [_kp("soothe", ["安抚*情绪", "道歉"]), _kp("verify", ["核实身份", "审核"])]
CLEAN_EN = [
    _kp("sorry", ["apologi", "sorry"], "say sorry"),
    _kp("identity", ["verify*identity"], "verify the identity"),
]


def _warnings(bank: coach.Bank) -> list[Finding]:
    return [f for f in lint_bank(bank) if f.kind == "warning"]


def _codes(bank: coach.Bank) -> dict[tuple[str, str | None], str]:
    return {(f.code, f.variant): f.reason for f in _warnings(bank)}


@pytest.mark.parametrize(
    "bank",
    [_bank(CLEAN_ZH), _bank(CLEAN_EN, prompt=EN_PROMPT, model=EN_MODEL, language="en")],
    ids=["zh", "en"],
)
def test_a_clean_rubric_has_no_warning(bank: coach.Bank) -> None:
    assert _warnings(bank) == []


@pytest.mark.parametrize(
    ("variant", "why"),
    [
        ("!!!", "no word"),
        ("安抚*！！", "punctuation only"),
        ("don\u2019t worry", "straight one"),
        ("verif", "'verify'"),
        ("个人*资料", "folds to '个人信息'"),  # a Taiwan word split by the gap is not folded
    ],
)
def test_a_variant_that_can_never_match_is_a_warning(variant: str, why: str) -> None:
    kp_text = "verify the identity first; don't worry the customer"
    bank = _bank([*CLEAN_ZH, _kp("extra", ["安抚", variant], kp_text)])
    reasons = _codes(bank)
    assert why in reasons[("never-matches", variant)]
    finding = next(f for f in _warnings(bank) if f.variant == variant)
    assert (finding.bank, finding.question, finding.criterion, finding.key_point) == (
        "t", "q1", "c1", "extra"
    )  # fmt: skip
    assert finding.fix


def test_a_cut_stem_the_matcher_extends_is_no_warning() -> None:
    # "apologi" is the start of any longer word to the matcher, so it matches "apologise".
    bank = _bank(CLEAN_EN, prompt=EN_PROMPT, model=EN_MODEL, language="en")
    assert not any(f.variant == "apologi" for f in _warnings(bank))


def test_variants_the_same_once_folded_are_redundant_or_ambiguous() -> None:
    same = _bank([_kp("soothe", ["安抚*情绪", "安撫*情緒", "道歉"]), CLEAN_ZH[1]])
    assert "'安抚*情绪'" in _codes(same)[("redundant", "安撫*情緒")]
    shared = _bank([CLEAN_ZH[0], _kp("verify", ["核实身份", "审核", "道歉"])])
    assert "c1/soothe" in _codes(shared)[("ambiguous", "道歉")]


def test_a_variant_in_the_prompt_is_a_warning() -> None:
    bank = _bank([_kp("soothe", ["安抚*情绪", "情绪"]), CLEAN_ZH[1]])
    assert ("in-prompt", "情绪") in _codes(bank)


def test_a_key_point_the_model_answer_does_not_earn_is_a_warning() -> None:
    bank = _bank([*CLEAN_ZH, _kp("follow", ["回访", "再联系"])])
    findings = [f for f in _warnings(bank) if f.code == "model-answer"]
    assert [(f.key_point, f.variant) for f in findings] == [("follow", None)]


def test_a_trigger_that_fires_on_a_variant_is_a_warning_unless_negated() -> None:
    deduction = {"id": "promise", "description": "d", "points": 2, "triggers": ["保证收益"]}
    overlap = _bank([*CLEAN_ZH, _kp("risk", ["审核", "保证收益稳定"])], deductions=(deduction,))
    assert "'promise'" in _codes(overlap)[("deduction-overlap", "保证收益稳定")]
    negated = _bank([*CLEAN_ZH, _kp("risk", ["审核", "不保证收益"])], deductions=(deduction,))
    assert not any(f.code == "deduction-overlap" for f in _warnings(negated))


def _suggested(bank: coach.Bank, key_point: str) -> dict[str, str]:
    return {
        f.add: f.code
        for f in lint_bank(bank)
        if f.kind == "suggestion" and f.key_point == key_point and f.add
    }


def test_an_inflection_is_suggested_only_when_the_matcher_misses_it() -> None:
    bank = _bank(
        [_kp("pay", ["pay the fee", "verify identity"], "pay")],
        prompt=EN_PROMPT, model="I pay the fee and verify identity.", language="en",
    )  # fmt: skip
    added = _suggested(bank, "pay")
    assert "paid the fee" not in added  # an irregular form the matcher accepts by itself
    for form in english_forms("verify"):
        pattern = compile_phrases(["verify identity"])
        accepted = pattern is not None and pattern.search(normalize(f"{form} identity").text)
        assert (f"{form} identity" in added) == (not accepted), form
    assert "verified identity" not in added  # the matcher accepts it already


def test_traditional_regional_and_paraphrase_suggestions() -> None:
    bank = _bank([_kp("soothe", ["问清楚什么事", "别着慌", "默认", "道歉"]), CLEAN_ZH[1]])
    added = _suggested(bank, "soothe")
    assert added["问清楚甚么事"] == "traditional"  # 甚 folds to itself, not to 什
    assert "别著慌" not in added  # folding reads 著 as 着 already
    assert added["预设"] == "regional"
    assert added["抱歉"] == "paraphrase"
    assert "别着急" not in added and "道歉" not in added
    # 著急 is folded to 着急 already: no suggestion for a form folding brings back
    calm = _bank([_kp("soothe", ["别着急", "道歉"]), CLEAN_ZH[1]])
    assert "别著急" not in _suggested(calm, "soothe")


def test_a_suggestion_another_key_point_earns_is_not_made() -> None:
    bank = _bank([_kp("soothe", ["安抚*情绪", "道歉"]), _kp("verify", ["核实身份", "抱歉"])])
    assert "抱歉" not in _suggested(bank, "soothe")


def test_the_word_file_parses_and_refuses_a_bad_line() -> None:
    shipped = families()
    assert all(len(family) >= 2 for section in shipped.values() for family in section)
    assert ("道歉" in shipped["paraphrases"][0]) and shipped["regional"]
    with pytest.raises(CoachError, match="line 2"):
        parse_families("[paraphrases]\n道歉\n")
    with pytest.raises(CoachError, match="unknown section"):
        parse_families("[nouns]\n")


def _write(tmp_path: Path, bank: coach.Bank) -> str:
    path = tmp_path / "bank.yaml"
    path.write_text(dump_bank(bank), encoding="utf-8")
    return str(path)


def test_cli_exit_status_and_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    clean = _write(tmp_path, _bank(CLEAN_ZH))
    assert main(["lint", clean]) == 0
    assert "t: 0 warnings" in capsys.readouterr().out

    flawed = _write(tmp_path, _bank([_kp("soothe", ["安抚*情绪", "情绪", "道歉"]), CLEAN_ZH[1]]))
    assert main(["lint", flawed]) == 1
    assert "warning [in-prompt] t/q1/c1/soothe '情绪'" in capsys.readouterr().out

    assert main(["lint", flawed, "--question", "q1", "--json"]) == 1
    document = json.loads(capsys.readouterr().out)
    assert set(document) == {"bank", "warnings", "suggestions"}
    assert document["warnings"][0] == {
        "kind": "warning", "code": "in-prompt", "bank": "t", "question": "q1",
        "criterion": "c1", "key_point": "soothe", "variant": "情绪",
        "reason": document["warnings"][0]["reason"],
        "fix": document["warnings"][0]["fix"], "add": None,
    }  # fmt: skip
    assert {s["code"] for s in document["suggestions"]} >= {"paraphrase"}
    assert all(s["add"] for s in document["suggestions"])


@pytest.mark.parametrize(
    ("args", "message"),
    [(["missing.yaml"], "missing.yaml"), (["{bank}", "--question", "nope"], "no question 'nope'")],
)
def test_cli_bad_input_exits_2_with_one_clear_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    path = _write(tmp_path, _bank(CLEAN_ZH))
    assert main(["lint", *(arg.format(bank=path) for arg in args)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("coach: error:") and message in err and "Traceback" not in err
