"""Reading bytes as text when the encoding is not said: answers, rubrics and jobs typed on
Windows in China, Taiwan or Hong Kong are often GBK/GB18030, Big5 or UTF-16 rather than UTF-8.

`decode(data, declared)` settles it in this order:

1. a declared encoding (`--encoding NAME`) is used strictly, and nothing is guessed;
2. a byte order mark says UTF-8, UTF-16 or UTF-32 (the mark itself is dropped, so it never
   shifts a character offset);
3. bytes that are strict UTF-8 (and hold no NUL, which UTF-16 text of ASCII would) are UTF-8;
4. otherwise each of GB18030 (a superset of GBK and GB2312), Big5 (Microsoft's cp950 when the
   standard table fails) and UTF-16 without a mark that decodes strictly is scored by its
   characters: common Chinese characters, ASCII and punctuation count for it; control
   characters, private-use and unassigned code points against it. The best reading wins (the
   earlier in that list on a tie); if even the best holds more than 5% bad characters, or
   under half good ones, the bytes are refused with `DecodeFailure`.

"Common" characters are the 3,755 of GB2312's first level and the 5,401 of Big5's frequent
block, read out of Python's own codecs on first use: a wrong reading of Chinese bytes lands on
rare characters, symbols and controls far more often than the right one. Text of only a few
characters can still be read wrongly; `Decoded.confident` is then False, and `--encoding` is
the way out. Bytes that are also valid UTF-8 are read as UTF-8 without a contest.

Imports nothing from coach: the rubric loader and the command line both read with it.
"""

from __future__ import annotations

import codecs
import functools
import re
import unicodedata
from dataclasses import dataclass

