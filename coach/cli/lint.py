"""`coach lint`: warnings about variants that cannot do their job, and variants worth adding.

    coach lint BANK_OR_FILE [--question ID] [--json] [--encoding NAME]

Exit status as a linter's: 0 when there is no warning (suggestions alone do not fail), 1 when
there is one, 2 when the bank cannot be read or has no such question. Nothing is written to
the rubric: suggestions are printed for a person to take or leave.
"""

from __future__ import annotations

import argparse
from typing import Any, TextIO

from coach.authoring.lint import Finding, lint_bank
from coach.cli.common import add_encoding_option, open_bank, print_error, write_json
from coach.errors import CoachError


def add_lint_parser(sub: Any) -> None:
    lint = sub.add_parser(
        "lint",
        help="find rubric variants that cannot match, and suggest ones to add",
        description="Check a rubric's variants with the grader's own matcher: warn about "
        "variants that can never match, repeat another one, appear in the prompt, are not in "
        "the model answer or overlap a deduction; suggest inflections, Traditional and "
        "regional forms and paraphrases that would add recall. Exit status 1 when there are "
        "warnings, 2 when the rubric cannot be read.",
    )
    lint.add_argument("bank", metavar="BANK_OR_FILE", help="built-in bank id or rubric file")
    lint.add_argument("--question", metavar="ID", help="lint only this question")
    lint.add_argument("--json", action="store_true", help="print the findings as JSON")
    add_encoding_option(lint, "the rubric file")


def cmd_lint(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    try:
        bank = open_bank(args.bank, args.encoding)
        findings = lint_bank(bank, args.question)
    except CoachError as exc:
        print_error(err, exc)
        return 2
    except KeyError as exc:  # no such question
        print_error(err, exc.args[0])
        return 2
    warnings = [f for f in findings if f.kind == "warning"]
    if args.json:
        write_json(
            out,
            {
                "bank": bank.id,
                "warnings": [f.as_dict() for f in warnings],
                "suggestions": [f.as_dict() for f in findings if f.kind == "suggestion"],
            },
        )
    else:
        out.writelines(_line(f) for f in findings)
        out.write(
            f"{bank.id}: {len(warnings)} warning{'s' * (len(warnings) != 1)}, "
            f"{len(findings) - len(warnings)} suggestion"
            f"{'s' * (len(findings) - len(warnings) != 1)}\n"
        )
    return 1 if warnings else 0


def _line(finding: Finding) -> str:
    """One finding on one line: where, what, and what to do."""
    what = f" {finding.variant!r}:" if finding.variant else ":"
    if finding.kind == "warning":
        fix = f" (fix: {finding.fix})" if finding.fix else ""
        return f"warning [{finding.code}] {finding.place}{what} {finding.reason}{fix}\n"
    return f"suggest [{finding.code}] {finding.place}{what} add {finding.add!r}: {finding.reason}\n"
