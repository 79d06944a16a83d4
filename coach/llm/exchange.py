"""One LLM grade as a conversation: requests built, replies read, re-asks and protocol changes.

`Exchange` is the sans-IO core shared by the sync and async drivers: it builds each request's
JSON body, reads each completion into a `GradeReply`, and decides what a failure means. The
drivers only send (`coach.llm.send`, under tenacity), so `grade()` and `agrade()` behave the
same by construction.

The drivers send the body with the SDK's generic `client.post` (its documented way to reach any
endpoint) and take the reply's bytes, not `chat.completions.create`: the body is plain JSON
already, `create` walks every message through each member of its typed-parameter unions before
sending (about 0.6 ms of a 2.5 ms call here, 1 ms of an async one), and the `ChatCompletion` it
builds is read here as JSON anyway (0.25 ms more). Auth, base URL, Azure deployments, timeouts
and errors are the SDK's own either way; only instrumentation that patches `create` itself
does not see these requests. The async driver goes one step further for a plain
`AsyncOpenAI`: `DirectPost` sends through the client's own HTTP client, with the headers the
SDK would send and the errors it would raise, without the SDK's per-request machinery.

Structured output is asked for in the way `Protocol` has learned the server accepts.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, NamedTuple, NoReturn

from tenacity import retry_if_exception

from coach.llm.events import LOGGER, ExchangeEvent, ExchangeHook, emit, status_of
from coach.llm.prompts import PromptStyle
from coach.llm.protocol import OutputMode, Protocol
from coach.llm.reply import GradeReply, InvalidReply, parse_reply
from coach.llm.reply_schema import strict_schema
from coach.llm.retry import (
    Clock,
    ImmediateRetry,
    MalformedResponse,
    RetryPolicy,
    make_stop,
    make_wait,
    should_retry,
)
from coach.rubric.model import Question
from coach.text.tokens import count_tokens

if TYPE_CHECKING:
    import openai

TOOL_NAME = "submit_grade"
ENDPOINT = "/chat/completions"
MAX_REASK_TOKENS = 8192  # a reply cut at the length limit is re-asked with up to this many
MAX_ECHO = 4000  # characters of an invalid reply sent back in a re-ask
_REASK = {
    "zh": "你的上一条回复无法使用：{error}。请只输出完整、符合要求的 JSON 对象。",
    "en": "Your last reply could not be used: {error}. "
    "Reply again with the complete JSON object only.",
}
_BRIEF = {
    "zh": "回复因长度上限被截断；请把理由写得更简短。",
    "en": "the reply was cut off at the length limit; keep the rationales shorter",
}


class Request(NamedTuple):
    """One chat-completions request: its whole JSON body, and how long it may take."""

    body: dict[str, Any]
    timeout: float

    @property
    def options(self) -> openai.RequestOptions:
        return {"timeout": self.timeout}


class Refused(Exception):
    """The model refused, or a content filter stopped the reply; never retried."""


@dataclass
class Spend:
    """Requests and tokens of one grade, summed over every attempt."""

    requests: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    estimated: bool = False


@dataclass
class Exchange:
    """The state of one grade's conversation with the model."""

    model: str
    language: str
    question: Question
    schema: dict[str, Any]  # the reply's JSON Schema (`output_schema(question)`), never mutated
    user: str  # the rendered user message
    # (output schema or None, prompt style) -> (system message, prompt hash)
    render_system: Callable[[dict[str, Any] | None, PromptStyle], tuple[str, str]]
    protocol: Protocol
    policy: RetryPolicy
    temperature: float | None
    max_tokens: int
    extra_body: dict[str, Any] = field(default_factory=dict)  # the caller's extra JSON fields
    spend: Spend = field(default_factory=Spend)
    followups: list[dict[str, Any]] = field(default_factory=list)  # re-ask turns
    reasks: int = 0
    negotiations: int = 0  # requests that only taught the protocol; free of `max_attempts`
    last_error: BaseException | str | None = None
    clock: Clock | None = None
    prompt_text: str = ""  # what the last request sent, for token estimates
    prompt_hash: str = ""
    reply: GradeReply | None = None  # the reply that verified
    on_exchange: ExchangeHook | None = None  # told of every attempt

    def __post_init__(self) -> None:
        self.clock = Clock(self.policy.deadline)

    # -- requests -------------------------------------------------------------------------
    def request(self) -> Request:
        """The JSON body and timeout of the next attempt's chat-completions request."""
        assert self.clock is not None
        remaining = self.clock.remaining()
        if remaining <= 0:
            raise TimeoutError("deadline")
        mode = self.protocol.output_mode
        # A small model writes better-formed replies with the schema in the prompt even where
        # the server enforces it as a grammar; only strict json_schema mode leaves it out.
        written = None if mode == "json_schema" else self.schema
        system, self.prompt_hash = self.render_system(written, self.protocol.prompt_style)
        body: dict[str, Any] = {
            "model": self.model,
            "messages": [
                {"role": "system", "content": system},
                {"role": "user", "content": self.user},
                *self.followups,
            ],
            self.protocol.token_param: self.max_tokens,
        }
        if self.temperature is not None and self.protocol.send_temperature:
            body["temperature"] = self.temperature
        body.update(self.extra_body)  # the caller's fields win, as `extra_body` does in the SDK,
        body.update(self._structured(mode))  # except over how the reply is structured
        self.spend.requests += 1
        self.prompt_text = system + self.user + "".join(str(m["content"]) for m in self.followups)
        return Request(body, min(self.policy.request_timeout, remaining))

    def _structured(self, mode: OutputMode) -> dict[str, Any]:
        """The request fields that ask for a reply in `mode`."""
        if mode == "json_schema":
            strict = {"name": "grade", "strict": True, "schema": strict_schema(self.schema)}
            return {"response_format": {"type": "json_schema", "json_schema": strict}}
        if mode == "json_object":
            if self.protocol.attach_schema:
                return {"response_format": {"type": "json_object", "schema": self.schema}}
            return {"response_format": {"type": "json_object"}}
        tool = {
            "name": TOOL_NAME,
            "description": "Submit the grade of the answer.",
            "parameters": self.schema,
        }
        return {
            "tools": [{"type": "function", "function": tool}],
            "tool_choice": {"type": "function", "function": {"name": TOOL_NAME}},
        }

    # -- replies --------------------------------------------------------------------------
    def _count(self, completion: Any, text: str) -> None:
        usage = _field(completion, "usage")
        # The SDK does not validate bodies: a server's usage may hold strings, negatives or
        # absurd numbers, which used to crash the sum or the cost estimate. Such counts are
        # not trusted; the tokens are estimated instead.
        prompt_tokens = _token_count(_field(usage, "prompt_tokens"))
        completion_tokens = _token_count(_field(usage, "completion_tokens") or 0)
        if prompt_tokens is not None and completion_tokens is not None:
            self.spend.prompt_tokens += prompt_tokens
            self.spend.completion_tokens += completion_tokens
            return
        prompt = count_tokens(self.prompt_text, self.model)
        reply = count_tokens(text, self.model)
        self.spend.prompt_tokens += prompt.tokens
        self.spend.completion_tokens += reply.tokens
        self.spend.estimated = True

    def malformed(self, what: str) -> MalformedResponse:
        """Record a reply that is not a chat completion; the caller raises it (a retry)."""
        error = MalformedResponse(what)
        self.last_error = error
        return error

    def decode(self, body: bytes) -> Any:
        """A 200 response's body as JSON; a body that is not is a malformed reply (retried)."""
        try:
            return json.loads(body)
        except (ValueError, RecursionError) as exc:
            raise self.malformed(_undecodable(exc)) from exc

    def accept(self, completion: Any) -> GradeReply:
        """The grade in `completion` (a chat completion as decoded JSON); raises `Refused`, or
        `ImmediateRetry` for a re-ask."""
        # Servers send JSON of every shape (choices an object, message a string, content a
        # number); anything but a chat completion is a malformed response (retried).
        kind = type(completion).__name__
        choices = _field(completion, "choices")
        if not isinstance(choices, list) or not choices:
            raise self.malformed(f"the server's reply is not a chat completion ({kind})")
        choice = choices[0]
        message = _field(choice, "message")
        if not isinstance(message, dict):
            raise self.malformed(f"the server's reply is not a chat completion ({kind})")
        content = message.get("content")
        if content is not None and not isinstance(content, str):
            what = type(content).__name__
            raise self.malformed(f"the server's reply has no text content ({what})")
        text = content or ""
        calls = message.get("tool_calls")
        for call in calls if isinstance(calls, list) else ():
            function = _field(call, "function")
            if _field(function, "name") == TOOL_NAME:
                arguments = _field(function, "arguments")
                if isinstance(arguments, (dict, list)):  # a server that sent an object
                    arguments = json.dumps(arguments, ensure_ascii=False)
                text = arguments if isinstance(arguments, str) else ""
                break
        self._count(completion, text)
        refusal = message.get("refusal")
        if refusal:
            raise Refused(f"the model refused to grade: {str(refusal)[:200]}")
        finish_reason = _field(choice, "finish_reason")
        if finish_reason == "content_filter":
            raise Refused("a content filter stopped the model's reply")
        if finish_reason == "length":
            cut = f"the reply was cut off at the length limit ({self.max_tokens} tokens)"
            self.max_tokens = max(
                self.max_tokens, min(int(self.max_tokens * 1.5), MAX_REASK_TOKENS)
            )
            self._reask(text, _BRIEF.get(self.language, _BRIEF["en"]), why=cut)
        try:
            return parse_reply(text)
        except InvalidReply as exc:
            self._reask(text, str(exc))

    def check(self, reply: GradeReply, verify: Any) -> Any:
        """Run `verify(reply)`; a reply it rejects is re-asked like an unreadable one."""
        try:
            verified = verify(reply)
        except InvalidReply as exc:
            echo = json.dumps(reply.model_dump(), ensure_ascii=False)
            self._reask(echo, str(exc))
        self.reply = reply
        return verified

    def _reask(self, text: str, error: str, why: str | None = None) -> NoReturn:
        """Ask again with `error` (sent to the model); `why` is what a person is told."""
        self.last_error = why or error
        if self.reasks >= self.policy.max_reasks:
            raise InvalidReply(why or error)
        self.reasks += 1
        template = _REASK.get(self.language, _REASK["en"])
        self.followups += [
            {"role": "assistant", "content": text[:MAX_ECHO] or "(empty)"},
            {"role": "user", "content": template.format(error=error)},
        ]
        raise ImmediateRetry(error)

    def received(self, request: Request, started: float, body: bytes) -> Any:
        """A response's body decoded, and the attempt reported to the hook."""
        try:
            completion = self.decode(body)
        except MalformedResponse as exc:
            self._report(request, started, 200, None, str(exc))
            raise
        usage = _field(completion, "usage")
        self._report(request, started, 200, usage if isinstance(usage, dict) else None, None)
        return completion

    def failed(self, request: Request, started: float, exc: openai.APIError) -> None:
        """A request that got no completion: reported, then `adapt`ed to."""
        self._report(request, started, status_of(exc), None, f"{type(exc).__name__}: {exc}")
        self.adapt(exc)

    def _report(
        self,
        request: Request,
        started: float,
        status: int | None,
        usage: dict[str, Any] | None,
        error: str | None,
    ) -> None:
        if self.on_exchange is None and not LOGGER.isEnabledFor(logging.DEBUG):
            return
        latency = time.perf_counter() - started
        event = ExchangeEvent(
            self.model, self.spend.requests, request.body, status, usage, latency, error
        )
        emit(self.on_exchange, event)

    def adapt(self, exc: BaseException) -> None:
        """After a failed request: retry at once if the server only rejected a feature."""
        import openai  # loaded here, not at import: offline grading never loads the SDK

        self.last_error = exc
        if isinstance(exc, openai.APIStatusError) and self.protocol.adapt(exc):
            self.negotiations += 1
            raise ImmediateRetry(str(exc)) from exc

    # -- retry loop ---------------------------------------------------------------------
    def retry_kwargs(self) -> dict[str, Any]:
        assert self.clock is not None
        return {
            "retry": retry_if_exception(
                lambda e: isinstance(e, ImmediateRetry) or should_retry(e, self.policy)
            ),
            "wait": make_wait(self.policy),
            "stop": make_stop(self.policy, self.clock, free=lambda: self.negotiations),
            "reraise": True,
        }


MAX_TOKEN_COUNT = 10**9  # more tokens than any one request can use: a bogus usage count


def _token_count(value: Any) -> int | None:
    """A usage count the server sent, or None when it is not a plausible token count."""
    if isinstance(value, bool) or not isinstance(value, int):
        return None
    return value if 0 <= value <= MAX_TOKEN_COUNT else None


def _field(data: Any, name: str) -> Any:
    """`data[name]` when `data` is a JSON object, else None."""
    return data.get(name) if isinstance(data, dict) else None


def _undecodable(exc: BaseException) -> str:
    """Why the body of a 200 could not be decoded, for `MalformedResponse`.

    `json.loads` raises `JSONDecodeError` on broken JSON, but a plain ValueError on an integer
    longer than int_max_str_digits (and `UnicodeDecodeError` on bytes that are not UTF-8) and
    RecursionError on deep nesting; each is a malformed reply, retried, never a crash.
    """
    if isinstance(exc, json.JSONDecodeError):
        return f"the server's reply is not JSON ({exc.msg})"
    return f"the server's reply is not usable JSON ({type(exc).__name__}: {str(exc)[:100]})"
