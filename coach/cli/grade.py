"""The `coach grade`, `grade-file` and `cache` commands: grade one answer, or a JSON-lines file
of them, and look after the reply cache both can reuse.

    coach grade BANK QUESTION [--answer TEXT | --answer-file FILE | < stdin] [--offline] ...
    coach grade-file IN.jsonl --out OUT.jsonl [--offline] [--concurrency N] [--max-cost USD]
    coach cache FILE [--clear]

`grade` reads the answer from --answer, --answer-file or a pipe, always as UTF-8. `grade-file`
appends to OUT.jsonl and skips the ids already there, so running it again resumes it.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any, TextIO

from coach.cli.common import (
    UsageError,
    add_llm_options,
    add_report_options,
    llm_options,
    read_text,
    save_reports,
)
from coach.errors import CoachError, ConfigError
from coach.grading.offline import find_question, grade_offline
from coach.llm.clients import llm_configured
from coach.reports.publish import report
from coach.reports.text import render_result
from coach.rubric.loader import load_bank

NO_LLM = (
    "no LLM configured (pass --base-url URL, or set OPENAI_API_KEY, and OPENAI_BASE_URL for a "
    "server other than OpenAI); graded offline"
)


def add_grade_parsers(sub: Any) -> None:
    """Add `grade` and `grade-file` to the CLI's subparsers."""
    grade = sub.add_parser("grade", help="grade one answer to one question")
    grade.add_argument("bank", metavar="BANK", help="built-in bank id or path to a YAML file")
    grade.add_argument("question", metavar="QUESTION", help="question id (see 'coach questions')")
    source = grade.add_mutually_exclusive_group()
    source.add_argument("--answer", metavar="TEXT", help="the answer text")
    source.add_argument("--answer-file", metavar="FILE", help="read the answer from FILE (UTF-8)")
    grade.add_argument(
        "--offline",
        action="store_true",
        help="use the deterministic keyword grader (never touches the network); same as "
        "--mode keyword",
    )
    grade.add_argument(
        "--mode",
        choices=["auto", "llm", "keyword"],
        default="auto",
        help="auto (default): the LLM when one is configured, else offline, labelled fallback; "
        "llm: the LLM or an error; keyword: offline only",
    )
    add_llm_options(grade)
    grade.add_argument(
        "--feedback-language",
        choices=["zh", "en"],
        help="language of rationales and advice (default: the bank's)",
    )
    grade.add_argument(
        "--allow-pii",
        action="store_true",
        help="send personal data (phone, ID, card numbers, e-mail) to the LLM unredacted",
    )
    grade.add_argument("--json", action="store_true", help="print the GradeResult as JSON")
    grade.add_argument(
        "--grade-only",
        action="store_true",
        help="ask the LLM for the grade alone (fewer tokens); coaching is built offline from it",
    )
    grade.add_argument("--cache", metavar="FILE", help="reuse LLM replies stored in FILE (SQLite)")
    add_report_options(grade, "grade")

    jobs = sub.add_parser(
        "grade-file",
        help="grade a JSON-lines file of answers into a JSON-lines file; re-run to resume",
    )
    jobs.add_argument("source", metavar="IN.jsonl", help="lines of {id, bank, question, answer}")
    jobs.add_argument("--out", required=True, metavar="OUT.jsonl", help="appended to, resumable")
    jobs.add_argument("--offline", action="store_true", help="keyword grader only, no network")
    jobs.add_argument("--concurrency", type=int, default=8, metavar="N", help="in flight (8)")
    add_llm_options(jobs)
    jobs.add_argument("--cache", metavar="FILE", help="reuse LLM replies stored in FILE (SQLite)")
    jobs.add_argument(
        "--max-cost",
        type=float,
        metavar="USD",
        help="stop starting new items once this much has been spent (re-run to go on)",
    )
    jobs.add_argument(
        "--grade-only",
        action="store_true",
        help="ask the LLM for the grade alone (fewer tokens); coaching is built offline from it",
    )


