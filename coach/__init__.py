"""coach: grade and coach free-text interview answers against rubric files.

>>> import coach
>>> result = coach.grade_offline("finance-cs-manager", "s2", "我会先安抚客户情绪……")
>>> result.score, result.max_score

The graders (`KeywordGrader`, `grade_offline`, `Grader`), batches, the cache and the practice
history load on first use, so `import coach` stays fast and offline grading never imports a
network client.
"""

import typing as _typing

from coach._exceptions import (
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
from coach._loader import builtin_bank_ids, builtin_banks, load_bank, load_file, parse_bank
from coach._normalize import NormalizedText, normalize
from coach._publish import Report, report
from coach._result import (
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
from coach._rubric import Band, Bank, Criterion, Deduction, KeyPoint, Level, Question
from coach._schema import rubric_json_schema
from coach._session import CompetencyScore, SessionRecord, Turn

if _typing.TYPE_CHECKING:
    from coach._bank_draft import QuestionSource, derive_bank, dump_bank
    from coach._batch import BatchError, BatchItem, BatchResult, BatchRun
    from coach._cache import CacheError, GradeCache
    from coach._calibrate import ScoredAnswer, calibrate_bank
    from coach._derive import derive_rubric
    from coach._grader import Grader
    from coach._history import History, HistoryError
    from coach._interview import InterviewError, MockInterview
    from coach._keyword import KeywordGrader
    from coach._offline import find_question, grade_offline
    from coach._prices import Price
    from coach._retry import RetryPolicy

# Loaded on first use: the openai SDK, asyncio and sqlite3 are not needed to grade offline,
# and the screening patterns (compiled at import, a tenth of the import) not to read a bank
# or a result.
_LAZY = {
    "BatchError": "coach._batch",
    "BatchItem": "coach._batch",
    "BatchResult": "coach._batch",
    "BatchRun": "coach._batch",
    "CacheError": "coach._cache",
    "GradeCache": "coach._cache",
    "Grader": "coach._grader",
    "History": "coach._history",
    "HistoryError": "coach._history",
    "InterviewError": "coach._interview",
    "KeywordGrader": "coach._keyword",
    "MockInterview": "coach._interview",
    "Price": "coach._prices",
    "QuestionSource": "coach._bank_draft",
    "RetryPolicy": "coach._retry",
    "ScoredAnswer": "coach._calibrate",
    "calibrate_bank": "coach._calibrate",
    "derive_bank": "coach._bank_draft",
    "derive_rubric": "coach._derive",
    "dump_bank": "coach._bank_draft",
    "find_question": "coach._offline",
    "grade_offline": "coach._offline",
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
    "report",
    "rubric_json_schema",
]
