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
import functools
import os
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import openai

from coach.batch.run import BatchResult, BatchRun, ItemLike
from coach.llm.cache import GradeCache, cache_key
from coach.grading.combine import fallback_result, llm_result, pii_flag, truncated_flag
from coach.grading.consistency import combine
from coach.errors import ConfigError
from coach.llm.failures import llm_error
from coach.grading.keyword import KeywordGrader, require_text
from coach.llm.exchange import Exchange, Protocol, Spend, run_async, run_sync
from coach.rubric.loader import BankRef, load_bank
from coach.text.normalize import NormalizedText, normalize, reveal_tags
from coach.grading.offline import find_question
from coach.llm.prices import Price, estimate_cost
from coach.batch.progress import ProgressOption
from coach.llm.prompts import PromptTemplates, load_templates
from coach.text.redact import redact
from coach.llm.render import (
    advice,
    language_name,
    new_markers,
    output_format,
    render_rubric,
    spotlight,
)
from coach.llm.reply import GradeReply, InvalidReply, output_schema
from coach.result import GradeResult, Usage
from coach.llm.retry import RetryPolicy
from coach.rubric.model import Bank, Question
from coach.text.screen import injection_sentences
from coach.text.tokens import truncate_to_budget
from coach.grading.verify import QuoteFinder, Verified, verify_reply

Mode = Literal["auto", "llm", "keyword"]
DEFAULT_MODEL = "gpt-4o-mini"
MODEL_ENV = "COACH_MODEL"
NOT_CONFIGURED = (
    "no LLM configured (set OPENAI_API_KEY or OPENAI_BASE_URL, or pass client=); graded offline"
)
SAMPLING_TEMPERATURE = 0.7  # for `samples=n` when the grader's own temperature is 0
REVIEW_GAP = 40.0  # percentage points between the LLM and keyword grades that ask for review


@dataclass(frozen=True, slots=True)
class _Job:
    """Everything one grade needs, prepared before any request."""

    bank: Bank
    question: Question
    answer: str
    keyword: GradeResult
    exchange: Exchange | None  # None: decided without the LLM
    finder: QuoteFinder | None
    flags: tuple[dict[str, Any], ...]  # pii_redacted, truncated
    folded: NormalizedText  # the answer normalized, for offline coaching
    cache_key: str | None = None


