"""The LLM path against a real OpenAI-compatible server running a real model.

`.ci/run` starts llama-cpp-python's server with SmolLM2-135M-Instruct (a 98 MB model that runs on
two CPU cores) and runs these with `pytest -m real_llm`, pointing `COACH_REAL_LLM_URL` and
`COACH_REAL_LLM_MODEL` at it; without them every test here skips, saying so. A 135M model's
grades mean nothing: what is real is the server's errors, its tokenizer, its grammar-constrained
output and the malformed, cut-off and invented text a small model writes. So each test holds the
grade to honesty, not quality: graded with evidence that is really in the answer, or an honest
fallback, never a crash and never an unverified quote.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

import coach
from coach import ExchangeEvent, RetryPolicy
from tests.cli.support import run_cli
from tests.support import assert_valid

pytestmark = pytest.mark.real_llm

URL = os.environ.get("COACH_REAL_LLM_URL", "")
MODEL = os.environ.get("COACH_REAL_LLM_MODEL", "")


@pytest.fixture(autouse=True)
def _real_server() -> None:
    if not (URL and MODEL):
        pytest.skip(
            "no real LLM server: set COACH_REAL_LLM_URL and COACH_REAL_LLM_MODEL (.ci/run "
            "starts llama-cpp-python with SmolLM2-135M and sets them)"
        )


BANK, QUESTION = "finance-cs-manager", "s2"
ANSWERS = [
    "我会先安抚客户情绪，告诉他别着急，然后核实身份，说明需要按规定审核后才能解冻。",
    "先道歉，再查冻结原因，按流程提交解冻申请，不能违规操作，处理完回访客户。",
    "我会耐心倾听，记录客户诉求，核实身份后联系风控部门，告知客户预计处理时间。",
    "冻结一般是系统风控触发的，我会解释原因，指导客户带身份证到网点办理解冻。",
    "先稳定情绪，表示理解，然后查询账户状态，按规定流程处理，并及时反馈结果。",
]
# A CPU-bound model is slow: a request may wait behind another one for minutes.
SLOW = RetryPolicy(deadline=900, request_timeout=400, backoff=0.5)


def grader(**options: object) -> coach.Grader:
    settings: dict[str, object] = {
        "base_url": URL,
        "model": MODEL,
        "coaching": False,
        "prompt": "compact",
        "policy": SLOW,
    }
    return coach.Grader(**{**settings, **options})  # type: ignore[arg-type]


def assert_honest(result: coach.GradeResult, answer: str) -> None:
    """Graded by the model with every quote found in the answer, or an honest fallback."""
    assert_valid(result, answer)  # quotes are cut from the answer itself, scores in range
    if result.method == "llm":
        assert result.status == "graded"
        if not result.cached:  # a cached grade sent nothing
            assert result.usage.requests >= 1 and result.usage.completion_tokens > 0
        for criterion in result.criteria:
            if criterion.points > 0:
                assert criterion.evidence, criterion  # no points without verified evidence
    else:
        assert result.status == "fallback" and result.fallback_reason


def test_negotiates_from_json_schema_to_what_the_server_accepts() -> None:
    events: list[ExchangeEvent] = []
    with grader(on_exchange=events.append) as g:
        assert g.protocol.output_mode == "json_schema"
        result = g.grade(BANK, QUESTION, ANSWERS[0])
    assert_honest(result, ANSWERS[0])
    first = events[0]
    assert first.request["response_format"]["type"] == "json_schema"
    # llama-cpp-python answers json_schema with a 500 naming response_format ...
    assert first.status == 500 and "response_format" in (first.error or "")
    # ... and the next request asks for JSON mode with the schema attached, as a grammar.
    second = events[1]
    assert second.request["response_format"]["type"] == "json_object"
    assert second.request["response_format"]["schema"]["properties"]["criteria"]
    assert g.protocol.output_mode == "json_object" and g.protocol.attach_schema
    if result.method == "llm":  # the negotiation did not spend the grade's attempts
        assert result.usage.requests == len(events)


def test_a_grade_with_coaching_is_honest() -> None:
    # A budget well under the schema's longest reply keeps the test short: the model either
    # fits, or is cut off, asked again with more room, and falls back honestly.
    with grader(coaching=True, prompt="standard", output_mode="json_object", max_tokens=600) as g:
        result = g.grade(BANK, QUESTION, ANSWERS[1])
    assert_honest(result, ANSWERS[1])
    assert result.prompt_hash and result.prompt_hash.startswith("grade.zh@")


def test_a_reply_cut_at_the_length_limit_is_asked_again_with_more_room() -> None:
    events: list[ExchangeEvent] = []
    with grader(max_tokens=40, output_mode="json_object", on_exchange=events.append) as g:
        result = g.grade(BANK, QUESTION, ANSWERS[2])
    assert_honest(result, ANSWERS[2])
    sent = [e.request["max_tokens"] for e in events if e.status == 200]
    assert len(sent) == 2 and sent[1] > sent[0] == 40  # the re-ask had more room
    assert events[1].request["messages"][-1]["role"] == "user"  # and said what went wrong
    if result.method == "keyword":
        assert "length limit" in (result.fallback_reason or "")


def test_a_batch_at_two_in_flight_gives_every_answer_an_outcome() -> None:
    answers = [*ANSWERS, *(a + "谢谢。" for a in ANSWERS)]
    with grader(output_mode="json_object") as g:
        started = time.monotonic()
        outcomes = g.grade_many(
            [(BANK, QUESTION, a, f"a{i}") for i, a in enumerate(answers)], concurrency=2
        )
        took = time.monotonic() - started
    assert [o.id for o in outcomes] == [f"a{i}" for i in range(len(answers))]
    for outcome, answer in zip(outcomes, answers, strict=True):
        assert outcome.result is not None, outcome.error
        assert_honest(outcome.result, answer)
    print(f"\n{len(answers)} grades at 2 in flight: {took:.0f} s")


def test_the_cli_grades_against_the_server() -> None:
    run = run_cli(
        "grade",
        BANK,
        QUESTION,
        "--answer",
        ANSWERS[3],
        "--base-url",
        URL,
        "--model",
        MODEL,
        "--grade-only",
        "--prompt",
        "compact",
        "--output-mode",
        "json_object",
        "--request-timeout",
        "400",
        "--json",
        timeout=900,
    )
    assert run.returncode == 0, run.stderr
    result = coach.GradeResult.model_validate_json(run.stdout)
    assert_honest(result, ANSWERS[3])
    assert result.model == MODEL


def test_a_cached_grade_sends_nothing(tmp_path: Path) -> None:
    events: list[ExchangeEvent] = []
    cache = tmp_path / "replies.sqlite"
    with grader(output_mode="json_object", cache=cache, on_exchange=events.append) as g:
        first = g.grade(BANK, QUESTION, ANSWERS[4])
        sent = len(events)
        again = g.grade(BANK, QUESTION, ANSWERS[4])
    assert_honest(first, ANSWERS[4])
    assert_honest(again, ANSWERS[4])
    if first.method == "llm":  # only replies that verified are stored
        assert len(events) == sent  # the second grade sent no request
        assert again.cached and again.usage.requests == 0
        assert [c.points for c in again.criteria] == [c.points for c in first.criteria]
    else:
        assert not again.cached and len(events) > sent
