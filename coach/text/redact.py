"""Personal data removed from an answer before it is sent to an LLM provider.

LLM grading sends the candidate's answer to a third party. Candidates in customer-service
interviews often act out a call and type real-looking contact details, so every value of these
kinds is replaced by a typed, numbered placeholder (``[PHONE_1]``, ``[ID_NUMBER_1]``,
``[BANK_CARD_1]``, ``[EMAIL_1]``) before any request leaves the machine:

* mainland mobile numbers: ``1[3-9]`` plus 9 digits, optionally ``+86``/``86``/``0086`` first,
  optionally grouped 3-4-4 by single spaces or dashes;
* resident ID numbers: 17 digits and a digit or ``X``, with a valid ISO 7064 MOD 11-2 check
  character and a real birth date from 1900-01-01 to today (grouping 6-8-4 allowed); 15-digit
  legacy IDs with a valid ``YYMMDD`` date only right after a label such as 身份证;
* bank card numbers: 15-19 digits, plain or grouped in fours (or 4-6-5), passing the Luhn check;
  any 12-19 digits, Luhn or not, right after a label such as 卡号, 账号 or card number;
* e-mail addresses ``local@domain.tld``, also glued to Chinese text.

Detection runs on a copy folded one character for one (full-width ASCII, other Unicode digits,
odd spaces and dashes), so ``１３８…`` and ``＠`` are caught while offsets stay those of the
original text. `Redaction.original_span` maps a range of the redacted text back, so evidence an
LLM quotes can be located in the candidate's own words.

Known limits (false negatives first):

* only these four kinds: names, addresses, landlines, passport, QQ or WeChat ids pass through;
* digits in Chinese numerals or words, split by anything but one space or dash (dots, two
  spaces, zero-width characters), phones grouped other than 3-4-4, or glued to Latin letters
  or digits (``AB13812345678``) are not seen: a value is never cut out of a longer token,
  except a phone glued to a label (``Tel13812345678``, ``phone…``, ``mobile…``, ``cell…``);
* an ID with a wrong check character or date is not an ID (it may still be caught as a card);
  labelled account numbers longer than 19 digits are not caught;
* e-mail addresses with non-ASCII local parts or domains, or spelled out (``at``, ``dot``);
* false positives are preferred: any 15-19 digit run passing Luhn (one in ten) is redacted,
  and pure-digit order numbers that look like a mobile number are redacted too.

Ordinary amounts, dates, times, percentages and years are too short or the wrong shape, and a
number followed by a unit such as 元, 万 or % is never taken for personal data.

Nothing here logs or prints, and no error message carries a raw value.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from types import MappingProxyType
from typing import Literal

__all__ = ["PiiKind", "Redaction", "Replacement", "redact"]

PiiKind = Literal["phone", "id_number", "bank_card", "email"]

_PLACEHOLDER_NAMES: Mapping[PiiKind, str] = {
    "phone": "PHONE",
    "id_number": "ID_NUMBER",
    "bank_card": "BANK_CARD",
    "email": "EMAIL",
}
# When candidates of equal length cover the same characters: a valid ID is an ID, not a card.
_PRIORITY: Mapping[PiiKind, int] = {"id_number": 0, "phone": 1, "bank_card": 2, "email": 3}


@dataclass(frozen=True, slots=True)
class Replacement:
    """One replaced value: `original[start:end]` became `text[text_start:text_end]`."""

    kind: PiiKind
    start: int
    end: int
    text_start: int
    text_end: int


@dataclass(frozen=True, slots=True, repr=False)
class Redaction:
    """An answer with its personal data replaced, and the map back to the original."""

    original: str
    text: str
    counts: Mapping[PiiKind, int]  # replaced occurrences (not distinct values) per kind found
    replacements: tuple[Replacement, ...]  # sorted, non-overlapping

    @property
    def found(self) -> bool:
        """True when anything was replaced."""
        return bool(self.replacements)

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """The range of `original` that `text[start:end]` came from.

        A range touching part of a placeholder expands to the whole original value; other
        characters map one for one.
        """
        if not 0 <= start < end <= len(self.text):
            raise ValueError(
                f"span [{start}, {end}) is empty or outside the redacted text "
                f"(length {len(self.text)})"
            )
        return self._origin(start)[0], self._origin(end - 1)[1]

    def _origin(self, index: int) -> tuple[int, int]:
        """The original range behind redacted character `index`."""
        k = bisect_right(self.replacements, index, key=lambda r: r.text_start) - 1
        if k < 0:
            return index, index + 1
        last = self.replacements[k]
        if index < last.text_end:
            return last.start, last.end
        origin = last.end + index - last.text_end
        return origin, origin + 1

    def __repr__(self) -> str:
        # `original` holds the raw values: keep it out of logs, tracebacks and test reports.
        return f"Redaction(text={self.text!r}, counts={dict(self.counts)!r})"

    def __hash__(self) -> int:
        return hash((self.original, self.text, self.replacements))


def redact(text: str) -> Redaction:
    """Replace every phone, ID, bank card and e-mail value in `text` by a placeholder."""
    if not _may_hold_pii(text):
        return Redaction(text, text, MappingProxyType({}), ())
    found = _detect(text.translate(_FOLD))
    numbers: dict[tuple[PiiKind, str], int] = {}
    per_kind: dict[PiiKind, int] = {}
    counts: dict[PiiKind, int] = {}
    parts: list[str] = []
    replacements: list[Replacement] = []
    position = length = 0
    for hit in found:
        number = numbers.get((hit.kind, hit.key))
        if number is None:  # numbered per distinct value, in order of first appearance
            number = per_kind[hit.kind] = per_kind.get(hit.kind, 0) + 1
            numbers[hit.kind, hit.key] = number
        counts[hit.kind] = counts.get(hit.kind, 0) + 1
        placeholder = f"[{_PLACEHOLDER_NAMES[hit.kind]}_{number}]"
        parts += (text[position : hit.start], placeholder)
        length += hit.start - position
        end = length + len(placeholder)
        replacements.append(Replacement(hit.kind, hit.start, hit.end, length, end))
        length += len(placeholder)
        position = hit.end
    parts.append(text[position:])
    return Redaction(text, "".join(parts), MappingProxyType(counts), tuple(replacements))


# --- folding ---------------------------------------------------------------------------------


class _FoldTable(dict[int, str]):
    """`str.translate` table, one character for one, so folded offsets are original offsets.

    Full-width ASCII and odd spaces and dashes are listed; any other Unicode decimal digit
    (Arabic-Indic, mathematical, ...) becomes its ASCII digit when first seen.
    """

    def __missing__(self, code: int) -> str:
        char = chr(code)
        folded = str(int(char)) if char.isdecimal() else char
        self[code] = folded
        return folded


_FOLD = _FoldTable(
    {
        **{code: chr(code - 0xFEE0) for code in range(0xFF01, 0xFF5F)},
        **dict.fromkeys((0x00A0, *range(0x2000, 0x200B), 0x202F, 0x205F, 0x3000), " "),
        **dict.fromkeys((*range(0x2010, 0x2016), 0x2212, 0xFE58, 0xFE63), "-"),
        0xFE6B: "@",
        0xFE52: ".",
    }
)

# --- patterns (run on the folded text) ------------------------------------------------------

# Not cut out of a longer token, nor out of a decimal such as 0.13812345678.
_B = r"(?<![0-9A-Za-z])(?<![0-9]\.)"
# ... and not an amount: 13812345678元 is money, not a phone.
_UNITS = r"元|块|圆|角|万|亿|%|‰|美元|美金|港元|港币|(?i:rmb|cny|usd)"
_E = rf"(?![0-9A-Za-z])(?!\.[0-9])(?! ?(?:{_UNITS}))"
# Between a label and its number: a few characters, no digit (so no other number), no sentence
# end, no control character (the mask used between detection rounds is one).
_GAP = r"[^\x00-\x1f0-9。！？!?；;]{0,8}"

# ... except right after a phone label typed without a space ("Tel18238825922"): there the
# letters name the number rather than being part of a code.
_PHONE_GLUE = "|".join(f"(?<=(?i:{label}))" for label in ("tel", "phone", "mobile", "cell"))
_PHONE = re.compile(
    f"(?:{_B}|{_PHONE_GLUE})"
    + r"(?:(?:\+|00)?86[ -]?)?(1[3-9][0-9][ -]?[0-9]{4}[ -]?[0-9]{4})"
    + _E
)
_ID = re.compile(_B + r"[0-9]{6}[ -]?[0-9]{8}[ -]?[0-9]{3}[0-9Xx]" + _E)
_CARD_PLAIN = re.compile(_B + r"[0-9]{15,19}" + _E)
_CARD_GROUPED = (
    re.compile(_B + r"[0-9]{4}(?:[ -][0-9]{4})+(?:[ -][0-9]{1,4})?" + _E),
    re.compile(_B + r"[0-9]{4}[ -][0-9]{6}[ -][0-9]{5}" + _E),  # American Express layout
)
_CARD_LABEL = (
    r"(?:卡号|卡號|银行卡|銀行卡|储蓄卡|儲蓄卡|信用卡|借记卡|借記卡|账号|帐号|賬號|帳號|账户|帐户|賬戶|帳戶"
    r"|(?<![A-Za-z])(?i:card ?(?:number|no)|account ?(?:number|no)|acct|bank ?card"
    r"|credit ?card|debit ?card))"
)
# Groups of three or more digits (the last may be shorter), so "2026-12-01 2026-12-31" is not
# one labelled 16-digit number.
_CARD_LABELLED = re.compile(
    _CARD_LABEL + _GAP + _B + r"(?P<v>[0-9]{3,}(?:[ -][0-9]{3,})*(?:[ -][0-9]{1,2})?)" + _E
)
_ID_LABEL = (
    r"(?:身份证|身份證|证件号|證件號|(?<![A-Za-z])(?i:id ?card ?(?:number|no)?|id ?(?:number|no)))"
)
_LEGACY_ID = re.compile(_ID_LABEL + _GAP + _B + r"(?P<v>[0-9]{15})" + _E)
_EMAIL = re.compile(
    r"(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]+@"
    r"(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,24}"
)
_DIGIT_RUNS = re.compile(r"[0-9]+")
_ANY_DIGIT = re.compile(r"\d")  # any script's decimal digits: the ones folding makes ASCII
_FEWEST_DIGITS = 11  # a mobile number; IDs have 15 or 18, cards 12 (labelled) to 19
_MASK = "\x00"  # not a digit, letter, separator or gap character: blocks every pattern

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECKS = "10X98765432"
_EARLIEST_BIRTH = date(1900, 1, 1)


@dataclass(frozen=True, slots=True)
class _Hit:
    start: int
    end: int
    kind: PiiKind
    key: str  # canonical value, so "138 1234 5678" and "+8613812345678" share a placeholder


def _may_hold_pii(text: str) -> bool:
    """False when no pattern can match: every number kind needs 11 digits or more (a phone
    has 11), and an e-mail needs an at sign. Most answers hold neither, and this check costs a
    fraction of running the patterns. Folding turns only decimal digits (which `\\d` matches
    in any script) into ASCII digits, and only the three at signs below into "@"."""
    if "@" in text or "\uff20" in text or "\ufe6b" in text:
        return True
    return len(_ANY_DIGIT.findall(text)) >= _FEWEST_DIGITS


def _detect(folded: str) -> list[_Hit]:
    """Non-overlapping hits, by position.

    Rounds repeat on a copy with the found values masked, until a round finds nothing: a value
    that was blocked by an alphanumeric neighbour that turned out to be part of another value
    (``a@163.com13812345678``) is found then, so redacting the output again changes nothing.
    """
    hits: list[_Hit] = []
    masked = folded
    while new := _select(_candidates(masked)):
        hits += new
        chars = list(masked)
        for hit in new:
            chars[hit.start : hit.end] = _MASK * (hit.end - hit.start)
        masked = "".join(chars)
    return sorted(hits, key=lambda hit: hit.start)


def _select(candidates: Iterator[_Hit]) -> list[_Hit]:
    """Longest candidates first (a card beats the phone-like digits inside it), then priority."""
    chosen: list[_Hit] = []
    for hit in sorted(candidates, key=lambda h: (h.start - h.end, _PRIORITY[h.kind], h.start)):
        if all(hit.end <= other.start or other.end <= hit.start for other in chosen):
            chosen.append(hit)
    return chosen


def _candidates(folded: str) -> Iterator[_Hit]:
    for match in _PHONE.finditer(folded):
        yield _Hit(match.start(), match.end(), "phone", _digits(match[1]))
    for match in _ID.finditer(folded):
        value = _digits(match[0]).upper()
        if _valid_id(value):
            yield _Hit(match.start(), match.end(), "id_number", value)
    for match in _LEGACY_ID.finditer(folded):
        if _valid_date(1900 + int(match["v"][6:8]), match["v"][8:10], match["v"][10:12]):
            yield _Hit(match.start("v"), match.end("v"), "id_number", match["v"])
    for match in _CARD_PLAIN.finditer(folded):
        if _luhn(match[0]):
            yield _Hit(match.start(), match.end(), "bank_card", match[0])
    for pattern in _CARD_GROUPED:
        for match in pattern.finditer(folded):
            yield from _card(match.start(), match[0], 15, labelled=False)
    for match in _CARD_LABELLED.finditer(folded):
        yield from _card(match.start("v"), match["v"], 12, labelled=True)
    for match in _EMAIL.finditer(folded):
        yield _Hit(match.start(), match.end(), "email", match[0].lower())


def _card(start: int, grouped: str, shortest: int, *, labelled: bool) -> Iterator[_Hit]:
    """The longest leading groups of `grouped` that make a card number, if any.

    A grouped run may go on past the card ("6222 0212 3456 7890 2026年"), so shorter prefixes
    ending on a group are tried when the whole run is not a card.
    """
    digits = ""
    prefixes: list[tuple[int, str]] = []
    for run in _DIGIT_RUNS.finditer(grouped):
        digits += run[0]
        prefixes.append((run.end(), digits))
    for end, value in reversed(prefixes):
        if shortest <= len(value) <= 19 and (labelled or _luhn(value)):
            yield _Hit(start, start + end, "bank_card", value)
            return


def _digits(value: str) -> str:
    return value.replace(" ", "").replace("-", "")


def _luhn(digits: str) -> bool:
    total = 0
    for position, char in enumerate(reversed(digits)):
        digit = ord(char) - 48
        if position % 2:
            digit = digit * 2 - 9 if digit > 4 else digit * 2
        total += digit
    return total % 10 == 0


def _valid_id(value: str) -> bool:
    """ISO 7064 MOD 11-2 check character and a real birth date (characters 7-14)."""
    total = sum(int(char) * weight for char, weight in zip(value[:17], _ID_WEIGHTS, strict=True))
    if _ID_CHECKS[total % 11] != value[17]:
        return False
    return _valid_date(int(value[6:10]), value[10:12], value[12:14])


def _valid_date(year: int, month: str, day: str) -> bool:
    try:
        born = date(year, int(month), int(day))
    except ValueError:
        return False
    return _EARLIEST_BIRTH <= born <= date.today()
