"""What an LLM failure is called: the `LLMError` subclass, and a message a person can act on.

The grader raises these in mode "llm" and uses their message as `fallback_reason` in mode
"auto". Messages carry the attempt count and the last error (HTTP status, SDK error type and
the server's message, cut short); they are built from the redacted request's outcome, so they
hold no personal data of the answer.
"""

from __future__ import annotations

from typing import Any

from coach.errors import (
    DeadlineError,
    LLMError,
    LLMRefusalError,
    LLMReplyError,
    LLMRequestError,
    LLMUnavailableError,
)
from coach.llm.exchange import Exchange, Refused
from coach.llm.reply import InvalidReply
from coach.llm.retry import ImmediateRetry, is_transient
from coach.result import Usage


def llm_error(exc: BaseException, exchange: Exchange, usage: Usage) -> LLMError:
    """The `LLMError` that says why grading by LLM failed."""
    import openai  # loaded here, not at import: offline grading never loads the SDK

    attempts = exchange.spend.requests
    last = exchange.last_error if isinstance(exc, (ImmediateRetry, TimeoutError)) else exc
    kwargs: dict[str, Any] = {"attempts": attempts, "last_error": last, "usage": usage}
    if isinstance(exc, LLMError):
        return exc
    if isinstance(exc, Refused):
        return LLMRefusalError(str(exc), **kwargs)
    if isinstance(exc, (InvalidReply, ImmediateRetry)) and not isinstance(last, openai.APIError):
        return LLMReplyError(
            f"the model's reply did not validate after {attempts} request(s): {last}", **kwargs
        )
    if isinstance(exc, TimeoutError) or (
        exchange.clock is not None and exchange.clock.remaining() <= 0.05
    ):
        return DeadlineError(
            f"no valid reply within the {exchange.policy.deadline:g} s deadline "
            f"({attempts} request(s); last error: {describe(last)})",
            **kwargs,
        )
    if isinstance(last, BaseException) and is_transient(last):
        return LLMUnavailableError(
            f"the LLM server did not answer usably in {attempts} request(s): {describe(last)}",
            **kwargs,
        )
    if isinstance(last, openai.APIError):
        return LLMRequestError(f"the LLM server rejected the request: {describe(last)}", **kwargs)
    return LLMError(f"LLM grading failed: {describe(last)}", **kwargs)


def describe(error: BaseException | str | None) -> str:
    """One line about an error: HTTP status and type for the SDK's, cut to 300 characters."""
    import openai  # loaded here, not at import: offline grading never loads the SDK

    if isinstance(error, openai.APIStatusError):
        return f"HTTP {error.status_code} {type(error).__name__}: {error.message}"[:300]
    if isinstance(error, BaseException):
        return f"{type(error).__name__}: {error}"[:300]
    return str(error)[:300]
