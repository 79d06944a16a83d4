"""`grade_offline`: the three-line way to grade an answer with no LLM and no network."""

from __future__ import annotations

from coach.grading.keyword import KeywordGrader
from coach.grading.lookup import find_question
from coach.result import GradeResult
from coach.rubric.loader import BankRef
from coach.rubric.model import Question

__all__ = ["find_question", "grade_offline"]

_GRADER = KeywordGrader()  # stateless apart from its compiled-rubric cache


def grade_offline(
    bank: BankRef, question: str | Question, answer: str, *, feedback_language: str | None = None
) -> GradeResult:
    """Grade `answer` with the deterministic keyword grader.

    `bank` is a built-in bank id, a path to a rubric YAML file, or a `Bank`; `question` is a
    question id of that bank or a `Question`. The grader's own sentences (flags, rationales,
    tips) are in `feedback_language` ("zh" or "en"), else in the bank's language.
    """
    return _GRADER.grade(bank, question, answer, feedback_language=feedback_language)
