"""Self-consistency: one answer graded several times, combined per criterion by the median.

A single LLM grade can swing with sampling; the median of n grades per criterion is steadier,
and the spread says how far to trust it. The combined result keeps, for each criterion, the
rationale and evidence of the sample whose points are nearest the median (so the quotes still
support the points shown); a deduction counts when most samples found it; the coaching comes
from the sample whose total is nearest the median total. Usage adds up every sample.
"""

from __future__ import annotations

import statistics
from typing import Any

from coach.result import Consistency, GradeResult, Usage
from coach.rubric.model import Question

WIDE_SPREAD = 0.5  # a criterion whose samples differ by half its points asks for review


def _nearest(values: list[float], target: float) -> int:
    return min(range(len(values)), key=lambda i: (abs(values[i] - target), i))


def combine(samples: list[GradeResult], question: Question, requested: int) -> GradeResult:
    """The median grade of LLM-graded `samples` of one answer (at least one)."""
    if not samples:
        raise ValueError("no sample to combine")
    criteria: list[dict[str, Any]] = []
    spread: dict[str, float] = {}
    review = []
    for index, criterion in enumerate(question.criteria):
        points = [s.criteria[index].points for s in samples]
        middle = float(statistics.median(points))
        chosen = samples[_nearest(points, middle)].criteria[index].model_dump()
        chosen["points"] = round(middle, 2)
        criteria.append(chosen)
        spread[criterion.id] = round(max(points) - min(points), 2)
        if spread[criterion.id] >= WIDE_SPREAD * criterion.points:
            review.append(criterion.id)
    found: dict[str, list[dict[str, Any]]] = {}
    for sample in samples:
        for deduction in sample.deductions:
            found.setdefault(deduction.id, []).append(deduction.model_dump())
    deductions = [hits[0] for hits in found.values() if 2 * len(hits) > len(samples)]
    earned = sum(c["points"] for c in criteria)
    lost = sum(d["points"] for d in deductions)
    score = round(min(question.points, max(0.0, earned - lost)), 2)
    totals = [s.score for s in samples]
    base = samples[_nearest(totals, float(statistics.median(totals)))]
    flags = [f.model_dump() for f in base.flags if f.code != "needs_review"]
    if review or any(s.has_flag("needs_review") for s in samples):
        message = (
            f"samples disagree on {', '.join(review)}" if review else "a sample asked for review"
        )
        flags.append({"code": "needs_review", "message": message})
    consistency = Consistency(
        samples=len(samples),
        requested=requested,
        scores=totals,
        score_spread=round(max(totals) - min(totals), 2),
        criterion_spread=spread,
    )
    return GradeResult.model_validate(
        {
            **base.model_dump(exclude={"consistency"}),
            "score": score,
            "percent": round(100 * score / question.points, 1),
            "criteria": criteria,
            "deductions": deductions,
            "flags": flags,
            "usage": Usage.total(s.usage for s in samples).model_dump(),
            "consistency": consistency.model_dump(),
            "cached": all(s.cached for s in samples),
        }
    )
