"""What an answer caught planting text for the grader still earns with: its plain prose.

An answer that tells the grader what to do, or talks about its own grade, has shown that it
plants text for the grader, and it plants it where a reader skims: a line set apart from the
prose (a list item, a label, a heading, a log line, a table row, a verse line: `sections`), a
short line ("🙂倾听🙂核实🙂回访🙂", "仲有，核验身份都要做好。", "And finally, 审核."), an aside in
brackets ("（这正是理解您的做法）", "(手机银行 here, naturally.)"), words between dashes
("——也就是反欺诈部门——"), data (a JSON object, a quoted key with its value). On such an
answer those places earn nothing, whatever they say; its lines of prose earn what they say.
Few honest answers are caught (5 of some 1,300 labelled ones talk about a grade, most of them
about a quality-check score), so this costs them little, and nothing where nothing was caught.
"""

from __future__ import annotations

import re

from coach.text.sections import MAX_VERSE, apart_lines, located

# An aside in brackets of any kind, and words between a pair of dashes, on one line; and data:
# an object in braces, a quoted key with its quoted value ('{"道歉并表示理解": "hit"}').
_ASIDE = re.compile(
    r"（[^（）\n]*）|\([^()\n]*\)|【[^【】\n]*】|\[[^\[\]\n]*\]|〔[^〔〕\n]*〕"
    r"|——[^—\n]{1,60}——|--[^-\n]{1,60}--"
    r'|\{[^{}\n]*\}|"[^"\n]{1,80}" ?: ?"[^"\n]*"'
)


def unplain_spans(original: str, text: str) -> list[tuple[int, int]]:
    """Where the set-apart lines and the asides of `original` stand in normalized `text`."""
    lines = [line.strip() for line in original.splitlines()]
    lines = [line for line in lines if line]
    unplain = apart_lines(lines)
    # Alone too: a line as short as a slogan is no prose either, closed or not.
    unplain |= {i for i, line in enumerate(lines) if len(line) <= MAX_VERSE}
    pieces = [(original.find(lines[i]), lines[i]) for i in sorted(unplain)]
    pieces += [(m.start(), m.group()) for m in _ASIDE.finditer(original)]
    # In the order they stand, a line before the aside that opens it, each found once
    # (`located` reads forwards).
    ordered = [piece for _, piece in sorted(set(pieces), key=lambda p: (p[0], -len(p[1])))]
    return located(ordered, text)
