"""Other word orders of a key point's English phrasing, the ones answers use for the same idea.

A rubric writes a key point as an instruction ("lift the block", "refund the fee", "come into
the branch"); an answer tells what happens ("the block is lifted", "I'd have it refunded") or
picks another article ("come into a branch"). These rewrites follow, for key points only (a
deduction's trigger keeps its words as written):

* determiners are not part of the idea: "the", "a", "your"... inside a phrase of two or more
  other words are dropped, and the gap between the remaining words takes whatever determiner
  (or adjective) the answer puts there;
* a verb and its object in the passive order: "refund the fee" also matches "the fee was
  refunded", "verify*identity" also "identity verified". Only the verb's past participle counts
  there, so a phrase whose first word is no verb ("security questions") cannot match
  backwards by accident: "questions securityed" is no English;
* the object or subject as a pronoun: "raise the limit" also matches "if it's the limit I can
  raise it", "apy is higher" "APY includes compounding, so it's higher", but only after the
  answer has named the noun (in that sentence or the one before), so the pronoun stands for
  what the rubric asks about;
* a negated verb reworded: "do not disclose" as "disclose nothing", "without disclosing",
  "never disclose"; "can't promise" as "nobody can promise".
"""

from __future__ import annotations

import re

from coach.text.content import EN_FUNCTION_WORDS
from coach.text.irregular import past_forms

DETERMINERS = frozenset(
    ["a", "an", "the", "their", "your", "our", "his", "her", "its", "my", "this", "these"]
)
_VERB = re.compile(r"[a-z]{3,}")
_VOWELS = frozenset("aeiou")
# Words an object is not made of: a preposition or particle makes a phrasal verb ("look at",
# "call back", "go down"), which has no passive of this shape.
_PARTICLES = "at into from by about up down out off over back through after before as than"
_NOT_OBJECTS = (EN_FUNCTION_WORDS - {"it"}) | {"not", "no", "never", *_PARTICLES.split()}


def without_determiners(words: list[str]) -> list[str]:
    """`words` without their determiners, when at least two other words remain."""
    kept = [word for word in words if word not in DETERMINERS]
    return kept if len(kept) >= 2 else words


def passive_parts(parts: list[str]) -> tuple[str, str] | None:
    """A phrase's verb and its object, when the phrase reads "verb object": its parts (split at
    "*", normalized, all ASCII words) give the verb as the first word of the first part and the
    object as the words after it (a second part when the verb stands alone before a "*").

    The first word is taken for a verb only where the phrase marks it as one: a determiner or
    "it" right after it ("lift the block", "refund it"; no noun phrase has one inside), or a
    "*" after it ("confirm*transactions"). "security questions" or "annual percentage rate"
    are left alone, and so is "verify identity", which could be either. None when the phrase
    cannot be read so (more parts, or a function word on either side)."""
    first = parts[0].split()
    if len(parts) == 1:
        if len(first) < 2 or first[1] not in DETERMINERS | {"it", "them"}:
            return None
        verb, rest = first[0], without_determiners(first)[1:]
    elif len(parts) == 2 and len(first) == 1:
        verb, rest = first[0], without_determiners(parts[1].split())
    else:
        return None
    # A determiner kept alone ("the block" of "lift the block" was two words) is no object.
    rest = [word for word in rest if word not in DETERMINERS]
    if not rest or len(rest) > 2 or not _VERB.fullmatch(verb) or verb in EN_FUNCTION_WORDS:
        return None
    # "it" stays: "refund it" is said "have it refunded".
    if any(word in _NOT_OBJECTS for word in rest):
        return None
    return verb, " ".join(rest)


def participle_source(verb: str) -> str:
    """Regex source for the past participle of `verb` (or its simple past, which is the same
    for most verbs): "refunded", "verified", "stopped", "authorised"/"authorized", "held"."""
    irregular = past_forms(verb)
    if irregular:
        return "(?:" + "|".join(re.escape(form) for form in irregular) + ")"
    if verb.endswith(("ise", "ize")) and len(verb) > 5:
        return re.escape(verb[:-3]) + "i[sz]ed"
    if verb.endswith("e"):
        return re.escape(verb) + "d"
    if verb.endswith("y") and verb[-2] not in _VOWELS:
        return re.escape(verb[:-1]) + "ied"
    # "stop" -> "stopped", "refer" -> "referred"; doubling is optional, as spellings vary.
    if verb[-1] not in _VOWELS | {"w", "x", "y"} and verb[-2] in _VOWELS:
        return re.escape(verb) + re.escape(verb[-1]) + "?ed"
    return re.escape(verb) + "ed"


# A negated modal and the modal a "nobody can ..." sentence keeps.
_MODALS = {"can't": "can", "cannot": "can", "won't": "will", "couldn't": "could"}
_MODALS |= {"wouldn't": "would", "shouldn't": "should"}
_NEGATIONS = frozenset(["not", "never", "cannot"])
_AUXILIARIES = frozenset(["do", "does", "did", "will", "would", "can", "could", "should", "must"])


def negated_forms(words: list[str]) -> list[list[str]]:
    """The other ways English says a key point's negated verb: "do not disclose" as "never
    disclose", "disclose nothing", "without disclosing"; "can't promise" also as "nobody can
    promise"; "doesn't include compounding" as "includes no compounding". Empty when the phrase
    negates no verb (its first negation is not followed by a content word)."""
    negations = [n for n, word in enumerate(words) if word in _NEGATIONS or word.endswith("n't")]
    if not negations:
        return []
    n = negations[0]
    word = words[n]
    if n + 1 >= len(words) or words[n + 1] in _NOT_OBJECTS | DETERMINERS:
        return []
    start = n - 1 if word == "not" and n and words[n - 1] in _AUXILIARIES else n
    modal = _MODALS.get(word) or (
        words[n - 1] if start < n and words[n - 1] in _MODALS.values() else None
    )
    head, verb, rest = words[:start], words[n + 1], words[n + 2 :]
    forms = [[*head, "never", verb, *rest], [*head, "without", verb, *rest]]
    forms.append([*head, verb, "no", *rest] if rest else [*head, verb, "nothing"])
    if modal and not head:
        forms += [[who, modal, verb, *rest] for who in ("nobody", "no one")]
    return forms


_LINKS = frozenset(["is", "are", "was", "were", "will", "can", "does", "has", "have"])


def subject_parts(words: list[str]) -> tuple[str, list[str]] | None:
    """A phrase's subject noun and the pronoun that can stand for it, when the phrase reads
    "noun is/will/can ..." ("apy is higher": apy, ["it", "is", "higher"]); else None."""
    words = without_determiners(words)
    if len(words) < 3 or words[1] not in _LINKS:
        return None
    noun = words[0]
    if not _VERB.fullmatch(noun) or noun in _NOT_OBJECTS or noun in _NEGATIONS:
        return None
    pronoun = "they" if words[1] in ("are", "were", "have") else "it"
    return noun, [pronoun, *words[1:]]
