"""STAR structure of a behavioral answer: which of situation, task, action, result it tells.

Interviewers score behavioral answers on whether the candidate sets the scene (situation),
says what they had to achieve (task), what they themselves did (action) and how it ended
(result). Each part is recognised by cue phrases in the normalized answer, Chinese and English;
the evidence is the clause where its first cue stands, cut from the candidate's own words.
Cues recognise how a part is usually introduced, not its meaning: a part told without any cue
is reported missing, which errs towards asking for it.
"""

from __future__ import annotations

import re
from typing import Any

from coach.grading.quotes import answer_evidence
from coach.text.match import Clauses
from coach.text.normalize import NormalizedText

EVIDENCE_CHARS = 40

# Every branch opens with a literal, so `re` skips ahead to the characters a cue can start
# with; a whole-word test goes after a word's first letter ("o(?<![a-z]o)nce"), not before it.
_CUES = {
    "situation": (
        r"有一次|有次|那次|那时|当时|曾经|之前在|以前在|去年|前年|上个月|刚入职|实习期间"
        r"|在我.{0,8}(?:期间|时候)"
        r"|记得|背景是|情况是|遇到(?:过|了)?(?:一位|一个|一名)"
        r"|o(?<![a-z]o)nce|l(?<![a-z]l)ast year|w(?<![a-z]w)hen i was"
        r"|a(?<![a-z]a)t my (?:last|previous)|i(?<![a-z]i)n my previous"
        r"|t(?<![a-z]t)here was a time"
    ),
    "task": (
        r"我的任务|任务是|我负责|负责(?:处理|跟进|接待)|需要我|要求我|我需要|我要(?:在|把|让)"
        r"|目标是|职责是|必须在"
        r"|m(?<![a-z]m)y task|i(?<![a-z]i) was responsible|m(?<![a-z]m)y job was"
        r"|i(?<![a-z]i) needed to|i(?<![a-z]i) had to|t(?<![a-z]t)he goal was"
    ),
    "action": (
        r"我(?:先|首先|立即|立刻|马上|随后|接着|然后|主动|及时|耐心|仔细|第一时间)"
        r"|首先我|其次我|接着我|随后我|然后我"
        r"|我(?:联系|安抚|核实|协调|提出|制定|整理|调取|查询|上报|向.{0,6}(?:说明|解释|申请))"
        r"|采取了|我的做法|具体做法"
        r"|i(?<![a-z]i) (?:first|then|immediately|called|contacted|explained|checked|offered"
        r"|escalated)"
    ),
    "result": (
        r"最终|最后|结果|后来客户|客户(?:表示|非常|很)?(?:满意|认可|感谢|理解)"
        r"|成功(?:帮|解决|挽回|化解)|问题(?:得到|顺利)?解决"
        r"|挽回了|提升了|下降了|好评|表扬|撤销了投诉|没有再投诉"
        r"|i(?<![a-z]i)n the end|f(?<![a-z]f)inally|e(?<![a-z]e)ventually|a(?<![a-z]a)s a result"
        r"|t(?<![a-z]t)he customer (?:thanked|was satisfied)"
    ),
}
_PATTERNS = {part: re.compile(cue) for part, cue in _CUES.items()}


def star_parts(answer: NormalizedText, clauses: Clauses, searched: str = "") -> dict[str, Any]:
    """The `Star` of `answer`, as plain data (validated by the caller with the result).
    `searched`: the answer's text as graded (`answer.text` with what earns nothing blanked,
    offsets unchanged), so that no cue is read in text planted for the grader ("好评“…”×1")."""
    parts: dict[str, Any] = {}
    for part, pattern in _PATTERNS.items():
        match = pattern.search(searched or answer.text)
        if match is None:
            parts[part] = {"present": False, "evidence": None}
            continue
        quote = answer_evidence(answer, clauses, match.start(), match.end(), 0, EVIDENCE_CHARS)
        parts[part] = {"present": True, "evidence": quote}
    return parts
