"""`History`: the SQLite store of practice sessions, read back equal, tracked over time, exported,
deleted without leaving the answers in the file, and refusing files that are not its own."""

from __future__ import annotations

import contextlib
import io
import os
import sqlite3
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

import coach
from coach.practice.history import History, HistoryError
from coach.practice.interview import MockInterview
from coach.session import SessionRecord
from tests.practice.support import FIRST_HALF, SECOND_HALF

START = datetime(2025, 3, 1, 9, 0, tzinfo=timezone.utc)


def session(
    drill: coach.Bank, *, seed: int = 1, count: int = 4, day: int = 0, marker: str = ""
) -> SessionRecord:
    """A finished session: each answer is its model answer's first `4 * seed` characters
    (so sessions differ in score) and `marker`; the follow-ups are not answered."""
    interview = MockInterview([drill], grader=coach.KeywordGrader(), count=count, seed=seed)
    while (question := interview.next_question()) is not None:
        interview.answer(question.model_answer[: 4 * seed] + marker)
        if interview.pending_follow_up:
            interview.skip_follow_up()
    record = interview.finish()
    start = START + timedelta(days=day)
    return record.model_copy(
        update={
            "id": f"s{seed}-{day}",
            "started_at": start,
            "finished_at": start + timedelta(minutes=20),
        }
    )


@contextlib.contextmanager
def raw_db(path: Path) -> Iterator[sqlite3.Connection]:
    """A plain connection, committed and closed on exit (sqlite3's own `with` only commits)."""
    conn = sqlite3.connect(path)
    try:
        with conn:
            yield conn
    finally:
        conn.close()


def raw(path: Path) -> bytes:
    """Every byte of the database and any journal beside it."""
    files = [path, *path.parent.glob(path.name + "-*")]
    return b"".join(f.read_bytes() for f in files if f.is_file())


def test_save_and_reload_is_the_same_record(tmp_path: Path, drill: coach.Bank) -> None:
    record = session(drill)
    path = tmp_path / "history.sqlite"
    with History(path) as history:
        history.save(record)
    with History(path) as history:  # a new connection reads it back
        assert history.sessions() == [record]
        assert history.get(record.id) == record
        assert history.get("nope") is None
        assert len(history) == 1


def test_unfinished_session_round_trips(tmp_path: Path, drill: coach.Bank) -> None:
    interview = MockInterview([drill], grader=coach.KeywordGrader(), count=2, seed=3)
    interview.answer(FIRST_HALF)
    record = interview.record
    assert record.finished_at is None
    with History(tmp_path / "h.sqlite") as history:
        history.save(record)
        assert history.get(record.id) == record


def test_save_replaces_by_id(tmp_path: Path, drill: coach.Bank) -> None:
    interview = MockInterview([drill], grader=coach.KeywordGrader(), count=2, seed=3)
    with History(tmp_path / "h.sqlite") as history:
        interview.answer(FIRST_HALF)
        history.save(interview.record)
        interview.skip_follow_up()
        interview.answer(SECOND_HALF)
        interview.skip_follow_up() if interview.pending_follow_up else None
        final = interview.finish()
        history.save(final)
        assert history.sessions() == [final]


def test_sessions_come_oldest_first(tmp_path: Path, drill: coach.Bank) -> None:
    records = [session(drill, seed=s, day=d) for s, d in ((1, 2), (2, 0), (3, 1))]
    with History(tmp_path / "h.sqlite") as history:
        for record in records:
            history.save(record)
        assert [s.id for s in history.sessions()] == ["s2-0", "s3-1", "s1-2"]


def test_progress_and_overall_over_several_sessions(tmp_path: Path, drill: coach.Bank) -> None:
    records = [session(drill, seed=s, day=s) for s in (1, 5, 9)]
    small = session(drill, seed=2, count=1, day=4)  # assesses fewer competencies
    with History(tmp_path / "h.sqlite") as history:
        for record in [*records, small]:
            history.save(record)
        progress = history.progress()
        overall = history.overall()
    ordered = sorted([*records, small], key=lambda r: r.started_at)
    assert overall == [(r.started_at, r.percent) for r in ordered]
    assert len({p for _, p in overall}) > 1  # the sessions really differ
    for name, points in progress.items():
        expected = [
            (r.started_at, c.percent)
            for r in ordered
            for c in r.competencies()
            if c.competency == name
        ]
        assert points == expected
    assert set(progress) == {"沟通技巧", "合规意识", "抗压能力", "风险防范"}
    small_names = {c.competency for c in small.competencies()}
    for name in set(progress) - small_names:
        assert len(progress[name]) == 3  # not assessed by the small session


def test_export_writes_json_lines(tmp_path: Path, drill: coach.Bank) -> None:
    records = [session(drill, seed=s, day=s) for s in (1, 2)]
    with History(tmp_path / "h.sqlite") as history:
        for record in records:
            history.save(record)
        target = tmp_path / "out.jsonl"
        assert history.export(target) == 2
        buffer = io.StringIO()
        assert history.export(buffer) == 2
    lines = target.read_text(encoding="utf-8").splitlines()
    assert [SessionRecord.model_validate_json(line) for line in lines] == records
    assert buffer.getvalue() == target.read_text(encoding="utf-8")


def test_delete_one_removes_its_answers_from_the_file(tmp_path: Path, drill: coach.Bank) -> None:
    path = tmp_path / "h.sqlite"
    gone = session(drill, seed=1, day=0, marker="MARKER-GONE-7781")
    kept = session(drill, seed=2, day=1, marker="MARKER-KEPT-4410")
    with History(path) as history:
        history.save(gone)
        history.save(kept)
        assert b"MARKER-GONE-7781" in raw(path)
        assert history.delete(gone.id) == 1
        assert history.delete(gone.id) == 0
        assert history.sessions() == [kept]
    assert b"MARKER-GONE-7781" not in raw(path)
    assert b"MARKER-KEPT-4410" in raw(path)


