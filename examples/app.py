"""A small web endpoint that grades answers asynchronously: an ASGI app, no framework needed.

    POST /grade   {"bank": "finance-cs-manager", "question": "s2", "answer": "..."}
                  -> 200 with the GradeResult as JSON, or 4xx with {"error": "..."}
    GET  /banks   -> the built-in banks

Run it with any ASGI server, e.g. ``pip install uvicorn`` then
``uvicorn examples.app:app``. One `Grader` serves every request: it keeps what the LLM server
accepts between grades, and `agrade` never blocks the event loop. Without an LLM configured it
grades offline and labels each result `status="fallback"`.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from typing import Any

import coach

Receive = Callable[[], Awaitable[dict[str, Any]]]
Send = Callable[[dict[str, Any]], Awaitable[None]]
MAX_BODY = 64 * 1024  # an answer is text, not an upload


class GradingApp:
    """The ASGI application; `grader` is injectable so tests can hand it a fake judge."""

    def __init__(self, grader: coach.Grader | None = None) -> None:
        self.grader = grader or coach.Grader()

    async def __call__(self, scope: dict[str, Any], receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return
        route = (scope["method"], scope["path"])
        if route == ("GET", "/banks"):
            banks = [
                {"id": b.id, "title": b.title, "questions": len(b.questions)}
                for b in coach.builtin_banks()
            ]
            await _reply(send, 200, banks)
        elif route == ("POST", "/grade"):
            await self._grade(receive, send)
        else:
            await _reply(send, 404, {"error": f"no route {scope['method']} {scope['path']}"})

    async def _grade(self, receive: Receive, send: Send) -> None:
        body = await _read_body(receive)
        if body is None:
            await _reply(send, 413, {"error": f"request body over {MAX_BODY} bytes"})
            return
        try:
            request = json.loads(body)
            bank, question, answer = request["bank"], request["question"], request["answer"]
        except (ValueError, TypeError, KeyError):
            await _reply(send, 400, {"error": "send JSON with 'bank', 'question' and 'answer'"})
            return
        try:
            result = await self.grader.agrade(bank, question, answer)
        except (coach.BankNotFoundError, coach.QuestionNotFoundError) as exc:
            await _reply(send, 404, {"error": str(exc)})
        except coach.AnswerError as exc:
            await _reply(send, 422, {"error": str(exc)})
        except coach.LLMError as exc:  # only in mode "llm"; "auto" falls back instead
            await _reply(send, 503, {"error": str(exc), "attempts": exc.attempts})
        else:
            await _reply(send, 200, result.model_dump(mode="json"))


async def _read_body(receive: Receive) -> bytes | None:
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > MAX_BODY:
            return None
        chunks.append(chunk)
        if not message.get("more_body"):
            return b"".join(chunks)


async def _reply(send: Send, status: int, payload: Any) -> None:
    body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
    headers = [
        (b"content-type", b"application/json; charset=utf-8"),
        (b"content-length", str(len(body)).encode()),
    ]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


app = GradingApp()
