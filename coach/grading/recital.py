"""The rubric's key-point texts recited one by one: a copy of the rubric, not an answer.

"1. 主动询问离开的真实原因 / 2. 不预设答案、不质疑客户 / 3. 明确按原因分情况处理" under a weak
answer, ticked, bulleted, in a table or a fence: each line is a key point's own text, nearly
word for word. An inventory (`grading/inventory.py`) names points in a word or two; a recital
copies their whole sentences, which are too long for an inventory's items and say as much as
an honest list item would. What tells them apart is how close they stay to the rubric's
wording: candidates write their own sentences, and of some 1,300 labelled honest answers none
holds more than two pieces that are a key point's text nearly verbatim, while a pasted list
holds three or more. The pieces of a recital earn nothing; the answer earns the points where
it says them in its own words.

A piece is a line, a sentence, an item between semicolons, slashes, bullets, boxes, ticks or
bars, or a quoted string, without its list mark and its label; it recites a key point when the
key point's text (folded as answers are) holds `SHARE` of its letters, digits and ideographs
and it holds `COVER` of the key point's.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from difflib import SequenceMatcher

from coach.text.normalize import CLAUSE_BREAK, SENTENCE_END, normalize_phrase
from coach.text.sections import located

MIN_RECITED = 3  # key points recited, each in a piece of its own
MIN_CHARS = 6  # letters, digits and ideographs of a key point's text, and of a piece
SHARE = 0.9  # of a piece that the key point's text matches
COVER = 0.6  # of the key point's text that the piece matches
# A key point recited inside other text: this share of its letters in a stretch at most
# `STRETCH` times as long as it is.
IN_TEXT = 0.75
STRETCH = 1.25
_ANCHOR = 4  # characters of a key point's text looked for first (its start, middle and end)
# Quotes and brackets part pieces too: a list may be data ('covered = ["…", "…"]').
# Ticks, boxes, bullets and circled numbers part them wherever they stand ("☐先确认… ☐挂断…",
# "①先确认… ②叫停…" on one line).
_PIECE = re.compile(
    r"[^\n；;/／|｜•·・●○◦▪■□☐☑☒✓✔✗✘\u2460-\u24ff\u2776-\u2793。！？!?\"“”「」『』\[\]{}]+[。！？!?]?"
)
# A list mark, a number, a tick or a box opening a piece: "1. ", "- [x] ", "☑ ", "（3）".
_MARK = re.compile(r"^[\s\-*>#•·・●○◦▪■□☐☑☒✓✔✗✘\[\]xX\d０-９一二三四五六七八九十、.．)）(（:：]+")
# A label before an item ("【答题要点】", "〔手册摘抄〕", "要点清单：", a key as in "unlocked=");
# some key points open with one of their own ("服务原因：道歉并改进服务安排"), so a piece is read
# with its label and without.
_LABEL = re.compile(
    r"^(?:[【〔〖［(（《][^】〕〗］)）》]{1,12}[】〕〗］)）》]|[^：:=]{1,24}[：:=])"
)
_NOT_CONTENT = re.compile(r"[\W_]+")

Span = tuple[int, int]


def _content(text: str) -> str:
    """The letters, digits and ideographs of folded `text`."""
    # Folded sentence and clause marks are most of what goes: dropped in C, and the regex is
    # run only when something else is left (`isalnum` is the complement of `[\W_]`).
    content = text.replace(SENTENCE_END, "").replace(CLAUSE_BREAK, "")
    return content if content.isalnum() else _NOT_CONTENT.sub("", content)


class Recital:
    """Finds key-point texts recited in an answer; built once per question."""

    def __init__(self, texts: Sequence[str]) -> None:
        """`texts`: the question's key-point texts, as the rubric writes them."""
        phrases = [normalize_phrase(text) for text in texts]
        kept = [(phrase, _content(phrase)) for phrase in phrases]
        kept = [(phrase, content) for phrase, content in kept if len(content) >= MIN_CHARS]
        self.phrases = [phrase for phrase, _ in kept]  # as folded, for what they say
        self._texts = [content for _, content in kept]
        self._letters = [frozenset(text) for text in self._texts]
        self._anchors = [
            (anchor, i)
            for i, text in enumerate(self._texts)
            for anchor in {
                text[:_ANCHOR],
                text[-_ANCHOR:],
                text[(len(text) - _ANCHOR) // 2 :][:_ANCHOR],
            }
        ]
        # The last answer read: an LLM grade asks twice, for the keyword grade beside it and
        # for the quotes it may not use.
        self._last: tuple[str, str, list[Span]] = ("", "", [])

    def spans(self, original: str, text: str) -> list[Span]:
        """The ranges of normalized `text` that recite key points, where `original` recites
        `MIN_RECITED` or more of them."""
        if len(self._texts) < MIN_RECITED:
            return []
        last_original, last_text, found = self._last
        if original == last_original and text == last_text:
            return list(found)
        found = self._find(original, text)
        self._last = (original, text, found)
        return list(found)

    def _find(self, original: str, text: str) -> list[Span]:
        """`spans`, read afresh."""
        # Most answers hold no key point's words verbatim: three cheap look-ups each tell.
        content = _content(text)
        near = sorted({i for anchor, i in self._anchors if anchor in content})
        if len(near) < MIN_RECITED:
            return []
        # A piece much longer than every key point near is a sentence of the answer's own;
        # folding keeps a piece's length but for a character or two.
        longest = max(len(self._texts[i]) for i in near) / SHARE + 2
        recited: dict[str, int] = {}
        for piece in _PIECE.findall(original):
            piece = _MARK.sub("", piece.strip())
            unlabelled = _LABEL.sub("", piece)
            for read in (piece, unlabelled) if unlabelled != piece else (piece,):
                if not MIN_CHARS <= len(_content(read)) <= longest:
                    continue
                said = _content(normalize_phrase(read))
                if len(said) >= MIN_CHARS and (i := self._recited(said, near)) is not None:
                    recited[read] = i
                    break
        if len(set(recited.values())) < MIN_RECITED:
            return []
        return located(list(recited), text)

    def recited_in(self, text: str) -> list[int]:
        """The key points whose texts normalized `text` holds nearly word for word anywhere
        (not only as a piece of their own: "柜内物品清单：资金用途违规…、不符合资质的拒绝"), as
        indexes of `phrases`: `IN_TEXT` of a key point's letters in a stretch at most
        `STRETCH` times its length."""
        content = _content(text)
        found = []
        for i in sorted({i for anchor, i in self._anchors if anchor in content}):
            if _recited_within(content, self._texts[i]):
                found.append(i)
        return found

    def _recited(self, said: str, near: Sequence[int]) -> int | None:
        """The first of the key points `near` that `said` (content only) recites, if any."""
        letters = frozenset(said)
        for i in near:
            key_point = self._texts[i]
            # What no SequenceMatcher can match: a length out of bounds, or more of the
            # piece's letters missing from the key point than `SHARE` leaves unmatched.
            if not COVER * len(key_point) <= len(said) <= len(key_point) / SHARE:
                continue
            if len(letters - self._letters[i]) > (1 - SHARE) * len(said):
                continue
            if _recites(said, key_point):
                return i
        return None


def _recited_within(content: str, key_point: str) -> bool:
    """Whether `content` holds `key_point` (both content only) nearly word for word."""
    matcher = SequenceMatcher(None, content, key_point, autojunk=False)
    # Runs of two letters or more, in the order they stand in `content`: single letters
    # in common are chance.
    runs = [(a, size) for a, _, size in matcher.get_matching_blocks() if size >= 2]
    widest, needed = STRETCH * len(key_point), IN_TEXT * len(key_point)
    for first, (start, _) in enumerate(runs):
        matched = 0
        for at, size in runs[first:]:
            if at + size - start > widest:
                break
            matched += size
            if matched >= needed:
                return True
    return False


def _recites(piece: str, key_point: str) -> bool:
    """Whether `piece` is `key_point`'s text nearly word for word (both content only)."""
    blocks = SequenceMatcher(None, piece, key_point, autojunk=False).get_matching_blocks()
    common = sum(block.size for block in blocks)
    return common >= SHARE * len(piece) and common >= COVER * len(key_point)
