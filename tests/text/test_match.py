"""Phrase matching: substrings for Chinese, whole words for ASCII, short gaps for 'A*B'."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coach.text.match import Clauses, asserted_hits, compile_phrases
from coach.text.normalize import normalize

PHRASES = ["ATM", "App", "7*24", "取款机", "保证*收益"]


@pytest.mark.parametrize(
    ("text", "matches"),
    [
        ("atm机坏了", True),
        ("在atm取款", True),
        ("katm", False),
        ("atmx", False),
        ("7天24小时在线", True),
        ("17天24小时", False),
        ("下载app", True),
        ("happy", False),
        ("去取款机", True),
        ("保证您的收益", True),
        ("保证。收益", False),  # a gap never crosses a sentence end
        ("保证" + "很" * 13 + "收益", False),  # nor holds more than 12 characters
    ],
)
def test_phrases_match_as_documented(text: str, matches: bool) -> None:
    pattern = compile_phrases(PHRASES)
    assert pattern is not None
    assert (pattern.search(text) is not None) is matches


@given(st.text(alphabet=st.sampled_from("atm7 24app取款机x1。"), max_size=16))
def test_ascii_words_match_exactly_where_a_word_boundary_test_would(text: str) -> None:
    """Letters bound a word of letters (a list number glued to it, "1app", does not hide it);
    letters and digits bound a number. (No inflection of these words can be spelt from the
    alphabet drawn from.)"""
    pattern = compile_phrases(["atm", "app", "24"])
    assert pattern is not None
    reference = re.compile(r"(?<![a-z])(?:atm|app)(?![a-z])|(?<![a-z0-9])24(?![a-z0-9])")
    assert [m.span() for m in pattern.finditer(text)] == [
        m.span() for m in reference.finditer(text)
    ]


def test_nothing_to_match_compiles_to_none() -> None:
    assert compile_phrases([]) is None
    assert compile_phrases(["“”", "  "]) is None


def test_negation_reaches_only_inside_its_clause() -> None:
    pattern = compile_phrases(["保证收益"])
    assert pattern is not None
    negated = "我不会保证收益"
    assert list(asserted_hits(pattern, Clauses(negated))) == []
    separate = "我不会推脱，保证收益"  # the negation belongs to the previous clause
    assert len(list(asserted_hits(pattern, Clauses(separate)))) == 1


@pytest.mark.parametrize(
    ("trigger", "text", "asserted"),
    [
        # reported: a salesperson's or a customer's words, the demand continuing their clause
        ("保证收益", "如果当时销售说了保证收益之类的话，那是我们的问题，我会上报", False),
        ("保本", "假如理财经理承诺过保本，我会如实上报", False),
        ("保本", "客户说智能客服不行，要求保本", False),
        ("guarantee", "If the adviser said it was guaranteed, I report it", False),
        ("promise", "I can\u2019t promise you won\u2019t lose money", False),  # curly apostrophe
        # asserted: the candidate's own words, or a supposition's consequence
        ("保证收益", "如果客户坚持，我就保证收益", True),
        ("稳赚不赔", "我跟客户说这个稳赚不赔", True),
        ("保本", "这款产品保本保息", True),
    ],
)
def test_deductions_skip_reported_and_supposed_speech(
    trigger: str, text: str, asserted: bool
) -> None:
    pattern = compile_phrases([trigger])
    assert pattern is not None
    hits = list(asserted_hits(pattern, Clauses(normalize(text).text)))
    assert bool(hits) is asserted


@pytest.mark.parametrize(
    ("text", "matches"),
    [
        ("样品B的质量最大。", True),
        ("样品B在三个样品里质量最大。", True),
        ("B的质量最小，C的质量最大。", False),  # the gap would jump over B's own comparison
        ("B最小，A最大", False),
        ("B更轻，所以C最大", False),
    ],
)
def test_a_gap_before_a_comparison_holds_no_other(text: str, matches: bool) -> None:
    pattern = compile_phrases(["B*最大"], gaps=True)
    assert pattern is not None
    assert (pattern.search(normalize(text).text) is not None) is matches


@pytest.mark.parametrize(
    ("text", "matches"),
    [
        ("5朝相反的方向移动了", True),  # a 的 between a modifier and its noun
        ("移到了最终的位置", True),
        ("相反方向", True),
        ("相反，方向", False),  # a clause break is no particle
        ("相反地方向", False),  # only 的
    ],
)
def test_a_key_points_chinese_phrasing_takes_a_de_between_its_words(
    text: str, matches: bool
) -> None:
    pattern = compile_phrases(["相反方向", "最终位置"], gaps=True)
    assert pattern is not None
    assert (pattern.search(normalize(text).text) is not None) is matches


def test_a_deductions_trigger_keeps_its_characters_together() -> None:
    pattern = compile_phrases(["保证收益"])
    assert pattern is not None
    assert pattern.search(normalize("有保证的收益").text) is None
