"""Recall and precision of `coach.redact` per kind of personal data, on synthetic sentences.

Generates `--n` values, the thirteen kinds in turn, each valid where its format has a check:

* mainland mobiles (real 1[3-9]x segments; plain, 3-4-4 by spaces or dashes, ``+86``...);
* landlines (real area codes; 010-12345678, 0755 8888 6666, (021)6123-4567, +86 10 1234 5678);
* resident IDs (real region code and birth date, ISO 7064 MOD 11-2 check character);
* Hong Kong IDs (one or two letters, six digits, the mod-11 check character, mostly bracketed);
* Macau IDs (1, 5 or 7, six digits, a bracketed digit); Taiwan IDs (letter, 1 or 2, seven
  digits, the check digit); mainland passports (E12345678, EA1234567, G12345678);
* bank cards (real-looking BINs, Luhn); e-mail addresses;
* QQ numbers and WeChat ids after their labels (QQ：, 企鹅号, 微信号：, 微信, vx, v信, WeChat ID);
* names after a cue (我叫, 我是, 本人, 姓名：, my name is), surname and one or two given
  characters from lists written for this bench;
* addresses (province, city and district, a road and house number, building, unit and room;
  or an estate with building and room), sometimes with the number in Chinese (八十八号);

each in a Chinese sentence, with a label or none where the kind allows it. A third of the
values are then obscured: zero-width characters or soft hyphens inside (U+200B, U+200C, U+200D,
U+2060, U+FEFF, U+00AD), digits grouped by dots or spelled out one by one with single spaces,
digits written as Chinese numerals (一三八…, 幺三八…, 壹贰叁…) or full-width.

Decoys that must stay sit in half of those sentences and in `n / 2` more: amounts, dates,
times, rates, order numbers and product codes, hotlines (95588, 400-820-8888), IDs with a
wrong check character, Luhn-failing digit runs, counter, line and floor numbers (3号窗口, 5号线,
A座3楼), branch names without a number (人民路支行), words that follow 我是/本人 without being a
name (我是客服, 我是本人, 我是江苏人, 本人认为), and labels without a value (微信支付, QQ音乐).

Measures, per kind and overall:

* recall: values whose identifying characters are all covered by replacements, whatever the
  placeholder's kind (a phone's ``+86`` and an address's province, city and district identify
  nobody and may stay; the kind is reported separately as "right placeholder");
* precision: replaced spans that overlap a real value, per placeholder kind and overall;
* decoys touched, per decoy kind; and the model answers of the built-in banks (ordinary
  answers, written for the banks), whose replaced spans are listed for review.

``python bench/pii_recall.py [--n 6500] [--seed 0] [--misses 10] [--strict]`` prints markdown
tables; ``--strict`` exits 1 when a target fails (recall >= 99% for every kind, overall
precision >= 95%). Standard library plus coach only.
"""

from __future__ import annotations

import argparse
import random
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

import coach

TARGET_RECALL = 0.99  # for every kind
TARGET_PRECISION = 0.95  # overall
KINDS = (
    *("phone", "landline", "id_number", "hk_id", "mo_id", "tw_id", "passport", "bank_card"),
    *("email", "qq", "wechat", "name", "address"),
)

# --- checksums -------------------------------------------------------------------------------

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECKS = "10X98765432"


def id_check(first17: str) -> str:
    """ISO 7064 MOD 11-2 check character of the first 17 digits of a resident ID."""
    total = sum(int(c) * w for c, w in zip(first17, _ID_WEIGHTS, strict=True))
    return _ID_CHECKS[total % 11]


def luhn_digit(body: str) -> str:
    """The digit that makes `body + digit` pass the Luhn check."""
    total = 0
    for position, char in enumerate(reversed(body)):
        digit = int(char)
        if position % 2 == 0:  # doubled: these sit at odd positions once the digit is added
            digit = digit * 2 - 9 if digit > 4 else digit * 2
        total += digit
    return str((10 - total % 10) % 10)


def luhn_ok(digits: str) -> bool:
    return luhn_digit(digits[:-1]) == digits[-1]


def valid_id(value: str) -> bool:
    """Check character and a real birth date, as `coach.redact` checks them."""
    if len(value) != 18 or not value[:17].isdigit():
        return False
    if id_check(value[:17]) != value[17].upper():
        return False
    try:
        born = date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        return False
    return date(1900, 1, 1) <= born <= date.today()


def hk_check(letters: str, digits: str) -> str:
    """Hong Kong ID check character: a blank (36) pads one letter to two; letters 10-35;
    weights 9..2; 11 minus the sum mod 11, 10 as A and 11 as 0."""
    values = [36] * (2 - len(letters)) + [ord(c) - ord("A") + 10 for c in letters]
    values += [int(c) for c in digits]
    remainder = sum(v * w for v, w in zip(values, (9, 8, 7, 6, 5, 4, 3, 2), strict=True)) % 11
    check = (11 - remainder) % 11
    return "A" if check == 10 else str(check)


# Taiwan: the letter's two-digit code (not alphabetical from I on).
_TW_CODES = {
    **{c: 10 + i for i, c in enumerate("ABCDEFGH")},
    **{c: 18 + i for i, c in enumerate("JKLMN")},
    **{c: 23 + i for i, c in enumerate("PQRSTUV")},
    **{"X": 30, "Y": 31, "W": 32, "Z": 33, "I": 34, "O": 35},
}


