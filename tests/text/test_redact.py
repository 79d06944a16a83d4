"""Redaction of personal data before an answer is sent to an LLM: what is found, what is left."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coach.text.redact import redact
from tests.text.support import id_check

# --- valid values, computed here rather than copied from the module ---------------------------


def make_id(birth: str = "19900307", area: str = "110101", seq: str = "123") -> str:
    body = area + birth + seq
    return body + id_check(body)


def luhn_ok(number: str) -> bool:
    digits = [int(char) for char in number]
    odd = digits[-1::-2]
    even = [sum(divmod(2 * d, 10)) for d in digits[-2::-2]]
    return (sum(odd) + sum(even)) % 10 == 0


def luhn_complete(body: str) -> str:
    """`body` plus the one check digit that makes it pass Luhn."""
    return next(body + d for d in "0123456789" if luhn_ok(body + d))


def luhn_broken(body: str) -> str:
    """`body` plus a last digit that makes it fail Luhn."""
    return next(body + d for d in "0123456789" if not luhn_ok(body + d))


def full_width(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)


def grouped(number: str, sep: str = " ", size: int = 4) -> str:
    return sep.join(number[i : i + size] for i in range(0, len(number), size))


PHONE = "13812345678"
PHONE_2 = "15987654321"
ID = make_id()
CARD_16 = luhn_complete("622202123456789")
CARD_19 = luhn_complete("622848012345678901")
BAD_CARD_16 = luhn_broken("622202123456789")
EMAIL = "zhang.san@example.com"


def only(text: str) -> tuple[str, str]:
    """(kind, original value) of the single replacement in `text`."""
    result = redact(text)
    assert len(result.replacements) == 1, result
    (rep,) = result.replacements
    return rep.kind, text[rep.start : rep.end]


def test_helpers_compute_known_values() -> None:
    # Published example of GB 11643 and the classic Luhn example keep the helpers honest.
    assert id_check("11010519491231002") == "X"
    assert luhn_ok("79927398713") and not luhn_ok("79927398710")
    assert luhn_ok(CARD_16) and luhn_ok(CARD_19) and not luhn_ok(BAD_CARD_16)


# --- phones -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        PHONE,
        "138 1234 5678",
        "138-1234-5678",
        "+8613812345678",
        "+86 13812345678",
        "+86-138-1234-5678",
        "86 138 1234 5678",
        "0086 13812345678",
        full_width(PHONE),
        full_width("+86 138-1234-5678"),
    ],
)
def test_phone_in_a_sentence(value: str) -> None:
    text = f"您好，我的手机{value}，晚上联系我"
    result = redact(text)
    assert result.text == "您好，我的手机[PHONE_1]，晚上联系我"
    assert only(text) == ("phone", value)
    assert dict(result.counts) == {"phone": 1}


def test_phone_glued_to_chinese() -> None:
    assert redact(f"手机{PHONE}联系我").text == "手机[PHONE_1]联系我"


@pytest.mark.parametrize("label", ["Tel", "TEL", "tel:", "Phone", "mobile", "Cell"])
def test_phone_glued_to_a_latin_label(label: str) -> None:
    assert redact(f"请拨打{label}{PHONE}找我").text == f"请拨打{label}[PHONE_1]找我"


@pytest.mark.parametrize(
    "text",
    [
        "订单号138123456789",  # 12 digits: a longer run
        "流水2138123456789",
        "订单AB13812345678",  # glued to letters: part of a product or order code
        "编号13812345678CD",
        "比例0.13812345678",  # a decimal
        "12812345678",  # second digit 2: not a mobile prefix
        "15000000000元",  # an amount
    ],
)
def test_not_a_phone(text: str) -> None:
    result = redact(text)
    assert not result.found
    assert result.text == text


# --- resident ID numbers ----------------------------------------------------------------------


def test_id_in_a_sentence() -> None:
    text = f"我的身份证号是{ID}，请核实"
    assert redact(text).text == "我的身份证号是[ID_NUMBER_1]，请核实"
    assert only(text) == ("id_number", ID)


def test_id_without_label_full_width_and_grouped() -> None:
    assert only(f"号码{ID}") == ("id_number", ID)
    assert only(f"号码{full_width(ID)}") == ("id_number", full_width(ID))
    spaced = f"{ID[:6]} {ID[6:14]} {ID[14:]}"
    assert only(f"号码 {spaced} 谢谢") == ("id_number", spaced)


def test_id_with_x_check_character_either_case() -> None:
    value = next(v for seq in range(1000) if (v := make_id(seq=f"{seq:03d}")).endswith("X"))
    assert only(f"身份证{value}") == ("id_number", value)
    assert only(f"身份证{value.lower()}") == ("id_number", value.lower())


def test_valid_id_that_also_passes_luhn_is_an_id() -> None:
    value = next(
        v for seq in range(1000) if (v := make_id(seq=f"{seq:03d}")).isdigit() and luhn_ok(v)
    )
    assert only(f"号码{value}") == ("id_number", value)


def ids_failing_luhn(birth: str) -> str:
    """An ID with a correct check character for `birth`, that is not a Luhn card either."""
    return next(
        v
        for seq in range(1000)
        if (v := make_id(birth=birth, seq=f"{seq:03d}")).isdigit() and not luhn_ok(v)
    )


def test_bad_checksum_is_not_an_id() -> None:
    wrong = next(v for c in "0123456789" if c != ID[-1] and not luhn_ok(v := ID[:-1] + c))
    assert not redact(f"号码{wrong}").found


@pytest.mark.parametrize("birth", ["20230230", "19991301", "18991231"])
def test_impossible_birth_date_is_not_an_id(birth: str) -> None:
    value = ids_failing_luhn(birth)
    assert id_check(value[:17]) == value[17]  # only the date is wrong
    assert not redact(f"号码{value}").found


def test_future_birth_date_is_not_an_id() -> None:
    future = (date.today() + timedelta(days=30)).strftime("%Y%m%d")
    assert not redact(f"号码{ids_failing_luhn(future)}").found


def test_id_inside_a_longer_run_is_left_alone() -> None:
    text = f"流水号1{ID}2"
    assert not redact(text).found


def test_legacy_15_digit_id_only_with_a_label() -> None:
    legacy = next(v for seq in range(1000) if not luhn_ok(v := f"110101900307{seq:03d}"))
    assert only(f"身份证号：{legacy}") == ("id_number", legacy)
    assert not redact(f"编号{legacy}").found
    assert only(f"ID card number: {legacy}") == ("id_number", legacy)
    impossible = next(v for seq in range(1000) if not luhn_ok(v := f"110101900230{seq:03d}"))
    assert not redact(f"身份证号：{impossible}").found


# --- bank cards -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        CARD_16,
        CARD_19,
        grouped(CARD_16),
        grouped(CARD_19),
        grouped(CARD_16, "-"),
        full_width(CARD_19),
        full_width(grouped(CARD_16)),
    ],
)
def test_luhn_card_without_label(value: str) -> None:
    text = f"请把钱转到{value}这张"
    assert redact(text).text == "请把钱转到[BANK_CARD_1]这张"
    assert only(text) == ("bank_card", value)


def test_luhn_failing_run_is_not_a_card_without_a_label() -> None:
    assert not redact(f"编号{BAD_CARD_16}").found
    assert not redact(f"编号{grouped(BAD_CARD_16)}").found


@pytest.mark.parametrize(
    "text",
    [
        f"我的卡号{BAD_CARD_16}",
        f"卡号是：{grouped(BAD_CARD_16)}",
        f"银行账号 {BAD_CARD_16}",
        f"储蓄卡尾数不对，全号{BAD_CARD_16}",
        f"card number: {BAD_CARD_16}",
        f"Account No. {BAD_CARD_16}",
        "账户123456789012",  # 12 digits is enough after a label
    ],
)
def test_labelled_number_is_a_card_without_luhn(text: str) -> None:
    result = redact(text)
    assert dict(result.counts) == {"bank_card": 1}
    assert BAD_CARD_16 not in result.text and "123456789012" not in result.text


def test_labelled_card_followed_by_another_number() -> None:
    text = f"账号 {BAD_CARD_16} 2026年开户"
    assert redact(text).text == "账号 [BANK_CARD_1] 2026年开户"


@pytest.mark.parametrize(
    "text",
    [
        "账户余额100000元",
        "账户余额123456789012元",  # money, even after a label
        "账户于2026-12-01 2026-12-31期间冻结",
        "卡号有误。订单号123456789012",  # the label is in another sentence
    ],
)
def test_labelled_but_not_a_card(text: str) -> None:
    assert redact(text).text == text


# --- e-mail -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        EMAIL,
        "Li_Si+bank@mail.example.com.cn",
        "13812345678@qq.com",  # one e-mail, not a phone
        full_width(EMAIL),
        "zhang.san＠example．com",
    ],
)
def test_email_glued_to_chinese(value: str) -> None:
    text = f"邮箱是{value}谢谢"
    assert redact(text).text == "邮箱是[EMAIL_1]谢谢"
    assert only(text) == ("email", value)


def test_value_glued_to_another_value() -> None:
    # The phone is glued to the letters of the address; once the address is out, it stands alone.
    text = f"邮箱a@163.com{PHONE}"
    result = redact(text)
    assert result.text == "邮箱[EMAIL_1][PHONE_1]"
    assert redact(result.text).text == result.text


def test_not_an_email() -> None:
    for text in ["请@客服处理", "a@b", "名字@公司.中国"]:
        assert not redact(text).found


# --- things that must stay --------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "理财金额100000元，年化3.5%，2026年到期",
        "上午10:30在网点办理，日期2026-12-01",
        "订单号DD2026120112345678901已完成",
        "产品代码ABC123456789012345",
        "流水号12345678901234567890",  # 20 digits: longer than any card
        "电话95588，转人工",
    ],
)
def test_ordinary_numbers_are_left_alone(text: str) -> None:
    result = redact(text)
    assert not result.found
    assert result.text == text
    assert dict(result.counts) == {}


def test_empty_and_clean_text() -> None:
    for text in ["", "您好，请问有什么可以帮您？"]:
        result = redact(text)
        assert not result.found
        assert result.text == result.original == text
        assert result.replacements == ()


# --- placeholders -----------------------------------------------------------------------------


def test_numbering_and_reuse() -> None:
    text = (
        f"手机{PHONE}，备用{PHONE_2}，还是138-1234-5678吗？"
        f"不对，是+86 {PHONE}。邮箱{EMAIL}，卡{CARD_16}，身份证{ID}，邮箱{EMAIL.upper()}"
    )
    result = redact(text)
    assert result.text == (
        "手机[PHONE_1]，备用[PHONE_2]，还是[PHONE_1]吗？"
        "不对，是[PHONE_1]。邮箱[EMAIL_1]，卡[BANK_CARD_1]，身份证[ID_NUMBER_1]，邮箱[EMAIL_1]"
    )
    assert dict(result.counts) == {"phone": 4, "email": 2, "bank_card": 1, "id_number": 1}
    assert result.found


def test_same_phone_in_other_forms_shares_a_placeholder() -> None:
    text = f"{PHONE}，138 1234 5678，{full_width(PHONE)}，{PHONE_2}"
    assert redact(text).text == "[PHONE_1]，[PHONE_1]，[PHONE_1]，[PHONE_2]"


def test_no_raw_value_in_text_or_repr() -> None:
    values = [PHONE, ID, CARD_19, EMAIL]
    text = "联系方式：" + "；".join(values)
    result = redact(text)
    shown = repr(result) + str(result)
    for value in values:
        assert value not in result.text
        assert value not in shown
    assert "original" not in shown and text not in shown
    assert "[PHONE_1]" in shown


def test_nothing_is_printed(capsys: pytest.CaptureFixture[str]) -> None:
    redact(f"手机{PHONE}")
    with pytest.raises(ValueError) as error:
        redact(f"手机{PHONE}").original_span(0, 99)
    assert PHONE not in str(error.value)
    assert capsys.readouterr() == ("", "")


# --- offsets ----------------------------------------------------------------------------------


def test_original_span_round_trip() -> None:
    text = f"请打{PHONE}或发{EMAIL}，卡号{grouped(CARD_16)}。"
    result = redact(text)
    assert len(result.replacements) == 3
    for rep in result.replacements:
        placeholder = result.text[rep.text_start : rep.text_end]
        assert placeholder.startswith("[") and placeholder.endswith("]")
        first, last = result.original_span(rep.text_start, rep.text_end)
        assert (first, last) == (rep.start, rep.end)
        assert text[first:last] in {PHONE, EMAIL, grouped(CARD_16)}
    # Characters outside placeholders map one for one.
    inside = {i for r in result.replacements for i in range(r.text_start, r.text_end)}
    for i, char in enumerate(result.text):
        if i not in inside:
            first, last = result.original_span(i, i + 1)
            assert last == first + 1 and text[first] == char
    assert result.original_span(0, 2) == (0, 2)
    tail = len(result.text)
    assert result.original_span(tail - 1, tail) == (len(text) - 1, len(text))


def test_original_span_partial_overlap_expands() -> None:
    text = f"请打{PHONE}或{PHONE_2}"
    result = redact(text)
    one, two = result.replacements
    assert result.original_span(one.text_start + 1, one.text_start + 2) == (one.start, one.end)
    assert result.original_span(0, one.text_start + 1) == (0, one.end)
    assert result.original_span(one.text_end - 1, two.text_start + 1) == (one.start, two.end)
    assert text[slice(*result.original_span(one.text_end, two.text_start))] == "或"


@pytest.mark.parametrize("span", [(0, 0), (3, 3), (4, 2), (-1, 2), (0, 99)])
def test_original_span_rejects_empty_or_out_of_range(span: tuple[int, int]) -> None:
    result = redact(f"手机{PHONE}")
    with pytest.raises(ValueError):
        result.original_span(*span)


def test_original_span_of_empty_text_is_an_error() -> None:
    with pytest.raises(ValueError):
        redact("").original_span(0, 1)


# --- properties -------------------------------------------------------------------------------

_PIECES = [
    PHONE,
    PHONE_2,
    ID,
    CARD_16,
    BAD_CARD_16,
    EMAIL,
    "x@qq.com",
    "+86",
    "86",
    "卡号",
    "身份证",
    "账户",
    "元",
    "@",
    ".",
    "-",
    " ",
    "a",
    "X",
    "，",
    "。",
    "[PHONE_1]",
    "\x00",
    "\u200b",
    "１３８",
    # the kinds added later, their labels and cues, and the ways values are hidden
    "010-12345678",
    "A123456(3)",
    "A123456789",
    "E12345678",
    "QQ：",
    "12345678",
    "微信",
    "vx",
    "zhang_san88",
    "wxid_abc123",
    "我叫",
    "我是",
    "本人",
    "张伟",
    "王小明",
    "，",
    "北京市朝阳区",
    "建国路88号",
    "3栋1201室",
    "\u00ad",
    "\u2060",
    "一三八",
    "幺",
    "1 3 8 1 2 3 4 5 6 7 8",
    "[NAME_1]",
    "[WECHAT_1]",
    "[QQ_1]",
]
_TEXT = (
    st.lists(
        st.one_of(st.sampled_from(_PIECES), st.text(alphabet="0123456789 -.@ax卡号", max_size=6)),
        max_size=12,
    ).map("".join)
    | st.text()
)


@given(_TEXT)
def test_whole_text_maps_to_whole_original(text: str) -> None:
    result = redact(text)
    assert result.original == text
    if text:
        assert result.original_span(0, len(result.text)) == (0, len(text))
    else:
        assert result.text == ""


@given(_TEXT)
def test_redacting_the_output_again_changes_nothing(text: str) -> None:
    result = redact(text)
    again = redact(result.text)
    assert again.text == result.text
    assert not again.found
    assert sum(result.counts.values()) == len(result.replacements)


@given(_TEXT)
def test_characters_outside_placeholders_are_copied(text: str) -> None:
    result = redact(text)
    inside = {i for r in result.replacements for i in range(r.text_start, r.text_end)}
    for i, char in enumerate(result.text):
        if i not in inside:
            first, last = result.original_span(i, i + 1)
            assert (last - first, text[first]) == (1, char)


def test_the_fast_check_sees_every_character_the_view_changes_or_drops() -> None:
    # view_of() skips folding when _UNUSUAL finds nothing in the answer; that is sound only if
    # every character the fold table changes, or INVISIBLE drops, is one _UNUSUAL matches.
    # (FOLD.get rather than translate: translating every code point would fill the table.)
    from coach.text.pii_view import _UNUSUAL, FOLD, INVISIBLE

    missed = []
    for code in range(0x110000):
        char = chr(code)
        folded = FOLD.get(code, char)
        changed = folded != char or (char.isdecimal() and not "0" <= char <= "9")
        if (changed or INVISIBLE.match(char)) and not _UNUSUAL.match(char):
            missed.append(hex(code))
    assert missed == []


@pytest.mark.parametrize(
    "text",
    ["电话１３８１２３４５６７８", "邮箱 a＠b.cn", "卡号 6222 0212 3456 7890", "a﹫example.com"],
)
def test_values_in_folded_forms_pass_the_pre_check_and_are_redacted(text: str) -> None:
    assert redact(text).found


def test_answers_without_enough_digits_come_back_as_they_are() -> None:
    text = "2026年12月1日，我在3号窗口为客户办理了5笔业务，耗时20分钟。"
    result = redact(text)
    assert not result.found and result.text == text and result.replacements == ()
