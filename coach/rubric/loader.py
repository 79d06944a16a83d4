"""Finding and loading banks: built-in ids or paths to YAML rubric files.

A bank reference is either the id of a built-in bank (`coach banks` lists them) or a path to a
YAML file. Validation errors become `RubricError`s that name the file, the field and the line.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from coach.errors import BankNotFoundError, RubricError
from coach.resources import data_dir
from coach.rubric.model import Bank

if TYPE_CHECKING:
    import yaml

# PyYAML is imported by the functions that read YAML, on first use: it is a tenth of the time
# `import coach` took, and a program that grades banks built in code never needs it.
_YAML_SUFFIXES = (".yaml", ".yml")

BankRef = str | os.PathLike[str] | Bank


def _safe_loader() -> type[yaml.SafeLoader]:
    """PyYAML's safe loader, the C one when PyYAML was built with libyaml."""
    import yaml

    loader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return loader


def parse_bank(text: str, *, path: str = "<string>") -> Bank:
    """Validate rubric YAML text into a `Bank`; errors name `path`, the field and the line."""
    import yaml

    try:
        loader = _safe_loader()(text)
        try:
            node = loader.get_single_node()
            if node is not None:
                _refuse_duplicate_keys(node, path)
            data = _construct(loader, node, path) if node is not None else None
        finally:
            loader.dispose()
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        problem = getattr(exc, "problem", None) or str(exc)
        raise RubricError(f"not valid YAML: {problem}", path=path, line=line) from None
    if not isinstance(data, dict):
        raise RubricError(
            "a rubric file must hold a mapping with 'id', 'questions', ...", path=path
        )
    try:
        return Bank.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        loc = tuple(first["loc"])
        field = ".".join(str(part) for part in loc) or None
        line = _line_of(text, loc)
        more = len(exc.errors()) - 1
        message = first["msg"] + (f" (and {more} more problem{'s' * (more > 1)})" if more else "")
        raise RubricError(message, path=path, field=field, line=line) from None


def _construct(loader: yaml.SafeLoader, node: yaml.Node, path: str) -> Any:
    """The document's Python value; a scalar PyYAML cannot convert is a `RubricError`."""
    import yaml

    try:
        return loader.construct_document(node)
    except yaml.YAMLError:
        raise
    except Exception as exc:
        # PyYAML's safe constructors let some malformed scalars escape as plain Python errors
        # instead of a YAMLError: a date such as 2024-13-01 or `0x_` (ValueError), an integer
        # longer than int_max_str_digits (ValueError), `!!timestamp x` (AttributeError), an
        # empty `!!int` (IndexError). Only the file's data runs here, so any of these means an
        # unreadable value, reported like other invalid YAML instead of crashing the caller.
        line = _first_bad_line(node)
        raise RubricError(
            f"not valid YAML: a value cannot be read ({type(exc).__name__}: {str(exc)[:200]})",
            path=path,
            line=line,
        ) from None


def _first_bad_line(root: yaml.Node) -> int | None:
    """1-based line of the first scalar that PyYAML's constructor cannot convert alone."""
    import yaml

    probe = _safe_loader()("")
    try:
        stack, seen = [root], set()
        while stack:
            node = stack.pop()
            if id(node) in seen:
                continue
            seen.add(id(node))
            if isinstance(node, yaml.ScalarNode):
                try:
                    probe.construct_object(node)
                except Exception:
                    return int(node.start_mark.line) + 1
            elif isinstance(node, yaml.MappingNode):
                stack.extend(child for pair in reversed(node.value) for child in reversed(pair))
            elif isinstance(node, yaml.SequenceNode):
                stack.extend(reversed(node.value))
        return None
    finally:
        probe.dispose()


