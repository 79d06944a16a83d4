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
    note_rubric_copy: str
    note_keyword_list: str
    note_off_topic: str
    strength: str
    avoid: str
    add: str
    hit_label: str
    missed_label: str
    none_hit: str
    separator: str
    full_stop: str

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
    language_mismatch="回答语言与题库语言（中文）不一致。",
    note_rubric_copy="（照搬评分标准，不计分）",
    note_keyword_list="（关键词罗列，按 30% 计分）",
    note_off_topic="（答非所问，按 15% 计分）",
    strength="{name}：覆盖到位",
    avoid="避免：{what}",
    add="{name}：补充{what}",
    hit_label="命中要点 {hits}/{total}：",
    missed_label="未提及：",
    none_hit="无",
    separator="；",
    full_stop="。",
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
    language_mismatch="The answer is not in the bank's language (English).",
    note_rubric_copy=" (copied rubric wording: no credit)",
    note_keyword_list=" (keyword list: 30% credit)",
    note_off_topic=" (off topic: 15% credit)",
    strength="{name}: well covered",
    avoid="Avoid: {what}",
    add="{name}: add {what}",
    hit_label="Key points hit {hits}/{total}: ",
    missed_label="Missing: ",
    none_hit="none",
    separator="; ",
    full_stop=". ",
)


def texts_for(language: str) -> Texts:
    return ZH if language == "zh" else EN