def tw_check(first9: str) -> str:
    """The last digit of a Taiwan ID whose letter and first eight digits are `first9`."""
    code = _TW_CODES[first9[0]]
    numbers = [code // 10, code % 10, *map(int, first9[1:])]
    total = sum(n * w for n, w in zip(numbers, (1, 9, 8, 7, 6, 5, 4, 3, 2, 1), strict=True))
    return str((10 - total % 10) % 10)


def tw_ok(value: str) -> bool:
    return value[0] in _TW_CODES and tw_check(value[:9]) == value[9]


# --- values ----------------------------------------------------------------------------------

_PHONE_SEGMENTS = (
    *range(130, 140),
    *range(145, 150),
    *(150, 151, 152, 153, 155, 156, 157, 158, 159, 162, 165, 166, 167),
    *range(170, 179),
    *range(180, 190),
    *(190, 191, 192, 193, 195, 196, 197, 198, 199),
)
_AREA_CODES = (
    *("010", "020", "021", "022", "023", "024", "025", "027", "028", "029"),
    *("0311", "0351", "0371", "0411", "0431", "0451", "0512", "0532", "0571", "0574", "0591"),
    *("0592", "0731", "0755", "0757", "0769", "0851", "0871", "0898", "0931", "0991"),
)
_REGIONS = (
    "110101", "110105", "120103", "130102", "210102", "310104", "310115", "320102", "320508",
    "330106", "340104", "350203", "370202", "410105", "420106", "430104", "440106", "440305",
    "450103", "500103", "510107", "530102", "610113", "620102", "650102",
)  # fmt: skip
_BINS = (
    "622202", "622208", "621700", "622848", "621661", "456351", "622588", "621483",
    "622260", "623668", "625911", "436742", "402674", "518710", "524090", "601382",
)  # fmt: skip
_MAIL_DOMAINS = (
    "qq.com", "163.com", "126.com", "gmail.com", "sina.com", "foxmail.com", "outlook.com",
    "sina.com.cn", "yeah.net", "139.com", "icbc.com.cn", "ccb-fin.com", "example.org",
)  # fmt: skip
_MAIL_NAMES = (
    "zhangwei", "li.na", "wang_fang", "liu.yang88", "chenjing", "yang-lei", "zhao.min",
    "huang1990", "zhou_jie", "wu.xiaoming", "xu+bank", "sun.li.2024", "ma_chao", "zhu7",
)  # fmt: skip
_PINYIN = (
    "zhang", "wang", "li", "liu", "chen", "yang", "huang", "zhao", "zhou", "wu", "xu", "sun",
    "lei", "fang", "min", "jing", "hui", "xiaoming", "yu", "hao", "ting", "qiang", "na", "jie",
)  # fmt: skip
# Written for this bench: frequent surnames and given-name characters.
_SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏"
    "魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦方白邹孟熊秦邱江尹薛段雷侯龙史陶黎贺顾毛郝龚邵"
    "钱严武戴莫孔汤"
)
_COMPOUND = ("欧阳", "司马", "诸葛", "上官", "慕容")
_GIVEN = (
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞刚桂英华玉萍红建文辉力鹏飞云琳婷雪慧欣宇浩轩子涵"
    "睿博思嘉怡晨阳瑞佳鑫凯斌亮晶倩莉兰凤霖泽晓小志海峰永春梅德振彬俊颖璐婉宁天成安生民"
)
_PLACES = (
    ("北京市", ("朝阳区", "海淀区", "东城区", "西城区", "丰台区")),
    ("上海市", ("浦东新区", "徐汇区", "静安区", "黄浦区")),
    ("天津市", ("南开区", "河西区")),
    ("重庆市", ("渝中区", "江北区")),
    ("广东省深圳市", ("南山区", "福田区", "罗湖区")),
    ("广东省广州市", ("天河区", "越秀区", "海珠区")),
    ("浙江省杭州市", ("西湖区", "滨江区", "上城区")),
    ("江苏省南京市", ("鼓楼区", "玄武区")),
    ("江苏省苏州市", ("姑苏区", "吴中区")),
    ("四川省成都市", ("武侯区", "锦江区")),
    ("湖北省武汉市", ("洪山区", "江汉区")),
    ("陕西省西安市", ("雁塔区", "碑林区")),
    ("山东省青岛市", ("市南区", "崂山区")),
    ("河北省保定市", ("竞秀区", "清苑区")),
    ("云南省昆明市", ("五华区", "盘龙区")),
)
_ROAD_NAMES = (
    "建国", "中山", "人民", "解放", "长江", "黄河", "南京东", "中山北", "世纪", "文三", "科技园南",
    "和平", "胜利", "建设", "光明", "新华", "朝阳", "学院", "东风", "滨江", "青年", "幸福",
    "迎宾", "振兴", "复兴", "淮海中", "延安西", "天府", "金融", "望京",
)  # fmt: skip
_ROAD_UNITS = ("路", "路", "路", "街", "大街", "大道", "巷")
_ESTATES = ("阳光花园", "幸福小区", "翠苑", "万科城", "碧水湾", "金地公寓", "锦绣家园", "龙湖天街")
_NUMERAL_WORDS = "零一二三四五六七八九"
_INVISIBLE = ("\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad")
_FULL_WIDTH = {code: code + 0xFEE0 for code in range(0x21, 0x7F)}  # ASCII -> full-width