def _refuse_duplicate_keys(root: yaml.Node, path: str) -> None:
    """YAML keeps the last of two equal keys without a word; in a rubric that hides a mistake."""
    import yaml

    stack, seen = [root], set()
    while stack:
        node = stack.pop()
        if id(node) in seen:  # an alias shares its anchor's node, and may even contain it
            continue
        seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            first_line: dict[str, int] = {}
            for key, value in node.value:
                if isinstance(key, yaml.ScalarNode) and key.value != "<<":
                    line = key.start_mark.line + 1
                    if key.value in first_line:
                        raise RubricError(
                            f"key {key.value!r} appears twice in one mapping "
                            f"(first on line {first_line[key.value]})",
                            path=path,
                            line=line,
                        )
                    first_line[key.value] = line
                stack.append(value)
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)


def load_file(path: str | os.PathLike[str]) -> Bank:
    """Load and validate one rubric file."""
    name = os.fspath(path)
    try:
        text = Path(name).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise RubricError(f"cannot read file: {reason}", path=name) from None
    return parse_bank(text, path=name)


def builtin_bank_ids() -> list[str]:
    """Ids of the banks that ship with coach, sorted."""
    return sorted(_builtin_index())


def builtin_banks() -> list[Bank]:
    """The banks that ship with coach, sorted by id."""
    return [_load_cached(str(_builtin_index()[bank_id])) for bank_id in builtin_bank_ids()]


def load_bank(ref: BankRef) -> Bank:
    """Resolve a bank reference: a `Bank`, a built-in id, or a path to a YAML file."""
    if isinstance(ref, Bank):
        return ref
    name = os.fspath(ref)
    index = _builtin_index()
    if name in index:
        return _load_cached(str(index[name]))
    if name.endswith(_YAML_SUFFIXES) or os.sep in name or Path(name).is_file():
        if not Path(name).is_file():
            raise BankNotFoundError(f"no rubric file at {name!r}")
        return load_file(name)
    known = ", ".join(sorted(index)) or "none"
    raise BankNotFoundError(f"unknown bank {name!r}; built-in banks: {known}")


@functools.cache
def _load_cached(path: str) -> Bank:
    return load_file(path)


@functools.lru_cache(maxsize=1)
def _builtin_index() -> dict[str, Path]:
    """Map built-in bank ids to files; the id is read from each file's top-level `id:` line."""
    index: dict[str, Path] = {}
    for path in sorted((data_dir() / "rubrics").glob("*.yaml")):
        bank_id = _declared_id(path)
        if bank_id is None:
            raise RubricError("no top-level 'id:' line", path=str(path))
        if bank_id in index:
            raise RubricError(
                f"bank id {bank_id!r} is also used by {index[bank_id]}", path=str(path)
            )
        index[bank_id] = path
    return index


def _declared_id(path: Path) -> str | None:
    # Reading the id line keeps `coach banks` from validating every question of every bank.
    with path.open(encoding="utf-8") as handle:
        for raw in handle:
            if raw.startswith("id:"):
                return raw[3:].split("#", 1)[0].strip().strip("'\"") or None
    return None


def _line_of(text: str, loc: tuple[Any, ...]) -> int | None:
    """1-based line of the YAML node that a pydantic error location points at."""
    import yaml

    try:
        node: Any = yaml.compose(text, Loader=yaml.SafeLoader)
    except (yaml.YAMLError, RecursionError):
        # The pure-Python composer recurses per nesting level, so a document nested a few
        # hundred levels deep (which the C loader accepts) overflows the stack here; the
        # error is then reported without a line rather than as a RecursionError.
        return None
    line = node.start_mark.line + 1 if node is not None else None
    for part in loc:
        child = _child(node, part)
        if child is None:
            break
        node, line = child
    return line


def _child(node: Any, part: Any) -> tuple[Any, int] | None:
    import yaml

    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if key.value == str(part):
                # Point at the key for a value error; its value may start lines later.
                return value, key.start_mark.line + 1
        return None
    if isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
        item = node.value[part]
        return item, item.start_mark.line + 1
    return None


def iter_files(paths: list[str]) -> Iterator[tuple[str, Bank | RubricError]]:
    """Validate each file, yielding the bank or the error: one bad file does not hide the rest."""
    for path in paths:
        try:
            yield path, load_file(path)
        except RubricError as exc:
            yield path, exc
