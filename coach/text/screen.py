"""Screening an answer before it is scored: non-answers, injection, keyword lists, wrong language,
repetition and padding.

Every check works on normalized text and returns plain facts; the grader decides what they cost.
These checks guard both graders: the keyword grader uses them to keep a score honest, the LLM
grader to flag answers whose high score needs a second look.

The checks live by concept in `coach.text.content` (content characters, wrong language),
`injection`, `term_list`, `padding` and `prompt_copy`; this module adds non-answers and
combines them all in `screen`.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Sequence
from typing import NamedTuple

from coach.text.addressed import grading_talk_spans, hinted_anywhere
from coach.text.content import content_of, language_mismatch
from coach.text.injection import injection_sentences
from coach.text.judged import judged_spans
from coach.text.match import Hit
from coach.text.normalize import CLAUSE_BREAK
from coach.text.outline import outline_spans
from coach.text.padding import filler_runs, filler_sentences, latin_filler, repetition
from coach.text.prompt_copy import Prompt, prompt_copy
from coach.text.sections import aside_spans, governed_spans, line_spans
from coach.text.tag_lines import tag_lines
from coach.text.term_list import looks_like_keyword_list

_NON_ANSWER = re.compile(
    r"(?:我|本人)?(?:也|真的|确实|实在|暂时|还)?"
    r"(?:不知道|不清楚|不太清楚|不了解|不太了解|不会|不懂|没想法|没有想法|没想过|答不上来|回答不了|想不出来"
    r"|无可奉告|无|没有|略|跳过|不知道怎么回答|不知道该怎么回答|不会回答|没什么可说的"
    r"|pass|skip|idk|idontknow|dontknow|noidea|na|none|nothing|nocomment|todo|tbd|test|测试|嗯+|啊+|哦+)"
    r"(?:呢|啊|呀|哦|诶|耶|吧|了|哈)*"
    # "Master keys": a heading with nothing under it ("解题思路：", "Thought process:", "1. 2. 3.")
    # reads to a lenient judge as the start of a good answer, and some judges reward it.
    r"|(?:以下是|下面是)?(?:我的)?(?:解题思路|思路分析|分析思路|答题思路|思路|答案|参考答案|回答如下|回答"
    r"|解答|解析|答|解)(?:如下|是)?[0-9]*"
    r"|(?:heres|hereis|my)?(?:thoughtprocess|thinkingprocess|reasoning|solution|answer|response)"
    r"(?:is|asfollows|follows)?[0-9]*"
    r"|lets(?:solvethisproblem|solvethis|think|workthisout|thinkaboutthis)?stepbystep[0-9]*"
)


class Screening(NamedTuple):
    """What the screening found; `spans` are normalized-text ranges, for evidence."""

    content: str  # letters, digits and ideographs only: see `content_of`
    content_chars: int
    blank: bool
    non_answer: bool
    injection: tuple[Hit, ...]
    # Sentences about the grade itself ("本回答覆盖了全部得分点", "示例：… → 10/10"): they earn
    # no key point, flagged or not (`address_rules.talks_about_grading`).
    grading_talk: tuple[Hit, ...]
    # Sentences that announce the answer's points by name (`coach.text.outline`).
    outlines: tuple[Hit, ...]
    keyword_list: bool
    language_mismatch: bool
    repetition: tuple[Hit, ...]  # the first repeated clause, when the answer repeats itself
    # Filler found in the normalized text (a Latin run, the prompt restated, filler sentences)
    # and, apart, runs of punctuation or blank lines: those are ranges of the *original* text,
    # since the whitespace is gone from the normalized one.
    padding: tuple[Hit, ...]
    padding_runs: tuple[Hit, ...]

    # Whether all the talk about the grade is lines that only name terms (`tag_lines`).
    only_tags: bool = False

    @property
    def padded(self) -> bool:
        return bool(self.padding or self.padding_runs)


def screen(
    original: str,
    text: str,
    language: str,
    prompt: Prompt | None = None,
    asked: Callable[[str], bool] | None = None,
    question_prompt: str = "",
) -> Screening:
    """Run every answer-level check on one normalized answer.

    `prompt` (the question's, from `prompt_copy.compile_prompt`) finds the prompt restated in
    the answer; `asked` tells filler phrases the rubric asks for (see `padding.filler_sentences`);
    `question_prompt` (normalized) says whether the question asks about scores, which are then
    no talk about the grade (`addressed.grading_talk_spans`, `sections.governed_spans`;
    a verdict on a performance, `judged.judged_spans`, is talk about the grade whatever the
    question).
    """
    content = content_of(text)
    blank = not content
    # Non-answers are short; long answers skip the pattern.
    non_answer = 0 < len(content) <= 40 and _NON_ANSWER.fullmatch(content) is not None
    substantive = not (blank or non_answer)
    padding: tuple[Hit, ...] = ()
    if substantive:
        padding = latin_filler(text, content, language)
        if prompt is not None:
            padding += prompt_copy(text, content, prompt)
        padding += filler_sentences(text, content, asked)
    talk = grading_talk(text, original, question_prompt) if substantive else ()
    return Screening(
        content=content,
        content_chars=len(content),
        blank=blank,
        non_answer=non_answer,
        injection=injection_sentences(text, original, question_prompt) if substantive else (),
        grading_talk=talk,
        outlines=merged(outline_spans(original, text)) if substantive else (),
        keyword_list=substantive and looks_like_keyword_list(original, text, content),
        language_mismatch=substantive and language_mismatch(content, language),
        repetition=repetition(text, content) if substantive else (),
        padding=tuple(sorted(padding)),
        padding_runs=filler_runs(original) if substantive else (),
        only_tags=bool(talk) and _within(talk, merged(tag_lines(original, text))),
    )


def _within(spans: Sequence[Hit], outer: Sequence[Hit]) -> bool:
    """Whether every one of `spans` lies inside one of `outer`."""
    return all(any(o.start <= s.start and s.end <= o.end for o in outer) for s in spans)


@functools.lru_cache(maxsize=8)  # an LLM grade asks twice: the screen, and the quote finder
def grading_talk(text: str, original: str, prompt: str = "") -> tuple[Hit, ...]:
    """Ranges of normalized `text` that talk about the grade, on both paths: its sentences
    (`addressed.grading_talk_spans`), what a heading or label about the grade in `original`
    governs (`sections.governed_spans`), verdicts on a performance (`judged.judged_spans`)
    and lines that tag the answer (`coach.text.tag_lines`);
    `prompt` (normalized) says whether score words are the job's."""
    spans = grading_talk_spans(text, prompt) + governed_spans(original, text, prompt)
    # Lines and asides read apart hold no word of the grading that the whole text lacks (the
    # cheap test, read once for the sentences above, spares most answers a second reading).
    if hinted_anywhere(text):
        if "\n" in original:
            spans += line_spans(
                original, text, lambda line: grading_talk_spans(line, prompt) + judged_spans(line)
            )
        spans += aside_spans(original, text, lambda bare: grading_talk_spans(bare, prompt))
    spans += judged_spans(text) + tag_lines(original, text)
    return merged(spans)


def merged(spans: Sequence[tuple[int, int]]) -> tuple[Hit, ...]:
    """`spans` sorted, with those that overlap joined (a heading's section holds its talk)."""
    joined: list[Hit] = []
    for start, end in sorted(spans):
        if joined and start < joined[-1].end:
            joined[-1] = Hit(joined[-1].start, max(end, joined[-1].end))
        else:
            joined.append(Hit(start, end))
    return tuple(joined)


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
