"""One way of writing a formula, so that a rubric's formula meets the answer's.

Candidates write the same formula many ways: "ai = 3n - 3*(i - 1)", "ai=3n-3(i-1)",
"3×(n-i+1)". Normalization already drops brackets; this folds the rest, on normalized text:

* around an operator between two terms, spaces go when one of the terms is a number or a
  one-letter name ("3n - 3" is "3n-3", "i - 1" is "i-1"); words stay apart ("rinse - then");
* a times sign (``*``, ``×``, ``·``) before a letter goes, as in writing: "3*n" and "3×n" are
  "3n"; between two numbers it is kept, as ``*`` ("2×3" is "2*3", never "23").

Only operators with a term on both sides change: "·" between two names ("约翰·史密斯") and a "*"
that opens a list item stay as they are.
"""

from __future__ import annotations

import re

_TIMES = "*×·"
# An operator with the spaces around it; only one with a space or a times sign can change.
_CANDIDATE = re.compile(r" ?[-+*/=<>^×·] | [-+*/=<>^×·]|[*×·]")


def _is_term(char: str) -> bool:
    return char.isascii() and char.isalnum()


def _atom_before(text: str, end: int) -> bool:
    """Whether the term ending at `end` (exclusive) is a number or a one-letter name."""
    return text[end - 1].isdigit() or end < 2 or not text[end - 2].isalpha()


def _atom_after(text: str, start: int) -> bool:
    """Whether the term starting at `start` is a number or a one-letter name."""
    return text[start].isdigit() or not text[start + 1 : start + 2].isalpha()


def formula_spans(text: str) -> list[tuple[int, int, str]]:
    """`(start, end, replacement)` for each operator of normalized `text` written apart from
    its one way (see the module), in order; empty when there is none."""
    if _CANDIDATE.search(text) is None:
        return []
    spans = []
    for match in _CANDIDATE.finditer(text):
        start, end = match.span()
        if start == 0 or end == len(text):
            continue
        before, after = text[start - 1], text[end]
        if not (_is_term(before) and _is_term(after)):
            continue
        if not (_atom_before(text, start) or _atom_after(text, end)):
            continue
        operator = match.group().strip(" ")
        if operator in _TIMES:
            # A sign before a letter is dropped, as in writing; between numbers it is kept.
            operator = "" if after.isalpha() and _atom_before(text, start) else "*"
        if operator != match.group():
            spans.append((start, end, operator))
    return spans
