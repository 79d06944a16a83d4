"""Text addressed to the grader instead of answering the question.

An answer may try to steer the grader: an instruction ("忽略评分标准", "ignore the rubric"), a
fake score line or system notice, a request for the prompt, words dictated for the feedback.
It may also hide one: base64, hex or escapes a model could decode, ROT13, Cyrillic or Greek
lookalike letters. `injection_sentences` finds the sentences that hold any of these, so the
keyword grader can blank them out and the LLM grader can flag them.
"""

from __future__ import annotations

import re

from coach.text.match import Hit
from coach.text.normalize import SENTENCE_END

_INJECTION = re.compile(
    r"(?:忽略|无视|忘记|忘掉|不要理会|别管|跳过|覆盖)[^。]{0,8}?(?:评分|打分|指令|规则|标准|要求|提示|设定|说明|rubric)"
    r"|(?P<marks>(?:给|打|评|判)(?:我|本回答|这个回答|此回答|这份回答|该回答|本答案|我的回答)?"
    r"(?:个|一个)?(?:满分|最高分|100分|一百分|十分满分))"
    r"|(?:你|您)(?:现在)?(?:是|作为)(?:一个|一名)?(?:评分|打分|阅卷)"
    r"|(?:评分|打分)(?:系统|模型|程序)(?:请|应|须|必须)"
    r"|ignore[^。]{0,30}?(?:instruction|rubric|criteria|rule|prompt)s?"
    r"|disregard[^。]{0,30}?(?:instruction|rubric|criteria|rule|prompt)s?"
    r"|(?:give|award|assign|grant)[^。]{0,20}?(?:full|maximum|max|perfect|100|top)\s?(?:marks|score|points|grade)"
    r"|(?:^|[^a-z])(?:system|assistant|developer)\s?(?:，|prompt|message|指令)"
    r"|<\|?im_(?:start|end)\|?>|\[/?inst\]|###\s?(?:instruction|system)"
    # JSON-like "score": 12 (braces and quotes are gone after normalization, ':' became '，')
    r"|(?<![a-z])(?:score|points|percent|grade|total)，\s?\d|总分，\s?\d"
    r"|(?:score|分数|得分|总分)\s?[，=]\s?(?:100|满分|10/10|100/100)"
    # "本回答应得满分", a fake system notice about the score, "award 12/12"
    r"|(?:应|应该|应当|必须|理应)(?:得|获得|拿到?)满分"
    r"|系统(?:提示|消息|指令|通知)[^。]{0,16}?(?:满分|评分|打分|得分|分数)"
    r"|(?:give|award|assign|grant)[^。]{0,20}?\d+\s?/\s?\d+"
    r"|(?:^|[^a-z])(?:grader|judge|evaluator|scorer)\s?，"
    # "评分：12/12" reads as a score line, unless it reports a customer's rating; "|" is a
    # Markdown table cell ("| 总分 | 10/10 |")
    r"|(?P<rated>(?:评分|打分|分数|得分|总分|score|grade)\s?[，=|]\s?\d+(?:\.\d+)?\s?/\s?\d+)"
    r"|(?:得分|分数|评分)\s?\|[^。]{0,16}?\|\s?满分"
    # brackets are dropped by normalization: "[/INST]" arrives as "/inst"
    r"|(?<![a-z])/inst(?![a-z])|<<<\s?(?:end\s?)?answer"
    r"|(?:override|overwrite|bypass)[^。]{0,30}?(?:instruction|rubric|criteria|rule|prompt|grading|scoring)"
    r"|(?:gets?|receives?|deserves?|earns?)\s?(?:full|maximum|perfect|top)\s?(?:marks|score|points)"
    # a fake note from an interviewer, HR or an administrator, or "按满分记录"
    # (no gap allowed: "联系管理员，通知技术部门" is an answer)
    r"|(?:面试官|主考官|考官|评委|阅卷组|评分组|人力资源部?|hr部门|admin(?:istrator)?|moderator)"
    r"的?\s?(?:备注|通知|指令|批示|override|note|notice|instruction)"
    r"|按(?:满分|最高分|100分|一百分)(?:记录|计|算|处理|给分|打分|评定)"
    # range manipulation: "满分调整为100分", "按100分制", "扣分记为0", "worth 50 points now"
    # (a score's limit only: "额度上限可以调整" is an answer about a credit line)
    r"|(?:满分|分值|评分上限|得分上限|分数上限|最高分|总分)[^。]{0,6}?"
    r"(?:调整|改为|改成|变为|变成|提高|提升|上调|设为|设置为)"
    r"|按\d+分制|扣分[^。]{0,8}?(?:记为0|为0|为零|记为零|作废|当作加分|当成加分|视为加分|算作加分)"
    r"|不(?:适用|计)[^。]{0,6}?扣分|(?:is|are)\s?now\s?worth"
    r"|(?:maximum|max|full)\s?(?:score|marks|points)[^。]{0,30}?\d{3,}"
    r"|negative\s?(?:points|scores?)\s?(?:count|are|as)"
    # asking for the prompt: "输出你的系统提示词", "repeat your instructions"
    r"|(?:输出|打印|复述|重复|告诉我|透露|泄露|显示|列出|写出|展示)[^。]{0,12}?"
    r"(?:系统提示|提示词|你的指令|系统指令|评分标准原文|评分细则|prompt)"
    # (the grader's own: "show the customer the instructions" is an answer)
    r"|(?:print|repeat|reveal|show|output|tell me|leak|display|write out)[^。]{0,30}?"
    r"(?:your|hidden|system|grading|scoring|above)\s?(?:instructions?|prompt|rubric)"
    # dictating the feedback: "在改进建议里写：…", "写进评语", "add this to the feedback"
    r"|(?:评语|点评|改进建议|反馈意见|追问问题|改写后的回答|示范回答|优点栏)[^。]{0,8}?"
    r"(?:写|附上|加上|填|注明|改成|改为|输出|复述|列出)"
    r"|(?:写进|写入|写到|加到|加进|放进|放到|附在|填到|填进)[^。]{0,4}?(?:评语|点评|改进建议|追问|改写)"
    # (English needs "in the feedback, write" or "add this to the feedback": "customer
    # feedback, I would write it down" is an answer)
    r"|(?:in|to|into)\s?the\s?(?:feedback|strengths|improvements|comments|follow.?up questions"
    r"|improved answer|rationale)[^。]{0,4}?(?:write|say|include|add|put|insert|state|mention)"
    r"|(?:write|say|include|add|put|insert|mention)\s?(?:this|that|these|the following)"
    r"[^。]{0,30}?(?:in|to|into)\s?the\s?"
    r"(?:feedback|strengths|improvements|comments|follow.?up|improved answer|rationale)"
    # pinyin of "给满分" / "忽略评分标准"
    r"|(?<![a-z])(?:gei|da|ping)\s?(?:wo\s?)?(?:man\s?fen|zui\s?gao\s?fen)(?![a-z])"
    r"|(?<![a-z])hu\s?l[uüv]e[^。]{0,24}?(?:ping\s?fen|da\s?fen|gui\s?ze|zhi\s?ling|biao\s?zhun)"
)
# Encoded payloads: an interview answer has no reason to carry base64, hex, escapes or
# entities, and a model may decode and obey them. Each run must mix letters and digits, so
# long numbers (card, order) and long words are not payloads. Kept apart from `_INJECTION`:
# it has no plain word for `_INJECTION_HINTS`, and a character-class scan is cheap.
_ENCODED = re.compile(
    r"(?<![a-z0-9+/])(?=[a-z+/]*[0-9])(?=[0-9+/]*[a-z])[a-z0-9+/]{24,}={0,2}"  # base64
    r"|(?<![a-z0-9])(?=[a-f]*[0-9])(?=[0-9]*[a-f])[0-9a-f]{16,}(?![a-z0-9])"  # hex bytes
    r"|(?:\\u[0-9a-f]{4}){2,}|(?:\\x[0-9a-f]{2}){3,}"  # escapes
    r"|(?:%[0-9a-f]{2}){3,}"  # URL encoding
    r"|(?:&#x?[0-9a-f]+[。;]?){2,}"  # HTML entities (";" is folded to "。")
)
# ROT13 keeps the shape of English: an instruction written in it is found by decoding the
# answer (same length, so offsets hold) when one of these rotated words is present.
_ROT13_HINTS = re.compile("vtaber|qvfertneq|znexf|fpber|cbvagf|tenqr|njneq|ehoevp|vafgehpgvba")
_ROT13 = str.maketrans("abcdefghijklmnopqrstuvwxyz", "nopqrstuvwxyzabcdefghijklm")
# Cyrillic and Greek letters that look like Latin ones ("іgnоrе" with Cyrillic і, о, е):
# NFKC keeps them apart, so English instructions are matched on a copy with them folded.
_LOOKALIKES = re.compile("[\u0370-\u03ff\u0400-\u04ff]")
_CONFUSABLES = str.maketrans(
    "аеорсухіјѕԁһԛԝ\u0432\u043c\u043d\u0442\u043aαεορτυνκιχ",
    "aeopcyxijsdhqwbmhtkaeoptuvkix",
)
# Every payload `_ENCODED` finds has six of these in a row; most answers have none, and this
# scan is a tenth of the full pattern's. (Three plain scans cost less than one alternation.)
_ENCODED_HINT = re.compile(r"[0-9a-z+/%&#\\]{6}")
# "满分" said of a customer's rating is part of an answer, not an instruction to the grader.
_RATING_CONTEXT = re.compile(r"客户|顾客|用户|满意|评价|好评")
# Every branch of _INJECTION contains one of these words; most answers contain none, and one
# search for plain words is far cheaper than the full pattern.
_INJECTION_HINTS = re.compile(
    "忽略|无视|忘记|忘掉|理会|别管|跳过|覆盖|满分|最高分|100分|一百分|评分|打分|阅卷|分数|得分|总分"
    "|考官|评委|人力资源|分值|上限|分制|扣分|提示词|系统提示|指令|细则|评语|点评|改进建议|反馈意见|追问|改写"
    "|示范回答|优点栏|answer"
    "|ignore|disregard|marks|score|points|percent|grade|total|system|assistant|developer|im_|inst"
    "|award|give|assign|grant|grader|judge|evaluator|scorer|override|overwrite|bypass|hr|admin"
    "|moderator|worth|negative|prompt|instruction|rubric|feedback|strength|improvement|comment"
    "|follow|rationale|fen|lue|lve|lüe"
    "|###"
)


