"""The `coach practice` and `coach history` commands: mock interviews in the terminal, and the
local record of past sessions.

`practice` asks questions one at a time (or takes scripted answers from a file), grades each,
asks a follow-up when key points were missed, and saves the session to the history after every
question, so an interruption loses at most the answer being typed. `history` lists past
sessions and progress per competency, exports them, or deletes them.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from coach.cli.history import DEFAULT_HISTORY, HISTORY_ENV, history_path
from coach.errors import CoachError
from coach.practice.history import History
from coach.practice.interview import KINDS, AnswerGrader, MockInterview
from coach.grading.keyword import KeywordGrader
from coach.reports.publish import report
from coach.reports.text import render_result, table
from coach.result import Feedback
from coach.session import SessionRecord, Turn

PROG = "coach"


_ANSWER_KEYS = {"answer", "follow_up"}
PRACTICE_TIPS = 3  # improvements shown after each question; the rest are counted


def add_practice_parser(sub: Any) -> None:
    practice = sub.add_parser(
        "practice",
        help="a mock interview in the terminal, graded question by question",
        description="A mock interview: questions drawn from the banks, each answer graded, one "
        "follow-up when key points were missed, a summary at the end, saved to a local "
        "history. Answer in as many lines as you like; an empty line (or Ctrl-D) ends the "
        "answer. An empty answer is asked again once, then the question is skipped (not "
        "scored). Ctrl-D on an empty answer ends the interview; Ctrl-C stops it and saves "
        "the answers so far as unfinished.",
    )
    practice.add_argument("banks", metavar="BANK", nargs="+", help="built-in bank id or YAML path")
    practice.add_argument(
        "--count", type=_positive_int, default=5, metavar="N", help="questions (default 5)"
    )
    practice.add_argument(
        "--kind",
        action="append",
        choices=KINDS,
        metavar="KIND",
        help=f"only questions of this kind; repeat for several ({', '.join(KINDS)})",
    )
    practice.add_argument(
        "--seed", type=int, metavar="S", help="pick the same questions again (shown at the start)"
    )
    where = practice.add_mutually_exclusive_group()
    where.add_argument(
        "--history",
        metavar="FILE",
        help=f"history file (default ${HISTORY_ENV}, else {DEFAULT_HISTORY})",
    )
    where.add_argument("--no-history", action="store_true", help="save nothing")
    practice.add_argument(
        "--answers",
        metavar="FILE",
        help="answer from a YAML/JSON list instead of the keyboard: each item a string or "
        "{answer: ..., follow_up: ...}",
    )
    practice.add_argument(
        "--offline", action="store_true", help="the keyword grader only; never the network"
    )
    practice.add_argument("--model", metavar="M", help="LLM model name (default $COACH_MODEL)")
    practice.add_argument(
        "--base-url", metavar="URL", help="OpenAI-compatible server (default $OPENAI_BASE_URL)"
    )
    practice.add_argument(
        "--no-follow-ups", action="store_true", help="never ask a follow-up question"
    )
    practice.add_argument(
        "--html",
        metavar="FILE",
        help="write the session report (standalone HTML, with progress over past sessions)",
    )


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, not {value}")
    return value


class _Style:
    """ANSI bold and traffic-light colours, only on a terminal and without $NO_COLOR.

    Bold, green, yellow and red read well on dark and light backgrounds alike.
    """

    def __init__(self, out: TextIO) -> None:
        isatty = getattr(out, "isatty", None)
        self.on = bool(
            isatty is not None
            and isatty()
            and not os.environ.get("NO_COLOR")
            and os.environ.get("TERM") != "dumb"
        )

    def _wrap(self, code: str, text: str) -> str:
        return f"\033[{code}m{text}\033[0m" if self.on else text

    def bold(self, text: str) -> str:
        return self._wrap("1", text)

    def score(self, text: str, percent: float) -> str:
        colour = "32" if percent >= 80 else "33" if percent >= 50 else "31"
        return self._wrap(f"1;{colour}", text)


@dataclass(frozen=True)
class _Scripted:
    answer: str
    follow_up: str | None


def _load_answers(path: str) -> list[_Scripted]:
    """The --answers file: a list (or `answers:` holding one) of strings or mappings."""
    import yaml

    name = repr(path)
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise CoachError(f"cannot read answers file {name}: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise CoachError(f"answers file {name} is not UTF-8 text") from None
    try:
        data = json.loads(text) if path.endswith(".json") else yaml.safe_load(text)
    except json.JSONDecodeError as exc:
        raise CoachError(f"answers file {name} is not valid JSON: {exc}") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 1})" if mark is not None else ""
        problem = getattr(exc, "problem", None) or "syntax error"
        raise CoachError(f"answers file {name} is not valid YAML: {problem}{where}") from None
    if isinstance(data, dict) and set(data) == {"answers"}:
        data = data["answers"]
    shape = "a list of answers, each a string or {answer: ..., follow_up: ...}"
    if not isinstance(data, list):
        raise CoachError(f"answers file {name} must hold {shape}")
    if not data:
        raise CoachError(f"answers file {name} holds no answers")
    answers = []
    for number, item in enumerate(data, 1):
        where = f"answers file {name}, answer {number}"
        if isinstance(item, str):
            answers.append(_Scripted(item, None))
            continue
        if not isinstance(item, dict):
            raise CoachError(f"{where}: expected a string or a mapping, not {_kind(item)}")
        unknown = sorted(str(key) for key in set(item) - _ANSWER_KEYS)
        if unknown:
            raise CoachError(f"{where}: unknown key {unknown[0]!r} (keys: answer, follow_up)")
        answer, follow_up = item.get("answer"), item.get("follow_up")
        if not isinstance(answer, str):
            raise CoachError(f"{where}: 'answer' must be text, not {_kind(answer)}")
        if follow_up is not None and not isinstance(follow_up, str):
            raise CoachError(f"{where}: 'follow_up' must be text, not {_kind(follow_up)}")
        answers.append(_Scripted(answer, follow_up))
    return answers


def _kind(value: object) -> str:
    return "nothing" if value is None else type(value).__name__


class _Keyboard:
    """Answers typed at the terminal, or piped in: blocks of lines ended by an empty line."""

    def __init__(self, stdin: TextIO, out: TextIO) -> None:
        self.stdin = stdin
        self.out = out
        self.tty = stdin is sys.stdin and stdin.isatty()
        if self.tty:
            with contextlib.suppress(ImportError):  # not on every platform
                import readline  # noqa: F401  (line editing and recall for input())
        self.ended = False

    def _line(self) -> str | None:
        """One line without its newline; None at end of input (Ctrl-D)."""
        if self.tty:
            try:
                return input("> ")
            except EOFError:
                self.out.write("\n")
                return None
        raw = self.stdin.buffer.readline() if hasattr(self.stdin, "buffer") else None
        if raw is None:
            text = self.stdin.readline()
            return text.rstrip("\r\n") if text else None
        if not raw:
            return None
        try:
            return raw.decode("utf-8-sig").rstrip("\r\n")
        except UnicodeDecodeError:
            raise CoachError("the answers on stdin are not UTF-8 text") from None

    def block(self) -> str | None:
        """Lines up to an empty one; "" for an empty answer; None when input has ended."""
        lines: list[str] = []
        while True:
            line = self._line()
            if line is None:
                if not lines:
                    self.ended = True
                    return None
                break
            if not line.strip():
                break
            lines.append(line)
        return "\n".join(lines)


def _practice_grader(args: argparse.Namespace) -> tuple[AnswerGrader, str, str | None]:
    """The grader, a line saying how grading works, and a fallback reason already told."""
    if args.offline:
        return KeywordGrader(), "offline keyword grader (--offline)", None
    from coach.grading.grader import NOT_CONFIGURED, Grader

    grader = Grader(model=args.model, base_url=args.base_url)
    if not grader.configured:
        return (
            grader,
            "offline keyword grader (no LLM configured: set OPENAI_API_KEY or pass --base-url)",
            NOT_CONFIGURED,
        )
    server = f" at {args.base_url}" if args.base_url else ""
    return grader, f"LLM {grader.model}{server} (keyword grader if it cannot be reached)", None


def cmd_practice(args: argparse.Namespace, out: TextIO, err: TextIO, stdin: TextIO) -> int:
    scripted = _load_answers(args.answers) if args.answers else None
    path = None if args.no_history else history_path(args)
    history = History(path) if path is not None else None
    grader: AnswerGrader | None = None
    try:
        if history is not None:
            history.create()  # a damaged or unwritable file fails before question 1
        grader, grading, told = _practice_grader(args)
        interview = MockInterview(
            args.banks,
            grader=grader,
            count=args.count,
            kinds=args.kind,
            seed=args.seed,
            follow_ups=not args.no_follow_ups,
        )
        status = _run_practice(interview, scripted, history, grading, told, out, err, stdin)
        if args.html and interview.record.turns:
            past = history.overall() if history is not None else None
            saved = report(interview.record, history=past).save(args.html)
            out.write(f"Report: {saved}\n")
        return status
    finally:
        if history is not None:
            history.close()
        close = getattr(grader, "close", None)
        if callable(close):
            close()


def _run_practice(
    interview: MockInterview,
    scripted: list[_Scripted] | None,
    history: History | None,
    grading: str,
    told: str | None,
    out: TextIO,
    err: TextIO,
    stdin: TextIO,
) -> int:
    style = _Style(out)
    keyboard = None if scripted is not None else _Keyboard(stdin, out)
    total = len(interview.plan)
    heading = f"Mock interview: {total} question{'s' * (total != 1)} from "
    out.write(
        style.bold(heading + ", ".join(interview.bank_ids))
        + f"  (seed {interview.seed}; --seed {interview.seed} asks them again)\n"
    )
    out.write(f"Grading: {grading}\n")
    where = f"History: {history.path}" if history is not None else "History: not saved"
    out.write(where + ("\n" if history is not None else " (--no-history)\n"))
    if keyboard is not None:
        out.write(
            "Answer in as many lines as you like; an empty line ends the answer. Press Enter "
            "twice on an empty answer to skip a question; Ctrl-D ends the interview, Ctrl-C "
            f"stops it{' (answers so far are saved)' if history is not None else ''}.\n"
        )
    out.flush()

    def save() -> None:
        if history is not None and interview.record.turns:
            history.save(interview.record)

    try:
        ended_early = _ask_all(interview, scripted, keyboard, told, style, out, save)
    except KeyboardInterrupt:
        save()
        out.write("\n")
        out.flush()
        done = interview.progress.answered
        kept = (
            f"{done} answered question{'s' * (done != 1)} saved to {history.path} as unfinished"
            if history is not None and done
            else "nothing saved"
        )
        err.write(f"{PROG}: interrupted; {kept}\n")
        return 130
    except CoachError as exc:
        save()
        if history is not None and interview.record.turns:
            raise CoachError(f"{exc} (the answers so far are saved in {history.path})") from None
        raise
    record = interview.finish()
    save()
    if ended_early:
        out.write(f"\n{ended_early}\n")
    out.write(_session_summary(record, interview, style))
    if history is None:
        out.write("Not saved (--no-history).\n")
    elif record.turns:
        out.write(f"Saved session {record.id} to {history.path} (see: coach history)\n")
    else:
        out.write("Nothing answered, nothing saved.\n")
    return 0


def _ask_all(
    interview: MockInterview,
    scripted: list[_Scripted] | None,
    keyboard: _Keyboard | None,
    told: str | None,
    style: _Style,
    out: TextIO,
    save: Callable[[], None],
) -> str | None:
    """Ask every question; returns why the session ended early, or None."""
    told_reason = [told]
    answers = iter(scripted) if scripted is not None else None
    total = len(interview.plan)
    while (slot := interview.current) is not None:
        question = slot.question
        heading = f"Question {slot.number}/{total} [{question.kind}, {question.points:g} pts]"
        out.write(f"\n{style.bold(heading)}  {slot.bank.id}/{question.id}\n{question.prompt}\n")
        out.flush()
        follow_up_text: str | None = None
        if answers is not None:
            item = next(answers, None)
            if item is None:
                return (
                    f"The answers file ran out after {slot.number - 1} of {total} questions; "
                    "the session ended early."
                )
            text, follow_up_text = item.answer, item.follow_up
            _echo(text, out)
        else:
            assert keyboard is not None
            got = _typed_answer(keyboard, out)
            if got is None:
                return f"Input ended at question {slot.number} of {total}; the session ended early."
            text = got
        if not text.strip():
            interview.skip()
            out.write("(Skipped: nothing is recorded for this question.)\n")
            continue
        turn = interview.answer(text)
        if turn.follow_up is not None:
            out.write(style.bold("Follow-up: ") + turn.follow_up + "\n")
            out.flush()
            if answers is None:
                assert keyboard is not None
                follow_up_text = keyboard.block()
            elif follow_up_text:
                _echo(follow_up_text, out)
            if follow_up_text and follow_up_text.strip():
                turn = interview.answer_follow_up(follow_up_text)
            else:
                turn = interview.skip_follow_up()
                out.write("(Follow-up not answered: the first answer's grade stands.)\n")
        save()
        out.write(_turn_report(turn, told_reason, style))
        out.flush()
        if keyboard is not None and keyboard.ended and interview.current is not None:
            return f"Input ended after question {slot.number} of {total}; the session ended early."
    return None


def _typed_answer(keyboard: _Keyboard, out: TextIO) -> str | None:
    """An answer from the keyboard; an empty one is asked for again once ("" skips)."""
    text = keyboard.block()
    if text == "":
        out.write("(No answer. Type it now, or press Enter again to skip this question.)\n")
        out.flush()
        text = keyboard.block()
    return text


def _echo(text: str, out: TextIO) -> None:
    for line in text.strip().splitlines() or [""]:
        out.write(f"> {line}\n")


def _turn_report(turn: Turn, told: list[str | None], style: _Style) -> str:
    """The grade of one question, compact: the final grade's report without the list of
    follow-ups (one was asked) or the model answer, and a fallback reason said only once."""
    final = turn.final
    lines = []
    if turn.follow_up_result is not None:
        first = turn.result
        change = final.score - first.score
        lines.append(
            f"First answer: {first.score:g} / {first.max_score:g} ({first.percent:g}%); "
            f"with the follow-up: {change:+g} points"
        )
    shown_reason = final.fallback_reason if final.fallback_reason != told[0] else None
    if final.fallback_reason:
        told[0] = final.fallback_reason
    tips = final.improvements[:PRACTICE_TIPS]
    if len(final.improvements) > PRACTICE_TIPS:
        tips.append(Feedback(text=f"… and {len(final.improvements) - PRACTICE_TIPS} more"))
    trimmed = final.model_copy(
        update={
            "follow_up_questions": [],
            "improved_answer": None,
            "fallback_reason": shown_reason,
            "improvements": tips,
        }
    )
    report = render_result(trimmed).rstrip("\n").split("\n")
    if report and report[0].startswith("Score:"):
        report[0] = style.score(report[0], final.percent)
    return "\n".join(lines + report) + "\n"


def _session_summary(record: SessionRecord, interview: MockInterview, style: _Style) -> str:
    lines = ["", style.bold("Session summary")]
    skipped = len(interview.skipped)
    answered = len(record.turns)
    total = len(interview.plan)
    note = f", {skipped} skipped" if skipped else ""
    lines.append(f"{answered} of {total} questions answered{note}; graded by {record.method}.")
    if record.turns:
        rows = [
            [c.competency, f"{c.score:g}/{c.max_score:g}", f"{c.percent:g}%", str(c.questions)]
            for c in record.competencies()
        ]
        lines.append(table(["competency", "score", "%", "questions"], rows, right=(1, 2, 3)))
        total_line = f"Total: {record.score:g} / {record.max_score:g} ({record.percent:g}%)"
        lines.append(style.score(total_line, record.percent))
    return "\n".join(lines) + "\n"
