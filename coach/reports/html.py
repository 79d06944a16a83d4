"""Self-contained HTML reports of one grade and of a mock-interview session.

Each document stands alone: UTF-8, inline `<style>`, charts as inline SVG, and no URL, script,
font or image to fetch, so a report can be mailed, archived or opened offline and looks the
same printed. The `*_fragment` functions return only the body (`<div class="coach-report">`
with its own scoped style) for Jupyter's `_repr_html_`. Every piece of text is escaped:
answers are user input and may contain markup.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from coach.reports.html_result import e, heading, result_body
from coach.reports.html_style import CSS
from coach.reports.labels import (
    Lang,
    detect_lang,
    key_point_texts,
    kind_label,
    num,
    result_texts,
    words,
)
from coach.reports.svg import Bar, hbar_chart, line_chart
from coach.result import GradeResult
from coach.session import SessionRecord, Turn


def _wrap(lang: Lang, body: str) -> str:
    return f'<div class="coach-report" lang="{lang}"><style>{CSS}</style>{body}</div>'


def _document(lang: Lang, title: str, fragment: str) -> str:
    return (
        f'<!DOCTYPE html>\n<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{e(title)}</title>\n<style>body{{margin:0;background:#fff}}</style>\n"
        f"</head>\n<body>\n{fragment}\n</body>\n</html>\n"
    )


def _result_lang(result: GradeResult, *texts: str | None) -> Lang:
    return detect_lang([*texts, *result_texts(result)])


def result_html_fragment(
    result: GradeResult,
    *,
    prompt: str | None = None,
    answer: str | None = None,
    rubric: Any = None,
) -> str:
    """The report of one grade as a `<div class="coach-report">` with its own scoped style;
    `rubric` (the question, its bank, or banks) names the key points."""
    lang = _result_lang(result, prompt, answer)
    texts = key_point_texts(rubric, result.bank_id, result.question_id)
    return _wrap(lang, result_body(result, words(lang), prompt, answer, 1, key_points=texts))


def result_html(
    result: GradeResult,
    *,
    prompt: str | None = None,
    answer: str | None = None,
    rubric: Any = None,
) -> str:
    """The report of one grade as a complete standalone HTML5 document."""
    lang = _result_lang(result, prompt, answer)
    title = f"{words(lang)['result_title']} · {result.bank_id}/{result.question_id}"
    fragment = result_html_fragment(result, prompt=prompt, answer=answer, rubric=rubric)
    return _document(lang, title, fragment)


def _session_lang(session: SessionRecord) -> Lang:
    texts: list[str | None] = []
    for turn in session.turns:
        texts += [turn.prompt, turn.answer, turn.follow_up, turn.follow_up_answer]
        texts += list(result_texts(turn.result))
    return detect_lang(texts)


def _anchor(session: SessionRecord, turn: Turn) -> str:
    """An element id unique to the session, so two reports in one notebook do not clash."""
    return f"turn-{re.sub(r'[^A-Za-z0-9_-]+', '-', session.id)}-{turn.number}"


def _when_labels(times: Sequence[datetime]) -> list[str]:
    """Dates as short as they can be while telling the attempts apart."""
    for pattern in ("%m-%d", "%Y-%m-%d", "%m-%d %H:%M", "%Y-%m-%d %H:%M"):
        labels = [at.strftime(pattern) for at in times]
        years = {at.year for at in times}
        if len(set(labels)) == len(labels) and (len(years) == 1 or "%Y" in pattern):
            return labels
    return labels


def _turn(session: SessionRecord, turn: Turn, t: Mapping[str, str], rubric: Any) -> str:
    head = f"{e(t['turn'].format(n=turn.number))} · {e(turn.bank_id)} / {e(turn.question_id)}"
    parts = [f'<section class="turn" id="{_anchor(session, turn)}">', heading(2, head)]
    kind = kind_label(turn.kind, t)
    parts.append(f'<p class="muted">{e(kind)} · {e(" / ".join(turn.competencies))}</p>')
    texts = key_point_texts(rubric, turn.bank_id, turn.question_id)
    parts.append(
        result_body(turn.result, t, turn.prompt, turn.answer, 2, titled=False, key_points=texts)
    )
    if turn.follow_up:
        parts.append('<div class="followup">')
        parts.append(f"{heading(3, e(t['follow_up']))}<p>{e(turn.follow_up)}</p>")
        if turn.follow_up_answer:
            parts.append(
                f"{heading(4, e(t['follow_up_answer']))}"
                f'<div class="block">{e(turn.follow_up_answer)}</div>'
            )
        if turn.follow_up_result is not None:
            parts.append(f"<p><strong>{e(t['regraded'])}</strong></p>")
            parts.append(
                result_body(turn.follow_up_result, t, None, None, 3, titled=False, key_points=texts)
            )
        parts.append("</div>")
    parts.append("</section>")
    return "".join(parts)


def _session_body(
    session: SessionRecord,
    t: Mapping[str, str],
    history: Sequence[tuple[datetime, float]] | None,
    rubric: Any,
) -> str:
    when = f"{e(t['started:'])}{e(session.started_at.strftime('%Y-%m-%d %H:%M'))}"
    if session.finished_at:
        when += f" · {e(t['finished:'])}{e(session.finished_at.strftime('%Y-%m-%d %H:%M'))}"
    if session.ended_early:
        when += f" ({e(t['ended_early'])})"
    method = t.get(session.method, session.method)
    parts = [
        heading(1, f"{e(t['session_title'])} · {e(session.id)}"),
        f'<p class="score">{e(t["overall:"])}{num(session.score)} / {num(session.max_score)} '
        f"<small>({num(session.percent)}%)</small></p>",
        f'<p><span class="badge">{e(t["method:"])}{e(method)}</span></p>',
        f'<p class="muted">{when} · {e(t["banks:"])}{e(", ".join(session.bank_ids))}</p>',
    ]
    if not session.turns:
        return "".join(parts) + f"<p>{e(t['no_turns'])}</p>"
    rows = []
    for turn in session.turns:
        first, final = turn.result, turn.final
        rows.append(
            f'<tr><td class="num"><a href="#{_anchor(session, turn)}">{turn.number}</a></td>'
            f"<td>{e(turn.prompt)}</td>"
            f'<td class="num">{num(first.score)}/{num(first.max_score)}</td>'
            f'<td class="num">{num(final.score)}/{num(final.max_score)} '
            f"({num(final.percent)}%)</td>"
            f"<td>{e(turn.follow_up or '—')}</td></tr>"
        )
    heads = ["#", t["question"], t["first_score"], t["final_score"], t["follow_up_asked"]]
    parts.append(
        f"{heading(2, e(t['turns']))}<table><thead><tr>"
        + "".join(f"<th>{e(h)}</th>" for h in heads)
        + f"</tr></thead><tbody>{''.join(rows)}</tbody></table>"
    )
    bars = [
        Bar(
            c.competency,
            c.score,
            c.max_score,
            f"{num(c.percent)}% · " + t["n_questions"].format(n=c.questions),
        )
        for c in session.competencies()
    ]
    parts.append(heading(2, e(t["competencies"])) + hbar_chart(bars, title=t["competencies"]))
    if history:
        labels = _when_labels([at for at, _ in history])
        points = [(label, percent) for label, (_, percent) in zip(labels, history, strict=True)]
        parts.append(heading(2, e(t["progress"])) + line_chart(points, title=t["progress"]))
    parts.extend(_turn(session, turn, t, rubric) for turn in session.turns)
    return "".join(parts)


def session_html_fragment(
    session: SessionRecord,
    *,
    history: Sequence[tuple[datetime, float]] | None = None,
    rubric: Any = None,
) -> str:
    """The session report as a `<div class="coach-report">` with its own scoped style."""
    lang = _session_lang(session)
    return _wrap(lang, _session_body(session, words(lang), history, rubric))


def session_html(
    session: SessionRecord,
    *,
    history: Sequence[tuple[datetime, float]] | None = None,
    rubric: Any = None,
) -> str:
    """The session report as a complete standalone HTML5 document.

    `history` is the candidate's earlier attempts as `(when, percent)`, drawn as a progress
    line; the table, competency bars and per-question sections come from `session` alone
    (`rubric`, the banks asked from, only names the key points).
    """
    lang = _session_lang(session)
    title = f"{words(lang)['session_title']} · {session.id}"
    fragment = session_html_fragment(session, history=history, rubric=rubric)
    return _document(lang, title, fragment)
