"""What the `coach` commands share: the program name, usage errors, error and note lines, a
numeric argument type, reading files the user gives (in `--encoding` or the encoding found) and
printing JSON.

Kept in one place so that every command words its errors and prints its output the same way.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TextIO

from coach.encoding import Decoded, DecodeFailure, canonical, decode, describe
from coach.errors import CoachError
from coach.rubric.loader import bank_file, load_bank, parse_decoded, read_file
from coach.rubric.model import Bank

PROG = "coach"
# The output file's option, as most tools spell it too ("--output" alone would otherwise be
# taken as an abbreviation of another option, such as grade-file's --output-mode).
OUT_FLAGS = ("--out", "-o", "--output")


class UsageError(Exception):
    """A command-line mistake: reported like argparse's own, with exit status 2."""


def print_error(err: TextIO, message: object) -> None:
    """The line on stderr that reports an error: ``coach: error: MESSAGE``; one such line per
    line of a message that has several (a rubric's problems)."""
    for line in str(message).split("\n"):
        err.write(f"{PROG}: error: {line}\n")


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


def add_encoding_option(parser: argparse.ArgumentParser, what: str) -> None:
    """`--encoding NAME`: the encoding of `what` (the files the user names, stdin)."""
    parser.add_argument(
        "--encoding",
        type=encoding_name,
        metavar="NAME",
        help=f"encoding of {what} (default: detected: a byte order mark, else UTF-8, else "
        "GB18030/GBK, Big5 or UTF-16, whichever reads as text; built-in banks are UTF-8)",
    )


def encoding_name(text: str) -> str:
    """An argparse `type`: a text encoding Python knows, by its canonical name."""
    try:
        return canonical(text)
    except LookupError:
        raise argparse.ArgumentTypeError(
            f"unknown encoding {text!r} (try utf-8, gb18030, gbk, big5, utf-16)"
        ) from None


def note(message: str) -> None:
    """A line on stderr that tells without failing: ``coach: note: MESSAGE``."""
    sys.stderr.write(f"{PROG}: note: {message}\n")


def note_encoding(name: str, decoded: Decoded) -> None:
    """Say how `name` was read, unless it was UTF-8 or the user said the encoding."""
    if decoded.is_utf8 or decoded.declared:
        return
    doubt = "" if decoded.confident else "; pass --encoding NAME if that is wrong"
    note(f"{name} read as {describe(decoded)}{doubt}")


def decode_input(data: bytes, name: str, encoding: str | None) -> str:
    """Bytes from a file or stdin as text, noting a non-UTF-8 encoding; `CoachError` if they
    are not text. A byte order mark is dropped, so it never shifts an evidence offset."""
    return _decoded(data, name, encoding).text


def _decoded(data: bytes, name: str, encoding: str | None) -> Decoded:
    try:
        decoded = decode(data, encoding)
    except DecodeFailure as exc:
        raise CoachError(f"cannot read {name}: {exc.reason}") from None
    note_encoding(name, decoded)
    return decoded


def read_decoded(
    path: str | os.PathLike[str], what: str = "", *, encoding: str | None = None
) -> Decoded:
    """A file the user gave, read in `encoding` or as detected (a non-UTF-8 one is noted);
    `CoachError` naming it (``answers file 'a.yaml'``) if it cannot be read. `what` says what
    the file is for."""
    name = f"{what} {str(path)!r}" if what else repr(str(path))
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise CoachError(f"cannot read {name}: {exc.strerror or exc}") from None
    return _decoded(data, name, encoding)


def read_text(path: str | os.PathLike[str], what: str = "", *, encoding: str | None = None) -> str:
    """The text of `read_decoded`."""
    return read_decoded(path, what, encoding=encoding).text


def open_bank(ref: str, encoding: str | None = None) -> Bank:
    """`load_bank` for the command line: a rubric file is read in `encoding` or as detected,
    and its encoding noted when it was not UTF-8."""
    path = bank_file(ref)
    if path is None:
        return load_bank(ref)
    decoded = read_file(path, encoding)
    bank = parse_decoded(decoded, path=path)
    note_encoding(f"rubric file {path!r}", decoded)
    return bank


def write_json(out: TextIO, document: Any) -> None:
    """`document` as indented JSON, non-ASCII text kept readable, and a newline."""
    out.write(json.dumps(document, ensure_ascii=False, indent=2) + "\n")


def positive_seconds(text: str) -> float:
    """An argparse `type`: a positive, finite number of seconds."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of seconds: {text!r}") from None
    if not 0 < value < float("inf"):
        raise argparse.ArgumentTypeError(f"must be a positive number of seconds, not {text}")
    return value


def add_llm_options(parser: argparse.ArgumentParser, *, server: bool = True) -> None:
    """The options that say which LLM to ask and how: every grading command takes them."""
    parser.add_argument("--model", metavar="M", help="LLM model name (default $COACH_MODEL)")
    if server:
        parser.add_argument(
            "--base-url",
            metavar="URL",
            help="OpenAI-compatible server, e.g. http://localhost:11434/v1 "
            "(default $OPENAI_BASE_URL)",
        )
    parser.add_argument(
        "--output-mode",
        choices=["json_schema", "json_object", "tools"],
        help="how to ask for structured output (default: json_schema, stepping down to what the "
        "server accepts)",
    )
    parser.add_argument(
        "--prompt",
        choices=["standard", "compact"],
        default="standard",
        help="compact: shorter instructions for models with a small context window",
    )
    parser.add_argument(
        "--deadline",
        type=positive_seconds,
        metavar="S",
        help="seconds for one whole grade, retries included (default $COACH_DEADLINE or 60)",
    )
    parser.add_argument(
        "--request-timeout",
        type=positive_seconds,
        metavar="S",
        help="seconds for one request (default $COACH_REQUEST_TIMEOUT or 30; the deadline grows "
        "to twice this unless given); a local model on a CPU may need minutes",
    )


def llm_options(args: argparse.Namespace) -> dict[str, Any]:
    """`Grader` keyword arguments from the options `add_llm_options` added."""
    from coach.llm.retry import RetryPolicy  # loaded only by commands that may grade

    policy = RetryPolicy.from_env()
    times = {"deadline": args.deadline, "request_timeout": args.request_timeout}
    chosen = {name: value for name, value in times.items() if value is not None}
    if chosen:
        if "request_timeout" in chosen and "deadline" not in chosen:
            # Leave room for the request and a re-ask: a longer timeout lengthens the deadline.
            chosen["deadline"] = max(policy.deadline, 2 * chosen["request_timeout"])
        policy = dataclasses.replace(policy, **chosen)
    return {
        "model": args.model,
        "base_url": getattr(args, "base_url", None),
        "output_mode": args.output_mode,
        "prompt": args.prompt,
        "policy": policy,
    }


def add_report_options(parser: argparse.ArgumentParser, what: str) -> None:
    """`--report FILE` (the format by the suffix) and `--html FILE` (always HTML)."""
    parser.add_argument(
        "--report",
        metavar="FILE",
        help=f"also write the {what} report; the suffix picks the format: .html, .md or .txt",
    )
    parser.add_argument(
        "--html",
        metavar="FILE",
        help=f"also write the {what} report as standalone HTML, whatever the file's suffix",
    )


def save_reports(report: Any, args: argparse.Namespace) -> list[Path]:
    """Write the report files that `add_report_options` asked for; the paths written."""
    written = []
    if args.html:
        written.append(report.save(args.html, format="html"))
    if args.report:
        written.append(report.save(args.report))
    return written
