"""Text normalization shared by every grader, with a map back to the original characters.

Answers arrive in every form a keyboard, a phone or a copy-paste can produce: full-width letters,
Traditional characters, zero-width joiners, curly quotes. Matching works on one folded form:

* NFKC (full-width to half-width, compatibility forms unfolded), then case folding;
* format characters removed: zero-width, bidi controls, variation selectors; Unicode tag
  characters (U+E0020-U+E007E, invisible copies of ASCII that models can still read) become
  the ASCII they spell, so hidden instructions are screened like visible ones;
* Traditional folded to Simplified, character by character (OpenCC ``t2s``, as a table built
  ahead of time: `coach.text.fold_table`), then, in text that had Traditional characters,
  the phrases that characters alone leave apart (瞭解 → 了解, 回覆 → 回复:
  `coach.text.phrase_fold`), and a few Taiwan and Hong Kong words to the mainland ones
  (简讯 → 短信, 帐户 → 账户);
* punctuation folded: sentence ends to ``。``, clause breaks to ``，``, brackets and quotes dropped;
* whitespace collapsed, and dropped next to CJK characters, where it carries no meaning;
* formulas written one way: no spaces around an operator between terms, no times sign before a
  letter ("3n - 3*(i - 1)" and "3n-3(i-1)" alike, `coach.text.formula`).

`NormalizedText.offsets` maps every folded character back to the original one, so evidence
quotes are cut from the candidate's own words.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from bisect import bisect_right
from dataclasses import dataclass

from coach.text.fold_table import t2s_table
from coach.text.formula import formula_spans
from coach.text.phrase_fold import phrase_spans

SENTENCE_END = "。"
CLAUSE_BREAK = "，"
_SENTENCE_ENDS = frozenset("。!?！？;；…")
_CLAUSE_BREAKS = frozenset("，,、:：")
_KEEP_PUNCT = frozenset(".%+-/#@&_'")
_DROPPED_CATEGORIES = frozenset({"Cf", "Cc", "Cs", "Co", "Cn", "Mn", "Me"})
# Minus signs and short dashes, written for a hyphen or a minus: "n−1" is "n-1". The long dash
# (—, "——" in Chinese prose) is punctuation and stays.
_HYPHENS = frozenset("\u2010\u2011\u2012\u2013\u2212")
_BRACKETS = frozenset({"Ps", "Pe", "Pi", "Pf"})
# Spaces at a line's end, as `normalize` reads a "\r\n" (" \n"): screens that measure lines
# or count separators in `NormalizedText.original` read them as the line break alone.
LINE_END_SPACE = re.compile(r"[^\S\n]+\n")
# Frequent punctuation whose folding is one character for one (a test holds this to `_fold_char`).
ONE_FOR_ONE_FOLDS = (
    *(("、", "，"), ("：", "，"), ("；", "。"), ("？", "。"), ("！", "。")),
    *((",", "，"), (":", "，"), (";", "。"), ("?", "。"), ("!", "。")),
)


@dataclass(frozen=True, slots=True)
class NormalizedText:
    """Folded text plus a map from its characters back to the original ones.

    The map is kept as segments: folded characters from `starts[k]` on came from the original
    characters from `origins[k]` on, one for one, until the next segment. Most of an answer is
    copied unchanged, so an answer needs a handful of segments, not an index per character.
    """

    original: str
    text: str
    starts: tuple[int, ...]
    origins: tuple[int, ...]
    # The text as given, when `normalize` rewrote its line ends in `original` (else None):
    # quotes are cut from it, so they are the candidate's characters exactly.
    written: str | None = None

    @property
    def as_written(self) -> str:
        """The text as given; same length as `original`, so the offsets hold for both."""
        return self.original if self.written is None else self.written

    def original_index(self, index: int) -> int:
        """Index of the original character that folded character `index` came from."""
        k = bisect_right(self.starts, index) - 1
        return self.origins[k] + index - self.starts[k]

    def folded_index(self, index: int) -> int:
        """Where original character `index` stands in the folded text: its own place if it was
        kept, else where the folded text goes on after it (a dropped line break, a bracket)."""
        k = bisect_right(self.origins, index) - 1
        following = self.starts[k + 1] if k + 1 < len(self.starts) else len(self.text)
        if k >= 0 and index - self.origins[k] < following - self.starts[k]:
            return self.starts[k] + index - self.origins[k]
        return following if k >= 0 else 0

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """The original `[start, end)` range that folded characters `[start, end)` came from."""
        if start >= end:
            raise ValueError("empty span")
        starts, origins = self.starts, self.origins  # original_index, inlined: a hot path
        k = bisect_right(starts, start) - 1
        j = bisect_right(starts, end - 1) - 1
        return origins[k] + start - starts[k], origins[j] + end - 1 - starts[j] + 1

    def quote(self, start: int, end: int) -> str:
        """The candidate's own words behind folded characters `[start, end)`."""
        first, last = self.original_span(start, end)
        return self.as_written[first:last]

    @property
    def offsets(self) -> tuple[int, ...]:
        """The original index of every folded character (built on demand)."""
        ends = (*self.starts[1:], len(self.text))
        offsets: list[int] = []
        for start, origin, end in zip(self.starts, self.origins, ends, strict=True):
            offsets.extend(range(origin, origin + end - start))
        return tuple(offsets)


