"""Resolving what a caller names: a question by id within a bank."""

from __future__ import annotations

from coach.errors import QuestionNotFoundError
from coach.rubric.loader import BankRef, load_bank
from coach.rubric.model import Question


def find_question(bank: BankRef, question: str | Question) -> Question:
    """The question itself, or the question with that id of `bank` (a `Bank`, a built-in bank
    id or a path to a rubric YAML file).

    Raises `QuestionNotFoundError` when the bank has no such question.
    """
    if isinstance(question, Question):
        return question
    try:
        return load_bank(bank).question(question)
    except KeyError as exc:
        raise QuestionNotFoundError(exc.args[0]) from None
