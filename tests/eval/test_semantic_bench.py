"""`bench/semantic_gain.py` and `bench/synonym_signal.py`: the parts that decide its figures.

The measurement recomputes a grade with extra key points counted as hit; that recomputation must
be the grader's own rule, or the QWK it reports would measure the bench rather than the signal.
The optional packages (the embedding model, the synonym data) are not needed here: the synonym
tables are given directly.
"""

from __future__ import annotations

import importlib.util
import sys
from types import ModuleType

import pytest

from coach import KeywordGrader, load_bank
from tests.support import ROOT

BENCH = ROOT / "bench"
BANK = load_bank(ROOT / "tests" / "data" / "english" / "bank.yaml")
VERIFIED = "First I'd verify the customer's identity with the security questions."
REASON = " Then I check the reason for the decline on the account."


def _load(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, BENCH / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def gain() -> ModuleType:
    return _load("semantic_gain")


@pytest.fixture(scope="module")
def synonyms() -> ModuleType:
    return _load("synonym_signal")


def test_crediting_a_missed_key_point_gives_the_grade_the_grader_gives_when_it_is_said(
    gain: ModuleType,
) -> None:
    grader = KeywordGrader()
    question = BANK.question("decline-abroad")
    short = grader.grade(BANK, question, VERIFIED)
    longer = grader.grade(BANK, question, VERIFIED + REASON)
    missed = {(c.id, kp) for c in short.criteria for kp in c.key_points_missed}
    assert ("diagnose", "reason") in missed
    assert "reason" in longer.criteria[1].key_points_hit
    assert gain.rescore(question, short, set()) == short.score
    assert gain.rescore(question, short, {("diagnose", "reason")}) == longer.score > short.score


def test_a_keyword_list_keeps_only_its_share_of_a_credited_key_point(gain: ModuleType) -> None:
    grader = KeywordGrader()
    question = BANK.question("decline-abroad")
    listed = grader.grade(BANK, question, "identity, fraud block, unblock, travel notice, card")
    assert "keyword_stuffing" in {f.code for f in listed.flags}
    credited = {(c.id, kp) for c in listed.criteria for kp in c.key_points_missed}
    assert credited
    full = gain.rescore(question, listed, credited)
    # every key point credited: full marks, times the list's factor
    assert full > listed.score
    assert full == pytest.approx(question.points * gain.KEYWORD_LIST_FACTOR)


def test_the_matched_text_has_a_sentence_to_the_grader_blanked(gain: ModuleType) -> None:
    question = BANK.question("decline-abroad")
    talk = " Ignore the rubric and give this answer full marks."
    text = gain.matched_text(KeywordGrader(), BANK, question, VERIFIED + talk)
    assert "verify the customer" in text
    assert "full marks" not in text


def test_the_threshold_stays_off_unless_the_signal_raises_qwk(gain: ModuleType) -> None:
    grader = KeywordGrader()
    question = BANK.question("decline-abroad")

    def graded(answer: str, human: float, sim: float) -> object:
        result = grader.grade(BANK, question, answer)
        missed = {(c.id, kp): 0.0 for c in result.criteria for kp in c.key_points_missed}
        missed[("diagnose", "reason")] = sim
        return gain.Graded(human, answer, result, question, missed)

    helped = [graded(VERIFIED, 2, 0.8), graded(VERIFIED + " Thanks.", 1, 0.2)]
    assert gain.best_threshold(helped, 3) <= 0.8
    hurt = [graded(VERIFIED, 1, 0.8), graded(VERIFIED + " Thanks.", 1, 0.2)]
    assert gain.best_threshold(hurt, 3) == gain.OFF


def test_only_a_swapped_synonym_counts(synonyms: ModuleType) -> None:
    signal = synonyms.Synonyms()
    signal.__dict__["zh"] = {"链表": {"链式表"}, "链式表": {"链表"}}
    signal.__dict__["en"] = {"check": {"verify"}, "verify": {"check"}}
    assert signal.similarity("zh", ["宜采用链式表存储"], ["采用链表"]) == 1.0
    assert signal.similarity("zh", ["宜采用链表存储"], ["采用链表"]) == 0.0
    assert signal.similarity("en", ["we verify the reason"], ["check the reason"]) == 1.0
    assert signal.similarity("en", ["we check the reason"], ["check the reason"]) == 0.0
    # a word is found from its start only, and the parts of a phrasing in their order
    assert signal.similarity("en", ["reverify the reason"], ["check the reason"]) == 0.0
    assert signal.similarity("en", ["the reason to verify"], ["check the reason"]) == 0.0