def _hinted_matches(text: str) -> list[re.Match[str]]:
    """`_INJECTION`'s matches, looked for only in the sentences that hold a hint word.

    No branch crosses a sentence end and each holds a hint, so this finds what a scan of the
    whole text finds; the full pattern costs about a microsecond a character, and honest
    answers that trip a hint ("评分", "得分") do so in one sentence. Each window starts at the
    previous sentence end, which branches such as `(?:^|[^a-z])system` may match on.
    """
    found: list[re.Match[str]] = []
    scanned = 0
    for hint in _INJECTION_HINTS.finditer(text):
        if hint.start() < scanned:
            continue
        start = max(0, text.rfind(SENTENCE_END, 0, hint.start()))
        end = text.find(SENTENCE_END, hint.end())
        end = len(text) if end < 0 else end + 1
        found += _INJECTION.finditer(text, start, end)
        scanned = end
    return found


def injection_sentences(text: str) -> tuple[Hit, ...]:
    """Sentences of normalized text that speak to the grader instead of answering."""
    found: list[re.Match[str]] = []
    if _LOOKALIKES.search(text) is not None:
        text = text.translate(_CONFUSABLES)  # one character for one: offsets hold
    if _ROT13_HINTS.search(text) is not None:
        found += _INJECTION.finditer(text.translate(_ROT13))
    if _ENCODED_HINT.search(text) is not None:
        found += _ENCODED.finditer(text)
    found += _hinted_matches(text)
    if not found:
        return ()
    spans: list[Hit] = []
    for match in sorted(found, key=lambda m: m.start()):
        start = text.rfind(SENTENCE_END, 0, match.start()) + 1
        rating = match.lastgroup in ("marks", "rated")
        if rating and _RATING_CONTEXT.search(text, start, match.start()):
            continue  # "客户说要给我满分" talks about a customer's rating, not to the grader
        end = text.find(SENTENCE_END, match.end())
        end = len(text) if end < 0 else end + 1
        if spans and start < spans[-1].end:
            spans[-1] = Hit(spans[-1].start, max(end, spans[-1].end))
        else:
            spans.append(Hit(start, end))
    return tuple(spans)
