"""Shared by every area of the suite: where things are, the small rubric written for precise
expectations (the `mini` fixture of conftest.py), an answer to it, JSON Lines files, and the
checks any result is held to."""

from __future__ import annotations

import json
import math
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from pydantic import BaseModel

import coach

ROOT = Path(__file__).resolve().parents[1]  # the repository
DATA = ROOT / "tests" / "data"
EXAMPLES = ROOT / "examples"

MINI_BANK = """\
id: mini
title: 测试题库
language: zh
role: 金融客服
source: 单元测试用的小题库
questions:
  - id: atm
    kind: situational
    prompt: 客户在ATM取款时误操作导致账户冻结，要求你立刻解冻，你会怎么做？
    points: 12
    topic_terms: [ATM, 取款机, 冻结, 解冻]
    criteria:
      - id: calm
        name: 安抚与记录
        points: 4
        description: 先安抚客户，再记录诉求
        key_points:
          - id: soothe
            text: 安抚客户情绪
            variants: [安抚*情绪, 别着急, 理解您的心情]
          - id: record
            text: 记录客户诉求
            variants: [记录, 登记]
      - id: process
        name: 流程说明
        points: 8
        description: 说明按规定审核，不能跳过流程
        key_points:
          - id: review
            text: 说明需要审核
            variants: [审核, 核实身份, 按*规定]
          - id: proof
            text: 请客户提供凭证
            variants: [凭证, 身份证件]
        bands:
          - {hits: 1, points: 4}
          - {hits: 2, points: 8}
    deductions:
      - id: promise_unfreeze
        description: 未经审核就承诺立即解冻
        points: 4
        triggers: [马上给您解冻, 立刻解冻, 直接解冻, 保证解冻]
    model_answer: >-
      我会先安抚客户的情绪，告诉他别着急，并把他的诉求记录下来。然后向他说明，按银行规定，
      冻结的账户需要审核后才能解冻，请他提供交易凭证和身份证件，核实之后我们再为他办理。
  - id: calm
    kind: behavioral
    prompt: 高压环境下你如何保持冷静？
    points: 10
    topic_terms: [压力, 高压, 冷静, 紧张]
    criteria:
      - id: mood
        name: 情绪管理
        points: 10
        description: 说出调整心态的具体做法
        key_points:
          - id: breathe
            text: 深呼吸，调整心态
            variants: [深呼吸, 调整心态]
          - id: priority
            text: 先处理最紧急的事
            variants: [最紧急, 优先处理, 分清轻重缓急]
    model_answer: >-
      压力大的时候，我会先深呼吸，调整心态，让自己冷静下来，
      然后分清轻重缓急，先处理最紧急的事情。
"""

# A middling answer to the mini bank's `atm`: it soothes, records and mentions the review.
MINI_ANSWER = "账户冻结了，我会先安抚客户的情绪，告诉他别着急，并记录诉求。然后说明需要审核。"


def write_lines(path: Path, lines: list[Any]) -> Path:
    """A JSON Lines file: each item a line, strings as they are (to write broken lines too)."""
    path.write_text(
        "".join(
            (x if isinstance(x, str) else json.dumps(x, ensure_ascii=False)) + "\n" for x in lines
        ),
        encoding="utf-8",
    )
    return path


def evidence_in(model: Any) -> Iterator[coach.Evidence]:
    """Every `Evidence` anywhere in a result."""
    if isinstance(model, coach.Evidence):
        yield model
    elif isinstance(model, BaseModel):
        for name in type(model).model_fields:
            yield from evidence_in(getattr(model, name))
    elif isinstance(model, (list, tuple)):
        for item in model:
            yield from evidence_in(item)


def assert_valid(result: coach.GradeResult, answer: str) -> None:
    """A result anyone can rely on: in range, consistent, its quotes cut from `answer`."""
    assert coach.GradeResult.model_validate_json(result.model_dump_json()) == result
    assert 0 <= result.score <= result.max_score
    assert 0 <= result.percent <= 100
    for c in result.criteria:
        assert 0 <= c.points <= c.max_points
    earned = sum(c.points for c in result.criteria) - sum(d.points for d in result.deductions)
    assert math.isclose(result.score, max(0.0, earned), abs_tol=0.01 * len(result.criteria) + 0.01)
    for e in evidence_in(result):
        assert 0 <= e.start < e.end <= len(answer), e
        assert answer[e.start : e.end] == e.quote, e
    if result.status == "fallback":
        assert result.fallback_reason
