"""coach.testing: the fake judge and its fixture, as an app's test author would use them."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import coach
from coach.testing import (
    FakeJudge,
    claim_all,
    completion,
)  # the `fake_judge` fixture comes in through conftest.py

ANSWER = (
    "账户冻结了，我会先安抚客户的情绪，告诉他别着急，并记录诉求。"
    "然后说明按银行规定需要审核，请他提供凭证，核实后再解冻。"
)


def test_default_reply_is_a_valid_full_grade(fake_judge: FakeJudge, mini: coach.Bank) -> None:
    result = fake_judge.grader().grade(mini, "atm", ANSWER)
    assert (result.method, result.status, result.score) == ("llm", "graded", 12)
    [request] = fake_judge.requests
    assert request.answer == ANSWER
    assert request.schema is not None and "criteria" in request.schema["properties"]
    assert "评分标准" in fake_judge.prompts[0]


def test_scripted_points_per_criterion(fake_judge: FakeJudge, mini: coach.Bank) -> None:
    fake_judge.push_grade({"calm": 2, "process": 4}, strengths=[])
    result = fake_judge.grader().grade(mini, "atm", ANSWER)
    assert [c.points for c in result.criteria] == [2, 4] and result.score == 6
    assert fake_judge.pending == 0


def test_claim_all_is_checked_like_a_real_reply(fake_judge: FakeJudge, mini: coach.Bank) -> None:
    question = mini.question("atm")
    top = {c.id: c.points for c in question.criteria}
    first, second = (s + "。" for s in ANSWER.split("。")[:2])
    reply = claim_all(question, [first], share=0.5, rationale="because")
    assert set(reply) == {"criteria", "deductions"} and reply["deductions"] == []
    assert {c: v["points"] for c, v in reply["criteria"].items()} == {
        c: p / 2 for c, p in top.items()
    }
    # Full marks on an answer that only calms the customer: the process criterion's key points
    # rest on nothing the answer says, so code takes that credit back.
    fake_judge.push(completion(json.dumps(claim_all(question, [first]), ensure_ascii=False)))
    result = fake_judge.grader().grade(mini, "atm", first)
    calm, process = result.criteria
    assert calm.points == top["calm"] and calm.evidence[0].quote in first
    assert process.points < top["process"] and "unsupported_credit" in {
        f.code for f in result.flags
    }
    # A function of the criterion picks its own quotes, each bearing on its criterion.
    quotes = {"calm": [first], "process": [second]}
    content = json.dumps(claim_all(question, lambda c: quotes[c.id]), ensure_ascii=False)
    fake_judge.push(completion(content))
    result = fake_judge.grader().grade(mini, "atm", ANSWER)
    assert [c.points for c in result.criteria] == list(top.values())
    assert "unsupported_credit" not in {f.code for f in result.flags}


def test_errors_and_malformed_output_are_played_in_order(
    fake_judge: FakeJudge, mini: coach.Bank
) -> None:
    fake_judge.push_error(429, "slow down", retry_after=0)
    fake_judge.push_content('{"criteria": ')
    fake_judge.push_grade(0.5)
    result = fake_judge.grader().grade(mini, "atm", ANSWER)
    assert result.status == "graded" and result.score == 6
    assert len(fake_judge.requests) == 3
    assert "not valid JSON" in fake_judge.requests[2].messages[-1]["content"]


def test_refusal_and_exhaustion(fake_judge: FakeJudge, mini: coach.Bank) -> None:
    fake_judge.push_refusal()
    with pytest.raises(coach.LLMRefusalError):
        fake_judge.grader(mode="llm").grade(mini, "atm", ANSWER)
    for _ in range(3):
        fake_judge.push_connection_error()
    fallback = fake_judge.grader().grade(mini, "atm", ANSWER)
    assert fallback.status == "fallback" and fallback.method == "keyword"


def test_async_clients_see_the_judge(fake_judge: FakeJudge, mini: coach.Bank) -> None:
    grader = coach.Grader(client=fake_judge.async_client())
    result = asyncio.run(grader.agrade(mini, "atm", ANSWER))
    assert result.method == "llm" and len(fake_judge.requests) == 1


def test_a_judge_without_the_fixture(mini: coach.Bank) -> None:
    judge = FakeJudge(default_share=0.25)
    with judge.activate():
        result = judge.grader().grade(mini, "atm", ANSWER)
    assert result.score == 3


def test_without_the_extra_the_import_error_names_it() -> None:
    probe = (
        "import sys\n"
        "sys.modules['respx'] = None  # as if the testing extra were not installed\n"
        "try:\n"
        "    import coach.testing\n"
        "except ModuleNotFoundError as exc:\n"
        "    print(exc.name, '|', exc)\n"
    )
    run = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert run.stdout.startswith("respx | coach.testing needs its extra"), run.stdout
    assert "pip install 'interview-coach[testing]'" in run.stdout


def test_the_readme_example_holds(fake_judge: FakeJudge) -> None:
    """The README's testing example, as written there."""
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    start = readme.index("def test_grading_survives_a_rate_limit(fake_judge):")
    source = readme[start : readme.index("```", start)]
    namespace: dict[str, Any] = {}
    exec(compile(source, "README.md", "exec"), namespace)  # our own README
    namespace["test_grading_survives_a_rate_limit"](fake_judge)
    assert fake_judge.requests and fake_judge.pending == 0


def test_an_apps_own_grader_reaches_the_judge_through_the_environment(
    fake_judge: FakeJudge, mini: coach.Bank, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The app builds its Grader itself; the test only points the SDK's variables at the judge.
    # openai 3.x sends through httpx2 by default, which respx does not see: the judge routes
    # the clients the grader builds for its base URL through an httpx client it can see.
    monkeypatch.setenv("OPENAI_BASE_URL", fake_judge.base_url)
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    fake_judge.push_grade({"calm": 2, "process": 4})
    grader = coach.Grader()
    result = grader.grade(mini, "atm", ANSWER)
    assert (result.method, result.status, result.score) == ("llm", "graded", 6)
    later = asyncio.run(grader.agrade(mini, "atm", ANSWER))
    assert (later.method, later.status) == ("llm", "graded")
    assert len(fake_judge.requests) == 2
    grader.close()


def test_a_base_url_argument_reaches_the_judge_too(fake_judge: FakeJudge, mini: coach.Bank) -> None:
    with coach.Grader(base_url=fake_judge.base_url + "/", mode="llm") as grader:
        assert grader.grade(mini, "atm", ANSWER).score == 12
    assert len(fake_judge.requests) == 1


def test_the_route_ends_with_the_judge(mini: coach.Bank, monkeypatch: pytest.MonkeyPatch) -> None:
    judge = FakeJudge(base_url="http://127.0.0.1:9/v1")  # the discard port: refused when real
    monkeypatch.setenv("OPENAI_BASE_URL", judge.base_url)
    with judge.activate(), coach.Grader() as grader:
        assert grader.grade(mini, "atm", ANSWER).method == "llm"
    # Outside `activate()` the judge's address is an ordinary one again.
    with coach.Grader(policy=coach.RetryPolicy(max_attempts=1)) as grader:
        after = grader.grade(mini, "atm", ANSWER)
    assert after.status == "fallback" and len(judge.requests) == 1
