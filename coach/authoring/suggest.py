"""Variants worth adding to a key point, each one tested to add recall, for `coach lint`.

Four sources, each checked with the grader's own matcher: a suggestion is made only when no
variant of the key point already matches it, and never when another key point of the question
does (that would make one phrase earn both):

* `inflection`: English forms of a variant's words: regular endings, -ise/-ize, British
  spellings in their American form. Most are already accepted by `coach.text.english` (and
  every irregular form it lists); those are not suggested;
* `traditional`: a Chinese variant as Traditional text writes it where folding does not bring
  it back to the variant (甚么 stays 甚么, not 什么; shown in Traditional characters by reading the
  folding table backwards);
* `regional`: Taiwan and Hong Kong words for a variant's mainland word (`lint_words.txt`);
* `paraphrase`: other members of a phrasing family one of the variants belongs to.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator, Sequence

from coach.authoring import phrase_check as pc
from coach.authoring.lint_words import families
from coach.rubric.model import KeyPoint
from coach.text.fold_table import t2s_table

# Simplified words that Traditional text writes with characters folding leaves alone (甚 is
# also a Simplified character), so the folded answer keeps them. (著 and 瞭解 are folded back
# to 着 and 了解 by normalization.)
_ALSO_WRITTEN = {"什么": "甚么"}
_WORD = re.compile(r"[A-Za-z]+")
_VOWELS = frozenset("aeiou")
_MODALS = frozenset("to can could will would shall should may might must do does did".split())
# Words without inflections of their own ("the" is no verb to add "-ing" to).
_FUNCTION_WORDS = frozenset(
    "the and but for nor yet you your our their them they she her him his its who why how what"
    " when where which that this these those with from into onto over than then there here"
    " can could will would shall should may might must not any all each some".split()
)
# British endings and their American forms (the other way round would make up words).
_AMERICAN = (("our", "or"), ("tre", "ter"), ("ogue", "og"), ("yse", "yze"), ("lled", "led"))

Suggestion = tuple[str, str, str, str]  # code, the variant it grows from, reason, the variant


def suggest_for(kp: KeyPoint, others: Sequence[KeyPoint]) -> Iterator[Suggestion]:
    """Suggestions for `kp`; `others` are the question's other key points."""
    made: set[str] = set()
    for code, source, reason, add in _candidates(kp):
        if add in made or add in kp.variants:
            continue
        texts = pc.filled(add)
        if any(pc.found(v, t) for v in kp.variants for t in texts):
            continue  # the key point already earns it
        if any(pc.found(v, t) for other in others for v in other.variants for t in texts):
            continue
        made.add(add)
        yield code, source, reason, add


def _candidates(kp: KeyPoint) -> Iterator[Suggestion]:
    for variant in kp.variants:
        if pc.is_chinese(variant):
            yield from _traditional(variant)
            yield from _regional(variant)
        else:
            yield from _inflections(variant)
    for family in families()["paraphrases"]:
        member = next((m for m in family if any(pc.is_phrase(v, m) for v in kp.variants)), None)
        if member is not None:
            for other in family:
                if other != member:
                    reason = f"says the same as {member!r} (a common phrasing of it)"
                    yield "paraphrase", member, reason, other


def _inflections(variant: str) -> Iterator[Suggestion]:
    previous = ""
    for match in _WORD.finditer(variant):
        word, previous, after_modal = match.group().lower(), match.group().lower(), previous
        if after_modal in _MODALS:
            continue  # "i can see": the verb after a modal keeps its plain form
        for form in sorted(english_forms(word)):
            add = variant[: match.start()] + form + variant[match.end() :]
            yield "inflection", variant, f"{form!r} is a form of {word!r} it does not match", add


def english_forms(word: str) -> set[str]:
    """Forms a candidate may write for `word`: its regular inflections, -ise/-ize, an
    American spelling of a British one."""
    forms: set[str] = set()
    if len(word) >= 3 and word not in _FUNCTION_WORDS:
        forms |= _regular(word)
        for british, american in _AMERICAN:
            if british in word:
                forms.add(word.replace(british, american))
        for before, after in (("is", "iz"), ("iz", "is")):
            for ending in ("e", "es", "ed", "ing", "ation", "ations"):
                if word.endswith(before + ending):
                    forms.add(word[: -len(before + ending)] + after + ending)
    forms.discard(word)
    return forms


def _regular(word: str) -> set[str]:
    """Plural or third person, past and -ing of `word`, by the spelling rules."""
    if word.endswith(("ed", "ing", "s")):
        return set()  # already inflected: the matcher finds its other forms from its stem
    consonant_y = word.endswith("y") and word[-2] not in _VOWELS
    doubled = (
        len(word) <= 4
        and word[-1] not in _VOWELS | {"w", "x", "y"}
        and word[-2] in _VOWELS
        and word[-3] not in _VOWELS
    )
    tail = word + word[-1] if doubled else word
    if consonant_y:
        return {word[:-1] + "ies", word[:-1] + "ied", word + "ing"}
    if word.endswith("e"):
        if word.endswith("ie"):
            ing = word[:-2] + "ying"
        elif word.endswith(("ee", "oe", "ye")):
            ing = word + "ing"
        else:
            ing = word[:-1] + "ing"
        return {word + "s", word + "d", ing}
    plural = word + "es" if word.endswith(("s", "x", "z", "ch", "sh")) else word + "s"
    return {plural, tail + "ed", tail + "ing"}


def _traditional(variant: str) -> Iterator[Suggestion]:
    folded = pc.key(variant)
    for simplified, written in _ALSO_WRITTEN.items():
        if simplified in folded:
            add = folded.replace(simplified, written)
            shown = traditional_spelling(add)
            reason = f"written {shown!r} in Traditional characters, it folds to {add!r}"
            yield "traditional", variant, reason, add


def traditional_spelling(text: str) -> str:
    """`text` in Traditional characters where the folding table, read backwards, gives one
    spelling; a character with several (发: 發, 髮) or none is kept."""
    spellings = _spellings()
    return "".join(spellings.get(char, char) for char in text)


def _regional(variant: str) -> Iterator[Suggestion]:
    folded = pc.key(variant)
    for mainland, *elsewhere in families()["regional"]:
        if mainland in folded:
            for word in elsewhere:
                add = folded.replace(mainland, pc.key(word))
                reason = f"{word!r} is the Taiwan or Hong Kong word for {mainland!r}"
                yield "regional", variant, reason, add


@functools.lru_cache(maxsize=1)
def _spellings() -> dict[str, str]:
    """Simplified character -> the one Traditional character that folds to it."""
    found: dict[str, list[str]] = {}
    for traditional in t2s_table():
        simplified = pc.key(traditional)
        if len(simplified) == 1:
            found.setdefault(simplified, []).append(traditional)
    return {char: forms[0] for char, forms in found.items() if len(forms) == 1}
