"""What each request to the LLM did, for the caller's tracing: `Grader(on_exchange=...)` and the
`coach.llm` logger.

coach sends its requests through the SDK's generic `post`, so tracing tools that patch
`chat.completions.create` never see them. Every attempt (retries, re-asks and protocol changes
included) is reported here instead: the JSON body sent, the HTTP status, the usage the server
counted and the time it took. The logger writes one DEBUG line per attempt; the hook gets the
whole `ExchangeEvent`. A hook that raises is logged and ignored, so tracing never breaks a grade.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

LOGGER = logging.getLogger("coach.llm")


@dataclass(frozen=True, slots=True)
class ExchangeEvent:
    """One request to the LLM and what came of it."""

    model: str
    attempt: int  # 1 for a grade's first request
    request: dict[str, Any]  # the JSON body as sent (the answer in it already redacted)
    status: int | None  # HTTP status; None when no response came (timeout, connection)
    usage: dict[str, Any] | None  # the server's own counts, as it sent them
    latency_s: float
    error: str | None = None  # what went wrong, when something did

    @property
    def ok(self) -> bool:
        return self.error is None


ExchangeHook = Callable[[ExchangeEvent], None]


def status_of(error: BaseException) -> int | None:
    """The HTTP status of a failed request, when the server answered at all."""
    import openai  # loaded here, not at import: offline grading never loads the SDK

    return error.status_code if isinstance(error, openai.APIStatusError) else None


def emit(hook: ExchangeHook | None, event: ExchangeEvent) -> None:
    """Log `event` at DEBUG and pass it to `hook`."""
    if LOGGER.isEnabledFor(logging.DEBUG):
        usage = event.usage or {}
        LOGGER.debug(
            "%s attempt %d: status %s in %.2f s, %s prompt + %s completion tokens%s",
            event.model,
            event.attempt,
            event.status,
            event.latency_s,
            usage.get("prompt_tokens", "?"),
            usage.get("completion_tokens", "?"),
            f" ({event.error})" if event.error else "",
        )
    if hook is None:
        return
    try:
        hook(event)
    except Exception:
        LOGGER.warning("the on_exchange hook raised; the grade goes on", exc_info=True)
