"""The `coach practice` command: a mock interview in the terminal, graded question by question.

It asks questions one at a time (or takes scripted answers from a file), grades each, asks a
follow-up when key points were missed, and saves the session to the history after every
question, so an interruption loses at most the answer being typed. Each grade is reported in
short as it comes, and a summary per competency ends the session. Where the answers come from
and how the terminal is styled is `coach.cli.practice_io`; `coach history` shows the sessions.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any, TextIO

from coach.cli.common import (
    PROG,
    add_encoding_option,
    add_llm_options,
    add_report_options,
    at_least,
    llm_options,
    open_bank,
    save_reports,
)
from coach.cli.history import DEFAULT_HISTORY, HISTORY_ENV, history_path
from coach.cli.practice_io import Keyboard, Scripted, Style, load_answers
from coach.errors import CoachError
from coach.grading.keyword import KeywordGrader
from coach.practice.history import History
from coach.practice.interview import KINDS, AnswerGrader, MockInterview
from coach.reports.publish import report
from coach.reports.text import render_result, table
from coach.result import Feedback
from coach.session import SessionRecord, Turn

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
        "--count", type=at_least(1), default=5, metavar="N", help="questions (default 5)"
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
    add_encoding_option(practice, "the answers file or piped answers, and of rubric files")
    practice.add_argument(
        "--offline", action="store_true", help="the keyword grader only; never the network"
    )
    add_llm_options(practice)
    practice.add_argument(
        "--no-follow-ups", action="store_true", help="never ask a follow-up question"
    )
    add_report_options(practice, "session")


def _practice_grader(args: argparse.Namespace) -> tuple[AnswerGrader, str, str | None]:
    """The grader, a line saying how grading works, and a fallback reason already told."""
    if args.offline:
        return KeywordGrader(), "offline keyword grader (--offline)", None
    from coach.grading.core import NOT_CONFIGURED
    from coach.grading.grader import Grader

    grader = Grader(**llm_options(args))
    if not grader.configured:
        return (
            grader,
            "offline keyword grader (no LLM configured: set OPENAI_API_KEY or pass --base-url)",
            NOT_CONFIGURED,
        )
    server = f" at {args.base_url}" if args.base_url else ""
    return grader, f"LLM {grader.model}{server} (keyword grader if it cannot be reached)", None


def cmd_practice(args: argparse.Namespace, out: TextIO, err: TextIO, stdin: TextIO) -> int:
    scripted = load_answers(args.answers, args.encoding) if args.answers else None
    banks = [open_bank(ref, args.encoding) for ref in args.banks]
    path = None if args.no_history else history_path(args)
    history = History(path) if path is not None else None
    grader: AnswerGrader | None = None
    try:
        if history is not None:
            history.create()  # a damaged or unwritable file fails before question 1
        grader, grading, told = _practice_grader(args)
        interview = MockInterview(
            banks,
            grader=grader,
            count=args.count,
            kinds=args.kind,
            seed=args.seed,
            follow_ups=not args.no_follow_ups,
        )
        keyboard = None if scripted is not None else Keyboard(stdin, out, args.encoding)
        status = _run_practice(interview, scripted, history, grading, told, out, err, keyboard)
        if (args.html or args.report) and interview.record.turns:
            past = history.overall() if history is not None else None
            banks = list({id(slot.bank): slot.bank for slot in interview.plan}.values())
            session = report(interview.record, history=past, rubric=banks)
            out.writelines(f"Report: {path}\n" for path in save_reports(session, args))
        return status
    finally:
        if history is not None:
            history.close()
        close = getattr(grader, "close", None)
        if callable(close):
            close()


def _run_practice(
    interview: MockInterview,
    scripted: list[Scripted] | None,
    history: History | None,
    grading: str,
    told: str | None,
    out: TextIO,
    err: TextIO,
    keyboard: Keyboard | None,
) -> int:
    style = Style(out)
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
    scripted: list[Scripted] | None,
    keyboard: Keyboard | None,
    told: str | None,
    style: Style,
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


def _typed_answer(keyboard: Keyboard, out: TextIO) -> str | None:
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


def _turn_report(turn: Turn, told: list[str | None], style: Style) -> str:
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


def _session_summary(record: SessionRecord, interview: MockInterview, style: Style) -> str:
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
