"""The grader's own sentences (flags, rationales, tips), in each bank language."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Texts:
    blank: str
    non_answer: str
    injection: str
    rubric_copy: str
    keyword_stuffing: str
    off_topic: str
    too_short: str
    language_mismatch: str
    repetition: str
    padding: str
    note_rubric_copy: str
    note_keyword_list: str
    note_off_topic: str
    strength: str
    avoid: str
    hit_label: str
    missed_label: str
    none_hit: str
    separator: str  # between key points, which may hold commas of their own
    name_separator: str  # between short names ("情境、任务")
    full_stop: str
    add_point: str  # one missed key point: what to add
    follow_up: str  # an interviewer's probe for a missed key point
    star_missing: str  # a behavioral answer that leaves STAR parts out
    star_names: dict[str, str]
    model_answer_label: str
    rewrite_label: str
    language_names: dict[str, str]  # a bank language's name, for `language_mismatch`

    def mismatch(self, bank_language: str) -> str:
        """The `language_mismatch` flag's message for a bank in `bank_language`."""
        name = self.language_names.get(bank_language, bank_language)
        return self.language_mismatch.format(language=name)

    def rationale(self, label: str, hit: list[str], missed: list[str]) -> str:
        """`label` is `hit_label` filled in with the counts."""
        found = self.separator.join(hit) if hit else self.none_hit
        text = label + found + self.full_stop
        if missed:
            text += self.missed_label + self.separator.join(missed) + self.full_stop
        return text.rstrip()


ZH = Texts(
    blank="回答为空。",
    non_answer="回答没有实际内容（如“不知道”）。",
    injection="回答中有指向评分者的指令或伪造分数，这些句子不计分。",
    rubric_copy="回答主要是照搬评分标准的措辞，不计分。",
    keyword_stuffing="回答像是关键词罗列，缺少完整的句子和做法。",
    off_topic="回答没有涉及本题的话题，疑似答非所问。",
    too_short="回答过短（{n} 字，建议至少 {min} 字）。",
    language_mismatch="回答语言与题库语言（{language}）不一致。",
    repetition="回答重复了自己说过的句子；重复的内容只算一次。",
    padding="回答中有不提供实质内容的填充（大段标点或空行、无关字母、照抄题目、客套或自我推销的话）。",
    note_rubric_copy="（照搬评分标准，不计分）",
    note_keyword_list="（关键词罗列，按 30% 计分）",
    note_off_topic="（答非所问，按 15% 计分）",
    strength="{name}：覆盖到位",
    avoid="避免：{what}",
    hit_label="命中要点 {hits}/{total}：",
    missed_label="未提及：",
    none_hit="无",
    separator="；",
    name_separator="、",
    full_stop="。",
    add_point="{name}：补充“{point}”",
    follow_up="你刚才没有谈到“{point}”，能具体说说你会怎么做吗？",
    star_missing="按 STAR 结构补上{parts}，让经历完整可信。",
    star_names={"situation": "情境", "task": "任务", "action": "行动", "result": "结果"},
    model_answer_label="题库参考答案：供对照学习，不是根据你的回答改写的。",
    rewrite_label="示例改写：保留你的事实，补上遗漏的要点；仅供参考，不是唯一正确的答法。",
    language_names={"zh": "中文", "en": "英文"},
)

EN = Texts(
    blank="The answer is empty.",
    non_answer="The answer has no real content (e.g. 'I don't know').",
    injection=(
        "The answer contains instructions to the grader or fake scores; "
        "those sentences earn nothing."
    ),
    rubric_copy="The answer mostly repeats the rubric's own wording and earns nothing.",
    keyword_stuffing="The answer looks like a list of keywords, without sentences or actions.",
    off_topic="The answer does not touch this question's topic.",
    too_short="The answer is too short ({n} characters; aim for at least {min}).",
    language_mismatch="The answer is not in the bank's language ({language}).",
    repetition="The answer repeats its own sentences; what is repeated counts once.",
    padding=(
        "The answer holds filler that adds nothing (runs of punctuation or blank lines, "
        "unrelated letters, the question restated, courtesy or self-promotion)."
    ),
    note_rubric_copy=" (copied rubric wording: no credit)",
    note_keyword_list=" (keyword list: 30% credit)",
    note_off_topic=" (off topic: 15% credit)",
    strength="{name}: well covered",
    avoid="Avoid: {what}",
    hit_label="Key points hit {hits}/{total}: ",
    missed_label="Missing: ",
    none_hit="none",
    separator="; ",
    name_separator=", ",
    full_stop=". ",
    add_point='{name}: add "{point}"',
    follow_up='You did not mention "{point}". How exactly would you handle it?',
    star_missing="Tell the {parts} too (STAR), so the story is complete and credible.",
    star_names={"situation": "situation", "task": "task", "action": "action", "result": "result"},
    model_answer_label="The rubric's reference answer, to compare with; not a rewrite of yours.",
    rewrite_label="An example rewrite: your facts kept, the gaps filled; one good answer, not "
    "the only one.",
    language_names={"zh": "Chinese", "en": "English"},
)


def texts_for(language: str) -> Texts:
    return ZH if language == "zh" else EN
