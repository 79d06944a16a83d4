"""Screening an answer before it is scored: non-answers, injection, keyword lists, wrong language.

Every check works on normalized text and returns plain facts; the grader decides what they cost.
These checks guard both graders: the keyword grader uses them to keep a score honest, the LLM
grader to flag answers whose high score needs a second look.
"""

from __future__ import annotations

import re
import statistics
from dataclasses import dataclass

from coach._match import Hit
from coach._normalize import CLAUSE_BREAK, SENTENCE_END

_CONTENT = re.compile(r"[0-9a-z\u3400-\u4dbf\u4e00-\u9fff]+")
_NOT_CONTENT = re.compile(r"[^0-9a-z\u3400-\u4dbf\u4e00-\u9fff]")
_NON_ANSWER = re.compile(
    r"(?:我|本人)?(?:也|真的|确实|实在|暂时|还)?"
    r"(?:不知道|不清楚|不太清楚|不了解|不太了解|不会|不懂|没想法|没有想法|没想过|答不上来|回答不了|想不出来"
    r"|无可奉告|无|没有|略|跳过|不知道怎么回答|不知道该怎么回答|不会回答|没什么可说的"
    r"|pass|skip|idk|idontknow|dontknow|noidea|na|none|nothing|nocomment|todo|tbd|test|测试|嗯+|啊+|哦+)"
    r"(?:呢|啊|呀|哦|诶|耶|吧|了|哈)*"
)
_INJECTION = re.compile(
    r"(?:忽略|无视|忘记|忘掉|不要理会|别管|跳过|覆盖)[^。]{0,8}?(?:评分|打分|指令|规则|标准|要求|提示|设定|说明|rubric)"
    r"|(?P<marks>(?:给|打|评|判)(?:我|本回答|这个回答|此回答|这份回答|该回答|本答案|我的回答)?"
    r"(?:个|一个)?(?:满分|最高分|100分|一百分|十分满分))"
    r"|(?:你|您)(?:现在)?(?:是|作为)(?:一个|一名)?(?:评分|打分|阅卷)"
    r"|(?:评分|打分)(?:系统|模型|程序)(?:请|应|须|必须)"
    r"|ignore[^。]{0,30}?(?:instruction|rubric|criteria|rule|prompt)s?"
    r"|disregard[^。]{0,30}?(?:instruction|rubric|criteria|rule|prompt)s?"
    r"|(?:give|award|assign|grant)[^。]{0,20}?(?:full|maximum|max|perfect|100|top)\s?(?:marks|score|points|grade)"
    r"|(?:^|[^a-z])(?:system|assistant|developer)\s?(?:，|prompt|message|指令)"
    r"|<\|?im_(?:start|end)\|?>|\[/?inst\]|###\s?(?:instruction|system)"
    # JSON-like "score": 12 (braces and quotes are gone after normalization, ':' became '，')
    r"|(?<![a-z])(?:score|points|percent|grade|total)，\s?\d|总分，\s?\d"
    r"|(?:score|分数|得分|总分)\s?[，=]\s?(?:100|满分|10/10|100/100)"
    # "本回答应得满分", a fake system notice about the score, "award 12/12"
    r"|(?:应|应该|应当|必须|理应)(?:得|获得|拿到?)满分"
    r"|系统(?:提示|消息|指令|通知)[^。]{0,16}?(?:满分|评分|打分|得分|分数)"
    r"|(?:give|award|assign|grant)[^。]{0,20}?\d+\s?/\s?\d+"
    r"|(?:^|[^a-z])(?:grader|judge|evaluator|scorer)\s?，"
    # "评分：12/12" reads as a score line, unless it reports a customer's rating
    r"|(?P<rated>(?:评分|打分|分数|得分|总分|score|grade)\s?[，=]\s?\d+(?:\.\d+)?\s?/\s?\d+)"
)
# "满分" said of a customer's rating is part of an answer, not an instruction to the grader.
_RATING_CONTEXT = re.compile(r"客户|顾客|用户|满意|评价|好评")
# Every branch of _INJECTION contains one of these words; most answers contain none, and one
# search for plain words is far cheaper than the full pattern.
_INJECTION_HINTS = re.compile(
    "忽略|无视|忘记|忘掉|理会|别管|跳过|覆盖|满分|最高分|100分|一百分|评分|打分|阅卷|分数|得分|总分"
    "|ignore|disregard|marks|score|points|percent|grade|total|system|assistant|developer|im_|inst"
    "|award|grader|judge|evaluator|scorer"
    "|###"
)
# Characters that glue Chinese sentences together; a list of terms has almost none.
_GLUE = re.compile(
    "[的了是我会在把将对给让先再后因所如并且而但就要也都能这那您你他她它们及与和时从向到被]+"
)
_LATIN = re.compile(r"[a-z]+")
_EN_FUNCTION_WORDS = frozenset(
    [
        "the",
        "a",
        "an",
        "and",
        "to",
        "of",
        "i",
        "we",
        "you",
        "will",
        "would",
        "is",
        "are",
        "be",
        "with",
        "for",
        "in",
        "on",
        "that",
        "this",
        "it",
        "my",
        "our",
    ]
)
_LIST_SPLIT = re.compile(r"[\s,，、;；。.!！?？/|·\-]+")


