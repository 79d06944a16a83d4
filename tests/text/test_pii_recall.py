"""The PII benchmark's generator and measure, run small: redaction meets its targets.

`bench/pii_recall.py` is not a package module, so it is loaded from its path. n=500 keeps the
run well under a second; the full 5,000 is in bench/README_pii.md.
"""

from __future__ import annotations

import importlib.util
import sys
from types import ModuleType

import pytest

from tests.support import ROOT

BENCH = ROOT / "bench" / "pii_recall.py"


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
    result = bench.run(n=500, seed=0)
    assert sum(t.total for t in result.identifiers.values()) == 500
    assert result.recall >= bench.TARGET_RECALL, bench.render(result, examples=5)
    assert result.precision >= bench.TARGET_PRECISION, bench.render(result, examples=5)
    for kind in ("id_number", "bank_card", "email"):  # no known miss for these shapes
        tally = result.identifiers[kind]
        assert tally.hit == tally.total, (kind, result.misses)
    # decoys that are not digit runs of a card's length are never touched
    for kind in ("amount", "date", "date_time", "time", "percent", "year", "digits_luhn_fail"):
        assert result.decoys[kind].hit == 0, (kind, result.false_positives)
    assert "| **all** | 500 |" in bench.render(result)


def test_the_generator_is_seeded_and_its_identifiers_are_valid(bench: ModuleType) -> None:
    cases = bench.generate(200, seed=4)
    assert cases == bench.generate(200, seed=4)
    assert cases != bench.generate(200, seed=5)
    fold = {v: k for k, v in bench._FULL_WIDTH.items()}
    for case in cases:
        for span in case.identifiers:
            written = case.text[span.start : span.end].translate(fold)
            digits = "".join(c for c in written if c.isdigit() or c in "Xx")
            if span.kind == "id_number":
                assert bench.valid_id(digits.upper()), written
            elif span.kind == "bank_card":
                assert 16 <= len(digits) <= 19 and bench.luhn_ok(digits), written
            elif span.kind == "phone":
                national = digits[-11:]
                assert national[0] == "1" and national[1] in "3456789", written
            else:
                assert "@" in written
        for span in case.decoys:
            written = case.text[span.start : span.end].translate(fold)
            if span.kind == "id_bad_check":
                assert len(written) == 18 and not bench.valid_id(written), written
            if span.kind == "digits_luhn_fail":
                assert not bench.luhn_ok(written), written
