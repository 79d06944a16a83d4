"""What a real server accepts, learned and set up front; the bounded reply schema; the compact
prompt; time limits from the environment; and the events every attempt reports.

The server's replies are mocked at the HTTP layer (respx), so the real openai SDK sends them.
"""

from __future__ import annotations

import argparse
import logging
from typing import Any

import pytest
import respx

import coach
from coach.cli.common import add_llm_options, llm_options
from coach.llm.prompts import load_templates
from coach.llm.reply_schema import (
    MAX_REPLY_TOKENS,
    longest_reply_tokens,
    output_schema,
    reply_token_budget,
    unbounded,
)
from coach.llm.retry import RetryPolicy
from tests.llm.support import completion, error, grade_json, grader, route, sent_body

ANSWER = "账户冻结了，我会先安抚客户的情绪，告诉他别着急，并记录诉求。然后说明按规定需要审核。"
# What llama-cpp-python's server answers to response_format json_schema (HTTP 500).
LLAMA_CPP_500 = (
    "1 validation error: {'type': 'literal_error', 'loc': ('body', 'response_format', 'type'), "
    "'msg': \"Input should be 'text' or 'json_object'\", 'input': 'json_schema'}"
)


def bodies(calls: respx.Route) -> list[dict[str, Any]]:
    return [sent_body(call.request) for call in calls.calls]


def strings_and_lists(schema: Any) -> list[dict[str, Any]]:
    """Every free-text string and every list in a JSON Schema."""
    found: list[dict[str, Any]] = []
    if isinstance(schema, dict):
        if schema.get("type") == "array" or (
            schema.get("type") == "string" and "enum" not in schema
        ):
            found.append(schema)
        for value in schema.values():
            found += strings_and_lists(value)
    elif isinstance(schema, list):
        for value in schema:
            found += strings_and_lists(value)
    return found


# -- negotiation --------------------------------------------------------------------------
def test_a_500_naming_response_format_steps_down_to_json_mode_with_the_schema_as_grammar(
    api: respx.MockRouter, mini: coach.Bank
) -> None:
    question = mini.question("atm")
    calls = route(api, error(500, LLAMA_CPP_500), completion(grade_json(question, ANSWER)))
    g = grader(policy=RetryPolicy(max_attempts=1, backoff=0.001, deadline=10))
    result = g.grade(mini, "atm", ANSWER)
    # One attempt allowed, yet graded: the request that only learned the protocol was free.
    assert (result.method, result.status, result.usage.requests) == ("llm", "graded", 2)
    first, second = bodies(calls)
    assert first["response_format"]["type"] == "json_schema"
    assert second["response_format"]["type"] == "json_object"
    assert second["response_format"]["schema"] == output_schema(question)
    assert (g.protocol.output_mode, g.protocol.attach_schema) == ("json_object", True)
    # The next grade goes straight to what worked.
    route(api, completion(grade_json(question, ANSWER)))
    assert g.grade(mini, "atm", ANSWER).usage.requests == 1


def test_a_500_that_names_no_feature_is_a_server_error_retried_as_before(
    api: respx.MockRouter, mini: coach.Bank
) -> None:
    question = mini.question("atm")
    calls = route(api, error(500, "out of memory"), completion(grade_json(question, ANSWER)))
    g = grader()
    assert g.grade(mini, "atm", ANSWER).status == "graded"
    assert [b["response_format"]["type"] for b in bodies(calls)] == ["json_schema"] * 2
    assert g.protocol.output_mode == "json_schema"


def test_json_mode_drops_a_rejected_schema_before_giving_up_json_mode(
    api: respx.MockRouter, mini: coach.Bank
) -> None:
    question = mini.question("atm")
    calls = route(
        api,
        error(400, "Invalid parameter: 'response_format.schema' is not permitted"),
        error(400, "response_format json_object is not supported by this model"),
        completion(None, tool_arguments=grade_json(question, ANSWER)),
    )
    g = grader(output_mode="json_object")
    assert g.grade(mini, "atm", ANSWER).status == "graded"
    sent = bodies(calls)
    assert "schema" in sent[0]["response_format"]
    assert sent[1]["response_format"] == {"type": "json_object"}
    assert sent[2]["tool_choice"]["function"]["name"] == "submit_grade"
    assert g.protocol.output_mode == "tools"


