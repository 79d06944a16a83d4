"""Lines that tag the answer rather than say anything.

A run of hashtags ("#倾听道歉 #核实退款 #满分答案"), a line of terms between bullets or bars
("• 如实 • 核实 • 转人工 • 工单 • 回访", "☑ 多要素  ☑ 未通过  ☑ 人脸识别 …") and a column of
checked boxes each holding a bare term ("- [x] 冷静", "- [x] 理解您", "- [x] 提交工单") name
words; they do not say what the candidate would do. Their words earn nothing, and the verdict
among them reaches no grade. A checklist whose items say something ("- [x] 按紧急程度排队：挂失、
冻结先处理") is the answer's, as is a single tag in a sentence, "#1" or "C#".
"""

from __future__ import annotations

import re

from coach.text.checklist import TICKS
from coach.text.sections import located
from coach.text.term_list import MAX_NAMED_ITEM, names_terms

# A run of hashtags: two or more "#word" (not "#1") with nothing but spaces between them.
_TAG_RUN = re.compile(r"(?:[#＃](?!\d+(?:\s|$))[^\s#＃]+[ \t\u3000]*){2,}")
# Bullets, bars or boxes between the terms of one line.
_BULLETS = f"•·｜|▪●◦☐□■{TICKS}"
_BULLET = re.compile(f"[{re.escape(_BULLETS)}]")  # one scan in C, not one per bullet
_TABLE_ROW = re.compile(r"\|.*\|")
MIN_BULLETED = 5  # terms on one line between bullets that make it a row of tags
# A checked box opening a line ("- [x]", "☑", "✅", "✓"), and the term after it.
_CHECKED_LINE = re.compile(rf"(?:[-*+•]\s*)?(?:\[[xX]\]|[{TICKS}])\s*(\S.*)")
MIN_CHECKED = 3  # checked lines of bare terms in a row that make a column of tags


def tag_lines(original: str, text: str) -> list[tuple[int, int]]:
    """Where each run of hashtags, each line of terms between bullets and each column of
    checked bare terms in `original` stands in normalized `text` (see the module docstring)."""
    runs = []
    if "#" in original or "＃" in original:  # most answers: a test of two characters
        runs += [m.group().strip() for m in _TAG_RUN.finditer(original)]
    if _BULLET.search(original) is not None or "[x]" in original or "[X]" in original:
        lines = [line.strip() for line in original.splitlines()]
        runs += [
            line
            for line in lines
            if sum(map(line.count, _BULLETS)) >= MIN_BULLETED - 1
            and not _TABLE_ROW.fullmatch(line)  # a table's cells lay out facts
            and names_terms(line, MIN_BULLETED)
        ]
        runs += _checked_column(lines)
    return located(runs, text) if runs else []


def _checked_column(lines: list[str]) -> list[str]:
    """The lines of each run of `MIN_CHECKED` or more checked boxes holding one bare term."""
    found: list[str] = []
    run: list[str] = []
    for line in [*lines, ""]:
        match = _CHECKED_LINE.fullmatch(line)
        if match is not None and _bare_term(match.group(1)):
            run.append(line)
            continue
        if len(run) >= MIN_CHECKED:
            found += run
        run = []
    return found


def _bare_term(item: str) -> bool:
    """One short term, or two or three joined by list marks ("回访、修改密码")."""
    item = item.strip()
    return len(item) <= MAX_NAMED_ITEM or names_terms(item, 2)
