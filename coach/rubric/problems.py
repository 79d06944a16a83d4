"""Turning pydantic's validation errors into rubric problems a person can act on.

Each problem names the file, the line of the YAML node it is about, and the field's dotted path;
its message is the model's own sentence, without pydantic's "Value error, " prefix. A misspelt
key is one problem ("unknown field `descripton`, did you mean `description`?"), not a missing
field plus an extra one. Errors the models raise through `model.problem` carry where they are
below the model (the repeated id of a question, say), so they point at that line.
"""

from __future__ import annotations

import difflib
from typing import TYPE_CHECKING, Any, get_args

from pydantic import BaseModel, ValidationError

from coach.errors import RubricError
from coach.rubric.model import Bank

if TYPE_CHECKING:
    import yaml
    from pydantic_core import ErrorDetails

MAX_LISTED = 100  # problems listed for one file; a count of the rest follows
_Loc = tuple[str | int, ...]
_OUT_OF_RANGE = {"finite_number", "greater_than", "greater_than_equal", "less_than_equal"}


def problems_of(exc: ValidationError, root: yaml.Node | None, path: str) -> list[RubricError]:
    """Every problem of `exc`, each at the line of the YAML node it is about."""
    errors = exc.errors()
    missing = {tuple(e["loc"]) for e in errors if e["type"] == "missing"}
    suggested: set[_Loc] = set()
    found: list[tuple[_Loc, str]] = []
    for error in errors:
        loc: _Loc = tuple(error["loc"])
        if error["type"] == "extra_forbidden":
            message, meant = _unknown_field(loc)
            if meant is not None and meant in missing:
                suggested.add(meant)
            found.append((loc, message))
        else:
            found.append(_located(error, loc))
    problems = [
        RubricError(message, path=path, field=_dotted(loc), line=_line_of(root, loc))
        for loc, message in found
        if loc not in suggested  # the misspelling's problem already names it
    ]
    return problems


def listed(problems: list[RubricError], path: str) -> list[RubricError]:
    """`problems` in the order of the file's lines, the first `MAX_LISTED` and a count of the
    rest: enough to fix, and no flood from a file that is wrong throughout."""
    ordered = sorted(problems, key=lambda problem: problem.line or 0)
    if len(ordered) <= MAX_LISTED:
        return ordered
    rest = len(ordered) - MAX_LISTED
    more = RubricError(f"and {rest} more problem{'s' * (rest > 1)} not listed", path=path)
    return [*ordered[:MAX_LISTED], more]


def _located(error: ErrorDetails, loc: _Loc) -> tuple[_Loc, str]:
    context: dict[str, Any] = dict(error.get("ctx") or {})
    if error["type"] == "rubric":  # raised by the model with `problem()`
        return (*loc, *context.get("at", ())), str(context["reason"])
    if error["type"] == "missing" and loc:
        return loc, f"required field `{loc[-1]}` is missing"
    message = error["msg"].removeprefix("Value error, ")
    if error["type"] in _OUT_OF_RANGE:
        value = error["input"]
        message += f", not {value if isinstance(value, str) else repr(value)}"  # inf, 1e300
    return loc, message


def _unknown_field(loc: _Loc) -> tuple[str, _Loc | None]:
    """The message for an unknown key at `loc`, and where the field it resembles would be."""
    key = str(loc[-1]) if loc else ""
    model = _model_at(loc[:-1])
    fields = list(model.model_fields) if model is not None else []
    close = difflib.get_close_matches(key, fields, n=1, cutoff=0.7)
    if close:
        return f"unknown field `{key}`, did you mean `{close[0]}`?", (*loc[:-1], close[0])
    known = f" (the fields here: {', '.join(fields)})" if fields else ""
    return f"unknown field `{key}`{known}", None


def _model_at(loc: _Loc) -> type[BaseModel] | None:
    """The model class whose mapping sits at `loc` (indexes into lists pass through)."""
    model: type[BaseModel] = Bank
    for part in loc:
        if isinstance(part, int):
            continue
        field = model.model_fields.get(part)
        inner = _inner_model(field.annotation) if field is not None else None
        if inner is None:
            return None
        model = inner
    return model


def _inner_model(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for argument in get_args(annotation):  # list[Question], Star | None, ...
        if (inner := _inner_model(argument)) is not None:
            return inner
    return None


def _dotted(loc: _Loc) -> str | None:
    return ".".join(str(part) for part in loc) or None


def _line_of(root: yaml.Node | None, loc: _Loc) -> int | None:
    """1-based line of the deepest node of `loc` that exists (the key, for a mapping value)."""
    if root is None:
        return None
    node, line = root, int(root.start_mark.line) + 1
    for part in loc:
        child = _child(node, part)
        if child is None:
            break
        node, line = child
    return line


def _child(node: yaml.Node, part: str | int) -> tuple[yaml.Node, int] | None:
    import yaml

    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if isinstance(key, yaml.ScalarNode) and key.value == str(part):
                # Point at the key for a value error; its value may start lines later.
                return value, int(key.start_mark.line) + 1
        return None
    if isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
        item = node.value[part]
        return item, int(item.start_mark.line) + 1
    return None
