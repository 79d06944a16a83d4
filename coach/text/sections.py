"""A heading about the grade governs the lines under it.

"评语：" or "【历史评分记录】" alone on a line says that what follows is a field of a grade or a
record of grades, not the answer: the heading and every line under it, up to a blank line or
the next heading, are talk about the grade (`coach.text.addressed.talks_about_grading`), so
key-point words written there earn nothing. An answer's own headings ("处理步骤：", "改进建议：",
"Steps:") name no part of a grade and govern nothing; where the question asks about scores (a
quality-check score), a heading naming a score is the job's too.
"""

from __future__ import annotations

import re

from coach.text.addressed import scores_are_topic, tags_of
from coach.text.normalize import normalize

MAX_HEADING = 24  # characters: a longer line is a sentence, not a heading
# A line that labels what follows: it ends on a colon, or stands in brackets, bold or after "#".
_HEADING = re.compile(r"(?:.*[:：]|【.*】|\[.*\]|\*\*.*\*\*|#+ .*)")
# What a heading names when it is a grade's: a verdict field, a score, the rubric, the grader.
_GRADE_PARTS = frozenset({"verdict_label", "score", "full_marks", "rubric", "grader"})
_AUTHORITY_NOTES = frozenset({"field", "claim", "score"})  # "【面试官批注】", not "面试官："


def governed_spans(original: str, text: str, prompt: str = "") -> list[tuple[int, int]]:
    """Ranges of normalized `text` under a heading about the grade in `original` (with the
    heading); `prompt` (normalized) tells whether the question asks about scores."""
    if "\n" not in original:
        return []
    found: list[tuple[int, int]] = []
    governed: list[str] = []
    for line in [*original.splitlines(), ""]:
        stripped = line.strip()
        if governed and stripped and not _is_heading(stripped):
            governed.append(stripped)
            continue
        if len(governed) > 1:
            found += _located(governed, text)
        governed = [stripped] if stripped and _names_grade(stripped, prompt) else []
    return found


def _is_heading(line: str) -> bool:
    return len(line) <= MAX_HEADING and _HEADING.fullmatch(line) is not None


def _names_grade(line: str, prompt: str) -> bool:
    """Whether `line` is a heading naming a part of the grade."""
    if not _is_heading(line):
        return False
    tags = tags_of(normalize(line).text)
    if "domain" in tags:
        return False  # "信用评分：", "质检评分标准："
    if "authority" in tags and tags & _AUTHORITY_NOTES:
        return True
    named = tags & _GRADE_PARTS
    if named <= {"score"} and prompt and scores_are_topic(prompt):
        return False
    return bool(named)


def _located(lines: list[str], text: str) -> list[tuple[int, int]]:
    """Where each of `lines` (in order) stands in normalized `text`."""
    spans = []
    cursor = 0
    for line in lines:
        folded = normalize(line).text.strip()
        start = text.find(folded, cursor) if folded else -1
        if start >= 0:
            cursor = start + len(folded)
            spans.append((start, cursor))
    return spans