def is_cjk(char: str) -> bool:
    """True for CJK ideographs (the BMP blocks and extension A; enough for folding decisions)."""
    code = ord(char)
    return 0x4E00 <= code <= 0x9FFF or 0x3400 <= code <= 0x4DBF or 0xF900 <= code <= 0xFAFF


# Tag characters mirror printable ASCII at U+E0020-U+E007E; one for one, so offsets hold.
TAG_REVEAL = {code: chr(code - 0xE0000) for code in range(0xE0020, 0xE007F)}
_TAGS = re.compile("[\U000e0020-\U000e007e]")


def reveal_tags(text: str) -> str:
    """`text` with tag characters replaced by the ASCII they hide (the same length)."""
    return text.translate(TAG_REVEAL) if _TAGS.search(text) else text


# Characters folded one for one after t2s: 帳 becomes 帐 (a curtain, in mainland use) where a
# rubric writes 账 (an account). Character by character, so a quote folds as the answer does.
_CHAR_FOLDS = {"帐": "账"}


def _fold_char(char: str) -> str:
    """Fold one original character; the empty string drops it, ' ' marks whitespace."""
    revealed = TAG_REVEAL.get(ord(char))
    if revealed is not None:
        return _fold_char(revealed)
    if char.isspace():
        return " "
    if unicodedata.category(char) in _DROPPED_CATEGORIES:
        return ""
    out = []
    for piece in unicodedata.normalize("NFKC", char).casefold():
        if piece.isspace():
            out.append(" ")
        elif piece in _SENTENCE_ENDS:
            out.append(SENTENCE_END)
        elif piece in _CLAUSE_BREAKS:
            out.append(CLAUSE_BREAK)
        elif piece in _KEEP_PUNCT:
            out.append(piece)
        elif piece in _HYPHENS:
            out.append("-")
        elif piece in '"`' or unicodedata.category(piece) in _BRACKETS | _DROPPED_CATEGORIES:
            continue
        else:
            out.append(piece)
    folded = "".join(out)
    if len(folded) == 1 and is_cjk(folded):
        # Character-level Traditional -> Simplified keeps offsets exact and is cached in the
        # table; phrase-level conversion would only matter for a few ambiguous characters.
        folded = t2s_table().get(folded, folded)
        folded = _CHAR_FOLDS.get(folded, folded)
    return folded


