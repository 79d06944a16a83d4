"""LLM grading end to end over real sockets: the library's own client against a loopback server.

These tests let `Grader` build its client from `base_url`, so the SDK's default transport
(httpx2 on openai 3.x, httpx on 2.x) is what runs.
"""

from __future__ import annotations

import asyncio
import json
import time
from pathlib import Path
from typing import Any

import pytest

import coach
from coach.llm.retry import RetryPolicy
from tests.cli.support import run_cli
from tests.llm.fake_openai import (
    FakeOpenAI,
    Reply,
    connection_reset,
    html_error_page,
    json_reply,
    malformed_json,
    rate_limited,
    server_error,
    stall,
    unsupported_json_schema,
)

ANSWER = (
    "账户冻结了，我会先安抚客户的情绪，告诉他别着急，并记录诉求。"
    "然后说明按银行规定需要审核，请他提供凭证，核实后再解冻。"
)


def good(question: coach.Question, answer: str = ANSWER, share: float = 1.0) -> dict[str, Any]:
    return {
        "criteria": {
            c.id: {
                "evidence": [answer[:10]],
                "rationale": "ok",
                "key_points": [],
                "points": c.points * share,
            }
            for c in question.criteria
        },
        "deductions": [],
        "strengths": [],
        "improvements": [],
    }


def grader(server: FakeOpenAI, **policy: Any) -> coach.Grader:
    policy.setdefault("backoff", 0.01)
    return coach.Grader(base_url=server.base_url, api_key="sk-test", policy=RetryPolicy(**policy))


def test_graded_over_a_real_socket(server: FakeOpenAI, mini: coach.Bank) -> None:
    server.push(json_reply(good(mini.question("atm"), share=0.5)))
    result = grader(server).grade(mini, "atm", ANSWER)
    assert (result.method, result.status, result.score) == ("llm", "graded", 6)
    [request] = server.completion_requests
    assert request.headers["authorization"] == "Bearer sk-test"
    assert request.body["response_format"]["type"] == "json_schema"


def test_a_stall_past_the_deadline_is_cut_within_a_second(
    server: FakeOpenAI, mini: coach.Bank
) -> None:
    server.default = stall(30)
    started = time.monotonic()
    result = grader(server, deadline=1.5, request_timeout=10).grade(mini, "atm", ANSWER)
    elapsed = time.monotonic() - started
    assert elapsed < 1.5 + 1.0
    assert result.status == "fallback"
    assert result.fallback_reason is not None and "deadline" in result.fallback_reason
    with pytest.raises(coach.DeadlineError):
        coach.Grader(
            mode="llm",
            base_url=server.base_url,
            policy=RetryPolicy(deadline=1.0, backoff=0.01),
        ).grade(mini, "atm", ANSWER)


def test_retry_after_longer_than_the_deadline_is_not_waited_for(
    server: FakeOpenAI, mini: coach.Bank
) -> None:
    server.default = rate_limited(retry_after=10)
    started = time.monotonic()
    result = grader(server, deadline=3, max_retry_after=10).grade(mini, "atm", ANSWER)
    assert time.monotonic() - started < 1.0
    assert result.status == "fallback" and len(server.completion_requests) == 1


def test_server_glitches_are_retried_then_graded(server: FakeOpenAI, mini: coach.Bank) -> None:
    server.extend(
        [
            connection_reset(),
            malformed_json(),
            html_error_page(200),
            json_reply(good(mini.question("atm"))),
        ]
    )
    result = grader(server, max_attempts=4).grade(mini, "atm", ANSWER)
    assert result.status == "graded"
    assert result.usage.requests == 4


@pytest.mark.parametrize(
    "fault",
    [connection_reset(), malformed_json(), server_error(502), rate_limited(retry_after_ms=10)],
)
def test_every_fault_ends_in_a_reasoned_fallback_within_three_requests(
    server: FakeOpenAI, mini: coach.Bank, fault: Any
) -> None:
    server.default = fault
    result = grader(server).grade(mini, "atm", ANSWER)
    assert result.status == "fallback" and result.method == "keyword"
    assert result.fallback_reason
    assert len(server.completion_requests) == 3
    assert result.score == coach.grade_offline(mini, "atm", ANSWER).score


def test_schema_rejection_degrades_once_per_grader(server: FakeOpenAI, mini: coach.Bank) -> None:
    server.push(unsupported_json_schema())
    server.default = json_reply(good(mini.question("atm")))
    g = grader(server)
    assert g.grade(mini, "atm", ANSWER).status == "graded"
    assert g.grade(mini, "atm", ANSWER).status == "graded"
    modes = [r.body["response_format"]["type"] for r in server.completion_requests]
    assert modes == ["json_schema", "json_object", "json_object"]


def test_async_grades_run_concurrently(server: FakeOpenAI, mini: coach.Bank) -> None:
    server.default = Reply(content=json.dumps(good(mini.question("atm"))), latency=0.3)

    async def many() -> list[coach.GradeResult]:
        async with grader(server) as g:
            return await asyncio.gather(*(g.agrade(mini, "atm", ANSWER) for _ in range(5)))

    started = time.monotonic()
    results = asyncio.run(many())
    assert time.monotonic() - started < 5 * 0.3
    assert all(r.status == "graded" for r in results)


# -- the CLI, as a user runs it -----------------------------------------------------------


