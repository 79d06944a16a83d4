"""People's names that the text introduces: 我叫张伟, 姓名：王小明, 本人李娜, my name is ….

A Chinese name is a surname (one of the common ones below, or a two-character one) and one or
two given characters. The cue decides how sure a match has to be:

* 我叫, 名叫, 名字是, 姓名： say that a name follows: it runs until a character that does not
  belong in one (的, 今, 在, a title such as 经理, punctuation);
* 我是, 本人, 鄙人, and 叫 after a comma or a person (他叫, 客户叫), are followed by anything
  (我是客服, 我是新人, 本人认为, 我是高级客户经理, 我是江苏人), so the name must also end
  the phrase (punctuation, a digit, a title: 我是张伟，, 我是王小明经理) and must not end like
  a word for a role or a place (人, 员, 手, 中生, 业生, ...);
* a surname alone with a title (我是王经理) is a role, not a name, and is left.

English: "my name is" or "name:" and one to three capitalised words; "I am" or "I'm" and two
or three ("I am Chinese" names nobody).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from coach.text.pii_base import Hit

__all__ = ["candidates"]

# Common surnames, Simplified and Traditional; a few frequent ones that are also everyday words
# at the start of a phrase (和, 都, 那, 成, 时, 全, 应, 明, 平, ...) are left out on purpose.
_SURNAMES = frozenset(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程"
    "苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付傅方白邹孟熊秦邱江尹薛闫阎段雷侯龙史陶黎贺顾"
    "毛郝龚邵万钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰"
    "焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂苗谷盛曲翁冉骆蓝游辛靳管柴蒙鲍华喻祁蒲房滕"
    "饶牟艾尤穆卓古吉缪车项连芦麦褚娄窦戚岑景党宫费卜晏席卫米柏宗瞿桂佟臧闵苟邬边卞姬"
    "仇栾隋刁沙荣巫寇桑郎甄丛仲虞敖巩佘池麻迟邝封匡鞠惠荆冀郁胥栗燕楚鄢谌奚粟冼蔺"
    "伊郜阚朴廉禹祖漆狄芮扈晁阙戈鹿邸雍辜裘亓邰赫杭逯隆茹"
    "陳張劉楊黃趙吳孫鄭謝許韓馮鄧葉蘇魏呂盧姜鍾譚陸範賈韋鄒熊邱薛閻雷龍陶賀顧龔邵萬錢嚴戴湯"
    "莊聶魯嶽翟歐關蘭柳寧紀淩畢單裴霍塗駱藍遊靳蒙鮑華饒車項連麥竇戚費衛瞿臧閔鄔邊欒隋劉鄺"
)
_COMPOUND_SURNAMES = frozenset(
    "欧阳 司马 诸葛 上官 东方 皇甫 令狐 慕容 尉迟 公孙 长孙 宇文 司徒 夏侯 端木 轩辕 西门 独孤 "
    "南宫 百里 呼延 歐陽 司馬 東方 長孫 軒轅 西門 獨孤 南宮".split()
)
# Characters that end a name when they follow it: function words, time words, verbs of the
# self-introduction and the words that usually come next (今年, 在, 来自, 负责, 电话 ...).
_STOP = frozenset(
    "的了是在和与及或也都就还又很最太更已将要会把被让给对向从到于为而但并且这那哪么谁您你我他"
    "她它们吗呢吧啊呀哦嘛啦嗯请今昨年岁月日号说想来去做有没不个几些负担目现叫姓名字住家电手身"
    "联微打找问帮办以能先后因所如虽只才当等比着过得地之其此该每各某自本同作工职业部门区市省县"
    "們嗎這還從對為會說來個電號歲讓給負擔現將與聯幫辦當過該與業"
)
# A title right after a surname makes a role (王经理), after a full name it ends the name.
_TITLES = (
    "先生", "女士", "小姐", "经理", "經理", "主管", "老师", "老師", "师傅", "師傅", "阿姨",
    "大爷", "叔叔", "同学", "同學", "律师", "律師", "医生", "醫生", "主任", "行长", "行長",
    "科长", "處長", "处长", "部长", "總監", "总监", "专员", "專員", "顾问", "顧問", "客服",
    "柜员", "櫃員", "老板", "老闆", "太太", "夫人", "博士", "教授", "总", "總", "工", "姐",
    "哥",
)  # fmt: skip
# How a role, a trade or a place ends: 我是江苏人, 我是程序员, 我是高手, 我是常客 are no names.
_ROLE_ENDINGS = frozenset(
    "人员手者家户族们工师长士客身面边类型级种样式性化点里外内上下前后行司务品"
    "款卡额单票费率期时分秒次位名场員們師長麵邊類級種樣點裡後務單額費"
)
# Longer cues first where they share a start (本人姓名 before 本人).
# ... and the labels of a form that name a person (联系人：张伟, 户名：李娜, 持卡人王芳).
_STRONG_CUES: tuple[str, ...] = (
    *("我叫", "名叫", "我的名字是", "我的名字叫", "名字是", "名字叫", "本人姓名", "姓名是"),
    *("姓名为", "姓名為", "姓名", "联系人", "聯繫人", "收件人", "收货人", "持卡人", "开户人"),
    *("开户名", "户名", "戶名", "申请人", "借款人", "投保人", "被保险人", "受益人", "经办人"),
)
# ... and the two-character endings of student and trade words (高中生, 毕业生, 医生): 生 alone
# ends many given names (周建生).
_ROLE_SUFFIXES = ("学生", "中生", "业生", "届生", "习生", "究生", "医生", "学員", "學生")
# Weak cues: 叫 after a comma (我姓张，叫张伟) or a person (客户叫王小明): ，叫车送他 is no name.
_WEAK_CUES = ("我是", "本人", "鄙人")
_CALLED_AFTER = ("，", ",", "他", "她", "客户", "对方")  # a lone 叫 after these is a cue
# (叫 alone rather than "，叫": a comma is in every sentence, and every comma would start a try.)
_CUES = re.compile("|".join((*_STRONG_CUES, *_WEAK_CUES, "叫")))
_ENGLISH_CUES = re.compile(
    r"(?=[mMnNiI])(?<![A-Za-z])(?:(?i:my name is|my name's|name ?:)|(?P<am>I am|I'm|I’m))[ \t]*"
)
_ENGLISH_MARKS = ("ame", "AME", "I am", "I'm", "I’m")  # name, Name, NAME; I am, I'm
_LATIN_NAME = re.compile(r"[A-Z][a-z]+(?:[ -][A-Z][a-z]+){0,2}(?![A-Za-z])")
_LATIN_FULL_NAME = re.compile(r"[A-Z][a-z]+(?:[ -][A-Z][a-z]+){1,2}(?![A-Za-z])")


def candidates(view: str) -> Iterator[Hit]:
    """Names after a self-introduction cue in `view`."""
    for cue in _CUES.finditer(view):
        at = cue.end()
        if cue[0] == "叫" and not view.endswith(_CALLED_AFTER, 0, cue.start()):
            continue
        strong = cue[0] in _STRONG_CUES
        while at < len(view) and (view[at] in "：: " or (strong and view[at] in "是为為")):
            at += 1
        end = _chinese_name(view, at, strict=not strong)
        if end is None and strong and (latin := _LATIN_NAME.match(view, at)) is not None:
            end = latin.end()  # 我叫Zhang Wei
        if end is not None:
            yield Hit(at, end, "name", view[at:end])
    if any(cue in view for cue in _ENGLISH_MARKS):
        for cue in _ENGLISH_CUES.finditer(view):
            at = cue.end()
            if cue["am"]:  # "I am Chinese" is no name: "I am" needs a full name after it
                latin = _LATIN_FULL_NAME.match(view, at)
                end = None if latin is None else latin.end()
            else:
                latin = _LATIN_NAME.match(view, at)
                end = latin.end() if latin is not None else _chinese_name(view, at, strict=False)
            if end is not None:
                yield Hit(at, end, "name", view[at:end])


def _chinese_name(view: str, at: int, *, strict: bool) -> int | None:
    """Where a name starting at `at` ends, or None when none starts there."""
    if view[at : at + 2] in _COMPOUND_SURNAMES:
        end = at + 2
    elif at < len(view) and view[at] in _SURNAMES:
        end = at + 1
    else:
        return None
    given = 0
    while given < 2 and end < len(view) and _given_char(view, end):
        end += 1
        given += 1
    if not given:
        return None  # a surname alone, or a surname and a title: 我是王经理
    if strict and (
        not _ends_phrase(view, end)
        or view[end - 1] in _ROLE_ENDINGS
        or view.endswith(_ROLE_SUFFIXES, at, end)
    ):
        return None
    return end


def _given_char(view: str, index: int) -> bool:
    char = view[index]
    return _is_ideograph(char) and char not in _STOP and not view.startswith(_TITLES, index)


def _ends_phrase(view: str, index: int) -> bool:
    return index == len(view) or not _is_ideograph(view[index]) or view.startswith(_TITLES, index)


def _is_ideograph(char: str) -> bool:
    return "\u4e00" <= char <= "\u9fff" or "\u3400" <= char <= "\u4dbf"
