"""Fault injection over real sockets: every failure of an LLM server ends in an honest result.

Each fault is scripted on the loopback server (`fake_openai.FakeOpenAI`) and graded through the
library's own client (`Grader(base_url=...)`), in mode "auto" and in mode "llm". Whatever the
server does, a grade ends in a valid `GradeResult` (0 <= score <= max) or, in mode "llm", in the
documented `LLMError` subclass; the default policy sends at most 3 requests per grade; the
wall-clock deadline is kept to within a second; and a fallback says what went wrong.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest

import coach
from tests.llm.fake_openai import (
    ErrorReply,
    FakeOpenAI,
    RawReply,
    Reply,
    StepSource,
    connection_reset,
    error_reply,
    html_error_page,
    insufficient_quota,
    json_reply,
    malformed_json,
    overloaded,
    partial_headers,
    rate_limited,
    refusal_reply,
    reply,
    server_error,
    stall,
)
from tests.llm.support import completion_body

BANK = "finance-cs-manager"
QUESTION = "s2"
DEADLINE = 1.5  # seconds: small, so that stalls cost little
SLACK = 1.0  # how far past the deadline a grade may end
MAX_REQUESTS = 3  # the default policy's max_attempts


def question() -> coach.Question:
    return coach.load_bank(BANK).question(QUESTION)


ANSWER = question().model_answer


def grade_obj(
    points: Callable[[coach.Criterion], float] = lambda c: c.points,
    evidence: Callable[[coach.Criterion], list[str]] = lambda c: [ANSWER[:12]],
    as_list: bool = False,
    extra: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """A reply for the question: per criterion `points(c)` quoting `evidence(c)`."""
    entries = {
        c.id: {
            "evidence": evidence(c),
            "rationale": "依据回答",
            "key_points": [kp.id for kp in c.key_points],
            "points": points(c),
        }
        for c in question().criteria
    }
    criteria: Any = entries
    if as_list:
        criteria = [{"id": cid, **entry} for cid, entry in entries.items()] + (extra or [])
    return {
        "criteria": criteria,
        "deductions": [],
        "strengths": [],
        "improvements": [],
        "follow_up_questions": [],
        "improved_answer": "",
    }


def good() -> Reply:
    return json_reply(grade_obj(points=lambda c: c.points / 2))


def completion_text(content: str, **usage: Any) -> str:
    """A whole chat completion as JSON text (for raw and truncated bodies)."""
    return json.dumps(completion_body(content, usage=usage or (10, 10)), ensure_ascii=False)


def shaped(**overrides: Any) -> RawReply:
    """A 200 whose JSON body has the given top-level fields replaced (wrong shapes)."""
    body = json.loads(completion_text("{}"))
    body.update(overrides)
    return RawReply(json.dumps(body))


@dataclass(frozen=True)
class Fault:
    """One scripted failure and what it must end in."""

    name: str
    steps: Callable[[], list[StepSource]]  # played in order, then `default`
    default: Callable[[], StepSource] | None = None
    error: type[coach.LLMError] | None = None  # None: the grade succeeds (status "graded")
    reason: tuple[str, ...] = ()  # words the fallback reason (and the error) must contain
    requests: tuple[int, int] = (1, 1)  # the expected number of requests, min and max
    policy: dict[str, Any] = field(default_factory=dict)
    flags: tuple[str, ...] = ()  # flags a graded result must carry
    check: Callable[[coach.GradeResult, FakeOpenAI], None] | None = None
    elapsed: tuple[float, float] = (0.0, DEADLINE + SLACK)  # how long the grade may take

    def __str__(self) -> str:
        return self.name


def retry_after_honoured(wait: float) -> Callable[[coach.GradeResult, FakeOpenAI], None]:
    def check(result: coach.GradeResult, server: FakeOpenAI) -> None:
        times = [r.received_at for r in server.completion_requests]
        gaps = [b - a for a, b in itertools.pairwise(times)]
        assert gaps, "no retry was made"
        # Never sooner than asked; later only by scheduling delay on a busy machine (the
        # default backoff without Retry-After is what a much longer gap would reveal).
        assert all(wait - 0.02 <= gap < wait + 1.0 for gap in gaps), gaps

    return check


def all_zero_unverified(result: coach.GradeResult, server: FakeOpenAI) -> None:
    assert all(c.points == 0 for c in result.criteria)
    assert all(not c.evidence for c in result.criteria)


def clamped_to_range(result: coach.GradeResult, server: FakeOpenAI) -> None:
    # Every criterion was asked 999 or -3 points: code clamps them to [0, max].
    for c in result.criteria:
        assert c.points in (0, c.max_points)
    assert any(c.points == c.max_points for c in result.criteria)


def reasked_with_the_error(words: str) -> Callable[[coach.GradeResult, FakeOpenAI], None]:
    def check(result: coach.GradeResult, server: FakeOpenAI) -> None:
        first, second = server.completion_requests[:2]
        assert len(second.body["messages"]) == len(first.body["messages"]) + 2
        assert words in second.body["messages"][-1]["content"]

    return check


def more_tokens_on_the_reask(result: coach.GradeResult, server: FakeOpenAI) -> None:
    first, second = (r.body["max_tokens"] for r in server.completion_requests[:2])
    assert second > first


def estimated_usage(result: coach.GradeResult, server: FakeOpenAI) -> None:
    assert result.usage.estimated and result.usage.prompt_tokens > 0


CUT = completion_text(json.dumps(grade_obj(), ensure_ascii=False))
UNAVAILABLE = coach.LLMUnavailableError

FAULTS = [
    # -- rate limits ----------------------------------------------------------------------
    Fault(
        "429_storm_retry_after_honoured",
        lambda: [],
        lambda: rate_limited(retry_after=0.25),
        UNAVAILABLE,
        ("429", "RateLimitError"),
        (3, 3),
        check=retry_after_honoured(0.25),
    ),
    Fault(
        "429_retry_after_ms_honoured",
        lambda: [],
        lambda: rate_limited(retry_after=None, retry_after_ms=200),
        UNAVAILABLE,
        ("429",),
        (3, 3),
        check=retry_after_honoured(0.2),
    ),
    Fault(
        "429_retry_after_capped_by_max_retry_after",
        lambda: [],
        lambda: rate_limited(retry_after=120),
        UNAVAILABLE,
        ("429",),
        (3, 3),
        policy={"max_retry_after": 0.2},
        check=retry_after_honoured(0.2),
    ),
    Fault(
        "429_retry_after_beyond_deadline_not_waited",
        lambda: [],
        lambda: rate_limited(retry_after=5),
        UNAVAILABLE,
        ("429",),
        (1, 1),
        policy={"max_retry_after": 10},
        elapsed=(0.0, 0.5),  # given up at once, not after waiting out the deadline
    ),
    Fault(
        "429_second_retry_after_would_pass_deadline",
        lambda: [],
        lambda: rate_limited(retry_after=0.8),
        UNAVAILABLE,
        ("429",),
        (2, 2),
        elapsed=(0.8, 1.3),  # the first wait is kept, the second is not started
    ),
    Fault(
        "429_without_retry_after_backs_off",
        lambda: [],
        lambda: rate_limited(retry_after=None),
        UNAVAILABLE,
        ("429",),
        (3, 3),
    ),
    Fault(
        "429_unparseable_retry_after",
        lambda: [],
        lambda: ErrorReply(429, "slow down", headers={"Retry-After": "soon"}),
        UNAVAILABLE,
        ("429",),
        (3, 3),
    ),
    Fault(
        "429_twice_then_graded",
        lambda: [rate_limited(retry_after=0.05), rate_limited(retry_after_ms=50), good()],
        requests=(3, 3),
    ),
    Fault(
        "quota_exhausted_not_retried",
        lambda: [],
        insufficient_quota,
        coach.LLMRequestError,
        ("429", "quota"),
    ),
    # -- server errors --------------------------------------------------------------------
    Fault("500_storm", lambda: [], server_error, UNAVAILABLE, ("HTTP 500",), (3, 3)),
    Fault("503_storm", lambda: [], overloaded, UNAVAILABLE, ("HTTP 503",), (3, 3)),
    Fault(
        "html_502_page",
        lambda: [],
        lambda: html_error_page(502),
        UNAVAILABLE,
        ("HTTP 502",),
        (3, 3),
    ),
    Fault(
        "html_page_with_200",
        lambda: [],
        lambda: html_error_page(200),
        UNAVAILABLE,
        ("not JSON",),
        (3, 3),
    ),
    Fault("503_then_graded", lambda: [overloaded(), good()], requests=(2, 2)),
    Fault(
        "401_not_retried",
        lambda: [],
        lambda: error_reply(401, "Incorrect API key provided", code="invalid_api_key"),
        coach.LLMRequestError,
        ("HTTP 401", "Incorrect API key"),
    ),
    # -- the network ----------------------------------------------------------------------
    Fault(
        "stall_past_deadline",
        lambda: [],
        lambda: stall(30),
        coach.DeadlineError,
        ("deadline",),
        policy={"request_timeout": 30},
        elapsed=(DEADLINE - 0.1, DEADLINE + SLACK),  # the request timeout is cut to the deadline
    ),
    Fault(
        "503_then_stall_past_deadline",
        lambda: [overloaded()],
        lambda: stall(30),
        coach.DeadlineError,
        ("deadline",),
        (2, 2),
    ),
    # A timed-out request is not sent again: the server is likely still generating its reply,
    # and a local one would queue the retry behind it.
    Fault(
        "stall_cut_by_request_timeout_is_not_retried",
        lambda: [],
        lambda: stall(30),
        UNAVAILABLE,
        ("Timeout",),
        (1, 1),
        policy={"request_timeout": 0.3},
    ),
    Fault(
        "stalls_cut_by_request_timeout_retried_when_asked",
        lambda: [],
        lambda: stall(30),
        UNAVAILABLE,
        ("Timeout",),
        (3, 3),
        policy={"request_timeout": 0.3, "retry_timeouts": True},
    ),
    Fault("short_stall_then_graded", lambda: [stall(0.3, good())], lambda: good()),
    Fault(
        "connection_resets",
        lambda: [],
        connection_reset,
        UNAVAILABLE,
        ("APIConnectionError",),
        (3, 3),
    ),
    Fault(
        "partial_headers_then_reset",
        lambda: [],
        partial_headers,
        UNAVAILABLE,
        ("APIConnectionError",),
        (3, 3),
    ),
    Fault(
        "reset_503_partial_headers_mixed",
        lambda: [connection_reset(), overloaded(), partial_headers()],
        lambda: good(),
        UNAVAILABLE,
        ("APIConnectionError",),
        (3, 3),
    ),
    Fault("reset_then_graded", lambda: [connection_reset(), good()], requests=(2, 2)),
    # -- bodies that are not chat completions ----------------------------------------------
    Fault(
        "malformed_json_body",
        lambda: [],
        malformed_json,
        UNAVAILABLE,
        ("not JSON",),
        (3, 3),
    ),
    Fault(
        "truncated_completion_body",
        lambda: [],
        lambda: RawReply(CUT[: len(CUT) // 2]),
        UNAVAILABLE,
        ("not JSON",),
        (3, 3),
    ),
    Fault(
        "empty_body",
        lambda: [],
        lambda: RawReply(b""),
        UNAVAILABLE,
        ("not JSON",),
        (3, 3),
    ),
    Fault(
        "body_with_a_5000_digit_number",
        lambda: [],
        lambda: RawReply(CUT.replace('"created": ', '"created": ' + "9" * 5000)),
        UNAVAILABLE,
        ("not usable JSON",),
        (3, 3),
    ),
    Fault(
        "body_nested_100000_deep",
        lambda: [],
        lambda: RawReply('{"a":' * 100_000 + "1" + "}" * 100_000),
        UNAVAILABLE,
        ("not usable JSON",),
        (3, 3),
    ),
    Fault(
        "json_list_body",
        lambda: [],
        lambda: RawReply("[1, 2, 3]"),
        UNAVAILABLE,
        ("not a chat completion",),
        (3, 3),
    ),
    Fault(
        "choices_an_object",
        lambda: [],
        lambda: shaped(choices={"0": {"message": {"content": "{}"}}}),
        UNAVAILABLE,
        ("not a chat completion",),
        (3, 3),
    ),
    Fault(
        "message_a_string",
        lambda: [],
        lambda: shaped(choices=[{"index": 0, "message": "hi", "finish_reason": "stop"}]),
        UNAVAILABLE,
        ("not a chat completion",),
        (3, 3),
    ),
    Fault(
        "content_a_number",
        lambda: [],
        lambda: shaped(choices=[{"index": 0, "message": {"content": 42}, "finish_reason": "stop"}]),
        UNAVAILABLE,
        ("no text content",),
        (3, 3),
    ),
    Fault(
        "usage_with_strings_and_negatives_is_estimated",
        lambda: [],
        lambda: RawReply(
            completion_text(
                json.dumps(grade_obj(), ensure_ascii=False),
                prompt_tokens=-5,
                completion_tokens="many",
            )
        ),
        check=estimated_usage,
    ),
    # -- the model's reply ----------------------------------------------------------------
    Fault(
        "refusal",
        lambda: [],
        lambda: refusal_reply("I can't help with grading this."),
        coach.LLMRefusalError,
        ("refused", "can't help"),
    ),
    Fault(
        "content_filter_stop",
        lambda: [],
        lambda: Reply(content='{"criteria": {', finish_reason="content_filter"),
        coach.LLMRefusalError,
        ("content filter",),
    ),
    Fault(
        "out_of_range_points_clamped",
        lambda: [],
        lambda: json_reply(grade_obj(points=lambda c: 999 if c.id != "process" else -3)),
        flags=("points_clamped",),
        check=clamped_to_range,
    ),
    Fault(
        "nan_points_reasked_then_fail",
        lambda: [],
        lambda: reply(json.dumps(grade_obj(points=lambda c: float("nan")))),
        coach.LLMReplyError,
        ("did not validate", "finite number"),
        (2, 2),
    ),
    Fault(
        "unknown_criterion_ids_in_a_list_ignored",
        lambda: [],
        lambda: json_reply(
            grade_obj(
                as_list=True,
                extra=[{"id": "bogus", "evidence": [ANSWER[:12]], "points": 50}],
            )
        ),
        flags=("reply_repaired",),
    ),
    Fault(
        "only_unknown_criterion_ids_reasked_then_fail",
        lambda: [],
        lambda: json_reply({"criteria": [{"id": "bogus", "evidence": [ANSWER[:12]], "points": 5}]}),
        coach.LLMReplyError,
        ("did not validate", "criteria missing"),
        (2, 2),
    ),
    Fault(
        "unknown_ids_then_valid_after_reask",
        lambda: [
            json_reply({"criteria": [{"id": "bogus", "evidence": [], "points": 5}]}),
            good(),
        ],
        requests=(2, 2),
        check=reasked_with_the_error("criteria missing"),
    ),
    Fault(
        "invented_quotes_earn_nothing",
        lambda: [],
        lambda: json_reply(grade_obj(evidence=lambda c: ["我保证您的资金百分之百安全无忧"])),
        flags=("unverified_evidence",),
        check=all_zero_unverified,
    ),
    Fault(
        "length_stop_every_time",
        lambda: [],
        lambda: Reply(content=json.dumps(grade_obj())[:80], finish_reason="length"),
        coach.LLMReplyError,
        ("did not validate", "length limit"),
        (2, 2),
    ),
    Fault(
        "length_stop_then_valid",
        lambda: [Reply(content=json.dumps(grade_obj())[:80], finish_reason="length"), good()],
        requests=(2, 2),
        check=more_tokens_on_the_reask,
    ),
    Fault(
        "prose_instead_of_json",
        lambda: [],
        lambda: reply("This answer is quite good, I would give it 10 points."),
        coach.LLMReplyError,
        ("did not validate", "no JSON object"),
        (2, 2),
    ),
    Fault(
        "reply_with_a_5000_digit_number",
        lambda: [],
        lambda: reply('{"criteria": {"process": {"points": ' + "9" * 5000 + "}}}"),
        coach.LLMReplyError,
        ("did not validate", "not usable JSON"),
        (2, 2),
    ),
]


def script(server: FakeOpenAI, fault: Fault) -> None:
    server.extend(fault.steps())
    if fault.default is not None:
        server.default = fault.default()


def policy(fault: Fault) -> coach.RetryPolicy:
    # The default attempt and re-ask caps; a short deadline and short backoffs keep it fast.
    settings: dict[str, Any] = {"deadline": DEADLINE, "backoff": 0.02, "max_backoff": 0.05}
    return coach.RetryPolicy(**{**settings, **fault.policy})


def assert_valid(result: coach.GradeResult) -> None:
    again = coach.GradeResult.model_validate_json(result.model_dump_json())
    assert again == result
    assert 0 <= result.score <= result.max_score
    assert all(0 <= c.points <= c.max_points for c in result.criteria)
    for c in result.criteria:
        for e in c.evidence:
            assert ANSWER[e.start : e.end] == e.quote


def assert_requests(server: FakeOpenAI, fault: Fault) -> int:
    count = len(server.completion_requests)
    low, high = fault.requests
    assert count <= MAX_REQUESTS
    assert low <= count <= high, f"{count} requests, expected {fault.requests}"
    return count


@pytest.mark.parametrize("fault", FAULTS, ids=str)
def test_auto_mode_ends_in_a_valid_result(server: FakeOpenAI, fault: Fault) -> None:
    script(server, fault)
    with coach.Grader(base_url=server.base_url, api_key="x", policy=policy(fault)) as grader:
        started = time.monotonic()
        result = grader.grade(BANK, QUESTION, ANSWER)
        elapsed = time.monotonic() - started
    assert elapsed <= DEADLINE + SLACK, elapsed
    assert fault.elapsed[0] <= elapsed <= fault.elapsed[1], elapsed
    assert_valid(result)
    count = assert_requests(server, fault)
    assert result.usage.requests == count
    if fault.error is None:
        assert (result.method, result.status, result.fallback_reason) == ("llm", "graded", None)
        for flag in fault.flags:
            assert flag in result.flag_codes, result.flag_codes
    else:
        assert (result.method, result.status) == ("keyword", "fallback")
        assert result.fallback_reason, "a fallback must say why"
        for word in fault.reason:
            assert word in result.fallback_reason, result.fallback_reason
        assert result.score == coach.grade_offline(BANK, QUESTION, ANSWER).score
    if fault.check is not None:
        fault.check(result, server)


@pytest.mark.parametrize("fault", FAULTS, ids=str)
def test_llm_mode_raises_the_documented_error(server: FakeOpenAI, fault: Fault) -> None:
    script(server, fault)
    grader = coach.Grader(mode="llm", base_url=server.base_url, api_key="x", policy=policy(fault))
    started = time.monotonic()
    with grader:
        if fault.error is None:
            result = grader.grade(BANK, QUESTION, ANSWER)
            assert (result.method, result.status) == ("llm", "graded")
            assert_valid(result)
        else:
            with pytest.raises(coach.LLMError) as caught:
                grader.grade(BANK, QUESTION, ANSWER)
            error = caught.value
            assert type(error) is fault.error, repr(error)
            assert error.attempts == len(server.completion_requests)
            assert error.usage is not None and error.usage.requests == error.attempts
            assert error.last_error is not None
            for word in fault.reason:
                assert word in str(error), str(error)
    elapsed = time.monotonic() - started
    assert fault.elapsed[0] <= elapsed <= min(fault.elapsed[1], DEADLINE + SLACK), elapsed
    assert_requests(server, fault)


ASYNC_FAULTS = [
    f
    for f in FAULTS
    if f.name
    in (
        "429_storm_retry_after_honoured",
        "429_retry_after_beyond_deadline_not_waited",
        "stall_past_deadline",
        "connection_resets",
        "malformed_json_body",
        "content_a_number",
        "refusal",
        "length_stop_then_valid",
    )
]


@pytest.mark.parametrize("fault", ASYNC_FAULTS, ids=str)
def test_agrade_ends_the_same_way(server: FakeOpenAI, fault: Fault) -> None:
    script(server, fault)

    async def run() -> coach.GradeResult:
        async with coach.Grader(
            base_url=server.base_url, api_key="x", policy=policy(fault)
        ) as grader:
            return await grader.agrade(BANK, QUESTION, ANSWER)

    started = time.monotonic()
    result = asyncio.run(run())
    assert time.monotonic() - started <= DEADLINE + SLACK
    assert_valid(result)
    assert_requests(server, fault)
    assert result.status == ("graded" if fault.error is None else "fallback")
    if fault.error is not None:
        assert result.fallback_reason
        assert all(word in result.fallback_reason for word in fault.reason)


def test_a_storm_across_grades_keeps_each_grade_bounded(server: FakeOpenAI) -> None:
    """One grader, many grades into a 429/503/reset storm: each grade is bounded on its own."""
    server.default = lambda body: [rate_limited(0.05), overloaded(), connection_reset()][
        len(server.completion_requests) % 3
    ]
    with coach.Grader(
        base_url=server.base_url,
        api_key="x",
        policy=coach.RetryPolicy(deadline=DEADLINE, backoff=0.01, max_backoff=0.02),
    ) as grader:
        for n in range(1, 5):
            started = time.monotonic()
            result = grader.grade(BANK, QUESTION, ANSWER)
            assert time.monotonic() - started <= DEADLINE + SLACK
            assert result.status == "fallback" and result.fallback_reason
            assert result.usage.requests == 3
            assert len(server.completion_requests) == 3 * n