def _birth(rng: random.Random) -> date:
    return date(1940, 1, 1) + timedelta(days=rng.randrange(25000))


def _digits(rng: random.Random, n: int) -> str:
    return "".join(str(rng.randrange(10)) for _ in range(n))


def _group(digits: str, sizes: Sequence[int], sep: str) -> str:
    parts, at = [], 0
    for size in sizes:
        parts.append(digits[at : at + size])
        at += size
    if at < len(digits):
        parts.append(digits[at:])
    return sep.join(p for p in parts if p)


PHONE_PREFIXES = ("", "", "", "+86", "+86 ", "+86-", "0086 ", "86-", "86 ")


def _phone(rng: random.Random) -> tuple[str, int]:
    digits = f"{rng.choice(_PHONE_SEGMENTS)}{rng.randrange(10**8):08d}"
    layout = rng.choice(("plain", "plain", "space", "dash", "dot", "4-4-3"))
    if layout == "plain":
        national = digits
    elif layout == "4-4-3":
        national = _group(digits, (4, 4, 3), " ")
    else:
        national = _group(digits, (3, 4, 4), {"space": " ", "dash": "-", "dot": "."}[layout])
    prefix = rng.choice(PHONE_PREFIXES)
    return prefix + national, len(prefix)


def _landline(rng: random.Random) -> tuple[str, int]:
    area = rng.choice(_AREA_CODES)
    length = 8 if len(area) == 3 or rng.random() < 0.6 else 7
    local = str(rng.randrange(2, 9)) + _digits(rng, length - 1)
    split = _group(local, (length - 4, 4), rng.choice((" ", "-")))
    return rng.choice(
        (
            (f"{area}-{local}", 0),
            (f"{area} {split}", 0),
            (f"({area}){split}", 0),
            (f"（{area}）{local}", 0),
            (f"+86 {area[1:]} {split}", 4),
            (f"+86-{area[1:]}-{local}", 4),
            (f"{area}{local}", 0),
        )
    )


def _id_number(rng: random.Random) -> tuple[str, int]:
    first17 = f"{rng.choice(_REGIONS)}{_birth(rng):%Y%m%d}{rng.randrange(1000):03d}"
    value = first17 + id_check(first17)
    if value.endswith("X") and rng.random() < 0.3:
        value = value[:-1] + "x"
    return (_group(value, (6, 8, 4), " ") if rng.random() < 0.15 else value), 0


def _hk_id(rng: random.Random) -> tuple[str, int]:
    letters = "".join(rng.choice("ABCDEGHKMPRVWYZ") for _ in range(1 if rng.random() < 0.8 else 2))
    digits = _digits(rng, 6)
    check = hk_check(letters, digits)
    layout = rng.random()
    if layout < 0.6:
        return f"{letters}{digits}({check})", 0
    if layout < 0.8:
        return f"{letters}{digits}（{check}）", 0
    return f"{letters}{digits}{check}", 0


def _mo_id(rng: random.Random) -> tuple[str, int]:
    return f"{rng.choice('157')}{_digits(rng, 6)}({rng.randrange(10)})", 0


def _tw_id(rng: random.Random) -> tuple[str, int]:
    first9 = rng.choice("ABCDEFGHJKLMNPQRSTUVXYWZIO") + rng.choice("12") + _digits(rng, 7)
    return first9 + tw_check(first9), 0


def _passport(rng: random.Random) -> tuple[str, int]:
    letter = rng.choice("ABCDEFGHJKLMNPQRSTUVWXYZ")
    return rng.choice(
        (f"E{_digits(rng, 8)}", f"E{letter}{_digits(rng, 7)}", f"G{_digits(rng, 8)}")
    ), 0


def _bank_card(rng: random.Random) -> tuple[str, int]:
    body = rng.choice(_BINS)
    body += _digits(rng, rng.choice((16, 16, 16, 17, 18, 19, 19)) - 1 - len(body))
    digits = body + luhn_digit(body)
    layout = rng.random()
    if layout < 0.55:
        return digits, 0
    return _group(digits, (4,) * 4, " " if layout < 0.85 else "-"), 0


def _email(rng: random.Random) -> tuple[str, int]:
    name = rng.choice(_MAIL_NAMES) + (str(rng.randrange(1, 9999)) if rng.random() < 0.4 else "")
    address = f"{name}@{rng.choice(_MAIL_DOMAINS)}"
    return (address.title() if rng.random() < 0.1 else address), 0


def _qq(rng: random.Random) -> tuple[str, int]:
    return str(rng.randrange(1, 10)) + _digits(rng, rng.randrange(4, 10)), 0


def _wechat(rng: random.Random) -> tuple[str, int]:
    words = rng.sample(_PINYIN, 2)
    return rng.choice(
        (
            f"wxid_{''.join(rng.choice('abcdefghijkmnpqrstuvwxyz0123456789') for _ in range(10))}",
            f"{words[0]}_{words[1]}{rng.randrange(1, 100)}",
            f"{words[0]}{words[1]}{rng.randrange(1990, 2010)}",
            f"{words[0].title()}-{words[1]}",
            f"{words[0]}{words[1]}" + rng.choice(("abc", "xyz", "vip", "666")),
        )
    ).ljust(6, "8"), 0


