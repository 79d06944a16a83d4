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

* the past forms of irregular verbs ("lose" matches "lost"; `coach.text.irregular`);
* contractions both ways: "can't" matches "cant" (a dropped or curly apostrophe) and "can not";
  "does not include" matches "doesn't include", "you have won" "you've won".

Word boundaries are letters only, so a list number glued to a word ("ribosome3.", "them2)")
does not hide it. Other words with digits or marks ("24/7", "e.g.") match as written.
"""

from __future__ import annotations

import re

from coach.text.irregular import irregular_forms

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


def word_source(word: str, *, typos: bool = True) -> str:
    """Regex source for one English word of a rubric phrase, without boundaries. Every form it
    accepts starts with the word's first character, written first."""
    if "'" in word:
        return _contracted(word)
    if word == "cannot":
        return _NEGATED["can"]
    if not _LETTERS.fullmatch(word):
        return re.escape(word)
    forms = irregular_forms(word)
    if forms:
        return word[0] + "(?:" + "|".join(_regular(form, typos)[1:] for form in forms) + ")"
    return _regular(word, typos)


def _regular(word: str, typos: bool = True) -> str:
    """`word_source` of a word of letters, by its suffixes alone."""
    if len(word) >= 5 and word.endswith("i"):
        return re.escape(word) + "[a-z]*"  # cut short on purpose: "apologi", "authori"
    base = stem(word)
    if len(base) < 3:
        return re.escape(word) + "(?:s|es)?"
    if base.endswith(("is", "iz")) and len(base) > 4:
        head, endings = _typos(base[:-2], typos) + "i[sz]", _ENDINGS
    elif base.endswith("y") and len(base) > 3 and base[-2] not in _VOWELS:
        head, endings = _typos(base[:-1], typos), _Y_ENDINGS
    else:
        head = _typos(base, typos)
        double = re.escape(base[-1]) + "?" if base[-1] not in _VOWELS else ""
        endings = f"{_ENDINGS}|{double}(?:ed|ing|er|ers)" if double else _ENDINGS
    return f"{head}(?:{endings})?"


def _typos(base: str, typos: bool = True) -> str:
    """`base`, or (with `typos`) any one-edit slip of it when it is long enough to make one
    likely."""
    if not typos or len(base) < TYPO_MIN_LETTERS - 1:
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


# A negated auxiliary that does not read as its word plus "not".
_NEGATED = {"can": "can(?:'?t|not| not)", "won": "w(?:on'?t|ill not)"}
# What a clitic stands for written out, and the other way round.
_CLITICS = {"n't": " not", "'ve": " have", "'re": " are", "'ll": " will", "'m": " am"}
_SHORT = {"not": "n'?t", "have": "'?ve", "are": "'?re", "will": "'?ll", "am": "'?m", "is": "'?s"}
_SHORT |= {"would": "'?d", "had": "'?d"}


def _contracted(word: str) -> str:
    """A word with an apostrophe: as written, without the apostrophe (typed plainly, or a curly
    one that normalizing dropped) or written out ("doesn't": "doesnt", "does not")."""
    head, _, clitic = word.rpartition("'")
    if clitic == "t" and head in _NEGATED:
        return _NEGATED[head]
    if clitic == "t" and head.endswith("n") and len(head) > 1:
        return re.escape(head[:-1]) + "(?:n'?t| not)"
    if clitic == "s":  # a possessive or "is": "bank's", "banks", "bank"; "it's", "it is"
        return re.escape(head) + "(?:'?s| is)?"
    if clitic == "d":
        return re.escape(head) + "(?:'?d| would| had)"
    written = _CLITICS.get("'" + clitic)
    if head and written:
        return re.escape(head) + f"(?:'?{clitic}|{written})"
    return re.escape(word).replace("'", "'?")


def words_source(words: list[str], gap: str = " ", *, typos: bool = True) -> str:
    """Regex source for the English words of one phrase part, `gap` between them. A word and
    the "not", "have", "is"... after it stay together and accept their contraction."""
    sources = []
    i = 0
    while i < len(words):
        word, after = words[i], words[i + 1] if i + 1 < len(words) else ""
        if after in _SHORT and _LETTERS.fullmatch(word):
            if after == "not" and word in ("can", "will"):
                source = _NEGATED["can" if word == "can" else "won"]
            else:
                source = f"{word_source(word, typos=typos)}(?: {after}|{_SHORT[after]})"
            i += 2
        else:
            source = word_source(word, typos=typos)
            i += 1
        sources.append(source)
    return gap.join(sources)
