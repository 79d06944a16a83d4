"""What an answer caught addressing the grader still earns with: its sentences of plain prose.

An answer that tells the grader what to do has shown that it plants text for the grader, and
it plants it where a reader skims: a line set apart from the prose (a list item, a label, a
heading, a log line, a table row, a verse line: `sections`), a short line that is no sentence
("🙂倾听🙂核实🙂回访🙂"), an aside in brackets ("（这正是理解您的做法）", "(手机银行 here,
naturally.)"), words between dashes ("——也就是反欺诈部门——"). On such an answer those places
earn nothing, whatever they say; its plain sentences earn what they say. Honest answers are
rarely flagged, so this costs them what the flag's false positives cost, and nothing where
there is no flag.
"""

from __future__ import annotations

import re

from coach.text.sections import MAX_VERSE, SENTENCE_CLOSE, apart_lines, located

# An aside in brackets of any kind, and words between a pair of dashes, on one line.
_ASIDE = re.compile(
    r"（[^（）\n]*）|\([^()\n]*\)|【[^【】\n]*】|\[[^\[\]\n]*\]|〔[^〔〕\n]*〕"
    r"|——[^—\n]{1,60}——|--[^-\n]{1,60}--"
)


def unplain_spans(original: str, text: str) -> list[tuple[int, int]]:
    """Where the set-apart lines and the asides of `original` stand in normalized `text`."""
    lines = [line.strip() for line in original.splitlines()]
    lines = [line for line in lines if line]
    unplain = apart_lines(lines)
    # Alone too: a short line that is no sentence ("🙂倾听🙂核实🙂回访🙂") is no prose either.
    unplain |= {i for i, line in enumerate(lines) if _fragment(line)}
    pieces = [(original.find(lines[i]), lines[i]) for i in sorted(unplain)]
    pieces += [(m.start(), m.group()) for m in _ASIDE.finditer(original)]
    # In the order they stand, a line before the aside that opens it, each found once
    # (`located` reads forwards).
    ordered = [piece for _, piece in sorted(set(pieces), key=lambda p: (p[0], -len(p[1])))]
    return located(ordered, text)


def _fragment(line: str) -> bool:
    """A short line not closed as a sentence: a tag, a slogan, a caption."""
    return len(line) <= MAX_VERSE and line[-1] not in SENTENCE_CLOSE
