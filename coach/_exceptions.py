"""Errors raised by coach, all rooted at `CoachError` so callers can catch one type.

CoachError
├── RubricError            a rubric file is unreadable or invalid (names file, field, line)
├── BankNotFoundError      no built-in bank with that id and no such file (also a LookupError)
├── QuestionNotFoundError  the bank has no question with that id (also a LookupError)
└── AnswerError            the answer cannot be graded at all, e.g. not text (also a ValueError)
"""

from __future__ import annotations


class CoachError(Exception):
    """Base class of every error coach raises on purpose."""


class RubricError(CoachError):
    """A rubric file cannot be read or does not validate.

    `path`, `field` and `line` say where, when known; the message carries them too.
    """

    def __init__(
        self,
        message: str,
        *,
        path: str | None = None,
        field: str | None = None,
        line: int | None = None,
    ) -> None:
        self.path = path
        self.field = field
        self.line = line
        where = path or "<rubric>"
        if line is not None:
            where += f":{line}"
        if field:
            where += f" [{field}]"
        super().__init__(f"{where}: {message}")
        self.reason = message


class BankNotFoundError(CoachError, LookupError):
    """No built-in bank has this id and it is not a path to a rubric file."""


class QuestionNotFoundError(CoachError, LookupError):
    """The bank has no question with this id."""


class AnswerError(CoachError, ValueError):
    """The answer is not something that can be graded (not a string, for instance)."""