def test_delete_all_vacuums(tmp_path: Path, drill: coach.Bank) -> None:
    path = tmp_path / "h.sqlite"
    with History(path) as history:
        for seed in (1, 2, 3):
            history.save(session(drill, seed=seed, day=seed, marker=f"SECRET-ANSWER-{seed}"))
        assert history.delete() == 3
        assert history.sessions() == []
        assert history.delete() == 0
    assert b"SECRET-ANSWER" not in raw(path)
    with History(path) as history:  # still a usable history afterwards
        history.save(session(drill))
        assert len(history) == 1


def test_delete_all_gives_the_space_back(tmp_path: Path, drill: coach.Bank) -> None:
    # secure_delete zeroes the freed pages but keeps them in the file; VACUUM drops them.
    path = tmp_path / "h.sqlite"
    with History(path) as history:
        history.create()
    empty = path.stat().st_size
    with History(path) as history:
        for day in range(12):
            history.save(session(drill, seed=1, day=day, marker="长答案" * 1500))
    full = path.stat().st_size
    assert full > 10 * empty
    with History(path) as history:
        assert history.delete() == 12
    assert path.stat().st_size <= empty


def test_reading_a_missing_file_creates_nothing(tmp_path: Path) -> None:
    path = tmp_path / "not" / "yet.sqlite"
    with History(path) as history:
        assert history.sessions() == []
        assert history.progress() == {} and history.overall() == []
        assert history.delete() == 0
        assert history.export(io.StringIO()) == 0
    assert not path.exists() and not path.parent.exists()


def test_first_save_creates_folder_and_a_private_file(tmp_path: Path, drill: coach.Bank) -> None:
    path = tmp_path / "deep" / "er" / "history.sqlite"
    with History(path) as history:
        history.save(session(drill))
    assert path.is_file()
    if os.name == "posix":
        assert path.stat().st_mode & 0o077 == 0
    with raw_db(path) as conn:
        assert conn.execute("SELECT version FROM schema_version").fetchall() == [(1,)]


def test_create_makes_an_empty_history_now(tmp_path: Path) -> None:
    path = tmp_path / "new.sqlite"
    with History(path) as history:
        history.create()
        history.create()  # nothing happens the second time
        assert path.is_file() and history.sessions() == []
    blocked = tmp_path / "new.sqlite" / "below-a-file.sqlite"
    with pytest.raises(HistoryError, match="cannot create history file"):
        History(blocked).create()


def test_two_histories_on_one_file(tmp_path: Path, drill: coach.Bank) -> None:
    path = tmp_path / "h.sqlite"
    with History(path) as first, History(path) as second:
        first.save(session(drill, seed=1))
        second.save(session(drill, seed=2, day=1))
        assert [s.id for s in first.sessions()] == ["s1-0", "s2-1"]
        assert len(second) == 2


def test_memory_history(drill: coach.Bank) -> None:
    with History(":memory:") as history:
        history.save(session(drill))
        assert len(history) == 1


@pytest.mark.parametrize(
    "content",
    [b"this is not a database at all, just some text " * 40, os.urandom(4096)],
    ids=["text", "random"],
)
def test_a_file_that_is_not_sqlite_is_refused(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "notes.sqlite"
    path.write_bytes(content)
    with pytest.raises(HistoryError, match="not a coach history file") as caught:
        History(path)
    assert "notes.sqlite" in str(caught.value)
    assert isinstance(caught.value, coach.CoachError)
    assert path.read_bytes() == content  # left alone


def test_a_damaged_history_is_refused(tmp_path: Path, drill: coach.Bank) -> None:
    path = tmp_path / "h.sqlite"
    with History(path) as history:
        history.save(session(drill))
    data = bytearray(path.read_bytes())
    data[:16] = b"garbage garbage!"  # the SQLite header
    path.write_bytes(bytes(data))
    with pytest.raises(HistoryError, match="not a coach history file"):
        History(path).sessions()


def test_another_programs_sqlite_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    with raw_db(path) as conn:
        conn.execute("CREATE TABLE contacts (name TEXT)")
    with pytest.raises(HistoryError, match="not a coach history"):
        History(path)
    with raw_db(path) as conn:  # and not touched
        tables = conn.execute("SELECT name FROM sqlite_master WHERE type='table'").fetchall()
    assert tables == [("contacts",)]


def test_a_newer_schema_is_refused(tmp_path: Path, drill: coach.Bank) -> None:
    path = tmp_path / "h.sqlite"
    with History(path) as history:
        history.save(session(drill))
    with raw_db(path) as conn:
        conn.execute("UPDATE schema_version SET version = 99")
    with pytest.raises(HistoryError, match="schema version 99"):
        History(path)


def test_a_damaged_record_names_the_session(tmp_path: Path, drill: coach.Bank) -> None:
    path = tmp_path / "h.sqlite"
    with History(path) as history:
        history.save(session(drill))
    with raw_db(path) as conn:
        conn.execute("UPDATE sessions SET record = '{\"id\": 1}'")
    with History(path) as history, pytest.raises(HistoryError, match=r"'s1-0'.*damaged"):
        history.sessions()


def test_a_folder_is_refused(tmp_path: Path) -> None:
    with pytest.raises(HistoryError, match="folder"):
        History(tmp_path)
