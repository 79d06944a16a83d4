"""A formula or number at a phrase's edge is held to its whole self: "n-1" is not in "2n-1"."""

from __future__ import annotations

import pytest

from coach.text.match import compile_phrases
from coach.text.normalize import normalize


@pytest.mark.parametrize(
    ("phrase", "answer", "matches"),
    [
        ("n-1", "there are n-1 branch nodes", True),
        ("n-1", "the count is 2n-1", False),  # a letter glued to a digit is part of the formula
        ("n-1个", "共有n-1个分支结点", True),  # an ASCII run at the edge of a mixed phrase
        ("n-1个", "共有2n-1个", False),
        ("1个", "只有1个", True),
        ("1个", "共21个", False),  # a number is not the tail of a longer one
        ("3n-", "ai=3n-3i+3", True),  # an operator at the edge: a digit may follow it
        ("ribosome", "1)nucleus2)ribosome3)membrane", True),  # a word keeps list numbers off
        ("one-time code", "a one-time code", True),  # a hyphen between words is no operator
        ("保证收益", "保证收益", True),  # no ASCII edge: a substring as before
    ],
)
def test_formula_edges(phrase: str, answer: str, matches: bool) -> None:
    pattern = compile_phrases([phrase])
    assert pattern is not None
    assert (pattern.search(normalize(answer).text) is not None) is matches