def test_the_output_mode_can_be_set_up_front(api: respx.MockRouter, mini: coach.Bank) -> None:
    question = mini.question("atm")
    calls = route(api, completion(None, tool_arguments=grade_json(question, ANSWER)))
    assert grader(output_mode="tools").grade(mini, "atm", ANSWER).status == "graded"
    body = bodies(calls)[0]
    assert "response_format" not in body and body["tools"][0]["function"]["name"]
    with pytest.raises(coach.ConfigError, match="output_mode"):
        coach.Grader(output_mode="xml")  # type: ignore[arg-type]
    with pytest.raises(coach.ConfigError, match="prompt"):
        coach.Grader(prompt="tiny")  # type: ignore[arg-type]


def test_a_prompt_over_the_context_window_switches_to_the_compact_prompt(
    api: respx.MockRouter, mini: coach.Bank
) -> None:
    question = mini.question("atm")
    calls = route(
        api,
        error(400, "Requested tokens (9120) exceed context window of 8192"),
        completion(grade_json(question, ANSWER)),
    )
    g = grader(policy=RetryPolicy(max_attempts=1, backoff=0.001, deadline=10))
    result = g.grade(mini, "atm", ANSWER)
    assert result.status == "graded" and g.protocol.prompt_style == "compact"
    first, second = bodies(calls)
    assert len(second["messages"][0]["content"]) < len(first["messages"][0]["content"]) / 2
    assert result.prompt_hash is not None and result.prompt_hash.startswith("grade.compact.zh@")


# -- the bounded schema -------------------------------------------------------------------
def test_every_string_and_list_of_the_reply_schema_is_bounded(banks: list[coach.Bank]) -> None:
    for bank in banks:
        for question in bank.questions:
            for coaching in (True, False):
                schema = output_schema(question, coaching=coaching)
                parts = strings_and_lists(schema)
                assert parts and all(("maxLength" in p) != ("maxItems" in p) for p in parts)
                assert not any(
                    "maxLength" in p or "maxItems" in p
                    for p in strings_and_lists(unbounded(schema))
                )
                assert 0 < reply_token_budget(schema) <= MAX_REPLY_TOKENS


def test_the_bounds_follow_the_rubric(mini: coach.Bank) -> None:
    question = mini.question("atm")
    schema = output_schema(question)
    criterion = question.criteria[0]
    entry = schema["properties"]["criteria"]["properties"][criterion.id]["properties"]
    assert entry["key_points"]["maxItems"] == len(criterion.key_points)
    assert schema["properties"]["strengths"]["maxItems"] == len(question.criteria)
    answer_bound = schema["properties"]["improved_answer"]["maxLength"]
    assert 150 <= answer_bound <= 500
    grade_only = output_schema(question, coaching=False)
    assert longest_reply_tokens(grade_only) < longest_reply_tokens(schema)


def test_max_tokens_is_the_longest_reply_the_schema_allows(
    api: respx.MockRouter, mini: coach.Bank
) -> None:
    question = mini.question("atm")
    calls = route(api, completion(grade_json(question, ANSWER)))
    grader(coaching=False).grade(mini, "atm", ANSWER)
    body = bodies(calls)[0]
    assert body["max_tokens"] == reply_token_budget(output_schema(question, coaching=False))
    # Strict mode gets the schema without the bounds that OpenAI's strict mode may reject.
    sent = body["response_format"]["json_schema"]["schema"]
    assert sent == unbounded(output_schema(question, coaching=False))


# -- the compact prompt -------------------------------------------------------------------
@pytest.mark.parametrize("language", ["zh", "en"])
def test_the_compact_prompt_is_short_and_keeps_no_marker_in_the_system_message(
    language: str,
) -> None:
    standard = load_templates(language)
    compact = load_templates(language, style="compact")
    assert len(compact.system) < len(standard.system) / 2
    assert "answer_open" not in compact.system  # the same system message for every request
    assert compact.user.count("{{answer_open}}") == 2  # the rule, then the answer itself
    assert compact.prompt_hash != standard.prompt_hash


