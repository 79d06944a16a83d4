"""Errors raised by coach, all rooted at `CoachError` so callers can catch one type.

CoachError
├── RubricError            a rubric file is unreadable or invalid (file, field, line; every problem)
├── BankNotFoundError      no built-in bank with that id and no such file (also a LookupError)
├── QuestionNotFoundError  the bank has no question with that id (also a LookupError)
├── AnswerError            the answer cannot be graded at all, e.g. not text (also a ValueError)
├── PromptError            a prompt template is missing or its placeholders are wrong
├── ConfigError            the grader is asked for an LLM it was not given (also a ValueError)
├── CacheError             the reply cache file cannot be opened or used
└── LLMError               LLM grading failed (mode "llm"); carries attempts, last error, usage
    ├── LLMUnavailableError    transient failures (connection, timeout, 408/409/429, 5xx) exhausted
    │   └── DeadlineError          the wall-clock deadline ran out first
    ├── LLMRequestError        the server rejected the request for good (other 4xx, quota, auth)
    ├── LLMRefusalError        the model refused, or a content filter stopped it
    └── LLMReplyError          the reply never validated, re-asks included

In mode "auto" the LLM errors are not raised: the result falls back to the keyword grader with
`status="fallback"` and the error's message as `fallback_reason`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from coach.result import Usage


class CoachError(Exception):
    """Base class of every error coach raises on purpose."""


class RubricError(CoachError):
    """A rubric file cannot be read or does not validate.

    `path`, `field` and `line` say where, when known; the message carries them too. A file with
    several problems raises one error whose `problems` holds each (as a `RubricError`), and
    whose message lists them one a line; its own `path`, `field`, `line` and `reason` are the
    first problem's.
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
        self.problems: tuple[RubricError, ...] = (self,)

    @classmethod
    def of(cls, problems: Sequence[RubricError]) -> RubricError:
        """One error for all of `problems` (at least one), in their order."""
        if len(problems) == 1:
            return problems[0]
        first = problems[0]
        error = cls(first.reason, path=first.path, field=first.field, line=first.line)
        error.problems = tuple(problems)
        error.args = ("\n".join(str(problem) for problem in problems),)
        return error


class BankNotFoundError(CoachError, LookupError):
    """No built-in bank has this id and it is not a path to a rubric file."""


class QuestionNotFoundError(CoachError, LookupError):
    """The bank has no question with this id."""


class AnswerError(CoachError, ValueError):
    """The answer is not something that can be graded (not a string, for instance)."""


class PromptError(CoachError):
    """A prompt template cannot be read, or uses placeholders the renderer does not fill."""


class ConfigError(CoachError, ValueError):
    """The grader's settings cannot work: LLM mode without an LLM, a client of the wrong kind."""


class CacheError(CoachError):
    """The reply cache file cannot be opened, is not a coach cache, or failed a read or write."""


class LLMError(CoachError):
    """LLM grading failed; raised in mode "llm" only (mode "auto" falls back instead).

    `attempts` is the number of requests sent, `last_error` the last failure (an openai
    exception, or a description of the invalid reply), `usage` the tokens spent on all attempts.
    """

    def __init__(
        self,
        message: str,
        *,
        attempts: int,
        last_error: BaseException | str | None = None,
        usage: Usage | None = None,
    ) -> None:
        super().__init__(message)
        self.attempts = attempts
        self.last_error = last_error
        self.usage = usage


class LLMUnavailableError(LLMError):
    """Every attempt failed with a transient error (connection, timeout, 408/409/429, 5xx)."""


class DeadlineError(LLMUnavailableError):
    """The wall-clock deadline ran out before a valid reply arrived."""


class LLMRequestError(LLMError):
    """The server rejected the request in a way a retry cannot fix (a 4xx, exhausted quota)."""


class LLMRefusalError(LLMError):
    """The model refused to grade, or a content filter stopped its reply."""


class LLMReplyError(LLMError):
    """The model's replies never validated against the rubric, re-asks included."""