def _name(rng: random.Random) -> tuple[str, int]:
    surname = rng.choice(_COMPOUND) if rng.random() < 0.05 else rng.choice(_SURNAMES)
    return surname + "".join(rng.choice(_GIVEN) for _ in range(rng.choice((1, 2, 2)))), 0


def _latin_name(rng: random.Random) -> str:
    return f"{rng.choice(_PINYIN).title()} {rng.choice(_PINYIN).title()}"


def _number_word(n: int) -> str:
    """1-999 in Chinese number words: 八十八, 一百零五."""
    hundreds, tens, ones = n // 100, n // 10 % 10, n % 10
    text = f"{_NUMERAL_WORDS[hundreds]}百" if hundreds else ""
    if tens:
        text += ("" if tens == 1 and not hundreds else _NUMERAL_WORDS[tens]) + "十"
    elif hundreds and ones:
        text += "零"
    return text + (_NUMERAL_WORDS[ones] if ones else "")


def _address(rng: random.Random) -> tuple[str, int]:
    city, districts = rng.choice(_PLACES)
    admin = (city + rng.choice(districts)) if rng.random() < 0.8 else ""
    building = rng.choice(("", f"{rng.randrange(1, 30)}栋", f"{rng.randrange(1, 30)}号楼"))
    unit = f"{rng.randrange(1, 6)}单元" if building and rng.random() < 0.5 else ""
    room = f"{rng.randrange(1, 33)}{rng.randrange(1, 5):02d}"
    if rng.random() < 0.5:  # a road and a house number
        number = rng.randrange(1, 999)
        house = (_number_word(number) if rng.random() < 0.1 else str(number)) + "号"
        rest = rng.choice(("", building + unit + room + "室", building + unit + room, f"{room}室"))
        street = rng.choice(_ROAD_NAMES) + rng.choice(_ROAD_UNITS) + house + rest
    else:  # an estate with its building and room
        parts = building or f"{rng.randrange(1, 30)}栋"
        street = rng.choice(_ESTATES) + rng.choice((parts + unit + room + "室", parts + room))
    return admin + street, len(admin)


_MAKERS: dict[str, Callable[[random.Random], tuple[str, int]]] = {
    "phone": _phone,
    "landline": _landline,
    "id_number": _id_number,
    "hk_id": _hk_id,
    "mo_id": _mo_id,
    "tw_id": _tw_id,
    "passport": _passport,
    "bank_card": _bank_card,
    "email": _email,
    "qq": _qq,
    "wechat": _wechat,
    "name": _name,
    "address": _address,
}

# --- obscuring -------------------------------------------------------------------------------

_CHINESE_DIGITS = ("〇一二三四五六七八九", "零幺二三四五六七八九", "零壹贰叁肆伍陆柒捌玖")
# Kinds whose digits may be spelled out or written in Chinese numerals, and how each groups
# its digits with dots.
_DIGIT_KINDS = frozenset({"phone", "landline", "id_number", "bank_card", "qq"})
_DOTS = {"phone": (3, 4, 4), "id_number": (6, 8, 4), "bank_card": (4, 4, 4, 4)}


def _hide(value: str, rng: random.Random) -> str:
    """`value` with one to three invisible characters inside."""
    chars = list(value)
    for _ in range(rng.randrange(1, 4)):
        chars.insert(rng.randrange(1, len(chars)), rng.choice(_INVISIBLE))
    return "".join(chars)


def _obscure(value: str, kind: str, rng: random.Random) -> tuple[str, str]:
    """`value` obscured one way (or not), and the way's name."""
    way = rng.choice(("zero_width", "zero_width", "dots", "spelled", "numerals", "full_width"))
    plain = value.replace(" ", "").replace("-", "")
    if way == "zero_width":
        return _hide(value, rng), way
    if way == "full_width":
        return value.translate(_FULL_WIDTH), way
    if kind not in _DIGIT_KINDS or not plain[:-1].isdigit() or "+" in value or "(" in value:
        return value, "none"
    if kind == "phone" and len(plain) != 11:  # a country code without "+": left as written
        return value, "none"
    if way == "dots":
        if kind == "landline":  # area code, then the local number in two
            area = 3 if plain.startswith(("01", "02")) else 4
            return _group(plain, (area, len(plain) - area - 4, 4), "."), way
        if kind not in _DOTS:
            return value, "none"
        return _group(plain, _DOTS[kind], "."), way
    if way == "spelled":
        return " ".join(plain), way
    numerals = rng.choice(_CHINESE_DIGITS)
    return "".join(numerals[int(c)] if c.isdigit() else c for c in plain), way


# --- sentences -------------------------------------------------------------------------------

