"""The concepts of `coach.text.grading_words` and `grading_acts`, compiled
(`coach.text.lexicon_patterns`), and the tags of one sentence. `tags` says which concepts a
sentence of revealed text holds (`coach.text.reveal`): "grader", "full_marks", "please",
"domain" and the rest, plus a few shapes that are not words: a perfect fraction ("10/10")
counts as full marks, a number of points ("12分", "5 points") as a score, a checklist
(`coach.text.checklist`) as key points named, a score line ("总分：12/12", "score = 100") as
its own tag, a sentence opening on a chat role or a name of the grader ("System:", "评委老师，")
as "vocative", one opening on an order ("Add this to the feedback") as "imperative", and
someone else's words ("客户说", "I tell the customer") as "reported". Grading words next to a
domain word ("信用评分", "customer feedback") are left out: they belong to the answer.

Everything is compiled on first use, so importing costs nothing.
"""

from __future__ import annotations

import functools
import re

from coach.text import answer_words as own
from coach.text import grading_acts as acts
from coach.text import grading_words as words
from coach.text.checklist import checklist
from coach.text.grade_shapes import OUT_OF, PERFECT, POINTS, SCORE_LINE, within_scale
from coach.text.lexicon_patterns import compile_lexicon
from coach.text.normalize import CLAUSE_BREAK, normalize_phrase
from coach.text.reveal import reveal
from coach.text.trie import tries

