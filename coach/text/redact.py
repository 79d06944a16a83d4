"""Personal data removed from an answer before it is sent to an LLM provider or stored.

LLM grading sends the candidate's answer to a third party. Candidates in customer-service
interviews often act out a call and type real-looking contact details, so every value of these
kinds is replaced by a typed, numbered placeholder before any request leaves the machine:

==========  ==================  ================================================================
kind        placeholder         what is taken
==========  ==================  ================================================================
phone       ``[PHONE_1]``       mainland mobiles, 1[3-9] and 9 digits, ``+86``/``0086``/``86``
                                optional, grouped by spaces, dashes or dots (groups of 3+);
                                numbers after +852, +853 or +886
landline    ``[LANDLINE_1]``    area code and local number (010-12345678, 0755 8888 6666,
                                (021)6123-4567, +86 10 1234 5678); a local number alone only
                                after 座机/固话/电话; never 400/800 or 95xxx service numbers
id_number   ``[ID_NUMBER_1]``   resident IDs with a valid check character and birth date;
                                15-digit legacy ones after a label
hk_id       ``[HK_ID_1]``       Hong Kong IDs: ``A123456(3)``, or unbracketed with a valid
                                check character, or any after 香港身份证/HKID
mo_id       ``[MO_ID_1]``       Macau IDs: ``1234567(8)``, or after 澳门身份证
tw_id       ``[TW_ID_1]``       Taiwan IDs with a valid check digit: ``A123456789``
passport    ``[PASSPORT_1]``    E12345678, EA1234567, G12345678; any letters and 7-8 digits
                                after 护照/通行证/passport
bank_card   ``[BANK_CARD_1]``   15-19 digits passing Luhn (plain or grouped), or 12-19 digits
                                after 卡号/账号/card number
email       ``[EMAIL_1]``       ``local@domain.tld``, also glued to Chinese text
qq          ``[QQ_1]``          5-11 digits after QQ/企鹅号/扣扣 (see `pii_labels`)
wechat      ``[WECHAT_1]``      an id after 微信/微信号/vx/v信/WeChat ID; ``wxid_…`` anywhere
name        ``[NAME_1]``        a name after 我叫/姓名/我是/本人/联系人/户名/…, my name is
                                (see `pii_names`)
address     ``[ADDRESS_1]``     an address down to the house, building or room number, with
                                the city and district before it (see `pii_address`)
==========  ==================  ================================================================

Detection runs on a view of the text (`pii_view`): full-width and other-script digits as
ASCII, zero-width characters, soft hyphens and other invisible characters dropped, Chinese
numerals read digit by digit (一三八…, 幺三八…, 壹贰叁…) as digits, and digits spelled one by one
(1 3 8 1 2 …) joined. `Redaction.original_span` maps a range of the redacted text back to the
original, so evidence an LLM quotes can be located in the candidate's own words.

Known limits (false negatives first):

* names: only after a cue, only common surnames, only Chinese names of two to four characters
  and capitalised Latin ones; nicknames (小王), names in the third person without 名叫/他叫/
  客户叫, and lowercase pinyin are not seen; after 我是/本人/他叫 the name must end the phrase
  (我是张伟今年… is missed);
* addresses need a house, building or room number after a road, an estate or a building;
  English addresses and villages (新华村3组15号) are not seen;
* QQ and WeChat ids need their label before them; after the English word "WeChat" a word
  without a digit, ``_`` or ``-`` needs "ID" or a colon; glued ids need a case change (VXabc);
* digits split other than by one space, dash or dot (two spaces, commas, mixed dots and
  spaces), a lone Chinese numeral among ASCII digits (13八12345678), numbers in words
  (一百三十八);
* values glued to Latin letters or digits (``AB13812345678``) are not cut out of the token,
  except a phone glued to a label (``Tel13812345678``);
* an ID with a wrong check character or date is not an ID (it may still be caught as a card);
  old-style Taiwan resident certificates (two letters) and foreign passports are not caught;
* e-mail addresses with non-ASCII parts or spelled out (``at``, ``dot``);
* false positives are preferred: any 15-19 digit run passing Luhn (one in ten) is a card, a
  product code shaped like a Hong Kong or Taiwan ID passes its check one time in ten or
  eleven, a branch address a clerk gives is an address, and 我是 followed by a surname-led word
  that ends the phrase (我是金牌。) may be taken for a name.

Ordinary amounts, dates, times, percentages, years and hotlines are too short or the wrong
shape, and a number followed by a unit such as 元, 万 or % is never taken for personal data.

Nothing here logs or prints, and no error message carries a raw value.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from types import MappingProxyType

from coach.text import pii_address, pii_documents, pii_labels, pii_names, pii_numbers
from coach.text.pii_base import Hit, PiiKind
from coach.text.pii_view import view_of

__all__ = ["PiiKind", "Redaction", "Replacement", "redact"]

_PLACEHOLDER_NAMES: Mapping[PiiKind, str] = {
    "phone": "PHONE",
    "landline": "LANDLINE",
    "id_number": "ID_NUMBER",
    "hk_id": "HK_ID",
    "mo_id": "MO_ID",
    "tw_id": "TW_ID",
    "passport": "PASSPORT",
    "bank_card": "BANK_CARD",
    "email": "EMAIL",
    "qq": "QQ",
    "wechat": "WECHAT",
    "name": "NAME",
    "address": "ADDRESS",
}
# When candidates of equal length cover the same characters: a valid ID is an ID, not a card;
# a labelled QQ number is a QQ number, a phone number given as a WeChat id a phone; EA1234567
# is a passport even when it passes the Hong Kong check.
_PRECEDENCE: tuple[PiiKind, ...] = (
    *("id_number", "passport", "tw_id", "mo_id", "hk_id", "qq", "phone", "landline"),
    *("bank_card", "wechat", "email", "address", "name"),
)
_PRIORITY: Mapping[PiiKind, int] = {kind: rank for rank, kind in enumerate(_PRECEDENCE)}
_MASK = "\x00"  # not a digit, letter, separator or gap character: blocks every pattern


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
    """A text with its personal data replaced by placeholders, and the map back.

    `text` is what may leave the machine; `original` still holds the raw values (it is kept
    out of `repr`). `counts` gives the replaced occurrences per kind found, and `replacements`
    where each one was, in both texts.
    """

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
    """Replace the personal data in `text` by numbered placeholders.

    Phones, landlines, resident, Hong Kong, Macau and Taiwan IDs, passports, bank cards,
    e-mail addresses, QQ and WeChat ids, names and street addresses become ``[PHONE_1]``,
    ``[NAME_1]``, ...; the same value (however it is written) gets the same number each time.
    Characters outside the replaced values are copied unchanged, and redacting the result again
    changes nothing. See this module's docstring for what is caught and what is missed.
    """
    view = view_of(text)
    found = _detect(view.text)
    if not found:
        return Redaction(text, text, MappingProxyType({}), ())
    numbers: dict[tuple[PiiKind, str], int] = {}
    per_kind: dict[PiiKind, int] = {}
    counts: dict[PiiKind, int] = {}
    parts: list[str] = []
    replacements: list[Replacement] = []
    position = length = 0
    for hit in found:
        start, end = view.span(hit.start, hit.end)
        number = numbers.get((hit.kind, hit.key))
        if number is None:  # numbered per distinct value, in order of first appearance
            number = per_kind[hit.kind] = per_kind.get(hit.kind, 0) + 1
            numbers[hit.kind, hit.key] = number
        counts[hit.kind] = counts.get(hit.kind, 0) + 1
        placeholder = f"[{_PLACEHOLDER_NAMES[hit.kind]}_{number}]"
        parts += (text[position:start], placeholder)
        length += start - position
        replacements.append(Replacement(hit.kind, start, end, length, length + len(placeholder)))
        length += len(placeholder)
        position = end
    parts.append(text[position:])
    return Redaction(text, "".join(parts), MappingProxyType(counts), tuple(replacements))


def _detect(view: str) -> list[Hit]:
    """Non-overlapping hits in the detection view, by position.

    Rounds repeat on a copy with the found values masked, until a round finds nothing: a value
    that was blocked by an alphanumeric neighbour that turned out to be part of another value
    (``a@163.com13812345678``) is found then, so redacting the output again changes nothing.
    """
    hits: list[Hit] = []
    masked = view
    while new := _select(_candidates(masked)):
        hits += new
        chars = list(masked)
        for hit in new:
            chars[hit.start : hit.end] = _MASK * (hit.end - hit.start)
        masked = "".join(chars)
    return sorted(hits, key=lambda hit: hit.start)


def _select(candidates: Iterator[Hit]) -> list[Hit]:
    """Longest candidates first (a card beats the phone-like digits inside it), then priority."""
    chosen: list[Hit] = []
    for hit in sorted(candidates, key=lambda h: (h.start - h.end, _PRIORITY[h.kind], h.start)):
        if all(hit.end <= other.start or other.end <= hit.start for other in chosen):
            chosen.append(hit)
    return chosen


def _candidates(view: str) -> Iterator[Hit]:
    digits = sum(map(view.count, "0123456789"))
    yield from pii_numbers.candidates(view, digits)
    yield from pii_documents.candidates(view, digits)
    yield from pii_labels.candidates(view)
    yield from pii_names.candidates(view)
    yield from pii_address.candidates(view)
