"""`History`: past practice sessions in a local SQLite file, and progress over time.

Each `SessionRecord` is stored whole, as its JSON, beside a few indexed columns (id, start and
end times, bank ids, percent, method) for listing without parsing every record. The file is
created on first save with a schema version table, so a later coach can migrate it or refuse
it clearly. Nothing leaves the machine.

Answers are personal: the file is created readable by its owner only, deleted rows are
overwritten (`secure_delete`), and deleting everything also VACUUMs, so a removed answer's
text does not linger in the file.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path
from typing import IO

from pydantic import ValidationError

from coach.errors import CoachError
from coach.session import SessionRecord

SCHEMA_VERSION = 1
CONNECT_TIMEOUT = 10.0  # seconds to wait for another process's write lock
MEMORY = ":memory:"

# Run in one IMMEDIATE transaction, and idempotent: two processes may create the file at once.
_SCHEMA = f"""
BEGIN IMMEDIATE;
CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL);
INSERT INTO schema_version SELECT {SCHEMA_VERSION} WHERE NOT EXISTS (SELECT 1 FROM schema_version);
CREATE TABLE IF NOT EXISTS sessions (
    id TEXT PRIMARY KEY,
    started_at TEXT NOT NULL,   -- ISO 8601, UTC, fixed width: sorts as text
    finished_at TEXT,           -- NULL: interrupted
    bank_ids TEXT NOT NULL,     -- space-separated (bank ids contain no spaces)
    percent REAL NOT NULL,
    method TEXT NOT NULL,
    record TEXT NOT NULL        -- the SessionRecord as JSON
);
CREATE INDEX IF NOT EXISTS sessions_started_at ON sessions (started_at);
CREATE INDEX IF NOT EXISTS sessions_bank_ids ON sessions (bank_ids);
COMMIT;
"""


class HistoryError(CoachError):
    """The history file cannot be used: not SQLite, damaged, not coach's, or too new."""


class History:
    """The practice sessions stored in the SQLite file at `path` (":memory:" for none).

    One connection per `History`; use it as a context manager or call `close()`. Reading a
    file that does not exist yet finds no sessions and creates nothing.
    """

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path) if os.fspath(path) != MEMORY else None
        self._conn: sqlite3.Connection | None = None
        if self.path is None or self.path.exists():
            self._connect(create=False)

    def __repr__(self) -> str:
        return f"History({os.fspath(self.path) if self.path else MEMORY!r})"

    # -- storing ----------------------------------------------------------------------------
    def create(self) -> None:
        """Create the file and its tables now (nothing happens when they exist), so that a
        path that cannot be written fails before a session starts, not after its first answer.
        """
        self._connect(create=True)

    def save(self, session: SessionRecord) -> None:
        """Insert `session`, or replace the stored one with the same id."""
        conn = self._connect(create=True)
        with self._errors(), conn:
            conn.execute(
                "INSERT OR REPLACE INTO sessions "
                "(id, started_at, finished_at, bank_ids, percent, method, record) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    session.id,
                    _stamp(session.started_at),
                    _stamp(session.finished_at) if session.finished_at else None,
                    " ".join(session.bank_ids),
                    session.percent,
                    session.method,
                    session.model_dump_json(),
                ),
            )

    def delete(self, session_id: str | None = None) -> int:
        """Delete one session, or all of them when `session_id` is None; returns how many.

        Deleting everything also VACUUMs, rewriting the file without the freed pages.
        """
        conn = self._existing()
        if conn is None:
            return 0
        with self._errors():
            with conn:
                if session_id is None:
                    deleted = conn.execute("DELETE FROM sessions").rowcount
                else:
                    deleted = conn.execute(
                        "DELETE FROM sessions WHERE id = ?", (session_id,)
                    ).rowcount
            if session_id is None:
                conn.execute("VACUUM")
        return int(deleted)

    # -- reading ----------------------------------------------------------------------------
    def sessions(self) -> list[SessionRecord]:
        """Every stored session, oldest first."""
        return list(self._records("ORDER BY started_at, id"))

    def get(self, session_id: str) -> SessionRecord | None:
        """The session with this id, or None."""
        return next(self._records("WHERE id = ?", (session_id,)), None)

    def __len__(self) -> int:
        conn = self._existing()
        if conn is None:
            return 0
        with self._errors():
            return int(conn.execute("SELECT count(*) FROM sessions").fetchone()[0])

    def progress(self) -> dict[str, list[tuple[datetime, float]]]:
        """Per competency, (start time, percent) of each session that assessed it, oldest
        first; competencies in order of first appearance."""
        series: dict[str, list[tuple[datetime, float]]] = {}
        for session in self.sessions():
            for score in session.competencies():
                series.setdefault(score.competency, []).append((session.started_at, score.percent))
        return series

    def overall(self) -> list[tuple[datetime, float]]:
        """(start time, percent) of each session with at least one graded answer."""
        return [(s.started_at, s.percent) for s in self.sessions() if s.turns]

    def export(self, target: str | os.PathLike[str] | IO[str]) -> int:
        """Write every session as JSON lines (one `SessionRecord` a line) to a path or an open
        text file; returns how many."""
        sessions = self.sessions()
        lines = "".join(s.model_dump_json() + "\n" for s in sessions)
        if isinstance(target, (str, os.PathLike)):
            try:
                Path(target).write_text(lines, encoding="utf-8")
            except OSError as exc:
                raise HistoryError(
                    f"cannot write {os.fspath(target)!r}: {exc.strerror or exc}"
                ) from None
        else:
            target.write(lines)
        return len(sessions)

    # -- the connection -----------------------------------------------------------------------
    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def __enter__(self) -> History:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def _existing(self) -> sqlite3.Connection | None:
        """The connection, if there is a file to read (reading never creates one)."""
        if self._conn is None and self.path is not None and self.path.exists():
            self._connect(create=False)
        return self._conn

    def _connect(self, *, create: bool) -> sqlite3.Connection:
        if self._conn is not None:
            return self._conn
        where = self._where()
        if self.path is not None and self.path.is_dir():
            raise HistoryError(f"{where} is a folder, not a history file")
        if self.path is not None and create:
            _create_private(self.path)
        try:
            conn = sqlite3.connect(
                os.fspath(self.path) if self.path else MEMORY, timeout=CONNECT_TIMEOUT
            )
        except sqlite3.Error as exc:
            raise HistoryError(f"cannot open history file {where}: {exc}") from None
        try:
            _prepare(conn, where)
        except BaseException:
            conn.close()
            raise
        self._conn = conn
        return conn

    def _records(self, where: str, params: tuple[str, ...] = ()) -> Iterator[SessionRecord]:
        conn = self._existing()
        if conn is None:
            return
        with self._errors():
            rows = conn.execute(f"SELECT id, record FROM sessions {where}", params).fetchall()
        for session_id, text in rows:
            try:
                yield SessionRecord.model_validate_json(text)
            except ValidationError as exc:
                first = exc.errors()[0]
                raise HistoryError(
                    f"session {session_id!r} in {self._where()} is damaged: {first['msg']}"
                ) from None

    def _where(self) -> str:
        return repr(os.fspath(self.path)) if self.path is not None else MEMORY

    def _errors(self) -> _Translate:
        return _Translate(self._where())


