"""The words the HTML and Markdown reports print around the data, in Chinese or English.

A report speaks the language of its content: Chinese labels for a report whose answers, rubric
names and rationales are mostly Chinese, English otherwise. Both report modules share this
module so their wording and their choice of language cannot drift apart.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from typing import Any, Literal

from coach.result import CriterionResult, Feedback, GradeResult

Lang = Literal["zh", "en"]

# key: (Chinese, English)
_WORDS: dict[str, tuple[str, str]] = {
    "result_title": ("答题评分报告", "Grade report"),
    "session_title": ("模拟面试报告", "Mock interview report"),
    "question": ("题目", "Question"),
    "answer": ("回答", "Answer"),
    "answer_note": (
        "高亮：绿色为得分证据，红色为扣分或警示之处。",
        "Highlighted: green is evidence that earned points, red what cost points or was flagged.",
    ),
    "score": ("得分", "Score"),
    "method": ("评分方式", "Method"),
    "status": ("状态", "Status"),
    "llm": ("大模型评分", "LLM grade"),
    "keyword": ("关键词评分（离线）", "keyword grade (offline)"),
    "graded": ("已评分", "graded"),
    "fallback": ("后备评分", "fallback"),
    "unscored": ("未评分", "unscored"),
    "fallback_head": (
        "后备结果：这是离线关键词评分，不是大模型评分。",
        "Fallback: this is an offline keyword grade, not an LLM grade.",
    ),
    "unscored_head": ("未评分：此回答没有得到评分。", "Unscored: this answer was not graded."),
    "reason": ("原因", "Reason"),
    "model": ("模型", "Model"),
    "rubric": ("题库版本", "Rubric"),
    "criteria": ("评分项", "Criteria"),
    "criterion": ("评分项", "Criterion"),
    "points": ("得分", "Points"),
    "rationale": ("理由", "Rationale"),
    "evidence": ("证据", "Evidence"),
    "hit": ("命中要点", "Key points hit"),
    "missed": ("未提及", "Key points missed"),
    "deductions": ("扣分", "Deductions"),
    "subtotal": ("评分项合计", "Criteria total"),
    "flags": ("提示", "Flags"),
    "strengths": ("亮点", "Strengths"),
    "improvements": ("改进建议", "To improve"),
    "example": ("示例说法", "For example"),
    "follow_ups": ("追问建议", "Follow-up questions"),
    "rubric_src": ("题库", "rubric"),
    "missed_key_point_src": ("未提及要点", "missed key point"),
    "llm_src": ("大模型", "LLM"),
    "star": ("STAR 结构", "STAR structure"),
    "part": ("部分", "Part"),
    "present": ("是否讲到", "Present"),
    "excerpt": ("原文", "Excerpt"),
    "yes": ("是", "yes"),
    "no": ("否", "no"),
    "situation": ("情境 S", "Situation"),
    "task": ("任务 T", "Task"),
    "action": ("行动 A", "Action"),
    "result": ("结果 R", "Result"),
    "improved": ("改进参考答案", "Improved answer"),
    "usage": ("用量", "Usage"),
    "requests": ("请求次数", "Requests"),
    "tokens": ("令牌（输入 + 输出 = 合计）", "Tokens (prompt + completion = total)"),
    "cost": ("估算费用", "Estimated cost"),
    "estimated": ("（估算）", " (estimated)"),
    "none": ("无", "none"),
    "overall": ("总分", "Overall"),
    "session": ("场次", "Session"),
    "started": ("开始", "Started"),
    "finished": ("结束", "Finished"),
    "banks": ("题库", "Banks"),
    "turns": ("逐题得分", "Turns"),
    "turn": ("第 {n} 题", "Question {n}"),
    "first_score": ("初答得分", "First answer"),
    "final_score": ("最终得分", "Final"),
    "follow_up_asked": ("追问", "Follow-up asked"),
    "follow_up": ("本题追问", "Follow-up asked"),
    "follow_up_answer": ("追问回答", "Follow-up answer"),
    "regraded": ("追问后重新评分（两次回答合并）", "Graded again on both answers"),
    "competencies": ("能力维度", "Competencies"),
    "n_questions": ("{n} 题", "{n} q."),
    "progress": ("历次练习得分（%）", "Progress over attempts (%)"),
    "colon": ("：", ": "),
    "lq": ("「", "“"),
    "rq": ("」", "”"),
    "semicolon": ("；", "; "),
    "no_turns": ("本场没有作答记录。", "No questions were answered in this session."),
    "ended_early": ("提前结束，仍有题目未答", "ended early, questions left unasked"),
    # question kinds
    "kind_behavioral": ("行为题", "behavioral"),
    "kind_situational": ("情景题", "situational"),
    "kind_knowledge": ("知识题", "knowledge"),
    "kind_roleplay": ("角色扮演", "role play"),
    "kind_scenario": ("场景题", "scenario"),
    "kind_open": ("开放题", "open"),
    # flag codes
    "flag_blank": ("空回答", "Blank"),
    "flag_non_answer": ("未作答", "Non-answer"),
    "flag_too_short": ("回答过短", "Too short"),
    "flag_keyword_stuffing": ("关键词罗列", "Keyword list"),
    "flag_suspected_injection": ("疑似指令注入", "Suspected injection"),
    "flag_language_mismatch": ("语言不符", "Language mismatch"),
    "flag_off_topic": ("答非所问", "Off topic"),
    "flag_rubric_copy": ("照搬评分标准", "Rubric copied"),
    "flag_repetition": ("内容重复", "Repetition"),
    "flag_padding": ("填充内容", "Padding"),
    "flag_truncated": ("已截断", "Truncated"),
    "flag_pii_redacted": ("已隐去个人信息", "Personal data redacted"),
    "flag_needs_review": ("需人工复核", "Needs review"),
    "flag_points_clamped": ("分数已修正", "Points clamped"),
    "flag_unverified_evidence": ("证据未核实", "Unverified evidence"),
    "flag_reply_repaired": ("回复已修复", "Reply repaired"),
    "flag_unsupported_credit": ("得分缺乏依据", "Unsupported credit"),
}

# Flags that are notes about processing; every other flag is a warning a reader must see.
INFO_FLAGS = frozenset({"pii_redacted", "truncated", "reply_repaired", "points_clamped"})
STAR_PARTS = ("situation", "task", "action", "result")


def words(lang: Lang) -> Mapping[str, str]:
    """The label table for `lang`; `key:` is the label followed by that language's colon."""
    index = 0 if lang == "zh" else 1
    table = {key: pair[index] for key, pair in _WORDS.items()}
    colon = "：" if lang == "zh" else ": "
    table.update({f"{key}:": text + colon for key, text in list(table.items())})  # "score:"
    return table


