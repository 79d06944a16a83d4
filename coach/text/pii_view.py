"""The text as the personal-data detectors read it, with a map back to the original.

People write the same number in many ways, and some of them hide it from a pattern that a
reader (or a model) still reads through. The detection view undoes them:

* one character for one: full-width ASCII, other scripts' decimal digits, odd spaces, dashes
  and middle dots, and Unicode tag characters (invisible copies of ASCII) become their ASCII;
* characters that show nothing are dropped: zero-width spaces and joiners, the word joiner,
  the byte-order mark, soft hyphens, bidi controls, variation selectors and combining marks
  (``138\\u200b1234\\u00ad5678`` is a phone number on screen);
* Chinese numerals read out digit by digit become digits: a run of three or more of
  ``〇零一二三四五六七八九幺`` or the financial ``壹贰叁…`` (``一三八…``, ``幺三八…``); a single
  ``一`` in prose is left alone, so ``第一13812345678`` still holds a phone number;
* digits spelled one by one with the same separator between (``1 3 8 1 2 3 4 5 6 7 8``,
  ``1.3.8…``, ``1-3-8…``) lose the separators, when seven or more digits are spelled.

Offsets: `View.span` maps a range of the view back to the original range it came from, a
dropped character inside a value becoming part of it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["View", "view_of"]


# Full-width punctuation in every Chinese sentence, which no pattern needs folded (each accepts
# both forms where it matters): keeping it lets most answers skip folding altogether.
_KEPT = frozenset(map(ord, "！（），：；？"))


class _FoldTable(dict[int, str]):
    """`str.translate` table, one character for one, so folded offsets are original offsets.

    Full-width ASCII, tag characters and odd spaces and dashes are listed; any other Unicode
    decimal digit (Arabic-Indic, mathematical, ...) becomes its ASCII digit when first seen.
    """

    def __missing__(self, code: int) -> str:
        char = chr(code)
        folded = str(int(char)) if char.isdecimal() else char
        self[code] = folded
        return folded


FOLD = _FoldTable(
    {
        **{code: chr(code - 0xFEE0) for code in range(0xFF01, 0xFF5F) if code not in _KEPT},
        **{code: chr(code - 0xE0000) for code in range(0xE0020, 0xE007F)},
        **dict.fromkeys((0x00A0, *range(0x2000, 0x200B), 0x202F, 0x205F, 0x3000), " "),
        **dict.fromkeys((*range(0x2010, 0x2016), 0x2212, 0xFE58, 0xFE63), "-"),
        0xFE6B: "@",
        0xFE52: ".",
        **dict.fromkeys((0x00B7, 0x2022, 0x2027, 0x30FB), "."),  # middle dots: 138·1234·5678
    }
)

# Characters that show nothing, or nothing of their own: format characters (zero-width space,
# joiners, word joiner, bidi controls, byte-order mark, soft hyphen, Mongolian vowel separator),
# Hangul fillers, variation selectors, combining marks and tag controls. A reader's eye, and a
# model's tokenizer, goes straight through them.
INVISIBLE = re.compile(
    "[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u202a-\u202e"
    "\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0\u0300-\u036f\u20d0-\u20ff"
    "\U000e0000-\U000e001f\U000e007f\U000e0100-\U000e01ef]+"
)
# The characters most answers are made of, none of which folding changes or drops: ASCII, CJK
# ideographs and punctuation, and the full-width punctuation kept above. An answer of these
# alone (most are) is its own view; any other character sends it through folding. (A negated
# class is one test per character, several times faster than listing what folding changes.)
_UNUSUAL = re.compile(
    "[^\x00-\x7f\u3001-\u303f\u3400-\u4dbf\u4e00-\u9fff"
    "\uff01\uff08\uff09\uff0c\uff1a\uff1b\uff1f\u2018\u2019\u201c\u201d\u2026]"
)
_NUMERAL_DIGITS = {
    "0": "〇零",
    "1": "一幺壹",
    "2": "二贰貳",
    "3": "三叁參叄",
    "4": "四肆",
    "5": "五伍",
    "6": "六陆陸",
    "7": "七柒",
    "8": "八捌",
    "9": "九玖",
}
_NUMERALS = {ord(char): digit for digit, chars in _NUMERAL_DIGITS.items() for char in chars}
_NUMERAL_CLASS = "[" + "".join(_NUMERAL_DIGITS.values()) + "]"
# Three or more numerals, a single separator allowed between two of them ("幺三八 幺二三四").
NUMERAL_RUN = re.compile(f"{_NUMERAL_CLASS}(?:[ .-]?{_NUMERAL_CLASS}){{2,}}")
# Seven or more single digits with the same separator between each two ("1 3 8 1 2 3 4");
# an ID's check letter may end the run.
_SPELLED = re.compile(r"(?<![0-9])[0-9]([ .·-])[0-9](?:\1[0-9]){5,}(?:\1[Xx])?(?![0-9A-Za-z])")
# The same run led by a digit rather than a look-behind: several times faster to scan for, so
# it decides whether `_SPELLED` runs at all.
_SPELLED_HINT = re.compile(r"[0-9]([ .·-])[0-9](?:\1[0-9]){5,}")


@dataclass(frozen=True, slots=True)
class View:
    """The detection view of `original`; `origin[i]` is the original index of `text[i]`
    (None when the view has the original's length, character for character)."""

    text: str
    origin: tuple[int, ...] | None

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The original range that view characters `[start, end)` came from."""
        if self.origin is None:
            return start, end
        return self.origin[start], self.origin[end - 1] + 1


def view_of(text: str) -> View:
    """The detection view of `text`."""
    folded = text
    origin: list[int] | None = None
    if _UNUSUAL.search(text):
        folded = text.translate(FOLD)
        hidden = [match.span() for match in INVISIBLE.finditer(folded)]
        if hidden:
            folded, origin = _drop_spans(folded, origin, hidden)
    if NUMERAL_RUN.search(folded):
        folded = NUMERAL_RUN.sub(lambda run: run[0].translate(_NUMERALS), folded)
    if sum(map(folded.count, "0123456789")) >= 7 and _SPELLED_HINT.search(folded):
        separators = [
            (match.start() + offset, match.start() + offset + 1)
            for match in _SPELLED.finditer(folded)
            for offset in range(1, len(match[0]), 2)
        ]
        folded, origin = _drop_spans(folded, origin, separators)
    return View(folded, None if origin is None else tuple(origin))


def _drop_spans(
    text: str, origin: list[int] | None, spans: list[tuple[int, int]]
) -> tuple[str, list[int]]:
    """`text` without the characters of `spans` (sorted, disjoint), and the new map back."""
    before = origin if origin is not None else range(len(text))
    kept: list[str] = []
    new_origin: list[int] = []
    position = 0
    for start, end in spans:
        kept.append(text[position:start])
        new_origin += before[position:start]
        position = end
    kept.append(text[position:])
    new_origin += before[position:]
    return "".join(kept), new_origin
