"""What the `coach` commands share: the program name, usage errors and error lines, a numeric
argument type, reading a UTF-8 file and printing JSON.

Kept in one place so that every command words its errors and prints its output the same way.
"""

from __future__ import annotations

import argparse
import dataclasses
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
