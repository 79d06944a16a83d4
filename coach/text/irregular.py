"""Irregular English verbs: the forms a suffix rule cannot reach ("lose" and "lost").

A rubric says "lose value", an answer "lost a fifth of its value"; a rubric says "fall as well
as rise", an answer "fell". Stemming handles "-ed" and "-ing"; these past forms have their own
spelling. The table holds the verbs likely in a short answer about work, money, procedures or
science, not a dictionary, and leaves out verbs whose forms are common other words ("bite" and
"a bit", "lie" and "lay"). A word accepts only the forms that share its first letter ("ate" is
no form of "eat" here, nor "went" of "go"): every form a rubric word accepts starts with that
letter, which lets `re` skip ahead to candidate positions (`coach.text.match`).
"""

from __future__ import annotations

_VERBS = (
    "arise arose arisen",
    "begin began begun",
    "bend bent",
    "bind bound",
    "blow blew blown",
    "break broke broken",
    "bring brought",
    "build built",
    "burn burnt",
    "buy bought",
    "catch caught",
    "choose chose chosen",
    "cling clung",
    "come came",
    "deal dealt",
    "dig dug",
    "do did done",
    "draw drew drawn",
    "drink drank drunk",
    "drive drove driven",
    "eat ate eaten",
    "fall fell fallen",
    "feed fed",
    "feel felt",
    "fight fought",
    "find found",
    "fly flew flown",
    "forbid forbade forbidden",
    "forget forgot forgotten",
    "forgive forgave forgiven",
    "freeze froze frozen",
    "get got gotten",
    "give gave given",
    "grow grew grown",
    "hang hung",
    "have had has",
    "hear heard",
    "hide hid hidden",
    "hold held",
    "keep kept",
    "know knew known",
    "lead led",
    "leave left",
    "lend lent",
    "lose lost",
    "make made",
    "mean meant",
    "meet met",
    "overdraw overdrew overdrawn",
    "pay paid",
    "ride rode ridden",
    "ring rang rung",
    "rise rose risen",
    "run ran",
    "say said",
    "see saw seen",
    "seek sought",
    "sell sold",
    "send sent",
    "shake shook shaken",
    "shine shone",
    "shoot shot",
    "show shown",
    "shrink shrank shrunk",
    "sink sank sunk",
    "sit sat",
    "sleep slept",
    "speak spoke spoken",
    "spend spent",
    "spin spun",
    "stand stood",
    "steal stole stolen",
    "stick stuck",
    "strike struck",
    "swim swam swum",
    "take took taken",
    "teach taught",
    "tear tore torn",
    "tell told",
    "think thought",
    "throw threw thrown",
    "understand understood",
    "undertake undertook undertaken",
    "wake woke woken",
    "wear wore worn",
    "win won",
    "withdraw withdrew withdrawn",
    "write wrote written",
)

# The forms of a listed verb that share a form's first letter, keyed by that form.
FORMS: dict[str, tuple[str, ...]] = {
    form: tuple(other for other in forms if other[0] == form[0])
    for forms in (line.split() for line in _VERBS)
    for form in forms
}


def irregular_forms(word: str) -> tuple[str, ...]:
    """The irregular forms of the verb `word` is a form of ("lost": lose, lost); empty when it
    is not a listed verb."""
    return FORMS.get(word, ())


_PAST: dict[str, tuple[str, ...]] = {
    forms[0]: tuple(forms[1:]) for forms in (line.split() for line in _VERBS)
}


def past_forms(verb: str) -> tuple[str, ...]:
    """The past forms of the listed base verb `verb` ("hold": held), whatever their first
    letter; empty when it is not a listed verb."""
    return _PAST.get(verb, ())
