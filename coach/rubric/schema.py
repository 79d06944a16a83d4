"""JSON Schema of rubric files, for editors (YAML language servers read JSON Schema)."""

from __future__ import annotations

from typing import Any

from coach.rubric.model import Bank

SCHEMA_ID = "https://coach.invalid/schema/rubric-bank.json"


def rubric_json_schema() -> dict[str, Any]:
    """The JSON Schema that a rubric bank file satisfies."""
    schema = Bank.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = SCHEMA_ID
    schema["title"] = "coach rubric bank"
    return schema
