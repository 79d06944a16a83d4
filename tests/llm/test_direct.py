"""Requests posted straight through an OpenAI client's HTTP client (`coach.llm.direct`):
the same request on the wire as the SDK's `post`, the SDK's errors, the SDK's way for clients
it cannot stand in for, and the same grades either way."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from typing import Any

import httpx
import openai
import pytest
import respx

import coach
from coach.llm.direct import DirectPost, direct_post
from coach.llm.exchange import ENDPOINT
from coach.llm.reply_schema import output_schema, strict_schema
from tests.llm.fake_openai import FakeOpenAI, connection_reset, json_reply, rate_limited
from tests.llm.support import BASE_URL, async_client, completion_body, error, sync_client

BODY = {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "评分：沟通"}]}


async def sdk_post(client: openai.AsyncOpenAI) -> bytes:
    return await client.post(ENDPOINT, body=BODY, cast_to=bytes, options={"timeout": 12.5})


async def direct_send(client: openai.AsyncOpenAI) -> bytes:
    sender = direct_post(client, ENDPOINT)
    assert sender is not None
    return await sender.post(BODY, 12.5)


SENDERS = {"sdk": sdk_post, "direct": direct_send}


def sent(
    send: Callable[[openai.AsyncOpenAI], Any], response: httpx.Response | Exception
) -> tuple[httpx.Request, bytes | BaseException]:
    """The request `send` put on the wire, and what it returned or raised."""

    async def run() -> bytes | BaseException:
        client = async_client().with_options(max_retries=0)
        try:
            return await send(client)  # type: ignore[no-any-return]
        except Exception as exc:
            return exc
        finally:
            await client.close()

    with respx.mock(base_url=BASE_URL, assert_all_called=False) as api:
        route = api.post("/chat/completions").mock(side_effect=[response])
        outcome = asyncio.run(run())
        return route.calls.last.request, outcome


def sent_sync(direct: bool, response: httpx.Response | Exception) -> tuple[httpx.Request, Any]:
    """`sent` through a sync client: its `post_sync`, or the SDK's `post`."""
    client = sync_client().with_options(max_retries=0)
    with respx.mock(base_url=BASE_URL, assert_all_called=False) as api:
        route = api.post("/chat/completions").mock(side_effect=[response])
        try:
            if direct:
                sender = direct_post(client, ENDPOINT)
                assert sender is not None
                outcome: Any = sender.post_sync(BODY, 12.5)
            else:
                outcome = client.post(ENDPOINT, body=BODY, cast_to=bytes, options={"timeout": 12.5})
        except Exception as exc:
            outcome = exc
        finally:
            client.close()
        return route.calls.last.request, outcome


def sides(kind: str, response: httpx.Response | Exception) -> tuple[tuple[Any, Any], ...]:
    """(request, outcome) of the direct post and of the SDK's, with an async or a sync client."""
    if kind == "sync":
        return sent_sync(True, response), sent_sync(False, response)
    return sent(direct_send, response), sent(sdk_post, response)


@pytest.mark.parametrize("kind", ["async", "sync"])
def test_the_request_on_the_wire_is_the_sdks(kind: str) -> None:
    reply = httpx.Response(200, json=completion_body("{}"))
    (ours, got), (theirs, expected) = sides(kind, reply)
    assert got == expected == reply.content
    assert str(ours.url) == str(theirs.url) == f"{BASE_URL}/chat/completions"
    assert ours.content == theirs.content  # the same JSON bytes
    assert json.loads(ours.content) == BODY
    assert dict(ours.headers) == dict(theirs.headers)
    assert ours.headers["authorization"] == "Bearer sk-test"
    assert ours.headers["x-stainless-read-timeout"] == "12.5"
    assert ours.extensions["timeout"] == theirs.extensions["timeout"]


