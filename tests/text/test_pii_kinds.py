"""Redaction of the kinds added after phones, IDs, cards and e-mail: landlines, Hong Kong, Macau
and Taiwan IDs, passports, QQ and WeChat ids, names and addresses. Each kind: what is taken,
with which placeholder, and the look-alikes that must stay."""

from __future__ import annotations

import string

import pytest

from coach.text.redact import redact

# --- check characters, computed here rather than imported from the module -------------------


def hk_id(letters: str, digits: str, *, bracketed: bool = True) -> str:
    """A Hong Kong ID with its check character: one letter is padded by a blank worth 36,
    A-Z are worth 10-35, weights 9 down to 2, check = -sum mod 11 (10 written A)."""
    padded = [36] * (2 - len(letters)) + [string.ascii_uppercase.index(c) + 10 for c in letters]
    values = padded + [int(d) for d in digits]
    check = -sum(v * w for v, w in zip(values, range(9, 1, -1), strict=True)) % 11
    char = "A" if check == 10 else str(check)
    return f"{letters}{digits}({char})" if bracketed else f"{letters}{digits}{char}"


_TW = "ABCDEFGHJKLMNPQRSTUVXYWZIO"  # letter codes 10, 11, ... in this order


def tw_id(letter: str, first8: str) -> str:
    """A Taiwan ID: the letter's code as two digits, weights 1, 9, 8, ..., 1 and a last digit
    that makes the weighted sum a multiple of 10."""
    code = _TW.index(letter) + 10
    numbers = [code // 10, code % 10, *(int(d) for d in first8)]
    total = sum(n * w for n, w in zip(numbers, (1, 9, 8, 7, 6, 5, 4, 3, 2, 1), strict=True))
    return f"{letter}{first8}{-total % 10}"


def test_check_helpers_agree_with_published_examples() -> None:
    assert hk_id("A", "123456") == "A123456(3)"
    assert hk_id("AB", "987654") == "AB987654(3)"
    assert tw_id("A", "12345678") == "A123456789"


def replaced(text: str) -> list[tuple[str, str]]:
    """(kind, original value) of every replacement in `text`."""
    return [(r.kind, text[r.start : r.end]) for r in redact(text).replacements]


def kept(text: str) -> None:
    result = redact(text)
    assert not result.found, result
    assert result.text == text


# --- landlines --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        "010-12345678",
        "0755 8888 6666",
        "(021)6123-4567",
        "（021）61234567",
        "+86 10 1234 5678",
        "+86-755-88886666",
        "0086 21 6123 4567",
        "86-10-12345678",
        "0571-8765432",
        "010 - 12345678",
        "+86 (0)10 1234 5678",
    ],
)
def test_landline(value: str) -> None:
    text = f"我家座机{value}，白天有人"
    assert replaced(text) == [("landline", value)]
    assert redact(text).text == "我家座机[LANDLINE_1]，白天有人"


@pytest.mark.parametrize("value", ["+852 2345 6789", "+853 6612 3456", "+886 912 345 678"])
def test_hong_kong_macau_and_taiwan_numbers_with_their_country_code(value: str) -> None:
    assert replaced(f"电话{value}") == [("phone", value)]


def test_local_number_alone_after_a_landline_label() -> None:
    assert replaced("固话：8765 4321") == [("landline", "8765 4321")]
    assert replaced("家里电话6123-4567") == [("landline", "6123-4567")]


@pytest.mark.parametrize(
    "text",
    [
        "请拨打95588转人工",
        "客服热线400-820-8888",
        "电话400-820-8888",
        "免费电话800-820-8888",
        "热线4008-200-588",
        "+86 400 820 8888",
        "移动客服10086",
        "日期2024-03-15",
        "010-1234567",  # Beijing numbers have eight digits
        "编号8765 4321",  # a local number without its area code needs a label
    ],
)
def test_not_a_landline(text: str) -> None:
    kept(text)


def test_same_landline_written_twice_shares_a_placeholder() -> None:
    assert redact("010-12345678，也就是+86 10 1234 5678").text == "[LANDLINE_1]，也就是[LANDLINE_1]"


