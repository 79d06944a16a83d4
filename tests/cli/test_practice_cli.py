"""`coach practice` and `coach history`, run as real subprocesses.

Like tests/cli/test_cli.py: `python -m coach ...` in a child process without OPENAI_API_KEY or
OPENAI_BASE_URL, stdin a pipe closed after what the test gives, HOME and the history file in
tmp_path (a test never touches the real ~/.coach). The question order of a seed is predicted
with `MockInterview` in the test process, which also checks that a seed means the same
session in every process.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

import coach
from coach.cli.main import main
from coach.cli.practice_io import Style, load_answers
from coach.practice.history import History
from coach.practice.interview import MockInterview
from coach.session import SessionRecord
from tests.cli.support import TIMEOUT, cli_env, in_process, ok, one_error_line, run_cli
from tests.practice.support import FIRST_HALF, SECOND_HALF, drill_file


@pytest.fixture(autouse=True)
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """HOME in tmp_path, for this process and its children: the default history goes there."""
    path = tmp_path / "home"
    monkeypatch.setenv("HOME", str(path))
    return path


@pytest.fixture
def drill(tmp_path: Path) -> Path:
    return drill_file(tmp_path)


def plan(bank: Path, count: int, seed: int, kinds: list[str] | None = None) -> list[str]:
    """The question ids the CLI will ask, in order, for these settings."""
    interview = MockInterview(
        [str(bank)], grader=coach.KeywordGrader(), count=count, seed=seed, kinds=kinds
    )
    return [slot.question.id for slot in interview.plan]


def seed_with_freeze_first(bank: Path, count: int, kinds: list[str] | None = None) -> int:
    return next(s for s in range(100) if plan(bank, count, s, kinds)[0] == "freeze")


def write_answers(path: Path, items: list[object]) -> Path:
    path.write_text(yaml.safe_dump(items, allow_unicode=True), encoding="utf-8")
    return path


def saved(path: Path) -> list[SessionRecord]:
    with History(path) as history:
        return history.sessions()


# ------------------------------------------------------------------------ scripted practice


def test_scripted_practice_then_history_json_export_delete(tmp_path: Path, drill: Path) -> None:
    bank = coach.load_file(drill)
    order = plan(drill, 4, seed=11)
    items: list[object] = [
        {"answer": FIRST_HALF, "follow_up": SECOND_HALF}
        if qid == "freeze"
        else bank.question(qid).model_answer
        for qid in order
    ]
    answers = write_answers(tmp_path / "answers.yaml", items)
    store = tmp_path / "h.sqlite"
    run = ok(
        run_cli(
            "practice",
            drill,
            "--count",
            "4",
            "--seed",
            "11",
            "--offline",
            "--answers",
            answers,
            "--history",
            store,
        )
    )
    out = run.stdout
    assert "seed 11" in out and f"History: {store}" in out
    for number, qid in enumerate(order, 1):
        question = bank.question(qid)
        header = f"Question {number}/4 [{question.kind}, {question.points:g} pts]"
        assert header in out and question.prompt in out
    assert out.index("Question 1/4") < out.index("Question 4/4") < out.index("Session summary")
    assert "Follow-up: " in out and "with the follow-up: +" in out
    assert "\x1b[" not in out  # not a terminal: no colour
    assert "4 of 4 questions answered" in out
    assert "Total: 34 / 34 (100%)" in out

    [record] = saved(store)
    assert f"Saved session {record.id} to {store}" in out
    assert record.seed == 11 and record.finished_at is not None and record.method == "keyword"
    assert [t.question_id for t in record.turns] == order
    freeze = next(t for t in record.turns if t.question_id == "freeze")
    assert freeze.follow_up_answer == SECOND_HALF
    assert freeze.follow_up_result is not None and freeze.final.score == 10
    assert freeze.result.score < 10

    listing = ok(run_cli("history", "--history", store)).stdout
    assert f"1 session in {store}" in listing
    row = next(line for line in listing.splitlines() if record.id in line)
    assert "drill" in row and "100%" in row and "keyword" in row and "finished" in row
    assert "Progress per competency" in listing and "合规意识" in listing

    data = json.loads(ok(run_cli("history", "--history", store, "--json")).stdout)
    assert data["history"] == str(store)
    [summary] = data["sessions"]
    assert summary["id"] == record.id and summary["questions"] == 4
    assert summary["percent"] == 100.0 and summary["finished"] is True
    assert data["progress"]["合规意识"]["sessions"] == 1
    assert data["overall"][0]["percent"] == 100.0

    export = tmp_path / "out.jsonl"
    said = ok(run_cli("history", "--history", store, "--export", export)).stdout
    assert said == f"Exported 1 session to {export}\n"
    lines = export.read_text(encoding="utf-8").splitlines()
    assert [SessionRecord.model_validate_json(line) for line in lines] == [record]

    gone = ok(run_cli("history", "--history", store, "--delete-all")).stdout
    assert gone == f"Deleted 1 session from {store}\n"
    assert FIRST_HALF.encode() not in store.read_bytes()
    assert "No sessions" in ok(run_cli("history", "--history", store)).stdout


def test_fewer_answers_end_the_session_early(tmp_path: Path, drill: Path) -> None:
    answers = tmp_path / "answers.json"  # JSON works too
    answers.write_text(json.dumps(["我会深呼吸，调整心态，让自己冷静下来。"]), "utf-8")
    store = tmp_path / "h.sqlite"
    run = ok(
        run_cli(
            "practice",
            drill,
            "--count",
            "3",
            "--offline",
            "--no-follow-ups",
            "--answers",
            answers,
            "--history",
            store,
        )
    )
    assert "ran out after 1 of 3 questions" in run.stdout
    assert "Question 2/3" in run.stdout and "Question 3/3" not in run.stdout
    assert "1 of 3 questions answered" in run.stdout
    [record] = saved(store)
    assert len(record.turns) == 1 and record.finished_at is not None


# --------------------------------------------------------------------- interactive practice


def test_interactive_practice_through_stdin(tmp_path: Path, drill: Path) -> None:
    seed = seed_with_freeze_first(drill, 2, ["situational"])
    head, tail = FIRST_HALF.split("，", 1)
    typed = (
        f"{head}，\n{tail}\n\n"  # a two-line answer, ended by an empty line
        f"{SECOND_HALF}\n\n"  # the follow-up
        "\n\n"  # the second question: empty, asked again, empty again: skipped
    )
    store = tmp_path / "h.sqlite"
    run = ok(
        run_cli(
            "practice",
            drill,
            "--kind",
            "situational",
            "--count",
            "2",
            "--seed",
            str(seed),
            stdin=typed,
            env={"COACH_HISTORY": str(store)},
        )
    )
    out = run.stdout
    assert "Question 1/2 [situational, 10 pts]" in out and "Question 2/2" in out
    assert "Grading: offline keyword grader (no LLM configured" in out
    assert "[keyword, fallback]" in out  # honest label, reason said once at the start
    assert "Follow-up: " in out
    assert "No answer. Type it now, or press Enter again" in out
    assert "(Skipped" in out
    assert "1 of 2 questions answered, 1 skipped" in out
    [record] = saved(store)
    [turn] = record.turns
    assert turn.answer == f"{head}，\n{tail}"
    assert turn.follow_up_answer == SECOND_HALF
    assert turn.final.score == 10 > turn.result.score


def test_end_of_input_ends_the_session_and_keeps_the_answers(tmp_path: Path, drill: Path) -> None:
    store = tmp_path / "h.sqlite"
    run = ok(
        run_cli(
            "practice",
            drill,
            "--count",
            "3",
            "--offline",
            "--no-follow-ups",
            "--history",
            store,
            stdin="我会深呼吸，调整心态，让自己冷静下来。\n",
        )
    )
    assert "Input ended" in run.stdout
    [record] = saved(store)
    assert len(record.turns) == 1


def test_nothing_answered_saves_nothing(tmp_path: Path, drill: Path) -> None:
    store = tmp_path / "h.sqlite"
    run = ok(run_cli("practice", drill, "--count", "2", "--offline", "--history", store))
    assert "Nothing answered, nothing saved." in run.stdout
    assert saved(store) == []


@pytest.mark.skipif(os.name != "posix", reason="SIGINT to a child process")
def test_ctrl_c_saves_the_answers_so_far_as_unfinished(tmp_path: Path, drill: Path) -> None:
    store = tmp_path / "h.sqlite"
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "coach",
            "practice",
            str(drill),
            "--count",
            "3",
            "--offline",
            "--no-follow-ups",
            "--history",
            str(store),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=cli_env(),
    )
    assert proc.stdin is not None
    try:
        proc.stdin.write("我会深呼吸，调整心态，让自己冷静下来。\n\n".encode())
        proc.stdin.flush()
        deadline = time.monotonic() + TIMEOUT
        while not (store.exists() and saved(store)):  # saved after each question
            assert time.monotonic() < deadline and proc.poll() is None
            time.sleep(0.05)
        proc.send_signal(signal.SIGINT)
        stdout, stderr = proc.communicate(timeout=TIMEOUT)
    finally:
        proc.kill() if proc.poll() is None else None
    assert proc.returncode == 130
    assert b"Traceback" not in stderr
    assert stderr.decode().splitlines() == [
        f"coach: interrupted; 1 answered question saved to {store} as unfinished"
    ]
    assert b"Session summary" not in stdout
    [record] = saved(store)
    assert record.finished_at is None and len(record.turns) == 1


# ----------------------------------------------------------------------- where history goes


def test_default_history_and_the_environment_variable(tmp_path: Path, drill: Path) -> None:
    answers = write_answers(tmp_path / "a.yaml", ["我会深呼吸，调整心态，让自己冷静下来。"])
    args = ("practice", drill, "--count", "1", "--offline", "--answers", answers)
    default = tmp_path / "home" / ".coach" / "history.sqlite"
    run = ok(run_cli(*args))
    assert f"History: {default}" in run.stdout and len(saved(default)) == 1
    chosen = tmp_path / "env" / "mine.sqlite"
    run = ok(run_cli(*args, env={"COACH_HISTORY": str(chosen)}))
    assert f"History: {chosen}" in run.stdout and len(saved(chosen)) == 1
    assert len(saved(default)) == 1  # untouched
    listing = ok(run_cli("history", env={"COACH_HISTORY": str(chosen)})).stdout
    assert f"1 session in {chosen}" in listing


def test_no_history_saves_nothing(tmp_path: Path, drill: Path) -> None:
    answers = write_answers(tmp_path / "a.yaml", ["我会深呼吸，调整心态，让自己冷静下来。"])
    run = ok(
        run_cli(
            "practice",
            drill,
            "--count",
            "1",
            "--offline",
            "--no-history",
            "--answers",
            answers,
        )
    )
    assert "Not saved (--no-history)." in run.stdout
    assert not (tmp_path / "home").exists()


# ------------------------------------------------------------------------------- mistakes


BAD_ANSWERS = [
    pytest.param(None, "cannot read answers file", id="missing"),
    pytest.param("answer: 只有一个映射\n", "must hold a list of answers", id="mapping"),
    pytest.param(
        "- {answer: 好的, followup: 拼错了}\n", "answer 1: unknown key 'followup'", id="unknown-key"
    ),
    pytest.param("- 好的\n- {answer: 42}\n", "answer 2: 'answer' must be text, not int", id="int"),
    pytest.param("- {follow_up: 好的}\n", "answer 1: 'answer' must be text, not nothing", id="no"),
    pytest.param("- [unclosed\n", "not valid YAML", id="yaml"),
    pytest.param("[]\n", "holds no answers", id="empty"),
]


@pytest.mark.parametrize(("content", "fragment"), BAD_ANSWERS)
def test_bad_answers_files_are_refused_clearly(
    tmp_path: Path, content: str | None, fragment: str
) -> None:
    answers = tmp_path / "answers.yaml"
    if content is not None:
        answers.write_text(content, encoding="utf-8")
    with pytest.raises(coach.CoachError, match=re.escape(fragment)) as caught:
        load_answers(str(answers))
    assert "answers.yaml" in str(caught.value)


@pytest.mark.parametrize(("content", "fragment"), [BAD_ANSWERS[0], BAD_ANSWERS[2]])
def test_a_bad_answers_file_is_one_error_line(
    tmp_path: Path, drill: Path, content: str | None, fragment: str
) -> None:
    answers = tmp_path / "answers.yaml"
    if content is not None:
        answers.write_text(content, encoding="utf-8")
    store = tmp_path / "h.sqlite"
    run = run_cli("practice", drill, "--answers", answers, "--history", store)
    one_error_line(run, fragment, "answers.yaml")
    assert run.stdout == ""  # refused before the first question
    assert not store.exists()


def test_a_corrupt_history_file_is_one_error_line(tmp_path: Path, drill: Path) -> None:
    store = tmp_path / "h.sqlite"
    store.write_bytes(b"definitely not sqlite " * 50)
    for args in (("practice", drill, "--offline"), ("history",)):
        run = run_cli(*args, "--history", store, stdin="好的\n\n")
        one_error_line(run, "is not a coach history file", str(store))
        assert "Question" not in run.stdout


def test_an_unwritable_history_path_fails_before_the_first_question(
    tmp_path: Path, drill: Path
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    store = blocker / "h.sqlite"
    run = run_cli("practice", drill, "--offline", "--history", store, stdin="好的\n\n")
    one_error_line(run, "cannot create history file", str(store))
    assert "Question" not in run.stdout


def test_too_few_questions_is_one_error_line(
    drill: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run = in_process(capsys, "practice", drill, "--count", "9", "--offline", "--no-history")
    one_error_line(run, "asked for 9 questions", "only 4")


def test_usage_errors_exit_2(tmp_path: Path, drill: Path) -> None:
    run = run_cli("practice", drill, "--count", "0")
    assert run.returncode == 2 and "Traceback" not in run.stderr
    assert "usage: coach practice" in run.stderr and "must be at least 1" in run.stderr


@pytest.mark.parametrize(
    "args",
    [["--count", "x"], ["--kind", "gossip"], ["--history", "x.sqlite", "--no-history"]],
    ids=["count", "kind", "history-twice"],
)
def test_more_usage_errors(
    drill: Path, args: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["practice", str(drill), *args])
    assert caught.value.code == 2
    assert "usage: coach practice" in capsys.readouterr().err


def test_history_delete_one_and_export_to_stdout(
    tmp_path: Path, drill: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = tmp_path / "h.sqlite"
    interview = MockInterview([str(drill)], grader=coach.KeywordGrader(), count=1, seed=0)
    interview.answer("我会深呼吸，调整心态。")
    record = interview.finish()
    with History(store) as history:
        history.save(record)
    piped = ok(in_process(capsys, "history", "--history", store, "--export", "-")).stdout
    assert SessionRecord.model_validate_json(piped) == record
    run = in_process(capsys, "history", "--history", store, "--delete", "nope")
    one_error_line(run, "no session 'nope'")
    said = ok(run_cli("history", "--history", store, "--delete", record.id)).stdout
    assert said == f"Deleted session {record.id} from {store}\n"
    assert saved(store) == []


# ---------------------------------------------------------------------------------- colour


class FakeTerminal:
    def isatty(self) -> bool:
        return True


def test_colour_only_on_a_terminal_without_no_color(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("TERM", "xterm-256color")
    style = Style(FakeTerminal())  # type: ignore[arg-type]
    assert style.bold("Q") == "\x1b[1mQ\x1b[0m"
    assert style.score("90%", 90) == "\x1b[1;32m90%\x1b[0m"  # green
    assert style.score("60%", 60) == "\x1b[1;33m60%\x1b[0m"  # yellow
    assert style.score("10%", 10) == "\x1b[1;31m10%\x1b[0m"  # red
    monkeypatch.setenv("NO_COLOR", "1")
    assert Style(FakeTerminal()).bold("Q") == "Q"  # type: ignore[arg-type]
    monkeypatch.delenv("NO_COLOR")
    with open(os.devnull, "w") as not_a_terminal:
        assert Style(not_a_terminal).bold("Q") == "Q"