@pytest.mark.parametrize(
    ("response", "kind"),
    [
        (error(429, "slow down", code="rate_limit_exceeded"), openai.RateLimitError),
        (error(400, "bad schema", code="invalid_json_schema"), openai.BadRequestError),
        (httpx.Response(503, text="<html>busy</html>"), openai.InternalServerError),
        (httpx.Response(302, headers={"location": "/elsewhere"}), openai.APIStatusError),
        (httpx.ConnectError("refused"), openai.APIConnectionError),
        (httpx.ReadTimeout("slow"), openai.APITimeoutError),
    ],
    ids=["429", "400", "503-html", "302", "connect", "timeout"],
)
@pytest.mark.parametrize("client", ["async", "sync"])
def test_failures_raise_the_sdks_errors(response: Any, kind: type[Exception], client: str) -> None:
    (_, ours), (_, theirs) = sides(client, response)
    assert type(ours) is type(theirs)
    assert isinstance(ours, kind)
    assert str(ours) == str(theirs)
    if isinstance(ours, openai.APIStatusError):
        assert isinstance(theirs, openai.APIStatusError)
        assert (ours.status_code, ours.body, ours.code) == (
            theirs.status_code,
            theirs.body,
            theirs.code,
        )


@pytest.mark.parametrize(
    "http",
    [
        httpx.Client(),
        httpx.AsyncClient(
            headers={"X-Team": "a", "X-Stainless-Read-Timeout": "1", "Authorization": "no"},
            cookies={"session": "s1"},
        ),
        httpx.Client(params={"tenant": "t"}),
    ],
    ids=["plain", "headers-cookies", "params"],
)
def test_requests_are_built_as_the_http_client_builds_them(http: Any) -> None:
    """The URL, headers (in order), cookies, body and timeout of `build_request`, also after
    the HTTP client's headers and cookies change."""
    kind = openai.AsyncOpenAI if isinstance(http, httpx.AsyncClient) else openai.OpenAI
    client = kind(api_key="k", base_url=BASE_URL, http_client=http)
    sender = direct_post(client, ENDPOINT)
    assert sender is not None

    def same(timeout: float) -> None:
        ours = sender._request(BODY, timeout)
        headers = {**sender._headers, "x-stainless-read-timeout": str(timeout)}
        content = json.dumps(BODY, ensure_ascii=False, separators=(",", ":")).encode()
        theirs = http.build_request(
            "POST", sender._url, headers=headers, content=content, timeout=timeout
        )
        assert (ours.method, ours.url, ours.headers.raw) == (
            theirs.method,
            theirs.url,
            theirs.headers.raw,
        )
        assert (ours.content, ours.extensions) == (theirs.content, theirs.extensions)

    same(12.5)
    same(3.0)
    http.headers["X-Team"] = "b"
    http.cookies.set("late", "l")
    same(12.5)
    http.headers = {"Accept": "text/plain"}
    same(7.0)


def plain() -> openai.AsyncOpenAI:
    return openai.AsyncOpenAI(api_key="k", base_url=BASE_URL)


async def fixed_key() -> str:
    return "k"


@pytest.mark.parametrize(
    ("build", "direct"),
    [
        (plain, True),
        (lambda: plain().with_options(max_retries=0), True),
        (lambda: openai.OpenAI(api_key="k", base_url=BASE_URL), True),
        (
            lambda: openai.AzureOpenAI(
                api_key="k", azure_endpoint="https://x.test", api_version="2024-06-01"
            ),
            False,
        ),
        (lambda: openai.AsyncOpenAI(api_key=fixed_key, base_url=BASE_URL), False),
        (lambda: openai.AsyncOpenAI(api_key="k", base_url=f"{BASE_URL}?tenant=a"), False),
        (
            lambda: openai.AsyncOpenAI(api_key="k", base_url=BASE_URL, default_query={"a": "1"}),
            False,
        ),
        (
            lambda: openai.AsyncAzureOpenAI(
                api_key="k", azure_endpoint="https://x.test", api_version="2024-06-01"
            ),
            False,
        ),
    ],
    ids=[
        "plain",
        "with-options",
        "sync",
        "sync-azure",
        "key-provider",
        "url-query",
        "default-query",
        "azure",
    ],
)
def test_only_plain_clients_are_posted_to_directly(
    build: Callable[[], openai.AsyncOpenAI], direct: bool
) -> None:
    client = build()
    assert isinstance(direct_post(client, ENDPOINT), DirectPost) is direct
    assert direct_post(client, ENDPOINT) is direct_post(client, ENDPOINT)  # built once


