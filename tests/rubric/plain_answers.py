"""The plain-answer sets of tests/data/plain/ and what the offline grader makes of them.

Each built-in bank has a file of answers written the way candidates talk, each labelled with
the score an interviewer would give before any grader saw it (see tests/data/plain/README.md).
`measure(bank_id)` grades every answer of a bank with the keyword grader and `figures` sums the
grades up per bank and half: rank agreement with the labels, error in points, and the flags an
honest answer should not get. bench/plain_answers.py prints the figures as Markdown tables;
tests/rubric/test_plain_answers.py holds them to a floor and a ceiling.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from typing import Any

import yaml

import coach
from coach.eval.statistics import mean_absolute_error, spearman
from coach.grading.combine import SUSPICIOUS
from tests.support import DATA

PLAIN = DATA / "plain"
HALVES = ("dev", "test")
# The screening flags that cost an answer its grade: offline they scale the points down, and on
# the LLM path they keep the model from scoring above the keyword grader.
COSTLY = frozenset(SUSPICIOUS)


def answers(bank_id: str) -> list[dict[str, Any]]:
    """The labelled plain answers of a built-in bank, as written in its file."""
    data = yaml.safe_load((PLAIN / f"{bank_id}.yaml").read_text(encoding="utf-8"))
    assert data["bank"] == bank_id, f"{bank_id}.yaml names bank {data['bank']!r}"
    found: list[dict[str, Any]] = data["answers"]
    return found


@dataclass(frozen=True)
class Graded:
    """One plain answer, its label and the offline grade."""

    bank: str
    question: str
    half: str
    label: float  # the interviewer's score, in the question's points
    covers: tuple[str, ...]
    text: str
    score: float
    percent: float
    max_score: float
    flags: tuple[str, ...]
    deductions: tuple[str, ...]
    hits: int = 0  # key points the offline grader found

    @property
    def miss(self) -> float:
        """Offline score minus label, in points (negative: the grader underrates)."""
        return self.score - self.label

    @property
    def credited_off_topic(self) -> bool:
        """An answer an interviewer credits, flagged as not addressing the question."""
        return bool(self.covers) and "off_topic" in self.flags

    @property
    def costly(self) -> bool:
        return bool(COSTLY.intersection(self.flags))


@cache
def measure(bank_id: str) -> tuple[Graded, ...]:
    """Every plain answer of `bank_id`, graded offline (deterministic, so cached)."""
    bank = coach.load_bank(bank_id)
    grader = coach.Grader(mode="keyword")
    graded = []
    for item in answers(bank_id):
        result = grader.grade(bank, item["question"], item["text"])
        graded.append(
            Graded(
                bank=bank_id,
                question=item["question"],
                half=item["half"],
                label=float(item["score"]),
                covers=tuple(item.get("covers") or ()),
                text=item["text"].strip(),
                score=result.score,
                percent=result.percent,
                max_score=result.max_score,
                flags=tuple(result.flag_codes),
                deductions=tuple(d.id for d in result.deductions),
                hits=sum(len(c.key_points_hit) for c in result.criteria),
            )
        )
    return tuple(graded)


@dataclass(frozen=True)
class Figures:
    """What the offline grader makes of a set of plain answers."""

    n: int
    spearman: float | None  # label against offline percent
    mae: float | None  # in points
    credited_off_topic: tuple[Graded, ...]
    costly: int  # answers with any costly flag
    deducted: int  # answers an interviewer credits that lost points to a deduction


def figures(graded: Iterable[Graded]) -> Figures:
    items = list(graded)
    labels = [g.label for g in items]
    rho = spearman(labels, [g.percent for g in items]).value
    mae = mean_absolute_error(labels, [g.score for g in items]).value
    return Figures(
        n=len(items),
        spearman=rho,
        mae=mae,
        credited_off_topic=tuple(g for g in items if g.credited_off_topic),
        costly=sum(g.costly for g in items),
        deducted=sum(bool(g.covers and g.deductions) for g in items),
    )
