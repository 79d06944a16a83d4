"""Token counts, prompt budgets and cost estimates for the LLM grading path.

What
    :func:`count_tokens` counts the tokens of a text for a model, and
    :func:`truncate_to_budget` cuts a text to the longest prefix that fits a token budget.
    Turning counts into dollars is `coach.llm.prices`.

Why
    The grader sends a rubric plus a free-text answer to an OpenAI-compatible Chat Completions
    endpoint. It must keep the request inside the model's context window, cap what a runaway
    answer can cost, and report what a grading run cost, without ever failing a grade because
    a tokenizer file could not be fetched.

How counting works
    With ``tiktoken`` importable and its encoding file available, counts are exact for that
    encoding (``TokenCount.estimated is False`` and ``TokenCount.encoding`` names it). The
    encoding is ``tiktoken.encoding_for_model``'s for OpenAI model names; any other name
    (``"deepseek-chat"``, ``"qwen-plus"``, ...) falls back to ``o200k_base``. For those models the
    count is exact for o200k_base, which is only a proxy for the provider's own tokenizer.

    tiktoken fetches encoding files over HTTP on first use and caches them under the sha1 hex of
    the URL in ``$TIKTOKEN_CACHE_DIR`` (else ``$DATA_GYM_CACHE_DIR``, else
    ``<tempdir>/data-gym-cache``). Its download is ``requests.get`` *without a timeout*: where
    DNS fails it errors in ~0.1 s (``requests.ConnectionError``), but on a network that drops
    packets it can hang for minutes. So this module first looks for the cached file itself (same
    directory and name rules, and the sha256 tiktoken expects) and only lets tiktoken download
    when ``COACH_TIKTOKEN_DOWNLOAD=1`` is set; even then the load runs in a daemon thread that
    is waited on for at most :data:`DOWNLOAD_TIMEOUT_S` seconds. Offline-by-default keeps the
    grader's latency predictable and means a machine without network never tries at all; a
    deployment that wants exact counts pre-seeds the cache or opts in once.

    Loaded encodings *and failures* are cached per process (per encoding name), so an offline
    machine pays the check once. :func:`_reset_caches` clears that, for tests or after changing
    ``TIKTOKEN_CACHE_DIR`` / ``COACH_TIKTOKEN_DOWNLOAD``. No function here raises for a missing
    file, a network error or a missing tiktoken.

How the offline estimate works
    Without a loadable encoding, ``TokenCount.estimated is True``, ``encoding is None`` and the
    count is a sum of per-character costs (in 1/20 token), rounded up:

    ==========================================  ============================================
    character                                   cost (tokens)
    ==========================================  ============================================
    CJK ideograph, kana, hangul                 0.70
    full-width / CJK punctuation, curly quotes  1.20
    letter starting a word / continuing it      0.25 / 0.15
    digit starting a number / continuing it     1.20 / 0.35
    space or tab / newline                      0.30 / 0.60
    ASCII punctuation                           0.60
    anything else (emoji, symbols, ...)         1.00
    ==========================================  ============================================

    The weights were fitted against real o200k_base counts on this repo's rubric banks, answer
    sets and prompts plus some hand-written English and mixed sentences (781 paragraphs, ~45.6k
    tokens, mostly Simplified Chinese). Measured error over that corpus: total +2.6% for the
    Chinese and mixed paragraphs, +1.0% for the English ones; per paragraph of 30+ tokens, 90%
    fall within -8%..+10% (Chinese, 241 paragraphs) and -10%..+15% (English, 22), worst -20%
    (Traditional Chinese, which o200k splits more finely) and +19%; short English sentences
    (20-30 tokens) reach +25%. tests/test_tokens.py holds the estimate to 25% per text and 10%
    in total on a separate sample. Against cl100k_base (gpt-4, gpt-3.5-turbo), which spends
    ~1.1 tokens per Chinese character, the estimate undercounts Chinese by about 32%.
    Every per-character cost is non-negative, so the estimate never decreases as a prefix
    grows, which :func:`truncate_to_budget` relies on.
"""

from __future__ import annotations

import contextlib
import hashlib
import math
import os
import tempfile
import threading
import unicodedata
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    from tiktoken import Encoding

__all__ = [
    "DOWNLOAD_ENV",
    "DOWNLOAD_TIMEOUT_S",
    "FALLBACK_ENCODING",
    "TokenCount",
    "count_tokens",
    "truncate_to_budget",
]

