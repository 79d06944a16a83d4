"""The `coach history` command: past practice sessions, progress per competency, export and
deletion of the local SQLite history (nothing in it ever leaves the machine)."""

from __future__ import annotations

import argparse
import os
from datetime import datetime
from pathlib import Path
from typing import Any, TextIO

from coach.cli.common import UsageError, write_json
from coach.errors import CoachError
from coach.practice.history import History
from coach.reports.publish import report
from coach.reports.text import render_session, table
from coach.rubric.loader import load_bank
from coach.session import SessionRecord

HISTORY_ENV = "COACH_HISTORY"
DEFAULT_HISTORY = Path("~") / ".coach" / "history.sqlite"


def add_history_parser(sub: Any) -> None:
    history = sub.add_parser(
        "history",
        help="past practice sessions and progress per competency",
        description="List past practice sessions and the progress per competency, export "
        "them, or delete them. The history is a local file; nothing leaves the machine.",
    )
    history.add_argument(
        "--history",
        metavar="FILE",
        help=f"history file (default ${HISTORY_ENV}, else {DEFAULT_HISTORY})",
    )
    action = history.add_mutually_exclusive_group()
    action.add_argument("--json", action="store_true", help="print the listing as JSON")
    action.add_argument(
        "--export", metavar="FILE", help="write every session as JSON lines ('-': stdout)"
    )
    action.add_argument("--delete", metavar="ID", help="delete the session with this id")
    action.add_argument("--delete-all", action="store_true", help="delete every session")
    action.add_argument(
        "--report",
        metavar="ID",
        help="show the report of the session with this id again (with --html FILE, write it)",
    )
    history.add_argument(
        "--html",
        metavar="FILE",
        help="with --report ID: write the session's report as standalone HTML to FILE",
    )


def history_path(args: argparse.Namespace) -> Path:
    """--history FILE, else $COACH_HISTORY, else ~/.coach/history.sqlite."""
    chosen = args.history or os.environ.get(HISTORY_ENV) or DEFAULT_HISTORY
    return Path(chosen).expanduser()


def cmd_history(args: argparse.Namespace, out: TextIO) -> int:
    path = history_path(args)
    if args.html and args.report is None:
        raise UsageError("--html FILE writes a past session's report: give --report ID too")
    with History(path) as history:
        if args.report is not None:
            return _reopen(history, args.report, args.html, out)
        if args.delete is not None:
            if not history.delete(args.delete):
                raise CoachError(f"no session {args.delete!r} in {path} (see: coach history)")
            out.write(f"Deleted session {args.delete} from {path}\n")
            return 0
        if args.delete_all:
            count = history.delete()
            out.write(f"Deleted {count} session{'s' * (count != 1)} from {path}\n")
            return 0
        if args.export is not None:
            if args.export == "-":
                history.export(out)
                return 0
            count = history.export(args.export)
            out.write(f"Exported {count} session{'s' * (count != 1)} to {args.export}\n")
            return 0
        sessions = history.sessions()
        progress = history.progress()
        overall = history.overall()
    if args.json:
        data = {
            "history": str(path),
            "sessions": [_session_row(s) for s in sessions],
            "progress": {
                name: {
                    "first": points[0][1],
                    "latest": points[-1][1],
                    "sessions": len(points),
                    "points": [{"started_at": t.isoformat(), "percent": p} for t, p in points],
                }
                for name, points in progress.items()
            },
            "overall": [{"started_at": t.isoformat(), "percent": p} for t, p in overall],
        }
        write_json(out, data)
        return 0
    out.write(_history_report(path, sessions, progress, overall))
    return 0


def _reopen(history: History, session_id: str, html: str | None, out: TextIO) -> int:
    """A past session's report: written to `html`, or printed."""
    session = history.get(session_id)
    if session is None:
        raise CoachError(f"no session {session_id!r} in {history.path} (see: coach history)")
    if html is None:
        out.write(render_session(session))
        return 0
    # As it was shown then: the progress line up to this session, and the key points named
    # from the banks as they are now (a key point no longer in its bank is left unnamed).
    before = [(at, p) for at, p in history.overall() if at <= session.started_at]
    banks = []
    for bank_id in session.bank_ids:
        try:
            banks.append(load_bank(bank_id))
        except CoachError:
            continue  # a bank file that has moved: the report just names no key points
    saved = report(session, history=before, rubric=banks).save(html, format="html")
    out.write(f"Report: {saved}\n")
    return 0


def _session_row(session: SessionRecord) -> dict[str, Any]:
    return {
        "id": session.id,
        "started_at": session.started_at.isoformat(),
        "finished_at": session.finished_at.isoformat() if session.finished_at else None,
        "bank_ids": session.bank_ids,
        "questions": len(session.turns),
        "score": session.score,
        "max_score": session.max_score,
        "percent": session.percent,
        "method": session.method,
        "finished": session.status == "finished",
        "status": session.status,
    }


def _history_report(
    path: Path,
    sessions: list[SessionRecord],
    progress: dict[str, list[tuple[datetime, float]]],
    overall: list[tuple[datetime, float]],
) -> str:
    if not sessions:
        return f"No sessions in {path} yet; start one with: coach practice BANK\n"
    count = len(sessions)
    lines = [f"{count} session{'s' * (count != 1)} in {path}", ""]
    rows = [
        [
            f"{s.started_at.astimezone():%Y-%m-%d %H:%M}",  # local time, for reading
            s.id,
            " ".join(s.bank_ids),
            str(len(s.turns)),
            f"{s.percent:g}%",
            s.method,
            s.status,
        ]
        for s in sessions
    ]
    headers = ["date", "id", "banks", "questions", "score", "method", "status"]
    lines.append(table(headers, rows, right=(3, 4)))
    if progress:
        lines.append("Progress per competency (first -> latest session that assessed it):")
        rows = [
            [
                name,
                f"{points[0][1]:g}%",
                f"{points[-1][1]:g}%",
                f"{points[-1][1] - points[0][1]:+.1f}",
                str(len(points)),
            ]
            for name, points in progress.items()
        ]
        headers = ["competency", "first", "latest", "change", "sessions"]
        lines.append(table(headers, rows, right=(1, 2, 3, 4)))
    if len(overall) > 1:
        first, latest = overall[0][1], overall[-1][1]
        lines.append(
            f"Overall: {first:g}% -> {latest:g}% ({latest - first:+.1f}) over {len(overall)} "
            "sessions\n"
        )
    return "\n".join(lines).rstrip("\n") + "\n"
