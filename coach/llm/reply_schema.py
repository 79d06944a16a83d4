"""The reply the LLM is asked for: a JSON Schema built per question, bounded, and its token cost.

Per criterion the schema orders evidence quotes first, then the rationale, then the points, so a
model that writes in order has quoted before it judges. Criteria are keyed by the rubric's ids;
key point and deduction ids are enums of the rubric's own. There is no total: code adds up the
points.

Every string has a `maxLength` and every list a `maxItems`, sized from the rubric (one quote per
key point, a strength per criterion, an improved answer about as long as the model answer). A
server that turns the schema into a grammar (llama.cpp, vLLM, Ollama) then has to close the
JSON within those bounds: a small model cannot ramble inside a string until the token limit.
`reply_token_budget` adds the bounds up, so the request's `max_tokens` fits the longest reply the
schema allows. OpenAI's and Azure's strict mode reject some of these keywords, so `unbounded`
strips them for the `json_schema` output mode, where the server's own decoding is trusted.
"""

from __future__ import annotations

from typing import Any

from coach.rubric.model import Question

QUOTE_CHARS = 60  # one evidence quote: a clause or two of the answer
RATIONALE_CHARS = 100
NOTE_CHARS = 80  # a strength, an improvement or its example sentence
FOLLOW_UP_CHARS = 60
FOLLOW_UPS = 3
MAX_QUOTES = 3  # per criterion or deduction, however many key points it has
MAX_IMPROVEMENTS = 4
IMPROVED_ANSWER_CHARS = (150, 500)  # bounds around the model answer's own length
BOUND_KEYWORDS = ("maxLength", "maxItems")
MAX_REPLY_TOKENS = 4096  # what many models can write at most: a budget is capped here

# Token cost of the parts of a reply that are not free text: a key with its quotes, colon and
# comma; a number; a boolean. Free text counts one token a character, which is about right for
# Chinese and generous for English.
_FIELD_TOKENS = 6
_NUMBER_TOKENS = 4


def _text(max_length: int, description: str = "") -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "string", "maxLength": max_length}
    if description:
        schema["description"] = description
    return schema


def _list(items: dict[str, Any], max_items: int, description: str = "") -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "array", "items": items, "maxItems": max(1, max_items)}
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


def _quotes(count: int) -> dict[str, Any]:
    return _list(_text(QUOTE_CHARS), min(MAX_QUOTES, max(2, count)))


def output_schema(question: Question, *, coaching: bool = True) -> dict[str, Any]:
    """The strict, bounded JSON Schema of a grade of `question` (every key required).

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
                "evidence": _quotes(len(c.key_points)),
                "rationale": _text(RATIONALE_CHARS),
                "key_points": _list(_enum([kp.id for kp in c.key_points]), len(c.key_points)),
                "points": {"type": "number", "minimum": 0, "maximum": c.points},
            }
        )
        for c in question.criteria
    }
    properties: dict[str, Any] = {"criteria": _object(criteria)}
    if question.deductions:
        deduction = _object(
            {"id": _enum([d.id for d in question.deductions]), "evidence": _quotes(1)}
        )
        properties["deductions"] = _list(deduction, len(question.deductions))
    if not coaching:
        return _object(properties)
    criterion_ids = [c.id for c in question.criteria]
    key_point_ids = list(dict.fromkeys(kp.id for c in question.criteria for kp in c.key_points))
    properties["strengths"] = _list(
        _object({"criterion_id": _enum(criterion_ids), "text": _text(NOTE_CHARS)}),
        len(criterion_ids),
        "what the answer really does well, per criterion (none if nothing)",
    )
    improvement = {
        "criterion_id": _enum(criterion_ids),
        "key_point_id": _enum(key_point_ids),
        "text": _text(NOTE_CHARS),
        "example": _text(NOTE_CHARS),
    }
    properties["improvements"] = _list(
        _object(improvement),
        min(MAX_IMPROVEMENTS, len(key_point_ids)),
        "what to add or change: the missed key point, and a sentence to say",
    )
    properties["follow_up_questions"] = _list(
        _text(FOLLOW_UP_CHARS),
        FOLLOW_UPS,
        "questions an interviewer would ask next about what the answer left out",
    )
    if question.kind == "behavioral":
        part = _object(
            {
                "present": {"type": "boolean"},
                "evidence": _text(QUOTE_CHARS, "verbatim excerpt, or empty"),
            }
        )
        properties["star"] = _object(
            {name: part for name in ("situation", "task", "action", "result")}
        )
    low, high = IMPROVED_ANSWER_CHARS
    properties["improved_answer"] = _text(
        min(high, max(low, len(question.model_answer))),
        "the candidate's answer rewritten: keep their facts, fill the gaps",
    )
    return _object(properties)


def unbounded(schema: Any) -> Any:
    """`schema` without its length bounds, for servers whose strict mode rejects them."""
    if isinstance(schema, dict):
        return {k: unbounded(v) for k, v in schema.items() if k not in BOUND_KEYWORDS}
    if isinstance(schema, list):
        return [unbounded(v) for v in schema]
    return schema


def reply_token_budget(schema: dict[str, Any]) -> int:
    """`max_tokens` for a reply to `schema`: its longest reply, up to `MAX_REPLY_TOKENS`."""
    return _derived(schema)[2]


def strict_schema(schema: dict[str, Any]) -> dict[str, Any]:
    """`unbounded(schema)`, made once per schema: every request of the `json_schema` mode
    carries it. Shared, so never to be mutated."""
    found: dict[str, Any] = _derived(schema)[1]
    return found


# What derives from a schema, by the schema's identity: a question's schema is built once per
# grader (`MessageBuilder`) and sent with every grade of that question.
_DERIVED: dict[int, tuple[dict[str, Any], Any, int]] = {}
_DERIVED_MAX = 1024  # schemas held at most; past that the table starts over


def _derived(schema: dict[str, Any]) -> tuple[dict[str, Any], Any, int]:
    entry = _DERIVED.get(id(schema))
    if entry is None or entry[0] is not schema:
        if len(_DERIVED) >= _DERIVED_MAX:
            _DERIVED.clear()
        budget = min(MAX_REPLY_TOKENS, longest_reply_tokens(schema))
        entry = (schema, unbounded(schema), budget)
        _DERIVED[id(schema)] = entry
    return entry


def longest_reply_tokens(schema: dict[str, Any]) -> int:
    """Tokens of the longest reply `schema` allows: every list full, every string at its bound."""
    kind = schema.get("type")
    if kind == "object":
        return 2 + sum(
            _FIELD_TOKENS + longest_reply_tokens(value)
            for value in schema.get("properties", {}).values()
        )
    if kind == "array":
        return 2 + int(schema.get("maxItems", 1)) * (1 + longest_reply_tokens(schema["items"]))
    if kind == "string":
        if "enum" in schema:
            return 2 + max(len(str(value)) for value in schema["enum"]) // 2
        return 2 + int(schema.get("maxLength", RATIONALE_CHARS))
    return _NUMBER_TOKENS
