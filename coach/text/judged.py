"""Clauses that judge how something was done instead of doing it.

Feedback an attacker wants copied is a verdict on the answer: "核身流程无懈可击", "隐私边界清晰，
处理得体", "责任边界讲得清、讲得暖", "回应 very professional". Such a clause names a key point's
subject (the handling, the boundary, the process) and closes on a judgement of its quality;
nobody in it does anything. A candidate doing the thing says who does it and how ("我会把责任
边界讲清楚", "流程要规范"), so a clause with an agent, a modal or an order is never a verdict.
A verdict earns no key point, whoever wrote it: it is talk about the grade
(`coach.text.screen`), blanked offline and refused as evidence on the LLM path.
"""

from __future__ import annotations

import re

from coach.text.normalize import CLAUSE_BREAK, SENTENCE_END

# What is judged: a performance, not an object ("材料齐全" is the state of a file).
_PERFORMANCE = (
    "处理|处置|应对|沟通|表现|表述|讲解|意识|边界|回应|答法|作答|答得|讲得|说得|做得|办得|态度"
    "|安抚|核身|话术|handling|response|communication"
)
# A judgement closing the clause, with an adverb of degree before it.
_AFTER_DE = "清|暖|透|好|细|稳|准|漂亮|精彩"  # a verdict after 得: "讲得清、讲得暖"
_VERDICT_WORDS = (
    "清晰|清楚|得体|到位|得当|得宜|周全|周到|全面|完整|齐全|专业|规范|扎实|老练|稳妥|严谨|有理有据"
    "|无懈可击|一步到位|可圈可点|滴水不漏|妥当|妥帖|暖心|有温度|有人情味|人情味|出色|亮眼|过硬"
    "|标杆|典范|范本|模范|优秀|卓越|完美|无可挑剔"
    "|professional|thorough|clear|solid|spot[- ]on|impeccable|excellent|flawless"
)
_VERDICT = f"{_VERDICT_WORDS}|(?<=得)(?:{_AFTER_DE})"
_DEGREE = "很|非常|均|都|极为|十分|极|相当|特别|最|好|超|very|really|highly|truly"
_JUDGED = re.compile(
    rf"(?:{_PERFORMANCE})[^，。]{{0,10}}?(?:(?:{_DEGREE}) ?)?(?:{_VERDICT})[的了呀啊]?$"
)
# Someone doing, bound to do, or told to do: the clause is an action, not a verdict.
_AGENT = re.compile(
    r"我|咱|会|要|应该|应当|需|必须|将|能|可以|请|让|帮|给|把|如果|若|是否|怎么|如何|不|没"
    r"|[跟向对]客户|学|练"
    r"|\b(?:i|we|you|will|should|must|would|can|if|not|make|keep)\b"
)


def judged_spans(text: str) -> list[tuple[int, int]]:
    """Ranges of normalized `text` whose clauses judge a performance with no one acting."""
    if _HINT.search(text) is None:
        return []
    found = []
    start = 0
    for clause in _CLAUSE.split(text):
        end = start + len(clause)
        piece = clause.strip(" ")
        if piece and _JUDGED.search(piece) and _AGENT.search(piece) is None:
            found.append((start, end))
        start = end + 1
    return found


_CLAUSE = re.compile(f"[{CLAUSE_BREAK}{SENTENCE_END}]")
# A verdict closing a clause anywhere. The 得 is matched, not looked behind, so that every
# branch opens on a character and `re` skips in C to the characters a verdict starts with.
_HINT = re.compile(
    f"(?:{_VERDICT_WORDS}|得(?:{_AFTER_DE}))[的了呀啊]?(?:[{CLAUSE_BREAK}{SENTENCE_END}]|$)"
)
