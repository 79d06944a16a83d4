"""The HTML of one grade: header, criteria chart and cards, coaching, STAR, usage.

Shared by the result report and by every question of a session report, so both show a grade
the same way. `e` escapes every piece of text that goes into the markup.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Mapping, Sequence

from coach.reports.labels import (
    INFO_FLAGS,
    STAR_PARTS,
    KeyPointTexts,
    arithmetic,
    cost,
    flag_label,
    key_point_chips,
    num,
    version_label,
)
from coach.reports.svg import Bar, hbar_chart
from coach.result import Evidence, GradeResult


def e(text: object) -> str:
    """Text made safe for element content and quoted attribute values."""
    return html.escape(str(text), quote=True)


def heading(level: int, markup: str) -> str:
    """`<h1>`..`<h6>` around markup that is already escaped; deeper levels stay at h6."""
    level = min(level, 6)
    return f"<h{level}>{markup}</h{level}>"


def _quotes(evidence: Iterable[Evidence]) -> str:
    """The quotes, each once (two key points may cite the same sentence)."""
    return " ".join(f"<q>{e(q)}</q>" for q in dict.fromkeys(ev.quote for ev in evidence))


def _marked(answer: str, result: GradeResult) -> str:
    """The answer with each verified quote highlighted: credit green, deductions/flags red.

    Offsets are trusted only where the answer really holds the quote there, so a result
    graded on a different text (a follow-up re-grade) marks nothing rather than the wrong thing.
    """
    kinds = [""] * len(answer)
    spans = [("good", ev) for c in result.criteria for ev in c.evidence]
    spans += [("bad", ev) for d in result.deductions for ev in d.evidence]
    spans += [("bad", ev) for f in result.flags if f.code not in INFO_FLAGS for ev in f.evidence]
    for kind, ev in spans:
        if ev.end <= len(answer) and answer[ev.start : ev.end] == ev.quote:
            for i in range(ev.start, ev.end):
                kinds[i] = "bad" if kind == "bad" else kinds[i] or kind
    out, start = [], 0
    for i in range(1, len(answer) + 1):
        if i == len(answer) or kinds[i] != kinds[start]:
            piece = e(answer[start:i])
            out.append(f'<mark class="{kinds[start]}">{piece}</mark>' if kinds[start] else piece)
            start = i
    return "".join(out)


def _header(result: GradeResult, t: Mapping[str, str], level: int, titled: bool) -> str:
    badges = (
        f'<span class="badge">{e(t["method:"])}{e(t[result.method])}</span>'
        f'<span class="badge {e(result.status)}">{e(t["status:"])}{e(t[result.status])}</span>'
    )
    meta = e(arithmetic(result, t) + " · ") if result.deductions else ""
    meta += f"{e(t['rubric:'])}{e(version_label(result.rubric_version))}"
    if result.model:
        meta += f" · {e(t['model:'])}{e(result.model)}"
    name = f"{e(t['result_title'])} · {e(result.bank_id)} / {e(result.question_id)}"
    parts = [
        heading(level, name) if titled else "",
        f'<p class="score">{num(result.score)} / {num(result.max_score)} '
        f"<small>({num(result.percent)}%)</small></p>",
    ]
    if result.status in ("fallback", "unscored"):  # right under the score, before anything else
        reason = result.fallback_reason or ""
        parts.append(
            f'<div class="alert" role="alert"><strong>{e(t[result.status + "_head"])}</strong>'
            + (f"<br>{e(t['reason:'])}{e(reason)}" if reason else "")
            + "</div>"
        )
    parts += [f"<p>{badges}</p>", f'<p class="muted">{meta}</p>']
    return "".join(parts)


def _criteria(
    result: GradeResult, t: Mapping[str, str], level: int, key_points: KeyPointTexts
) -> str:
    bars = [
        Bar(c.name, c.points, c.max_points, f"{num(c.points)}/{num(c.max_points)}")
        for c in result.criteria
    ]
    parts = [heading(level, e(t["criteria"])), hbar_chart(bars, title=t["criteria"])]
    for c in result.criteria:
        title = f"<span>{e(c.name)}</span><span>{num(c.points)} / {num(c.max_points)}</span>"
        parts.append(f'<div class="crit">{heading(level + 1, title)}<p>{e(c.rationale)}</p>')
        if c.evidence:
            parts.append(f"<p>{e(t['evidence:'])}{_quotes(c.evidence)}</p>")
        hit, missed = key_point_chips(c, key_points)
        for name, cls, texts in ((t["hit:"], "hit", hit), (t["missed:"], "miss", missed)):
            if texts:
                spans = "".join(f'<span class="chip {cls}">{e(text)}</span>' for text in texts)
                parts.append(f'<p class="muted">{e(name)}{spans}</p>')
        parts.append("</div>")
    return "".join(parts)


def _items(head: str, items: Sequence[str], level: int, tag: str = "ul") -> str:
    """A headed list; items that are already `<li>` elements keep their own attributes."""
    if not items:
        return ""
    body = "".join(item if item.startswith("<li") else f"<li>{item}</li>" for item in items)
    cls = ' class="flags"' if body.startswith('<li class="flag') else ""
    return f"{heading(level, e(head))}<{tag}{cls}>{body}</{tag}>"


def _coaching(result: GradeResult, t: Mapping[str, str], level: int) -> str:
    deductions = [
        f'<span class="deduct">−{num(d.points)}</span> {e(d.description)} {_quotes(d.evidence)}'
        for d in result.deductions
    ]
    flags = [
        f'<li class="flag {"info" if f.code in INFO_FLAGS else "warn"}">'
        f"<strong>{e(flag_label(f.code, t))}</strong>{e(t['colon'])}{e(f.message)} "
        f"{_quotes(f.evidence)}</li>"
        for f in result.flags
    ]
    strengths = [
        e(s.text) + (f" <q>{e(s.example)}</q>" if s.example else "") for s in result.strengths
    ]
    improvements = [
        e(i.text) + (f"<br>{e(t['example:'])}<q>{e(i.example)}</q>" if i.example else "")
        for i in result.improvements
    ]
    follow_ups = [
        f'{e(f.question)} <span class="muted">({e(t[f.source + "_src"])})</span>'
        for f in result.follow_up_questions
    ]
    parts = [
        _items(t["deductions"], deductions, level),
        _items(t["flags"], flags, level),
        _items(t["strengths"], strengths, level),
        _items(t["improvements"], improvements, level),
        _items(t["follow_ups"], follow_ups, level, "ol"),
    ]
    if result.star is not None:
        rows = []
        for name in STAR_PARTS:
            part = getattr(result.star, name)
            excerpt = f"<q>{e(part.evidence.quote)}</q>" if part.evidence else ""
            mark = "✔ " + t["yes"] if part.present else "✘ " + t["no"]
            rows.append(f"<tr><td>{e(t[name])}</td><td>{e(mark)}</td><td>{excerpt}</td></tr>")
        parts.append(
            f"{heading(level, e(t['star']))}<table><thead><tr><th>{e(t['part'])}</th>"
            f"<th>{e(t['present'])}</th><th>{e(t['excerpt'])}</th></tr></thead>"
            f"<tbody>{''.join(rows)}</tbody></table>"
        )
    if result.improved_answer is not None:
        better = result.improved_answer
        parts.append(
            f"{heading(level, e(t['improved']))}<p><strong>{e(better.label)}</strong></p>"
            f'<div class="block">{e(better.text)}</div>'
        )
    usage = result.usage
    if usage.requests or usage.total_tokens:
        tokens = f"{usage.prompt_tokens} + {usage.completion_tokens} = {usage.total_tokens}"
        cells = [(t["requests"], str(usage.requests)), (t["tokens"], tokens)]
        if usage.cost_usd is not None:
            cells.append((t["cost"], cost(usage.cost_usd)))
        guess = t["estimated"] if usage.estimated else ""
        body = "".join(f'<tr><th>{e(k)}</th><td class="num">{e(v)}</td></tr>' for k, v in cells)
        parts.append(heading(level, e(t["usage"] + guess)) + f'<table class="kv">{body}</table>')
    return "".join(parts)


def result_body(
    result: GradeResult,
    t: Mapping[str, str],
    prompt: str | None,
    answer: str | None,
    level: int,
    *,
    titled: bool = True,
    key_points: KeyPointTexts | None = None,
) -> str:
    """The whole grade as HTML; `level` is the heading level of its title (sections one deeper).

    `titled=False` leaves the title out, for a session turn whose own heading names the question.
    `key_points` (the question's key point texts) lists the key points by name.
    """
    parts = [_header(result, t, level, titled)]
    if prompt:
        parts.append(f"{heading(level + 1, e(t['question']))}<p>{e(prompt)}</p>")
    if answer:
        parts.append(
            heading(level + 1, e(t["answer"]))
            + f'<div class="block">{_marked(answer, result)}</div>'
            f'<p class="muted">{e(t["answer_note"])}</p>'
        )
    parts.append(_criteria(result, t, level + 1, key_points or {}))
    parts.append(_coaching(result, t, level + 1))
    return "".join(parts)
