"""Evidence quotes cut from an answer: around a hit, bounded in length, whole words.

A quote is the clause around a hit (`Clauses.around`), then held to `MAX_QUOTE_CHARS`: a hit
longer than that (a run of filler, the question pasted) is quoted by its beginning, never whole.
Letters and digits are not cut in the middle of a word: a quote's edges move inwards to the
nearest word boundary, never past the hit itself. Chinese text has no words to keep whole, so
only Latin words and numbers are affected.
"""

from __future__ import annotations

import re
from typing import Any

from coach.text.content import CLOSING_BRACKETS, OPENING_BRACKETS
from coach.text.match import Clauses
from coach.text.normalize import NormalizedText

MAX_QUOTE_CHARS = 120  # the longest quote, in normalized characters
MAX_ORIGINAL_CHARS = 2 * MAX_QUOTE_CHARS  # and in the answer as written (folding may shrink it)


def _inside_word(text: str, index: int) -> bool:
    """True when `index` falls between two characters of one Latin word or number."""
    # (No helper call per character: this runs a few times for every evidence quote.)
    if not 0 < index < len(text):
        return False
    before, after = text[index - 1], text[index]
    return before.isascii() and before.isalnum() and after.isascii() and after.isalnum()


def quote_span(clauses: Clauses, start: int, end: int, before: int, chars: int) -> tuple[int, int]:
    """The folded span quoted as evidence of the hit `[start, end)` of `clauses.text`."""
    text = clauses.text
    first, last = clauses.around(start, end, before, chars)
    floor = end  # the quote holds the whole hit...
    if last - first > MAX_QUOTE_CHARS:  # ...unless the hit itself is long: then its beginning
        last = max(first + MAX_QUOTE_CHARS, start + 1)
        floor = min(end, start + 1)
    while first < start and _inside_word(text, first):
        first += 1
    while last > floor and _inside_word(text, last):
        last -= 1
    while first < start and text[first] == " ":
        first += 1
    while last > floor and text[last - 1] == " ":
        last -= 1
    return first, last


def answer_evidence(
    answer: NormalizedText, clauses: Clauses, start: int, end: int, before: int, chars: int
) -> dict[str, Any]:
    """The evidence quote of the hit `[start, end)` of `answer.text` (`clauses` are its
    clauses): its span (`quote_span`) kept to the part of the answer that holds the hit."""
    first, last = quote_span(clauses, start, end, before, chars)
    first, last = _within_parts(answer, first, last, start, end)
    return quote_evidence(answer, first, last)


# Where a part of an answer ends: a line, or an aside in brackets.
_PART_EDGE = re.compile(f"[\n{re.escape(OPENING_BRACKETS + CLOSING_BRACKETS)}]")


def _within_parts(
    answer: NormalizedText, first: int, last: int, start: int, end: int
) -> tuple[int, int]:
    """`[first, last)` cut back to the part of the answer holding the hit `[start, end)`: its
    lines, outside or inside an aside in brackets. Folding joins a line to the next (a Chinese
    sentence may wrap mid-word) and drops brackets, so a clause can run across either; the
    quote does not: the text beyond may be planted beside the point."""
    original = answer.original
    begin, stop = answer.original_span(first, last)
    hit_begin, hit_stop = answer.original_span(start, end)
    before = [m.end() for m in _PART_EDGE.finditer(original, begin, hit_begin)]
    if before and answer.folded_index(before[-1]) > first:
        first = answer.folded_index(before[-1])
    after = _PART_EDGE.search(original, hit_stop, stop)
    if after is not None and answer.folded_index(after.start()) < last:
        last = answer.folded_index(after.start())
    return first, last


def quote_evidence(answer: NormalizedText, first: int, last: int) -> dict[str, Any]:
    """The answer's own words behind folded `[first, last)`, with their offsets, as `Evidence`
    data; at most `MAX_ORIGINAL_CHARS` of them (blank lines fold to one space)."""
    begin, stop = answer.original_span(first, last)
    if stop - begin > MAX_ORIGINAL_CHARS:
        stop = begin + MAX_ORIGINAL_CHARS
        while stop > begin + 1 and _inside_word(answer.original, stop):
            stop -= 1
    return {"quote": answer.as_written[begin:stop], "start": begin, "end": stop}


def run_evidence(original: str, start: int, end: int) -> dict[str, Any]:
    """A run of the original text (punctuation, blank lines) quoted by at most
    `MAX_QUOTE_CHARS` of its beginning."""
    stop = min(end, start + MAX_QUOTE_CHARS)
    return {"quote": original[start:stop], "start": start, "end": stop}
