"""Shapes that make a sentence about the grade without a grading word: a perfect fraction
("10/10"), a number of points ("12分"), a mark out of a scale ("9.5/10"), a tick, a score line
("总分：12/12", "结论：合格"); and the cheap test of which are worth looking for in a text.

`coach.text.grading_concepts` tags sentences with them; `coach.text.addressed` reads only the
sentences where a shape or a grading word may stand.
"""

from __future__ import annotations

import re

from coach.text.checklist import TICK

# A perfect fraction ("10/10") and a number of points ("12分", "5 points"). Each opens with a
# digit and tests the character before it after that: see `lexicon_patterns._entry_sources`.
PERFECT = re.compile(r"(\d)(?<![\d.]\d)(\d{0,2}) ?/ ?\1\2(?!\d|\.\d)")
POINTS = re.compile(
    r"\d(?<![\d.]\d)\d*(?:\.\d+)? ?(?:分(?![钟钱之])|点(?!击)|점|points?(?![a-z])|marks?(?![a-z])"
    r"|pts(?![a-z])|punkte(?![a-z])|puntos(?![a-z])|балл)"
)
# A fraction with a word for what it counts after it ("2/5项不符", "3/5 items") is a count.
_COUNTED = r"(?! ?(?:[项个次条笔位人天张件步家名户页份周]|items?(?![a-z])|times(?![a-z])))"
# A mark out of a scale ("9.5/10", "4/5"), not a date, a count or a ratio of other things.
OUT_OF = re.compile(rf"(?<![\d.])(\d{{1,3}}(?:\.\d)?) ?/ ?(5|10|100)(?![\d/]){_COUNTED}")


def within_scale(match: re.Match[str]) -> bool:
    return float(match.group(1)) <= float(match.group(2))


# A score line: a grading key, then a colon (folded to "，") or a space and a number, or right
# away a fraction or full marks ("总分：12/12", "score = 100", "| 总分 | 10/10 |" once revealed).
_SCORE_KEYS = (
    "score|scores|points|grade|total|percent|marks|result|verdict|结论|criteria|criterion|dimension|note"
    "|punkte|puntuacion|评分|打分|得分|总分|分数|成绩|评级|维度|点数|得点|점수|балл|оценка"
)
_SCORE_KEY = "|".join(
    f"{key[0]}(?<![a-z]{key[0]}){key[1:]}" if key.isascii() else key
    for key in _SCORE_KEYS.split("|")
)
SCORE_LINE = re.compile(
    rf"(?:{_SCORE_KEY})(?:[， =]{{0,2}}(?:\d+ ?/ ?\d+|满分|full marks|a\+|优秀|excellent|perfect)"
    r"|[， =] ?(?:\d|a(?![a-z0-9]))|(?:应为|应该是|应是| should be| must be) ?\d"
    # a verdict as the whole value: "结论：合格。", "result: pass"
    r"|[，=] ?(?:合格|通过|录用|pass|passed|hire)(?=[。，;；]|$))"
)
# The shapes that may make a sentence about the grade without a grading word.
SHAPES = (PERFECT, POINTS, TICK, SCORE_LINE)
# What a match of a shape starts with or holds: a digit or a tick, or a score line's value
# that has neither ("结论：合格"; a bare letter grade, "verdict: A", is too common a letter).
_SHAPE_START = re.compile(rf"\d|{TICK.pattern}")
_WORD_VALUE = re.compile(r"合格|通过|录用|pass|hire|满分|full marks|优秀|excellent|perfect")


def shapes_in(text: str) -> tuple[re.Pattern[str], ...]:
    """The shapes worth looking for in `text`: none when it holds no digit, no tick and no
    score line's word value (most answers), which one or two scans tell instead of four."""
    if _SHAPE_START.search(text) is not None:
        return SHAPES
    return (SCORE_LINE,) if _WORD_VALUE.search(text) is not None else ()
