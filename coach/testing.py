"""Test kit: script the LLM's replies so an app's tests run offline and deterministically.

`FakeJudge` stands in for an OpenAI-compatible server at the HTTP layer (through respx), so the
real openai SDK code and the real `Grader` run; it works with openai 2.x and 3.x alike, because
the clients it builds are given an `httpx` client that respx can see. Replies come from a queue
(`push_*`), and when the queue is empty the judge answers every request with a valid grade built
from the JSON Schema the grader sent: each criterion at `default_share` of its points, claiming
every key point and quoting every sentence of the answer. Code still checks a scripted grade as
it checks a real model's: a criterion keeps points above the keyword grade only for key points
the answer's sentences bear on, so a scripted full mark on an answer that makes half the key
points comes back as half (with an `unsupported_credit` flag). Every request is kept in
`requests`, with its messages, the answer as the grader enclosed it, and the schema.

In a test module (or conftest.py)::

    from coach.testing import fake_judge  # the pytest fixture

    def test_my_app(fake_judge):
        fake_judge.push_grade({"empathy": 2, "process": 4})
        fake_judge.push_error(429, retry_after=0)
        result = my_app.grade_with(fake_judge.grader(), ...)
        assert fake_judge.requests[0].answer == "..."

An app that builds its own `Grader` reaches the judge too, with no change to its code: point
the SDK's variable at it (``monkeypatch.setenv("OPENAI_BASE_URL", fake_judge.base_url)``), or
pass ``base_url=fake_judge.base_url``. While the judge is active, the clients a `Grader` builds
for that URL send through an httpx client respx can see, even on openai 3.x (whose own default,
httpx2, respx does not see). An `openai.OpenAI` the app builds itself and passes as `client=`
is not rerouted: on openai 3.x its requests would miss the judge, so inject
`fake_judge.client()` (or `fake_judge.async_client()`, one per event loop) where the app takes
a client, or `fake_judge.grader()` where it takes a grader.

Install the extra for it: ``pip install 'interview-coach[testing]'`` (respx and pytest).
"""

from __future__ import annotations

import json
import re
from collections import deque
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

try:  # the `testing` extra; the core install (openai 3.x talks httpx2) does not bring these
    import httpx
    import pytest
    import respx
except ModuleNotFoundError as missing:
    raise ModuleNotFoundError(
        f"coach.testing needs its extra, which is not installed (no module {missing.name!r}): "
        "pip install 'interview-coach[testing]'",
        name=missing.name,
    ) from missing

if TYPE_CHECKING:
    import openai

    from coach.grading.grader import Grader
    from coach.rubric.model import Criterion, Question

__all__ = ["FakeJudge", "JudgeRequest", "claim_all", "fake_judge"]

BASE_URL = "https://fake-judge.test/v1"
_OPENING = re.compile(r"^<<<ANSWER [0-9a-f]+>>>$", re.MULTILINE)
_SENTENCES = re.compile(r"(?<=[。！？!?；;])|\n")

Reply = Callable[["JudgeRequest"], httpx.Response]


@dataclass(frozen=True)
class JudgeRequest:
    """One request the grader sent, as the judge saw it."""

    body: dict[str, Any]

    @property
    def messages(self) -> list[dict[str, Any]]:
        return list(self.body.get("messages", []))

    @property
    def system(self) -> str:
        return str(self.messages[0]["content"]) if self.messages else ""

    @property
    def user(self) -> str:
        return str(self.messages[1]["content"]) if len(self.messages) > 1 else ""

    @property
    def answer(self) -> str | None:
        """The candidate's answer as sent: between the markers, redacted and spotlighted."""
        match = _OPENING.search(self.user)
        if match is None:
            return None
        closing = match.group(0).replace("<<<ANSWER ", "<<<END ANSWER ")
        rest = self.user[match.end() :]
        return rest.split(closing)[0].strip("\n")

    @property
    def schema(self) -> dict[str, Any] | None:
        """The reply schema the grader asked for, in whichever way it asked."""
        response_format = self.body.get("response_format") or {}
        if response_format.get("type") == "json_schema":
            return dict(response_format["json_schema"]["schema"])
        for tool in self.body.get("tools") or []:
            return dict(tool["function"]["parameters"])
        return None


def completion(content: str | None, **message: Any) -> httpx.Response:
    """A 200 chat completion with `content` (and any extra message fields, e.g. refusal)."""
    finish = message.pop("finish_reason", "stop")
    body = {
        "id": "chatcmpl-fake",
        "object": "chat.completion",
        "created": 0,
        "model": "fake-judge",
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": content, **message},
                "finish_reason": finish,
                "logprobs": None,
            }
        ],
        "usage": {"prompt_tokens": 100, "completion_tokens": 50, "total_tokens": 150},
    }
    return httpx.Response(200, json=body)


def claim_all(
    question: Question,
    evidence: Sequence[str] | Callable[[Criterion], Sequence[str]],
    *,
    share: float = 1.0,
    rationale: str = "scripted",
) -> dict[str, Any]:
    """The criteria and deductions of a reply to `question`, as a dict to serialize: every
    criterion claims all its key points for `share` of its points, quoting `evidence` (the same
    quotes everywhere, or a function of the criterion); no deduction. Add coaching fields to
    taste; code checks the quotes as it checks a real model's."""
    criteria = {
        c.id: {
            "evidence": list(evidence(c) if callable(evidence) else evidence),
            "rationale": rationale,
            "key_points": [kp.id for kp in c.key_points],
            "points": c.points * share,
        }
        for c in question.criteria
    }
    return {"criteria": criteria, "deductions": []}