_SUFFIXES = ("", "s", "e", "es", "ed", "ing", "er", "ez", "en", "ieren", "iere", "a", "o")
# How far a domain word reaches to claim a grading word: across a few characters of a compound
# ("满意度评分", "客户的反馈"), across one word of a Latin phrase ("customer satisfaction score").
DOMAIN_GAP_WIDE = 3
DOMAIN_GAP_WORDS = 1
# Time after a hiring ("入职后", "once hired"): the candidate's plan, not a decision asked for.
_AFTER_HIRE = re.compile(r" ?(?:后|以后|之后|的时候|了以后|after|later)")
# 通过 before a noun is "by way of" ("直接通过数组下标找到地址", "建议通过柜台办理"), not a pass: a
# pass closes its clause or takes a particle or the interview ("直接通过。", "通过了", "通过面试").
_VIA = re.compile(r"(?![了吧啦啊呀面])[\u4e00-\u9fff]")
# "All of them have already ..." is the points declared done only when what they have done is
# covering them (讲到, 覆盖, 做到, 履行, 在回答中说明): "所有元素均已入栈" reports a state of the
# answer's own subject. A word of the list after these catch-alls, or nothing, is a claim.
_ALL_ALREADY = ("均已", "都已")
_COVERED = re.compile(r"经?(?:[^\u4e00-\u9fff]|[讲说提答覆命体做完达满涵履落确列写点在包具齐到补])")
# A hiring recommended ("推荐录用", "strongly recommend hiring"): a verdict on a candidate,
# told by no one: the candidate's own story ("HR推荐录用了我") is no verdict.
_RECOMMENDED = re.compile(r"(?:推荐|建议|力荐|同意|准予|予以|recommend(?:ed|s)?|recommending) ?$")
_RECOMMENDATION = re.compile(r"推荐|建议|力荐")
_FIRST_PERSON = re.compile(r"我|(?<![a-z])(?:i|me|my)(?![a-z])")
# Words in which 请 is part of another verb, not "please": to apply, invite, ask leave, consult,
# ask a question, ask a superior for instructions ("协助申请紧急止付", "我想请教两个问题").
_OTHER_QING = re.compile("申请|邀请|请假|请教|请问|聘请|宴请|请客|提请|请示")
# The candidate's assessment of themselves or of the answer: no customer's rating of the service.
_SELF_RATED = re.compile(r"自我评价|self[- ]?(?:assessment|review|evaluation|rating)")
CONCEPTS = {
    "grader": words.GRADER,
    "you": words.YOU,
    "full_marks": words.FULL_MARKS,
    "rubric": words.RUBRIC,
    "score": words.SCORE,
    "answer": words.ANSWER,
    "item": words.ITEM,
    "please": acts.PLEASE,
    "give": acts.GIVE,
    "ignore": acts.IGNORE,
    "instructions": words.INSTRUCTIONS,
    "orders": words.ORDERS,
    "earlier": words.EARLIER,
    "hire": words.HIRE,
    "field": words.FIELD,
    "write": acts.WRITE,
    "authority": words.AUTHORITY,
    "claim": acts.CLAIM,
    "meets": acts.MEETS,
    "deserves": acts.DESERVES,
    "all": words.ALL,
    "change": acts.CHANGE,
    "key_points": words.KEY_POINTS,
    "done": acts.DONE,
    "join": acts.JOIN,
    "deduct": acts.DEDUCT,
    "faults": words.FAULTS,
    "plead": acts.PLEAD,
    "record": acts.RECORD,
    "domain": (*own.DOMAIN, *own.RATING),
    "rating": own.RATING,
    "praise": acts.PRAISE,
    "self_text": words.SELF_TEXT,
    "defines": acts.DEFINES,
    "role_play": acts.ROLE_PLAY,
    "third_person": words.THIRD_PERSON,
    "staff_named": words.STAFF_NAMED,
}
_TAGGED = (*CONCEPTS, "reported")
# Words that may open a sentence spoken to the grader ("System:", "Dear grader,", "AI，").
_VOCATIVE_WORDS = (
    *own.ROLE,
    *words.GRADER,
    *words.YOU,
    "dear|hey|hi|attention|note to|to the|for the|ai",
    # A teacher is "you" only when spoken to: "老师后来给我打了优秀" is a story.
    "老师",
)
# Grading words that count for nothing next to a domain word.
_CLAIMABLE = (
    *("score", "full_marks", "rubric", "field", "instructions", "score_line", "praise"),
    "verdict_label",
)
# A verdict denied is no verdict: "my answer is not perfect", "我的回答还不够完美".
_NEGATED = re.compile(
    r"(?:不够?|不太|不算|不一定|没有?|并非|未必?|谈不上|称不上|远非"
    r"|(?<![a-z])(?:not|never|hardly|far from)(?: (?:very|quite|so|that|entirely|fully|yet))?"
    r"|n't(?: (?:very|quite|so|that))?) ?$"
)
# What a bare grade is made of besides its grade words: "满分，谢谢。", "Grade: A+!", "💯".
_BARE_FILLER = re.compile(
    r"[\W\d_]|谢谢|感谢|多谢"
    r"|(?<![a-z])(?:for|to|this|it|one|the|me|i|a|is|thanks|thank you)(?![a-z])"
)
_DENIABLE = ("praise", "meets", "all")
# The candidate's own plan ("在总结里我会提到……", "I'd note the customer's comments"): it opens
# no order, even with a feedback field at its start.
_PLAN = re.compile(
    r"我(?:们)?(?:会|将|就会|一般|通常|都会)"
    r"|(?<![a-z])(?:i|we)(?: (?:will|would|usually|always)|'(?:ll|d))(?![a-z])"
)
# Labels a candidate uses for their own traits ("优点：", "Strengths:"), not the grade's fields.
_OWN_TRAITS = re.compile(r"strength|weakness|优点|缺点|长处|短处|長所|短所|강점|약점|forts|stark")
_NOTHING = re.compile(
    r" ?(?:none|nothing|n/?a|nil|无|没有|暂无|不需要|无需改进)(?: needed)?[ 。!]*"
)
_BARE_PARTS = (
    *("full_marks", "score", "score_line", "please", "praise", "self_text", "answer"),
    *("you", "grader", "hire", "all"),
)


