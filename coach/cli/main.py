"""The `coach` command line: the parser of every command, and the dispatch to the module that
runs it (one module per command group in `coach.cli`).

Every failure the user can cause (unknown bank or question, unreadable file, empty answer,
invalid rubric) ends in one line on stderr and a non-zero exit status, never a traceback.
Exit status: 0 success, 1 an error coach reports, 2 a usage error.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence
from typing import TextIO

from coach.cli.common import PROG, UsageError, print_error
from coach.errors import CoachError

# Each command's module in `coach.cli`, the function there that adds its parser(s), and the
# function that runs each of its commands, in the order of --help. Only the module of the
# command given is imported: its imports (graders, batches, reports) are most of its start.
_COMMANDS = (
    ("banks", "add_banks_parsers", {"banks": "cmd_banks", "questions": "cmd_questions"}),
    ("show", "add_show_parser", {"show": "cmd_show"}),
    ("grade", "add_grade_parsers", {"grade": "cmd_grade", "grade-file": "cmd_grade_file"}),
    ("batch", "add_batch_parser", {"batch": "cmd_batch"}),
    ("merge", "add_merge_parser", {"merge-results": "cmd_merge_results"}),
    ("eval", "add_eval_parser", {"eval": "cmd_eval"}),
    ("derive", "add_derive_parsers", {"derive": "cmd_derive", "calibrate": "cmd_calibrate"}),
    ("grade", "add_cache_parser", {"cache": "cmd_cache"}),
    ("banks", "add_validate_parser", {"validate": "cmd_validate"}),
    ("lint", "add_lint_parser", {"lint": "cmd_lint"}),
    ("banks", "add_schema_parser", {"schema": "cmd_schema"}),
    ("demo", "add_demo_parser", {"demo": "cmd_demo"}),
    ("practice", "add_practice_parser", {"practice": "cmd_practice"}),
    ("history", "add_history_parser", {"history": "cmd_history"}),
)


def _parser(command: str | None = None) -> argparse.ArgumentParser:
    """The parser of `command` alone, or of every command (for --help, or a name that is none)."""
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="Grade and coach free-text interview answers against rubric banks.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    known = any(command in runners for _, _, runners in _COMMANDS)
    for module, add, runners in _COMMANDS:
        if not known or command in runners:
            getattr(importlib.import_module(f"coach.cli.{module}"), add)(sub)
    return parser


def _run(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Import the module of `args.command` and run the command."""
    module, run_name = next(
        (module, runners[args.command])
        for module, _, runners in _COMMANDS
        if args.command in runners
    )
    run = getattr(importlib.import_module(f"coach.cli.{module}"), run_name)
    status: int
    if args.command in ("schema", "demo"):
        status = run(out)
    elif args.command == "grade":
        status = run(args, out, sys.stdin)
    elif args.command in ("validate", "lint"):
        status = run(args, out, err)
    elif args.command == "practice":
        status = run(args, out, err, sys.stdin)
    else:
        status = run(args, out)
    return status


def _command(argv: Sequence[str]) -> str | None:
    """The command named in `argv`: its first argument, unless that is an option."""
    return argv[0] if argv and not argv[0].startswith("-") else None


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; returns the exit status instead of exiting, for tests and embedding."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None and (stream.encoding or "").lower().replace("-", "") != "utf8":
            reconfigure(errors="backslashreplace")
    if argv is None:
        argv = sys.argv[1:]
    out, err = sys.stdout, sys.stderr
    try:
        # (Building the parser imports the command's module: Ctrl-C may come in the middle.)
        parser = _parser(_command(argv))
        args = parser.parse_args(argv)
        return _run(args, out, err)
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