@functools.lru_cache(maxsize=1)
def _irregular() -> re.Pattern[str]:
    """Characters that `normalize` must rewrite; everything else is copied as it stands.

    Plain Simplified Chinese, lowercase ASCII and digits are most of an answer, so only the rest
    (punctuation, whitespace, capitals, full-width forms, Traditional characters) is walked in
    Python. Built once, on first use, from the shipped Traditional -> Simplified table.
    """
    traditional = sorted(ord(c) for c in {*t2s_table(), *_CHAR_FOLDS} if 0x4E00 <= ord(c) < 0xA000)
    # One negated class (the block minus its Traditional characters, as ranges) tests each
    # character once; two alternatives would cost twice as much per character. The ranges are
    # the gaps between Traditional characters, found without a walk over the whole block.
    plain_cjk = []
    starts = [0x4E00, *(code + 1 for code in traditional)]
    for start, end in zip(starts, [*traditional, 0xA000], strict=True):
        if end > start:
            last = end - 1
            plain_cjk.append(
                re.escape(chr(start)) + ("-" + re.escape(chr(last)) if last > start else "")
            )
    kept = re.escape("".join(sorted(_KEEP_PUNCT)) + SENTENCE_END + CLAUSE_BREAK)
    return re.compile(f"[^a-z0-9{kept}\u3400-\u4dbf{''.join(plain_cjk)}]")


_FOLDED: dict[str, str] = {}


@functools.lru_cache(maxsize=1)
def _simplified() -> frozenset[str]:
    """What the Traditional table folds characters to: a character that changed into one of
    these was Traditional."""
    return frozenset(t2s_table().values())


def _fold(char: str) -> str:
    folded = _FOLDED.get(char)
    if folded is None:
        folded = _FOLDED[char] = _fold_char(char)
    return folded


class _Folding:
    """The folded text as it is built, with its segment map (see `NormalizedText`)."""

    __slots__ = ("origins", "parts", "size", "starts")

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.size = 0
        self.starts = [0]
        self.origins = [0]

    def emit(self, piece: str, at: int) -> None:
        """Append `piece`, whose characters came one for one from original index `at` on."""
        if self.origins[-1] + self.size - self.starts[-1] != at:
            self.starts.append(self.size)
            self.origins.append(at)
        self.parts.append(piece)
        self.size += len(piece)

    def space(self, last: str, following: str, at: int) -> str:
        """Emit a collapsed space if it separates two non-CJK characters; return the last char."""
        if is_cjk(last) or is_cjk(following) or last in "。，" or following in "。，":
            return last
        self.emit(" ", at)
        return " "


def normalize(text: str) -> NormalizedText:
    """Fold `text` for matching, keeping a map back to its characters.

    `original` is `text` with its line ends read as "\n" one character for one ("\r\n" as
    " \n", a lone "\r" as "\n"): the screens that read lines and paragraphs see the same
    answer whichever system wrote it, and every offset still indexes `text`.
    """
    written = None
    if "\r" in text:
        written, text = text, text.replace("\r\n", " \n").replace("\r", "\n")
    # The commonest punctuation folds one character to one: replace it in C up front, which
    # moves no character, and walk only what is left.
    folded = text
    for old, new in ONE_FOR_ONE_FOLDS:
        if old in folded:
            folded = folded.replace(old, new)
    out = _Folding()
    last = ""  # last folded character emitted
    space_at = -1  # original index of a pending space, emitted only between non-CJK characters
    done = 0
    traditional = False  # whether a character was folded by the Traditional table
    simplified = _simplified()
    for match in _irregular().finditer(folded):
        index = match.start()
        if index > done:
            if space_at >= 0:
                last = out.space(last, folded[done], space_at)
                space_at = -1
            out.emit(folded[done:index], done)
            last = folded[index - 1]
        pieces = _fold(folded[index])
        if not traditional and pieces in simplified and folded[index] != pieces:
            traditional = True
        for piece in pieces:
            if piece == " ":
                if last and space_at < 0:
                    space_at = index
                continue
            if space_at >= 0:
                last = out.space(last, piece, space_at)
                space_at = -1
            out.emit(piece, index)
            last = piece
        done = index + 1
    if done < len(folded):
        if space_at >= 0:
            out.space(last, folded[done], space_at)
        out.emit(folded[done:], done)
    folded_text = "".join(out.parts)
    starts, origins = tuple(out.starts), tuple(out.origins)
    if traditional:  # phrases the character table leaves apart: 瞭解, 回覆, 最佳化
        spans = phrase_spans(folded_text)
        if spans:
            result = _refolded(NormalizedText(text, folded_text, starts, origins), spans)
            folded_text, starts, origins = result.text, result.starts, result.origins
    spans = formula_spans(folded_text)
    if spans:
        result = _refolded(NormalizedText(text, folded_text, starts, origins), spans)
        folded_text, starts, origins = result.text, result.starts, result.origins
    if _REGIONAL_WORDS.search(folded_text) is not None:
        folded_text = _REGIONAL_WORDS.sub(_regional, folded_text)  # one for one: offsets hold
    if "著" in folded_text:
        folded_text = _ZHE.sub("着", folded_text)
    return NormalizedText(text, folded_text, starts, origins, written)