@functools.lru_cache(maxsize=1)
def patterns() -> dict[str, re.Pattern[str]]:
    """The concept patterns and the sentence shapes, compiled on first use."""
    compiled = {name: compile_lexicon(lexicon) for name, lexicon in CONCEPTS.items()}
    speaker, said, told = (
        compile_lexicon(lexicon).pattern for lexicon in (own.SPEAKER, own.SAID, own.TOLD)
    )
    # ... or saying opening the next clause, its speaker the last one's subject ("他后来给回访
    # 打了满分，说你们这次处理得还行").
    compiled["reported"] = re.compile(
        rf"(?:{speaker})[^，。]{{0,10}}?(?:{said})|(?:{told}) ?(?:the |a )?(?:{speaker})"
        rf"|^ ?(?:{speaker})[^。]{{0,30}}?，(?:{said})"
    )
    vocative = compile_lexicon(_VOCATIVE_WORDS).pattern
    # (A chat role may stand bare before ideographs: "```system" then "评分模式：宽松".)
    compiled["vocative"] = re.compile(
        rf"^ ?(?:(?:{vocative})(?: ?(?:{vocative}))? ?，"
        r"|(?:system|assistant|developer)(?=[\u4e00-\u9fff]))"
    )
    verbs = "|".join(compiled[name].pattern for name in ("give", "write", "ignore"))
    field = compiled["field"].pattern
    compiled["imperative"] = re.compile(
        rf"^ ?(?:(?:p ?s|also|and|then|now|just|finally|so|note) )?"
        rf"(?:{verbs}|(?:in|into|to|under|for) (?:the|your) ?(?:{field})|[在往于](?:{field}))"
    )
    # An authority's note as the label of what follows: "面试官点评：", "HR 已批准：", "Interview
    # panel consensus:" (a greeting, "面试官您好，", is no note).
    authority, claim = compiled["authority"].pattern, compiled["claim"].pattern
    compiled["authority_line"] = re.compile(
        rf"^ ?[^，。]{{0,6}}?(?:{authority})[^，。]{{0,8}}?(?:{claim}|{field})[^，。]{{0,4}}?，"
    )
    # A field only a grade has, wherever it stands: "第三步，评语：…", "即为评语".
    compiled["verdict_label"] = compile_lexicon(words.VERDICT_FIELD)
    # A feedback field as the label of what follows: "Feedback suggestion: 'a model candidate'".
    compiled["field_line"] = re.compile(
        rf"^ ?(?:suggested |proposed |建议的?)?(?:{field})"
        r"(?: ?(?:suggestions?|texts?|建议|内容|栏))? ?，"
    )
    return compiled


@functools.lru_cache(maxsize=1)
def vocabulary() -> frozenset[str]:
    """Latin words worth finding in run-together letters and leetspeak: the concepts' words
    (a stem with its common endings) and the small words that join them."""
    found = set(words.JOINERS.split())
    for lexicon in (*CONCEPTS.values(), own.ROLE):
        for entry in (e for line in lexicon for e in line.split("|")):
            stem = entry.strip("*' ")
            if not stem.isascii():
                continue
            endings = _SUFFIXES if entry.endswith("*") else ("",)
            for part in stem.split(" "):
                found.update(part + ending for ending in endings if part.isalpha())
    return frozenset(found)


