"""GitHub-flavoured Markdown reports of one grade and of a mock-interview session.

The same content as the HTML reports, for pull requests, wikis, chat and plain files: tables
for criteria, turns and competencies, text bars for shares. Candidate text is escaped, so an
answer can neither inject HTML nor break a table: Markdown punctuation gets a backslash, a `|`
in a cell becomes `\\|` and a newline `<br>`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any

from coach.reports.labels import (
    INFO_FLAGS,
    STAR_PARTS,
    KeyPointTexts,
    arithmetic,
    cost,
    detect_lang,
    flag_label,
    key_point_chips,
    key_point_texts,
    kind_label,
    num,
    result_texts,
    version_label,
    words,
)
from coach.result import Evidence, GradeResult
from coach.session import SessionRecord, Turn

_SPECIAL = re.compile(r"([\\`*_\[\]<>|~#&])")
_LINE_START = re.compile(r"^(\s*)(\d*)([-+=.)])", re.MULTILINE)


def md(text: str) -> str:
    """Text as literal Markdown: punctuation that would format or open HTML is escaped, and
    lines that would start a list, a rule or a heading underline start with a backslash."""
    text = _SPECIAL.sub(r"\\\1", text.replace("\r\n", "\n").replace("\r", "\n"))
    return _LINE_START.sub(_line_start, text)


def _line_start(match: re.Match[str]) -> str:
    # "- x", "+ x", "===" and "1. x" would become lists or headings; "1\." and "\-" stay text.
    indent, digits, mark = match.groups()
    if digits and mark not in ".)":
        return match.group(0)
    return f"{indent}{digits}\\{mark}"


def _inline(text: str) -> str:
    """One line of literal text (newlines become spaces)."""
    return md(" ".join(text.split()))


def _cell(text: str) -> str:
    """Literal text for a table cell: `|` escaped by `md`, line breaks as `<br>`."""
    lines = [" ".join(line.split()) for line in text.replace("\r\n", "\n").split("\n")]
    return "<br>".join(md(line) for line in lines if line)


def _table(headers: Sequence[str], rows: Iterable[Sequence[str]], right: Sequence[int] = ()) -> str:
    """A GFM table of cells that are already Markdown; columns in `right` align right."""
    align = ["---:" if i in right else "---" for i in range(len(headers))]
    lines = ["| " + " | ".join(headers) + " |", "| " + " | ".join(align) + " |"]
    lines += ["| " + " | ".join(cell or " " for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def _bar(value: float, maximum: float, cells: int = 10) -> str:
    share = min(max(value / maximum, 0.0), 1.0) if maximum > 0 else 0.0
    filled = round(share * cells)
    return "`" + "█" * filled + "░" * (cells - filled) + "`"


def _quote_block(text: str) -> str:
    return "\n".join(f"> {line}" if line else ">" for line in md(text).split("\n"))


def _quotes(evidence: Iterable[Evidence], t: Mapping[str, str]) -> str:
    """Each distinct quote once, in the report language's quotation marks."""
    quotes = dict.fromkeys(ev.quote for ev in evidence)
    return " ".join(f"{t['lq']}{_inline(q)}{t['rq']}" for q in quotes)


def _h(level: int, text: str) -> str:
    return "#" * min(level, 6) + " " + text


def _header(result: GradeResult, t: Mapping[str, str], level: int, titled: bool) -> list[str]:
    out = []
    if titled:
        name = f"{t['result_title']} · {md(result.bank_id)} / {md(result.question_id)}"
        out.append(_h(level, name))
    out.append(
        f"**{t['score:']}{num(result.score)} / {num(result.max_score)} ({num(result.percent)}%)**"
        f" · {t['method:']}{t[result.method]} · {t['status:']}{t[result.status]}"
    )
    if result.status in ("fallback", "unscored"):
        alert = f"> ⚠️ **{t[result.status + '_head']}**"
        if result.fallback_reason:
            alert += f"\n> {t['reason:']}{_inline(result.fallback_reason)}"
        out.append(alert)
    meta = md(arithmetic(result, t) + " · ") if result.deductions else ""
    meta += f"{t['rubric:']}{md(version_label(result.rubric_version))}"
    if result.model:
        meta += f" · {t['model:']}{md(result.model)}"
    out.append(meta)
    return out