def detect_lang(texts: Iterable[str | None]) -> Lang:
    """`zh` when the texts hold more CJK characters than Latin letters, else `en`."""
    cjk = latin = 0
    for text in texts:
        for char in text or "":
            if unicodedata.east_asian_width(char) in "WF" and char.isalpha():
                cjk += 1
            elif char.isascii() and char.isalpha():
                latin += 1
    return "zh" if cjk > latin else "en"


def result_texts(result: GradeResult) -> Iterator[str]:
    """The human-written text of a result (not ids or codes), for telling its language."""
    for criterion in result.criteria:
        yield criterion.name
        yield criterion.rationale
    for deduction in result.deductions:
        yield deduction.description
    feedback: list[Feedback] = [*result.strengths, *result.improvements]
    yield from (item.text for item in feedback)
    yield from (f.question for f in result.follow_up_questions)


def arithmetic(result: GradeResult, t: Mapping[str, str]) -> str:
    """How deductions turn the criteria's points into the score, or "" when there are none."""
    if not result.deductions:
        return ""
    earned = sum(c.points for c in result.criteria)
    taken = sum(d.points for d in result.deductions)
    return f"{t['subtotal:']}{num(earned)} · {t['deductions:']}−{num(taken)}"


def num(value: float) -> str:
    """A score as people write it: 4 not 4.0, 2.5 as is."""
    return f"{value:g}"


def cost(value: float) -> str:
    """A cost in US dollars, precise enough for cents of a cent."""
    return f"${value:.4f}"


def kind_label(kind: str, t: Mapping[str, str]) -> str:
    """A question kind in the report's language (an unknown kind as it is)."""
    return t.get(f"kind_{kind}", kind)


def flag_label(code: str, t: Mapping[str, str]) -> str:
    return t.get(f"flag_{code}", code)


def version_label(rubric_version: str) -> str:
    """`bank@version` of a `bank@version+hash` rubric version: the hash, which tells rubric
    edits apart for programs, stays in the JSON."""
    return rubric_version.split("+", 1)[0]


# Criterion id -> key point id -> the key point's text.
KeyPointTexts = Mapping[str, Mapping[str, str]]


def key_point_texts(rubric: Any, bank_id: str, question_id: str) -> KeyPointTexts:
    """The key point texts of one question, found in `rubric`: a `Question`, a `Bank`, or a
    sequence of them (read by their attributes: reports do not load rubrics); {} when it does
    not hold that question."""
    if rubric is None:
        return {}
    for item in rubric if isinstance(rubric, (list, tuple)) else [rubric]:
        questions = getattr(item, "questions", None)
        if questions is not None and getattr(item, "id", None) != bank_id:
            continue
        for question in questions if questions is not None else [item]:
            if getattr(question, "id", None) == question_id:
                return {c.id: {kp.id: kp.text for kp in c.key_points} for c in question.criteria}
    return {}


def key_point_chips(
    criterion: CriterionResult, texts: KeyPointTexts
) -> tuple[list[str], list[str]]:
    """The texts of the key points hit and missed that the rationale does not already name.
    Ids are for programs: a key point whose text is not known is left out."""
    known = texts.get(criterion.id, {})
    chips: tuple[list[str], list[str]] = ([], [])
    for ids, out in ((criterion.key_points_hit, chips[0]), (criterion.key_points_missed, chips[1])):
        for kp_id in ids:
            text = known.get(kp_id)
            if text and text not in criterion.rationale:
                out.append(text)
    return chips