def _refolded(folded: NormalizedText, spans: list[tuple[int, int, str]]) -> NormalizedText:
    """`folded` with each `(start, end)` range replaced by its text, which may differ in length:
    a shorter word's characters lead back to the first ones of the original word, a longer
    one's extra characters to its last."""
    out = _Folding()
    text = folded.text

    def copy(start: int, end: int) -> None:  # segment by segment, each with its own origin
        while start < end:
            k = bisect_right(folded.starts, start)
            stop = min(end, folded.starts[k]) if k < len(folded.starts) else end
            out.emit(text[start:stop], folded.original_index(start))
            start = stop

    done = 0
    for start, end, new in spans:
        copy(done, start)
        for offset, char in enumerate(new):
            out.emit(char, folded.original_index(min(start + offset, end - 1)))
        done = end
    copy(done, len(text))
    return NormalizedText(
        folded.original, "".join(out.parts), tuple(out.starts), tuple(out.origins)
    )


# Taiwan and Hong Kong words that character-level conversion leaves apart from the mainland
# ones a rubric uses: 簡訊 folds to 简讯, not 短信. Each is folded to a word of the same length,
# so the offset map holds; rubric phrases are folded alike. (A quote cut in the middle of one
# of these words folds differently from the answer around it, and is not found: a rare loss.)
_REGIONAL = {
    "简讯": "短信",
    "讯息": "信息",
    "资讯": "信息",
    "网路银行": "网上银行",
    "网路": "网络",
    "行动银行": "手机银行",
    "软体": "软件",
    "硬体": "硬件",
    "登入": "登录",
    "连结": "链接",
    "身分": "身份",
    "提款卡": "银行卡",
    "金融卡": "银行卡",
    "签账卡": "借记卡",
    "客服专线": "客服热线",
    "圈存": "冻结",
    "临柜": "柜台",
    "客诉": "投诉",
    "报案": "报警",
    "视讯": "视频",
    "影片": "视频",
    "私隐": "隐私",
    "个人资料": "个人信息",
    "质素": "质量",
    "真人客服": "人工客服",
    "智慧客服": "智能客服",
    "回覆": "回复",
    "帐号": "账号",
    "帐单": "账单",
    "帐务": "账务",
    "对帐": "对账",
    "查帐": "查账",
    "入帐": "入账",
    "到帐": "到账",
    "银行户口": "银行账户",
    "信用咭": "信用卡",
    "按揭": "房贷",
}
# 著 is both 着 (an aspect mark: "别著急", "急著解释", "接著") and 著 (著名, 著作) in Traditional
# text, and only the second in Simplified: it is read as 着 except in the words of the second.
_ZHU_AFTER = "显土卓昭编原名论专巨新遗译拙合"  # 显著, 土著, 名著, ...
_ZHU_BEFORE = "名作称述者书录"  # 著名, 著作, 著称, ...
_ZHE = re.compile(f"(?<![{_ZHU_AFTER}])著(?![{_ZHU_BEFORE}])")
_REGIONAL_WORDS = re.compile("|".join(sorted(_REGIONAL, key=lambda word: (-len(word), word))))


def _regional(match: re.Match[str]) -> str:
    return _REGIONAL[match.group()]


@functools.lru_cache(maxsize=16384)
def normalize_phrase(phrase: str) -> str:
    """Fold a rubric phrase exactly as answers are folded."""
    return normalize(phrase).text
