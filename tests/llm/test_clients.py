"""The clients a `Grader` sends through, over real sockets: built from the environment, used
from sync and async code alike, and from more than one event loop."""

from __future__ import annotations

import asyncio
import gc
import warnings

import openai
import pytest

import coach
from coach.llm.retry import RetryPolicy
from tests.llm.fake_openai import FakeOpenAI, json_reply
from tests.llm.test_llm_e2e import ANSWER, good

FAST = RetryPolicy(backoff=0.01)


@pytest.fixture
def graded(server: FakeOpenAI, mini: coach.Bank) -> FakeOpenAI:
    """The loopback server answering every request with a full grade of `mini`'s atm."""
    server.default = json_reply(good(mini.question("atm")))
    return server


def test_from_the_environment_agrade_then_grade(
    graded: FakeOpenAI, mini: coach.Bank, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OPENAI_BASE_URL", graded.base_url)
    monkeypatch.setenv("OPENAI_API_KEY", "sk-env")
    grader = coach.Grader(policy=FAST)
    first = asyncio.run(grader.agrade(mini, "atm", ANSWER))
    second = grader.grade(mini, "atm", ANSWER)
    third = asyncio.run(grader.agrade(mini, "atm", ANSWER))
    for result in (first, second, third):
        assert (result.method, result.status) == ("llm", "graded"), result.fallback_reason
    requests = graded.completion_requests
    assert len(requests) == 3
    assert {r.headers["authorization"] for r in requests} == {"Bearer sk-env"}
    grader.close()


def test_from_arguments_grade_then_agrade(graded: FakeOpenAI, mini: coach.Bank) -> None:
    grader = coach.Grader(base_url=graded.base_url, api_key="sk-arg", policy=FAST)
    assert asyncio.run(grader.agrade(mini, "atm", ANSWER)).status == "graded"
    assert grader.grade(mini, "atm", ANSWER).status == "graded"
    assert len(graded.completion_requests) == 2


def test_one_grader_on_two_event_loops(graded: FakeOpenAI, mini: coach.Bank) -> None:
    # A web app's test client opened twice, or two asyncio.run calls: the client built on the
    # first loop holds connections of that loop, which is closed when the second one runs.
    grader = coach.Grader(base_url=graded.base_url, api_key="sk-test", policy=FAST)
    results = [asyncio.run(grader.agrade(mini, "atm", ANSWER)) for _ in range(3)]
    for result in results:
        assert (result.method, result.status) == ("llm", "graded"), result.fallback_reason
    assert len(graded.completion_requests) == 3


def test_one_grader_on_two_loops_in_llm_mode(graded: FakeOpenAI, mini: coach.Bank) -> None:
    grader = coach.Grader(mode="llm", base_url=graded.base_url, policy=FAST)
    for _ in range(2):
        assert asyncio.run(grader.agrade(mini, "atm", ANSWER)).score == mini.question("atm").points


def test_a_batch_then_an_agrade_on_another_loop(graded: FakeOpenAI, mini: coach.Bank) -> None:
    grader = coach.Grader(base_url=graded.base_url, policy=FAST)
    [batch] = grader.grade_many([(mini, "atm", ANSWER)])
    assert batch.result is not None and batch.result.status == "graded"
    assert asyncio.run(grader.agrade(mini, "atm", ANSWER)).status == "graded"


def test_a_passed_async_client_on_a_closed_loop_is_a_clear_error(
    graded: FakeOpenAI, mini: coach.Bank
) -> None:
    # The caller's client cannot be rebuilt here. Where it keeps connections of the loop that
    # used it (openai 3.x's transport does), that is said, rather than a quiet fallback; where
    # the transport opens new ones (openai 2.x's httpx), the second loop simply works.
    client = openai.AsyncOpenAI(api_key="sk-test", base_url=graded.base_url)
    grader = coach.Grader(client=client, policy=FAST)
    assert asyncio.run(grader.agrade(mini, "atm", ANSWER)).status == "graded"
    try:
        try:
            again = asyncio.run(grader.agrade(mini, "atm", ANSWER))
        except coach.ConfigError as error:
            assert "event loop that is closed" in str(error)
        else:
            assert (again.method, again.status) == ("llm", "graded")
    finally:
        # The caller's client still holds a socket of the closed loop, as the app under test
        # would: collect it here, where its ResourceWarning is expected.
        del client, grader
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ResourceWarning)
            gc.collect()


def test_a_passed_async_client_alone_still_asks_for_a_sync_one(
    graded: FakeOpenAI, mini: coach.Bank, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The environment may name another server than the caller's client: no guessing.
    monkeypatch.setenv("OPENAI_BASE_URL", graded.base_url)
    client = openai.AsyncOpenAI(api_key="sk-test", base_url=graded.base_url)
    with pytest.raises(coach.ConfigError, match="sync client"):
        coach.Grader(client=client, policy=FAST).grade(mini, "atm", ANSWER)
