"""The loopback fake OpenAI server, exercised through the real openai SDK over real sockets."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx
import openai
import pytest
from openai.types.chat import ChatCompletion

from tests.llm.fake_openai import (
    FakeOpenAI,
    RawReply,
    Reply,
    Usage,
    connection_reset,
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
    tool_reply,
    unsupported_json_schema,
)

MESSAGES: Any = [{"role": "user", "content": "请给这个回答打分"}]


def make_client(server: FakeOpenAI, timeout: float = 5.0, **kwargs: Any) -> openai.OpenAI:
    return openai.OpenAI(
        api_key="test", base_url=server.base_url, max_retries=0, timeout=timeout, **kwargs
    )


def complete(server: FakeOpenAI, timeout: float = 5.0, **kwargs: Any) -> ChatCompletion:
    with make_client(server, timeout) as client:
        completion: ChatCompletion = client.chat.completions.create(
            model="gpt-test", messages=MESSAGES, **kwargs
        )
        return completion


# -- successful replies -----------------------------------------------------------------------


def test_scripted_content_parses_into_a_chat_completion(server: FakeOpenAI) -> None:
    server.push(json_reply({"score": 3, "理由": "完整"}, usage=Usage(11, 7)))
    completion = complete(server)
    assert isinstance(completion, ChatCompletion)
    assert completion.object == "chat.completion"
    assert completion.model == "gpt-test"
    choice = completion.choices[0]
    assert json.loads(choice.message.content or "") == {"score": 3, "理由": "完整"}
    assert choice.message.role == "assistant"
    assert choice.finish_reason == "stop"
    assert completion.usage is not None
    assert (completion.usage.prompt_tokens, completion.usage.completion_tokens) == (11, 7)
    assert completion.usage.total_tokens == 18


def test_default_usage_and_finish_reason_length(server: FakeOpenAI) -> None:
    server.push(reply("x" * 40, finish_reason="length"))
    completion = complete(server)
    assert completion.choices[0].finish_reason == "length"
    assert completion.usage is not None
    assert completion.usage.completion_tokens == 10
    assert completion.usage.total_tokens == completion.usage.prompt_tokens + 10


def test_tool_call_reply_parses(server: FakeOpenAI) -> None:
    server.push(tool_reply("grade", {"score": 2}))
    choice = complete(server).choices[0]
    assert choice.finish_reason == "tool_calls"
    assert choice.message.content is None
    calls = choice.message.tool_calls or []
    assert len(calls) == 1
    call = calls[0]
    assert call.type == "function"
    assert call.function.name == "grade"
    assert json.loads(call.function.arguments) == {"score": 2}
    assert call.id.startswith("call_")


def test_refusal_reply_parses(server: FakeOpenAI) -> None:
    server.push(refusal_reply("I can't help with that."))
    message = complete(server).choices[0].message
    assert message.content is None
    assert message.refusal == "I can't help with that."


def test_queue_plays_in_order_then_default(server: FakeOpenAI) -> None:
    server.default = reply("default")
    server.extend([reply("one"), reply("two")])
    server.push(reply("three"))
    with make_client(server) as client:
        contents = [
            client.chat.completions.create(model="m", messages=MESSAGES).choices[0].message.content
            for _ in range(5)
        ]
    assert contents == ["one", "two", "three", "default", "default"]
    assert server.pending == 0


def test_callable_default_sees_the_request(server: FakeOpenAI) -> None:
    def judge(request: dict[str, Any]) -> Reply:
        return json_reply({"echo": request["messages"][-1]["content"]})

    server.default = judge
    content = complete(server).choices[0].message.content or ""
    assert json.loads(content) == {"echo": "请给这个回答打分"}


def test_requests_are_recorded_with_json_bodies(server: FakeOpenAI) -> None:
    started = time.monotonic()
    complete(server, temperature=0, response_format={"type": "json_object"})
    (recorded,) = server.requests
    assert recorded.method == "POST"
    assert recorded.path == "/v1/chat/completions"
    assert recorded.headers["authorization"] == "Bearer test"
    assert recorded.headers["content-type"] == "application/json"
    assert recorded.body == {
        "model": "gpt-test",
        "messages": MESSAGES,
        "temperature": 0,
        "response_format": {"type": "json_object"},
    }
    assert json.loads(recorded.raw_body) == recorded.body
    assert started <= recorded.received_at <= time.monotonic()


def test_models_listing_and_404(server: FakeOpenAI) -> None:
    with make_client(server) as client:
        assert [m.id for m in client.models.list()] == ["gpt-fake"]
        with pytest.raises(openai.NotFoundError) as caught:
            client.embeddings.create(model="m", input="x")
    assert caught.value.body is not None
    assert "Invalid URL" in caught.value.message
    assert [r.path for r in server.requests] == ["/v1/models", "/v1/embeddings"]
    assert server.completion_requests == []


def test_legacy_httpx_client_works(server: FakeOpenAI) -> None:
    server.extend([reply("via httpx"), stall(5)])
    with make_client(server, timeout=0.3, http_client=httpx.Client()) as client:
        completion = client.chat.completions.create(model="m", messages=MESSAGES)
        assert completion.choices[0].message.content == "via httpx"
        with pytest.raises(openai.APITimeoutError):
            client.chat.completions.create(model="m", messages=MESSAGES)


def test_async_client_works(server: FakeOpenAI) -> None:
    server.default = lambda request: reply(request["messages"][0]["content"])
    server.push(rate_limited())

    async def run() -> list[str | None]:
        async with openai.AsyncOpenAI(
            api_key="test", base_url=server.base_url, max_retries=0, timeout=5
        ) as client:
            with pytest.raises(openai.RateLimitError):
                await client.chat.completions.create(model="m", messages=MESSAGES)
            replies = await asyncio.gather(
                *(
                    client.chat.completions.create(
                        model="m", messages=[{"role": "user", "content": str(i)}]
                    )
                    for i in range(4)
                )
            )
            return [r.choices[0].message.content for r in replies]

    assert asyncio.run(run()) == ["0", "1", "2", "3"]


def test_latency_delays_replies(server: FakeOpenAI) -> None:
    server.latency = 0.1
    server.push(reply("slow", latency=0.1))
    started = time.monotonic()
    complete(server)
    assert 0.2 <= time.monotonic() - started < 1.5


# -- HTTP errors ------------------------------------------------------------------------------


def test_rate_limit_with_retry_after(server: FakeOpenAI) -> None:
    server.push(rate_limited(retry_after=2, retry_after_ms=1500))
    with pytest.raises(openai.RateLimitError) as caught:
        complete(server)
    error = caught.value
    assert error.status_code == 429
    assert error.response.headers["retry-after"] == "2"
    assert error.response.headers["retry-after-ms"] == "1500"
    assert error.code == "rate_limit_exceeded"
    assert error.request_id is not None


def test_insufficient_quota_code_is_visible(server: FakeOpenAI) -> None:
    server.push(insufficient_quota())
    with pytest.raises(openai.RateLimitError) as caught:
        complete(server)
    error = caught.value
    assert error.code == "insufficient_quota"
    assert error.type == "insufficient_quota"
    assert isinstance(error.body, dict)
    assert error.body["code"] == "insufficient_quota"
    assert "retry-after" not in error.response.headers


def test_json_schema_rejection_is_a_bad_request(server: FakeOpenAI) -> None:
    server.push(unsupported_json_schema())
    with pytest.raises(openai.BadRequestError) as caught:
        complete(server)
    assert caught.value.param == "response_format"
    assert "json_schema" in caught.value.message


@pytest.mark.parametrize("status", [500, 503])
def test_server_errors(server: FakeOpenAI, status: int) -> None:
    server.push(server_error(status) if status == 500 else overloaded())
    with pytest.raises(openai.InternalServerError) as caught:
        complete(server)
    assert caught.value.status_code == status
    assert caught.value.type == "server_error"


def test_sdk_retries_then_succeeds(server: FakeOpenAI) -> None:
    server.extend([rate_limited(retry_after=None, retry_after_ms=10), reply("after retry")])
    with make_client(server).with_options(max_retries=1) as client:
        completion = client.chat.completions.create(model="m", messages=MESSAGES)
    assert completion.choices[0].message.content == "after retry"
    assert len(server.requests) == 2


# -- broken bodies ----------------------------------------------------------------------------


def test_malformed_json_on_200_raises_json_decode_error(server: FakeOpenAI) -> None:
    # The SDK does not wrap this one: a bare json.JSONDecodeError (a ValueError) escapes.
    server.push(malformed_json())
    with pytest.raises(json.JSONDecodeError):
        complete(server)


def test_wrong_shape_json_needs_strict_validation(server: FakeOpenAI) -> None:
    server.extend([RawReply('{"foo": 1}'), RawReply('{"foo": 1}')])
    assert complete(server).choices is None  # built without validation
    with (
        make_client(server, _strict_response_validation=True) as client,
        pytest.raises(openai.APIResponseValidationError),
    ):
        client.chat.completions.create(model="m", messages=MESSAGES)


def test_html_pages(server: FakeOpenAI) -> None:
    server.extend([html_error_page(502), RawReply("<html>ok</html>", content_type="text/html")])
    with pytest.raises(openai.InternalServerError) as caught:
        complete(server)
    assert caught.value.status_code == 502
    assert "502" in caught.value.response.text
    # A 200 non-JSON body comes back as a plain str, not a ChatCompletion.
    assert complete(server) == "<html>ok</html>"  # type: ignore[comparison-overlap]


# -- transport faults -------------------------------------------------------------------------


def test_stall_longer_than_timeout_raises_api_timeout_error(server: FakeOpenAI) -> None:
    server.push(stall(5))
    started = time.monotonic()
    with pytest.raises(openai.APITimeoutError):
        complete(server, timeout=0.3)
    assert time.monotonic() - started < 0.3 + 0.5


def test_stall_shorter_than_timeout_then_replies(server: FakeOpenAI) -> None:
    server.push(stall(0.1, then=reply("late")))
    assert complete(server).choices[0].message.content == "late"


def test_stopping_wakes_stalled_handlers() -> None:
    with FakeOpenAI(stall(30)) as fake:
        with pytest.raises(openai.APITimeoutError):
            complete(fake, timeout=0.2)
        fake.wait_for_requests(1)
        started = time.monotonic()
    assert time.monotonic() - started < 1.0


@pytest.mark.parametrize("step", [connection_reset(), partial_headers()], ids=["reset", "partial"])
def test_dropped_connections_raise_api_connection_error(server: FakeOpenAI, step: Any) -> None:
    server.extend([step, reply("recovered")])
    with make_client(server) as client:
        with pytest.raises(openai.APIConnectionError) as caught:
            client.chat.completions.create(model="m", messages=MESSAGES)
        assert not isinstance(caught.value, openai.APITimeoutError)
        completion = client.chat.completions.create(model="m", messages=MESSAGES)
    assert completion.choices[0].message.content == "recovered"


def test_server_stops_with_idle_keep_alive_connections() -> None:
    client: openai.OpenAI | None = None
    with FakeOpenAI() as fake:
        client = make_client(fake)
        client.chat.completions.create(model="m", messages=MESSAGES)
        started = time.monotonic()
    assert time.monotonic() - started < 1.0
    client.close()


# -- standalone server ------------------------------------------------------------------------


def test_standalone_server_serves_the_reply_file(tmp_path: Path) -> None:
    reply_file = tmp_path / "reply.json"
    reply_file.write_text('{"score": 5}', encoding="utf-8")
    script = Path(__file__).with_name("fake_openai.py")
    command = [sys.executable, str(script), "--port", "0", "--reply-file", str(reply_file)]
    with subprocess.Popen(command, stdout=subprocess.PIPE, text=True) as process:
        try:
            assert process.stdout is not None
            base_url = process.stdout.readline().strip()
            assert base_url.startswith("http://127.0.0.1:")
            with openai.OpenAI(api_key="t", base_url=base_url, max_retries=0, timeout=5) as client:
                completion = client.chat.completions.create(model="m", messages=MESSAGES)
            assert completion.choices[0].message.content == '{"score": 5}'
        finally:
            process.terminate()
        assert process.wait(timeout=5) == 0


def test_non_json_request_body_is_a_400_and_consumes_no_step(server: FakeOpenAI) -> None:
    server.push(reply("kept"))
    with httpx.Client(base_url=server.base_url, timeout=5) as http:
        response = http.post("/chat/completions", content=b"{not json")
    assert response.status_code == 400
    assert response.json()["error"]["type"] == "invalid_request_error"
    assert server.requests[0].body is None
    assert server.requests[0].raw_body == b"{not json"
    assert server.pending == 1
