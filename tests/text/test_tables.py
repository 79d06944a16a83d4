"""The tables shipped precomputed (tools/build_tables.py) equal what they are computed from."""

from __future__ import annotations

import opencc

from coach.grading.relevance import count_generic_units, generic_units
from coach.text.fold_table import CJK_RANGES, t2s_phrases, t2s_table
from coach.text.normalize import is_cjk, normalize


def test_the_folding_table_is_what_opencc_gives_one_character_at_a_time() -> None:
    t2s = opencc.OpenCC("t2s")
    table = t2s_table()
    differing = []
    for first, last in CJK_RANGES:
        for code in range(first, last + 1):
            char = chr(code)
            converted = t2s.convert(char)
            expected = converted if len(converted) == 1 else char
            if table.get(char, char) != expected:
                differing.append(char)
    assert differing == [], "run tools/build_tables.py"
    assert len(table) > 3000  # the whole table was read, not a part of it


def test_the_table_covers_exactly_the_characters_normalization_folds_as_cjk() -> None:
    for first, last in CJK_RANGES:
        assert is_cjk(chr(first)) and is_cjk(chr(last))
        assert not is_cjk(chr(first - 1)) and not is_cjk(chr(last + 1))


def test_traditional_answers_fold_through_the_table() -> None:
    assert normalize("帳戶凍結，請聯繫客服").text == "账户冻结，请联系客服"


def test_the_shipped_generic_units_are_counted_from_the_shipped_banks() -> None:
    counted = count_generic_units()
    assert counted, "no built-in bank was read"
    for language, units in counted.items():
        assert generic_units(language) == units, "run tools/build_tables.py"
    assert "客户" in counted["zh"]
    assert generic_units("xx") == frozenset()


def test_the_phrase_table_agrees_with_opencc_on_its_own_phrases() -> None:
    # Each shipped pair is what OpenCC's Traditional -> Simplified converter makes of a
    # Traditional spelling of the phrase (checked on a sample: the whole table is rebuilt by
    # tools/build_tables.py --check in CI).
    phrases = t2s_phrases()
    assert len(phrases) > 200 and phrases["瞭解"] == "了解" and phrases["回覆"] == "回复"
    t2s = opencc.OpenCC("t2s")
    for folded, mainland in list(phrases.items())[::20]:
        assert folded != mainland
        assert normalize(t2s.convert(mainland)).text == mainland, mainland