FALLBACK_ENCODING = "o200k_base"
"""Encoding used for model names tiktoken does not know (DeepSeek, Qwen, ...)."""

DOWNLOAD_ENV = "COACH_TIKTOKEN_DOWNLOAD"
"""Set to ``1`` to let tiktoken download a missing encoding file (off by default)."""

DOWNLOAD_TIMEOUT_S = 15.0
"""Longest wait for an opted-in download before falling back to the estimate."""

_BLOB = "https://openaipublic.blob.core.windows.net/encodings/"
# encoding name -> (URL tiktoken reads, sha256 it expects), from tiktoken_ext/openai_public.py.
# o200k_harmony and p50k_edit are built from the o200k_base and p50k_base files.
_ENCODING_FILES: Mapping[str, tuple[str, str]] = MappingProxyType(
    {
        "o200k_base": (
            _BLOB + "o200k_base.tiktoken",
            "446a9538cb6c348e3516120d7c08b09f57c36495e2acfffe59a5bf8b0cfb1a2d",
        ),
        "o200k_harmony": (
            _BLOB + "o200k_base.tiktoken",
            "446a9538cb6c348e3516120d7c08b09f57c36495e2acfffe59a5bf8b0cfb1a2d",
        ),
        "cl100k_base": (
            _BLOB + "cl100k_base.tiktoken",
            "223921b76ee99bde995b7ff738513eef100fb51d18c93597a113bcffe865b2a7",
        ),
        "p50k_base": (
            _BLOB + "p50k_base.tiktoken",
            "94b5ca7dff4d00767bc256fdd1b27e5b17361d7b8a5f968547f9f23eb70d2069",
        ),
        "p50k_edit": (
            _BLOB + "p50k_base.tiktoken",
            "94b5ca7dff4d00767bc256fdd1b27e5b17361d7b8a5f968547f9f23eb70d2069",
        ),
        "r50k_base": (
            _BLOB + "r50k_base.tiktoken",
            "306cd27f03c1a714eca7108e03d66b7dc042abe8c258b44c199a7ed9838dd930",
        ),
    }
)


@dataclass(frozen=True)
class TokenCount:
    """A token count; ``estimated`` is True when no real encoding could be loaded.

    ``encoding`` names the tiktoken encoding that produced an exact count, and is ``None``
    for an estimate.
    """

    tokens: int
    estimated: bool
    encoding: str | None


# --------------------------------------------------------------------------- encodings

_T = TypeVar("_T")
_LOCK = threading.Lock()
_ENCODINGS: dict[str, Encoding | None] = {}


def _reset_caches() -> None:
    """Forget loaded encodings and cached load failures (for tests, or after changing
    ``TIKTOKEN_CACHE_DIR`` or ``COACH_TIKTOKEN_DOWNLOAD``)."""
    with _LOCK:
        _ENCODINGS.clear()


def _tiktoken_cache_dir() -> str:
    """The directory tiktoken 0.7-0.x reads cached files from; ``""`` means caching is off."""
    if "TIKTOKEN_CACHE_DIR" in os.environ:
        return os.environ["TIKTOKEN_CACHE_DIR"]
    if "DATA_GYM_CACHE_DIR" in os.environ:
        return os.environ["DATA_GYM_CACHE_DIR"]
    return os.path.join(tempfile.gettempdir(), "data-gym-cache")


def _cached_file_ok(encoding_name: str) -> bool:
    """True when tiktoken will find the encoding's file in its cache without downloading."""
    entry = _ENCODING_FILES.get(encoding_name)
    cache_dir = _tiktoken_cache_dir()
    if entry is None or not cache_dir:
        return False
    url, sha256 = entry
    path = os.path.join(cache_dir, hashlib.sha1(url.encode()).hexdigest())
    try:
        with open(path, "rb") as f:
            data = f.read()
    except OSError:
        return False
    # A file with the wrong hash makes tiktoken delete it and download again.
    return hashlib.sha256(data).hexdigest() == sha256


def _download_allowed() -> bool:
    return os.environ.get(DOWNLOAD_ENV, "").strip().lower() in {"1", "true", "yes", "on"}


