"""A loopback fake of the OpenAI Chat Completions API, for end-to-end and fault-injection tests.

Standard library only. Use it as a context manager::

    with FakeOpenAI() as server:
        server.push(json_reply({"score": 3}))
        server.push(rate_limited(retry_after=2))
        client = openai.OpenAI(api_key="test", base_url=server.base_url, max_retries=0)
        ...
        assert server.requests[0].body["model"] == "gpt-test"

`POST /v1/chat/completions` plays the next scripted step (`push` / `extend`); when the queue is
empty it plays `server.default`, which may be a step or a callable `(request_json) -> step`.
`GET /v1/models` lists `server.models`; anything else gets an OpenAI-style 404.

Steps: `Reply` (a completion), `ErrorReply` (an HTTP error with an OpenAI error body), `RawReply`
(any bytes), `Stall` (wait, then play another step) and `Reset` (drop the connection). The
lower-case functions below build the common cases.

Run as a standalone server (for CLI subprocess tests); it prints its base URL on the first line:

    python tests/llm/fake_openai.py --port 0 --reply-file reply.json
"""

from __future__ import annotations

import argparse
import contextlib
import itertools
import json
import signal
import socket
import struct
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, TypeAlias

__all__ = [
    "ErrorReply",
    "FakeOpenAI",
    "RawReply",
    "RecordedRequest",
    "Reply",
    "Reset",
    "Stall",
    "Step",
    "ToolCall",
    "Usage",
    "connection_reset",
    "error_reply",
    "html_error_page",
    "insufficient_quota",
    "json_reply",
    "malformed_json",
    "overloaded",
    "partial_headers",
    "rate_limited",
    "refusal_reply",
    "reply",
    "server_error",
    "stall",
    "tool_reply",
    "unsupported_json_schema",
]

# --------------------------------------------------------------------------------------------
# Steps
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Usage:
    prompt_tokens: int
    completion_tokens: int

    @property
    def total_tokens(self) -> int:
        return self.prompt_tokens + self.completion_tokens


@dataclass(frozen=True)
class ToolCall:
    """One function tool call in an assistant message; `arguments` is the raw JSON text."""

    name: str
    arguments: str
    id: str | None = None  # default: "call_<n>"


@dataclass(frozen=True)
class Reply:
    """A 200 `chat.completion` whose single choice carries this assistant message."""

    content: str | None = ""
    finish_reason: str = "stop"
    refusal: str | None = None
    tool_calls: tuple[ToolCall, ...] = ()
    usage: Usage | None = None  # default: roughly len(text) / 4 tokens each way
    model: str | None = None  # default: echo the request's model
    latency: float = 0.0


@dataclass(frozen=True)
class ErrorReply:
    """An HTTP error with the body `{"error": {"message", "type", "code", "param"}}`."""

    status: int
    message: str
    type: str = "invalid_request_error"
    code: str | None = None
    param: str | None = None
    headers: Mapping[str, str] = field(default_factory=dict)
    latency: float = 0.0


@dataclass(frozen=True)
class RawReply:
    """Any body, sent as is with a correct Content-Length (malformed JSON, HTML pages...)."""

    body: bytes | str
    status: int = 200
    content_type: str = "application/json"
    headers: Mapping[str, str] = field(default_factory=dict)
    latency: float = 0.0


@dataclass(frozen=True)
class Stall:
    """Wait `seconds` (woken early when the server stops), then play `then`."""

    seconds: float
    then: Step | None = None  # default: reply("{}")
    latency: float = 0.0


@dataclass(frozen=True)
class Reset:
    """Drop the connection with a TCP reset (SO_LINGER 0) instead of answering.

    With `partial_headers=True`, first send a status line and one header, then reset.
    """

    partial_headers: bool = False
    latency: float = 0.0


Step: TypeAlias = Reply | ErrorReply | RawReply | Stall | Reset
StepSource: TypeAlias = Step | Callable[[dict[str, Any]], Step]


def reply(content: str, **kwargs: Any) -> Reply:
    return Reply(content=content, **kwargs)


def json_reply(obj: Any, **kwargs: Any) -> Reply:
    """A completion whose content is `obj` as JSON text (non-ASCII kept as is)."""
    return Reply(content=json.dumps(obj, ensure_ascii=False), **kwargs)


