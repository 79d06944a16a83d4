"""An opt-in on-disk cache of LLM replies, so re-running a notebook or a batch costs nothing.

The key is a SHA-256 over everything that can change a grade: the question's rubric (content
and version), the prompt templates' hash, the model and its parameters, the feedback language,
whether personal data was redacted, and the answer as sent (normalized and redacted). A change
of any of them is a miss.

What is stored is the model's reply, not the finished result: on a hit the code-side steps run
again (quote verification against *this* answer's own text, deductions, flags), so two answers
that normalize alike (a Traditional and a Simplified copy) each get evidence from their own
words. Only replies that verified are stored; failures and fallbacks never are.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sqlite3
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from coach.errors import CacheError
from coach.llm.reply import GradeReply

__all__ = ["CacheError", "GradeCache", "cache_key"]  # CacheError lives with the other errors

SCHEMA = 1


def cache_key(parts: dict[str, Any]) -> str:
    """The content hash of a grade request's parts (a JSON-able mapping)."""
    text = json.dumps(parts, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class GradeCache:
    """LLM replies by request content, in one SQLite file; `hits` and `misses` count lookups."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        self.hits = 0
        self.misses = 0
        self._db: sqlite3.Connection | None = None
        self._lock = threading.Lock()  # one connection, shared by batch worker threads

    def _connect(self) -> sqlite3.Connection:
        if self._db is None:
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                db = sqlite3.connect(self.path, timeout=10, check_same_thread=False)
                db.execute(
                    "CREATE TABLE IF NOT EXISTS replies (key TEXT PRIMARY KEY, reply TEXT NOT "
                    "NULL, requests INTEGER, prompt_tokens INTEGER, completion_tokens INTEGER, "
                    "created REAL)"
                )
                db.execute("CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT)")
                row = db.execute("SELECT value FROM meta WHERE name = 'schema'").fetchone()
                if row is None:
                    db.execute("INSERT INTO meta VALUES ('schema', ?)", (str(SCHEMA),))
                elif row[0] != str(SCHEMA):
                    raise CacheError(f"{self.path}: a cache of another coach version")
                db.commit()
            except sqlite3.DatabaseError as exc:
                raise CacheError(f"{self.path}: not a usable cache file ({exc})") from None
            except OSError as exc:
                raise CacheError(f"{self.path}: cannot open the cache ({exc.strerror})") from None
            self._db = db
        return self._db

    def check(self) -> None:
        """Open the file and read it through, so that a broken cache is reported before any
        work starts; `CacheError` says what is wrong with it."""
        with self._lock, self._failing("read"):
            db = self._connect()
            db.execute("SELECT COUNT(*), MAX(LENGTH(reply)) FROM replies").fetchone()

    @contextlib.contextmanager
    def _failing(self, action: str) -> Iterator[None]:
        """SQLite's errors after the file was opened (a corrupt page, a full disk, a lock held
        too long) as `CacheError`, so callers see one kind of cache failure."""
        try:
            yield
        except sqlite3.Error as exc:
            raise CacheError(f"{self.path}: cannot {action} the cache ({exc})") from None

    def get(self, key: str) -> tuple[GradeReply, dict[str, int]] | None:
        """The stored reply and what it cost when it was made, or None (a miss)."""
        with self._lock, self._failing("read"):
            row = (
                self._connect()
                .execute(
                    "SELECT reply, requests, prompt_tokens, completion_tokens FROM replies "
                    "WHERE key = ?",
                    (key,),
                )
                .fetchone()
            )
        if row is None:
            self.misses += 1
            return None
        self.hits += 1
        spent = {"requests": row[1], "prompt_tokens": row[2], "completion_tokens": row[3]}
        return GradeReply.model_validate_json(row[0]), spent

    def put(self, key: str, reply: GradeReply, spent: dict[str, int]) -> None:
        with self._lock, self._failing("write"):
            self._put(key, reply, spent)

    def _put(self, key: str, reply: GradeReply, spent: dict[str, int]) -> None:
        db = self._connect()
        db.execute(
            "INSERT OR REPLACE INTO replies VALUES (?, ?, ?, ?, ?, ?)",
            (
                key,
                reply.model_dump_json(),
                spent.get("requests", 0),
                spent.get("prompt_tokens", 0),
                spent.get("completion_tokens", 0),
                time.time(),
            ),
        )
        db.commit()

    def __len__(self) -> int:
        with self._failing("read"):
            return int(self._connect().execute("SELECT COUNT(*) FROM replies").fetchone()[0])

    def clear(self) -> int:
        """Remove every stored reply; returns how many there were."""
        db = self._connect()
        count = len(self)
        with self._failing("clear"):
            db.execute("DELETE FROM replies")
            db.commit()
            db.execute("VACUUM")
        return count

    def stats(self) -> dict[str, int]:
        return {"entries": len(self), "hits": self.hits, "misses": self.misses}

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None

    def __enter__(self) -> GradeCache:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()
