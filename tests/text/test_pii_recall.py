"""The PII benchmark's generator and measure, run small: redaction meets its targets.

`bench/pii_recall.py` is not a package module, so it is loaded from its path. n=650 (50 values
of each kind) keeps the run around a second; the full 6,500 is in bench/README_pii.md.
"""

from __future__ import annotations

import importlib.util
import random
import re
import sys
from types import ModuleType

import pytest

from tests.support import ROOT

BENCH = ROOT / "bench" / "pii_recall.py"
INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"))
HALF_WIDTH = {code + 0xFEE0: code for code in range(0x21, 0x7F)}


@pytest.fixture(scope="module")
def bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("pii_recall", BENCH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while being built
    try:
        spec.loader.exec_module(module)
    finally:
        del sys.modules[spec.name]
    return module


def test_recall_and_precision_meet_the_targets(bench: ModuleType) -> None:
    result = bench.run(n=650, seed=0)
    assert sum(t.total for t in result.identifiers.values()) == 650
    assert result.passed, bench.render(result, examples=5)
    for kind in bench.KINDS:
        assert result.identifiers[kind].total == 50
    # decoys that are not digit runs of a card's or a document's shape are never touched
    for kind in (
        *("amount", "date", "date_time", "time", "rate", "hotline", "digits_luhn_fail"),
        *("place_number", "not_a_name", "not_an_account"),
    ):
        assert result.decoys[kind].hit == 0, (kind, result.false_positives)
    assert result.ordinary.total == 73
    rendered = bench.render(result)
    assert "| **all** | 650 |" in rendered and "| zero_width |" in rendered


def test_strict_fails_when_a_kind_misses_its_target(bench: ModuleType) -> None:
    result = bench.run(n=26, seed=1, ordinary=False)
    result.identifiers["qq"].hit -= 1  # one QQ number of two missed: 50% recall
    assert result.failing == ["qq"]
    assert "FAIL (qq)" in bench.render(result)


def _plain(written: str) -> str:
    """The value without invisible characters, in half-width characters."""
    return written.translate(INVISIBLE).translate(HALF_WIDTH)


def test_the_generator_is_seeded_and_its_values_are_valid(bench: ModuleType) -> None:
    cases = bench.generate(260, seed=4)
    assert cases == bench.generate(260, seed=4)
    assert cases != bench.generate(260, seed=5)
    for case in cases:
        for span in case.identifiers:
            written = _plain(case.text[span.start : span.end])
            if case.obscured in ("numerals", "spelled", "dots"):
                continue  # checked below on the values before they were obscured
            _check(bench, span.kind, written)
        for span in case.decoys:
            written = _plain(case.text[span.start : span.end])
            if span.kind == "id_bad_check":
                assert len(written) == 18 and not bench.valid_id(written), written
            if span.kind == "digits_luhn_fail":
                assert not bench.luhn_ok(written), written
    assert {case.obscured for case in cases} >= {"zero_width", "numerals", "spelled", "none"}


def _check(bench: ModuleType, kind: str, written: str) -> None:
    digits = "".join(c for c in written if c.isdigit() or c in "Xx")
    if kind == "id_number":
        assert bench.valid_id(digits.upper()), written
    elif kind == "bank_card":
        assert 16 <= len(digits) <= 19 and bench.luhn_ok(digits), written
    elif kind == "phone":
        national = digits[-11:]
        assert national[0] == "1" and national[1] in "3456789", written
    elif kind == "hk_id":
        found = re.fullmatch(r"([A-Z]{1,2})([0-9]{6})[(（]?([0-9A])[)）]?", written)
        assert found and bench.hk_check(found[1], found[2]) == found[3], written
    elif kind == "tw_id":
        assert bench.tw_ok(written), written
    elif kind == "passport":
        assert re.fullmatch(r"E[0-9]{8}|E[A-HJ-NP-Z][0-9]{7}|G[0-9]{8}", written), written
    elif kind == "qq":
        assert re.fullmatch(r"[1-9][0-9]{4,10}", written), written
    elif kind == "address":
        assert re.search(r"[0-9一二三四五六七八九十](?:号|栋|室|单元)|[0-9]{3}$", written), written
    elif kind == "email":
        assert "@" in written


@pytest.mark.parametrize(
    ("value", "kind"),
    [("13812345678", "phone"), ("110105194912310021", "id_number"), ("02112345678", "landline")],
)
def test_obscuring_keeps_the_digits(bench: ModuleType, value: str, kind: str) -> None:
    numerals = {ord(c): str(i) for chars in bench._CHINESE_DIGITS for i, c in enumerate(chars)}
    rng = random.Random(0)
    for _ in range(40):
        obscured, way = bench._obscure(value, kind, rng)
        plain = _plain(obscured).replace(" ", "").replace(".", "").translate(numerals)
        assert plain == value, (way, obscured)