def _call_with_deadline(fn: Callable[[], _T], timeout_s: float) -> _T | None:
    """``fn()`` in a daemon thread; None if it raises or is still running after the timeout."""
    result: list[_T] = []

    def run() -> None:
        with contextlib.suppress(Exception):  # any load failure means "estimate instead"
            result.append(fn())

    thread = threading.Thread(target=run, name="coach-tiktoken-load", daemon=True)
    thread.start()
    thread.join(timeout_s)
    return result[0] if result else None


def _load(encoding_name: str) -> Encoding | None:
    try:
        import tiktoken
    except ImportError:
        return None
    if _cached_file_ok(encoding_name):
        try:
            return tiktoken.get_encoding(encoding_name)
        except Exception:  # a corrupt install or unreadable file: estimate, never raise
            return None
    if not _download_allowed():
        return None
    return _call_with_deadline(lambda: tiktoken.get_encoding(encoding_name), DOWNLOAD_TIMEOUT_S)


def _encoding(encoding_name: str) -> Encoding | None:
    with _LOCK:
        if encoding_name not in _ENCODINGS:
            _ENCODINGS[encoding_name] = _load(encoding_name)
        return _ENCODINGS[encoding_name]


def _encoding_name_for_model(model: str) -> str:
    try:
        from tiktoken.model import encoding_name_for_model
    except ImportError:
        return FALLBACK_ENCODING
    try:
        return encoding_name_for_model(model)
    except KeyError:
        return FALLBACK_ENCODING


def _encoding_for_model(model: str) -> Encoding | None:
    return _encoding(_encoding_name_for_model(model))


# --------------------------------------------------------------------------- estimate

_UNIT = 20  # costs below are in 1/20 token, so sums are exact integers
_COST_CJK = 14
_COST_CJK_PUNCT = 24
_COST_WORD_START = 5
_COST_WORD_CONT = 3
_COST_NUM_START = 24
_COST_NUM_CONT = 7
_COST_SPACE = 6
_COST_NEWLINE = 12
_COST_PUNCT = 12
_COST_OTHER = 20
_COST_MAX = max(
    _COST_CJK,
    _COST_CJK_PUNCT,
    _COST_WORD_START,
    _COST_WORD_CONT,
    _COST_NUM_START,
    _COST_NUM_CONT,
    _COST_SPACE,
    _COST_NEWLINE,
    _COST_PUNCT,
    _COST_OTHER,
)

_K_CJK, _K_LETTER, _K_DIGIT, _K_OTHER = range(4)


def _is_cjk(o: int) -> bool:
    return (
        0x4E00 <= o <= 0x9FFF  # CJK unified ideographs
        or 0x3400 <= o <= 0x4DBF  # extension A
        or 0xF900 <= o <= 0xFAFF  # compatibility ideographs
        or 0x20000 <= o <= 0x3FFFF  # extensions B.. (planes 2 and 3)
        or 0x3040 <= o <= 0x30FF  # hiragana, katakana
        or 0xAC00 <= o <= 0xD7AF  # hangul syllables
    )


def _is_cjk_punct(ch: str, o: int) -> bool:
    return 0x3000 <= o <= 0x303F or 0xFF00 <= o <= 0xFFEF or ch in "“”‘’—…·"


def _costs(text: str) -> Iterator[int]:
    """Per-code-point estimated cost in 1/_UNIT tokens (each >= 0)."""
    prev = _K_OTHER
    for ch in text:
        o = ord(ch)
        if _is_cjk(o):
            kind, cost = _K_CJK, _COST_CJK
        elif _is_cjk_punct(ch, o):
            kind, cost = _K_OTHER, _COST_CJK_PUNCT
        elif ch.isdigit() and o < 0x80:
            kind = _K_DIGIT
            cost = _COST_NUM_CONT if prev == _K_DIGIT else _COST_NUM_START
        elif ch.isalpha():
            kind = _K_LETTER
            cost = _COST_WORD_CONT if prev == _K_LETTER else _COST_WORD_START
        elif ch == "\n" or ch == "\r":
            kind, cost = _K_OTHER, _COST_NEWLINE
        elif ch.isspace():
            kind, cost = _K_OTHER, _COST_SPACE
        elif o < 0x80:
            kind, cost = _K_OTHER, _COST_PUNCT
        elif 0xDC00 <= o <= 0xDFFF:
            kind, cost = _K_OTHER, 0  # low surrogate: its high half already paid
        else:
            kind, cost = _K_OTHER, _COST_OTHER
        prev = kind
        yield cost


