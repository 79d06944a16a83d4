"""What one server accepts, learned from its rejections and kept across a grader's grades.

Structured output, most to least strict: `response_format` with a strict JSON Schema, then JSON
mode (`json_object`, the schema written into the prompt and, where the server takes it, attached
to `response_format` as llama.cpp's server does to build a grammar), then a forced tool call. A
server that rejects one is asked again at once with the next: a 400 or 422 naming it, or a 500
or 501 whose body names `response_format`, `json_schema` or `tools` (llama.cpp's server answers
an unknown `response_format` type with a 500). `Protocol` remembers what worked for every later
grade of the grader, and can be set up front; so do a server's refusals of `temperature` or of
`max_tokens` (newer OpenAI models want `max_completion_tokens`), and a prompt longer than the
server's context window (the compact prompt is used from then on). A request that only learned
what the server accepts does not count against the grade's `max_attempts`; the deadline still
bounds it, and there are only so many things to learn.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from coach.llm.prompts import PromptStyle

if TYPE_CHECKING:
    import openai

OutputMode = Literal["json_schema", "json_object", "tools"]
OUTPUT_MODES: tuple[OutputMode, ...] = ("json_schema", "json_object", "tools")
REJECTED = frozenset({400, 422})  # statuses that may name a feature the server refuses
REJECTED_BY_CRASH = frozenset({500, 501})  # ... and those that do only when the body says so
CONTEXT_WORDS = ("context window", "context length", "maximum context", "n_ctx")
OUTPUT_WORDS = ("response_format", "json_schema", "json_object", "tools", "tool_choice")


@dataclass
class Protocol:
    """What one server accepts, learned from its rejections and kept across grades."""

    output_mode: OutputMode = "json_schema"
    attach_schema: bool = True  # in json_object mode, send the schema in response_format too
    token_param: Literal["max_tokens", "max_completion_tokens"] = "max_tokens"
    send_temperature: bool = True
    prompt_style: PromptStyle = "standard"  # "compact" once the context proved too small

    def adapt(self, exc: openai.APIStatusError) -> bool:
        """Change what is sent after a rejection that names a feature; True if changed."""
        text = f"{exc.message} {exc.body}".lower()
        if exc.status_code in REJECTED_BY_CRASH:
            return any(word in text for word in OUTPUT_WORDS) and self._downgrade_output(text)
        if exc.status_code not in REJECTED:
            return False
        if self.token_param == "max_tokens" and "max_completion_tokens" in text:
            self.token_param = "max_completion_tokens"
            return True
        if self.send_temperature and "temperature" in text:
            self.send_temperature = False
            return True
        if self.prompt_style == "standard" and any(word in text for word in CONTEXT_WORDS):
            self.prompt_style = "compact"
            return True
        features = {
            "json_schema": ("response_format", "json_schema", "structured output"),
            "json_object": ("response_format", "json_object", "json mode"),
            "tools": (),
        }[self.output_mode]
        if any(word in text for word in features) or "not supported" in text:
            return self._downgrade_output(text)
        return False

    def _downgrade_output(self, text: str) -> bool:
        """The next, less strict way to ask for structured output; False when none is left.

        In JSON mode, a rejection that does not name JSON mode itself is taken to be about the
        attached schema, which is dropped first."""
        if self.output_mode == "json_object" and self.attach_schema and "json_object" not in text:
            self.attach_schema = False
            return True
        position = OUTPUT_MODES.index(self.output_mode)
        if position + 1 < len(OUTPUT_MODES):
            self.output_mode = OUTPUT_MODES[position + 1]
            return True
        return False
