"""`grade_offline`: the three-line way to grade an answer with no LLM and no network."""

from __future__ import annotations

from coach.errors import QuestionNotFoundError
from coach.grading.keyword import KeywordGrader
from coach.result import GradeResult
from coach.rubric.loader import BankRef, load_bank
from coach.rubric.model import Bank, Question

_GRADER = KeywordGrader()  # stateless apart from its compiled-rubric cache


def find_question(bank: Bank, question: str | Question) -> Question:
    """The question itself, or the bank's question with that id.

    Raises `QuestionNotFoundError` when the bank has no such question.
    """
    if isinstance(question, Question):
        return question
    try:
        return bank.question(question)
    except KeyError as exc:
        raise QuestionNotFoundError(exc.args[0]) from None


def grade_offline(bank: BankRef, question: str | Question, answer: str) -> GradeResult:
    """Grade `answer` with the deterministic keyword grader.

    `bank` is a built-in bank id, a path to a rubric YAML file, or a `Bank`; `question` is a
    question id of that bank or a `Question`.
    """
    loaded = load_bank(bank)
    return _GRADER.grade(loaded, find_question(loaded, question), answer)
