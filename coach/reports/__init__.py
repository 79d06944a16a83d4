"""Reports: a grade or a practice session drawn as terminal text, Markdown, HTML or SVG charts.

Reads results and session records only (`coach.result`, `coach.session`, `coach.errors`); it
never grades. Importing it registers the text and HTML views that `str(result)` and Jupyter use;
the renderers themselves load on first use, so `import coach` does not pay for them.
"""

from __future__ import annotations

from coach.result import GradeResult, register_views
from coach.session import SessionRecord


def _result_text(result: GradeResult) -> str:
    from coach.reports.text import render_result

    return render_result(result)


def _result_html(result: GradeResult) -> str:
    from coach.reports.html import result_html_fragment

    return result_html_fragment(result)


def _session_text(session: SessionRecord) -> str:
    from coach.reports.text import render_session

    return render_session(session)


def _session_html(session: SessionRecord) -> str:
    from coach.reports.html import session_html_fragment

    return session_html_fragment(session)


register_views(GradeResult, _result_text, _result_html)
register_views(SessionRecord, _session_text, _session_html)