def _estimate_tokens(text: str) -> int:
    return math.ceil(sum(_costs(text)) / _UNIT)


# --------------------------------------------------------------------------- public API


def count_tokens(text: str, model: str) -> TokenCount:
    """Tokens in ``text`` for ``model``: exact when tiktoken's encoding loads, else estimated.

    Never raises for a missing encoding file, a network failure or a missing tiktoken.
    """
    enc = _encoding_for_model(model)
    if enc is None:
        return TokenCount(tokens=_estimate_tokens(text), estimated=True, encoding=None)
    return TokenCount(tokens=len(enc.encode_ordinary(text)), estimated=False, encoding=enc.name)


def _is_cut_point(text: str, i: int) -> bool:
    """Whether ``text[:i]`` ends between two user-perceived characters (not inside a
    surrogate pair, before a combining mark, variation selector or skin-tone modifier,
    around a zero-width joiner, or between CR and LF)."""
    if i <= 0 or i >= len(text):
        return True
    before, after = text[i - 1], text[i]
    a = ord(after)
    if 0xD800 <= ord(before) <= 0xDBFF and 0xDC00 <= a <= 0xDFFF:
        return False
    if unicodedata.category(after).startswith("M"):
        return False
    if 0xFE00 <= a <= 0xFE0F or 0xE0100 <= a <= 0xE01EF or 0x1F3FB <= a <= 0x1F3FF:
        return False
    if before == "\u200d" or after == "\u200d":
        return False
    return not (before == "\r" and after == "\n")


def _truncate_exact(text: str, max_tokens: int, enc: Encoding) -> int:
    """Largest cut ``i`` with ``len(encode(text[:i])) <= max_tokens`` and ``i + 1`` over."""

    def fits(i: int) -> bool:
        return len(enc.encode_ordinary(text[:i])) <= max_tokens

    tokens = enc.encode_ordinary(text)
    # First guess: the characters covered by the first max_tokens tokens' bytes.
    nbytes = len(enc.decode_bytes(tokens[:max_tokens]))
    raw = text.encode("utf-8", "surrogatepass")[:nbytes]
    guess = min(len(raw.decode("utf-8", "ignore")), len(text))
    lo, hi = 0, len(text)  # invariant: fits(lo) and not fits(hi)
    if fits(guess):
        lo = guess
        step = 1
        while lo + step < hi:  # gallop up: the answer is usually a char or two away
            if fits(lo + step):
                lo += step
                step *= 2
            else:
                hi = lo + step
                break
    else:
        hi = guess
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if fits(mid):
            lo = mid
        else:
            hi = mid
    while lo > 0 and not (_is_cut_point(text, lo) and fits(lo)):
        lo -= 1
    return lo


def _truncate_estimated(text: str, max_tokens: int) -> int:
    limit = max_tokens * _UNIT
    total = 0
    cut = 0
    for i, cost in enumerate(_costs(text)):
        total += cost
        if total > limit:
            break
        cut = i + 1
    while cut > 0 and not _is_cut_point(text, cut):
        cut -= 1
    return cut


def truncate_to_budget(text: str, max_tokens: int, model: str) -> tuple[str, bool]:
    """The longest prefix of ``text`` within ``max_tokens`` tokens for ``model``, and whether
    ``text`` was cut.

    Exact with a real encoding (the prefix's own encoding is counted, so the result always
    fits); by the offline estimate otherwise, the same one :func:`count_tokens` reports. The
    cut never falls inside a surrogate pair or splits a character from its combining marks,
    variation selectors or zero-width joiners. Raises ``ValueError`` for a negative budget.
    """
    if max_tokens < 0:
        raise ValueError(f"max_tokens must be >= 0, got {max_tokens}")
    # Most answers are far under budget, which bounds alone can tell: a byte-level BPE token
    # covers at least one UTF-8 byte (at most 4 a code point), and the estimate charges at most
    # _COST_MAX per code point.
    if 4 * len(text) <= max_tokens:
        return text, False
    enc = _encoding_for_model(model)
    if enc is None:
        if len(text) * _COST_MAX <= max_tokens * _UNIT or _estimate_tokens(text) <= max_tokens:
            return text, False
        cut = _truncate_estimated(text, max_tokens)
    else:
        if len(enc.encode_ordinary(text)) <= max_tokens:
            return text, False
        cut = _truncate_exact(text, max_tokens, enc)
    return text[:cut], True
