"""The `coach` command line: list banks and questions, grade answers, validate rubric files.

Every failure the user can cause (unknown bank or question, unreadable file, empty answer,
invalid rubric) ends in one line on stderr and a non-zero exit status, never a traceback.
Exit status: 0 success, 1 an error coach reports, 2 a usage error.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TextIO

from coach.cli.batch import add_batch_parser, cmd_batch
from coach.cli.derive import add_derive_parsers, cmd_calibrate, cmd_derive
from coach.cli.eval import add_eval_parser, cmd_eval
from coach.cli.history import add_history_parser, cmd_history
from coach.cli.practice import add_practice_parser, cmd_practice
from coach.resources import data_dir
from coach.errors import CoachError, ConfigError
from coach.grading.keyword import KeywordGrader
from coach.rubric.loader import builtin_banks, iter_files, load_bank
from coach.grading.offline import find_question, grade_offline
from coach.reports.publish import report
from coach.reports.text import demo_table, render_result, table
from coach.rubric.schema import rubric_json_schema

PROG = "coach"


class _UsageError(Exception):
    """A command-line mistake: reported like argparse's own, with exit status 2."""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="Grade and coach free-text interview answers against rubric banks.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    banks = sub.add_parser("banks", help="list the built-in question banks")
    banks.add_argument("--json", action="store_true", help="print JSON")

    questions = sub.add_parser("questions", help="list the questions of a bank")
    questions.add_argument("bank", metavar="BANK", help="built-in bank id or path to a YAML file")
    questions.add_argument("--json", action="store_true", help="print JSON")

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
    grade.add_argument("--model", metavar="M", help="LLM model name (default $COACH_MODEL)")
    grade.add_argument(
        "--base-url",
        metavar="URL",
        help="OpenAI-compatible server, e.g. http://localhost:11434/v1 (default $OPENAI_BASE_URL)",
    )
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
    grade.add_argument(
        "--html", metavar="FILE", help="also write the report as standalone HTML (or .md, .txt)"
    )

    jobs = sub.add_parser(
        "grade-file",
        help="grade a JSON-lines file of answers into a JSON-lines file; re-run to resume",
    )
    jobs.add_argument("source", metavar="IN.jsonl", help="lines of {id, bank, question, answer}")
    jobs.add_argument("--out", required=True, metavar="OUT.jsonl", help="appended to, resumable")
    jobs.add_argument("--offline", action="store_true", help="keyword grader only, no network")
    jobs.add_argument("--concurrency", type=int, default=8, metavar="N", help="in flight (8)")
    jobs.add_argument("--model", metavar="M", help="LLM model name (default $COACH_MODEL)")
    jobs.add_argument("--base-url", metavar="URL", help="OpenAI-compatible server")
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

    add_batch_parser(sub)
    add_eval_parser(sub)
    add_derive_parsers(sub)
    cache = sub.add_parser("cache", help="show or clear a reply cache file")
    cache.add_argument("file", metavar="FILE")
    cache.add_argument("--clear", action="store_true", help="remove every stored reply")

    validate = sub.add_parser("validate", help="validate rubric files")
    validate.add_argument("files", metavar="FILE", nargs="+")

    sub.add_parser("schema", help="print the JSON Schema of rubric files (for editors)")
    sub.add_parser("demo", help="grade bundled sample answers offline and print a table")
    add_practice_parser(sub)
    add_history_parser(sub)
    return parser


def _read_answer(args: argparse.Namespace, stdin: TextIO) -> str:
    if args.answer is not None:
        answer = str(args.answer)
    elif args.answer_file is not None:
        try:
            answer = Path(args.answer_file).read_text(encoding="utf-8")
        except OSError as exc:
            raise CoachError(
                f"cannot read answer file {args.answer_file!r}: {exc.strerror}"
            ) from None
        except UnicodeDecodeError:
            raise CoachError(f"answer file {args.answer_file!r} is not UTF-8 text") from None
    elif stdin.isatty():
        raise _UsageError("no answer: give --answer TEXT, --answer-file FILE, or pipe it on stdin")
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


def _cmd_banks(args: argparse.Namespace, out: TextIO) -> int:
    banks = builtin_banks()
    if args.json:
        rows: list[dict[str, Any]] = [
            {
                "id": b.id,
                "title": b.title,
                "language": b.language,
                "questions": len(b.questions),
                "points": sum(q.points for q in b.questions),
                "source": b.source,
            }
            for b in banks
        ]
        out.write(json.dumps(rows, ensure_ascii=False, indent=2) + "\n")
        return 0
    out.write(
        table(
            ["id", "questions", "language", "title"],
            [[b.id, str(len(b.questions)), b.language, b.title] for b in banks],
        )
    )
    return 0


def _cmd_questions(args: argparse.Namespace, out: TextIO) -> int:
    bank = load_bank(args.bank)
    if args.json:
        rows = [
            {"id": q.id, "kind": q.kind, "points": q.points, "prompt": q.prompt, "added": q.added}
            for q in bank.questions
        ]
        out.write(json.dumps(rows, ensure_ascii=False, indent=2) + "\n")
        return 0
    out.write(
        table(
            ["id", "kind", "points", "prompt"],
            [[q.id, q.kind, f"{q.points:g}", q.prompt] for q in bank.questions],
        )
    )
    return 0