def tool_reply(name: str, arguments: str | Mapping[str, Any], **kwargs: Any) -> Reply:
    if not isinstance(arguments, str):
        arguments = json.dumps(arguments, ensure_ascii=False)
    kwargs.setdefault("finish_reason", "tool_calls")
    return Reply(content=None, tool_calls=(ToolCall(name, arguments),), **kwargs)


def refusal_reply(refusal: str, **kwargs: Any) -> Reply:
    return Reply(content=None, refusal=refusal, **kwargs)


def error_reply(status: int, message: str, **kwargs: Any) -> ErrorReply:
    return ErrorReply(status=status, message=message, **kwargs)


def rate_limited(retry_after: float | None = 2, retry_after_ms: int | None = None) -> ErrorReply:
    headers = {}
    if retry_after is not None:
        headers["Retry-After"] = f"{retry_after:g}"
    if retry_after_ms is not None:
        headers["retry-after-ms"] = str(retry_after_ms)
    return ErrorReply(
        429,
        "Rate limit reached for requests. Please try again later.",
        type="requests",
        code="rate_limit_exceeded",
        headers=headers,
    )


def insufficient_quota() -> ErrorReply:
    return ErrorReply(
        429,
        "You exceeded your current quota, please check your plan and billing details.",
        type="insufficient_quota",
        code="insufficient_quota",
    )


def unsupported_json_schema() -> ErrorReply:
    return ErrorReply(
        400,
        "Invalid parameter: 'response_format' of type 'json_schema' is not supported with this "
        "model.",
        type="invalid_request_error",
        code=None,
        param="response_format",
    )


def server_error(status: int = 500, **kwargs: Any) -> ErrorReply:
    kwargs.setdefault("type", "server_error")
    return ErrorReply(status, "The server had an error while processing your request.", **kwargs)


def overloaded(**kwargs: Any) -> ErrorReply:
    return server_error(503, **kwargs)


def malformed_json(text: str = '{"id": "chatcmpl-x", "choices": [', **kwargs: Any) -> RawReply:
    """A 200 `application/json` reply whose body is cut off mid-object."""
    return RawReply(text, **kwargs)


def html_error_page(status: int = 502, **kwargs: Any) -> RawReply:
    page = f"<html><body><h1>{status} Bad Gateway</h1><p>nginx</p></body></html>"
    return RawReply(page, status=status, content_type="text/html", **kwargs)


def stall(seconds: float, then: Step | None = None) -> Stall:
    return Stall(seconds, then)


def connection_reset() -> Reset:
    return Reset()


def partial_headers() -> Reset:
    return Reset(partial_headers=True)


# --------------------------------------------------------------------------------------------
# Server
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RecordedRequest:
    method: str
    path: str
    headers: dict[str, str]  # lower-cased names
    body: Any  # parsed JSON, or None when absent or not JSON
    raw_body: bytes
    received_at: float  # time.monotonic()