@dataclass(frozen=True, slots=True)
class Screening:
    """What the screening found; `spans` are normalized-text ranges, for evidence."""

    content: str  # letters, digits and ideographs only: see `content_of`
    content_chars: int
    blank: bool
    non_answer: bool
    injection: tuple[Hit, ...]
    keyword_list: bool
    language_mismatch: bool


def content_of(text: str) -> str:
    """The letters, digits and ideographs of normalized text, without punctuation or spaces."""
    # Folded sentence and clause marks are nearly all an answer's punctuation: drop them in C,
    # and take the slower path only when something else is left.
    content = text.replace(SENTENCE_END, "").replace(CLAUSE_BREAK, "")
    if _NOT_CONTENT.search(content) is None:
        return content
    return "".join(_CONTENT.findall(content))


def injection_sentences(text: str) -> tuple[Hit, ...]:
    """Sentences of normalized text that speak to the grader instead of answering."""
    if _INJECTION_HINTS.search(text) is None:
        return ()
    spans: list[Hit] = []
    for match in _INJECTION.finditer(text):
        start = text.rfind(SENTENCE_END, 0, match.start()) + 1
        rating = match.lastgroup in ("marks", "rated")
        if rating and _RATING_CONTEXT.search(text, start, match.start()):
            continue  # "客户说要给我满分" talks about a customer's rating, not to the grader
        end = text.find(SENTENCE_END, match.end())
        end = len(text) if end < 0 else end + 1
        if spans and start < spans[-1].end:
            spans[-1] = Hit(spans[-1].start, max(end, spans[-1].end))
        else:
            spans.append(Hit(start, end))
    return tuple(spans)


def ideographs(content: str) -> int:
    """How many ideographs `content` (the output of `content_of`) holds.

    Content is ASCII letters and digits (one byte each in UTF-8) plus BMP ideographs (three
    bytes each), so the encoded length gives the count without a pass in Python.
    """
    return (len(content.encode()) - len(content)) // 2


def _count(pattern: re.Pattern[str], text: str) -> int:
    """How many characters of `text` the character-class `pattern` covers (in C, not a loop)."""
    return len(text) - len(pattern.sub("", text))


def _separators(original: str, text: str) -> int:
    """Clause and list separators: folded punctuation plus the original's whitespace."""
    folded = text.count(CLAUSE_BREAK) + text.count(SENTENCE_END)
    return folded + original.count(" ") + original.count("\n") + original.count("\u3000")


def looks_like_keyword_list(original: str, text: str, content: str, language: str) -> bool:
    """A bare list of terms: many very short items, or sentences without any glue words."""
    if len(content) < 6:
        return False
    if language == "zh":
        separators = _separators(original, text)
        # Items of at most four characters need a separator every few characters.
        if separators >= 3 and separators * 5 >= len(content):
            items = [item for item in _LIST_SPLIT.split(original) if item]
            if len(items) >= 4 and statistics.median(len(item) for item in items) <= 4:
                return True
        if separators * 25 >= len(content):
            return False  # punctuated like prose: the glue test below is for run-on term lists
        cjk = ideographs(content)
        if cjk < max(8, len(content) // 2):
            return False
        return _count(_GLUE, content) / cjk < 0.05
    words = re.findall(r"[a-z']+", text)
    if len(words) < 8:
        return False
    return sum(word in _EN_FUNCTION_WORDS for word in words) / len(words) < 0.08


def language_mismatch(content: str, language: str) -> bool:
    """True when the answer is plainly not written in the bank's language."""
    cjk = ideographs(content)
    if language == "zh" and len(content) - cjk < 20:
        return False  # fewer than 20 ASCII letters and digits: it cannot be mostly Latin
    latin = _count(_LATIN, content)
    if language == "zh":
        return latin >= 20 and cjk < 0.2 * (cjk + latin)
    return cjk >= 10 and cjk > 0.5 * (cjk + latin)


def screen(original: str, text: str, language: str) -> Screening:
    """Run every answer-level check on one normalized answer."""
    content = content_of(text)
    blank = not content
    # Non-answers are short; long answers skip the pattern.
    non_answer = 0 < len(content) <= 40 and _NON_ANSWER.fullmatch(content) is not None
    substantive = not (blank or non_answer)
    return Screening(
        content=content,
        content_chars=len(content),
        blank=blank,
        non_answer=non_answer,
        injection=injection_sentences(text) if substantive else (),
        keyword_list=substantive and looks_like_keyword_list(original, text, content, language),
        language_mismatch=substantive and language_mismatch(content, language),
    )


def blank_out(text: str, spans: tuple[Hit, ...]) -> str:
    """Replace spans with clause breaks of the same length, so offsets stay valid."""
    if not spans:
        return text
    pieces = []
    done = 0
    for span in spans:
        pieces.append(text[done : span.start])
        pieces.append(CLAUSE_BREAK * (span.end - span.start))
        done = span.end
    pieces.append(text[done:])
    return "".join(pieces)
