"""Which failures are worth another request, how long to wait, and when to stop.

tenacity owns the loop (the SDK client runs with `max_retries=0`, so nothing retries twice).
Retried: connection errors, HTTP 408, 409, 429 (but not exhausted quota), 5xx, and a 200 whose
body is not a chat completion (`MalformedResponse`). `Retry-After` (or `retry-after-ms`) is
honoured up to `max_retry_after`; otherwise the wait is exponential with jitter. Never retried:
other 4xx, refusals, content-filter stops, and (unless `retry_timeouts`) a request that timed
out, since the server is likely still working on it. Every grade is bounded twice: by
`max_attempts` requests in all (re-asks included) and by a wall-clock `deadline`; no wait is
started that would end past it.
"""

from __future__ import annotations

import dataclasses
import email.utils
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from tenacity import RetryCallState, wait_random_exponential

from coach.errors import ConfigError

RETRYABLE_STATUS = frozenset({408, 409, 429})
DEADLINE_ENV = "COACH_DEADLINE"
TIMEOUT_ENV = "COACH_REQUEST_TIMEOUT"


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """Bounds on one grade's requests; the defaults suit an interactive grade."""

    max_attempts: int = 3  # requests in all, re-asks and retries included
    max_reasks: int = 1  # of those, re-asks after an invalid reply
    deadline: float = 60.0  # seconds for the whole grade, waits included
    request_timeout: float = 30.0  # seconds for one request (cut to what the deadline leaves)
    max_retry_after: float = 20.0  # the longest server-asked wait that is honoured
    backoff: float = 0.5  # first exponential wait, in seconds
    max_backoff: float = 8.0
    # A request that timed out is not sent again by default: the server does not know the
    # client gave up, and a local one (llama.cpp, Ollama) goes on generating the abandoned
    # reply, so a retry would only queue behind it and time out in turn.
    retry_timeouts: bool = False

    @classmethod
    def from_env(cls) -> RetryPolicy:
        """The defaults, with `COACH_DEADLINE` and `COACH_REQUEST_TIMEOUT` (seconds) applied."""
        settings: dict[str, Any] = {}
        for name, env in (("deadline", DEADLINE_ENV), ("request_timeout", TIMEOUT_ENV)):
            text = os.environ.get(env, "").strip()
            if not text:
                continue
            try:
                settings[name] = float(text)
            except ValueError:
                raise ConfigError(f"{env} must be a number of seconds, not {text!r}") from None
            if not 0 < settings[name] < float("inf"):
                raise ConfigError(f"{env} must be a positive number of seconds, not {text!r}")
        return dataclasses.replace(cls(), **settings)

    def __post_init__(self) -> None:
        if self.max_attempts < 1:
            raise ValueError("max_attempts must be at least 1")
        if self.max_reasks < 0 or self.deadline <= 0 or self.request_timeout <= 0:
            raise ValueError("max_reasks must be >= 0; deadline and request_timeout > 0")


def is_quota_exhausted(exc: BaseException) -> bool:
    """A 429 that waiting will not cure: the account is out of credit."""
    import openai  # loaded here, not at import: offline grading never loads the SDK

    if not isinstance(exc, openai.APIStatusError) or exc.status_code != 429:
        return False
    code = (exc.code or "") + " " + (getattr(exc, "type", None) or "")
    return "insufficient_quota" in code or "billing" in code


class MalformedResponse(Exception):
    """The server's HTTP reply was not a chat completion at all (broken JSON, an HTML page).

    The SDK raises a bare `json.JSONDecodeError` for broken JSON on a 200 and returns a plain
    `str` for a non-JSON content type; both are a server glitch, not the model's answer.
    """


def is_transient(exc: BaseException) -> bool:
    """Worth another request: the same request may well succeed later."""
    import openai  # loaded here, not at import: offline grading never loads the SDK

    if isinstance(
        exc, (openai.APIConnectionError, openai.APIResponseValidationError, MalformedResponse)
    ):
        return True  # includes APITimeoutError
    if isinstance(exc, openai.APIStatusError):
        status = exc.status_code
        if status == 429:
            return not is_quota_exhausted(exc)
        return status in RETRYABLE_STATUS or status >= 500
    return False


def should_retry(exc: BaseException, policy: RetryPolicy) -> bool:
    """Send the request again after `exc`: a transient failure, unless it was a timeout
    and the policy does not retry those."""
    import openai  # loaded here, not at import: offline grading never loads the SDK

    if isinstance(exc, openai.APITimeoutError) and not policy.retry_timeouts:
        return False
    return is_transient(exc)


def retry_after(exc: BaseException, now: float | None = None) -> float | None:
    """The wait the server asked for, in seconds, from `retry-after-ms` or `Retry-After`."""
    response = getattr(exc, "response", None)
    headers: Any = getattr(response, "headers", None)
    if headers is None:
        return None
    millis = headers.get("retry-after-ms")
    if millis is not None:
        try:
            return max(0.0, float(millis) / 1000)
        except ValueError:
            pass
    value = headers.get("retry-after")
    if value is None:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


class Clock:
    """Wall-clock budget of one grade, on the monotonic clock."""

    def __init__(self, deadline: float) -> None:
        self.deadline = deadline
        self.started = time.monotonic()

    def elapsed(self) -> float:
        return time.monotonic() - self.started

    def remaining(self) -> float:
        return self.deadline - self.elapsed()


def make_wait(policy: RetryPolicy) -> Any:
    """tenacity wait: the server's Retry-After (capped), else exponential backoff with jitter.

    Re-asks and protocol changes (`ImmediateRetry`) go again at once.
    """
    backoff = wait_random_exponential(multiplier=policy.backoff, max=policy.max_backoff)

    def wait(state: RetryCallState) -> float:
        exc = state.outcome.exception() if state.outcome else None
        if exc is None or isinstance(exc, ImmediateRetry):
            return 0.0
        asked = retry_after(exc)
        if asked is not None:
            return min(asked, policy.max_retry_after)
        return float(backoff(state)) if policy.backoff > 0 else 0.0

    return wait


def make_stop(policy: RetryPolicy, clock: Clock, free: Callable[[], int] = lambda: 0) -> Any:
    """tenacity stop: the attempt cap, or a wait that would end past the deadline.

    `free()` counts the attempts that do not count against the cap (protocol negotiation).
    """

    def stop(state: RetryCallState) -> bool:
        if state.attempt_number - free() >= policy.max_attempts:
            return True
        # A retry needs its wait plus a little time to talk to the server.
        return state.upcoming_sleep + 0.05 >= clock.remaining()

    return stop


class ImmediateRetry(Exception):
    """Raised inside an attempt to ask again at once (a re-ask, or a protocol change)."""
