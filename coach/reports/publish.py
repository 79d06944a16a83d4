"""`Report`: one grade or one session rendered as HTML, Markdown or terminal text, and saved.

`coach.report(result)` (or a `SessionRecord`) is what a notebook shows and what `--html` writes.
Each format is rendered when first asked for; `save(path)` picks it by the file's suffix.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from coach.errors import CoachError
from coach.result import GradeResult
from coach.session import SessionRecord

History = Sequence[tuple[datetime, float]]


class Report:
    """A grade or a session, ready to show or save in every format."""

    def __init__(
        self,
        subject: GradeResult | SessionRecord,
        *,
        prompt: str | None = None,
        answer: str | None = None,
        history: History | None = None,
        rubric: Any = None,
    ) -> None:
        if not isinstance(subject, (GradeResult, SessionRecord)):
            raise TypeError(f"a report is of a GradeResult or a SessionRecord, not {subject!r}")
        self.subject = subject
        self.prompt = prompt
        self.answer = answer
        self.history = history
        self.rubric = rubric

    @functools.cached_property
    def html(self) -> str:
        """A standalone HTML document (inline CSS and SVG, nothing fetched)."""
        from coach.reports.html import result_html, session_html

        if isinstance(self.subject, GradeResult):
            return result_html(
                self.subject, prompt=self.prompt, answer=self.answer, rubric=self.rubric
            )
        return session_html(self.subject, history=self.history, rubric=self.rubric)

    @functools.cached_property
    def markdown(self) -> str:
        from coach.reports.markdown import result_markdown, session_markdown

        if isinstance(self.subject, GradeResult):
            return result_markdown(
                self.subject, prompt=self.prompt, answer=self.answer, rubric=self.rubric
            )
        return session_markdown(self.subject, history=self.history, rubric=self.rubric)

    @functools.cached_property
    def text(self) -> str:
        """The terminal rendering: what `coach grade` prints."""
        from coach.reports.text import render_result, render_session

        if isinstance(self.subject, GradeResult):
            return render_result(self.subject, self.prompt)
        return render_session(self.subject)

    def _repr_html_(self) -> str:
        from coach.reports.html import result_html_fragment, session_html_fragment

        if isinstance(self.subject, GradeResult):
            return result_html_fragment(
                self.subject, prompt=self.prompt, answer=self.answer, rubric=self.rubric
            )
        return session_html_fragment(self.subject, history=self.history, rubric=self.rubric)

    def __str__(self) -> str:
        return self.text

    def __repr__(self) -> str:
        kind = type(self.subject).__name__
        return f"<Report of a {kind}: {self.subject.percent:g}%>"

    def save(self, path: str | Path, format: str | None = None) -> Path:
        """Write the report in `format` ("html", "markdown" or "text"), else in the one the
        suffix names: `.html`/`.htm`, `.md` or `.txt`."""
        target = Path(path)
        formats = {".html": "html", ".htm": "html", ".md": "markdown", ".txt": "text"}
        if format is not None and format not in ("html", "markdown", "text"):
            raise ValueError(f"a report's format is html, markdown or text, not {format!r}")
        chosen = format or formats.get(target.suffix.lower())
        if chosen is None:
            raise CoachError(
                f"cannot tell the report format of {target.name!r}: use .html, .md, .txt"
            )
        try:
            target.write_text(getattr(self, chosen), encoding="utf-8")
        except OSError as exc:
            raise CoachError(
                f"cannot write the report to {str(target)!r}: {exc.strerror}"
            ) from None
        return target


def report(
    subject: GradeResult | SessionRecord,
    *,
    prompt: str | None = None,
    answer: str | None = None,
    history: History | None = None,
    rubric: Any = None,
) -> Report:
    """The report of a grade (pass `prompt` and `answer` to show them) or of a session (pass
    `history`, (when, percent) pairs, for the progress chart).

    `rubric` (the `Question`, its `Bank`, or a list of banks) lets the report name the key
    points hit and missed; without it they are left to the rationale (ids are in the JSON).
    """
    return Report(subject, prompt=prompt, answer=answer, history=history, rubric=rubric)