_LABELS = {
    "phone": ("手机", "手机号", "手机号码", "电话", "联系电话", "联系方式", "号码", "Tel"),
    "landline": ("座机", "固话", "办公电话", "家里电话", "电话", "联系电话"),
    "id_number": ("身份证号", "身份证", "身份证号码", "证件号", "证件号码"),
    "hk_id": ("香港身份证", "香港身份证号", "身份证", "HKID"),
    "mo_id": ("澳门身份证", "澳门身份证号", "证件号"),
    "tw_id": ("台湾身份证", "身份证字号", "证件号"),
    "passport": ("护照", "护照号", "护照号码", "Passport No."),
    "bank_card": ("卡号", "银行卡号", "银行卡", "储蓄卡", "信用卡号", "账号", "借记卡"),
    "email": ("邮箱", "电子邮箱", "邮件地址", "E-mail", "Email"),
    "qq": ("QQ", "QQ号", "qq", "QQ号码", "企鹅号", "扣扣"),
    "wechat": ("微信", "微信号", "vx", "VX", "v信", "WeChat ID", "wechat:"),
}
_LABELLED = (
    "我的{label}是{value}，麻烦您核实一下",
    "{label}：{value}",
    "{label}:{value}，请尽快处理",
    "请记下客户的{label} {value}",
    "客户留下的{label}为{value}，稍后回访",
    "{label}{value}已登记",
    "您好，{label}是 {value} 对吗",
)
_BARE = (
    "您可以通过{value}联系我",
    "{value}是客户刚才报的",
    "客户说{value}，请帮忙查一下",
    "好的，{value}，我已经记录下来了",
    "请确认{value}是否正确",
    "{value}",
    "麻烦回拨{value}谢谢",
)
_NEEDS_LABEL = frozenset({"qq", "wechat"})
_NAME_FRAMES = (
    "您好，我叫{value}，今年{age}岁",
    "我叫{value}今年{age}岁，来自{city}",
    "我叫{value}。",
    "面试官您好，我是{value}，很高兴认识您",
    "您好，我是{value}。",
    "我是{value}经理，负责对公业务",
    "本人{value}，身份证遗失需要补办",
    "姓名：{value}，电话稍后补充",
    "客户姓名：{value}",
    "我的名字是{value}，在网点工作三年",
    "鄙人{value}，请多指教",
    "我是{value}",
)
_LATIN_FRAMES = ("My name is {value}, nice to meet you.", "my name is {value}.", "Name: {value}")
_ADDRESS_FRAMES = (
    "我家住在{value}，离网点很近",
    "家庭住址：{value}",
    "快递寄到{value}，谢谢",
    "收件地址是{value}。",
    "我住{value}",
    "{value}",
    "客户的地址是{value}，请上门核实",
)

# --- decoys: shapes that are not personal data -----------------------------------------------


def _amount(rng: random.Random) -> str:
    return rng.choice(
        (
            f"{rng.randrange(1, 99999)}元",
            f"{rng.randrange(1, 999)},{rng.randrange(1000):03d}.{rng.randrange(100):02d}元",
            f"¥{rng.randrange(100, 99999)}.{rng.randrange(100):02d}",
            f"{rng.randrange(1, 500)}.{rng.randrange(10)}万元",
            f"{rng.choice(_PHONE_SEGMENTS)}{rng.randrange(10**8):08d}元",  # phone-shaped money
            f"人民币{rng.randrange(10**5, 10**9)}元",
            f"{rng.randrange(1, 9999)}美元",
        )
    )


def _date(rng: random.Random) -> str:
    day = _birth(rng) + timedelta(days=rng.randrange(8000))
    return rng.choice(
        (f"{day:%Y-%m-%d}", f"{day.year}年{day.month}月{day.day}日", f"{day:%Y%m%d}",
         f"{day:%Y/%m/%d}", f"{day.month}月{day.day}号", f"{day:%Y.%m.%d}")
    )  # fmt: skip


def _time(rng: random.Random) -> str:
    h, m, s = rng.randrange(24), rng.randrange(60), rng.randrange(60)
    return rng.choice((f"{h:02d}:{m:02d}", f"{h:02d}:{m:02d}:{s:02d}", f"下午{h % 12 + 1}点{m}分"))


def _datetime(rng: random.Random) -> str:
    return f"{_birth(rng) + timedelta(days=rng.randrange(8000)):%Y-%m-%d} {_time(rng)[:5]}"


def _rate(rng: random.Random) -> str:
    whole, cents = rng.randrange(1, 10), rng.randrange(100)
    return rng.choice(
        (
            f"年化{whole}.{cents:02d}%",
            f"LPR为{whole}.{cents:02d}%",
            f"利率{whole}.{cents % 10}%",
            f"百分之{cents}",
            f"{whole}.{cents % 10}‰",
        )
    )


def _order(rng: random.Random) -> str:
    stamp = f"{2020 + rng.randrange(7)}{rng.randrange(1, 13):02d}{rng.randrange(1, 29):02d}"
    return rng.choice(
        (
            f"订单号{stamp}{rng.randrange(10**4):04d}",
            f"订单号：DD{stamp}{rng.randrange(10**6):06d}",
            f"工单号 GD-{stamp}-{rng.randrange(10**4):04d}",
            f"流水号{stamp}{rng.randrange(10**12):012d}",  # 20 digits: longer than any card
            f"快递单号SF{rng.randrange(10**12):012d}",
            # 18-19 digits like a marketplace order: one in ten passes Luhn (see _bad_id)
            f"订单编号{rng.randrange(1, 10)}{rng.randrange(10**17):017d}"[: rng.choice((22, 23))],
        )
    )


