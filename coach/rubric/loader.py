"""Finding and loading banks: built-in ids or paths to YAML rubric files.

A bank reference is either the id of a built-in bank (`coach banks` lists them) or a path to a
YAML file. A file is read in the encoding given, or the one `coach.encoding` finds (UTF-8, a
byte order mark, GB18030/GBK, Big5, UTF-16), and may be at most `MAX_FILE_BYTES` long. Every
problem of a file becomes one `RubricError` naming the file, the field and the line; a file with
several raises them together (`RubricError.problems`).
"""

from __future__ import annotations

import contextlib
import functools
import gc
import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from coach.encoding import Decoded, DecodeFailure, decode, describe
from coach.errors import BankNotFoundError, RubricError
from coach.resources import data_dir
from coach.rubric.model import MAX_QUESTIONS, Bank
from coach.rubric.prebuilt import prebuilt_bank
from coach.rubric.problems import listed, problems_of

if TYPE_CHECKING:
    import yaml

# PyYAML is imported by the functions that read YAML, on first use: it is a tenth of the time
# `import coach` took, and a program that grades banks built in code never needs it.
_YAML_SUFFIXES = (".yaml", ".yml")
MAX_FILE_BYTES = 5 * 1024 * 1024  # the largest built-in bank is under 100 KB
MAX_NODES = 400_000  # YAML values in one file; 500 questions of a built-in's size hold 120,000

BankRef = str | os.PathLike[str] | Bank


def _safe_loader() -> type[yaml.SafeLoader]:
    """PyYAML's safe loader, the C one when PyYAML was built with libyaml."""
    import yaml

    loader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return loader


def parse_bank(text: str, *, path: str = "<string>") -> Bank:
    """Validate rubric YAML text into a `Bank`; errors name `path`, the field and the line."""
    return _parse(text, path, None)


def parse_decoded(decoded: Decoded, *, path: str) -> Bank:
    """`parse_bank` on text read from bytes; a guessed encoding is named in the error."""
    hint = None
    if not (decoded.is_utf8 or decoded.declared or decoded.bom):
        hint = f"read as {describe(decoded)}; pass --encoding NAME if that is wrong"
    return _parse(decoded.text, path, hint)


def _parse(text: str, path: str, hint: str | None) -> Bank:
    try:
        return _validate(text, path)
    except RubricError as exc:
        if hint is None:
            raise
        first, *rest = exc.problems
        noted = RubricError(
            f"{first.reason} ({hint})", path=first.path, field=first.field, line=first.line
        )
        raise RubricError.of([noted, *rest]) from None


def _validate(text: str, path: str) -> Bank:
    import yaml

    if len(text) > MAX_FILE_BYTES:
        raise RubricError(_too_large(len(text), "characters"), path=path)
    # A YAML value takes a line, a comma, a "- " or a bracket of its own, or shares its key's
    # line: twice the count of those bounds the values, found in milliseconds, before PyYAML
    # spends seconds building a document no rubric needs.
    starts = sum(text.count(mark) for mark in ("\n", ",", "- ", "[", "{"))
    if starts > MAX_NODES:
        raise RubricError(_too_complex(f"{starts:,} lines and list items"), path=path)
    with _collector_paused():
        try:
            loader = _safe_loader()(text)
            try:
                node = loader.get_single_node()
                problems = _duplicate_keys(node, path) if node is not None else []
                data = _construct(loader, node, path) if node is not None else None
            finally:
                loader.dispose()
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            line = mark.line + 1 if mark is not None else None
            problem = getattr(exc, "problem", None) or str(exc)
            raise RubricError(f"not valid YAML: {problem}", path=path, line=line) from None
        if not isinstance(data, dict) or node is None:
            raise RubricError(
                "a rubric file must hold a mapping with 'id', 'questions', ...", path=path
            )
        _version_as_written(data, node)
        try:
            bank = Bank.model_validate(data)
        except ValidationError as exc:
            problems += problems_of(exc, node, path)
    if problems:
        raise RubricError.of(listed(problems, path))
    return bank


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """Python's cycle collector off while a document becomes objects, as it was after.

    Building a tree of a few hundred thousand objects that all stay alive makes the collector
    run again and again over them: a 2.5 MB bank took four times as long to load with it on.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _version_as_written(data: dict[Any, Any], root: yaml.Node) -> None:
    """`version: 1.10` is the label "1.10", not the number 1.1: keep the scalar's own text."""
    import yaml

    if not isinstance(data.get("version"), int | float) or isinstance(data["version"], bool):
        return
    for key, value in root.value:
        if getattr(key, "value", None) == "version" and isinstance(value, yaml.ScalarNode):
            data["version"] = value.value


def _too_complex(what: str) -> str:
    return f"too complex ({what}): a rubric may hold at most {MAX_NODES:,} values; split the bank"


def _too_large(size: int, unit: str) -> str:
    limit = MAX_FILE_BYTES // (1024 * 1024)
    return f"too large ({size:,} {unit}): a rubric file may be at most {limit} MB; split the bank"


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