class FakeOpenAI:
    """A fake OpenAI-compatible server on 127.0.0.1; see the module docstring."""

    def __init__(
        self,
        default: StepSource | None = None,
        *,
        latency: float = 0.0,
        port: int = 0,
        models: Iterable[str] = ("gpt-fake",),
    ) -> None:
        self.default: StepSource = default if default is not None else reply("{}")
        self.latency = latency  # seconds added before every chat completion reply
        self.models = list(models)
        self._port = port
        self._lock = threading.Lock()
        self._queue: deque[StepSource] = deque()
        self._requests: list[RecordedRequest] = []
        self._ids = itertools.count(1)
        self._stopping = threading.Event()
        self._connections: set[socket.socket] = set()
        self._httpd: _HTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle --------------------------------------------------------------------------

    def start(self) -> FakeOpenAI:
        self._httpd = _HTTPServer(("127.0.0.1", self._port), _Handler, self)
        self._thread = threading.Thread(
            target=self._httpd.serve_forever,
            kwargs={"poll_interval": 0.05},
            name="fake-openai",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._httpd is None:
            return
        with self._lock:
            self._stopping.set()  # wakes stalls and latency waits
            connections = list(self._connections)
        self._httpd.shutdown()
        for conn in connections:  # wakes handlers waiting on idle keep-alive connections
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)
        self._httpd.server_close()  # joins the handler threads
        assert self._thread is not None
        self._thread.join()
        self._httpd = None

    def __enter__(self) -> FakeOpenAI:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    @property
    def port(self) -> int:
        assert self._httpd is not None, "server not started"
        return int(self._httpd.server_address[1])

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    # -- script -----------------------------------------------------------------------------

    def push(self, step: StepSource) -> None:
        with self._lock:
            self._queue.append(step)

    def extend(self, steps: Iterable[StepSource]) -> None:
        with self._lock:
            self._queue.extend(steps)

    @property
    def pending(self) -> int:
        """How many scripted steps have not been played yet."""
        with self._lock:
            return len(self._queue)

    @property
    def requests(self) -> list[RecordedRequest]:
        """A snapshot of every request received so far, in arrival order."""
        with self._lock:
            return list(self._requests)

    @property
    def completion_requests(self) -> list[RecordedRequest]:
        return [r for r in self.requests if r.path.endswith("/chat/completions")]

    def wait_for_requests(self, count: int, timeout: float = 5.0) -> list[RecordedRequest]:
        deadline = time.monotonic() + timeout
        while len(self.requests) < count:
            if time.monotonic() > deadline:
                raise TimeoutError(f"expected {count} requests, got {len(self.requests)}")
            time.sleep(0.01)
        return self.requests

    # -- used by the handler ----------------------------------------------------------------

    def _record(self, request: RecordedRequest) -> None:
        with self._lock:
            self._requests.append(request)

    def _next_step(self, body: dict[str, Any]) -> Step:
        with self._lock:
            source = self._queue.popleft() if self._queue else self.default
        return source(body) if callable(source) else source

    def _next_id(self) -> int:
        with self._lock:
            return next(self._ids)

    def _sleep(self, seconds: float) -> bool:
        """Sleep unless the server stops first; True when the full time has passed."""
        return seconds <= 0 or not self._stopping.wait(seconds)

    def _track(self, conn: socket.socket, active: bool) -> None:
        with self._lock:
            if active:
                self._connections.add(conn)
                if self._stopping.is_set():
                    with contextlib.suppress(OSError):
                        conn.shutdown(socket.SHUT_RDWR)
            else:
                self._connections.discard(conn)


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = False  # so server_close() joins the handler threads
    block_on_close = True
    request_queue_size = 128  # a batch opens dozens of connections at once

    def __init__(self, address: tuple[str, int], handler: type, fake: FakeOpenAI) -> None:
        self.fake = fake
        super().__init__(address, handler)

    def handle_error(self, request: Any, client_address: Any) -> None:
        if not isinstance(sys.exc_info()[1], OSError):  # clients hanging up are expected
            super().handle_error(request, client_address)


def _error_body(message: str, kind: str, code: str | None, param: str | None) -> bytes:
    error = {"message": message, "type": kind, "code": code, "param": param}
    return json.dumps({"error": error}).encode()


