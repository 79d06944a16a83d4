"""English words of rubric phrases as regexes that accept the forms candidates write.

A rubric lists "verify identity"; answers say "verifying the customer's identity", "verified
identities", "verfy idenity". A whole-word literal match misses all three. Each English word of
a phrase is compiled here to accept:

* its inflections and common derivations: "type" matches "types", "typed", "typing"; "verify"
  matches "verifies", "verified", "verifying", "verification"; British and American "-ise" /
  "-ize"; a doubled final consonant ("stopped");
* a word cut short on purpose ("apologi", "authori": ending in "i", which no listed English
  word does) as the start of any longer word;
* one typo (a letter dropped, added, changed or two swapped) in words of `TYPO_MIN_LETTERS` or
  more, where a slip is common and the misspelling cannot be another short word.

Word boundaries are letters only, so a list number glued to a word ("ribosome3.", "them2)")
does not hide it. Words with digits or apostrophes ("24/7", "don't") match as written.
"""

from __future__ import annotations

import re

TYPO_MIN_LETTERS = 7  # one edit is tolerated in words this long or longer
# Endings a stem may take in an answer, whatever the rubric's own form was.
_ENDINGS = "e|es|s|ed|d|ing|er|ers|ion|ions|ation|ations|ment|ments|al|ally|ly|ity|ities|ive|ness"
_Y_ENDINGS = "y|ies|ied|ying|ier|iest|ily|ication|ications"
_VOWELS = frozenset("aeiou")
_LETTERS = re.compile(r"[a-z]+")


def stem(word: str) -> str:
    """`word` without an inflectional ending or a final silent "e": "typing", "typed" and
    "type" give "typ"; "verified" gives "verify"; "charges" gives "charg"."""
    base = word
    if len(word) > 4 and word.endswith(("ies", "ied")):
        base = word[:-3] + "y"
    elif len(word) > 5 and word.endswith("ing"):
        base = word[:-3]
    elif len(word) > 4 and (word.endswith("ed") or (word.endswith("es") and word[-3] != "s")):
        base = word[:-2]
    elif len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        base = word[:-1]
    if len(base) > 3 and base.endswith("e"):
        base = base[:-1]
    if len(base) > 4 and base[-1] == base[-2] and base[-1] not in _VOWELS | {"l", "s"}:
        base = base[:-1]  # "stopp(ed)" -> "stop"
    return base


def word_source(word: str) -> str:
    """Regex source for one English word of a rubric phrase, without boundaries."""
    if not _LETTERS.fullmatch(word):
        return re.escape(word)
    if len(word) >= 5 and word.endswith("i"):
        return re.escape(word) + "[a-z]*"  # cut short on purpose: "apologi", "authori"
    base = stem(word)
    if len(base) < 3:
        return re.escape(word) + "(?:s|es)?"
    if base.endswith(("is", "iz")) and len(base) > 4:
        head, endings = _typos(base[:-2]) + "i[sz]", _ENDINGS
    elif base.endswith("y") and len(base) > 3 and base[-2] not in _VOWELS:
        head, endings = _typos(base[:-1]), _Y_ENDINGS
    else:
        head = _typos(base)
        double = re.escape(base[-1]) + "?" if base[-1] not in _VOWELS else ""
        endings = f"{_ENDINGS}|{double}(?:ed|ing|er|ers)" if double else _ENDINGS
    return f"{head}(?:{endings})?"


def _typos(base: str) -> str:
    """`base`, or any one-edit slip of it when it is long enough to make one likely."""
    if len(base) < TYPO_MIN_LETTERS - 1:
        return re.escape(base)
    forms = {re.escape(base)}
    for i in range(1, len(base)):  # the first letter is rarely the slip, and a fixed one is fast
        head, tail = re.escape(base[:i]), re.escape(base[i + 1 :])
        forms.add(head + tail)  # a letter dropped
        forms.add(f"{head}[a-z]{tail}")  # a letter changed
        forms.add(f"{head}[a-z]{re.escape(base[i:])}")  # a letter added
        if i + 1 < len(base) and base[i] != base[i + 1]:
            swapped = base[:i] + base[i + 1] + base[i] + base[i + 2 :]
            forms.add(re.escape(swapped))
    first = re.escape(base[0])
    rest = sorted(f[len(first) :] for f in forms)
    return f"{first}(?:{'|'.join(rest)})"
