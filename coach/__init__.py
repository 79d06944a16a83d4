"""coach: grade and coach free-text interview answers against rubric files.

>>> import coach
>>> result = coach.grade_offline("finance-cs-manager", "s2", "我会先安抚客户情绪……")
>>> result.score, result.max_score
"""

from coach._exceptions import (
    AnswerError,
    BankNotFoundError,
    CoachError,
    QuestionNotFoundError,
    RubricError,
)
from coach._keyword import KeywordGrader
from coach._loader import builtin_bank_ids, builtin_banks, load_bank, load_file, parse_bank
from coach._normalize import NormalizedText, normalize
from coach._offline import find_question, grade_offline
from coach._result import (
    CriterionResult,
    DeductionResult,
    Evidence,
    Flag,
    GradeResult,
    Usage,
)
from coach._rubric import Band, Bank, Criterion, Deduction, KeyPoint, Level, Question
from coach._schema import rubric_json_schema

__version__ = "0.1.0"

__all__ = [
    "AnswerError",
    "Band",
    "Bank",
    "BankNotFoundError",
    "CoachError",
    "Criterion",
    "CriterionResult",
    "Deduction",
    "DeductionResult",
    "Evidence",
    "Flag",
    "GradeResult",
    "KeyPoint",
    "KeywordGrader",
    "Level",
    "NormalizedText",
    "Question",
    "QuestionNotFoundError",
    "RubricError",
    "Usage",
    "__version__",
    "builtin_bank_ids",
    "builtin_banks",
    "find_question",
    "grade_offline",
    "load_bank",
    "load_file",
    "normalize",
    "parse_bank",
    "rubric_json_schema",
]