class _Translate:
    """Turns sqlite3 errors into `HistoryError`s that name the file."""

    def __init__(self, where: str) -> None:
        self.where = where

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind: object, exc: BaseException | None, tb: object) -> None:
        if isinstance(exc, sqlite3.OperationalError) and "locked" in str(exc):
            raise HistoryError(f"history file {self.where} is busy (locked by another coach)")
        if isinstance(exc, sqlite3.Error):
            raise HistoryError(_describe(exc, self.where)) from None


def _prepare(conn: sqlite3.Connection, where: str) -> None:
    """Check the file is a coach history of a version we know; create the tables if empty."""
    with _Translate(where):
        conn.execute("PRAGMA secure_delete = ON")  # deleted rows are zeroed, not just freed
        tables = {
            row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        }
        if not tables:
            conn.executescript(_SCHEMA)
            return
        if not {"schema_version", "sessions"} <= tables:
            raise HistoryError(
                f"{where} is an SQLite file but not a coach history; give another --history file"
            )
        row = conn.execute("SELECT max(version) FROM schema_version").fetchone()
    version = row[0] if row else None
    if not isinstance(version, int):
        raise HistoryError(f"history file {where} has no schema version; it is damaged")
    if version > SCHEMA_VERSION:
        raise HistoryError(
            f"history file {where} has schema version {version}, newer than this coach "
            f"understands ({SCHEMA_VERSION}); upgrade coach"
        )


def _describe(exc: sqlite3.Error, where: str) -> str:
    text = str(exc)
    if "not a database" in text or "malformed" in text or "encrypted" in text:
        return f"{where} is not a coach history file (not SQLite, or damaged): {text}"
    return f"history file {where}: {text}"


def _create_private(path: Path) -> None:
    """Create the folder and an empty file readable by the owner only, if missing."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600))
    except OSError as exc:
        raise HistoryError(
            f"cannot create history file {os.fspath(path)!r}: {exc.strerror or exc}"
        ) from None


def _stamp(moment: datetime) -> str:
    """UTC, fixed width, so text order is time order."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
