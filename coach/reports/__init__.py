"""Reports: a grade or a practice session drawn as terminal text, Markdown, HTML or SVG charts.

Reads results and session records only (`coach.result`, `coach.session`, `coach.errors`); it
never grades. Importing it registers the text and HTML views that `str(result)` and Jupyter use.
"""

from coach.reports.html import result_html_fragment, session_html_fragment
from coach.reports.text import render_result, render_session
from coach.result import GradeResult, register_views
from coach.session import SessionRecord

register_views(GradeResult, render_result, result_html_fragment)
register_views(SessionRecord, render_session, session_html_fragment)
