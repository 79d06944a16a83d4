"""The `coach banks`, `questions`, `validate` and `schema` commands: what there is to grade
against, and checking rubric files before they are used (`schema` serves editors).

    coach banks [--json]
    coach questions BANK [--json]
    coach validate FILE [FILE ...]
    coach schema
"""

from __future__ import annotations

import argparse
from typing import Any, TextIO

from coach.cli.common import print_error, write_json
from coach.errors import CoachError
from coach.reports.text import table
from coach.rubric.loader import builtin_banks, iter_files, load_bank
from coach.rubric.schema import rubric_json_schema


def add_banks_parsers(sub: Any) -> None:
    """Add `banks` and `questions` to the CLI's subparsers."""
    banks = sub.add_parser("banks", help="list the built-in question banks")
    banks.add_argument("--json", action="store_true", help="print JSON")

    questions = sub.add_parser("questions", help="list the questions of a bank")
    questions.add_argument("bank", metavar="BANK", help="built-in bank id or path to a YAML file")
    questions.add_argument("--json", action="store_true", help="print JSON")


def add_validate_parser(sub: Any) -> None:
    validate = sub.add_parser("validate", help="validate rubric files")
    validate.add_argument("files", metavar="FILE", nargs="+")


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
    bank = load_bank(args.bank)
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
    for path, outcome in iter_files(args.files):
        if isinstance(outcome, CoachError):
            failed += 1
            print_error(err, outcome)
        else:
            count = len(outcome.questions)
            out.write(f"ok {path}: bank {outcome.id!r}, {count} question{'s' * (count != 1)}\n")
    return 1 if failed else 0


def cmd_schema(out: TextIO) -> int:
    write_json(out, rubric_json_schema())
    return 0
