"""coach: grade and coach free-text interview answers against rubric files.

>>> import coach
>>> result = coach.grade_offline("finance-cs-manager", "s2", "我会先安抚客户情绪……")
>>> result.score, result.max_score

`coach.redact(text)` replaces personal data (phones, IDs, cards, e-mail, QQ and WeChat ids,
names, addresses) by placeholders, for apps that store or forward answers themselves.

The graders (`KeywordGrader`, `grade_offline`, `Grader`), batches, the cache, the redactor and
the practice history load on first use, so `import coach` stays fast and offline grading never
imports a network client.

The public API is what this module exports (`__all__`) and `coach.testing`. The sub-packages
(`coach.rubric`, `coach.grading`, ...; see ARCHITECTURE.md) are internal and may change.
"""

import typing as _typing

from coach.errors import (
    AnswerError,
    BankNotFoundError,
    CoachError,
    ConfigError,
    DeadlineError,
    LLMError,
    LLMRefusalError,
    LLMReplyError,
    LLMRequestError,
    LLMUnavailableError,
    PromptError,
    QuestionNotFoundError,
    RubricError,
)
from coach.reports.publish import Report, report
from coach.result import (
    Consistency,
    CriterionResult,
    DeductionResult,
    Evidence,
    Feedback,
    Flag,
    FollowUp,
    GradeResult,
    ImprovedAnswer,
    Star,
    StarPart,
    Usage,
)
from coach.rubric.loader import builtin_bank_ids, builtin_banks, load_bank, load_file, parse_bank
from coach.rubric.model import Band, Bank, Criterion, Deduction, KeyPoint, Level, Question
from coach.rubric.schema import rubric_json_schema
from coach.session import CompetencyScore, SessionRecord, Turn
from coach.text.normalize import NormalizedText, normalize

if _typing.TYPE_CHECKING:
    from coach.authoring.calibrate import ScoredAnswer, calibrate_bank
    from coach.authoring.derive import derive_rubric
    from coach.authoring.draft import QuestionSource, derive_bank, dump_bank
    from coach.batch.run import BatchError, BatchItem, BatchResult, BatchRun
    from coach.grading.grader import Grader
    from coach.grading.keyword import KeywordGrader
    from coach.grading.offline import find_question, grade_offline
    from coach.llm.cache import CacheError, GradeCache
    from coach.llm.events import ExchangeEvent
    from coach.llm.prices import Price
    from coach.llm.retry import RetryPolicy
    from coach.practice.history import History, HistoryError
    from coach.practice.interview import InterviewError, MockInterview
    from coach.text.redact import Redaction, Replacement, redact

# Loaded on first use: the openai SDK, asyncio and sqlite3 are not needed to grade offline,
# and the screening and redaction patterns (compiled at import, a tenth of the import) not to
# read a bank or a result.
_LAZY = {
    "BatchError": "coach.batch.run",
    "BatchItem": "coach.batch.run",
    "BatchResult": "coach.batch.run",
    "BatchRun": "coach.batch.run",
    "CacheError": "coach.llm.cache",
    "ExchangeEvent": "coach.llm.events",
    "GradeCache": "coach.llm.cache",
    "Grader": "coach.grading.grader",
    "History": "coach.practice.history",
    "HistoryError": "coach.practice.history",
    "InterviewError": "coach.practice.interview",
    "KeywordGrader": "coach.grading.keyword",
    "MockInterview": "coach.practice.interview",
    "Price": "coach.llm.prices",
    "QuestionSource": "coach.authoring.draft",
    "Redaction": "coach.text.redact",
    "Replacement": "coach.text.redact",
    "RetryPolicy": "coach.llm.retry",
    "ScoredAnswer": "coach.authoring.calibrate",
    "calibrate_bank": "coach.authoring.calibrate",
    "derive_bank": "coach.authoring.draft",
    "derive_rubric": "coach.authoring.derive",
    "dump_bank": "coach.authoring.draft",
    "find_question": "coach.grading.offline",
    "grade_offline": "coach.grading.offline",
    "redact": "coach.text.redact",
}


def __getattr__(name: str) -> _typing.Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'coach' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


__version__ = "0.1.0"

__all__ = [
    "AnswerError",
    "Band",
    "Bank",
    "BankNotFoundError",
    "BatchError",
    "BatchItem",
    "BatchResult",
    "BatchRun",
    "CacheError",
    "CoachError",
    "CompetencyScore",
    "ConfigError",
    "Consistency",
    "Criterion",
    "CriterionResult",
    "DeadlineError",
    "Deduction",
    "DeductionResult",
    "Evidence",
    "ExchangeEvent",
    "Feedback",
    "Flag",
    "FollowUp",
    "GradeCache",
    "GradeResult",
    "Grader",
    "History",
    "HistoryError",
    "ImprovedAnswer",
    "InterviewError",
    "KeyPoint",
    "KeywordGrader",
    "LLMError",
    "LLMRefusalError",
    "LLMReplyError",
    "LLMRequestError",
    "LLMUnavailableError",
    "Level",
    "MockInterview",
    "NormalizedText",
    "Price",
    "PromptError",
    "Question",
    "QuestionNotFoundError",
    "QuestionSource",
    "Redaction",
    "Replacement",
    "Report",
    "RetryPolicy",
    "RubricError",
    "ScoredAnswer",
    "SessionRecord",
    "Star",
    "StarPart",
    "Turn",
    "Usage",
    "__version__",
    "builtin_bank_ids",
    "builtin_banks",
    "calibrate_bank",
    "derive_bank",
    "derive_rubric",
    "dump_bank",
    "find_question",
    "grade_offline",
    "load_bank",
    "load_file",
    "normalize",
    "parse_bank",
    "redact",
    "report",
    "rubric_json_schema",
]
