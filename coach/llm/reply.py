"""The reply the LLM sends, as read: lenient models of a grade, and the parser.

What the LLM is asked to write is `reply_schema.output_schema`. The parser is lenient where
servers differ (code fences, `<think>` blocks, prose around the JSON, numbers sent as strings)
and strict where it matters (ids and points are checked later by `_verify`). Anything that
cannot be read raises `InvalidReply` with a short message that can be sent back to the model in
a re-ask.
"""

from __future__ import annotations

import copy
import json
import re
from typing import Any

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    ValidatorFunctionWrapHandler,
    field_validator,
    model_validator,
)

MAX_QUOTES = 5  # evidence quotes kept per criterion or deduction
MAX_NOTES = 8  # strengths or improvements kept
MAX_TEXT = 2000  # characters kept of any one rationale, quote or note


class InvalidReply(Exception):
    """The reply is not a readable grade; the message says why, briefly, for a re-ask."""


class _Lenient(BaseModel):
    # Models add fields of their own ("total", "score"): ignored, never trusted.
    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)


class CriterionReply(_Lenient):
    id: str
    evidence: list[str] = Field(default_factory=list)
    rationale: str = ""
    key_points: list[str] = Field(default_factory=list)
    points: float = Field(allow_inf_nan=False)


class DeductionReply(_Lenient):
    id: str
    evidence: list[str] = Field(default_factory=list)


class NoteReply(_Lenient):
    """A strength or an improvement; a bare string is read as its text."""

    text: str
    criterion_id: str | None = None
    key_point_id: str | None = None
    example: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _bare(cls, value: Any) -> Any:
        return {"text": value} if isinstance(value, str) else value


class StarPartReply(_Lenient):
    present: bool = False
    evidence: str = ""


class StarReply(_Lenient):
    situation: StarPartReply = Field(default_factory=StarPartReply)
    task: StarPartReply = Field(default_factory=StarPartReply)
    action: StarPartReply = Field(default_factory=StarPartReply)
    result: StarPartReply = Field(default_factory=StarPartReply)


_COACHING_DEFAULTS: dict[str, Any] = {
    "strengths": [],
    "improvements": [],
    "follow_up_questions": [],
    "star": None,
    "improved_answer": "",
}


class GradeReply(_Lenient):
    """A reply as read; criteria come keyed by id (the schema's form) or as a list with ids."""

    criteria: list[CriterionReply]
    deductions: list[DeductionReply] = Field(default_factory=list)
    strengths: list[NoteReply] = Field(default_factory=list)
    improvements: list[NoteReply] = Field(default_factory=list)
    follow_up_questions: list[str] = Field(default_factory=list)
    star: StarReply | None = None
    improved_answer: str = ""

    @field_validator(
        "strengths", "improvements", "follow_up_questions", "star", "improved_answer", mode="wrap"
    )
    @classmethod
    def _coaching_never_fails_a_grade(
        cls, value: Any, handler: ValidatorFunctionWrapHandler, info: ValidationInfo
    ) -> Any:
        # Coaching is advice around the grade: a malformed part is dropped, not re-asked.
        try:
            return handler(value)
        except ValidationError:
            return copy.copy(_COACHING_DEFAULTS[str(info.field_name)])  # never the shared list

    @field_validator("criteria", mode="before")
    @classmethod
    def _keyed(cls, value: Any) -> Any:
        if isinstance(value, dict):
            return [
                {**entry, "id": key} if isinstance(entry, dict) else entry
                for key, entry in value.items()
            ]
        return value


_THINK = re.compile(r"<think(?:ing)?>.*?</think(?:ing)?>", re.DOTALL | re.IGNORECASE)
_FENCE = re.compile(r"```(?:json|JSON)?\s*\n?(.*?)```", re.DOTALL)
_WIDE_FENCE = re.compile(r"```(?:json|JSON)?\s*\n?(.*)```", re.DOTALL)


def _loads(text: str) -> Any:
    # strict=False: raw newlines and tabs inside strings, which small models write, are read
    # as the characters they are rather than failing the whole reply.
    return json.loads(text, strict=False)


def _is_json(text: str) -> bool:
    try:
        _loads(text)
    except (ValueError, RecursionError):
        return False
    return True


def extract_json(text: str) -> str:
    """The JSON object inside a reply: reasoning blocks, fences and surrounding prose removed."""
    text = _THINK.sub("", text).strip()
    if text.lower().startswith(("<think>", "<thinking>")):
        raise InvalidReply("the reply holds only an unfinished <think> block, no JSON")
    # A fence is looked for only around the JSON: an object's strings may quote an answer that
    # itself holds a fence. So a reply that starts as an object is taken whole, and inside a
    # fence the shortest block is tried first, then the block up to the last closing fence.
    if not text.startswith("{"):
        blocks = [m.group(1).strip() for m in (_FENCE.search(text), _WIDE_FENCE.search(text)) if m]
        for block in blocks:
            if _is_json(block):
                text = block
                break
        else:
            text = blocks[0] if blocks else text
    if not text.startswith("{"):
        start, end = text.find("{"), text.rfind("}")
        if start < 0 or end < start:
            raise InvalidReply("the reply holds no JSON object")
        text = text[start : end + 1]
    return text


def _clip(items: list[str], count: int) -> list[str]:
    return [item[:MAX_TEXT] for item in items if item][:count]


def parse_reply(text: str | None) -> GradeReply:
    """Read a reply's text into a `GradeReply`; `InvalidReply` says what is wrong."""
    if not text or not text.strip():
        raise InvalidReply("the reply is empty")
    try:
        data = _loads(extract_json(text))
    except json.JSONDecodeError as exc:
        raise InvalidReply(
            f"the reply is not valid JSON ({exc.msg} at position {exc.pos})"
        ) from None
    except (ValueError, RecursionError) as exc:
        # json.loads raises a plain ValueError for an integer longer than int_max_str_digits
        # and RecursionError for deep nesting; both are replies that cannot be read, not crashes.
        raise InvalidReply(f"the reply is not usable JSON ({type(exc).__name__})") from None
    if not isinstance(data, dict):
        raise InvalidReply("the reply must be a JSON object")
    try:
        reply = GradeReply.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc']) or 'reply'}: {err['msg']}"
            for err in exc.errors()[:5]
        )
        raise InvalidReply(f"the reply does not match the schema ({problems})") from None
    items: list[CriterionReply | DeductionReply] = [*reply.criteria, *reply.deductions]
    for item in items:
        item.evidence[:] = _clip(item.evidence, MAX_QUOTES)
    for crit in reply.criteria:
        crit.rationale = crit.rationale[:MAX_TEXT]
    for notes in (reply.strengths, reply.improvements):
        notes[:] = [n for n in notes if n.text][:MAX_NOTES]
        for note in notes:
            note.text = note.text[:MAX_TEXT]
            note.example = (note.example or "")[:MAX_TEXT] or None
    reply.follow_up_questions[:] = _clip(reply.follow_up_questions, MAX_NOTES)
    reply.improved_answer = reply.improved_answer[: 4 * MAX_TEXT]
    return reply