def _code(rng: random.Random) -> str:
    """Product and model codes: letters and digits, some in a document's shape by chance."""
    letters = "".join(rng.choice("ABCDFHJKLMNPRSTUVWXYZ") for _ in range(rng.randrange(1, 4)))
    return (
        rng.choice(("产品代码", "型号", "SKU ", "合同编号", "批次"))
        + letters
        + _digits(rng, rng.randrange(4, 10))
    )


def _hotline(rng: random.Random) -> str:
    return rng.choice(
        ("95588", "95533转2", "400-820-8888", "4008-200-588", "800-820-8888", "10086", "12315",
         f"400-{rng.randrange(100, 1000)}-{rng.randrange(1000, 10000)}", "4006-95555")
    )  # fmt: skip


def _bad_id(rng: random.Random) -> str:
    """18 characters with a real region and date whose check character is wrong. About one in
    ten of the all-digit ones passes Luhn and is redacted as a card, by the redactor's design
    (it prefers false positives); they are counted as errors here all the same."""
    first17 = f"{rng.choice(_REGIONS)}{_birth(rng):%Y%m%d}{rng.randrange(1000):03d}"
    return first17 + rng.choice([c for c in "0123456789X" if c != id_check(first17)])


def _luhn_failing(rng: random.Random) -> str:
    """An unlabelled 16-19 digit run that fails Luhn (and is no valid ID)."""
    while True:
        value = str(rng.randrange(1, 10)) + _digits(rng, rng.randrange(15, 19))
        if not luhn_ok(value) and not valid_id(value):
            return value


def _place(rng: random.Random) -> str:
    k, road = rng.randrange(1, 12), rng.choice(_ROAD_NAMES)
    return rng.choice(
        (
            *(f"{k}号窗口", f"地铁{k}号线", f"A座{k + 2}楼", f"{road}路支行", f"{k}号柜台"),
            *(f"{k}楼大厅", f"第{k}单元", f"{road}大街网点", f"{k % 4 + 1}室2厅"),
        )
    )


def _not_a_name(rng: random.Random) -> str:
    return rng.choice(
        (
            *("我是客服", "我是本人", "我是新人", "我是江苏人", "我是高级客户经理", "本人认为"),
            *("我是王经理", "我是说", f"本人于{rng.randrange(2010, 2026)}年入职", "我叫了保安"),
            *("我是第一次来", "本人签字确认", "我是程序员", "我是应届毕业生", "本人承诺"),
            *("我是来办业务的", "我是张经理的客户", "本人已知悉", "我是黄金会员", "我是单身"),
        )
    )


def _not_an_account(rng: random.Random) -> str:
    return rng.choice(
        (
            *("微信支付", "微信公众号", "QQ音乐", "用微信联系", "WeChat Pay", "加微信群"),
            *("微信银行", "QQ邮箱", "微信小程序", "vx转账"),
        )
    )


DECOYS: dict[str, Callable[[random.Random], str]] = {
    "amount": _amount,
    "date": _date,
    "time": _time,
    "date_time": _datetime,
    "rate": _rate,
    "order_number": _order,
    "product_code": _code,
    "hotline": _hotline,
    "id_bad_check": _bad_id,
    "digits_luhn_fail": _luhn_failing,
    "place_number": _place,
    "not_a_name": _not_a_name,
    "not_an_account": _not_an_account,
}
_DECOY_FRAMES = (
    "上个月转了{d}",
    "时间是{d}",
    "记录显示{d}",
    "客户提到{d}",
    "系统里是{d}",
    "备注{d}",
)


@dataclass(frozen=True, slots=True)
class Span:
    start: int
    end: int
    kind: str  # a personal-data kind, or a decoy kind
    core: int = 0  # characters at the start that identify nobody (+86, a province and city)


@dataclass(frozen=True, slots=True)
class Case:
    """One answer text with where its values and decoys are, and how the value was obscured."""

    text: str
    identifiers: tuple[Span, ...]
    decoys: tuple[Span, ...]
    obscured: str = "none"


class _Builder:
    def __init__(self) -> None:
        self.text = ""
        self.identifiers: list[Span] = []
        self.decoys: list[Span] = []

    def add(self, piece: str, kind: str | None = None, decoy: bool = False, core: int = 0) -> None:
        if kind is not None:
            span = Span(len(self.text), len(self.text) + len(piece), kind, core)
            (self.decoys if decoy else self.identifiers).append(span)
        self.text += piece

    def frame(
        self, template: str, value: str, kind: str, *, decoy: bool = False, core: int = 0
    ) -> None:
        before, after = template.split("{value}")
        self.add(before)
        self.add(value, kind, decoy, core)
        self.add(after)


def _core(written: str, core: int) -> int:
    """The uninformative start (`core` characters of the plain value) in the written value,
    which may have invisible characters inside."""
    seen = at = 0
    while seen < core and at < len(written):
        seen += written[at] not in _INVISIBLE
        at += 1
    return at


def _decoy(rng: random.Random, builder: _Builder) -> None:
    kind = rng.choice(sorted(DECOYS))
    value = DECOYS[kind](rng)
    if rng.random() < 0.1:
        value = value.translate(_FULL_WIDTH)
    builder.frame(rng.choice(_DECOY_FRAMES).replace("{d}", "{value}"), value, kind, decoy=True)


