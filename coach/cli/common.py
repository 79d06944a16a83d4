"""What the `coach` commands share: the program name, usage errors and error lines, a numeric
argument type, reading a UTF-8 file and printing JSON.

Kept in one place so that every command words its errors and prints its output the same way.
"""

from __future__ import annotations

import argparse
import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any, TextIO

from coach.errors import CoachError

PROG = "coach"


class UsageError(Exception):
    """A command-line mistake: reported like argparse's own, with exit status 2."""


def print_error(err: TextIO, message: object) -> None:
    """The one line on stderr that reports an error: ``coach: error: MESSAGE``."""
    err.write(f"{PROG}: error: {message}\n")


def at_least(low: int) -> Callable[[str], int]:
    """An argparse `type`: a whole number no smaller than `low`."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
        if value < low:
            raise argparse.ArgumentTypeError(f"must be at least {low}, not {value}")
        return value

    return parse


def read_text(path: str | os.PathLike[str], what: str = "", *, encoding: str = "utf-8-sig") -> str:
    """The text of a UTF-8 file; `CoachError` naming it (``answers file 'a.yaml'``) if not.

    `what` says what the file is for; the default encoding drops a byte order mark.
    """
    name = f"{what} {str(path)!r}" if what else repr(str(path))
    try:
        return Path(path).read_text(encoding=encoding)
    except OSError as exc:
        raise CoachError(f"cannot read {name}: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise CoachError(f"{name} is not UTF-8 text") from None


def write_json(out: TextIO, document: Any) -> None:
    """`document` as indented JSON, non-ASCII text kept readable, and a newline."""
    out.write(json.dumps(document, ensure_ascii=False, indent=2) + "\n")
