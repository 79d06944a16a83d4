"""`grade_many(requests_per_minute=..., tokens_per_minute=...)` through a whole batch: the
requests the judge receives are spaced as asked, on a virtual clock (no test waits)."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

import httpx
import pytest

import coach
from coach.batch import run as _batch
from coach.testing import FakeJudge
from tests.support import MINI_ANSWER


@dataclass
class VirtualClock:
    """Seconds that pass only when the batch's limiters wait."""

    now: float = 0.0
    waits: list[float] = field(default_factory=list)

    async def wait(self, seconds: float) -> None:
        self.waits.append(seconds)
        self.now += seconds
        await asyncio.sleep(0)  # let the other workers run, as a real wait would


@dataclass
class TimedJudge(FakeJudge):
    """A judge that notes the virtual time at which each request reaches it."""

    clock: VirtualClock = field(default_factory=VirtualClock)
    times: list[float] = field(default_factory=list)

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.times.append(self.clock.now)
        return super().__call__(request)


@pytest.fixture
def judge(monkeypatch: pytest.MonkeyPatch) -> TimedJudge:
    judge = TimedJudge()
    monkeypatch.setattr(_batch, "_now", lambda: judge.clock.now)
    monkeypatch.setattr(_batch, "_wait", judge.clock.wait)
    return judge


def _batch_of(judge: TimedJudge, mini: coach.Bank, count: int, **limits: float) -> None:
    with judge.activate():
        grader = coach.Grader(client=judge.async_client())
        results = grader.grade_many([(mini, "atm", MINI_ANSWER)] * count, **limits)  # type: ignore[arg-type]
    assert [r.result.method for r in results if r.result] == ["llm"] * count


def test_without_limits_nothing_waits(judge: TimedJudge, mini: coach.Bank) -> None:
    _batch_of(judge, mini, 12, concurrency=4)
    assert judge.times == [0.0] * 12 and judge.clock.waits == []


def test_requests_per_minute_space_the_requests(judge: TimedJudge, mini: coach.Bank) -> None:
    # 60 a minute: a burst of ten (ten seconds' worth), then one a second.
    _batch_of(judge, mini, 25, concurrency=8, requests_per_minute=60)
    times = sorted(judge.times)  # noted on arrival, which may be after the request's turn
    assert len(times) == 25
    for k, at in enumerate(times):
        assert at >= (k + 1 - 10) - 1e-6, (k, at)  # never more than ten seconds ahead
    assert sum(judge.clock.waits) == pytest.approx(15.0)  # the 15 past the burst, 1 s each
    assert times[-1] == pytest.approx(15.0)


def test_tokens_per_minute_pace_by_the_tokens_really_spent(
    judge: TimedJudge, mini: coach.Bank
) -> None:
    # 6,000 tokens a minute is 100 a second; each grade really spends 150 (the judge's usage),
    # so once the first estimate is settled the requests go out one every 1.5 seconds.
    _batch_of(judge, mini, 8, concurrency=1, tokens_per_minute=6000)
    gaps = [b - a for a, b in zip(judge.times, judge.times[1:], strict=False)]
    assert judge.times[0] == 0.0
    assert gaps == pytest.approx([1.5] * 7)


def test_both_limits_at_once_the_stricter_wins(judge: TimedJudge, mini: coach.Bank) -> None:
    _batch_of(judge, mini, 8, concurrency=1, requests_per_minute=6000, tokens_per_minute=6000)
    assert judge.times[-1] == pytest.approx(7 * 1.5)
