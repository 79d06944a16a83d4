"""Which failures are retried, how long the grader waits, and when it stops."""

from __future__ import annotations

import email.utils
import json
import time
from dataclasses import dataclass
from typing import Any

import httpx
import openai
import pytest

from coach.llm.retry import (
    Clock,
    ImmediateRetry,
    MalformedResponse,
    RetryPolicy,
    is_quota_exhausted,
    is_transient,
    make_stop,
    make_wait,
    retry_after,
)

REQUEST = httpx.Request("POST", "https://llm.test/v1/chat/completions")


def status_error(status: int, code: str | None = None, **headers: str) -> openai.APIStatusError:
    body = {"error": {"message": "x", "type": code or "error", "code": code}}
    response = httpx.Response(status, headers=headers, content=json.dumps(body), request=REQUEST)
    kinds: dict[int, type[openai.APIStatusError]] = {
        400: openai.BadRequestError,
        401: openai.AuthenticationError,
        404: openai.NotFoundError,
        409: openai.ConflictError,
        422: openai.UnprocessableEntityError,
        429: openai.RateLimitError,
    }
    kind = kinds.get(status, openai.InternalServerError if status >= 500 else openai.APIStatusError)
    return kind("x", response=response, body=body["error"])  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("error", "transient"),
    [
        (status_error(408), True),
        (status_error(409), True),
        (status_error(429), True),
        (status_error(500), True),
        (status_error(503), True),
        (status_error(429, "insufficient_quota"), False),
        (status_error(400), False),
        (status_error(401), False),
        (status_error(404), False),
        (status_error(422), False),
        (openai.APIConnectionError(request=REQUEST), True),
        (openai.APITimeoutError(request=REQUEST), True),
        (MalformedResponse("html"), True),
        (ValueError("not an API error"), False),
    ],
)
def test_what_is_transient(error: BaseException, transient: bool) -> None:
    assert is_transient(error) is transient


def test_quota_exhaustion_is_recognised() -> None:
    assert is_quota_exhausted(status_error(429, "insufficient_quota"))
    assert not is_quota_exhausted(status_error(429, "rate_limit_exceeded"))
    assert not is_quota_exhausted(status_error(500, "insufficient_quota"))


def test_retry_after_headers() -> None:
    assert retry_after(status_error(429, **{"retry-after-ms": "1500"})) == 1.5
    assert retry_after(status_error(429, **{"retry-after": "7"})) == 7.0
    later = email.utils.formatdate(time.time() + 30, usegmt=True)
    asked = retry_after(status_error(429, **{"retry-after": later}))
    assert asked is not None and 28 <= asked <= 31
    assert retry_after(status_error(429, **{"retry-after": "soon"})) is None
    assert retry_after(status_error(429, **{"retry-after": "-5"})) == 0.0
    assert retry_after(status_error(429)) is None
    assert retry_after(ValueError()) is None


@dataclass
class _Outcome:
    error: BaseException | None

    def exception(self) -> BaseException | None:
        return self.error


@dataclass
class _State:
    """The parts of tenacity's RetryCallState the wait and stop read."""

    outcome: _Outcome
    attempt_number: int = 1
    upcoming_sleep: float = 0.0


def state(error: BaseException | None, **kwargs: Any) -> Any:
    return _State(_Outcome(error), **kwargs)


def test_wait_honours_retry_after_up_to_the_cap() -> None:
    wait = make_wait(RetryPolicy(max_retry_after=5))
    assert wait(state(status_error(429, **{"retry-after": "2"}))) == 2
    assert wait(state(status_error(429, **{"retry-after": "60"}))) == 5
    assert wait(state(ImmediateRetry("re-ask"))) == 0
    backoff = wait(state(status_error(500)))
    assert 0 <= backoff <= RetryPolicy().max_backoff


def test_stop_at_the_attempt_cap_or_before_a_wait_past_the_deadline() -> None:
    policy = RetryPolicy(max_attempts=3, deadline=10)
    stop = make_stop(policy, Clock(policy.deadline))
    assert not stop(state(None, attempt_number=1, upcoming_sleep=1))
    assert stop(state(None, attempt_number=3))
    assert stop(state(None, attempt_number=1, upcoming_sleep=11))


@pytest.mark.parametrize(
    "bad",
    [{"max_attempts": 0}, {"max_reasks": -1}, {"deadline": 0}, {"request_timeout": -1}],
)
def test_policy_rejects_nonsense(bad: dict[str, Any]) -> None:
    with pytest.raises(ValueError):
        RetryPolicy(**bad)
