"""The `coach history` command: past practice sessions, progress per competency, export and
deletion of the local SQLite history (nothing in it ever leaves the machine)."""

from __future__ import annotations

import argparse
import os
from datetime import datetime
from pathlib import Path
from typing import Any, TextIO

from coach.cli.common import write_json
from coach.errors import CoachError
from coach.practice.history import History
from coach.reports.text import table
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


def history_path(args: argparse.Namespace) -> Path:
    """--history FILE, else $COACH_HISTORY, else ~/.coach/history.sqlite."""
    chosen = args.history or os.environ.get(HISTORY_ENV) or DEFAULT_HISTORY
    return Path(chosen).expanduser()


def cmd_history(args: argparse.Namespace, out: TextIO) -> int:
    path = history_path(args)
    with History(path) as history:
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
        "finished": session.finished_at is not None,
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
            "finished" if s.finished_at else "unfinished",
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
