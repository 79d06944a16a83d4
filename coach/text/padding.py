"""Padding: an answer made longer without saying more.

Clauses said again (`repetition`), runs of punctuation or blank lines (`filler_runs`), Latin
letters that are not English in a Chinese answer (`latin_filler`), and courtesy, preamble and
self-promotion sentences (`filler_sentences`). The question's prompt restated is padding too:
see `coach.text.prompt_copy`.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from coach.text.content import EN_FUNCTION_WORDS, LATIN_WORD, content_of, ideographs
from coach.text.match import Hit
from coach.text.normalize import CLAUSE_BREAK, LINE_END_SPACE, SENTENCE_END

# Repetition: clauses (or sentences) the answer has said already. A clause shorter than this
# many content characters ("好的", "第一") is a connective, not a claim.
REPEAT_MIN_CLAUSE = 6
REPEAT_SHARE = 0.3  # of the content in clauses said before: the answer pasted again
REPEAT_TIMES = 3  # one clause said this often is a refrain, not emphasis
# Padding: filler that adds no substance.
FILLER_RUN_CHARS = 20  # punctuation, symbols and blank lines in a row (spaces count once)
# (The leading class, outside the repeat, lets `re` skip ahead to candidates in C.)
_FILLER_RUN = re.compile(rf"[\W_][\W_]{{{FILLER_RUN_CHARS - 1},}}")
_HORIZONTAL_SPACE = re.compile(r"[^\S\n]+")
# A Markdown rule or table separator ("---", "|---|:---|") between paragraphs is layout, not
# filler: what is left of such a run without them and its whitespace is a full stop or two.
_RULE_CHARS = re.compile(r"[|:\-=_*~—–]")
_SPACE = re.compile(r"\s+")
LATIN_RUN_CHARS = 120  # Latin letters in a row in a Chinese answer, when they are not English
_LATIN_RUN = re.compile(rf"[a-z][a-z0-9 .'\-，。]{{{LATIN_RUN_CHARS - 1},}}")
ENGLISH_FUNCTION_SHARE = 0.08  # of the words; English prose has several times this
FILLER_SHARE = 0.25  # of the content in courtesy, preamble and self-promotion sentences
# Sentences that say nothing about the question: courtesy to the interviewer, talk about the
# question instead of an answer to it, and self-promotion. A rubric that asks for one of these
# ("希望加入贵行" in a self-introduction) makes it content: see `screen`'s `asked`. Every branch
# starts with a plain character, so `re` skips ahead to candidates instead of trying each
# position of the answer (one branch opening with a group would cost ten times as much).
_THANKED = (
    r"(?:各位)?(?:面试官|考官|评委|您的(?:聆听|倾听|耐心|时间)|聆听|倾听"
    r"|(?:贵行|贵公司)?给我(?:这次|这个)?(?:面试)?机会)"
)
_FILLER = re.compile(
    "|".join(
        [
            # courtesy
            rf"谢谢{_THANKED}",
            rf"感谢{_THANKED}",
            rf"多谢{_THANKED}",
            r"面试官(?:您|你)?辛苦",
            r"辛苦(?:您|你|各位)?了",
            r"再次(?:感谢|谢谢)",
            r"工作顺利|万事如意|心想事成|身体健康|阖家幸福|前程似锦|步步高升",
            r"期待(?:您的|你的|贵行的|贵公司的)?(?:回复|答复|消息|佳音)",
            r"期待(?:能)?(?:有机会)?加入",
            r"以上(?:就)?是我的(?:回答|全部回答|看法)",
            r"我的回答完毕|回答完毕",
            # talk about the question
            r"问题问得(?:非常|很|特别|真|十分)?好",
            r"一个(?:非常|很|特别)?好的?问题|一道(?:非常|很|特别)?好的?问题|非常好的问题",
            r"在回答(?:这个|这道|该)?(?:问题)?之前",
            r"我想先谈谈",
            r"把我的(?:思路|想法|观点)表达清楚",
            r"从(?:几个|以下几个|多个)方面来?(?:回答|谈谈|说说)(?:这个|这道)?问题",
            # self-promotion
            r"性格开朗|乐于助人|抗压能力强|吃苦耐劳|积极向上|踏实肯干|责任心强|做事认真负责",
            r"热爱[^。，]{0,10}的求职者",
            r"作为一名求职者",
            r"不辜负[^。]{0,16}期望",
            r"加入贵(?:行|公司|单位|司)",
            r"实现(?:自己的|自我)?人生价值",
            r"和大家一起成长",
            r"从小就对",
            r"只要用心",
            r"不断学习，?不断进步",
            r"成为一名优秀的(?:员工|银行人|客服)",
            # English
            r"thank you for (?:your time|listening|the opportunity|this opportunity|having me)",
            r"great question|good question|excellent question|before i answer",
            r"hard.?working team player",
            r"hope to join your|look forward to joining your",
            r"that concludes my answer|this concludes my answer",
        ]
    )
)


def _clauses(text: str) -> list[str]:
    """The clauses and sentences of normalized text (split in C: no pattern)."""
    marks = text.replace(CLAUSE_BREAK, SENTENCE_END)
    if "." in marks:  # English keeps "." through normalization
        marks = marks.replace(". ", SENTENCE_END)
    return marks.split(SENTENCE_END)


def repetition(text: str, content: str) -> tuple[Hit, ...]:
    """The first clause said again, when the answer repeats itself: `REPEAT_SHARE` of its
    content in clauses said before, or one clause said `REPEAT_TIMES` times or more."""
    if len(content) < 2 * REPEAT_MIN_CLAUSE:
        return ()
    repeated = 0
    first = ""
    refrain = False
    pieces = _clauses(text)
    # Normalization drops spaces next to a break, so equal clauses are equal strings, and an
    # answer without any clause said twice (most answers) is told apart in C.
    if len(set(pieces)) < len(pieces):
        seen: dict[str, int] = {}
        for piece in pieces:
            if len(piece) < REPEAT_MIN_CLAUSE:
                continue
            times = seen.get(piece, 0) + 1
            seen[piece] = times
            if times == 1:
                continue
            size = len(content_of(piece))
            if size < REPEAT_MIN_CLAUSE:
                continue
            repeated += size
            first = first or piece
            refrain = refrain or times >= REPEAT_TIMES
    if not (refrain or repeated >= REPEAT_SHARE * len(content)):
        # A copy pasted right after the answer merges its first clause with the answer's last
        # one when the answer ends without a full stop; a whole answer repeated is still
        # periodic content, whose opening characters come again (most answers stop here).
        if content.find(content[:REPEAT_MIN_CLAUSE], 1) < 0:
            return ()
        for copies in range(2, 6):
            size, extra = divmod(len(content), copies)
            if size >= REPEAT_MIN_CLAUSE and not extra and content == content[:size] * copies:
                break
        else:
            return ()
        first = first or next((p for p in pieces if len(p) >= REPEAT_MIN_CLAUSE), "")
    at = text.find(first) if first else -1
    again = text.find(first, at + len(first)) if at >= 0 else -1
    return (Hit(again, again + len(first)),) if again >= 0 else ()


def filler_runs(original: str) -> tuple[Hit, ...]:
    """Runs of punctuation, symbols or blank lines in the *original* answer: `FILLER_RUN_CHARS`
    or more in a row, a stretch of spaces counting once (alignment is not filler)."""
    runs = []
    # Whitespace before or after the answer is no part of a run: a closing "。”" followed by
    # blank lines is the end of an answer, not filler.
    first, last = len(original) - len(original.lstrip()), len(original.rstrip())
    for match in _FILLER_RUN.finditer(original, first, last):
        run = match.group(0)
        ink = _SPACE.sub("", run)
        rest = _RULE_CHARS.sub("", ink)
        if len(ink) - len(rest) >= 3 and len(rest) <= 2:
            continue
        # Spaces at a line's end are no ink either ("\r\n" is read as " \n").
        if len(_HORIZONTAL_SPACE.sub(" ", LINE_END_SPACE.sub("\n", run))) >= FILLER_RUN_CHARS:
            runs.append(Hit(match.start(), match.end()))
    return tuple(runs)


def latin_filler(text: str, content: str, language: str) -> tuple[Hit, ...]:
    """A long run of Latin letters in a Chinese answer that is not English prose (lorem
    ipsum, a keyboard mash): it fills the answer and says nothing."""
    if language != "zh" or len(content) - ideographs(content) < LATIN_RUN_CHARS // 2:
        return ()
    found = []
    for match in _LATIN_RUN.finditer(text):
        words = LATIN_WORD.findall(match.group(0))
        english = sum(word in EN_FUNCTION_WORDS for word in words)
        if english < ENGLISH_FUNCTION_SHARE * len(words):
            found.append(Hit(match.start(), match.end()))
    return tuple(found)


def filler_sentences(
    text: str, content: str, asked: Callable[[str], bool] | None = None
) -> tuple[Hit, ...]:
    """Courtesy, preamble and self-promotion sentences, when they are `FILLER_SHARE` of the
    content or more. `asked(phrase)` says the rubric asks for the phrase: then it is content."""
    if _FILLER.search(text) is None:
        return ()
    sentences: list[Hit] = []
    for match in _FILLER.finditer(text):
        if asked is not None and asked(match.group(0)):
            continue
        start = text.rfind(SENTENCE_END, 0, match.start()) + 1
        if sentences and start < sentences[-1].end:
            continue
        end = text.find(SENTENCE_END, match.end())
        sentences.append(Hit(start, len(text) if end < 0 else end))
    filler = sum(len(content_of(text[hit.start : hit.end])) for hit in sentences)
    if not sentences or filler < FILLER_SHARE * len(content):
        return ()
    return tuple(sentences)