def _grade_for(request: JudgeRequest, points: Mapping[str, float] | float, **extra: Any) -> str:
    """A reply that fits the request's schema: `points` per criterion id, or a share of each."""
    schema = request.schema
    if schema is None:
        raise AssertionError("FakeJudge: the request carries no JSON Schema to answer")
    criteria = schema["properties"]["criteria"]["properties"]
    sentences = [s.strip() for s in _SENTENCES.split(request.answer or "") if s.strip()]
    reply: dict[str, Any] = {"criteria": {}}
    for cid, spec in criteria.items():
        top = spec["properties"]["points"].get("maximum", 0)
        given = points.get(cid, 0) if isinstance(points, Mapping) else top * points
        key_points = spec["properties"]["key_points"]["items"].get("enum", [])
        reply["criteria"][cid] = {
            "evidence": sentences if given else [],
            "rationale": "scripted by FakeJudge",
            "key_points": key_points if given else [],
            "points": given,
        }
    reply |= {"deductions": [], "strengths": [], "improvements": [], "follow_up_questions": []}
    reply["improved_answer"] = ""
    reply.update(extra)
    return json.dumps(reply, ensure_ascii=False)


def _httpx_client(is_async: bool) -> Any:
    """An httpx client, the HTTP stack respx mocks. openai 3.x types `http_client` as httpx2's
    but accepts an httpx one (a documented escape hatch); 2.x takes it natively."""
    return httpx.AsyncClient() if is_async else httpx.Client()


@dataclass
class FakeJudge:
    """A scripted OpenAI-compatible judge: a queue of replies and a history of requests."""

    default_share: float = 1.0
    base_url: str = BASE_URL
    requests: list[JudgeRequest] = field(default_factory=list)
    _queue: deque[Reply] = field(default_factory=deque)

    # -- scripting ----------------------------------------------------------------------
    def push(self, reply: Reply | httpx.Response) -> None:
        """Queue a reply: an `httpx.Response`, or a function of the request that makes one."""
        if isinstance(reply, httpx.Response):
            response = reply
            self._queue.append(lambda _request: response)
        else:
            self._queue.append(reply)

    def push_grade(self, points: Mapping[str, float] | float = 1.0, **extra: Any) -> None:
        """Queue a valid grade: points per criterion id, or one share of every criterion's
        maximum; `extra` sets other reply fields (strengths, deductions, improved_answer...)."""
        self.push(lambda request: completion(_grade_for(request, points, **extra)))

    def push_content(self, content: str) -> None:
        """Queue a reply whose message content is `content` as given (malformed JSON, prose)."""
        self.push(completion(content))

    def push_refusal(self, refusal: str = "I can't help with that.") -> None:
        self.push(completion(None, refusal=refusal))

    def push_error(
        self,
        status: int,
        message: str = "scripted error",
        *,
        code: str | None = None,
        retry_after: float | None = None,
    ) -> None:
        """Queue an HTTP error with an OpenAI-style body (429, 500, 400, ...)."""
        headers = {} if retry_after is None else {"retry-after-ms": str(int(retry_after * 1000))}
        body = {"error": {"message": message, "type": "scripted", "code": code, "param": None}}
        self.push(httpx.Response(status, json=body, headers=headers))

    def push_connection_error(self) -> None:
        """Queue a connection failure (the SDK raises APIConnectionError; it is retried)."""

        def fail(request: JudgeRequest) -> httpx.Response:
            raise httpx.ConnectError("FakeJudge: scripted connection failure")

        self.push(fail)

    @property
    def pending(self) -> int:
        """Replies still queued."""
        return len(self._queue)

    @property
    def prompts(self) -> list[str]:
        """The user message of every request so far."""
        return [r.user for r in self.requests]

    # -- serving ------------------------------------------------------------------------
    def __call__(self, request: httpx.Request) -> httpx.Response:
        """respx side effect: record the request, play the next reply."""
        seen = JudgeRequest(json.loads(request.content or b"{}"))
        self.requests.append(seen)
        if self._queue:
            return self._queue.popleft()(seen)
        return completion(_grade_for(seen, self.default_share))

    @contextmanager
    def activate(self) -> Iterator[respx.MockRouter]:
        """Route this judge's base URL to it for the duration (other hosts stay unmocked)."""
        from coach.llm.clients import route_to_test_double

        with respx.mock(base_url=self.base_url, assert_all_called=False) as router:
            router.post("/chat/completions").mock(side_effect=self)
            undo = route_to_test_double(self.base_url, _httpx_client)
            try:
                yield router
            finally:
                undo()

    def client(self) -> openai.OpenAI:
        """A sync client wired to this judge (respx must be active: `activate()`)."""
        import openai

        return openai.OpenAI(
            api_key="sk-fake", base_url=self.base_url, http_client=_httpx_client(False)
        )

    def async_client(self) -> openai.AsyncOpenAI:
        """An async client wired to this judge, for one event loop (see `client`)."""
        import openai

        return openai.AsyncOpenAI(
            api_key="sk-fake", base_url=self.base_url, http_client=_httpx_client(True)
        )

    def grader(self, **kwargs: Any) -> Grader:
        """A `Grader` using this judge, with retry waits cut to a millisecond for fast tests."""
        from coach.grading.grader import Grader
        from coach.llm.retry import RetryPolicy

        kwargs.setdefault("policy", RetryPolicy(backoff=0.001, max_backoff=0.001))
        return Grader(client=self.client(), **kwargs)


@pytest.fixture
def fake_judge() -> Iterator[FakeJudge]:
    """A `FakeJudge` whose base URL is mocked for the test; use `fake_judge.grader()`."""
    judge = FakeJudge()
    with judge.activate():
        yield judge
