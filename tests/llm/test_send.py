"""The send loops: a grade whose first request is answered sets up no retry loop; a first
failure is judged by the loop like any other (the same retries, the same waits, the same
errors), in the sync and the async driver alike."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import openai
import pytest
import respx

import coach
from coach.llm import send
from coach.llm.retry import RetryPolicy
from tests.llm.support import BASE_URL, async_client, completion, error, grade_json, sync_client

QUESTION = coach.load_bank("finance-cs-manager").question("s2")
ANSWER = QUESTION.model_answer
POLICY = RetryPolicy(backoff=0.001, max_backoff=0.01, max_attempts=3, deadline=10)


def graded(replies: list[httpx.Response], is_async: bool) -> tuple[Any, list[float], int]:
    """Grade ANSWER with `replies` in turn: the outcome (a result or the exception), the waits
    the retry loop slept, and how many retry loops were set up."""
    loops: list[int] = []
    slept: list[float] = []

    async def async_sleep(seconds: float) -> None:
        slept.append(seconds)

    def sync_sleep(seconds: float) -> None:
        slept.append(seconds)

    def counted(kind: Any, sleep: Any) -> Any:
        def build(**options: Any) -> Any:
            loops.append(1)
            return kind(**options, sleep=sleep)

        return build

    with pytest.MonkeyPatch.context() as patch, respx.mock(base_url=BASE_URL) as api:
        patch.setattr(send, "Retrying", counted(send.Retrying, sync_sleep))
        patch.setattr(send, "AsyncRetrying", counted(send.AsyncRetrying, async_sleep))
        api.post("/chat/completions").mock(side_effect=replies)
        try:
            if is_async:

                async def run() -> coach.GradeResult:
                    client = async_client()
                    grader = coach.Grader(mode="llm", async_client=client, policy=POLICY)
                    try:
                        return await grader.agrade("finance-cs-manager", "s2", ANSWER)
                    finally:
                        await client.close()

                outcome: Any = asyncio.run(run())
            else:
                grader = coach.Grader(mode="llm", client=sync_client(), policy=POLICY)
                outcome = grader.grade("finance-cs-manager", "s2", ANSWER)
        except coach.LLMError as exc:
            outcome = exc
    return outcome, slept, len(loops)


def ok() -> httpx.Response:
    return completion(grade_json(QUESTION, ANSWER))


def slow_down(seconds: str) -> httpx.Response:
    return error(429, "slow down", headers={"retry-after": seconds})


@pytest.mark.parametrize("is_async", [False, True], ids=["sync", "async"])
def test_one_request_sets_up_no_retry_loop(is_async: bool) -> None:
    result, slept, loops = graded([ok()], is_async)
    assert result.method == "llm" and result.usage.requests == 1
    assert (slept, loops) == ([], 0)


@pytest.mark.parametrize("is_async", [False, True], ids=["sync", "async"])
def test_a_first_failure_is_waited_on_and_retried_by_the_loop(is_async: bool) -> None:
    result, slept, loops = graded([slow_down("0.02"), slow_down("0.03"), ok()], is_async)
    assert result.method == "llm" and result.usage.requests == 3
    assert (slept, loops) == ([0.02, 0.03], 1)  # the first wait is the first reply's Retry-After


@pytest.mark.parametrize("is_async", [False, True], ids=["sync", "async"])
def test_the_attempt_cap_counts_the_first_request(is_async: bool) -> None:
    failed, slept, loops = graded([slow_down("0.01")] * 3, is_async)
    assert isinstance(failed, coach.LLMError)
    assert isinstance(failed.__cause__, openai.RateLimitError)
    assert failed.usage.requests == 3 and slept == [0.01, 0.01] and loops == 1


@pytest.mark.parametrize("is_async", [False, True], ids=["sync", "async"])
def test_a_first_failure_that_is_not_transient_is_raised_at_once(is_async: bool) -> None:
    failed, slept, loops = graded([error(401, "bad key")], is_async)
    assert isinstance(failed, coach.LLMError)
    assert isinstance(failed.__cause__, openai.AuthenticationError)
    assert failed.usage.requests == 1 and slept == [] and loops == 1  # judged there, not retried
