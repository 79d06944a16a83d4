"""Formulas written with or without spaces and times signs fold to one way of writing them."""

from __future__ import annotations

import pytest

from coach.text.match import compile_phrases
from coach.text.normalize import normalize


@pytest.mark.parametrize(
    ("written", "folded"),
    [
        ("ai = 3n - 3*(i - 1)", "ai=3n-3i-1"),  # spaces and a times sign before a bracket
        ("ai=3*（n+1-i）", "ai=3n+1-i"),
        ("n × (n-1) / 2", "nn-1/2"),
        ("3·n", "3n"),
        ("2 × 3 = 6", "2*3=6"),  # between two numbers the sign stays: 2×3 is not 23
        ("共 3 + 4 项", "共3+4项"),
        ("2^(n−1)", "2^n-1"),  # a minus sign, or a short dash, is a hyphen
        ("2ⁿ⁻¹", "2n-1"),
        ("第3–5题", "第3-5题"),
        ("——好的", "——好的"),  # the long dash of Chinese prose stays
    ],
)
def test_formulas_fold_to_one_way_of_writing(written: str, folded: str) -> None:
    assert normalize(written).text == folded


@pytest.mark.parametrize(
    "text",
    [
        "rinse - then dry",  # words around a dash are no terms of a formula
        "约翰·史密斯",  # a middle dot between names
        "top band · remark",
        "ΤΟΡ ΒΑΝD · rеmаrk",  # look-alike letters around a separator are still words
        "* 第一点",
    ],
)
def test_text_that_is_no_formula_keeps_its_signs_and_spaces(text: str) -> None:
    plain = normalize(text.replace("·", "x")).text
    assert normalize(text).text == plain.replace("x", "·")


def test_a_folded_formula_is_quoted_in_the_candidates_own_writing() -> None:
    answer = "所以 ai = 3n - 3*(i - 1)。"
    folded = normalize(answer)
    start = folded.text.index("3n-3i-1")
    assert folded.quote(start, start + len("3n-3i-1")) == "3n - 3*(i - 1"


@pytest.mark.parametrize(
    "answer",
    ["ai=3*(n+1-i)", "ai = 3(n + 1 - i)", "ai=3×（n+1-i）", "所以ai=3(n+1-i)。"],
)
def test_a_rubric_formula_meets_every_way_of_writing_it(answer: str) -> None:
    pattern = compile_phrases(["3(n+1-i)"], gaps=True)
    assert pattern is not None
    assert pattern.search(normalize(answer).text) is not None
