"""The system and user messages of one grade, built from the prompt templates and the rubric.

A question's rubric text and reply schema are pure functions of a frozen question, so they are
rendered once per question and reused; the templates are loaded once per language. The system
message is a function of the reply schema because the schema is written into it only when the
server cannot enforce it (the protocol learns that during the first exchange), and a function of
the prompt style because a server may turn out to have too small a context for the standard one.
The user message, which holds the rubric and the answer, is the same in both styles.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from coach.llm.prompts import PromptStyle, PromptTemplates, load_templates
from coach.llm.render import (
    advice,
    language_name,
    new_markers,
    output_format,
    render_rubric,
    spotlight,
)
from coach.llm.reply_schema import output_schema
from coach.rubric.model import Bank, Question


@dataclass(frozen=True, slots=True)
class Messages:
    """One grade's prompt: the user message, the system message for a given reply schema."""

    user: str
    # (reply schema to write out, or None; prompt style) -> (system message, prompt hash)
    render_system: Callable[[dict[str, Any] | None, PromptStyle], tuple[str, str]]
    schema: dict[str, Any]  # the reply's JSON Schema
    prompt_hash: str  # which templates wrote it, in the style asked for
    feedback_language: str


class MessageBuilder:
    """Builds `Messages`; `prompts_dir` replaces the built-in templates (checked at once)."""

    def __init__(self, prompts_dir: str | Path | None, coaching: bool) -> None:
        self.prompts_dir = prompts_dir
        self.coaching = coaching
        # Keyed by the question's identity and kept alive by the value, so a question is
        # never mistaken for a new object at the same address.
        self._rubrics: dict[int, tuple[Question, str, str, dict[str, Any]]] = {}
        self._templates: dict[tuple[str, PromptStyle], PromptTemplates] = {}
        if prompts_dir is not None:  # a custom folder is checked now, before any request
            for language in ("zh", "en"):
                self.templates_for(language)

    def templates_for(self, language: str, style: PromptStyle = "standard") -> PromptTemplates:
        templates = self._templates.get((language, style))
        if templates is None:
            templates = load_templates(language, self.prompts_dir, style)
            self._templates[(language, style)] = templates
        return templates

    def _rubric_for(self, bank: Bank, question: Question) -> tuple[str, dict[str, Any]]:
        """`question`'s rubric as the prompt shows it, and the schema of its reply."""
        entry = self._rubrics.get(id(question))
        if entry is None or entry[0] is not question or entry[1] != bank.language:
            entry = (
                question,
                bank.language,
                render_rubric(bank, question),
                output_schema(question, coaching=self.coaching),
            )
            self._rubrics[id(question)] = entry
        return entry[2], entry[3]

    def build(
        self,
        bank: Bank,
        question: Question,
        answer: str,
        feedback_language: str,
        style: PromptStyle = "standard",
    ) -> Messages:
        """The messages that ask for a grade of `answer` (the text as sent, redacted)."""
        templates = self.templates_for(bank.language, style)
        markers = new_markers()
        rubric, schema = self._rubric_for(bank, question)
        fields = {
            "role": bank.role,
            "feedback_language": language_name(bank.language, feedback_language),
            "advice": advice(bank.language, feedback_language, self.coaching),
            "question": question.prompt,
            "rubric": rubric,
            "answer": spotlight(answer),
            "answer_open": markers.open,
            "answer_close": markers.close,
        }

        def render_system(schema: dict[str, Any] | None, style: PromptStyle) -> tuple[str, str]:
            chosen = self.templates_for(bank.language, style)
            written = {**fields, "output_format": output_format(bank.language, schema)}
            return chosen.render(written)[0], chosen.prompt_hash

        user = templates.render({**fields, "output_format": ""})[1]
        return Messages(user, render_system, schema, templates.prompt_hash, feedback_language)