def test_templates_must_say_what_the_markers_mean(tmp_path: Any) -> None:
    for role in ("system", "user"):
        text = load_templates("zh").__getattribute__(role)
        (tmp_path / f"grade.zh.{role}.txt").write_text(text, encoding="utf-8")
    system = (tmp_path / "grade.zh.system.txt").read_text(encoding="utf-8")
    lines = [line for line in system.splitlines() if "answer_open" not in line]
    (tmp_path / "grade.zh.system.txt").write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(coach.PromptError, match="only data"):
        coach.Grader(prompts_dir=tmp_path)


# -- time limits --------------------------------------------------------------------------
def test_time_limits_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COACH_DEADLINE", "900")
    monkeypatch.setenv("COACH_REQUEST_TIMEOUT", "400")
    policy = coach.Grader(mode="keyword").policy
    assert (policy.deadline, policy.request_timeout) == (900.0, 400.0)
    monkeypatch.setenv("COACH_REQUEST_TIMEOUT", "soon")
    with pytest.raises(coach.ConfigError, match="COACH_REQUEST_TIMEOUT"):
        coach.Grader(mode="keyword")
    monkeypatch.setenv("COACH_REQUEST_TIMEOUT", "-1")
    with pytest.raises(coach.ConfigError, match="positive"):
        coach.Grader(mode="keyword")


# -- events -------------------------------------------------------------------------------
def test_every_attempt_is_reported_to_the_hook_and_the_logger(
    api: respx.MockRouter, mini: coach.Bank, caplog: pytest.LogCaptureFixture
) -> None:
    question = mini.question("atm")
    route(api, error(500, LLAMA_CPP_500), completion(grade_json(question, ANSWER)))
    events: list[coach.ExchangeEvent] = []
    with caplog.at_level(logging.DEBUG, logger="coach.llm"):
        grader(on_exchange=events.append).grade(mini, "atm", ANSWER)
    assert [(e.attempt, e.status, e.ok) for e in events] == [(1, 500, False), (2, 200, True)]
    assert "response_format" in (events[0].error or "")
    assert events[1].usage == {"prompt_tokens": 500, "completion_tokens": 120, "total_tokens": 620}
    assert events[1].request["response_format"]["type"] == "json_object"
    assert all(e.latency_s >= 0 and e.model == "gpt-4o-mini" for e in events)
    logged = [r.getMessage() for r in caplog.records if r.name == "coach.llm"]
    assert len(logged) == 2 and "status 500" in logged[0] and "500 prompt" in logged[1]


def test_a_hook_that_raises_does_not_break_the_grade(
    api: respx.MockRouter, mini: coach.Bank, caplog: pytest.LogCaptureFixture
) -> None:
    route(api, completion(grade_json(mini.question("atm"), ANSWER)))

    def broken(event: coach.ExchangeEvent) -> None:
        raise RuntimeError("the tracer is down")

    result = grader(on_exchange=broken).grade(mini, "atm", ANSWER)
    assert result.status == "graded"
    assert any("on_exchange hook raised" in r.getMessage() for r in caplog.records)


def test_cli_time_options_set_the_policy(monkeypatch: pytest.MonkeyPatch) -> None:
    parser = argparse.ArgumentParser()
    add_llm_options(parser)
    monkeypatch.delenv("COACH_DEADLINE", raising=False)
    monkeypatch.delenv("COACH_REQUEST_TIMEOUT", raising=False)
    slow = llm_options(parser.parse_args(["--request-timeout", "300"]))["policy"]
    assert (slow.request_timeout, slow.deadline) == (300.0, 600.0)  # room for a re-ask
    both = llm_options(parser.parse_args(["--request-timeout", "300", "--deadline", "200"]))
    assert (both["policy"].request_timeout, both["policy"].deadline) == (300.0, 200.0)
    options = llm_options(parser.parse_args(["--output-mode", "tools", "--prompt", "compact"]))
    assert (options["output_mode"], options["prompt"]) == ("tools", "compact")
    with pytest.raises(SystemExit):
        parser.parse_args(["--deadline", "0"])