def _identifier(rng: random.Random, kind: str, builder: _Builder) -> str:
    """Write one value of `kind` in a sentence; return how it was obscured."""
    value, core = _MAKERS[kind](rng)
    way = "none"
    if rng.random() < 0.35:
        value, way = _obscure(value, kind, rng)
        core = _core(value, core) if way == "zero_width" else core
    fields = {"age": str(rng.randrange(22, 40)), "city": rng.choice(("北京", "上海", "成都"))}
    if kind == "name":
        if rng.random() < 0.1 and way == "none":
            value = _latin_name(rng)
            template = rng.choice(_LATIN_FRAMES)
        else:
            template = rng.choice(_NAME_FRAMES)
        template = template.replace("{age}", fields["age"]).replace("{city}", fields["city"])
    elif kind == "address":
        template = rng.choice(_ADDRESS_FRAMES)
    elif kind in _NEEDS_LABEL or rng.random() < 0.6:
        template = rng.choice(_LABELLED).replace("{label}", rng.choice(_LABELS[kind]))
    else:
        template = rng.choice(_BARE)
    builder.frame(template, value, kind, core=core)
    return way


def generate(n: int = 6500, seed: int = 0) -> list[Case]:
    """`n` values (kinds in turn), each in its own sentence, plus decoys."""
    rng = random.Random(seed)
    cases = []
    for i in range(n):
        builder = _Builder()
        decoy_first = rng.random() < 0.25
        if decoy_first:
            _decoy(rng, builder)
            builder.add("。")
        way = _identifier(rng, KINDS[i % len(KINDS)], builder)
        if not decoy_first and rng.random() < 0.33:
            builder.add("，另外")
            _decoy(rng, builder)
        builder.add(rng.choice(("。", "！", "", "？")))
        cases.append(Case(builder.text, tuple(builder.identifiers), tuple(builder.decoys), way))
    for _ in range(n // 2):
        builder = _Builder()
        _decoy(rng, builder)
        builder.add(rng.choice(("，", "；", "。")))
        _decoy(rng, builder)
        builder.add("。")
        cases.append(Case(builder.text, (), tuple(builder.decoys)))
    return cases


# --- measuring -------------------------------------------------------------------------------


@dataclass
class Tally:
    total: int = 0
    hit: int = 0
    right_kind: int = 0


def _tallies(kinds: Sequence[str]) -> dict[str, Tally]:
    return {kind: Tally() for kind in kinds}


@dataclass
class Result:
    """Counts per kind; `misses` and `false_positives` keep examples."""

    n: int
    seed: int
    identifiers: dict[str, Tally] = field(default_factory=lambda: _tallies(KINDS))
    replaced: dict[str, Tally] = field(default_factory=lambda: _tallies(KINDS))
    obscured: dict[str, Tally] = field(default_factory=dict)  # recall per way of obscuring
    core_left: int = 0  # values replaced but for their uninformative start
    decoys: dict[str, Tally] = field(default_factory=lambda: _tallies(sorted(DECOYS)))
    misses: list[tuple[str, str]] = field(default_factory=list)  # (kind, text)
    false_positives: list[tuple[str, str]] = field(default_factory=list)  # (kind, text)
    ordinary: Tally = field(default_factory=Tally)  # answers, and replaced spans in them
    ordinary_hits: list[tuple[str, str]] = field(default_factory=list)  # (kind, redacted text)

    @property
    def recall(self) -> float:
        tallies = self.identifiers.values()
        return sum(t.hit for t in tallies) / max(1, sum(t.total for t in tallies))

    @property
    def precision(self) -> float:
        tallies = self.replaced.values()
        return sum(t.hit for t in tallies) / max(1, sum(t.total for t in tallies))

    def recall_of(self, kind: str) -> float:
        tally = self.identifiers[kind]
        return tally.hit / tally.total if tally.total else 1.0

    @property
    def failing(self) -> list[str]:
        """The targets missed: kinds below the recall target, and precision."""
        failed = [kind for kind in KINDS if self.recall_of(kind) < TARGET_RECALL]
        return failed + (["precision"] if self.precision < TARGET_PRECISION else [])

    @property
    def passed(self) -> bool:
        return not self.failing


def _covered(start: int, stop: int, ranges: Sequence[tuple[int, int]]) -> bool:
    """Whether the replaced ranges (sorted, disjoint) together cover all of start..stop."""
    at = start
    for low, high in ranges:
        if low <= at < high:
            at = high
        if at >= stop:
            return True
    return False


def _overlaps(a_start: int, a_end: int, b: Span) -> bool:
    return a_start < b.end and b.start < a_end


def measure(cases: Sequence[Case], n: int = 0, seed: int = 0) -> Result:
    result = Result(n=n, seed=seed)
    for case in cases:
        redaction = coach.redact(case.text)
        ranges = [(r.start, r.end) for r in redaction.replacements]
        for span in case.identifiers:
            tally = result.identifiers[span.kind]
            way = result.obscured.setdefault(case.obscured, Tally())
            tally.total += 1
            way.total += 1
            if _covered(span.start + span.core, span.end, ranges):
                tally.hit += 1
                way.hit += 1
                result.core_left += not _covered(span.start, span.end, ranges)
                kinds = {r.kind for r in redaction.replacements if _overlaps(r.start, r.end, span)}
                tally.right_kind += kinds == {span.kind}
            else:
                result.misses.append((span.kind, case.text))
        for r in redaction.replacements:
            tally = result.replaced[r.kind]
            tally.total += 1
            real = [s for s in case.identifiers if _overlaps(r.start, r.end, s)]
            tally.hit += bool(real)
            tally.right_kind += any(s.kind == r.kind for s in real)
            if not real:
                result.false_positives.append((r.kind, case.text))
        for span in case.decoys:
            tally = result.decoys[span.kind]
            tally.total += 1
            tally.hit += any(_overlaps(start, end, span) for start, end in ranges)
    return result


def measure_ordinary(result: Result) -> None:
    """Redact the model answers of the built-in banks: ordinary answers without personal data."""
    for bank in coach.builtin_banks():
        for question in bank.questions:
            if question.model_answer:
                redaction = coach.redact(question.model_answer)
                result.ordinary.total += 1
                result.ordinary.hit += len(redaction.replacements)
                for r in redaction.replacements:
                    around = redaction.text[max(0, r.text_start - 12) : r.text_end + 12]
                    result.ordinary_hits.append((r.kind, around))


def run(n: int = 6500, seed: int = 0, *, ordinary: bool = True) -> Result:
    """Generate and measure."""
    result = measure(generate(n, seed), n, seed)
    if ordinary:
        measure_ordinary(result)
    return result


# --- reporting -------------------------------------------------------------------------------


def _pct(part: int, whole: int) -> str:
    return f"{100 * part / whole:.2f}%" if whole else "-"


def render(result: Result, examples: int = 0) -> str:
    """Markdown tables of recall, precision and decoys, and up to `examples` of each error."""
    lines = [
        f"n = {result.n} values, seed {result.seed}",
        "",
        "| kind | values | fully replaced | recall | right placeholder | replaced spans "
        "| real values | precision |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for kind in KINDS:
        i, r = result.identifiers[kind], result.replaced[kind]
        lines.append(
            f"| {kind} | {i.total} | {i.hit} | {_pct(i.hit, i.total)} | "
            f"{_pct(i.right_kind, i.hit)} | {r.total} | {r.hit} | {_pct(r.hit, r.total)} |"
        )
    ids, reps = result.identifiers.values(), result.replaced.values()
    found, total = sum(t.hit for t in ids), sum(t.total for t in ids)
    right = sum(t.right_kind for t in ids)
    real, spans = sum(t.hit for t in reps), sum(t.total for t in reps)
    lines.append(
        f"| **all** | {total} | {found} | **{_pct(found, total)}** | {_pct(right, found)} | "
        f"{spans} | {real} | **{_pct(real, spans)}** |"
    )
    if result.core_left:
        lines.append(
            f"\n{result.core_left} values were replaced but for a start that identifies nobody "
            "(`+86`, a province, city and district): counted as replaced."
        )
    lines += ["", "| written as | values | fully replaced | recall |", "|---|---:|---:|---:|"]
    for way, tally in sorted(result.obscured.items()):
        lines.append(f"| {way} | {tally.total} | {tally.hit} | {_pct(tally.hit, tally.total)} |")
    lines += ["", "| decoy (must stay) | decoys | redacted | share |", "|---|---:|---:|---:|"]
    for kind, tally in result.decoys.items():
        lines.append(f"| {kind} | {tally.total} | {tally.hit} | {_pct(tally.hit, tally.total)} |")
    if result.ordinary.total:
        lines += [
            "",
            f"Model answers of the built-in banks (ordinary answers): {result.ordinary.total} "
            f"answers, {result.ordinary.hit} replaced spans"
            + (":" if result.ordinary_hits else "."),
        ]
        lines += [f"- {kind}: `…{text}…`" for kind, text in result.ordinary_hits]
    lows = [k for k in KINDS if result.recall_of(k) < TARGET_RECALL]
    lines += [
        "",
        f"target recall >= {TARGET_RECALL:.0%} for every kind: "
        + ("PASS" if not lows else "FAIL (" + ", ".join(lows) + ")")
        + f" (lowest {min(result.recall_of(k) for k in KINDS):.2%})",
        f"target precision >= {TARGET_PRECISION:.0%}: "
        f"{'PASS' if result.precision >= TARGET_PRECISION else 'FAIL'} ({result.precision:.2%})",
    ]
    if examples:
        for title, rows in (
            ("missed", result.misses),
            ("redacted, not personal data", result.false_positives),
        ):
            if rows:
                lines += ["", f"{title} (first {min(examples, len(rows))} of {len(rows)}):"]
                lines += [f"- {kind}: `{text}`" for kind, text in rows[:examples]]
    return "\n".join(lines) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=6500, help="values to generate (6500: 500 a kind)")
    parser.add_argument("--seed", type=int, default=0, help="generator seed (0)")
    parser.add_argument("--misses", type=int, default=0, metavar="K", help="show K examples")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a target fails")
    args = parser.parse_args(argv)
    result = run(args.n, args.seed)
    sys.stdout.write(render(result, args.misses))
    return 1 if args.strict and not result.passed else 0


if __name__ == "__main__":
    raise SystemExit(main())
