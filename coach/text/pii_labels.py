"""Account ids that only their label tells apart: QQ numbers and WeChat ids.

A QQ number is five to eleven digits, a WeChat id six to twenty letters, digits, ``_`` or
``-`` starting with a letter (or a phone or QQ number used as the id); neither has a check
digit, so only a value after its label is taken: ``QQ：12345678``, ``企鹅号 12345678``,
``QQ同号：12345678``, ``微信号：wxid_abc123``, ``微信 zhang_san88``, ``vx/VX/v信 …``. WeChat's
generated ids (``wxid_…``) are taken anywhere.

English words are the risk: after "WeChat" a plain word is taken only behind "ID",
"account" or a colon, or when it holds a digit, ``_`` or ``-`` ("reach me on WeChat tonight"
names nobody); an id glued to vx or wx must start as a word does (``VXzhangsan``), since
``WXN413609`` is a product code.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from coach.text.pii_base import END, Hit

__all__ = ["candidates"]

# Between a label and its value: spaces, a colon, 是/为 or "is"; never "[" (a placeholder).
_JOIN = r"[ \t]*(?:[:：(（][ \t]*)?(?:(?:是|为|為|(?i:is))[ \t]*)?(?:[:：][ \t]*)?"
# The label may be glued to the number (QQ12345678); five or more digits, plain or spelled out
# one by one with single spaces (longer spelled runs are joined by the detection view). A few
# words may stand between (QQ同号：…, QQ/微信：…): no digit, no sentence end, no "[".
_QQ_GAP = r"(?:[^\x00-\x1f0-9\[。！？!?；;，,]{0,4}?[:：][ \t]*)?"
_QQ = re.compile(
    r"(?=[Qq企扣])(?:[Qq] ?[Qq]|企鹅号?|企鵝號?|扣扣)"
    r"(?: ?(?:号码|號碼|号|號|账号|帳號|(?i:number|no\.?|id)))?"
    + _JOIN
    + _QQ_GAP
    + r"(?P<v>[1-9][0-9]{4,10}|[1-9](?P<sep>[ .-])[0-9](?:(?P=sep)[0-9]){3,9})"
    + END
)
_SUFFIX = r"(?P<suffix> ?(?:号码|號碼|号|號|账号|帳號|账户|帳戶|(?i:id|account|number|no\.?)))?"
_ID = r"(?P<v>[A-Za-z][-_A-Za-z0-9]{5,19}|[1-9][0-9]{4,10})(?![-_A-Za-z0-9])(?!\.[0-9])"
_WECHAT_LABELS = ("微信", "微訊", "薇信", "威信", "v信", "V信")
_WECHAT = re.compile(
    "(?:" + "|".join(_WECHAT_LABELS) + ")" + _SUFFIX + f"(?P<join>{_JOIN})(?<![-_0-9A-Za-z])" + _ID
)
# vx and wx may be glued to the id (VXzhangsan, vxzhang_san88); see `_apart`.
_WECHAT_LATIN = re.compile(
    r"(?=[vVwW])(?<![A-Za-z\[])(?:(?P<short>(?i:vx|wx))|(?P<en>(?i:we ?chat|weixin))(?![A-Za-z]))"
    + _SUFFIX
    + f"(?P<join>{_JOIN})"
    + _ID
)
_LATIN_MARKS = ("x", "X", "hat", "HAT", "eixin", "EIXIN")  # vx, wx, WeChat, weixin
# WeChat's own generated ids name themselves.
_WXID = re.compile(r"(?=w)(?<![-_0-9A-Za-z])wxid_[A-Za-z0-9]{4,20}(?![-_0-9A-Za-z])")


def candidates(view: str) -> Iterator[Hit]:
    """QQ numbers and WeChat ids after their labels in `view`."""
    if "Q" in view or "q" in view or "企" in view or "扣扣" in view:
        for match in _QQ.finditer(view):
            if view[match.start()] in "Qq" and _after_letter(view, match.start()):
                continue  # inside a word, or a placeholder such as [QQ_1]
            value = match["v"].replace(match["sep"], "") if match["sep"] else match["v"]
            yield Hit(match.start("v"), match.end("v"), "qq", value)
    if ("信" in view or "訊" in view) and any(label in view for label in _WECHAT_LABELS):
        for match in _WECHAT.finditer(view):
            yield Hit(match.start("v"), match.end("v"), "wechat", match["v"].lower())
    if any(mark in view for mark in _LATIN_MARKS):
        for match in _WECHAT_LATIN.finditer(view):
            if not (_apart(match) if match["short"] else _named_as_id(match)):
                continue
            yield Hit(match.start("v"), match.end("v"), "wechat", match["v"].lower())
        if "wxid_" in view:
            for match in _WXID.finditer(view):
                yield Hit(match.start(), match.end(), "wechat", match[0].lower())


def _after_letter(view: str, index: int) -> bool:
    before = view[index - 1] if index else " "
    return before == "[" or (before.isascii() and before.isalpha())


def _apart(match: re.Match[str]) -> bool:
    """Whether a vx or wx label and its id are told apart: by a space or colon, or, glued, by
    an id that starts as a word does (VXzhangsan, vxLei-zhao); VXN413609 is a code."""
    if match.start("v") > match.end("short"):
        return True
    value = match["v"]
    return value[0].islower() or value[1].islower()


def _named_as_id(match: re.Match[str]) -> bool:
    """After the English word "WeChat" or a glued vx: a value that looks like an id, or that
    the text calls one ("WeChat ID ...", "WeChat: ...")."""
    value = match["v"]
    if any(char.isdigit() or char in "_-" for char in value):
        return True
    return bool(match["suffix"]) or ":" in match["join"] or "：" in match["join"]
