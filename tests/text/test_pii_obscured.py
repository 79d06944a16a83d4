"""Values written to slip past a pattern but not past a reader: invisible characters inside,
digits grouped by dots or spelled out one by one, Chinese numerals, full-width digits. And the
offset map through all of it: a placeholder maps back to the whole original value, invisible
characters included, and everything else back to itself."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coach.text.pii_view import view_of
from coach.text.redact import redact
from tests.text.support import id_check

INVISIBLE = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad"]
PHONE = "13812345678"
ID = "11010519491231002X"
CARD = "6222021234567890128"  # passes Luhn
EMAIL = "zhang.san@example.com"


def luhn_ok(number: str) -> bool:
    digits = [int(c) for c in reversed(number)]
    return sum(d if i % 2 == 0 else sum(divmod(2 * d, 10)) for i, d in enumerate(digits)) % 10 == 0


def test_values_are_valid() -> None:
    assert id_check(ID[:17]) == ID[17]
    assert luhn_ok(CARD)


def outside_placeholders(text: str) -> str:
    return re.sub(r"\[[A-Z_]+_[0-9]+\]", "", text)


def broken(value: str, char: str, every: int = 3) -> str:
    """`value` with `char` after every `every` characters."""
    return char.join(value[i : i + every] for i in range(0, len(value), every))


def only(text: str) -> tuple[str, str]:
    result = redact(text)
    assert len(result.replacements) == 1, result
    (rep,) = result.replacements
    return rep.kind, text[rep.start : rep.end]


@pytest.mark.parametrize("char", INVISIBLE)
@pytest.mark.parametrize(
    "value, kind",
    [
        (PHONE, "phone"),
        (ID, "id_number"),
        (CARD, "bank_card"),
        (EMAIL, "email"),
        ("010-12345678", "landline"),
        ("A123456(3)", "hk_id"),
        ("E12345678", "passport"),
        ("A123456789", "tw_id"),
    ],
)
def test_invisible_characters_inside_a_value(value: str, char: str, kind: str) -> None:
    hidden = broken(value, char)
    text = f"客户留下的是{hidden}，请核实"
    result = redact(text)
    assert only(text) == (kind, hidden)  # the invisible characters go with the value
    assert result.text.startswith("客户留下的是[") and result.text.endswith("]，请核实")
    assert not any(c.isdigit() for c in outside_placeholders(result.text))


@pytest.mark.parametrize("char", INVISIBLE)
def test_invisible_characters_in_labels_names_and_addresses(char: str) -> None:
    assert only(f"QQ{char}：1234{char}5678") == ("qq", f"1234{char}5678")
    assert only(f"微{char}信：zhang{char}_san88") == ("wechat", f"zhang{char}_san88")
    assert only(f"我叫张{char}伟，你好") == ("name", f"张{char}伟")
    assert only(f"住在建国{char}路8{char}8号") == ("address", f"建国{char}路8{char}8号")


@pytest.mark.parametrize(
    "value, kind",
    [
        ("138.1234.5678", "phone"),
        ("138·1234·5678", "phone"),
        ("1 3 8 1 2 3 4 5 6 7 8", "phone"),
        ("1-3-8-1-2-3-4-5-6-7-8", "phone"),
        ("1381 2345 678", "phone"),
        ("一三八一二三四五六七八", "phone"),
        ("幺三八幺二三四五六七八", "phone"),
        ("幺三八 幺二三四 五六七八", "phone"),
        ("壹叁捌壹贰叁肆伍陆柒捌", "phone"),
        ("１３８１２３４５６７８", "phone"),
        ("138一二三四5678", "phone"),
        ("110105.19491231.002X", "id_number"),
        ("1 1 0 1 0 5 1 9 4 9 1 2 3 1 0 0 2 X", "id_number"),
        ("一一〇一〇五一九四九一二三一〇〇二X", "id_number"),
        ("6222.0212.3456.7890.128", "bank_card"),
        ("6 2 2 2 0 2 1 2 3 4 5 6 7 8 9 0 1 2 8", "bank_card"),
        ("陆贰贰贰零贰壹贰叁肆伍陆柒捌玖零壹贰捌", "bank_card"),
        ("零一零 一二三四五六七八", "landline"),
        ("010.1234.5678", "landline"),
    ],
)
def test_digits_grouped_spelled_or_in_numerals(value: str, kind: str) -> None:
    assert only(f"号码{value}，谢谢") == (kind, value)


def test_numerals_read_as_digits_share_the_placeholder_of_the_digits() -> None:
    text = f"{PHONE}，也就是一三八一二三四五六七八，或者1 3 8 1 2 3 4 5 6 7 8"
    assert redact(text).text == "[PHONE_1]，也就是[PHONE_1]，或者[PHONE_1]"


@pytest.mark.parametrize(
    "text",
    [
        "第一13812345678",  # one numeral next to the number is a word, not a digit
        "二〇二四年三月十五日",
        "一百三十八元",
        "利率1.38 1.45 2.05",
        "第1 2 3 4 5 6步",  # six spelled digits: a list
        "分数 15 20 30 45 50 6",
        "版本1.3.8.1",
    ],
)
def test_numerals_and_spaced_numbers_that_are_no_values(text: str) -> None:
    result = redact(text)
    kinds = {r.kind for r in result.replacements}
    if text.startswith("第一"):
        assert result.text == "第一[PHONE_1]"
    else:
        assert kinds == set(), result


def test_the_view_maps_back_across_dropped_characters() -> None:
    text = "a\u200bb 1 2 3 4 5 6 7 c"
    view = view_of(text)
    assert view.text == "ab 1234567 c"
    assert view.span(0, 2) == (0, 3)  # "ab" came from "a\u200bb"
    assert view.span(3, 10) == (4, 17)  # the joined digits from the spelled run
    assert view_of("plain text").origin is None


# --- the offset map, with the new kinds and hidden characters --------------------------------

_VALUES = [
    PHONE,
    ID,
    "010-12345678",
    "A123456(3)",
    "A123456789",
    "E12345678",
    "QQ：12345678",
    "微信 zhang_san88",
    "我叫张伟，",
    "本人李娜。",
    "北京市朝阳区建国路88号3栋1201室",
    "一三八一二三四五六七八",
    "1 3 8 1 2 3 4 5 6 7 8",
    EMAIL,
]
# Commas around each filler: values glued into one long digit run are another matter.
_FILLER = st.text(alphabet="客户您好，。的 1a-.", max_size=5).map(lambda text: f"，{text}，")


@st.composite
def hidden_answers(draw: st.DrawFn) -> str:
    pieces = draw(st.lists(st.sampled_from(_VALUES), min_size=1, max_size=4))
    text = "".join(piece + draw(_FILLER) for piece in pieces)
    chars = list(text)
    for _ in range(draw(st.integers(0, 4))):
        chars.insert(draw(st.integers(0, len(chars))), draw(st.sampled_from(INVISIBLE)))
    return "".join(chars)


@given(hidden_answers())
def test_placeholders_map_back_to_whole_values_and_the_rest_to_itself(text: str) -> None:
    result = redact(text)
    assert result.original_span(0, len(result.text)) == (0, len(text))
    inside = set()
    for rep in result.replacements:
        assert result.original_span(rep.text_start, rep.text_end) == (rep.start, rep.end)
        inside.update(range(rep.text_start, rep.text_end))
    for i, char in enumerate(result.text):
        if i not in inside:
            first, last = result.original_span(i, i + 1)
            assert (last - first, text[first]) == (1, char)
    again = redact(result.text)
    assert again.text == result.text and not again.found


@given(hidden_answers())
def test_no_digits_of_a_phone_or_id_survive_hiding(text: str) -> None:
    sent = redact(text).text
    plain = "".join(c for c in sent if c not in INVISIBLE)
    for value in (PHONE, ID, "12345678", "zhang_san88", "张伟", "李娜", "建国路88号"):
        assert value not in plain
