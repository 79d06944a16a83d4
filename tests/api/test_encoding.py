"""Reading bytes whose encoding nobody said: byte order marks, UTF-8, GB18030/GBK, Big5 and
UTF-16 without a mark, a declared encoding, and bytes that are not text at all."""

from __future__ import annotations

import codecs

import opencc
import pytest

import coach
from coach.encoding import DecodeFailure, canonical, decode, describe

SIMPLIFIED = "我会先安抚客户的情绪，请他别着急，并把诉求记录下来，再说明需要审核。"
TRADITIONAL = "我會先安撫客戶的情緒，請他別著急，並把訴求記錄下來，再說明需要審核。"
ENGLISH = "I would calm the customer down first and write the request down."


@pytest.mark.parametrize(
    ("mark", "codec", "expected"),
    [
        (codecs.BOM_UTF8, "utf-8", "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16-le", "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be", "utf-16-be"),
        (codecs.BOM_UTF32_LE, "utf-32-le", "utf-32-le"),
        (codecs.BOM_UTF32_BE, "utf-32-be", "utf-32-be"),
    ],
)
def test_a_byte_order_mark_decides_and_is_dropped(mark: bytes, codec: str, expected: str) -> None:
    decoded = decode(mark + SIMPLIFIED.encode(codec))
    assert (decoded.text, decoded.encoding, decoded.bom, decoded.confident) == (
        SIMPLIFIED,
        expected,
        True,
        True,
    )


def test_a_utf16_mark_before_a_nul_is_not_taken_for_utf32() -> None:
    # FF FE 00 00 starts UTF-32 LE, but here it is UTF-16 LE's mark and a NUL: 5 bytes more
    # cannot be UTF-32, so the UTF-16 reading is taken.
    assert decode(codecs.BOM_UTF16_LE + "\0ab".encode("utf-16-le")).text == "\0ab"


def test_a_mark_that_lies_is_refused() -> None:
    with pytest.raises(DecodeFailure, match="UTF-8 byte order mark but is not UTF-8"):
        decode(codecs.BOM_UTF8 + SIMPLIFIED.encode("gbk"))


def test_utf8_wins_without_a_contest() -> None:
    # These bytes are valid GB18030 too ("浣犲ソ"); strict UTF-8 is taken first.
    data = "你好".encode()
    assert data.decode("gb18030") == "浣犲ソ"
    decoded = decode(data)
    assert (decoded.text, decoded.encoding, decoded.confident) == ("你好", "utf-8", True)
    assert decoded.is_utf8 and describe(decoded) == "UTF-8 (detected)"


@pytest.mark.parametrize(
    ("text", "codec", "expected"),
    [
        (SIMPLIFIED, "gbk", "gb18030"),
        (SIMPLIFIED, "gb2312", "gb18030"),
        (SIMPLIFIED + "€𠀀", "gb18030", "gb18030"),  # four-byte GB18030 sequences
        (TRADITIONAL, "gbk", "gb18030"),  # GBK encodes Traditional characters too
        (TRADITIONAL, "big5", "big5"),
        (TRADITIONAL + "碁銹", "cp950", "cp950"),  # only in Microsoft's Big5
        (SIMPLIFIED, "utf-16-le", "utf-16-le"),
        (SIMPLIFIED, "utf-16-be", "utf-16-be"),
        (TRADITIONAL, "utf-16-le", "utf-16-le"),
        (ENGLISH, "utf-16-le", "utf-16-le"),
        (ENGLISH, "utf-16-be", "utf-16-be"),
    ],
)
def test_chinese_encodings_are_found_by_trial(text: str, codec: str, expected: str) -> None:
    decoded = decode(text.encode(codec))
    assert (decoded.text, decoded.encoding) == (text, expected)
    assert decoded.confident and not decoded.bom and not decoded.declared
    assert describe(decoded).endswith("(detected)")


def _bank_texts() -> list[str]:
    texts = []
    for bank in coach.builtin_banks():
        for question in bank.questions:
            texts += [question.prompt, question.model_answer]
            texts += [kp.text for c in question.criteria for kp in c.key_points]
    return texts


def test_every_bank_text_in_every_encoding_is_read_right_or_called_a_guess() -> None:
    to_traditional = opencc.OpenCC("s2tw")
    right = wrong = 0
    for text in _bank_texts():
        traditional = to_traditional.convert(text)
        for source, codec in [
            (text, "gbk"),
            (traditional, "gbk"),
            (traditional, "big5"),
            (text, "utf-16-le"),
            (traditional, "utf-16-be"),
        ]:
            try:
                data = source.encode(codec)
            except UnicodeEncodeError:
                continue  # a character Big5 lacks
            decoded = decode(data)
            if decoded.text == source:
                right += 1
            else:
                wrong += 1
                # A wrong reading is never presented as a sure one.
                assert not decoded.confident, (source, codec, decoded)
    assert right > 3000
    assert wrong <= right // 500, (right, wrong)


def test_a_declared_encoding_is_used_strictly() -> None:
    decoded = decode(SIMPLIFIED.encode("gbk"), "GBK")
    assert (decoded.text, decoded.encoding, decoded.declared) == (SIMPLIFIED, "gbk", True)
    assert describe(decoded) == "GBK (declared)"
    # UTF-8 bytes are not GBK here, and no guess overrules the declaration.
    with pytest.raises(DecodeFailure, match=r"not big5 text \(byte 0"):
        decode(SIMPLIFIED.encode(), "big5")
    with pytest.raises(DecodeFailure, match="unknown encoding 'klingon'"):
        decode(b"abc", "klingon")


def test_a_declared_encoding_drops_a_mark_too() -> None:
    decoded = decode(codecs.BOM_UTF16_LE + SIMPLIFIED.encode("utf-16-le"), "utf-16-le")
    assert decoded.text == SIMPLIFIED and decoded.bom


@pytest.mark.parametrize(
    "data",
    [
        bytes(range(256)),
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00",
        b"\x80\x81\xff\x00 bad",
    ],
    ids=["all-bytes", "png", "junk"],
)
def test_bytes_that_are_not_text_are_refused(data: bytes) -> None:
    with pytest.raises(DecodeFailure, match=r"does not look like text .* --encoding"):
        decode(data)


def test_short_readings_are_called_guesses() -> None:
    decoded = decode("审核".encode("gbk"))
    assert decoded.text == "审核" and not decoded.confident
    assert describe(decoded) == "GB18030 (a guess)"


def test_canonical_names() -> None:
    assert canonical("GBK") == "gbk"
    assert canonical("utf8") == "utf-8"
    assert canonical("Big5") == "big5"
    with pytest.raises(LookupError):
        canonical("base64")
    with pytest.raises(LookupError):
        canonical("no-such-encoding")


def test_empty_bytes_are_empty_utf8() -> None:
    assert decode(b"") == decode(b"", None)
    assert decode(b"").text == "" and decode(b"").encoding == "utf-8"
