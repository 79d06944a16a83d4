"""Contact and account numbers: mobiles, landlines, resident IDs, bank cards and e-mail.

Each shape is checked as far as it can be: a mobile's 1[3-9] prefix, a landline's area code
and local-number length, an ID's check character and birth date, a card's Luhn digit. Patterns
run on the detection view (see `pii_view`), where every digit is an ASCII digit.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date

from coach.text.pii_base import BEGIN, END, GAP, SEP, Hit, digits_of, grouped_well

__all__ = ["candidates", "luhn"]

# A phone label glued to the number ("Tel18238825922"): there the letters name the number
# rather than being part of a code.
_PHONE_GLUE = "|".join(f"(?<=(?i:{label}))" for label in ("tel", "phone", "mobile", "cell"))
_COUNTRY = r"(?:(?:\+|00)?86[ -]?)?"
# 1[3-9] and nine more digits; separators are checked by `grouped_well` (groups of 3 or more).
# Hong Kong, Macau and Taiwan numbers, only with their country code: seven to ten digits.
_GREATER_CHINA = re.compile(
    "(?=[+0])" + BEGIN + r"(?:\+|00)(?P<cc>852|853|886)[ -]?(?:\(0\) ?)?"
    r"(?P<n>[0-9](?:[ -]?[0-9]){6,9})" + END
)
_PHONE = re.compile(
    f"(?=[+0-9])(?:{BEGIN}|{_PHONE_GLUE})" + _COUNTRY + rf"(1[3-9][0-9](?:{SEP}?[0-9]){{8}})" + END
)

# Area codes: 010 and 02x with an eight-digit local number, 0xxx (03xx-09xx) with seven or
# eight; written with the trunk 0, or without it after +86. 400 and 800 are service numbers.
_AREA = r"0?(?:10|2[0-9]|[3-9][0-9]{2})"
_LOCAL = rf"[1-9][0-9]{{2,3}}{SEP}?[0-9]{{4}}"
_LANDLINE = re.compile(
    "(?=[+0-9(（])"
    + BEGIN
    + r"(?:(?P<cc>(?:\+|00)86|86(?=[ -]))[ -]?(?:\(0\) ?)?)?"
    + rf"(?:[(（](?P<paren>{_AREA})[)）]|(?P<area>{_AREA}))"
    + rf"(?: ?- ?|{SEP})?(?P<local>{_LOCAL})"
    + END
)
# A local number alone, only right after a landline label; not the tail of a longer number
# ("400-820-8888" holds "820-8888").
_LANDLINE_LABEL = r"(?:座机|座機|固话|固話|固定电话|固定電話|宅电|宅電|电话|電話|(?i:landline|tel))"
_LOCAL_LABELLED = re.compile(
    "(?=[座固宅电電lLtT])"
    + _LANDLINE_LABEL
    + GAP
    + BEGIN
    + rf"(?<![0-9]{SEP})(?P<local>{_LOCAL})"
    + END
)

_ID = re.compile("(?=[0-9])" + BEGIN + rf"[0-9]{{6}}(?:{SEP}?[0-9]){{11}}{SEP}?[0-9Xx]" + END)
_ID_LABEL = (
    r"(?:身份证|身份證|证件号|證件號|(?<![A-Za-z])(?i:id ?card ?(?:number|no)?|id ?(?:number|no)))"
)
_LEGACY_ID = re.compile("(?=[身证證iI])" + _ID_LABEL + GAP + BEGIN + r"(?P<v>[0-9]{15})" + END)
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECKS = "10X98765432"
_EARLIEST_BIRTH = date(1900, 1, 1)

_CARD_PLAIN = re.compile("(?=[0-9])" + BEGIN + r"[0-9]{15,19}" + END)
_CARD_GROUPED = (
    re.compile(
        "(?=[0-9])" + BEGIN + rf"[0-9]{{4}}(?:{SEP}[0-9]{{4}})+(?:{SEP}[0-9]{{1,4}})?" + END
    ),
    re.compile(
        "(?=[0-9])" + BEGIN + rf"[0-9]{{4}}{SEP}[0-9]{{6}}{SEP}[0-9]{{5}}" + END
    ),  # Amex layout
)
_CARD_LABEL = (
    r"(?:卡号|卡號|银行卡|銀行卡|储蓄卡|儲蓄卡|信用卡|借记卡|借記卡|账号|帐号|賬號|帳號|账户|帐户|賬戶|帳戶"
    r"|(?<![A-Za-z])(?i:card ?(?:number|no)|account ?(?:number|no)|acct|bank ?card"
    r"|credit ?card|debit ?card))"
)
# Groups of three or more digits (the last may be shorter), so "2026-12-01 2026-12-31" is not
# one labelled 16-digit number.
_CARD_LABELLED = re.compile(
    "(?=[卡银銀储儲信借账帐賬帳cCaAbBdD])"
    + _CARD_LABEL
    + GAP
    + BEGIN
    + r"(?P<v>[0-9]{3,}(?:[ -][0-9]{3,})*(?:[ -][0-9]{1,2})?)"
    + END
)
_DIGIT_RUNS = re.compile(r"[0-9]+")
_SEVEN_DIGITS = re.compile(r"[0-9](?:[ .()（）+-]{0,2}[0-9]){6}")

_EMAIL = re.compile(
    r"(?=[A-Za-z0-9._%+-])(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]+@"
    r"(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,24}"
)


def candidates(view: str, digits: int) -> Iterator[Hit]:
    """Every number-shaped candidate in `view`, which holds `digits` ASCII digits."""
    if "@" in view:
        for match in _EMAIL.finditer(view):
            yield Hit(match.start(), match.end(), "email", match[0].lower())
    # The shortest value here is a labelled seven-digit local number: without seven digits in
    # a row (single separators allowed) there is nothing to look for.
    if digits < 7 or not _SEVEN_DIGITS.search(view):
        return
    yield from _landlines(view)
    if digits < 11:
        return
    for match in _PHONE.finditer(view):
        if grouped_well(match[1], 3):
            yield Hit(match.start(), match.end(), "phone", digits_of(match[1]))
    if "852" in view or "853" in view or "886" in view:
        for match in _GREATER_CHINA.finditer(view):
            yield Hit(match.start(), match.end(), "phone", match["cc"] + digits_of(match["n"]))
    yield from _ids(view)
    yield from _cards(view)


def _landlines(view: str) -> Iterator[Hit]:
    for match in _LANDLINE.finditer(view):
        area = match["paren"] or match["area"]
        if not (area.startswith("0") or match["cc"]):
            continue  # "10 1234 5678" alone is no landline; "+86 10 1234 5678" is
        area = area.removeprefix("0")
        local = digits_of(match["local"])
        wanted = (8,) if len(area) == 2 else (7, 8)
        if area not in ("400", "800") and len(local) in wanted:
            yield Hit(match.start(), match.end(), "landline", area + local)
    for match in _LOCAL_LABELLED.finditer(view):
        local = digits_of(match["local"])
        yield Hit(match.start("local"), match.end("local"), "landline", local)


def _ids(view: str) -> Iterator[Hit]:
    for match in _ID.finditer(view):
        value = digits_of(match[0]).upper()
        if grouped_well(match[0], 2) and valid_id(value):
            yield Hit(match.start(), match.end(), "id_number", value)
    for match in _LEGACY_ID.finditer(view):
        if _valid_date(1900 + int(match["v"][6:8]), match["v"][8:10], match["v"][10:12]):
            yield Hit(match.start("v"), match.end("v"), "id_number", match["v"])


def _cards(view: str) -> Iterator[Hit]:
    for match in _CARD_PLAIN.finditer(view):
        if luhn(match[0]):
            yield Hit(match.start(), match.end(), "bank_card", match[0])
    for pattern in _CARD_GROUPED:
        for match in pattern.finditer(view):
            if grouped_well(match[0], 1):
                yield from _card(match.start(), match[0], 15, labelled=False)
    for match in _CARD_LABELLED.finditer(view):
        yield from _card(match.start("v"), match["v"], 12, labelled=True)


def _card(start: int, grouped: str, shortest: int, *, labelled: bool) -> Iterator[Hit]:
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
        if shortest <= len(value) <= 19 and (labelled or luhn(value)):
            yield Hit(start, start + end, "bank_card", value)
            return


def luhn(digits: str) -> bool:
    """The Luhn check of a card number (ASCII digits)."""
    total = 0
    for position, char in enumerate(reversed(digits)):
        digit = ord(char) - 48
        if position % 2:
            digit = digit * 2 - 9 if digit > 4 else digit * 2
        total += digit
    return total % 10 == 0


def valid_id(value: str) -> bool:
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