def _cmd_grade(args: argparse.Namespace, out: TextIO, stdin: TextIO) -> int:
    bank = load_bank(args.bank)
    question = find_question(bank, args.question)
    answer = _read_answer(args, stdin)
    if args.offline or args.mode == "keyword":
        result = grade_offline(bank, question, answer)
    else:
        from coach.grading.grader import Grader  # the openai SDK loads only when it may be used

        try:
            grader = Grader(
                mode=args.mode,
                model=args.model,
                base_url=args.base_url,
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
    if args.html:
        report(result, prompt=question.prompt, answer=answer).save(args.html)
    if args.json:
        out.write(result.model_dump_json(indent=2) + "\n")
    else:
        out.write(render_result(result, question.prompt))
        if args.html:
            out.write(f"Report: {args.html}\n")
    return 0


def _cmd_grade_file(args: argparse.Namespace, out: TextIO) -> int:
    from coach.grading.grader import Grader
    from coach.batch.jobs import run_job

    if args.concurrency < 1:
        raise _UsageError("--concurrency must be at least 1")
    grader = Grader(
        mode="keyword" if args.offline else "auto",
        model=args.model,
        base_url=args.base_url,
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


def _cmd_cache(args: argparse.Namespace, out: TextIO) -> int:
    from coach.llm.cache import GradeCache

    if not Path(args.file).exists():
        raise CoachError(f"no cache file {args.file!r}")
    with GradeCache(args.file) as cache:
        if args.clear:
            out.write(f"cleared {cache.clear()} stored replies from {args.file}\n")
        else:
            out.write(f"{len(cache)} stored replies in {args.file}\n")
    return 0


def _cmd_validate(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    failed = 0
    for path, outcome in iter_files(args.files):
        if isinstance(outcome, CoachError):
            failed += 1
            err.write(f"{PROG}: error: {outcome}\n")
        else:
            count = len(outcome.questions)
            out.write(f"ok {path}: bank {outcome.id!r}, {count} question{'s' * (count != 1)}\n")
    return 1 if failed else 0


def _demo_samples() -> list[dict[str, Any]]:
    import yaml  # only the demo reads the bundled sample answers

    path = data_dir() / "examples" / "demo_answers.yaml"
    try:
        samples = yaml.safe_load(path.read_text("utf-8"))["answers"]
        if all({"bank", "question", "text"} <= set(sample) for sample in samples):
            return list(samples)
    except (OSError, UnicodeDecodeError, yaml.YAMLError, TypeError, KeyError):
        pass
    raise CoachError(f"the bundled sample answers ({path}) are missing or damaged; reinstall coach")


def _cmd_demo(out: TextIO) -> int:
    grader = KeywordGrader()
    rows = []
    for sample in _demo_samples():
        bank = load_bank(sample["bank"])
        question = find_question(bank, sample["question"])
        rows.append((sample, grader.grade(bank, question, sample["text"])))
    out.write(demo_table(rows))
    return 0


# ---------------------------------------------------------------- practice and history


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; returns the exit status instead of exiting, for tests and embedding."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None and (stream.encoding or "").lower().replace("-", "") != "utf8":
            reconfigure(errors="backslashreplace")
    parser = _parser()
    args = parser.parse_args(argv)
    out, err = sys.stdout, sys.stderr
    try:
        if args.command == "banks":
            return _cmd_banks(args, out)
        if args.command == "questions":
            return _cmd_questions(args, out)
        if args.command == "grade":
            return _cmd_grade(args, out, sys.stdin)
        if args.command == "validate":
            return _cmd_validate(args, out, err)
        if args.command == "grade-file":
            return _cmd_grade_file(args, out)
        if args.command == "cache":
            return _cmd_cache(args, out)
        if args.command == "batch":
            return cmd_batch(args, out)
        if args.command == "eval":
            return cmd_eval(args, out)
        if args.command == "derive":
            return cmd_derive(args, out)
        if args.command == "calibrate":
            return cmd_calibrate(args, out)
        if args.command == "practice":
            return cmd_practice(args, out, err, sys.stdin)
        if args.command == "history":
            return cmd_history(args, out)
        if args.command == "schema":
            out.write(json.dumps(rubric_json_schema(), ensure_ascii=False, indent=2) + "\n")
            return 0
        return _cmd_demo(out)
    except _UsageError as exc:
        parser.print_usage(err)
        err.write(f"{PROG}: error: {exc}\n")
        return 2
    except CoachError as exc:
        err.write(f"{PROG}: error: {exc}\n")
        return 1
    except KeyboardInterrupt:
        err.write(f"{PROG}: interrupted\n")
        return 130
    except BrokenPipeError:
        # `coach questions X | head`: the reader left; nothing more to say.
        sys.stderr.close()
        return 0