class Grader:
    """Grades answers with an OpenAI-compatible LLM, falling back to keywords honestly.

    Pass `client` (an `openai.OpenAI` or `openai.AsyncOpenAI`; both with `async_client`) to use
    your own, or `api_key`/`base_url` to have one built; the SDK's environment variables work
    too. The model is `model`, else `$COACH_MODEL`, else gpt-4o-mini. A client passed in is used
    through `with_options(max_retries=0)`, so only this grader's policy retries.

    With `coaching=False` the LLM is asked for the grade alone (about a fifth fewer tokens);
    strengths, tips, follow-ups and the improved answer are then built offline from the
    LLM's verified criteria, so they agree with its grade.
    """

    def __init__(
        self,
        *,
        mode: Mode = "auto",
        client: openai.OpenAI | openai.AsyncOpenAI | None = None,
        async_client: openai.AsyncOpenAI | None = None,
        model: str | None = None,
        api_key: str | None = None,
        base_url: str | None = None,
        feedback_language: str | None = None,
        prompts_dir: str | Path | None = None,
        allow_pii: bool = False,
        policy: RetryPolicy | None = None,
        temperature: float | None = 0.0,
        max_tokens: int | None = None,
        max_answer_tokens: int = 2000,
        prices: Mapping[str, Price] | None = None,
        review_gap: float = REVIEW_GAP,
        extra_body: Mapping[str, Any] | None = None,
        cache: GradeCache | str | os.PathLike[str] | None = None,
        samples: int = 1,
        coaching: bool = True,
    ) -> None:
        if mode not in ("auto", "llm", "keyword"):
            raise ConfigError(f"mode must be 'auto', 'llm' or 'keyword', not {mode!r}")
        if isinstance(client, openai.AsyncOpenAI):
            client, async_client = None, async_client or client
        self.mode: Mode = mode
        self.model = model or os.environ.get(MODEL_ENV) or DEFAULT_MODEL
        self._api_key = api_key
        self._base_url = base_url
        self._owned: list[openai.OpenAI | openai.AsyncOpenAI] = []  # clients built here
        self._client = client.with_options(max_retries=0) if client is not None else None
        self._async_client = (
            async_client.with_options(max_retries=0) if async_client is not None else None
        )
        self.feedback_language = feedback_language
        self.prompts_dir = prompts_dir
        self.allow_pii = allow_pii
        self.policy = policy or RetryPolicy()
        self.temperature = temperature
        self.max_tokens = max_tokens
        self.max_answer_tokens = max_answer_tokens
        self.prices = prices
        self.review_gap = review_gap
        self.extra_body = dict(extra_body or {})
        self.protocol = Protocol()  # what the server accepts, learned across grades
        if samples < 1:
            raise ConfigError(f"samples must be at least 1, not {samples}")
        self.samples = samples
        self.coaching = coaching
        self._owns_cache = cache is not None and not isinstance(cache, GradeCache)
        self.cache: GradeCache | None = (
            cache if isinstance(cache, GradeCache) or cache is None else GradeCache(cache)
        )
        self._keyword = KeywordGrader()
        # Per question (keyed by identity, kept alive by the value): its rendered rubric and
        # reply schema, pure functions of a frozen question, built once instead of per grade.
        self._rubrics: dict[int, tuple[Question, str, str, dict[str, Any]]] = {}
        self._templates: dict[str, PromptTemplates] = {}
        if prompts_dir is not None:  # a custom folder is checked now, before any request
            for language in ("zh", "en"):
                self._templates_for(language)
        if mode == "llm" and not self.configured:
            raise ConfigError(
                "mode 'llm' needs an LLM: pass client=, api_key= or base_url=, "
                "or set OPENAI_API_KEY / OPENAI_BASE_URL"
            )

    def __repr__(self) -> str:
        return (
            f"Grader(mode={self.mode!r}, model={self.model!r}, configured={self.configured}, "
            f"output={self.protocol.output_mode!r})"
        )

    # -- configuration ------------------------------------------------------------------
    @property
    def configured(self) -> bool:
        """True when an LLM can be asked (without asking it)."""
        return bool(
            self._client
            or self._async_client
            or self._api_key
            or self._base_url
            or os.environ.get("OPENAI_API_KEY")
            or os.environ.get("OPENAI_BASE_URL")
        )

    def _client_args(self) -> dict[str, Any]:
        key = self._api_key or os.environ.get("OPENAI_API_KEY")
        base = self._base_url or os.environ.get("OPENAI_BASE_URL")
        # Local servers (vLLM, Ollama) take no key, but the SDK insists on one.
        return {
            "api_key": key or "not-needed",
            "base_url": base,
            "max_retries": 0,
            "timeout": self.policy.request_timeout,
        }

    def _sync_client(self) -> openai.OpenAI:
        if self._client is None:
            if self._async_client is not None and not (self._api_key or self._base_url):
                raise ConfigError(
                    "grade() needs a sync client: pass an openai.OpenAI as client=, "
                    "or call agrade()"
                )
            self._client = openai.OpenAI(**self._client_args())
            self._owned.append(self._client)
        return self._client

    def _templates_for(self, language: str) -> PromptTemplates:
        templates = self._templates.get(language)
        if templates is None:
            templates = self._templates[language] = load_templates(language, self.prompts_dir)
        return templates

    def _rubric_for(self, bank: Bank, question: Question) -> tuple[str, dict[str, Any]]:
        """`question`'s rubric as the prompt shows it, and the schema of its reply."""
        entry = self._rubrics.get(id(question))
        if entry is None or entry[0] is not question or entry[1] != bank.language:
            entry = (
                question,
                bank.language,
                render_rubric(bank, question),
                output_schema(question, coaching=self.coaching),
            )
            self._rubrics[id(question)] = entry
        return entry[2], entry[3]

    # -- the shared core ----------------------------------------------------------------
    def _prepare(
        self,
        bank_ref: BankRef,
        question_ref: str | Question,
        answer: str,
        feedback_language: str | None,
        sample: int | None = None,
    ) -> _Job:
        """Everything one grade needs; `sample` numbers the grades of a self-consistent set,
        which are sampled at `SAMPLING_TEMPERATURE` unless a temperature was chosen."""
        temperature = self.temperature
        if sample is not None and not temperature:
            temperature = SAMPLING_TEMPERATURE
        bank = load_bank(bank_ref)
        question = find_question(bank, question_ref)
        folded = normalize(require_text(answer))
        keyword = self._keyword.grade_normalized(bank, question, folded)
        use_llm = self.mode == "llm" or (self.mode == "auto" and self.configured)
        if not use_llm or keyword.has_flag("blank") or keyword.has_flag("non_answer"):
            return _Job(bank, question, answer, keyword, None, None, (), folded)
        flags: list[dict[str, Any]] = []
        # Hidden tag characters go out as the text they spell, as the screen read them.
        sent = reveal_tags(answer)
        to_original = _identity
        if not self.allow_pii:
            redaction = redact(sent)  # offsets of `sent` are those of `answer`
            if redaction.found:
                sent = redaction.text
                to_original = redaction.original_span
                flags.append(pii_flag(bank.language, redaction.counts))
        searched = folded if sent is answer else normalize(sent)  # no PII: the same text
        finder = QuoteFinder(searched, to_original, _injection_spans(folded))
        full = sent
        sent, cut = truncate_to_budget(sent, self.max_answer_tokens, self.model)
        if cut:
            flags.append(truncated_flag(bank.language, self.max_answer_tokens))
        templates = self._templates_for(bank.language)
        markers = new_markers()
        feedback = feedback_language or self.feedback_language or bank.language
        rubric, schema = self._rubric_for(bank, question)
        fields = {
            "role": bank.role,
            "feedback_language": language_name(bank.language, feedback),
            "advice": advice(bank.language, feedback, self.coaching),
            "question": question.prompt,
            "rubric": rubric,
            "answer": spotlight(sent),
            "answer_open": markers.open,
            "answer_close": markers.close,
        }

        def render_system(schema: dict[str, Any] | None) -> str:
            return templates.render(
                {**fields, "output_format": output_format(bank.language, schema)}
            )[0]

        user = templates.render({**fields, "output_format": ""})[1]
        exchange = Exchange(
            model=self.model,
            language=bank.language,
            question=question,
            schema=schema,
            user=user,
            render_system=render_system,
            protocol=self.protocol,
            policy=self.policy,
            temperature=temperature,
            max_tokens=self.max_tokens or min(2500, 600 + 160 * len(question.criteria)),
            extra_body=self.extra_body,
            prompt_hash=templates.prompt_hash,
        )
        key = None
        if self.cache is not None:
            key = cache_key(
                {
                    "rubric": keyword.rubric_version,
                    "prompt": templates.prompt_hash,
                    "model": self.model,
                    "temperature": temperature,
                    "sample": sample,
                    "max_tokens": exchange.max_tokens,
                    "extra_body": self.extra_body,
                    "feedback_language": feedback,
                    "redacted": not self.allow_pii,
                    "coaching": self.coaching,
                    "answer": (searched if sent is full else normalize(sent)).text,
                }
            )
        return _Job(bank, question, answer, keyword, exchange, finder, tuple(flags), folded, key)

    def _cached(self, job: _Job) -> Verified | None:
        """The verified grade of a cached reply, or None when there is none to use."""
        if self.cache is None or job.cache_key is None or job.exchange is None:
            return None
        hit = self.cache.get(job.cache_key)
        if hit is None:
            return None
        try:
            verified = self._verifier(job)(hit[0])
        except InvalidReply:
            return None
        job.exchange.reply = hit[0]
        return verified

    def _remember(self, job: _Job, outcome: Verified | BaseException) -> None:
        exchange = job.exchange
        if self.cache is None or job.cache_key is None or exchange is None:
            return
        if isinstance(outcome, BaseException) or exchange.reply is None:
            return
        spent = exchange.spend
        self.cache.put(
            job.cache_key,
            exchange.reply,
            {
                "requests": spent.requests,
                "prompt_tokens": spent.prompt_tokens,
                "completion_tokens": spent.completion_tokens,
            },
        )

    def _verifier(self, job: _Job) -> Callable[[GradeReply], Verified]:
        assert job.finder is not None
        finder = job.finder

        def verify(reply: GradeReply) -> Verified:
            return verify_reply(reply, job.question, finder, job.answer)

        return verify

    def _usage(self, spend: Spend) -> Usage:
        return Usage(
            requests=spend.requests,
            prompt_tokens=spend.prompt_tokens,
            completion_tokens=spend.completion_tokens,
            total_tokens=spend.prompt_tokens + spend.completion_tokens,
            cost_usd=estimate_cost(
                self.model, spend.prompt_tokens, spend.completion_tokens, self.prices
            ),
            estimated=spend.estimated,
        )

    def _finish(
        self, job: _Job, outcome: Verified | BaseException, cached: bool = False
    ) -> GradeResult:
        exchange = job.exchange
        assert exchange is not None
        usage = self._usage(exchange.spend)
        if isinstance(outcome, BaseException):
            error = llm_error(outcome, exchange, usage)
            if self.mode == "llm":
                raise error from (outcome if outcome is not error else None)
            return fallback_result(
                job.keyword,
                str(error),
                prepared_flags=job.flags,
                usage=usage,
                model=self.model,
                prompt_hash=exchange.prompt_hash,
            )
        result = llm_result(
            bank=job.bank,
            question=job.question,
            keyword=job.keyword,
            verified=outcome,
            reply=exchange.reply,
            prepared_flags=job.flags,
            usage=usage,
            model=self.model,
            prompt_hash=exchange.prompt_hash,
            review_gap=self.review_gap,
            offline_coaching=functools.partial(
                self._keyword.coaching_for, job.bank, job.question, job.folded
            ),
            model_coaching=self.coaching,
        )
        return result.model_copy(update={"cached": True}) if cached else result

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
        client = self._sync_client()
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
        client = self._async_client_or_none()
        try:
            if client is None:  # only a sync client was given: run it off the event loop
                sync = self._sync_client()
                outcome: Verified | BaseException = await asyncio.to_thread(
                    run_sync, sync, job.exchange, self._verifier(job)
                )
            else:
                outcome = await run_async(client, job.exchange, self._verifier(job))
        except Exception as exc:
            outcome = exc
        self._remember(job, outcome)
        return self._finish(job, outcome)

    def _samples(self, samples: int | None) -> int:
        count = self.samples if samples is None else samples
        if count < 1:
            raise ConfigError(f"samples must be at least 1, not {count}")
        return count

    def _combine(
        self, runs: list[GradeResult], requested: int, bank: BankRef, question: str | Question
    ) -> GradeResult:
        """The median of the samples the LLM graded; the first fallback when none was."""
        graded = [r for r in runs if r.method == "llm" and r.status == "graded"]
        if not graded:
            return runs[0]
        return combine(graded, find_question(load_bank(bank), question), requested)

    def _async_client_or_none(self) -> openai.AsyncOpenAI | None:
        if self._async_client is None and self._client is None:
            self._async_client = openai.AsyncOpenAI(**self._client_args())
            self._owned.append(self._async_client)
        return self._async_client

    # -- closing ------------------------------------------------------------------------
    def close(self) -> None:
        """Close the sync client this grader built (clients passed in stay the caller's), and
        the cache when it was given as a path."""
        for client in self._forget(openai.OpenAI):
            client.close()
        if self._owns_cache and self.cache is not None:
            self.cache.close()

    async def aclose(self) -> None:
        """Close every client this grader built; await it on the loop that used them."""
        await self._aclose_async()
        self.close()

    async def _aclose_async(self) -> None:
        for client in self._forget(openai.AsyncOpenAI):
            await client.close()

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
    ) -> list[BatchResult]:
        """`agrade_many` for synchronous code; safe inside a running event loop (Jupyter)."""
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

    def _forget(self, kind: type[Any]) -> list[Any]:
        """Drop built clients of `kind`; a later grade builds a fresh one."""
        gone = [c for c in self._owned if isinstance(c, kind)]
        self._owned = [c for c in self._owned if c not in gone]
        if self._client in gone:
            self._client = None
        if self._async_client in gone:
            self._async_client = None
        return gone

    def __enter__(self) -> Grader:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    async def __aenter__(self) -> Grader:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    def _unsent(self, job: _Job) -> GradeResult:
        """The keyword result, labelled: not configured is a fallback; a blank is just 0."""
        if job.keyword.has_flag("blank") or job.keyword.has_flag("non_answer"):
            return job.keyword
        if self.mode == "auto":
            return fallback_result(job.keyword, NOT_CONFIGURED)
        return job.keyword


def _identity(start: int, end: int) -> tuple[int, int]:
    return start, end


def _injection_spans(folded: NormalizedText) -> list[tuple[int, int]]:
    """Original-text spans of the sentences that address the grader instead of answering."""
    return [folded.original_span(h.start, h.end) for h in injection_sentences(folded.text)]
