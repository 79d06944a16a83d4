"""Rendering a rubric and an answer into the text the LLM reads.

The rubric goes in whole (criteria with points, key points, bands, level descriptors,
deductions, the model answer as a reference), in the bank's language. Keyword variants are left
out: they are the offline grader's matching aids, and an LLM judges meaning, not phrasings.
Labels are bare ("扣分项：", "参考答案："): the system prompt says once how deductions and the
reference answer are to be used.

The answer is spotlighted: it sits between two markers carrying a random tag made per request,
so text inside the answer cannot forge the closing marker, and angle-bracket runs that look like
a marker are neutralised before it is sent.
"""

from __future__ import annotations

import json
import re
import secrets
from dataclasses import dataclass
from typing import Any

from coach.rubric.model import Bank, Question

_LABELS = {
    "zh": {
        "total": "满分 {points} 分。",
        "competencies": "考察能力：{names}",
        "criterion": "评分项 {id}「{name}」（{points} 分）：{description}",
        "key_points": "  要点：",
        "key_point": "  - {id}：{text}",
        "weight": "（权重 {weight}）",
        "explanation": "（须说明其含义或做法，只提名称不得分）",
        "bands": "  计分档（命中要点数→得分）：",
        "band": "{hits}→{points}",
        "levels": "  等级描述：",
        "level": "  - {points} 分：{description}",
        "deductions": "扣分项：",
        "deduction": "- {id}（扣 {points} 分）：{description}",
        "no_deductions": "扣分项：无。",
        "model_answer": "参考答案：",
        "sep": "；",
        "language": {"zh": "中文", "en": "英文"},
        "reply": "按给定的 JSON 结构输出评分结果，不要输出其他文字。",
        "advice": "优点和改进建议也用{language}，要具体可执行：改进建议写明补充什么、怎么说。",
        "reply_schema": "只输出一个 JSON 对象，不要输出其他文字。它必须符合以下 JSON Schema：",
    },
    "en": {
        "total": "Total: {points} points.",
        "competencies": "Competencies: {names}",
        "criterion": 'Criterion {id} "{name}" ({points} points): {description}',
        "key_points": "  Key points:",
        "key_point": "  - {id}: {text}",
        "weight": " (weight {weight})",
        "explanation": " (must be explained; naming it alone earns nothing)",
        "bands": "  Bands (key points hit → points): ",
        "band": "{hits} → {points}",
        "levels": "  Levels:",
        "level": "  - {points} points: {description}",
        "deductions": "Deductions:",
        "deduction": "- {id} (minus {points} points): {description}",
        "no_deductions": "Deductions: none.",
        "model_answer": "Reference answer:",
        "sep": "; ",
        "language": {"zh": "Chinese", "en": "English"},
        "reply": "Reply with the grade in the given JSON structure and nothing else.",
        "advice": (
            "Write strengths and improvements in {language} too, concretely: an improvement "
            "says what to add and how to say it."
        ),
        "reply_schema": (
            "Reply with one JSON object and nothing else. It must follow this JSON Schema:"
        ),
    },
}


def _labels(language: str) -> dict[str, Any]:
    return _LABELS.get(language, _LABELS["en"])


def render_rubric(bank: Bank, question: Question) -> str:
    """The question's whole rubric as text, in the bank's language."""
    t = _labels(bank.language)
    lines = [t["total"].format(points=f"{question.points:g}")]
    if question.competencies:
        lines.append(t["competencies"].format(names=t["sep"].join(question.competencies)))
    for criterion in question.criteria:
        lines.append("")
        lines.append(
            t["criterion"].format(
                id=criterion.id,
                name=criterion.name,
                points=f"{criterion.points:g}",
                description=criterion.description,
            )
        )
        lines.append(t["key_points"])
        for kp in criterion.key_points:
            line = t["key_point"].format(id=kp.id, text=kp.text)
            if kp.weight != 1:
                line += t["weight"].format(weight=f"{kp.weight:g}")
            if kp.requires == "explanation":
                line += t["explanation"]
            lines.append(line)
        if criterion.bands:
            bands = [t["band"].format(hits=b.hits, points=f"{b.points:g}") for b in criterion.bands]
            lines.append(t["bands"] + t["sep"].join(bands))
        if criterion.levels:
            lines.append(t["levels"])
            lines.extend(
                t["level"].format(points=f"{lv.points:g}", description=lv.description)
                for lv in criterion.levels
            )
    lines.append("")
    if question.deductions:
        lines.append(t["deductions"])
        lines.extend(
            t["deduction"].format(id=d.id, points=f"{d.points:g}", description=d.description)
            for d in question.deductions
        )
    else:
        lines.append(t["no_deductions"])
    lines += ["", t["model_answer"], question.model_answer.strip()]
    return "\n".join(lines)


def language_name(template_language: str, feedback_language: str) -> str:
    """How the template's language names the feedback language ("中文", "English", ...)."""
    names: dict[str, str] = _labels(template_language)["language"]
    return names.get(feedback_language, feedback_language)


def advice(template_language: str, feedback_language: str, coaching: bool) -> str:
    """The system prompt's rule for the coaching fields; none when only the grade is asked."""
    if not coaching:
        return ""
    name = language_name(template_language, feedback_language)
    return str(_labels(template_language)["advice"]).format(language=name)


def output_format(language: str, schema: dict[str, Any] | None) -> str:
    """The reply instruction: the schema itself when the server does not enforce it."""
    t = _labels(language)
    if schema is None:
        return str(t["reply"])
    return (
        str(t["reply_schema"])
        + "\n"
        + json.dumps(schema, ensure_ascii=False, separators=(",", ":"))
    )


@dataclass(frozen=True, slots=True)
class Markers:
    """The pair of markers that encloses one request's answer."""

    open: str
    close: str


def new_markers(tag: str | None = None) -> Markers:
    """Markers with a random tag (or `tag`, for tests), unguessable by the answer's author."""
    tag = tag or secrets.token_hex(6)
    return Markers(open=f"<<<ANSWER {tag}>>>", close=f"<<<END ANSWER {tag}>>>")


# Three or more angle brackets, ASCII or full-width: what a forged marker would need.
_MARKER_LIKE = re.compile(r"[<＜﹤]{3,}|[>＞﹥]{3,}")
_BREAK = str.maketrans("<＜﹤>＞﹥", "‹‹‹›››")


def spotlight(answer: str) -> str:
    """`answer` with marker look-alikes broken up, so only the real markers delimit it."""
    return _MARKER_LIKE.sub(lambda m: m.group(0).translate(_BREAK), answer)
