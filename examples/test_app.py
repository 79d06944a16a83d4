"""Tests of the example app, written as an app's author would, with coach's test kit.

The LLM is scripted by `coach.testing`'s fake judge (see conftest.py), so these run offline
and deterministically, through the real openai SDK and the real grader.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

from app import GradingApp

from coach.testing import FakeJudge

# Makes the key points the scripted grade below credits: a scripted grade is checked like a
# real model's, and points need quotes of the answer that bear on them.
ANSWER = (
    "您先别着急，我先核实您的身份并登记取款的时间和网点。冻结可能是连续输错密码或风控系统"
    "判定异常，我会联系运营部门查设备日志。解冻要按规定提交申请、审核通过后才能办理，我会跟进进度。"
)


def call(app: GradingApp, method: str, path: str, body: Any = None) -> tuple[int, Any]:
    """Drive the ASGI app directly: no server, no sockets."""
    raw = b"" if body is None else (body if isinstance(body, bytes) else json.dumps(body).encode())
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": raw, "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    scope = {"type": "http", "method": method, "path": path}
    asyncio.run(app(scope, receive, send))
    return sent[0]["status"], json.loads(sent[1]["body"])


def test_grades_with_the_llm(fake_judge: FakeJudge) -> None:
    fake_judge.push_grade({"soothe_record": 3, "process": 3, "tech": 0, "compliance": 1})
    app = GradingApp(coach_grader(fake_judge))
    status, result = call(
        app, "POST", "/grade", {"bank": "finance-cs-manager", "question": "s2", "answer": ANSWER}
    )
    assert status == 200
    assert (result["method"], result["status"], result["score"]) == ("llm", "graded", 7)
    assert fake_judge.requests[0].answer == ANSWER


def test_an_llm_outage_still_answers_with_an_offline_grade(fake_judge: FakeJudge) -> None:
    for _ in range(3):
        fake_judge.push_error(503, "overloaded")
    app = GradingApp(coach_grader(fake_judge))
    status, result = call(
        app, "POST", "/grade", {"bank": "finance-cs-manager", "question": "s2", "answer": ANSWER}
    )
    assert status == 200
    assert result["status"] == "fallback" and "503" in result["fallback_reason"]


def test_bad_requests_get_clear_errors(fake_judge: FakeJudge) -> None:
    app = GradingApp(coach_grader(fake_judge))
    assert call(app, "POST", "/grade", b"not json")[0] == 400
    status, error = call(app, "POST", "/grade", {"bank": "nope", "question": "s2", "answer": "x"})
    assert status == 404 and "nope" in error["error"]
    assert call(app, "GET", "/missing")[0] == 404
    assert fake_judge.requests == []


def test_lists_banks(fake_judge: FakeJudge) -> None:
    status, banks = call(GradingApp(coach_grader(fake_judge)), "GET", "/banks")
    assert status == 200 and {"id", "title", "questions"} <= set(banks[0])


def coach_grader(judge: FakeJudge) -> Any:
    # An async client, as a service would use.
    import coach

    return coach.Grader(client=judge.async_client())
