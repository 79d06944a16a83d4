"""The reply the LLM is asked for: a JSON Schema built per question, and its parser.

Per criterion the schema orders evidence quotes first, then the rationale, then the points, so a
model that writes in order has quoted before it judges. Criteria are keyed by the rubric's ids;
key point and deduction ids are enums of the rubric's own. There is no total: code adds up the
points.

The parser is lenient where servers differ (code fences, `<think>` blocks, prose around the JSON,
numbers sent as strings) and strict where it matters (ids and points are checked later by
`_verify`). Anything that cannot be read raises `InvalidReply` with a short message that can be
sent back to the model in a re-ask.
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

from coach.rubric.model import Question

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


def _strings(description: str = "") -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "array", "items": {"type": "string"}}
    if description:
        schema["description"] = description
    return schema


def _enum(values: list[str]) -> dict[str, Any]:
    return {"type": "string", "enum": values}


def _object(properties: dict[str, Any]) -> dict[str, Any]:
    """A strict object: every property required, nothing else allowed."""
    return {
        "type": "object",
        "properties": properties,
        "required": list(properties),
        "additionalProperties": False,
    }


def output_schema(question: Question, *, coaching: bool = True) -> dict[str, Any]:
    """The strict JSON Schema of a grade of `question` (every key required, nothing extra).

    `criteria` is an object with one required property per criterion id, so a server that
    enforces the schema cannot leave a criterion out, repeat one or invent one; each carries
    its own key point ids and its own points range. Without `coaching` the reply is the grade
    alone (criteria and deductions), which is about a third fewer schema tokens.
    """
    # Per-criterion fields carry no descriptions: the system prompt says once what evidence,
    # key_points and points mean, and the rubric names each criterion and its maximum; repeating
    # that per criterion cost about 40 tokens each.
    criteria = {
        c.id: _object(
            {
                "evidence": _strings(),
                "rationale": {"type": "string"},
                "key_points": {"type": "array", "items": _enum([kp.id for kp in c.key_points])},
                "points": {"type": "number", "minimum": 0, "maximum": c.points},
            }
        )
        for c in question.criteria
    }
    properties: dict[str, Any] = {"criteria": _object(criteria)}
    if question.deductions:
        properties["deductions"] = {
            "type": "array",
            "items": _object(
                {"id": _enum([d.id for d in question.deductions]), "evidence": _strings()}
            ),
        }
    if not coaching:
        return _object(properties)
    criterion_ids = [c.id for c in question.criteria]
    key_point_ids = list(dict.fromkeys(kp.id for c in question.criteria for kp in c.key_points))
    properties["strengths"] = {
        "type": "array",
        "description": "what the answer really does well, per criterion (none if nothing)",
        "items": _object(
            {"criterion_id": _enum(criterion_ids), "text": {"type": "string"}},
        ),
    }
    properties["improvements"] = {
        "type": "array",
        "description": "what to add or change: the missed key point, and a sentence to say",
        "items": _object(
            {
                "criterion_id": _enum(criterion_ids),
                "key_point_id": _enum(key_point_ids),
                "text": {"type": "string"},
                "example": {"type": "string"},
            }
        ),
    }
    properties["follow_up_questions"] = _strings(
        "questions an interviewer would ask next about what the answer left out"
    )
    if question.kind == "behavioral":
        part = _object(
            {
                "present": {"type": "boolean"},
                "evidence": {"type": "string", "description": "verbatim excerpt, or empty"},
            }
        )
        properties["star"] = _object(
            {name: part for name in ("situation", "task", "action", "result")}
        )
    properties["improved_answer"] = {
        "type": "string",
        "description": "the candidate's answer rewritten: keep their facts, fill the gaps",
    }
    return _object(properties)


_THINK = re.compile(r"<think(?:ing)?>.*?</think(?:ing)?>", re.DOTALL | re.IGNORECASE)
_FENCE = re.compile(r"```(?:json|JSON)?\s*\n?(.*?)```", re.DOTALL)
_WIDE_FENCE = re.compile(r"```(?:json|JSON)?\s*\n?(.*)```", re.DOTALL)


def _is_json(text: str) -> bool:
    try:
        json.loads(text)
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
        data = json.loads(extract_json(text))
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