# Tried in this order; the earlier wins a tie.
_GUESSES = ("gb18030", "big5", "cp950", "utf-16-le", "utf-16-be")
_BOMS = (  # the UTF-32 marks first: the UTF-16 LE mark is a prefix of UTF-32 LE's
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_BAD_WEIGHT = 4  # one control or unassigned character outweighs four good ones
_MAX_BAD_SHARE = 0.05  # more bad characters than this in the best reading: not text
_MIN_SCORE = 0.5  # nor a best reading with fewer good characters (real text scores over 0.8)
_CONFIDENT_MARGIN = 0.25  # the winner's lead over the runner-up that makes a guess a sure one
_CONFIDENT_LENGTH = 8  # characters; a shorter text is always called a guess
_SAMPLE = 20_000  # characters scored per reading: enough to tell, and quick on a large file
_TEXT_CONTROLS = frozenset("\t\n\r\f")
# NUL and the other C0 controls that text does not hold: UTF-16 of ASCII is full of NULs, and
# UTF-16 of Chinese can be valid UTF-8 that starts with one of these.
_CONTROL_BYTES = re.compile(rb"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_COMMON_RANGES = {"gb2312": (0xB0A1, 0xD7FA), "big5": (0xA440, 0xC67F)}
_COMMON_SETS = {"gb18030": ("gb2312", "big5"), "big5": ("big5",), "cp950": ("big5",)}
_GOOD_CATEGORIES = frozenset({"Zs", "Pc", "Pd", "Ps", "Pe", "Pi", "Pf", "Po"})
_BAD_CATEGORIES = frozenset({"Cc", "Cn", "Co", "Cs"})


class DecodeFailure(ValueError):
    """The bytes are not text in the declared encoding, or in any encoding that was tried.

    `reason` is a sentence for a person, without the file's name (the caller adds it).
    """

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Decoded:
    """Text and how it was read.

    `encoding` is a Python codec name ("utf-8", "gb18030", "big5", "utf-16-le", ...) that
    `--encoding` accepts to read the same bytes again; `confident` is False when it was chosen
    by scoring characters and a rival came close, or the text is short.
    """

    text: str
    encoding: str
    confident: bool
    declared: bool = False
    bom: bool = False

    @property
    def is_utf8(self) -> bool:
        return self.encoding == "utf-8"


def canonical(name: str) -> str:
    """Python's name for an encoding (`GBK` -> "gbk", `utf8` -> "utf-8"); `LookupError` when
    there is no such text encoding."""
    info = codecs.lookup(name)
    if not getattr(info, "_is_text_encoding", True):  # base64, rot13, zlib: bytes to bytes
        raise LookupError(f"{name!r} is not a text encoding")
    return info.name


def decode(data: bytes, declared: str | None = None, *, utf8_first: bool = False) -> Decoded:
    """`data` as text: in the `declared` encoding if given, else as found (module docstring).

    With `utf8_first`, bytes that are strict UTF-8 are read as UTF-8 even when another
    encoding is declared: for files coach writes itself (rubrics), which are UTF-8, beside
    answers in the declared encoding. A leading byte order mark is dropped whatever the
    encoding. `DecodeFailure` when the bytes are not text in the declared encoding, or do not
    look like text in any tried.
    """
    if declared and utf8_first:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            pass
        else:
            bom = text.startswith("\ufeff")
            return Decoded(text[1:] if bom else text, "utf-8", confident=True, bom=bom)
    if declared:
        return _declared(data, declared)
    for mark, encoding in _BOMS:
        if data.startswith(mark):
            try:
                text = data[len(mark) :].decode(encoding)
            except UnicodeDecodeError as exc:
                if encoding.startswith("utf-32"):
                    continue  # FF FE 00 00 may be a UTF-16 LE mark before a NUL
                raise DecodeFailure(
                    f"it starts with a {_label(encoding)} byte order mark but is not "
                    f"{_label(encoding)} text (byte {exc.start + len(mark)})"
                ) from None
            return Decoded(text, encoding, confident=True, bom=True)
    controls = _CONTROL_BYTES.search(data) is not None
    if not controls:
        try:
            return Decoded(data.decode("utf-8"), "utf-8", confident=True)
        except UnicodeDecodeError:
            pass
    return _guess(data, with_utf8=controls)


def _declared(data: bytes, declared: str) -> Decoded:
    try:
        encoding = canonical(declared)
    except LookupError:
        raise DecodeFailure(f"unknown encoding {declared!r}") from None
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise DecodeFailure(
            f"it is not {encoding} text (byte {exc.start}: {exc.reason}); leave out "
            "--encoding to have it detected"
        ) from None
    bom = text.startswith("\ufeff")
    return Decoded(text[1:] if bom else text, encoding, confident=True, declared=True, bom=bom)


@dataclass(frozen=True)
class _Trial:
    """One strict reading of the bytes and how its characters look."""

    encoding: str
    text: str
    points: int  # +1 a good character, -_BAD_WEIGHT a bad one, 0 any other
    bad: int  # controls, private-use, unassigned code points, lone surrogates, U+FFFD
    scored: int  # characters looked at

    @property
    def score(self) -> float:
        """Per character: the share of good ones, less `_BAD_WEIGHT` times that of bad ones."""
        return self.points / self.scored if self.scored else 1.0


def _guess(data: bytes, *, with_utf8: bool) -> Decoded:
    trials: list[_Trial] = []
    tried_big5 = False
    candidates = ["utf-8", *_GUESSES] if with_utf8 else list(_GUESSES)
    for encoding in candidates:
        if encoding == "cp950" and tried_big5:
            continue  # Microsoft's Big5 only when the standard one failed
        if encoding.startswith("utf-16") and len(data) % 2:
            continue
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        tried_big5 = tried_big5 or encoding == "big5"
        trials.append(_trial(text, encoding))
    trials.sort(key=lambda trial: -trial.score)  # stable: the earlier candidate wins a tie
    if (
        not trials
        or trials[0].score < _MIN_SCORE
        or trials[0].bad > _MAX_BAD_SHARE * trials[0].scored
    ):
        raise DecodeFailure(
            "it does not look like text in UTF-8, GB18030 (GBK), Big5 or UTF-16; "
            "pass --encoding NAME if you know its encoding"
        )
    best = trials[0]
    lead = best.score - trials[1].score if len(trials) > 1 else 1.0
    confident = lead >= _CONFIDENT_MARGIN and len(best.text) >= _CONFIDENT_LENGTH
    return Decoded(best.text.removeprefix("\ufeff"), best.encoding, confident=confident)


def _trial(text: str, encoding: str) -> _Trial:
    """Count the good and bad characters of one reading (of its first `_SAMPLE` characters).

    Big5 readings count only Big5's frequent block as common: GB text read as Big5 yields
    valid characters, a fifth of them outside that block, while GB18030 readings may hold
    Traditional characters too (GBK encodes them). Any other character that is not bad (a rare
    one, kana, a Latin letter) counts neither way.
    """
    good = bad = 0
    sample = text[:_SAMPLE]
    common = _common_chinese(_COMMON_SETS.get(encoding, ("gb2312", "big5")))
    for char in sample:
        if char in common or " " <= char <= "~" or char in _TEXT_CONTROLS:
            good += 1
            continue
        category = unicodedata.category(char)
        if category in _GOOD_CATEGORIES:
            good += 1
        elif category in _BAD_CATEGORIES or char == "\ufffd":
            bad += 1
    return _Trial(encoding, text, good - _BAD_WEIGHT * bad, bad, len(sample))


@functools.cache
def _common_chinese(sets: tuple[str, ...]) -> frozenset[str]:
    """GB2312's first level (0xB0A1-0xD7F9) and/or Big5's frequent block (0xA440-0xC67E)."""
    chars: set[str] = set()
    for name in sets:
        for code in range(*_COMMON_RANGES[name]):
            try:
                chars.add(code.to_bytes(2, "big").decode(name))
            except UnicodeDecodeError:
                continue  # outside the trail-byte ranges, or unassigned
    return frozenset(chars)


def _label(encoding: str) -> str:
    return encoding.upper().replace("-LE", " LE").replace("-BE", " BE")


def describe(decoded: Decoded) -> str:
    """How the text was read, for a note: "GB18030 (detected)", "Big5 (a guess)"."""
    how = "declared" if decoded.declared else "detected" if decoded.confident else "a guess"
    return f"{_label(decoded.encoding)} ({how})"