def _tokens(text: str) -> int:
    return max(1, len(text) // 4)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, like the real API
    disable_nagle_algorithm = True  # headers and body go out in two writes
    server: _HTTPServer

    def setup(self) -> None:
        super().setup()
        self.server.fake._track(self.connection, True)

    def finish(self) -> None:
        self.server.fake._track(self.connection, False)
        super().finish()

    def log_message(self, format: str, *args: Any) -> None:
        pass

    @property
    def fake(self) -> FakeOpenAI:
        return self.server.fake

    # -- routing ----------------------------------------------------------------------------

    def do_GET(self) -> None:
        self._receive()
        if self._route() == "/v1/models":
            models = [
                {"id": m, "object": "model", "created": 0, "owned_by": "fake-openai"}
                for m in self.fake.models
            ]
            self._send(200, json.dumps({"object": "list", "data": models}).encode())
        else:
            self._not_found()

    def do_POST(self) -> None:
        body = self._receive()
        if self._route() != "/v1/chat/completions":
            self._not_found()
        elif not isinstance(body, dict):
            message = "We could not parse the JSON body of your request."
            self._send(400, _error_body(message, "invalid_request_error", None, None))
        else:
            self._play(self.fake._next_step(body), body, self.fake.latency)

    def do_DELETE(self) -> None:
        self._receive()
        self._not_found()

    do_PUT = do_PATCH = do_DELETE

    def _route(self) -> str:
        return self.path.split("?", 1)[0].rstrip("/")

    def _not_found(self) -> None:
        message = f"Invalid URL ({self.command} {self._route()})"
        self._send(404, _error_body(message, "invalid_request_error", None, None))

    def _receive(self) -> Any:
        """Read and record the request; return its parsed JSON body (None if not JSON)."""
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        try:
            body = json.loads(raw) if raw else None
        except ValueError:
            body = None
        self.fake._record(
            RecordedRequest(
                method=self.command,
                path=self.path,
                headers={k.lower(): v for k, v in self.headers.items()},
                body=body,
                raw_body=raw,
                received_at=time.monotonic(),
            )
        )
        return body

    # -- replies ----------------------------------------------------------------------------

    def _play(self, step: Step, request: dict[str, Any], extra_latency: float = 0.0) -> None:
        if not self.fake._sleep(extra_latency + step.latency):
            return self._reset()
        if isinstance(step, Reply):
            self._send(200, json.dumps(self._completion(step, request)).encode())
        elif isinstance(step, ErrorReply):
            body = _error_body(step.message, step.type, step.code, step.param)
            self._send(step.status, body, headers=step.headers)
        elif isinstance(step, RawReply):
            raw = step.body.encode() if isinstance(step.body, str) else step.body
            self._send(step.status, raw, step.content_type, step.headers)
        elif isinstance(step, Stall):
            if not self.fake._sleep(step.seconds):
                return self._reset()
            self._play(step.then if step.then is not None else reply("{}"), request)
        elif isinstance(step, Reset):
            if step.partial_headers:
                self.wfile.write(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n")
            self._reset()
        else:
            raise TypeError(f"not a step: {step!r}")
        return None

    def _completion(self, step: Reply, request: dict[str, Any]) -> dict[str, Any]:
        message: dict[str, Any] = {
            "role": "assistant",
            "content": step.content,
            "refusal": step.refusal,
        }
        if step.tool_calls:
            message["tool_calls"] = [
                {
                    "id": call.id or f"call_{self.fake._next_id()}",
                    "type": "function",
                    "function": {"name": call.name, "arguments": call.arguments},
                }
                for call in step.tool_calls
            ]
        usage = step.usage
        if usage is None:
            answer = (step.content or "") + (step.refusal or "")
            answer += "".join(call.arguments for call in step.tool_calls)
            usage = Usage(_tokens(json.dumps(request.get("messages", []))), _tokens(answer))
        return {
            "id": f"chatcmpl-fake{self.fake._next_id()}",
            "object": "chat.completion",
            "created": int(time.time()),
            "model": step.model or str(request.get("model") or "gpt-fake"),
            "choices": [
                {
                    "index": 0,
                    "message": message,
                    "finish_reason": step.finish_reason,
                    "logprobs": None,
                }
            ],
            "usage": {
                "prompt_tokens": usage.prompt_tokens,
                "completion_tokens": usage.completion_tokens,
                "total_tokens": usage.total_tokens,
            },
            "system_fingerprint": "fp_fake",
        }

    def _send(
        self,
        status: int,
        body: bytes,
        content_type: str = "application/json",
        headers: Mapping[str, str] | None = None,
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("x-request-id", f"req_fake{self.fake._next_id()}")
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def _reset(self) -> None:
        """Close the socket now with SO_LINGER 0, so the peer sees a TCP reset."""
        self.close_connection = True
        linger = struct.pack("ii", 1, 0)  # on, 0 seconds: close() sends RST, not FIN
        with contextlib.suppress(OSError):
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, linger)
        self.rfile.close()  # drop the makefile reference so close() really closes the fd
        self.connection.close()


# --------------------------------------------------------------------------------------------
# Standalone server
# --------------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Serve a fixed chat completion on 127.0.0.1.")
    parser.add_argument("--port", type=int, default=0, help="0 picks a free port")
    parser.add_argument("--reply-file", help="file whose text is the assistant message content")
    parser.add_argument("--reply", default="{}", help="the content, when no --reply-file")
    parser.add_argument("--latency", type=float, default=0.0, help="seconds before each reply")
    args = parser.parse_args(argv)
    if args.reply_file:
        with open(args.reply_file, encoding="utf-8") as f:
            content = f.read()
    else:
        content = args.reply

    def on_term(signum: int, frame: object) -> None:
        raise SystemExit(0)

    signal.signal(signal.SIGTERM, on_term)
    with FakeOpenAI(reply(content), latency=args.latency, port=args.port) as server:
        print(server.base_url, flush=True)
        with contextlib.suppress(KeyboardInterrupt):
            threading.Event().wait()
    return 0


if __name__ == "__main__":
    sys.exit(main())