def test_cli_grades_with_the_configured_server(
    server: FakeOpenAI, mini_path: Path, mini: coach.Bank
) -> None:
    server.default = json_reply(good(mini.question("atm"), share=0.5))
    env = {"OPENAI_BASE_URL": server.base_url, "OPENAI_API_KEY": "sk-cli"}
    done = run_cli("grade", str(mini_path), "atm", "--answer", ANSWER, "--json", env=env)
    assert done.returncode == 0, done.stderr
    result = coach.GradeResult.model_validate_json(done.stdout)
    assert (result.method, result.status, result.score) == ("llm", "graded", 6)
    assert server.completion_requests[0].headers["authorization"] == "Bearer sk-cli"

    shown = run_cli("grade", str(mini_path), "atm", "--answer", ANSWER, env=env)
    assert "[llm, graded]" in shown.stdout and "1 request(s)" in shown.stdout

    by_flag = run_cli(
        "grade",
        str(mini_path),
        "atm",
        "--answer",
        ANSWER,
        "--base-url",
        server.base_url,
        "--model",
        "qwen-plus",
        "--json",
        env={},
    )
    assert by_flag.returncode == 0, by_flag.stderr
    assert coach.GradeResult.model_validate_json(by_flag.stdout).model == "qwen-plus"
    assert server.completion_requests[-1].body["model"] == "qwen-plus"

    grade_only = run_cli(
        "grade", str(mini_path), "atm", "--answer", ANSWER, "--grade-only", "--json", env=env
    )
    assert grade_only.returncode == 0, grade_only.stderr
    schema = server.completion_requests[-1].body["response_format"]["json_schema"]["schema"]
    assert "improvements" not in schema["properties"]
    assert coach.GradeResult.model_validate_json(grade_only.stdout).improvements


def test_cli_offline_never_touches_the_server(server: FakeOpenAI, mini_path: Path) -> None:
    env = {"OPENAI_BASE_URL": server.base_url, "OPENAI_API_KEY": "sk-cli"}
    done = run_cli("grade", str(mini_path), "atm", "--answer", ANSWER, "--offline", env=env)
    assert done.returncode == 0 and "[keyword, graded]" in done.stdout
    assert server.requests == []


def test_cli_llm_mode_failure_is_one_line_and_exit_1(server: FakeOpenAI, mini_path: Path) -> None:
    server.default = server_error(500)
    env = {"OPENAI_BASE_URL": server.base_url}
    done = run_cli("grade", str(mini_path), "atm", "--answer", ANSWER, "--mode", "llm", env=env)
    assert done.returncode == 1
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("coach: error: ")
    assert "Traceback" not in done.stderr


def test_cli_fallback_is_shown_with_its_reason(server: FakeOpenAI, mini_path: Path) -> None:
    server.default = server_error(503)
    env = {"OPENAI_BASE_URL": server.base_url}
    done = run_cli("grade", str(mini_path), "atm", "--answer", ANSWER, env=env)
    assert done.returncode == 0
    assert "[keyword, fallback]" in done.stdout and "Fallback: " in done.stdout


def instance_of(schema: dict[str, Any]) -> Any:
    """The plainest value a schema admits: what a schema-driven fake judge sends back."""
    if "enum" in schema:
        return schema["enum"][0]
    kind = schema.get("type")
    if kind == "object":
        return {key: instance_of(sub) for key, sub in schema.get("properties", {}).items()}
    if kind == "array":
        return [instance_of(schema["items"])]
    if kind in ("number", "integer"):
        return schema.get("maximum", 1)
    if kind == "boolean":
        return True
    return "string"


def test_a_judge_that_only_follows_the_schema_gets_an_honest_result(
    server: FakeOpenAI, banks: list[coach.Bank]
) -> None:
    def judge(body: dict[str, Any]) -> Reply:
        schema = body["response_format"]["json_schema"]["schema"]
        return Reply(content=json.dumps(instance_of(schema)))

    server.default = judge
    g = grader(server)
    for bank in banks:
        question = bank.questions[0]
        result = g.grade(bank, question.id, question.model_answer)
        assert (result.method, result.status) == ("llm", "graded")
        assert 0 <= result.score <= result.max_score
        # "string" is nowhere in the answer: no criterion keeps its points.
        assert all(c.points == 0 for c in result.criteria)
        assert result.has_flag("unverified_evidence") and result.has_flag("needs_review")
        # Placeholder coaching is not passed on as advice.
        assert result.improved_answer is not None
        assert result.improved_answer.source == "model_answer"
        assert all(f.question != "string" for f in result.follow_up_questions)
    assert len(server.completion_requests) == len(banks)


def test_cli_cache_reuses_replies_and_clears(
    server: FakeOpenAI, mini_path: Path, mini: coach.Bank, tmp_path: Path
) -> None:
    server.default = json_reply(good(mini.question("atm"), share=0.5))
    env = {"OPENAI_BASE_URL": server.base_url, "OPENAI_API_KEY": "sk-cli"}
    cache = tmp_path / "cache.sqlite"
    args = ("grade", str(mini_path), "atm", "--answer", ANSWER, "--json", "--cache", str(cache))
    first = coach.GradeResult.model_validate_json(run_cli(*args, env=env).stdout)
    second = coach.GradeResult.model_validate_json(run_cli(*args, env=env).stdout)
    assert (first.cached, second.cached) == (False, True)
    assert len(server.completion_requests) == 1 and second.score == first.score
    assert "1 stored replies" in run_cli("cache", str(cache), env={}).stdout
    assert "cleared 1" in run_cli("cache", str(cache), "--clear", env={}).stdout
