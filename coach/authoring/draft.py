"""Drafting a whole bank from reference answers, and writing a bank as editable YAML.

`derive_bank` runs `derive_rubric` over many questions, with all their text as the corpus
that tells specific words from common ones; `dump_bank` writes the YAML that `coach derive`
and `coach calibrate` save, checked to load back to the same bank.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, NamedTuple

from coach.authoring.derive import MAX_KEY_POINTS, derive_rubric
from coach.errors import CoachError
from coach.rubric.loader import BankRef, load_bank, parse_bank
from coach.rubric.model import Bank, Language


class QuestionSource(NamedTuple):
    """One question to derive: its id, text, reference answers and optional good answers."""

    id: str
    prompt: str
    references: Sequence[str]
    answers: Sequence[str] = ()


def derive_bank(
    questions: Sequence[QuestionSource],
    *,
    bank_id: str,
    title: str,
    language: Language = "zh",
    role: str = "-",
    source: str = "derived from reference answers by coach derive",
    points: float = 10,
    max_key_points: int = MAX_KEY_POINTS,
    full_share: float | None = None,
) -> Bank:
    """A draft bank of `derive_rubric` questions."""
    if not questions:
        raise CoachError("no question to derive a rubric for")
    corpus = [text for q in questions for text in (q.prompt, *q.references)]
    derived = []
    for q in questions:
        derived.append(
            derive_rubric(
                q.prompt,
                q.references,
                question_id=q.id,
                points=points,
                language=language,
                answers=q.answers,
                corpus=corpus,
                max_key_points=max_key_points,
                full_share=full_share,
            )
        )
    return Bank(
        id=bank_id, title=title, language=language, role=role, source=source, questions=derived
    )


def dump_bank(bank: BankRef, *, header: str = "") -> str:
    """The bank (a `Bank`, a built-in id or a YAML path) as rubric YAML (defaults left out),
    checked to load back to the same bank."""
    bank = load_bank(bank)
    import yaml  # loaded on first use, as by the rubric loader

    class Dumper(yaml.SafeDumper):
        """Short lists and small mappings of plain values on one line, as people write them."""

    def flow_list(dumper: yaml.SafeDumper, data: list[Any]) -> yaml.Node:
        flat = all(isinstance(item, str | int | float) for item in data)
        short = flat and sum(len(str(item)) for item in data) <= 80
        return dumper.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=short)

    def flow_dict(dumper: yaml.SafeDumper, data: dict[str, Any]) -> yaml.Node:
        small = len(data) <= 3 and all(isinstance(v, int | float) for v in data.values())
        return dumper.represent_mapping("tag:yaml.org,2002:map", data, flow_style=small)

    Dumper.add_representer(list, flow_list)
    Dumper.add_representer(dict, flow_dict)
    data = bank.model_dump(mode="json", exclude_defaults=True)
    body = yaml.dump(data, Dumper=Dumper, allow_unicode=True, sort_keys=False, width=100)
    comment = "".join(f"# {line}\n" for line in header.splitlines())
    text = comment + body
    if parse_bank(text) != bank:
        raise CoachError("the rubric did not survive a YAML round trip")  # pragma: no cover
    return text