def add_cache_parser(sub: Any) -> None:
    cache = sub.add_parser("cache", help="show or clear a reply cache file")
    cache.add_argument("file", metavar="FILE")
    cache.add_argument("--clear", action="store_true", help="remove every stored reply")


def _read_answer(args: argparse.Namespace, stdin: TextIO) -> str:
    if args.answer is not None:
        answer = str(args.answer)
    elif args.answer_file is not None:
        answer = read_text(args.answer_file, "answer file", encoding="utf-8")
    elif stdin.isatty():
        raise UsageError("no answer: give --answer TEXT, --answer-file FILE, or pipe it on stdin")
    else:
        # Decode stdin as UTF-8 like answer files, whatever the terminal's locale says.
        raw = stdin.buffer.read() if hasattr(stdin, "buffer") else stdin.read().encode()
        try:
            answer = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise CoachError("the answer on stdin is not UTF-8 text") from None
    if not answer.strip():
        raise CoachError("the answer is empty")
    return answer


def cmd_grade(args: argparse.Namespace, out: TextIO, stdin: TextIO) -> int:
    bank = load_bank(args.bank)
    question = find_question(bank, args.question)
    answer = _read_answer(args, stdin)
    language = args.feedback_language
    if args.offline or args.mode == "keyword":
        result = grade_offline(bank, question, answer, feedback_language=language)
    elif args.mode == "auto" and not llm_configured(base_url=args.base_url):
        # Decided here, so that grading offline never loads the openai SDK (a second or more).
        offline = grade_offline(bank, question, answer, feedback_language=language)
        result = offline.model_copy(update={"status": "fallback", "fallback_reason": NO_LLM})
    else:
        from coach.grading.grader import Grader  # the openai SDK loads only when it may be used

        try:
            grader = Grader(
                mode=args.mode,
                **llm_options(args),
                feedback_language=args.feedback_language,
                allow_pii=args.allow_pii,
                cache=args.cache,
                coaching=not args.grade_only,
            )
        except ConfigError:
            if args.mode != "llm":
                raise
            # The library's message names API arguments; say it in the CLI's own terms.
            raise CoachError(
                "--mode llm needs an LLM: pass --base-url URL, or set OPENAI_API_KEY "
                "(and OPENAI_BASE_URL for a server other than OpenAI)"
            ) from None
        with grader:
            result = grader.grade(bank, question, answer)
    written: list[Path] = []
    if args.html or args.report:
        graded = report(result, prompt=question.prompt, answer=answer, rubric=question)
        written = save_reports(graded, args)
    if args.json:
        out.write(result.model_dump_json(indent=2) + "\n")
    else:
        out.write(render_result(result, question.prompt))
        out.writelines(f"Report: {path}\n" for path in written)
    return 0


def cmd_grade_file(args: argparse.Namespace, out: TextIO) -> int:
    from coach.batch.jobs import run_job
    from coach.grading.grader import Grader

    if args.concurrency < 1:
        raise UsageError("--concurrency must be at least 1")
    grader = Grader(
        mode="keyword" if args.offline else "auto",
        **llm_options(args),
        cache=args.cache,
        coaching=not args.grade_only,
    )
    with grader:
        summary = run_job(
            grader,
            args.source,
            args.out,
            concurrency=args.concurrency,
            max_cost_usd=args.max_cost,
        )
    left = f", {summary.unfinished} left (budget spent)" if summary.unfinished else ""
    cost = f"; about ${summary.cost_usd:.4f}" if summary.cost_usd else ""
    out.write(
        f"{summary.total} ids: {summary.graded} graded, {summary.failed} errors, "
        f"{summary.skipped} already done{left}; results in {args.out}{cost}\n"
    )
    return 0


def cmd_cache(args: argparse.Namespace, out: TextIO) -> int:
    from coach.llm.cache import GradeCache

    if not Path(args.file).exists():
        raise CoachError(f"no cache file {args.file!r}")
    with GradeCache(args.file) as cache:
        if args.clear:
            out.write(f"cleared {cache.clear()} stored replies from {args.file}\n")
        else:
            out.write(f"{len(cache)} stored replies in {args.file}\n")
    return 0
