"""The `coach` command line: the parser of every command, and the dispatch to the module that
runs it (one module per command group in `coach.cli`).

Every failure the user can cause (unknown bank or question, unreadable file, empty answer,
invalid rubric) ends in one line on stderr and a non-zero exit status, never a traceback.
Exit status: 0 success, 1 an error coach reports, 2 a usage error.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from coach.cli.banks import (
    add_banks_parsers,
    add_schema_parser,
    add_validate_parser,
    cmd_banks,
    cmd_questions,
    cmd_schema,
    cmd_validate,
)
from coach.cli.batch import add_batch_parser, cmd_batch
from coach.cli.common import PROG, UsageError, print_error
from coach.cli.demo import add_demo_parser, cmd_demo
from coach.cli.derive import add_derive_parsers, cmd_calibrate, cmd_derive
from coach.cli.eval import add_eval_parser, cmd_eval
from coach.cli.grade import (
    add_cache_parser,
    add_grade_parsers,
    cmd_cache,
    cmd_grade,
    cmd_grade_file,
)
from coach.cli.history import add_history_parser, cmd_history
from coach.cli.practice import add_practice_parser, cmd_practice
from coach.cli.show import add_show_parser, cmd_show
from coach.cli.tables import add_merge_parser, cmd_merge_results
from coach.errors import CoachError


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="Grade and coach free-text interview answers against rubric banks.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    # The order of the commands in --help.
    add_banks_parsers(sub)
    add_show_parser(sub)
    add_grade_parsers(sub)
    add_batch_parser(sub)
    add_merge_parser(sub)
    add_eval_parser(sub)
    add_derive_parsers(sub)
    add_cache_parser(sub)
    add_validate_parser(sub)
    add_schema_parser(sub)
    add_demo_parser(sub)
    add_practice_parser(sub)
    add_history_parser(sub)
    return parser


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
            return cmd_banks(args, out)
        if args.command == "questions":
            return cmd_questions(args, out)
        if args.command == "show":
            return cmd_show(args, out)
        if args.command == "grade":
            return cmd_grade(args, out, sys.stdin)
        if args.command == "validate":
            return cmd_validate(args, out, err)
        if args.command == "grade-file":
            return cmd_grade_file(args, out)
        if args.command == "merge-results":
            return cmd_merge_results(args, out)
        if args.command == "cache":
            return cmd_cache(args, out)
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
            return cmd_schema(out)
        return cmd_demo(out)
    except UsageError as exc:
        parser.print_usage(err)
        print_error(err, exc)
        return 2
    except CoachError as exc:
        print_error(err, exc)
        return 1
    except KeyboardInterrupt:
        err.write(f"{PROG}: interrupted\n")
        return 130
    except BrokenPipeError:
        # `coach questions X | head`: the reader left; nothing more to say.
        sys.stderr.close()
        return 0