def _criteria(
    result: GradeResult, t: Mapping[str, str], level: int, key_points: KeyPointTexts
) -> list[str]:
    rows = [
        [
            _cell(c.name),
            f"{num(c.points)}/{num(c.max_points)}",
            _bar(c.points, c.max_points),
            _cell(c.rationale),
        ]
        for c in result.criteria
    ]
    out = [
        _h(level, t["criteria"]),
        _table([t["criterion"], t["points"], " ", t["rationale"]], rows, right=(1,)),
    ]
    details = []
    for c in result.criteria:
        bits = [f"{t['evidence:']}{_quotes(c.evidence, t)}"] if c.evidence else []
        hit, missed = key_point_chips(c, key_points)
        for name, texts in ((t["hit:"], hit), (t["missed:"], missed)):
            if texts:
                bits.append(name + t["semicolon"].join(_inline(text) for text in texts))
        if bits:
            details.append(f"- **{_inline(c.name)}**{t['colon']}" + t["semicolon"].join(bits))
    if details:
        out.append("\n".join(details))
    return out


def _list(head: str, items: Sequence[str], level: int, numbered: bool = False) -> list[str]:
    if not items:
        return []
    marks = [f"{i}." if numbered else "-" for i in range(1, len(items) + 1)]
    return [_h(level, head), "\n".join(f"{m} {item}" for m, item in zip(marks, items, strict=True))]


def _coaching(result: GradeResult, t: Mapping[str, str], level: int) -> list[str]:
    deductions = [
        f"**−{num(d.points)}** {_inline(d.description)} {_quotes(d.evidence, t)}".rstrip()
        for d in result.deductions
    ]
    out = _list(t["deductions"], deductions, level)
    flags = [
        f"{'ℹ️' if f.code in INFO_FLAGS else '⚠️'} **{md(flag_label(f.code, t))}**{t['colon']}"
        f"{_inline(f.message)} "
        f"{_quotes(f.evidence, t)}".rstrip()
        for f in result.flags
    ]
    out += _list(t["flags"], flags, level)
    strengths = [
        _inline(s.text) + (f" {t['lq']}{_inline(s.example)}{t['rq']}" if s.example else "")
        for s in result.strengths
    ]
    out += _list(t["strengths"], strengths, level)
    # The example is a list item of its own under the tip: no HTML inside Markdown lists.
    improvements = [
        _inline(i.text)
        + (f"\n  - {t['example:']}{t['lq']}{_inline(i.example)}{t['rq']}" if i.example else "")
        for i in result.improvements
    ]
    out += _list(t["improvements"], improvements, level)
    follow_ups = [
        f"{_inline(f.question)} ({t[f.source + '_src']})" for f in result.follow_up_questions
    ]
    out += _list(t["follow_ups"], follow_ups, level, numbered=True)
    if result.star is not None:
        rows = []
        for name in STAR_PARTS:
            part = getattr(result.star, name)
            excerpt = f"{t['lq']}{_cell(part.evidence.quote)}{t['rq']}" if part.evidence else ""
            rows.append([t[name], "✔ " + t["yes"] if part.present else "✘ " + t["no"], excerpt])
        out += [_h(level, t["star"]), _table([t["part"], t["present"], t["excerpt"]], rows)]
    if result.improved_answer is not None:
        better = result.improved_answer
        out += [
            _h(level, t["improved"]),
            f"**{_inline(better.label)}**",
            _quote_block(better.text),
        ]
    usage = result.usage
    if usage.requests or usage.total_tokens:
        tokens = f"{usage.prompt_tokens} + {usage.completion_tokens} = {usage.total_tokens}"
        cells = [[t["requests"], str(usage.requests)], [t["tokens"], tokens]]
        if usage.cost_usd is not None:
            cells.append([t["cost"], md(cost(usage.cost_usd))])
        head = t["usage"] + (t["estimated"] if usage.estimated else "")
        out += [_h(level, head), _table([" ", " "], cells, right=(1,))]
    return out


def _result_parts(
    result: GradeResult,
    t: Mapping[str, str],
    prompt: str | None,
    answer: str | None,
    level: int,
    titled: bool = True,
    key_points: KeyPointTexts | None = None,
) -> list[str]:
    out = _header(result, t, level, titled)
    if prompt:
        out += [_h(level + 1, t["question"]), md(prompt)]
    if answer:
        out += [_h(level + 1, t["answer"]), _quote_block(answer)]
    criteria = _criteria(result, t, level + 1, key_points or {})
    return out + criteria + _coaching(result, t, level + 1)


