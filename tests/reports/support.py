"""Shared by the report tests: a practice turn built from a question, an answer and its grade."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import coach
from coach.session import Turn


def turn(
    number: int,
    question: coach.Question,
    answer: str,
    result: coach.GradeResult,
    answered_at: datetime,
    **extra: Any,
) -> Turn:
    """Turn `number`: `question` answered with `answer` and graded `result` (its bank's); `extra`
    adds the follow-up fields."""
    return Turn(
        number=number,
        bank_id=result.bank_id,
        question_id=question.id,
        prompt=question.prompt,
        kind=question.kind,
        competencies=list(question.competencies),
        answer=answer,
        result=result,
        answered_at=answered_at,
        **extra,
    )