def _duplicate_keys(root: yaml.Node, path: str) -> list[RubricError]:
    """YAML keeps the last of two equal keys without a word; in a rubric that hides a mistake.

    On the way, a document larger than any rubric (a list longer than the longest a model
    allows, more than `MAX_NODES` values) is refused at once, before it is converted.
    """
    import yaml

    problems = []
    stack, seen = [root], set()
    while stack:
        node = stack.pop()
        if id(node) in seen:  # an alias shares its anchor's node, and may even contain it
            continue
        seen.add(id(node))
        if len(seen) > MAX_NODES:
            raise RubricError(_too_complex(f"more than {MAX_NODES:,} values"), path=path)
        if isinstance(node, yaml.SequenceNode) and len(node.value) > MAX_QUESTIONS:
            raise RubricError(
                f"a list of {len(node.value):,} items; no list in a rubric may hold more than "
                f"{MAX_QUESTIONS}",
                path=path,
                line=node.start_mark.line + 1,
            )
        if isinstance(node, yaml.MappingNode):
            first_line: dict[str, int] = {}
            for key, value in node.value:
                if isinstance(key, yaml.ScalarNode) and key.value != "<<":
                    line = key.start_mark.line + 1
                    if key.value in first_line:
                        problems.append(
                            RubricError(
                                f"key {key.value!r} appears twice in one mapping "
                                f"(first on line {first_line[key.value]})",
                                path=path,
                                line=line,
                            )
                        )
                        continue
                    first_line[key.value] = line
                stack.append(value)
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)
    return problems


def read_file(path: str | os.PathLike[str], encoding: str | None = None) -> Decoded:
    """The text of a rubric file: UTF-8 if it is valid UTF-8 (as coach writes rubrics), else
    in `encoding`, else as detected. A `RubricError` if it is larger than `MAX_FILE_BYTES`,
    unreadable, or not text (checked before anything is parsed)."""
    name = os.fspath(path)
    try:
        with Path(name).open("rb") as handle:
            size = os.fstat(handle.fileno()).st_size
            if size > MAX_FILE_BYTES:
                raise RubricError(_too_large(size, "bytes"), path=name)
            data = handle.read(MAX_FILE_BYTES + 1)  # a pipe or a device has no size
    except OSError as exc:
        raise RubricError(f"cannot read file: {exc.strerror or exc}", path=name) from None
    if len(data) > MAX_FILE_BYTES:
        raise RubricError(_too_large(len(data), "bytes or more"), path=name)
    try:
        return decode(data, encoding, utf8_first=True)
    except DecodeFailure as exc:
        raise RubricError(f"cannot read file: {exc.reason}", path=name) from None


def load_file(path: str | os.PathLike[str], *, encoding: str | None = None) -> Bank:
    """Load and validate one rubric file, in `encoding` or the encoding found."""
    name = os.fspath(path)
    return parse_decoded(read_file(name, encoding), path=name)


def builtin_bank_ids() -> list[str]:
    """Ids of the banks that ship with coach, sorted."""
    return sorted(_builtin_index())


def builtin_banks() -> list[Bank]:
    """The banks that ship with coach, sorted by id."""
    return [_load_cached(str(_builtin_index()[bank_id])) for bank_id in builtin_bank_ids()]


def load_bank(ref: BankRef, *, encoding: str | None = None) -> Bank:
    """Resolve a bank reference: a `Bank`, a built-in id, or a path to a YAML file (read in
    `encoding` if given; built-in banks are UTF-8 whatever it says)."""
    if isinstance(ref, Bank):
        return ref
    path = bank_file(ref)
    if path is None:
        return _load_cached(str(_builtin_index()[os.fspath(ref)]))
    return load_file(path, encoding=encoding)


def bank_file(ref: str | os.PathLike[str]) -> str | None:
    """The rubric file a reference names, or None for a built-in bank's id;
    `BankNotFoundError` when it is neither."""
    name = os.fspath(ref)
    index = _builtin_index()
    if name in index:
        return None
    if name.endswith(_YAML_SUFFIXES) or os.sep in name or Path(name).is_file():
        if not Path(name).is_file():
            raise BankNotFoundError(f"no rubric file at {name!r}")
        return name
    known = ", ".join(sorted(index)) or "none"
    raise BankNotFoundError(f"unknown bank {name!r}; built-in banks: {known}")


@functools.cache
def _load_cached(path: str) -> Bank:
    """A built-in bank: its copy validated ahead of time while the file is unchanged."""
    bank = prebuilt_bank(Path(path))
    return bank if bank is not None else load_file(path)


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


def iter_files(
    paths: list[str], *, encoding: str | None = None
) -> Iterator[tuple[str, Bank | RubricError, Decoded | None]]:
    """Validate each file, yielding its path, the bank or the error, and how its bytes were
    read (None when they could not be): one bad file does not hide the rest.

    A directory stands for the .yaml and .yml files in it and its subdirectories (hidden ones,
    such as .git, aside), in name order; one that has none is an error.
    """
    for path in paths:
        files = rubric_files(path) if os.path.isdir(path) else [path]
        if not files:
            yield path, RubricError("a directory without .yaml or .yml files", path=path), None
        for name in files:
            decoded = None
            try:
                decoded = read_file(name, encoding)
                yield name, parse_decoded(decoded, path=name), decoded
            except RubricError as exc:
                yield name, exc, decoded


def rubric_files(directory: str) -> list[str]:
    """The .yaml and .yml files below `directory`, hidden files and directories left out."""
    found = []
    for root, dirs, files in os.walk(directory):  # symbolic links to directories not followed
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        found += [
            os.path.join(root, f)
            for f in sorted(files)
            if f.endswith(_YAML_SUFFIXES) and not f.startswith(".")
        ]
    return sorted(found)
