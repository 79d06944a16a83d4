"""The `coach show` command: one question of a bank in full, as a candidate preparing for it
or a rubric author checking it would read it.

    coach show BANK QUESTION [--json]

Shows the prompt, each criterion with its points, description, key points (id and text, weight
when not 1, count bands) and levels, the deductions, the rubric's follow-up questions and the
model answer; `--json` prints the question as the rubric holds it, with its bank.
"""

from __future__ import annotations

import argparse
from typing import Any, TextIO

from coach.cli.common import write_json
from coach.grading.lookup import find_question
from coach.reports.text import wrap_text
from coach.rubric.loader import load_bank
from coach.rubric.model import Criterion, Question

WIDTH = 76  # columns of wrapped text, indentation included


def add_show_parser(sub: Any) -> None:
    show = sub.add_parser("show", help="show one question in full: prompt, rubric, model answer")
    show.add_argument("bank", metavar="BANK", help="built-in bank id or path to a YAML file")
    show.add_argument("question", metavar="QUESTION", help="question id (see 'coach questions')")
    show.add_argument("--json", action="store_true", help="print the question as JSON")


def _block(text: str, indent: int) -> list[str]:
    """`text` wrapped to the page, each paragraph on lines of its own, indented."""
    pad = " " * indent
    lines = []
    for paragraph in text.strip().splitlines():
        if paragraph.strip():
            lines += [pad + line for line in wrap_text(paragraph, WIDTH - indent)]
    return lines


def _criterion_lines(criterion: Criterion) -> list[str]:
    lines = [f"  {criterion.name} [{criterion.id}], {criterion.points:g} points"]
    lines += _block(criterion.description, 4)
    lines.append("    Key points:")
    for kp in criterion.key_points:
        weight = f" (weight {kp.weight:g})" if kp.weight != 1 else ""
        lines += _block(f"- {kp.text}{weight} [{kp.id}]", 6)
    if criterion.bands:
        rules = [f"{band.hits}+ → {band.points:g}" for band in criterion.bands]
        lines.append("    Points by key points made: " + ", ".join(rules))
    for level in criterion.levels:
        lines += _block(f"Level {level.points:g}: {level.description}", 4)
    return lines


def render_question(bank_id: str, question: Question) -> str:
    """The plain-text view of `question` that `coach show` prints."""
    lines = [f"{bank_id} / {question.id} ({question.kind}, {question.points:g} points)"]
    if question.competencies:
        lines += _block("Competencies: " + ", ".join(question.competencies), 0)
    lines += ["", "Prompt:"]
    lines += _block(question.prompt, 2)
    lines += ["", "Criteria:"]
    for criterion in question.criteria:
        lines += _criterion_lines(criterion)
    if question.deductions:
        lines += ["", "Deductions:"]
        for deduction in question.deductions:
            lines += _block(
                f"- {deduction.description} (-{deduction.points:g}) [{deduction.id}]", 2
            )
    if question.follow_ups:
        lines += ["", "Follow-up questions:"]
        for follow_up in question.follow_ups:
            lines += _block(f"? {follow_up}", 2)
    lines += ["", "Model answer:"]
    lines += _block(question.model_answer, 2)
    return "\n".join(lines) + "\n"


def cmd_show(args: argparse.Namespace, out: TextIO) -> int:
    bank = load_bank(args.bank)
    question = find_question(bank, args.question)
    if args.json:
        document = {"bank": bank.id, "bank_title": bank.title, "language": bank.language}
        write_json(out, document | question.model_dump(mode="json"))
        return 0
    out.write(render_question(bank.id, question))
    return 0
