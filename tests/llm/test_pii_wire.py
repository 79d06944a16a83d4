"""Personal data on the wire: what a real grade sends to a loopback server holds none of it.

The answer carries one value of every kind the redactor knows, several of them broken up by
zero-width characters or soft hyphens, spelled out, dotted or written in Chinese numerals. The
grader builds its own client from `base_url`, so the bytes checked are the bytes the SDK sent.
"""

from __future__ import annotations

import asyncio
import json
import re
import typing
from typing import Any

import pytest

import coach
from coach.grading.combine import _PII_NAMES
from coach.llm.retry import RetryPolicy
from coach.text.pii_base import PiiKind
from tests.llm.fake_openai import FakeOpenAI, json_reply

OPENING = "账户冻结了，我会先安抚客户的情绪，告诉他别着急，并记录诉求。"
# (as written in the answer, what must not reach the wire)
VALUES: list[tuple[str, str]] = [
    ("我叫张伟，", "张伟"),
    ("客户叫王小明，", "王小明"),
    ("座机0755 8866 3321，", "0755 8866 3321"),
    ("家里电话010-\u200b6123\u200c4567，", "61234567"),
    ("香港身份证A123456(3)，", "A123456(3)"),
    ("澳门身份证5215299(8)，", "5215299(8)"),
    ("台湾身份证A123456789，", "A123456789"),
    ("护照EA7654321，", "EA7654321"),
    ("QQ：58827361，", "58827361"),
    ("微信号：zhang_san88，", "zhang_san88"),
    ("住在北京市朝阳区建国路88号3栋1201室，", "建国路88号3栋1201室"),
    ("手机139\u200b8765\u200d4321，", "13987654321"),
    ("身份证110105\u00ad19491231002X，", "11010519491231002X"),
    ("卡号6222\u20600212\u206034567890128，", "6222021234567890128"),
    ("邮箱li\ufeffsi@example.com，", "lisi@example.com"),
    ("备用186.1234.5678，", "18612345678"),
    ("或者1 5 9 8 7 6 5 4 3 2 1，", "15987654321"),
    ("还有一三七一二三四五六七八，", "13712345678"),
    ("QQ号 9\u200b9\u200b8\u200b7\u200b6，", "99876"),
]
CLOSING = "然后说明按银行规定需要审核，请他提供凭证，核实后再解冻。"
ANSWER = OPENING + "客户留下的信息：" + "".join(written for written, _ in VALUES) + CLOSING
INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")


def reply(question: coach.Question) -> dict[str, Any]:
    return {
        "criteria": {
            c.id: {"evidence": [OPENING[:10]], "rationale": "ok", "key_points": [], "points": 1}
            for c in question.criteria
        },
        "deductions": [],
        "strengths": [],
        "improvements": [],
    }


def grader(server: FakeOpenAI) -> coach.Grader:
    policy = RetryPolicy(backoff=0.01, deadline=20)
    return coach.Grader(
        base_url=server.base_url, api_key="sk-test", model="gpt-test", mode="llm", policy=policy
    )


def assert_clean(server: FakeOpenAI) -> None:
    """No raw value, and no value's digits with separators and hidden characters taken out,
    in any request body (raw bytes, and the JSON text with non-ASCII unescaped)."""
    requests = server.completion_requests
    assert requests
    for request in requests:
        raw = request.raw_body.decode()
        unescaped = json.dumps(request.body, ensure_ascii=False)
        squeezed = re.sub(r"[ .\-()]", "", INVISIBLE.sub("", unescaped))
        for written, value in VALUES:
            shown = INVISIBLE.sub("", written)
            for text in (raw, unescaped):
                assert value not in text, value
            assert re.sub(r"[ .\-()]", "", value) not in squeezed, value
            digits = re.sub(r"[^0-9]", "", value)
            if len(digits) >= 5:
                assert digits not in squeezed, (value, digits)
            assert written not in unescaped and shown not in unescaped
        assert "[NAME_1]" in unescaped and "[ADDRESS_1]" in unescaped
        assert "账户冻结了" in unescaped  # the answer itself did go out


def test_no_personal_data_reaches_the_wire(server: FakeOpenAI, mini: coach.Bank) -> None:
    server.push(json_reply(reply(mini.question("atm"))))
    result = grader(server).grade(mini, "atm", ANSWER)
    assert result.method == "llm"
    assert_clean(server)
    assert result.has_flag("pii_redacted")
    message = next(f.message for f in result.flags if f.code == "pii_redacted")
    for name in ("固定电话", "香港身份证号", "护照号", "QQ 号", "微信号", "姓名", "住址"):
        assert name in message, message


def test_no_personal_data_reaches_the_wire_from_the_async_path(
    server: FakeOpenAI, mini: coach.Bank
) -> None:
    server.push(json_reply(reply(mini.question("atm"))))

    async def grade() -> coach.GradeResult:
        async with grader(server) as g:
            return await g.agrade(mini, "atm", ANSWER)

    result = asyncio.run(grade())
    assert_clean(server)
    assert result.has_flag("pii_redacted")


@pytest.mark.parametrize("language", ["zh", "en"])
def test_every_kind_has_a_name_in_the_flag_message(language: str) -> None:
    names, _ = _PII_NAMES[language]
    assert set(names) == set(typing.get_args(PiiKind))
