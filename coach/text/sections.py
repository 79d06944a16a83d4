"""A heading or a label about the grade governs the text it labels.

"评语：" or "【历史评分记录】" alone on a line says that what follows is a field of a grade or a
record of grades, not the answer: the heading and every line under it, up to a blank line or
the next heading, are talk about the grade (`coach.text.addressed.talks_about_grading`), so
key-point words written there earn nothing. A label opening a line governs that line: a
reference answer pasted after "参考答案（供核对）：", the points listed after "Points covered, for
the marker:", an interviewer's lines in a transcript ("面试官A：…这些你都说到了"): someone
else's words, or the grader's own key, are not the candidate's answer. Nor is a "translation"
or another version of the answer above ("【上文の日本語訳】…"): faithful, it adds nothing;
unfaithful, it adds what the candidate never said.

An answer's own headings and labels ("处理步骤：", "改进建议：", "Steps:", "客户：", "候选人：")
name no part of a grade and govern nothing; where the question asks about scores (a
quality-check score), a label naming a score is the job's too.

A paragraph is the unit an attacker sets apart: one of a multi-paragraph answer that holds an
instruction or talk about the grade is its vehicle (`vehicle_spans`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from coach.text.addressed import may_anchor, scores_are_topic, tags_of
from coach.text.checklist import TICK
from coach.text.normalize import normalize

MAX_HEADING = 24  # characters: a longer line is a sentence, not a heading
MAX_LABEL = 48  # characters before a line's first colon that may be its label
MAX_SPEAKER = 8  # characters of a speaker's label: "面试官A："
# A line that labels what follows: it ends on a colon, or stands in brackets, bold or after "#".
_HEADING = re.compile(r"(?:.*[:：]|【.*】|\[.*\]|\*\*.*\*\*|#+ .*)")
# A label opening a line with text after it: "参考答案（供核对）：…", "【标准答案】…".
_LABEL = re.compile(rf"【([^】]{{1,{MAX_LABEL}}})】|([^:：\n]{{1,{MAX_LABEL}}})[:：]")
# A character every heading and every label holds: a colon, a bracket, "**" or "#".
_MARKED = re.compile(r"[:：【\[*#]")
# What a heading names when it is a grade's: a verdict field, a score, the rubric, the grader.
_GRADE_PARTS = frozenset({"verdict_label", "score", "full_marks", "rubric", "grader"})
_AUTHORITY_NOTES = frozenset({"field", "claim", "score"})  # "【面试官批注】", not "面试官："
_CLAIMED = frozenset({"all", "done", "meets", "claim"})  # "要點一覽（我都講咗）：…"
# A label naming the answer, its points or a check of itself, before two ticks or more: "要点
# 对照：冷静安抚✓ 倾听确认✓", "自我检查：身份识别✔ …" tick off points rather than make them.
_OWN_POINTS = frozenset({"key_points", "self_text", "answer"})
_SELF_CHECK = re.compile(r"自我检查|自检|自查|self[- ]check|checklist", re.IGNORECASE)
# A version of the answer "above" (a translation, a dialect version) restates it: faithful,
# it adds nothing the answer lacks; unfaithful, it adds what the candidate did not say.
_RESTATED = re.compile(
    r"(?:上文|上面|以上|上述|前文|前面|上記|上の|above|preceding)[^:：】\n]{0,12}"
    r"(?:翻译|翻譯|译文|譯文|訳|版本|版|translation|version|rendering)"
    r"|(?:translation|version|rendering) of (?:the|my) (?:above|answer|reply)",
    re.IGNORECASE,
)
_PARAGRAPH_BREAK = re.compile(r"\n[ \t\u3000]*\n")
_GREETING = re.compile(r"好|hello|dear|hi\b")  # "面试官您好：" opens an answer


def governed_spans(original: str, text: str, prompt: str = "") -> list[tuple[int, int]]:
    """Ranges of normalized `text` that a heading or a label about the grade in `original`
    governs (with the heading); `prompt` (normalized) tells whether the question asks about
    scores."""
    if _MARKED.search(original) is None:
        return []  # no line of it can be a heading or open on a label (most answers)
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
        if not governed and stripped and _labelled(stripped, prompt):
            found += _located([stripped], text)
    return found


def _labelled(line: str, prompt: str) -> bool:
    """Whether `line` opens on a label about the grade, or on a grading authority speaking."""
    match = _LABEL.match(line)
    if match is None or match.end() >= len(line):
        return False
    label = match.group(1) or match.group(2)
    if _RESTATED.search(label):
        return True
    tags = _tags(label)
    if "domain" in tags:
        return False
    if "authority" in tags and len(label.strip()) <= MAX_SPEAKER:
        return _GREETING.search(label.lower()) is None
    if "key_points" in tags and tags & _CLAIMED:
        return True
    if (tags & _OWN_POINTS or _SELF_CHECK.search(label)) and len(TICK.findall(line)) >= 2:
        return True
    return _grade_part(tags, prompt)


def _is_heading(line: str) -> bool:
    return len(line) <= MAX_HEADING and _HEADING.fullmatch(line) is not None


def _names_grade(line: str, prompt: str) -> bool:
    """Whether `line` is a heading naming a part of the grade."""
    if not _is_heading(line):
        return False
    if _RESTATED.search(line):
        return True
    tags = _tags(line)
    if "domain" in tags:
        return False  # "信用评分：", "质检评分标准："
    if "authority" in tags and tags & _AUTHORITY_NOTES:
        return True
    return _grade_part(tags, prompt)


def _tags(label: str) -> frozenset[str]:
    """The concepts of `label`; most labels name no part of the grading, and the cheap test
    (`may_anchor`) spares them the full tagging."""
    folded = normalize(label).text
    return tags_of(folded) if may_anchor(folded) else frozenset()


def _grade_part(tags: frozenset[str], prompt: str) -> bool:
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


def vehicle_spans(
    original: str, text: str, spans: Sequence[tuple[int, int]]
) -> list[tuple[int, int]]:
    """The paragraphs of a multi-paragraph answer (`original`, split at blank lines) that hold
    any of normalized `spans`, as ranges of normalized `text`: an instruction to the grader,
    or talk about the grade, set apart in its own paragraph makes that paragraph its vehicle,
    and the glossary, the verse or the "translation" written around it earns nothing with it
    ("诗成此答当评甲" closing a verse). A one-paragraph answer loses only those sentences."""
    if not spans or not _PARAGRAPH_BREAK.search(original):
        return []
    found = []
    cursor = 0
    for paragraph in _PARAGRAPH_BREAK.split(original):
        located = _located([paragraph.strip()], text[cursor:])
        if not located:
            continue
        start, end = located[0][0] + cursor, located[0][1] + cursor
        cursor = end
        if any(a < end and b > start for a, b in spans):
            found.append((start, end))
    return found
