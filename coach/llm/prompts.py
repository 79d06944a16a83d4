"""Prompt templates: loaded from files, their placeholders checked before any request.

A language has one pair of templates, `grade.LANG.system.txt` and `grade.LANG.user.txt`, in the
shipped `prompts/` folder or a folder of the caller's; the compact style, for models with a small
context window, uses `grade.LANG.compact.system.txt` and `grade.LANG.compact.user.txt`: the same
rules in a fraction of the words, the rubric and the answer unchanged, and no per-request marker
in the system message, so a local server can reuse the computed prompt of every grade of the
same question up to the answer (llama.cpp's prefix cache).

Placeholders are `{{name}}`. A template that names an unknown placeholder, lacks a required one,
or does not enclose the answer between its two markers is a `PromptError` when the templates are
loaded, so a broken template fails before it costs a request. The hash of both files goes into
every result (`prompt_hash`).
"""

from __future__ import annotations

import functools
import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from coach.errors import PromptError
from coach.resources import data_dir

PromptStyle = Literal["standard", "compact"]
PROMPT_STYLES: tuple[PromptStyle, ...] = ("standard", "compact")
PLACEHOLDER = re.compile(r"\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}")
# What each template may use, and what it must use to work at all.
ALLOWED = {
    "system": frozenset(
        {"role", "feedback_language", "advice", "output_format", "answer_open", "answer_close"}
    ),
    "user": frozenset({"question", "rubric", "answer", "answer_open", "answer_close"}),
}
REQUIRED = {
    "system": frozenset({"output_format"}),
    "user": frozenset({"rubric", "answer", "answer_open", "answer_close"}),
}


@dataclass(frozen=True, slots=True)
class PromptTemplates:
    """The system and user templates of one language, checked."""

    language: str
    system: str
    user: str
    prompt_hash: str  # "grade.LANG@" + 12 hex digits of the two files' SHA-256

    def render(self, fields: Mapping[str, str]) -> tuple[str, str]:
        """The system and user messages with every placeholder filled from `fields`."""
        return _fill(self.system, fields), _fill(self.user, fields)


def _fill(template: str, fields: Mapping[str, str]) -> str:
    # One pass, so a value that itself contains "{{x}}" (an answer can) is never expanded.
    return PLACEHOLDER.sub(lambda m: fields[m.group(1)], template)


def check_template(role: str, text: str, where: str) -> None:
    """Raise `PromptError` unless `text` is a usable template for `role` (system or user)."""
    names = [m.group(1) for m in PLACEHOLDER.finditer(text)]
    unknown = sorted(set(names) - ALLOWED[role])
    if unknown:
        allowed = ", ".join(sorted(ALLOWED[role]))
        raise PromptError(f"{where}: unknown placeholder(s) {unknown} (allowed: {allowed})")
    missing = sorted(REQUIRED[role] - set(names))
    if missing:
        raise PromptError(f"{where}: required placeholder(s) {missing} are missing")
    if role == "user":
        if names.count("answer") != 1:
            raise PromptError(f"{where}: '{{{{answer}}}}' must appear exactly once")
        # Nothing but the answer may sit between the markers: all of that is data to the model.
        at = names.index("answer")
        if at == 0 or names[at - 1] != "answer_open":
            raise PromptError(f"{where}: '{{{{answer}}}}' must follow '{{{{answer_open}}}}'")
        if at == len(names) - 1 or names[at + 1] != "answer_close":
            raise PromptError(
                f"{where}: '{{{{answer}}}}' must be followed by '{{{{answer_close}}}}'"
            )


def load_templates(
    language: str, directory: str | Path | None = None, style: PromptStyle = "standard"
) -> PromptTemplates:
    """The checked templates for `language` in `style`, from `directory` or the shipped
    `prompts/`."""
    if directory is None:
        return _shipped(language, style)
    return _load(language, Path(directory), style)


@functools.lru_cache(maxsize=8)
def _shipped(language: str, style: PromptStyle) -> PromptTemplates:
    return _load(language, data_dir() / "prompts", style)


def _file_name(language: str, role: str, style: PromptStyle) -> str:
    return (
        f"grade.{language}.{role}.txt"
        if style == "standard"
        else f"grade.{language}.{style}.{role}.txt"
    )


def check_markers_explained(system: str, user: str, where: str) -> None:
    """Raise `PromptError` unless the markers are named outside the answer slot too: the rule
    that what lies between them is data, not instructions, must be said somewhere."""
    named = [m.group(1) for m in PLACEHOLDER.finditer(system)]
    named += [m.group(1) for m in PLACEHOLDER.finditer(user)]
    if named.count("answer_open") < 2 or named.count("answer_close") < 2:
        raise PromptError(
            f"{where}: the templates must name '{{{{answer_open}}}}' and '{{{{answer_close}}}}' "
            "outside the answer too, to say that what lies between them is only data"
        )


def _load(language: str, folder: Path, style: PromptStyle = "standard") -> PromptTemplates:
    texts = {}
    for role in ("system", "user"):
        path = folder / _file_name(language, role, style)
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise PromptError(
                f"{path}: no {role} prompt template for language {language!r}"
            ) from None
        except (OSError, UnicodeDecodeError) as exc:
            raise PromptError(f"{path}: cannot read the template ({exc})") from None
        check_template(role, text, str(path))
        texts[role] = text
    check_markers_explained(
        texts["system"], texts["user"], str(folder / _file_name(language, "system", style))
    )
    digest = hashlib.sha256()
    for role in ("system", "user"):
        digest.update(texts[role].encode())
        digest.update(b"\0")
    return PromptTemplates(
        language=language,
        system=texts["system"],
        user=texts["user"],
        prompt_hash=f"grade{'' if style == 'standard' else '.' + style}.{language}"
        f"@{digest.hexdigest()[:12]}",
    )