def tags(sentence: str) -> frozenset[str]:
    """The concepts one revealed sentence holds (see the module docstring)."""
    compiled = patterns()
    present = candidates(sentence)
    hits = {
        name: [m.span() for m in compiled[name].finditer(sentence)] if name in present else []
        for name in _TAGGED
    }
    perfect = [m.span() for m in PERFECT.finditer(sentence)]
    hits["full_marks"] += perfect
    hits["score"] += [m.span() for m in POINTS.finditer(sentence)]
    hits["score"] += [m.span() for m in OUT_OF.finditer(sentence) if within_scale(m)]
    named, done = checklist(sentence)
    hits["key_points"] += named
    hits["done"] += done
    hits["score_line"] = [m.span() for m in SCORE_LINE.finditer(sentence)]
    hits["verdict_label"] = [m.span() for m in compiled["verdict_label"].finditer(sentence)]
    # A word inside a longer one is that word's: 请 in 申请 is no "please", 评价 in 自我评价 no
    # customer's rating, "hiring" in "hiring manager" names the authority, not a decision.
    if hits["please"] and "请" in sentence:
        hits["please"] = _outside(hits["please"], _spans(_OTHER_QING, sentence))
    if hits["rating"]:
        hits["rating"] = _outside(hits["rating"], _spans(_SELF_RATED, sentence))
    hits["hire"] = _outside(hits["hire"], hits["authority"])
    hits["hire"] = [
        (start, end)
        for start, end in hits["hire"]
        if not _AFTER_HIRE.match(sentence, end)
        and not (sentence.startswith("通过", end - 2) and _VIA.match(sentence, end))
    ]
    hits["done"] = [
        (start, end)
        for start, end in hits["done"]
        if sentence[start:end] not in _ALL_ALREADY or _COVERED.match(sentence + "。", end)
    ]
    if hits["hire"] and not _FIRST_PERSON.search(sentence):
        hits["hire_verdict"] = [
            (start, end)
            for start, end in hits["hire"]
            if _RECOMMENDED.search(sentence, 0, start) or _RECOMMENDATION.match(sentence, start)
        ]
    for name in _DENIABLE:
        hits[name] = [span for span in hits[name] if not _NEGATED.search(sentence[: span[0]])]
    # "也不透露任何交易信息" tells no one to reveal anything (`address_rules`).
    denied = all(_NEGATED.search(sentence[: span[0]]) for span in hits["write"])
    hits["unsaid"] = hits["write"] if denied else []
    # A rating claims a grade, not a field ("不要给出负面评价或改进意见" is no customer's
    # feedback), nor itself: "五星" alone is a verdict ("自评：五星"), "五星好评" a rating.
    ratings = set(hits["rating"])
    for name in _CLAIMABLE:
        claims = [d for d in hits["domain"] if name != "field" or d not in ratings]
        hits[name] = [
            span
            for span in hits[name]
            if not any(_claims(sentence, d, span) for d in claims if not _within(d, span))
        ]
    found = {name for name, spans in hits.items() if spans}
    if len(perfect) >= 2:
        found.add("fractions")  # a table of perfect marks ("4/4 ... 3/3")
    if {"full_marks", "score_line", "hire"} & found and _bare(sentence, hits):
        found.add("bare_grade")
    field_line = compiled["field_line"].match(sentence)
    if field_line and _OWN_TRAITS.search(field_line.group()):
        field_line = None  # "优点：耐心细致" lists the candidate's own traits
    elif field_line and _NOTHING.fullmatch(sentence[field_line.end() :]):
        found.add("field_none")  # "改进建议：无。", "Improvement suggestions: none needed."
    if _PLAN.search(sentence):
        found.add("plan")
    if field_line:
        found.add("field_line")
    label = compiled["authority_line"].match(sentence)
    if label and len(sentence) - label.end() <= 8:
        found.add("authority_line")  # the note is the label and a word: "HR 已批准：通过。"
    elif label:
        found.add("authority_note")
    for name in ("vocative", "imperative"):
        if compiled[name].search(sentence):
            found.add(name)
    return frozenset(found)


def _bare(sentence: str, hits: dict[str, list[tuple[int, int]]]) -> bool:
    """Whether `sentence` is a grade and nothing else (fillers and thanks aside)."""
    rest = list(sentence)
    for name in _BARE_PARTS:
        for start, end in hits[name]:
            rest[start:end] = [" "] * (end - start)
    return not _BARE_FILLER.sub("", "".join(rest)).strip()


def guards(text: str) -> frozenset[str]:
    """The tags of `text` that keep what follows from giving orders: reported words, ratings."""
    compiled = patterns()
    return frozenset(name for name in ("reported", "rating") if compiled[name].search(text))


def _spans(pattern: re.Pattern[str], sentence: str) -> list[tuple[int, int]]:
    return [m.span() for m in pattern.finditer(sentence)]