def result_markdown(
    result: GradeResult,
    *,
    prompt: str | None = None,
    answer: str | None = None,
    rubric: Any = None,
) -> str:
    """The report of one grade as GitHub-flavoured Markdown; `rubric` (the question, its
    bank, or banks) names the key points."""
    t = words(detect_lang([prompt, answer, *result_texts(result)]))
    texts = key_point_texts(rubric, result.bank_id, result.question_id)
    return "\n\n".join(_result_parts(result, t, prompt, answer, 1, key_points=texts)) + "\n"


def _turn(turn: Turn, t: Mapping[str, str], rubric: Any) -> list[str]:
    head = f"{t['turn'].format(n=turn.number)} · {md(turn.bank_id)} / {md(turn.question_id)}"
    kind = kind_label(turn.kind, t)
    out = [_h(2, head), f"*{md(kind)} · {md(' / '.join(turn.competencies))}*"]
    texts = key_point_texts(rubric, turn.bank_id, turn.question_id)
    out += _result_parts(turn.result, t, turn.prompt, turn.answer, 2, False, texts)
    if turn.follow_up:
        out += [_h(3, t["follow_up"]), md(turn.follow_up)]
        if turn.follow_up_answer:
            out += [_h(4, t["follow_up_answer"]), _quote_block(turn.follow_up_answer)]
        if turn.follow_up_result is not None:
            out.append(f"**{t['regraded']}**")
            out += _result_parts(turn.follow_up_result, t, None, None, 3, False, texts)
    return out


def session_markdown(
    session: SessionRecord,
    *,
    history: Sequence[tuple[datetime, float]] | None = None,
    rubric: Any = None,
) -> str:
    """The session report as GitHub-flavoured Markdown; `history` is `(when, percent)` of
    earlier attempts, listed with text bars."""
    texts: list[str | None] = []
    for turn in session.turns:
        texts += [turn.prompt, turn.answer, turn.follow_up, *result_texts(turn.result)]
    t = words(detect_lang(texts))
    when = f"{t['started:']}{session.started_at:%Y-%m-%d %H:%M}"
    if session.finished_at:
        when += f" · {t['finished:']}{session.finished_at:%Y-%m-%d %H:%M}"
    if session.ended_early:
        when += f" ({t['ended_early']})"
    out = [
        _h(1, f"{t['session_title']} · {md(session.id)}"),
        f"**{t['overall:']}{num(session.score)} / {num(session.max_score)} "
        f"({num(session.percent)}%)** · {t['method:']}{md(t.get(session.method, session.method))}",
        f"{when} · {t['banks:']}{md(', '.join(session.bank_ids))}",
    ]
    if not session.turns:
        return "\n\n".join([*out, t["no_turns"]]) + "\n"
    rows = [
        [
            str(turn.number),
            _cell(turn.prompt),
            f"{num(turn.result.score)}/{num(turn.result.max_score)}",
            f"{num(turn.final.score)}/{num(turn.final.max_score)} ({num(turn.final.percent)}%)",
            _cell(turn.follow_up or "—"),
        ]
        for turn in session.turns
    ]
    heads = ["#", t["question"], t["first_score"], t["final_score"], t["follow_up_asked"]]
    out += [_h(2, t["turns"]), _table(heads, rows, right=(0, 2, 3))]
    competencies = [
        [
            _cell(c.competency),
            f"{num(c.score)}/{num(c.max_score)}",
            _bar(c.score, c.max_score),
            f"{num(c.percent)}% · " + t["n_questions"].format(n=c.questions),
        ]
        for c in session.competencies()
    ]
    heads = [t["competencies"], t["points"], " ", "%"]
    out += [_h(2, t["competencies"]), _table(heads, competencies, right=(1,))]
    if history:
        attempts = [
            [f"{at:%Y-%m-%d %H:%M}", f"{round(p, 1):g}%", _bar(p, 100.0)] for at, p in history
        ]
        out += [_h(2, t["progress"]), _table([" ", "%", " "], attempts, right=(1,))]
    for turn in session.turns:
        out += _turn(turn, t, rubric)
    return "\n\n".join(out) + "\n"