# --- Hong Kong, Macau and Taiwan IDs, passports ----------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        hk_id("A", "123456"),
        hk_id("AB", "987654"),
        hk_id("K", "530364").replace("(", "（").replace(")", "）"),
        hk_id("A", "123456", bracketed=False),
        "A123456(7)",  # bracketed: the document's layout, even with a wrong check character
        "a123456(3)",
        "A 123456(3)",
    ],
)
def test_hong_kong_id(value: str) -> None:
    assert replaced(f"香港身份证{value}已核对") == [("hk_id", value)]
    assert redact(f"证件 {value}").text == "证件 [HK_ID_1]"


def test_hong_kong_id_without_brackets_needs_its_check_or_a_label() -> None:
    valid = hk_id("A", "123456", bracketed=False)
    wrong = valid[:-1] + ("4" if valid[-1] != "4" else "5")
    assert replaced(f"编号{valid}") == [("hk_id", valid)]
    kept(f"编号{wrong}")
    assert replaced(f"HKID：{wrong}") == [("hk_id", wrong)]


def test_macau_id() -> None:
    assert replaced("澳门身份证1234567(8)") == [("mo_id", "1234567(8)")]
    assert replaced("证件5215299（8）") == [("mo_id", "5215299（8）")]
    assert replaced("澳门身份证号 12345678") == [("mo_id", "12345678")]
    kept("编号1234567")


def test_taiwan_id() -> None:
    value = tw_id("F", "22222222")
    assert replaced(f"台湾身份证{value}") == [("tw_id", value)]
    assert replaced("身份证字号：A123456789") == [("tw_id", "A123456789")]
    assert replaced("a123456789") == [("tw_id", "a123456789")]
    kept("型号A123456788")  # wrong check digit
    kept("型号A323456789")  # second digit 3: neither citizen nor resident


@pytest.mark.parametrize("value", ["E12345678", "EA1234567", "G12345678"])
def test_passport(value: str) -> None:
    assert replaced(f"护照号{value}") == [("passport", value)]
    assert replaced(f"请核对{value}") == [("passport", value)]


def test_other_passports_need_a_label() -> None:
    assert replaced("护照：P1234567") == [("passport", "P1234567")]
    assert replaced("Passport No. K12345678") == [("passport", "K12345678")]
    assert replaced("港澳通行证C12345678") == [("passport", "C12345678")]
    kept("型号P1234567")
    kept("型号EI1234567")  # no I or O after the E
    kept("E1234567890")  # too long


# --- QQ and WeChat ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, value",
    [
        ("QQ：12345678", "12345678"),
        ("QQ号 12345", "12345"),
        ("QQ 号：12345678", "12345678"),
        ("我的qq是123456789", "123456789"),
        ("企鹅号87654321", "87654321"),
        ("扣扣 87654321", "87654321"),
        ("加我QQ12345678", "12345678"),
        ("QQ：3 6 8 5 2 5", "3 6 8 5 2 5"),
        ("QQ同号：12345678", "12345678"),
        ("QQ/微信：12345678", "12345678"),
    ],
)
def test_qq(text: str, value: str) -> None:
    assert replaced(text) == [("qq", value)]
    assert "[QQ_1]" in redact(text).text


@pytest.mark.parametrize(
    "text",
    [
        "QQ音乐2024",
        "号码12345678",
        "QQ：0123456",
        "QQ：1234",
        "加QQ群",
        "FAQQ12345678",
        "QQ群里有12345人",
    ],
)
def test_not_a_qq_number(text: str) -> None:
    kept(text)


@pytest.mark.parametrize(
    "text, value",
    [
        ("微信号：wxid_abc123", "wxid_abc123"),
        ("微信 zhang_san88", "zhang_san88"),
        ("加我微信zhangsan", "zhangsan"),
        ("vx：lisi_2020", "lisi_2020"),
        ("V信 abc123456", "abc123456"),
        ("威信 Zhang-San", "Zhang-San"),
        ("WeChat ID: zhangsan", "zhangsan"),
        ("my wechat is zhang_san88", "zhang_san88"),
        ("VXzhangsan", "zhangsan"),
        ("wxid_abcdefg123", "wxid_abcdefg123"),
        ("微信：87654321", "87654321"),  # a QQ number used as the WeChat id
        ("微信（zhang_san88）", "zhang_san88"),
    ],
)
def test_wechat(text: str, value: str) -> None:
    assert replaced(text) == [("wechat", value)]


def test_phone_number_given_as_the_wechat_id_is_a_phone() -> None:
    assert replaced("微信13812345678") == [("phone", "13812345678")]