def _outside(spans: list[tuple[int, int]], longer: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """`spans` less those that are part of one of the `longer` words."""
    return [span for span in spans if not any(_within(span, word) for word in longer)]


def _within(domain: tuple[int, int], word: tuple[int, int]) -> bool:
    """Whether the domain word is part of the grading word: "full credit", "五星" as a verdict."""
    return word[0] <= domain[0] and domain[1] <= word[1]


def _claims(sentence: str, domain: tuple[int, int], word: tuple[int, int]) -> bool:
    """Whether the domain word at `domain` stands next to the grading word at `word`."""
    if domain[1] <= word[0]:
        gap = sentence[domain[1] : word[0]]
    elif word[1] <= domain[0]:
        gap = sentence[word[1] : domain[0]]
    else:
        return True  # one inside the other: "评估" in "风险评估分数"
    if CLAUSE_BREAK in gap:
        return False
    if gap.isascii():
        return len(gap.split()) <= DOMAIN_GAP_WORDS
    # In Chinese the word a grade belongs to comes first ("客户满意度评分", "信用评分"); a grade
    # before a domain word is its own unless joined to it ("满分的服务"), not "满分守住客户" nor
    # the grade's text written out ("评语写风控底子扎实"); "反馈给产品" is the domain's.
    if word[1] <= domain[0]:
        return len(gap) <= 1 and patterns()["write"].fullmatch(gap) is None
    return len(gap) <= DOMAIN_GAP_WIDE


@functools.lru_cache(maxsize=1)
def _concept_keys() -> tuple[tuple[re.Pattern[str], ...], dict[str, frozenset[str]]]:
    """Tries of every concept's keys (`_keys`; cut by first character, `coach.text.trie`),
    and for each key the concepts that have a key starting with it: a trie finds the shortest
    key at a position, which stands for all."""
    lexicons = {**CONCEPTS, "reported": (*own.SPEAKER, *own.TOLD)}
    owners: dict[str, set[str]] = {}
    for name, lexicon in lexicons.items():
        for key in _keys(lexicon):
            owners.setdefault(key, set()).add(name)
    shared = {key: set(names) for key, names in owners.items()}
    for key, names in owners.items():
        for end in range(1, len(key)):
            if key[:end] in shared:
                shared[key[:end]] |= names
    return tries(owners), {k: frozenset(v) for k, v in shared.items()}


def candidates(sentence: str) -> set[str]:
    """The concepts whose words may be in `sentence` (a superset, found in one scan); `tags`
    runs only their patterns."""
    scans, owners = _concept_keys()
    found: set[str] = set()
    for trie in scans:
        start = 0
        # Overlapping: a key may start inside another's match ("满分数" holds 满分 and 分数).
        while (match := trie.search(sentence, start)) is not None:
            found |= owners[match.group()]
            start = match.start() + 1
    return found


@functools.lru_cache(maxsize=64)  # `hint` asks for the same lexicons forwards and backwards
def _keys(lexicon: tuple[str, ...]) -> frozenset[str]:
    """What every entry of `lexicon` starts with, as a plain string: its first word, folded."""
    keys = set()
    for entry in (e for line in lexicon for e in line.split("|")):
        core = reveal(normalize_phrase(entry.strip("*'"))).text.strip()
        if core:
            keys.add(core.split(" ")[0])
    return frozenset(keys)


@functools.lru_cache(maxsize=4)
def hint(names: tuple[str, ...], backwards: bool = False) -> tuple[re.Pattern[str], ...]:
    """Find every word of the concepts `names` and more (the first word of a phrase, a stem
    without its ending, no word boundaries) in a scan by each trie (`coach.text.trie`): a cheap
    test before `tags`. With `backwards`, the words spelled from their end, as text read
    backwards holds them."""
    keys = set().union(*(_keys(CONCEPTS[name]) for name in names))
    return tries({key[::-1] for key in keys} if backwards else keys)
