"""Identity documents other than the mainland resident ID: Hong Kong, Macau and Taiwan IDs, and
passports.

A letter and a few digits is also the shape of a product code or a model number, so an
unlabelled value must carry its check digit (Hong Kong, Taiwan) or the layout only the
document has (Hong Kong's and Macau's check digit in brackets, ``A123456(3)``,
``1234567(8)``; a mainland passport's ``E`` and eight digits). After a label (香港身份证,
护照, passport, ...) the layout alone is enough.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from coach.text.pii_base import GAP, Hit

__all__ = ["candidates"]

_LETTER_EDGE = r"(?<![0-9A-Za-z])"
_TOKEN_END = r"(?![0-9A-Za-z])"
# After a label the value may be glued to it (HKIDC348801(0)): only a digit may not come before.
_DIGIT_EDGE = r"(?<![0-9])"

# Hong Kong: one or two letters, six digits, a check character (0-9 or A), usually bracketed.
_HK_ID = re.compile(
    "(?=[A-Za-z])" + _LETTER_EDGE + r"(?P<letters>[A-Za-z]{1,2}) ?(?P<digits>[0-9]{6}) ?"
    r"(?:[(（](?P<bracketed>[0-9Aa])[)）]|(?P<bare>[0-9A]))" + _TOKEN_END
)
_HK_LABEL = r"(?:香港身份证|香港身份證|港澳居民|(?<![A-Za-z])(?i:hkid|hong ?kong id))"
_HK_LABELLED = re.compile(
    "(?=[香港hH])"
    + _HK_LABEL
    + GAP
    + _DIGIT_EDGE
    + r"(?P<v>[A-Z]{1,2}[0-9]{6} ?[(（]?[0-9A][)）]?)"
    + _TOKEN_END
)
# Macau: 1, 5 or 7, six digits, a bracketed check digit.
_MO_ID = re.compile("(?=[157])" + _LETTER_EDGE + r"[157][0-9]{6}[(（][0-9][)）]" + _TOKEN_END)
_MO_LABELLED = re.compile(
    r"(?=[澳mMbB])(?:澳门身份证|澳門身份證|(?<![A-Za-z])(?i:macau id|bir))"
    + GAP
    + _DIGIT_EDGE
    + r"(?P<v>[157][0-9]{6}[(（]?[0-9][)）]?)"
    + _TOKEN_END
)
# Taiwan: a letter, 1 or 2 (citizens) or 8 or 9 (resident certificates), eight digits.
_LETTER_DIGIT = re.compile("[A-Za-z] ?[0-9]")
_MO_MARKS = ("(", "（", "澳", "BIR", "bir", "Bir", "acau", "ACAU")
_BRACKETS = re.compile(r"[()（） ]")
_TW_ID = re.compile("(?=[A-Za-z])" + _LETTER_EDGE + r"[A-Za-z][1289][0-9]{8}" + _TOKEN_END)
_TW_LETTERS = dict(zip("ABCDEFGHJKLMNPQRSTUVXYWZIO", range(10, 36), strict=True))
# Mainland passports: E and eight digits, E, a letter (not I or O) and seven digits, and the
# older G and eight digits. After a label, any one or two letters and seven or eight digits
# (diplomatic, service and Hong Kong or Macau travel permits look so).
_PASSPORT = re.compile(
    "(?=[EG])" + _LETTER_EDGE + r"(?:E[0-9]{8}|E[A-HJ-NP-Z][0-9]{7}|G[0-9]{8})" + _TOKEN_END
)
_PASSPORT_LABELLED = re.compile(
    r"(?=[护護通pP])(?:护照|護照|通行证|通行證|(?<![A-Za-z])(?i:passport))"
    + GAP
    + _DIGIT_EDGE
    + r"(?P<v>[A-Za-z]{1,2}[0-9]{7,8})"
    + _TOKEN_END
)


def candidates(view: str, digits: int) -> Iterator[Hit]:
    """Every document-number candidate in `view`, which holds `digits` ASCII digits."""
    if digits < 6:
        return
    if _LETTER_DIGIT.search(view):
        yield from _lettered(view)
    if any(mark in view for mark in _MO_MARKS):
        for match in _MO_ID.finditer(view):
            yield Hit(match.start(), match.end(), "mo_id", _plain(match[0]))
        for match in _MO_LABELLED.finditer(view):
            yield Hit(match.start("v"), match.end("v"), "mo_id", _plain(match["v"]))


def _lettered(view: str) -> Iterator[Hit]:
    """Hong Kong and Taiwan IDs and passports: each has a letter before its digits."""
    for match in _HK_ID.finditer(view):
        letters, check = match["letters"].upper(), (match["bracketed"] or match["bare"]).upper()
        # Brackets around the last character are the document's own layout; without them, an
        # upper-case, unspaced value must carry its check character.
        bare_ok = " " not in match[0] and match["letters"].isupper()
        if match["bracketed"] or (bare_ok and hk_check(letters, match["digits"]) == check):
            yield Hit(match.start(), match.end(), "hk_id", letters + match["digits"] + check)
    for match in _HK_LABELLED.finditer(view):
        yield Hit(match.start("v"), match.end("v"), "hk_id", _plain(match["v"]))
    for match in _TW_ID.finditer(view):
        value = match[0].upper()
        if tw_valid(value):
            yield Hit(match.start(), match.end(), "tw_id", value)
    for match in _PASSPORT.finditer(view):
        yield Hit(match.start(), match.end(), "passport", match[0])
    for match in _PASSPORT_LABELLED.finditer(view):
        yield Hit(match.start("v"), match.end("v"), "passport", match["v"].upper())


def _plain(value: str) -> str:
    return _BRACKETS.sub("", value).upper()


def hk_check(letters: str, digits: str) -> str:
    """The check character of a Hong Kong ID: weights 9 to 2 over two letter places (a blank,
    worth 36, when there is one letter; A-Z worth 10-35) and six digits, 11 minus the sum
    modulo 11, with 10 written A and 11 written 0."""
    values = [36] * (2 - len(letters)) + [ord(c) - 55 for c in letters]
    values += [ord(c) - 48 for c in digits]
    total = sum(value * weight for value, weight in zip(values, range(9, 1, -1), strict=True))
    check = (11 - total % 11) % 11
    return "A" if check == 10 else str(check)


def tw_valid(value: str) -> bool:
    """The Taiwan ID check: the letter as two digits (A=10 ... with I, O, W, Z out of order),
    weights 1, 9, 8, 7, ..., 1, 1 over the eleven digits, a sum divisible by 10."""
    code = _TW_LETTERS.get(value[0])
    if code is None:
        return False
    numbers = [code // 10, code % 10, *(ord(c) - 48 for c in value[1:])]
    weights = (1, 9, 8, 7, 6, 5, 4, 3, 2, 1, 1)
    return sum(n * w for n, w in zip(numbers, weights, strict=True)) % 10 == 0
