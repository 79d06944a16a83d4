"""Helpers for LLM tests: OpenAI-shaped HTTP replies for respx, and clients that respx can see.

openai 3.x talks httpx2 by default, which respx cannot intercept, so every client here is given
an `httpx.Client`/`httpx.AsyncClient` explicitly; with openai 2.x that is the default anyway.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import httpx
import openai
import respx

import coach
from coach import testing
from coach.grading.core import Mode
from coach.llm.retry import RetryPolicy

BASE_URL = "https://llm.test/v1"
MODEL = "gpt-4o-mini"
FAST = RetryPolicy(backoff=0.001, max_backoff=0.01, deadline=10)  # no real waits in tests


def sync_client() -> openai.OpenAI:
    return openai.OpenAI(api_key="sk-test", base_url=BASE_URL, http_client=httpx.Client())


def async_client() -> openai.AsyncOpenAI:
    return openai.AsyncOpenAI(api_key="sk-test", base_url=BASE_URL, http_client=httpx.AsyncClient())


def completion_body(
    content: str | None = None,
    *,
    finish_reason: str = "stop",
    refusal: str | None = None,
    tool_arguments: str | None = None,
    usage: tuple[int, int] | Mapping[str, Any] | None = (500, 120),
) -> dict[str, Any]:
    """A chat completion as the SDK expects it: `coach.testing.completion`'s, from MODEL, with
    `usage` as (prompt, completion) tokens, as given (a mapping, for wrong shapes) or left out."""
    message: dict[str, Any] = {"refusal": refusal}
    if tool_arguments is not None:
        message["tool_calls"] = [
            {
                "id": "call_1",
                "type": "function",
                "function": {"name": "submit_grade", "arguments": tool_arguments},
            }
        ]
    reply = testing.completion(content, finish_reason=finish_reason, **message)
    body: dict[str, Any] = {**reply.json(), "model": MODEL}
    if usage is None:
        del body["usage"]
    elif isinstance(usage, tuple):
        body["usage"] = {
            "prompt_tokens": usage[0],
            "completion_tokens": usage[1],
            "total_tokens": sum(usage),
        }
    else:
        body["usage"] = dict(usage)
    return body


def completion(content: str | None = None, **options: Any) -> httpx.Response:
    """A 200 chat completion (the options of `completion_body`)."""
    return httpx.Response(200, json=completion_body(content, **options))


def error(
    status: int,
    message: str = "error",
    *,
    code: str | None = None,
    kind: str = "invalid_request_error",
    headers: dict[str, str] | None = None,
) -> httpx.Response:
    """An OpenAI-style error response."""
    body = {"error": {"message": message, "type": kind, "code": code, "param": None}}
    return httpx.Response(status, json=body, headers=headers)


def grade_json(question: coach.Question, answer: str, share: float = 1.0) -> str:
    """A reply that quotes `answer` and gives every criterion `share` of its points."""
    quote = answer[: min(len(answer), 12)]
    return json.dumps(
        {
            "criteria": {
                c.id: {
                    "evidence": [quote],
                    "rationale": f"{c.name}: ok",
                    "key_points": [kp.id for kp in c.key_points],
                    "points": c.points * share,
                }
                for c in question.criteria
            },
            "deductions": [],
            "strengths": [{"criterion_id": question.criteria[0].id, "text": "clear"}],
            "improvements": [
                {
                    "criterion_id": question.criteria[-1].id,
                    "key_point_id": question.criteria[-1].key_points[-1].id,
                    "text": "add an example",
                    "example": "比如这样说",
                }
            ],
            "follow_up_questions": ["如果客户坚持呢？"],
            "improved_answer": "改写后的回答",
        },
        ensure_ascii=False,
    )


def sent_messages(request: httpx.Request) -> list[dict[str, Any]]:
    return list(json.loads(request.content)["messages"])


def sent_body(request: httpx.Request) -> dict[str, Any]:
    return dict(json.loads(request.content))


def route(api: respx.MockRouter, *responses: httpx.Response) -> respx.Route:
    """The chat-completions route of `api`, answering with `responses` in turn."""
    return api.post("/chat/completions").mock(side_effect=list(responses))


def grader(mode: Mode = "auto", **kwargs: Any) -> coach.Grader:
    """A grader on a respx-visible client, with `FAST` retries unless a policy is given."""
    kwargs.setdefault("policy", FAST)
    return coach.Grader(mode=mode, client=sync_client(), **kwargs)