def batch(server: FakeOpenAI, answers: list[str]) -> list[coach.BatchResult]:
    with coach.Grader(base_url=server.base_url, api_key="x", mode="auto") as grader:
        return grader.grade_many(
            [("finance-cs-manager", "s2", a) for a in answers], concurrency=1, progress=False
        )


def test_a_batch_grades_the_same_either_way(
    server: FakeOpenAI, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The loopback server answers every request with a valid grade; a scripted 429 and a
    dropped connection on the way are retried the same. The results are equal, whether the
    requests went straight through httpx or through the SDK's `post`."""
    bank = coach.load_bank("finance-cs-manager")
    question = bank.question("s2")
    answers = [
        question.model_answer,
        question.model_answer[:80],
        "先安抚客户，再核实身份和冻结原因。",
    ]
    quote = question.model_answer[:12]
    reply = {
        "criteria": {
            c.id: {
                "evidence": [quote],
                "rationale": "ok",
                "key_points": [c.key_points[0].id],
                "points": c.points / 2,
            }
            for c in question.criteria
        },
        "deductions": [],
        "strengths": [],
        "improvements": [],
        "follow_up_questions": [],
        "improved_answer": "",
    }
    posted: list[int] = []
    original = DirectPost.post

    async def counted(self: DirectPost, body: dict[str, Any], timeout: float) -> bytes:
        posted.append(1)
        return await original(self, body, timeout)

    monkeypatch.setattr(DirectPost, "post", counted)

    def run() -> list[dict[str, Any]]:
        server.default = json_reply(reply)
        server.extend([rate_limited(0.01), connection_reset()])
        return [r.model_dump(mode="json") for r in batch(server, answers)]

    straight = run()
    assert len(posted) == len(answers) + 2  # every request, the retried ones too
    monkeypatch.setattr("coach.llm.send.direct_post", lambda client, endpoint: None)
    through_sdk = run()
    assert len(posted) == len(answers) + 2  # no more direct posts
    assert straight == through_sdk
    assert all(r["result"]["method"] == "llm" for r in straight)
    assert [r["result"]["usage"]["requests"] for r in straight] == [3, 1, 1]


def test_a_reply_schema_encoded_once_sends_the_sdks_bytes() -> None:
    """The reply schema is encoded once per schema object; every body still goes out as the
    SDK's `post` would send it, also when the fields around that schema change, and a body
    whose response format is not last, or is no JSON schema, is encoded whole."""
    question = coach.load_bank("finance-cs-manager").question("s2")
    schema = strict_schema(output_schema(question))

    def fmt(name: str) -> dict[str, Any]:
        inner = {"name": name, "strict": True, "schema": schema}
        return {"type": "json_schema", "json_schema": inner}

    bodies = [
        {**BODY, "temperature": 0, "response_format": fmt("grade")},
        {**BODY, "temperature": 0.7, "response_format": fmt("grade")},  # from the table
        {**BODY, "response_format": fmt("other")},  # the same schema under another name
        {"response_format": fmt("grade"), **BODY},  # not last
        {**BODY, "response_format": {"type": "json_object"}},
    ]

    async def run() -> tuple[list[bytes], list[bytes]]:
        client = async_client().with_options(max_retries=0)
        sender = direct_post(client, ENDPOINT)
        assert sender is not None
        ours, theirs = [], []
        with respx.mock(base_url=BASE_URL) as api:
            route = api.post("/chat/completions").mock(
                return_value=httpx.Response(200, json=completion_body("{}"))
            )
            for body in bodies:
                await sender.post(body, 12.5)
                ours.append(route.calls.last.request.content)
                await client.post(ENDPOINT, body=body, cast_to=bytes, options={"timeout": 12.5})
                theirs.append(route.calls.last.request.content)
        await client.close()
        return ours, theirs

    ours, theirs = asyncio.run(run())
    assert ours == theirs
    assert [json.loads(sent) for sent in ours] == bodies
    assert json.loads(ours[2])["response_format"]["json_schema"]["name"] == "other"
