"""What every personal-data detector shares: the kinds, a hit, and the edges of a value.

The detectors (`pii_numbers`, `pii_documents`, `pii_labels`, `pii_names`, `pii_address`) run on
the detection view of `pii_view` (folded, invisible characters gone, Chinese numerals as
digits) and yield `Hit`s in its coordinates; `redact` chooses among them and maps them back.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

PiiKind = Literal[
    "phone",
    "landline",
    "id_number",
    "hk_id",
    "mo_id",
    "tw_id",
    "passport",
    "bank_card",
    "email",
    "qq",
    "wechat",
    "name",
    "address",
]


@dataclass(frozen=True, slots=True)
class Hit:
    """A value found in the detection view: `view[start:end]`."""

    start: int
    end: int
    kind: PiiKind
    key: str  # canonical value, so "138 1234 5678" and "+8613812345678" share a placeholder


# Every pattern starts with a look-ahead for the characters it can start with ("(?=[0-9])"):
# the engine then turns most positions of an answer down with one test, rather than trying
# each look-behind and label there; that made the patterns three to four times faster.
# Not cut out of a longer token, nor out of a decimal such as 0.13812345678.
BEGIN = r"(?<![0-9A-Za-z])(?<![0-9]\.)"
# ... and not an amount: 13812345678元 is money, not a phone.
UNITS = r"元|块|圆|角|万|亿|%|‰|美元|美金|港元|港币|(?i:rmb|cny|usd|hkd)"
END = rf"(?![0-9A-Za-z])(?!\.[0-9])(?! ?(?:{UNITS}))"
# Between a label and its value: a few characters, no digit (so no other number), no sentence
# end, no control character (the mask used between detection rounds is one) and no "[", so a
# placeholder left by an earlier redaction never reads as a labelled value.
GAP = r"[^\x00-\x1f0-9\[。！？!?；;]{0,8}?"
# One separator inside a number: "138 1234 5678", "138-1234-5678", "138.1234.5678".
SEP = "[ .-]"
_SEPARATORS = re.compile(SEP)


def digits_of(value: str) -> str:
    """`value` without its separators."""
    return _SEPARATORS.sub("", value)


def grouped_well(value: str, shortest: int) -> bool:
    """Whether the separators of `value` group it like a written number: every group at least
    `shortest` long, and dots not mixed with spaces or dashes (``138.1234-5678`` is two
    numbers, not one). Loose groups such as ``15 20000000`` are two numbers side by side."""
    groups = _SEPARATORS.split(value)
    if len(groups) > 1 and "." in value and (" " in value or "-" in value):
        return False
    return all(len(group) >= shortest for group in groups)
