"""What one grade is, whichever driver sends it: prepare, verify, finish.

`GraderCore` holds a grader's settings and turns one (bank, question, answer) into a `Job`
(the keyword grade, the messages, the answer as sent), checks a reply against the answer, and
turns the outcome into a `GradeResult` or an honest fallback. It sends nothing itself: the
drivers (`Grader.grade`, `Grader.agrade`, the Batch API) do, through the same core.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, NamedTuple

from coach.errors import ConfigError
from coach.grading.combine import fallback_result, llm_result
from coach.grading.consistency import combine
from coach.grading.job import Job, outgoing
from coach.grading.keyword import KeywordGrader, require_text
from coach.grading.offline import find_question
from coach.grading.relevance import Relevance
from coach.grading.verify import Verified, verify_reply
from coach.llm.cache import GradeCache, cache_key
from coach.llm.clients import Clients
from coach.llm.events import ExchangeHook
from coach.llm.exchange import Exchange, Spend
from coach.llm.failures import llm_error
from coach.llm.messages import MessageBuilder
from coach.llm.prices import Price, estimate_cost
from coach.llm.prompts import PROMPT_STYLES, PromptStyle
from coach.llm.protocol import OUTPUT_MODES, OutputMode, Protocol
from coach.llm.reply import GradeReply, InvalidReply
from coach.llm.reply_schema import reply_token_budget
from coach.llm.retry import RetryPolicy
from coach.result import GradeResult, Usage
from coach.rubric.loader import BankRef, load_bank
from coach.rubric.model import Bank, Question
from coach.text.normalize import NormalizedText, normalize, normalize_phrase

if TYPE_CHECKING:
    import openai

Mode = Literal["auto", "llm", "keyword"]
DEFAULT_MODEL = "gpt-4o-mini"
MODEL_ENV = "COACH_MODEL"
NOT_CONFIGURED = (
    "no LLM configured (set OPENAI_API_KEY or OPENAI_BASE_URL, or pass client=); graded offline"
)
SAMPLING_TEMPERATURE = 0.7  # for `samples=n` when the grader's own temperature is 0
REVIEW_GAP = 40.0  # percentage points between the LLM and keyword grades that ask for review


class KeywordFirst(NamedTuple):
    """What `GraderCore._keyword_first` found."""

    bank: Bank
    question: Question
    folded: NormalizedText
    feedback: str
    keyword: GradeResult


class GraderCore:
    """A grader's settings and the steps of one grade; `Grader` adds the drivers."""

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
        output_mode: OutputMode | None = None,
        prompt: PromptStyle = "standard",
        on_exchange: ExchangeHook | None = None,
    ) -> None:
        if mode not in ("auto", "llm", "keyword"):
            raise ConfigError(f"mode must be 'auto', 'llm' or 'keyword', not {mode!r}")
        if output_mode is not None and output_mode not in OUTPUT_MODES:
            raise ConfigError(f"output_mode must be one of {OUTPUT_MODES}, not {output_mode!r}")
        if prompt not in PROMPT_STYLES:
            raise ConfigError(f"prompt must be one of {PROMPT_STYLES}, not {prompt!r}")
        self.mode: Mode = mode
        self.model = model or os.environ.get(MODEL_ENV) or DEFAULT_MODEL
        self.feedback_language = feedback_language
        self.prompts_dir = prompts_dir
        self.allow_pii = allow_pii
        self.policy = policy or RetryPolicy.from_env()
        self.clients = Clients(client, async_client, api_key, base_url, self.policy.request_timeout)
        self.temperature = temperature
        self.max_tokens = max_tokens
        self.max_answer_tokens = max_answer_tokens
        self.prices = prices
        self.review_gap = review_gap
        self.extra_body = dict(extra_body or {})
        # What the server accepts: learned across grades, or set up front.
        self.protocol = Protocol(output_mode=output_mode or "json_schema", prompt_style=prompt)
        self.on_exchange = on_exchange
        if samples < 1:
            raise ConfigError(f"samples must be at least 1, not {samples}")
        self.samples = samples
        self.coaching = coaching
        self._owns_cache = cache is not None and not isinstance(cache, GradeCache)
        self.cache: GradeCache | None = (
            cache if isinstance(cache, GradeCache) or cache is None else GradeCache(cache)
        )
        self._keyword = KeywordGrader()
        # Keyed by question identity, as the keyword grader's compiled rules are.
        self._relevance: dict[int, Relevance] = {}
        self.messages = MessageBuilder(prompts_dir, coaching)
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
        return self.clients.configured

    # -- the shared core ----------------------------------------------------------------
    def _keyword_first(
        self,
        bank_ref: BankRef,
        question_ref: str | Question,
        answer: str,
        feedback_language: str | None,
    ) -> KeywordFirst:
        """The steps every grade opens with, in this order (so that a bad input fails the same
        way on every path): the bank, the question, the answer normalized, the feedback
        language and the keyword grade (the whole of a keyword-mode grade)."""
        bank = load_bank(bank_ref)
        question = find_question(bank, question_ref)
        folded = normalize(require_text(answer))
        feedback = feedback_language or self.feedback_language or bank.language
        keyword = self._keyword.grade_normalized(bank, question, folded, feedback_language=feedback)
        return KeywordFirst(bank, question, folded, feedback, keyword)

    def _prepare(
        self,
        bank_ref: BankRef,
        question_ref: str | Question,
        answer: str,
        feedback_language: str | None,
        sample: int | None = None,
    ) -> Job:
        """Everything one grade needs; `sample` numbers the grades of a self-consistent set,
        which are sampled at `SAMPLING_TEMPERATURE` unless a temperature was chosen."""
        temperature = self.temperature
        if sample is not None and not temperature:
            temperature = SAMPLING_TEMPERATURE
        bank, question, folded, feedback, keyword = self._keyword_first(
            bank_ref, question_ref, answer, feedback_language
        )
        use_llm = self.mode == "llm" or (self.mode == "auto" and self.configured)
        if not use_llm or keyword.has_flag("blank") or keyword.has_flag("non_answer"):
            return Job(bank, question, answer, keyword, None, None, (), folded)
        sent = outgoing(
            answer,
            folded,
            bank.language,
            allow_pii=self.allow_pii,
            max_answer_tokens=self.max_answer_tokens,
            model=self.model,
            prompt=normalize_phrase(question.prompt),
            recited=self._keyword.recited(bank, question, folded, feedback_language=feedback),
        )
        style = self.protocol.prompt_style
        messages = self.messages.build(bank, question, sent.text, feedback, style)
        exchange = Exchange(
            model=self.model,
            language=bank.language,
            question=question,
            schema=messages.schema,
            user=messages.user,
            render_system=messages.render_system,
            protocol=self.protocol,
            policy=self.policy,
            temperature=temperature,
            # Room for the longest reply the bounded schema allows.
            max_tokens=self.max_tokens or reply_token_budget(messages.schema),
            extra_body=self.extra_body,
            prompt_hash=messages.prompt_hash,
            on_exchange=self.on_exchange,
        )
        key = None
        if self.cache is not None:
            key = cache_key(
                {
                    "rubric": keyword.rubric_version,
                    "prompt": messages.prompt_hash,
                    "model": self.model,
                    "temperature": temperature,
                    "sample": sample,
                    "max_tokens": exchange.max_tokens,
                    "extra_body": self.extra_body,
                    "feedback_language": feedback,
                    "redacted": not self.allow_pii,
                    "coaching": self.coaching,
                    "answer": sent.sent_normalized,
                }
            )
        return Job(
            bank,
            question,
            answer,
            keyword,
            exchange,
            sent.finder,
            sent.flags,
            folded,
            key,
            feedback,
            sent.talk,
        )

    def _cached(self, job: Job) -> Verified | None:
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

    def _remember(self, job: Job, outcome: Verified | BaseException) -> None:
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

    def _verifier(self, job: Job) -> Callable[[GradeReply], Verified]:
        assert job.finder is not None
        finder = job.finder

        relevance = self._relevance.get(id(job.question))
        if relevance is None or relevance.question is not job.question:
            relevance = Relevance(job.question, job.bank.language)
            self._relevance[id(job.question)] = relevance

        def verify(reply: GradeReply) -> Verified:
            return verify_reply(reply, job.question, finder, job.answer, relevance)

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
        self, job: Job, outcome: Verified | BaseException, cached: bool = False
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
                self._keyword.coaching_for,
                job.bank,
                job.question,
                star=job.keyword.star,
                feedback_language=job.feedback_language,
            ),
            answer=job.folded,
            talk=job.talk,
            model_coaching=self.coaching,
        )
        return result.model_copy(update={"cached": True}) if cached else result

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

    def _unsent(self, job: Job) -> GradeResult:
        """The keyword result, labelled: not configured is a fallback; a blank is just 0."""
        if job.keyword.has_flag("blank") or job.keyword.has_flag("non_answer"):
            return job.keyword
        if self.mode == "auto":
            return fallback_result(job.keyword, NOT_CONFIGURED)
        return job.keyword
