"""The word families `coach lint` suggests from, read from `lint_words.txt` beside this module.

Two sections: `paraphrases` (phrasings of one thing) and `regional` (a mainland word, then the
Taiwan and Hong Kong words for it that folding does not map). The irregular forms of English
verbs need no suggestion: the matcher accepts them (`coach.text.irregular`). Read once, on
first use.
"""

from __future__ import annotations

import functools
from pathlib import Path

from coach.errors import CoachError

WORDS_PATH = Path(__file__).with_name("lint_words.txt")
SECTIONS = ("paraphrases", "regional")

Family = tuple[str, ...]


def parse_families(text: str) -> dict[str, tuple[Family, ...]]:
    """The families of each section of a word file (see `lint_words.txt` for its format)."""
    found: dict[str, list[Family]] = {name: [] for name in SECTIONS}
    section: list[Family] | None = None
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("[") and line.endswith("]"):
            if line[1:-1] not in found:
                raise CoachError(f"word file line {number}: unknown section {line}")
            section = found[line[1:-1]]
            continue
        members = tuple(member.strip() for member in line.split("|"))
        if section is None or len(members) < 2 or not all(members):
            raise CoachError(f"word file line {number}: expected a family 'a | b | ...'")
        section.append(members)
    return {name: tuple(families) for name, families in found.items()}


@functools.lru_cache(maxsize=1)
def families() -> dict[str, tuple[Family, ...]]:
    """The shipped families, by section."""
    return parse_families(WORDS_PATH.read_text(encoding="utf-8"))
