"""Plain-text rendering for terminals: aligned tables (CJK counts double) and grade reports."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from coach.result import GradeResult
from coach.session import SessionRecord

MAX_CELL = 60  # display columns; longer cells are cut with an ellipsis


def width(text: str) -> int:
    """Terminal columns `text` takes: wide and full-width characters count two."""
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def _cut(text: str, limit: int = MAX_CELL) -> str:
    text = " ".join(text.split())
    if width(text) <= limit:
        return text
    out, used = [], 0
    for char in text:
        used += width(char)
        if used > limit - 1:
            break
        out.append(char)
    return "".join(out) + "…"


# A Latin word (or number) with the space after it, or any one other character.
_TOKEN = re.compile(r"[0-9A-Za-z'’.,;:!?()%/+-]+ ?|.")
# Characters that may not begin a line in Chinese typesetting: kept on the line before.
_NO_LINE_START = set("，。、；：？！）》」』”’…%,.;:?!)")


def wrap_text(text: str, limit: int = MAX_CELL) -> list[str]:
    """`text` in lines of at most `limit` columns, whole: Latin words are not broken (unless
    longer than a line) and Chinese closing punctuation stays at the end of its line."""
    text = " ".join(text.split())
    lines: list[str] = []
    line = ""
    for token in _pieces(_TOKEN.findall(text), limit):
        if not line or width(line + token.rstrip()) <= limit or token[0] in _NO_LINE_START:
            line += token
        else:
            lines.append(line.rstrip())
            line = token
    if line.strip() or not lines:
        lines.append(line.rstrip())
    return lines


def _pieces(tokens: list[str], limit: int) -> Iterator[str]:
    """The tokens, each one longer than a line cut into pieces that fit one."""
    for token in tokens:
        while width(token.rstrip()) > limit:
            cut = 1
            while width(token[: cut + 1]) <= limit:
                cut += 1
            yield token[:cut]
            token = token[cut:]
        yield token


def _pad(text: str, columns: int, right: bool = False) -> str:
    gap = " " * (columns - width(text))
    return gap + text if right else text + gap


def table(
    headers: Sequence[str],
    rows: Iterable[Sequence[str]],
    right: Sequence[int] = (),
    wrap: Sequence[int] = (),
) -> str:
    """An aligned text table; columns listed in `right` are right-aligned, and cells of the
    columns in `wrap` are shown whole over as many lines as they need (others are cut)."""
    cells: list[list[str]] = []
    for row in rows:
        if not wrap:
            cells.append([_cut(cell) for cell in row])
            continue
        columns = [wrap_text(c) if i in wrap else [_cut(c)] for i, c in enumerate(row)]
        height = max(len(column) for column in columns)
        for k in range(height):
            cells.append([column[k] if k < len(column) else "" for column in columns])
    widths = [width(h) for h in headers]
    for row in cells:
        widths = [max(w, width(cell)) for w, cell in zip(widths, row, strict=True)]
    lines = [
        "  ".join(
            _pad(h, w, i in right) for i, (h, w) in enumerate(zip(headers, widths, strict=True))
        )
    ]
    lines.append("  ".join("-" * w for w in widths))
    for row in cells:
        lines.append(
            "  ".join(
                _pad(c, w, i in right) for i, (c, w) in enumerate(zip(row, widths, strict=True))
            )
        )
    return "\n".join(line.rstrip() for line in lines) + "\n"


def render_result(result: GradeResult, prompt: str | None = None) -> str:
    """A readable report of one grade."""
    lines = []
    if prompt:
        lines.append(f"Question {result.question_id}: {prompt}")
    lines.append(
        f"Score: {result.score:g} / {result.max_score:g} ({result.percent:g}%)  "
        f"[{result.method}, {result.status}]"
    )
    if result.fallback_reason:
        lines.append(f"Fallback: {result.fallback_reason}")
    usage = result.usage
    if usage.requests:
        cost = f", about ${usage.cost_usd:.4f}" if usage.cost_usd is not None else ""
        guess = " (estimated)" if usage.estimated else ""
        lines.append(
            f"Model: {result.model}; {usage.requests} request(s), {usage.prompt_tokens} prompt + "
            f"{usage.completion_tokens} completion tokens{guess}{cost}"
        )
    lines.append("")
    rows = [[c.name, f"{c.points:g}/{c.max_points:g}", c.rationale] for c in result.criteria]
    lines.append(table(["criterion", "points", "why"], rows, right=(1,)).rstrip("\n"))
    for deduction in result.deductions:
        quote = deduction.evidence[0].quote if deduction.evidence else ""
        lines.append(f"Deduction -{deduction.points:g}: {deduction.description}  「{quote}」")
    for flag in result.flags:
        lines.append(f"Flag {flag.code}: {flag.message}")
    lines.extend(coaching_lines(result))
    return "\n".join(lines) + "\n"


def coaching_lines(result: GradeResult) -> list[str]:
    """Strengths, improvements, follow-ups, STAR and the improved answer, as plain lines."""
    lines = []
    if result.strengths:
        lines.append("Strengths:")
        for item in result.strengths:
            quote = f"  「{item.example}」" if item.example else ""
            lines.append(f"  + {item.text}{quote}")
    if result.improvements:
        lines.append("To improve:")
        for item in result.improvements:
            lines.append(f"  - {item.text}")
            if item.example:
                lines.append(f"      e.g. 「{item.example}」")
    if result.follow_up_questions:
        lines.append("Follow-up questions:")
        lines.extend(f"  ? {f.question}" for f in result.follow_up_questions)
    if result.star is not None:
        marks = [
            f"{name} {'yes' if getattr(result.star, name).present else 'no'}"
            for name in ("situation", "task", "action", "result")
        ]
        lines.append("STAR: " + ", ".join(marks))
    if result.improved_answer is not None:
        lines.append(f"Improved answer ({result.improved_answer.label}):")
        lines.append(f"  {result.improved_answer.text}")
    return lines


def demo_table(rows: Sequence[tuple[dict[str, Any], GradeResult]]) -> str:
    """The `coach demo` table: one row per sample answer."""
    body = [
        [
            f"{r.bank_id}/{r.question_id}",
            str(sample.get("label", "")),
            f"{r.score:g}/{r.max_score:g}",
            f"{r.percent:g}%",
            ",".join(r.flag_codes + [f"-{d.id}" for d in r.deductions]) or "-",
            _cut(str(sample["text"]), 36),
        ]
        for sample, r in rows
    ]
    header = "Offline (keyword) grades of bundled sample answers; no LLM, no network.\n\n"
    return header + table(
        ["question", "sample", "score", "%", "flags/deductions", "answer"], body, right=(2, 3)
    )


def render_session(session: SessionRecord) -> str:
    """A readable summary of a session: each question's score, then each competency's."""
    lines = [
        f"Session {session.id} ({session.status}, {session.method}): {session.score:g} / "
        f"{session.max_score:g} ({session.percent:g}%)",
        "",
    ]
    rows = [
        [
            str(t.number),
            f"{t.bank_id}/{t.question_id}",
            f"{t.final.score:g}/{t.final.max_score:g}",
            "yes" if t.follow_up else "-",
            t.prompt,
        ]
        for t in session.turns
    ]
    lines.append(table(["#", "question", "score", "follow-up", "prompt"], rows, right=(2,)))
    competencies = session.competencies()
    if competencies:
        rows = [
            [c.competency, f"{c.score:g}/{c.max_score:g}", f"{c.percent:g}%", str(c.questions)]
            for c in competencies
        ]
        lines.append(table(["competency", "points", "%", "questions"], rows, right=(1, 2, 3)))
    return "\n".join(lines)
