"""The `coach banks`, `questions`, `validate` and `schema` commands: what there is to grade
against, and checking rubric files before they are used (`schema` serves editors).

    coach banks [--json]
    coach questions BANK [--json] [--encoding NAME]
    coach validate FILE|DIR [...] [--encoding NAME]
    coach schema

`validate` lists every problem of each file, one line each, and goes on to the next file; a
directory stands for the .yaml and .yml files in it and below it (hidden ones aside).
"""

from __future__ import annotations

import argparse
from typing import Any, TextIO

from coach.cli.common import add_encoding_option, open_bank, print_error, write_json
from coach.encoding import describe
from coach.errors import CoachError
from coach.reports.text import table
from coach.rubric.loader import builtin_banks, iter_files
from coach.rubric.schema import rubric_json_schema


def add_banks_parsers(sub: Any) -> None:
    """Add `banks` and `questions` to the CLI's subparsers."""
    banks = sub.add_parser("banks", help="list the built-in question banks")
    banks.add_argument("--json", action="store_true", help="print JSON")

    questions = sub.add_parser("questions", help="list the questions of a bank")
    questions.add_argument("bank", metavar="BANK", help="built-in bank id or path to a YAML file")
    questions.add_argument("--json", action="store_true", help="print JSON")
    add_encoding_option(questions, "a rubric file")


def add_validate_parser(sub: Any) -> None:
    validate = sub.add_parser(
        "validate",
        help="validate rubric files",
        description="Check rubric files before they are used: every problem of each file is "
        "listed with its line and field. A directory stands for the .yaml and .yml files in "
        "it and its subdirectories (hidden ones aside).",
    )
    validate.add_argument("files", metavar="FILE|DIR", nargs="+")
    add_encoding_option(validate, "the rubric files")


def add_schema_parser(sub: Any) -> None:
    sub.add_parser("schema", help="print the JSON Schema of rubric files (for editors)")


def cmd_banks(args: argparse.Namespace, out: TextIO) -> int:
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
        write_json(out, rows)
        return 0
    out.write(
        table(
            ["id", "questions", "language", "title"],
            [[b.id, str(len(b.questions)), b.language, b.title] for b in banks],
        )
    )
    return 0


def cmd_questions(args: argparse.Namespace, out: TextIO) -> int:
    bank = open_bank(args.bank, args.encoding)
    if args.json:
        rows = [
            {"id": q.id, "kind": q.kind, "points": q.points, "prompt": q.prompt, "added": q.added}
            for q in bank.questions
        ]
        write_json(out, rows)
        return 0
    out.write(
        table(
            ["id", "kind", "points", "prompt"],
            [[q.id, q.kind, f"{q.points:g}", q.prompt] for q in bank.questions],
            wrap=(3,),
        )
    )
    return 0


def cmd_validate(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    failed = 0
    for path, outcome, decoded in iter_files(args.files, encoding=args.encoding):
        if isinstance(outcome, CoachError):
            failed += 1
            print_error(err, outcome)
            continue
        count = len(outcome.questions)
        read = ""
        if decoded is not None and not (decoded.is_utf8 or decoded.declared):
            read = f" (read as {describe(decoded)})"
        out.write(f"ok {path}: bank {outcome.id!r}, {count} question{'s' * (count != 1)}{read}\n")
    return 1 if failed else 0


def cmd_schema(out: TextIO) -> int:
    write_json(out, rubric_json_schema())
    return 0
