"""`Grader`: one entry point for LLM and keyword grading, sync and async, with honest fallback.

Modes:

* ``"auto"`` (default): the LLM when one is configured, else the keyword grader with
  `status="fallback"` and no network attempt; an LLM failure falls back the same way, the
  reason in `fallback_reason`;
* ``"llm"``: the LLM or an `LLMError` (never a silent fallback);
* ``"keyword"``: the deterministic offline grader only.

An LLM counts as configured when a client is passed, or `api_key`/`base_url` are, or the SDK's
own `OPENAI_API_KEY`/`OPENAI_BASE_URL` are set. The keyword grader also runs beside the LLM: its
screening flags (injection, keyword stuffing, off topic, ...) carry over, its deduction findings
are applied too, a large disagreement adds `needs_review`, and on an answer it flags as an
injection attempt, a pasted rubric or a keyword list no criterion scores above its keyword grade
(an obedient model cannot be talked into points). Quotes of injected sentences are no
evidence. Blank and non-answers are scored 0 by code and never sent.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterable

from coach.batch.progress import ProgressOption
from coach.batch.run import BatchResult, BatchRun, ItemLike
from coach.errors import ConfigError
from coach.grading.core import GraderCore
from coach.grading.processes import grade_many_in_processes, keyword_processes
from coach.grading.verify import Verified
from coach.llm.send import run_async, run_sync
from coach.result import GradeResult
from coach.rubric.loader import BankRef
from coach.rubric.model import Question


class Grader(GraderCore):
    """Grades answers with an OpenAI-compatible LLM, falling back to keywords honestly.

    Pass `client` (an `openai.OpenAI` or `openai.AsyncOpenAI`; both with `async_client`) to use
    your own, or `api_key`/`base_url` to have one built; the SDK's environment variables work
    too. The model is `model`, else `$COACH_MODEL`, else gpt-4o-mini. A client passed in is used
    through `with_options(max_retries=0)`, so only this grader's policy retries.

    With `coaching=False` the LLM is asked for the grade alone (about a fifth fewer tokens);
    strengths, tips, follow-ups and the improved answer are then built offline from the
    LLM's verified criteria, so they agree with its grade.

    For local servers: `output_mode` skips the negotiation of structured output ("json_object"
    for llama.cpp), `prompt="compact"` sends shorter instructions that a server can cache, and
    `policy` (or `COACH_DEADLINE`/`COACH_REQUEST_TIMEOUT`) gives slow models time.
    `on_exchange` is called with a `coach.ExchangeEvent` for every request sent.
    """

    # -- the drivers ----------------------------------------------------------------------
    def grade(
        self,
        bank: BankRef,
        question: str | Question,
        answer: str,
        *,
        feedback_language: str | None = None,
        samples: int | None = None,
    ) -> GradeResult:
        """Grade `answer` to `question` of `bank` (an id, a YAML path or a `Bank`).

        `samples=n` (or the grader's `samples`) grades it n times and combines the grades per
        criterion by the median, with the spread in `result.consistency`.
        """
        count = self._samples(samples)
        if count > 1:
            runs = [
                self._grade_once(bank, question, answer, feedback_language, sample=i)
                for i in range(count)
            ]
            return self._combine(runs, count, bank, question)
        return self._grade_once(bank, question, answer, feedback_language)

    def _grade_once(
        self,
        bank: BankRef,
        question: str | Question,
        answer: str,
        feedback_language: str | None,
        sample: int | None = None,
    ) -> GradeResult:
        job = self._prepare(bank, question, answer, feedback_language, sample)
        if job.exchange is None:
            return self._unsent(job)
        cached = self._cached(job)
        if cached is not None:
            return self._finish(job, cached, cached=True)
        client = self.clients.sync()
        try:
            outcome: Verified | BaseException = run_sync(client, job.exchange, self._verifier(job))
        except Exception as exc:
            outcome = exc
        self._remember(job, outcome)
        return self._finish(job, outcome)

    async def agrade(
        self,
        bank: BankRef,
        question: str | Question,
        answer: str,
        *,
        feedback_language: str | None = None,
        samples: int | None = None,
    ) -> GradeResult:
        """`grade`, for asyncio: the same core, sent with an `AsyncOpenAI` client (the samples
        of `samples=n` are sent concurrently)."""
        count = self._samples(samples)
        if count > 1:
            runs = await asyncio.gather(
                *(
                    self._agrade_once(bank, question, answer, feedback_language, sample=i)
                    for i in range(count)
                )
            )
            return self._combine(list(runs), count, bank, question)
        return await self._agrade_once(bank, question, answer, feedback_language)

    async def _agrade_once(
        self,
        bank: BankRef,
        question: str | Question,
        answer: str,
        feedback_language: str | None,
        sample: int | None = None,
    ) -> GradeResult:
        job = self._prepare(bank, question, answer, feedback_language, sample)
        if job.exchange is None:
            return self._unsent(job)
        cached = self._cached(job)
        if cached is not None:
            return self._finish(job, cached, cached=True)
        client = await self.clients.async_client()
        try:
            if client is None:  # only a sync client was given: run it off the event loop
                sync = self.clients.sync()
                outcome: Verified | BaseException = await asyncio.to_thread(
                    run_sync, sync, job.exchange, self._verifier(job)
                )
            else:
                outcome = await run_async(client, job.exchange, self._verifier(job))
        except Exception as exc:
            misuse = self.clients.loop_error(exc)
            if misuse is not None:  # the caller's client and loop, not the LLM: no fallback
                raise misuse from exc
            outcome = exc
        self._remember(job, outcome)
        return self._finish(job, outcome)

    # -- closing ------------------------------------------------------------------------
    def close(self) -> None:
        """Close the sync client this grader built (clients passed in stay the caller's), and
        the cache when it was given as a path. An async client built for an event loop closes
        with that loop (`asyncio.run` shuts it down), or with `aclose()` on it."""
        self.clients.close()
        if self._owns_cache and self.cache is not None:
            self.cache.close()

    async def aclose(self) -> None:
        """Close the clients this grader built: the sync one, and the async one of the running
        event loop."""
        await self.clients.aclose()
        self.close()

    # -- batches ------------------------------------------------------------------------
    async def agrade_many(
        self,
        items: Iterable[ItemLike],
        *,
        concurrency: int = 8,
        requests_per_minute: float | None = None,
        tokens_per_minute: float | None = None,
        progress: ProgressOption = None,
        max_cost_usd: float | None = None,
        max_total_tokens: int | None = None,
    ) -> list[BatchResult]:
        """Grade many (bank, question, answer[, id]) items; one `BatchResult` per item, in
        input order, each with its result or its error. See `BatchRun` for cancellation."""
        run = BatchRun(
            self,
            items,
            concurrency=concurrency,
            requests_per_minute=requests_per_minute,
            tokens_per_minute=tokens_per_minute,
            progress=progress,
            max_cost_usd=max_cost_usd,
            max_total_tokens=max_total_tokens,
        )
        return await run.arun()

    def grade_many(
        self,
        items: Iterable[ItemLike],
        *,
        concurrency: int = 8,
        requests_per_minute: float | None = None,
        tokens_per_minute: float | None = None,
        progress: ProgressOption = None,
        max_cost_usd: float | None = None,
        max_total_tokens: int | None = None,
        workers: int = 1,
    ) -> list[BatchResult]:
        """`agrade_many` for synchronous code; safe inside a running event loop (Jupyter).

        `workers=n` (n > 1, `mode="keyword"` only) grades on n worker processes, in chunks:
        the same results in the same order, on n cores (see `coach.batch.workers`)."""
        if workers != 1:
            limited = requests_per_minute is not None or tokens_per_minute is not None
            return self._grade_on_processes(items, workers, progress, limited)
        run = BatchRun(
            self,
            items,
            concurrency=concurrency,
            requests_per_minute=requests_per_minute,
            tokens_per_minute=tokens_per_minute,
            progress=progress,
            max_cost_usd=max_cost_usd,
            max_total_tokens=max_total_tokens,
        )
        return run.run()

    def _grade_on_processes(
        self,
        items: Iterable[ItemLike],
        workers: int,
        progress: ProgressOption,
        limited: bool,
    ) -> list[BatchResult]:
        if workers < 1:
            raise ConfigError(f"workers must be at least 1, not {workers}")
        if self.mode != "keyword":
            raise ConfigError(
                "workers > 1 is for mode='keyword': an LLM batch runs `concurrency` requests "
                "at once in one process"
            )
        if limited:
            raise ConfigError("a keyword batch sends no requests: leave out the rate limits")
        processes = keyword_processes(workers, self.feedback_language)
        return grade_many_in_processes(items, processes, progress)

    def inline_grade(self) -> Callable[[BankRef, str | Question, str], GradeResult] | None:
        """What a synchronous batch grades its items with when grading never waits on a
        server (keyword mode): `grade`, one item after another, without an event loop."""
        return self._keyword_grade if self.mode == "keyword" else None

    def _keyword_grade(self, bank: BankRef, question: str | Question, answer: str) -> GradeResult:
        """`grade` in keyword mode: the steps every grade opens with, whose keyword grade is the
        result, without building the `Job` an LLM grade needs."""
        return self._keyword_first(bank, question, answer, None).keyword

    def __enter__(self) -> Grader:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    async def __aenter__(self) -> Grader:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()
