"""Shared test helpers for the built-in banks: their sample answers and a pasted rubric."""

from __future__ import annotations

from typing import Any

import yaml

import coach
from tests.support import DATA


def samples(bank_id: str) -> list[dict[str, Any]]:
    """The labelled sample answers of a built-in bank (tests/data/answers_BANK.yaml)."""
    data = yaml.safe_load((DATA / f"answers_{bank_id}.yaml").read_text(encoding="utf-8"))
    assert data["bank"] == bank_id
    answers: list[dict[str, Any]] = data["answers"]
    return answers


def pasted_rubric(question: coach.Question) -> str:
    """What a candidate who found the rubric might paste: its wording, without the labels."""
    lines = []
    for criterion in question.criteria:
        lines.append(f"{criterion.name}：{criterion.description}")
        for key_point in criterion.key_points:
            lines.append(f"{key_point.text}（{'、'.join(key_point.variants)}）")
    lines += [deduction.description for deduction in question.deductions]
    return "\n".join(lines)
