"""Input and styling for `coach practice`: the answers, from a scripted answers file or typed
at the keyboard (or piped in, line by line: UTF-8, GB18030/GBK or Big5, or what --encoding
says), and the ANSI styling of what is printed.

Kept apart from the interview's flow in `coach.cli.practice`, which asks for the next answer
and styles a line the same way whatever the input and the terminal are.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
from dataclasses import dataclass
from typing import TextIO

from coach.cli.common import note_encoding, read_text
from coach.encoding import DecodeFailure, decode
from coach.errors import CoachError

_ANSWER_KEYS = {"answer", "follow_up"}


class Style:
    """ANSI bold and traffic-light colours, only on a terminal and without $NO_COLOR.

    Bold, green, yellow and red read well on dark and light backgrounds alike.
    """

    def __init__(self, out: TextIO) -> None:
        isatty = getattr(out, "isatty", None)
        self.on = bool(
            isatty is not None
            and isatty()
            and not os.environ.get("NO_COLOR")
            and os.environ.get("TERM") != "dumb"
        )

    def _wrap(self, code: str, text: str) -> str:
        return f"\033[{code}m{text}\033[0m" if self.on else text

    def bold(self, text: str) -> str:
        return self._wrap("1", text)

    def score(self, text: str, percent: float) -> str:
        colour = "32" if percent >= 80 else "33" if percent >= 50 else "31"
        return self._wrap(f"1;{colour}", text)


@dataclass(frozen=True)
class Scripted:
    """One answer of the --answers file, and the answer to its follow-up if one is asked."""

    answer: str
    follow_up: str | None


def load_answers(path: str, encoding: str | None = None) -> list[Scripted]:
    """The --answers file: a list (or `answers:` holding one) of strings or mappings."""
    import yaml

    name = repr(path)
    text = read_text(path, "answers file", encoding=encoding)
    try:
        data = json.loads(text) if path.endswith(".json") else yaml.safe_load(text)
    except json.JSONDecodeError as exc:
        raise CoachError(f"answers file {name} is not valid JSON: {exc}") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 1})" if mark is not None else ""
        problem = getattr(exc, "problem", None) or "syntax error"
        raise CoachError(f"answers file {name} is not valid YAML: {problem}{where}") from None
    if isinstance(data, dict) and set(data) == {"answers"}:
        data = data["answers"]
    shape = "a list of answers, each a string or {answer: ..., follow_up: ...}"
    if not isinstance(data, list):
        raise CoachError(f"answers file {name} must hold {shape}")
    if not data:
        raise CoachError(f"answers file {name} holds no answers")
    answers = []
    for number, item in enumerate(data, 1):
        where = f"answers file {name}, answer {number}"
        if isinstance(item, str):
            answers.append(Scripted(item, None))
            continue
        if not isinstance(item, dict):
            raise CoachError(f"{where}: expected a string or a mapping, not {_kind(item)}")
        unknown = sorted(str(key) for key in set(item) - _ANSWER_KEYS)
        if unknown:
            raise CoachError(f"{where}: unknown key {unknown[0]!r} (keys: answer, follow_up)")
        answer, follow_up = item.get("answer"), item.get("follow_up")
        if not isinstance(answer, str):
            raise CoachError(f"{where}: 'answer' must be text, not {_kind(answer)}")
        if follow_up is not None and not isinstance(follow_up, str):
            raise CoachError(f"{where}: 'follow_up' must be text, not {_kind(follow_up)}")
        answers.append(Scripted(answer, follow_up))
    return answers


def _kind(value: object) -> str:
    return "nothing" if value is None else type(value).__name__


class Keyboard:
    """Answers typed at the terminal, or piped in: blocks of lines ended by an empty line."""

    def __init__(self, stdin: TextIO, out: TextIO, encoding: str | None = None) -> None:
        self.stdin = stdin
        self.out = out
        self.encoding = encoding  # once a piped line is found in one, the lines after it too
        self.declared = encoding is not None
        self.tty = stdin is sys.stdin and stdin.isatty()
        if self.tty:
            with contextlib.suppress(ImportError):  # not on every platform
                import readline  # noqa: F401  (line editing and recall for input())
        self.ended = False

    def _line(self) -> str | None:
        """One line without its newline; None at end of input (Ctrl-D)."""
        if self.tty:
            try:
                return input("> ")
            except EOFError:
                self.out.write("\n")
                return None
        raw = self.stdin.buffer.readline() if hasattr(self.stdin, "buffer") else None
        if raw is None:
            text = self.stdin.readline()
            return text.rstrip("\r\n") if text else None
        if not raw:
            return None
        return self._decode(raw).rstrip("\r\n")

    def _decode(self, raw: bytes) -> str:
        """A piped line in the encoding declared or found for an earlier line, else as found."""
        if self.encoding is not None and not self.declared:
            try:
                return raw.decode(self.encoding)
            except UnicodeDecodeError:
                pass  # found from too short a line, perhaps: look again
        try:
            decoded = decode(raw, self.encoding if self.declared else None)
        except DecodeFailure as exc:
            raise CoachError(f"cannot read the answers on stdin: {exc.reason}") from None
        if not decoded.is_utf8 and decoded.encoding != self.encoding:
            note_encoding("the answers on stdin", decoded)
            self.encoding = decoded.encoding
        return decoded.text

    def block(self) -> str | None:
        """Lines up to an empty one; "" for an empty answer; None when input has ended."""
        lines: list[str] = []
        while True:
            line = self._line()
            if line is None:
                if not lines:
                    self.ended = True
                    return None
                break
            if not line.strip():
                break
            lines.append(line)
        return "\n".join(lines)