@pytest.mark.parametrize(
    "text",
    [
        "用微信支付",
        "微信 APP",
        "关注微信公众号",
        "reach me on WeChat tonight",
        "WeChat is convenient",
        "型号WXN413609",
        "vx转账",
    ],
)
def test_not_a_wechat_id(text: str) -> None:
    kept(text)


# --- names ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, name",
    [
        ("您好，我叫张伟，很高兴认识您", "张伟"),
        ("我叫王小明今年28岁", "王小明"),
        ("姓名：李娜", "李娜"),
        ("本人刘洋，身份证遗失", "刘洋"),
        ("我是赵敏。", "赵敏"),
        ("我是张伟经理，负责对公业务", "张伟"),
        ("我叫欧阳娜娜", "欧阳娜娜"),
        ("我的名字是陈晓", "陈晓"),
        ("我姓张，叫张伟。", "张伟"),
        ("我是周建生？", "周建生"),
        ("My name is John Smith.", "John Smith"),
        ("I am Zhang Wei, a graduate", "Zhang Wei"),
        ("我叫Zhang Wei，来自北京", "Zhang Wei"),
        ("Name: Li Na", "Li Na"),
        ("我叫陳大文", "陳大文"),
        ("客户叫王小明，要求解冻", "王小明"),
        ("我是 张伟，", "张伟"),
        ("联系人：张伟", "张伟"),
        ("户名是李娜。", "李娜"),
        ("持卡人王芳已到场", "王芳"),
    ],
)
def test_name(text: str, name: str) -> None:
    assert replaced(text) == [("name", name)]
    assert "[NAME_1]" in redact(text).text


@pytest.mark.parametrize(
    "text",
    [
        "您好，我是客服，请问有什么可以帮您",
        "我是本人",
        "我是新人。",
        "我是江苏人。",
        "我是高级客户经理",
        "本人认为应该先核实",
        "我是王经理。",
        "本人于2020年入职",
        "我是程序员。",
        "我是高中生。",
        "我叫了保安",
        "我是说，先别着急",
        "I am Chinese.",
        "请持卡人本人查询，",
        "我是第一次来",
        "他叫车送客户回家",
        "客户叫我帮忙",
        "持卡人本人查询",
        "联系人为王先生",
        "姓名是否一致",
        "账户名称：工资卡",
    ],
)
def test_not_a_name(text: str) -> None:
    kept(text)


# --- addresses --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "address",
    [
        "北京市朝阳区建国路88号3栋1201室",
        "上海市浦东新区世纪大道100号",
        "杭州市西湖区文三路478号华星时代广场A座1201室",
        "广东省深圳市南山区科技园南路18号2栋3单元501室",
        "建国路八十八号",
        "阳光花园3栋1201室",
        "幸福小区5号楼1201",
        "3栋2单元1201室",
        "上海市浦东新区张江镇科苑路88号",
        "朝阳区建国路88号院3号楼2单元1201",
        "阳光花园3-1201",
    ],
)
def test_address(address: str) -> None:
    text = f"我家住在{address}，离网点很近"
    assert replaced(text) == [("address", address)]
    assert redact(text).text == "我家住在[ADDRESS_1]，离网点很近"


@pytest.mark.parametrize(
    "text",
    [
        "请到3号窗口办理",
        "坐地铁5号线",
        "A座3楼",
        "人民路支行",
        "3楼大厅",
        "第3单元",
        "两室一厅，3室2厅",
        "2024年3月15号",
        "建国路上有一家网点",
    ],
)
def test_not_an_address(text: str) -> None:
    kept(text)


def test_every_kind_in_one_answer_gets_its_placeholder() -> None:
    text = (
        f"我叫张伟，座机010-12345678，香港身份证{hk_id('A', '123456')}，台湾身份证A123456789，"
        "澳门身份证1234567(8)，护照E12345678，QQ：12345678，微信号：zhang_san88，"
        "住在北京市朝阳区建国路88号3栋1201室。"
    )
    result = redact(text)
    assert result.text == (
        "我叫[NAME_1]，座机[LANDLINE_1]，香港身份证[HK_ID_1]，台湾身份证[TW_ID_1]，"
        "澳门身份证[MO_ID_1]，护照[PASSPORT_1]，QQ：[QQ_1]，微信号：[WECHAT_1]，"
        "住在[ADDRESS_1]。"
    )
    assert set(result.counts) == {
        *("name", "landline", "hk_id", "tw_id", "mo_id", "passport", "qq", "wechat", "address"),
    }
    assert redact(result.text).text == result.text
