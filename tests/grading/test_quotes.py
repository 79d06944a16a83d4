"""Evidence quotes: bounded however long the hit, and whole words in English."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import coach
from coach.grading.quotes import MAX_ORIGINAL_CHARS
from tests.grading.test_feedback_language import ENGLISH_BANK

BASE = "我会先安抚客户的情绪，告诉他别着急，然后核实身份，说明需要按规定审核后才能解冻。"
ENGLISH = coach.parse_bank(ENGLISH_BANK)


def _quotes(result: coach.GradeResult) -> list[coach.Evidence]:
    found = [e for flag in result.flags for e in flag.evidence]
    found += [e for c in result.criteria for e in c.evidence]
    found += [e for d in result.deductions for e in d.evidence]
    if result.star is not None:
        parts = (result.star.situation, result.star.task, result.star.action, result.star.result)
        found += [p.evidence for p in parts if p.evidence is not None]
    return found


@pytest.mark.parametrize(
    "padding",
    [
        "！" * 20_000,
        "\n" * 20_000 + "好的。",  # inside the answer: blank lines after it change nothing
        " qwerty" * 3_000,
        "\n\n" + "asdf " * 4_000,
        "。" + "嗯" * 20_000,
    ],
    ids=["exclamations", "blank-lines", "latin-words", "latin-after-blank", "one-character"],
)
def test_padding_evidence_is_bounded(padding: str) -> None:
    answer = BASE + padding
    result = coach.grade_offline("finance-cs-manager", "s2", answer)
    assert result.has_flag("padding") or result.flags, [f.code for f in result.flags]
    quotes = _quotes(result)
    assert quotes
    for quote in quotes:
        assert 0 < len(quote.quote) <= MAX_ORIGINAL_CHARS, (len(quote.quote), quote.start)
        assert answer[quote.start : quote.end] == quote.quote


def test_the_padding_flag_quotes_the_run() -> None:
    answer = BASE + "！" * 20_000
    [padding] = [f for f in coach.grade_offline("finance-cs-manager", "s2", answer).flags]
    assert padding.code == "padding"
    [run] = padding.evidence
    # The run starts at the answer's own full stop, which belongs to it.
    assert run.start == len(BASE) - 1 and set(run.quote) == {"。", "！"} and len(run.quote) <= 120


def test_an_english_quote_is_not_cut_mid_word() -> None:
    answer = (
        "First I would listen to the customer carefully without interrupting and then apologise "
        "sincerely for all of the trouble that the frozen account has caused them."
    )
    result = coach.grade_offline(ENGLISH, "complaint", answer)
    quotes = [e.quote for e in result.criteria[0].evidence]
    # ("listened" in the rubric meets "listen" in the answer: the first whole clause around it)
    assert quotes == ["First I would listen to the customer", "and then apologise sincerely"]


_WORDS = st.sampled_from(
    [
        "I",
        "listened",
        "apologised",
        "sorry",
        "without",
        "interrupting",
        "customer",
        "account",
        "frozen",
        "explained",
        "carefully",
        "really",
        "3,000",
        "it's",
        "A1",
        "then",
        "and",
    ]
)


def _is_word_char(char: str) -> bool:
    return char.isascii() and char.isalnum()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    words=st.lists(_WORDS, min_size=20, max_size=80),
    breaks=st.lists(st.sampled_from([" ", " ", " ", ", ", ". "]), min_size=80, max_size=80),
)
def test_english_quotes_start_and_end_on_word_boundaries(
    words: list[str], breaks: list[str]
) -> None:
    answer = "".join(w + b for w, b in zip(words, breaks, strict=False)).strip()
    result = coach.grade_offline(ENGLISH, "complaint", answer)
    for quote in _quotes(result):
        assert answer[quote.start : quote.end] == quote.quote
        before = answer[quote.start - 1] if quote.start > 0 else " "
        after = answer[quote.end] if quote.end < len(answer) else " "
        assert not (_is_word_char(before) and _is_word_char(quote.quote[0])), quote
        assert not (_is_word_char(quote.quote[-1]) and _is_word_char(after)), quote
