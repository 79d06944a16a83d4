"""The `coach grade`, `grade-file` and `cache` commands: grade one answer, or a JSON-lines file
of them, and look after the reply cache both can reuse.

    coach grade BANK QUESTION [ANSWER | --answer TEXT | --answer-file FILE | < stdin] ...
    coach grade-file IN.jsonl --out OUT.jsonl [--offline | --mode M] [--concurrency N]
                     [--workers N] [--max-cost USD] [--retry-errors] [--shard K/N]
                     [table options]
    coach cache FILE [--clear]

`grade` reads the answer from its third argument, --answer, --answer-file or a pipe, and a
rubric file, in the encoding --encoding names or the one found (UTF-8, GB18030/GBK, Big5,
UTF-16; a note on stderr says which when it is not UTF-8). `grade-file` appends to OUT.jsonl
and skips the ids already there, so running it again resumes it; it holds OUT.jsonl.lock while
it runs, and a second run on the same output stops at once.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from coach.cli.common import (
    OUT_FLAGS,
    UsageError,
    add_encoding_option,
    add_llm_options,
    add_report_options,
    decode_input,
    encoding_name,
    llm_options,
    note_encoding,
    open_bank,
    read_text,
    save_reports,
)
from coach.cli.tables import add_table_options, binary_input, table_job_options
from coach.encoding import DecodeFailure, decode
from coach.errors import CoachError, ConfigError
from coach.grading.offline import find_question, grade_offline
from coach.llm.clients import llm_configured
from coach.reports.publish import report
from coach.reports.text import render_result

if TYPE_CHECKING:
    from coach.batch.workers import Processes

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
    source.add_argument(
        "answer_text", nargs="?", metavar="ANSWER", help="the answer text (as --answer)"
    )
    source.add_argument("--answer", metavar="TEXT", help="the answer text")
    source.add_argument("--answer-file", metavar="FILE", help="read the answer from FILE")
    add_encoding_option(grade, "the answer file or stdin, and of a rubric file")
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
        help="send personal data (phones, IDs, cards, e-mail, names, addresses) unredacted",
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
    jobs.add_argument(
        "source", metavar="IN.jsonl", help="lines of {id, bank, question, answer}, or a table"
    )
    jobs.add_argument(*OUT_FLAGS, required=True, metavar="OUT.jsonl", help="appended to, resumable")
    jobs.add_argument("--offline", action="store_true", help="keyword grader only, no network")
    jobs.add_argument(
        "--mode",
        choices=["auto", "llm", "keyword"],
        default="auto",
        help="auto (default): the LLM when one is configured, else offline, labelled fallback; "
        "llm: the LLM or an error line (retried by the next run when the network, a rate "
        "limit or a timeout caused it); keyword: offline only",
    )
    jobs.add_argument("--concurrency", type=int, default=8, metavar="N", help="in flight (8)")
    jobs.add_argument(
        "--workers",
        type=int,
        metavar="N",
        help="offline grading on N processes (default: the CPUs available; 1: this process "
        "only); not for LLM grading, which keeps --concurrency requests in flight instead",
    )
    jobs.add_argument(
        "--encoding",
        type=encoding_name,
        metavar="NAME",
        help="encoding of IN.jsonl (default UTF-8), e.g. gb18030, big5, utf-16",
    )
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
    jobs.add_argument(
        "--retry-errors",
        action="store_true",
        help="grade again every item that has an error line in OUT.jsonl (those marked "
        '"retry": true are graded again anyway)',
    )
    add_table_options(jobs)


def add_cache_parser(sub: Any) -> None:
    cache = sub.add_parser("cache", help="show or clear a reply cache file")
    cache.add_argument("file", metavar="FILE")
    cache.add_argument("--clear", action="store_true", help="remove every stored reply")


def _read_answer(args: argparse.Namespace, stdin: TextIO) -> str:
    given = args.answer if args.answer is not None else args.answer_text
    if given is not None:
        answer = str(given)
    elif args.answer_file is not None:
        answer = read_text(args.answer_file, "answer file", encoding=args.encoding)
    elif stdin.isatty():
        raise UsageError(
            "no answer: give it after the question id (or as --answer TEXT), --answer-file "
            "FILE, or pipe it on stdin"
        )
    else:
        # Bytes like answer files, whatever the terminal's locale says.
        raw = stdin.buffer.read() if hasattr(stdin, "buffer") else stdin.read().encode()
        answer = decode_input(raw, "the answer on stdin", args.encoding)
    if not answer.strip():
        raise CoachError("the answer is empty")
    return answer


def cmd_grade(args: argparse.Namespace, out: TextIO, stdin: TextIO) -> int:
    bank = open_bank(args.bank, args.encoding)
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
            raise _llm_mode_error() from None
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


def _llm_mode_error() -> CoachError:
    # The library's message names API arguments; say it in the CLI's own terms.
    return CoachError(
        "--mode llm needs an LLM: pass --base-url URL, or set OPENAI_API_KEY "
        "(and OPENAI_BASE_URL for a server other than OpenAI)"
    )


SNIFF_BYTES = 1 << 16  # of a job file read to tell its encoding


def _sniff_job_encoding(source: str) -> str | None:
    """The encoding of a job file that is not UTF-8, told from its start (GB18030, Big5,
    UTF-16, ...), with a note on stderr. None for a pipe, a start that is no text, and a file
    with any line of UTF-8 text beyond ASCII: reading such a file in another encoding would
    garble its good lines, so only the lines that do not decode become error lines."""
    if not os.path.isfile(source):
        return None  # a pipe can be read only once: not even opened here
    try:
        with open(source, "rb") as handle:
            head = handle.read(SNIFF_BYTES)
    except OSError:
        return None  # run_job says what is wrong with it
    if len(head) == SNIFF_BYTES:
        head = head[: head.rfind(b"\n") + 1] or head  # whole lines only
    if any(_utf8_text(line) for line in head.splitlines()):
        return None  # UTF-8 with some bad lines: those become error lines, the rest is read
    try:
        found = decode(head)
    except DecodeFailure:
        return None
    if found.is_utf8:
        return None
    note_encoding(f"job file {source!r}", found)
    return found.encoding


def _utf8_text(line: bytes) -> bool:
    """A line with non-ASCII bytes that are valid UTF-8: the file is UTF-8, whatever else."""
    if line.isascii():
        return False
    try:
        line.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def cmd_grade_file(args: argparse.Namespace, out: TextIO) -> int:
    from coach.batch.jobs import run_job
    from coach.grading.core import Mode
    from coach.grading.grader import Grader
    from coach.llm.cache import CacheError

    if args.concurrency < 1:
        raise UsageError("--concurrency must be at least 1")
    mode: Mode = "keyword" if args.offline else args.mode
    processes = _worker_processes(args.workers, mode)
    try:
        grader = Grader(
            mode=mode, **llm_options(args), cache=args.cache, coaching=not args.grade_only
        )
    except ConfigError:
        if mode != "llm":
            raise
        raise _llm_mode_error() from None

    def check_cache() -> None:
        """A cache that cannot be read stops the job before anything is written: grading
        without it would quietly pay for every reply it holds."""
        if grader.cache is None or mode == "keyword" or not grader.configured:
            return
        try:
            grader.cache.check()
        except CacheError as exc:
            raise CoachError(
                f"--cache: {exc}; move the file away (or delete it) to start a new cache, "
                "or leave out --cache"
            ) from None

    tables = table_job_options(args)
    encoding = args.encoding or (None if binary_input(args) else _sniff_job_encoding(args.source))
    with grader:
        summary = run_job(
            grader,
            args.source,
            args.out,
            concurrency=args.concurrency,
            max_cost_usd=args.max_cost,
            retry_errors=args.retry_errors,
            before_writing=check_cache,
            encoding=encoding,
            processes=processes,
            **tables,
        )
    notes = []
    if summary.retried:
        notes.append(f"{summary.retried} earlier errors tried again")
    if summary.repaired:
        notes.append(f"{summary.repaired} broken or repeated lines taken out of {args.out}")
    if summary.unfinished:
        notes.append(f"{summary.unfinished} left (budget spent)")
    extra = "".join(f", {note}" for note in notes)
    cost = f"; about ${summary.cost_usd:.4f}" if summary.cost_usd else ""
    out.write(
        f"{summary.total} ids: {summary.graded} graded, {summary.failed} errors, "
        f"{summary.skipped} already done{extra}; results in {args.out}{cost}\n"
    )
    if summary.to_retry:
        out.flush()
        raise CoachError(
            f"{summary.to_retry} items failed for a reason outside the input (first: "
            f'{summary.first_retry}); their error lines say "retry": true, and running the '
            "same command again grades them again"
        )
    return 0


def _worker_processes(workers: int | None, mode: str) -> Processes | None:
    """Offline grading on `--workers` processes (default: the CPUs available); one grades in
    this process, as a worker would: each result made its output line at once, without the
    bookkeeping of an LLM batch. None for an LLM job, which is bound by its requests, not
    the CPU: --workers is refused."""
    from coach.batch.workers import available_cpus
    from coach.grading.processes import keyword_processes

    if workers is not None and workers < 1:
        raise UsageError("--workers must be at least 1")
    if mode != "keyword":
        if workers is not None and workers > 1:
            raise UsageError(
                "--workers is for offline grading (--offline or --mode keyword); an LLM job "
                "keeps --concurrency requests in flight instead"
            )
        return None
    count = workers or available_cpus()
    return keyword_processes(count)


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
