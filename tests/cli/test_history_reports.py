"""Past sessions in `coach history`: ended early is not finished, and a session's report can be
opened again; report files: `--html` writes HTML, `--report` the format its suffix names."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

import coach
from coach.practice.history import History
from tests.cli.support import ok, one_error_line, run_cli
from tests.practice.support import drill_file
from tests.support import MINI_ANSWER


@pytest.fixture
def drill(tmp_path: Path) -> Path:
    return drill_file(tmp_path)


def _practice(tmp_path: Path, drill: Path, answers: list[str], *extra: str) -> Path:
    store = tmp_path / "h.sqlite"
    script = tmp_path / "answers.json"
    script.write_text(json.dumps(answers, ensure_ascii=False), "utf-8")
    ok(
        run_cli(
            "practice",
            drill,
            "--count",
            "2",
            "--seed",
            "3",
            "--offline",
            "--no-follow-ups",
            "--answers",
            script,
            "--history",
            store,
            *extra,
            home=tmp_path,
        )
    )
    return store


def _only_session(store: Path) -> coach.SessionRecord:
    with History(store) as history:
        [session] = history.sessions()
    return session


def test_a_session_ended_early_is_not_listed_as_finished(tmp_path: Path, drill: Path) -> None:
    store = _practice(tmp_path, drill, ["我会深呼吸，调整心态，让自己冷静下来。"])
    session = _only_session(store)
    assert session.finished_at is not None and session.ended_early
    listing = ok(run_cli("history", "--history", store, home=tmp_path)).stdout
    [row] = [line for line in listing.splitlines() if session.id in line]
    assert row.rstrip().endswith("ended early")
    data = json.loads(ok(run_cli("history", "--history", store, "--json", home=tmp_path)).stdout)
    [entry] = data["sessions"]
    assert entry["status"] == "ended early" and entry["finished"] is False


def test_a_session_answered_to_the_end_is_finished(tmp_path: Path, drill: Path) -> None:
    bank = coach.load_file(drill)
    store = _practice(tmp_path, drill, [q.model_answer for q in bank.questions[:2]] * 2)
    listing = ok(run_cli("history", "--history", store, home=tmp_path)).stdout
    assert "ended early" not in listing and re.search(r"\bfinished\s*$", listing, re.MULTILINE)


def test_a_past_sessions_report_opens_again(tmp_path: Path, drill: Path) -> None:
    bank = coach.load_file(drill)
    store = _practice(tmp_path, drill, [q.model_answer for q in bank.questions[:2]])
    session = _only_session(store)
    page = tmp_path / "again.html"
    run = ok(
        run_cli(
            "history", "--history", store, "--report", session.id, "--html", page, home=tmp_path
        )
    )
    assert run.stdout == f"Report: {page}\n"
    html = page.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>") and session.id in html
    for turn in session.turns:
        assert turn.prompt in html
    assert not list(tmp_path.glob("again.*.md")) and sorted(tmp_path.glob("again*")) == [page]
    text = ok(run_cli("history", "--history", store, "--report", session.id, home=tmp_path))
    assert text.stdout.startswith(f"Session {session.id} (finished, keyword)")


def test_reopening_an_unknown_session_or_html_alone(tmp_path: Path, drill: Path) -> None:
    store = _practice(tmp_path, drill, ["我会深呼吸，调整心态，让自己冷静下来。"])
    one_error_line(
        run_cli("history", "--history", store, "--report", "nope", "--html", tmp_path / "x.html"),
        "no session 'nope'",
    )
    alone = run_cli("history", "--history", store, "--html", tmp_path / "x.html")
    assert alone.returncode == 2 and "--report ID" in alone.stderr
    assert not (tmp_path / "x.html").exists()


def test_html_writes_html_whatever_the_suffix(tmp_path: Path, mini_path: Path) -> None:
    named = tmp_path / "notes.md"
    run = ok(
        run_cli("grade", mini_path, "atm", "--offline", "--answer", MINI_ANSWER, "--html", named)
    )
    assert named.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert f"Report: {named}" in run.stdout
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mini.yaml", "notes.md"]


@pytest.mark.parametrize(
    ("name", "start"), [("r.md", "# "), ("r.html", "<!DOCTYPE html>"), ("r.txt", "Question atm")]
)
def test_report_picks_the_format_by_suffix(
    tmp_path: Path, mini_path: Path, name: str, start: str
) -> None:
    target = tmp_path / name
    ok(run_cli("grade", mini_path, "atm", "--offline", "--answer", MINI_ANSWER, "--report", target))
    assert target.read_text(encoding="utf-8").startswith(start)


def test_report_and_html_together(tmp_path: Path, drill: Path) -> None:
    bank = coach.load_file(drill)
    page, notes = tmp_path / "s.html", tmp_path / "s.md"
    _practice(
        tmp_path,
        drill,
        [q.model_answer for q in bank.questions[:2]],
        "--html",
        str(page),
        "--report",
        str(notes),
    )
    assert page.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert notes.read_text(encoding="utf-8").startswith("# ")


def test_report_of_an_unknown_format_is_one_error_line(tmp_path: Path, mini_path: Path) -> None:
    run = run_cli(
        "grade",
        mini_path,
        "atm",
        "--offline",
        "--answer",
        MINI_ANSWER,
        "--report",
        tmp_path / "report.pdf",
    )
    one_error_line(run, "report format")
