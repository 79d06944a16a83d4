"""Shared by the practice tests and the `coach practice` CLI tests: a small bank whose first
question's model answer is two halves, one per criterion, so answering the first half misses the
second criterion's key points and a follow-up answered with the second half supplies them."""

from __future__ import annotations

from pathlib import Path

FIRST_HALF = "银行卡被冻结了，我会先安抚客户的情绪，请他别着急，并把他的诉求记录下来。"
SECOND_HALF = "然后说明按银行规定，冻结的银行卡需要审核后才能解冻，请他提供交易凭证和身份证件。"

DRILL_BANK = f"""\
id: drill
title: 模拟面试测试题库
language: zh
role: 银行客服
source: tests/practice/support.py 自带的小题库
questions:
  - id: freeze
    kind: situational
    prompt: 客户的银行卡被冻结，要求你立刻解冻，你会怎么做？
    points: 10
    competencies: [沟通技巧, 合规意识]
    topic_terms: [冻结, 解冻, 银行卡]
    follow_ups: [如果客户坚持要你马上解冻呢？]
    criteria:
      - id: soothe
        name: 安抚记录
        points: 4
        description: 先安抚客户，再记录诉求
        key_points:
          - id: calm
            text: 安抚客户情绪
            variants: [安抚*情绪, 别着急]
          - id: record
            text: 记录客户诉求
            variants: [记录, 登记]
      - id: process
        name: 审核流程
        points: 6
        description: 说明需要审核，请客户提供凭证
        key_points:
          - id: review
            text: 说明需要审核
            variants: [审核, 按*规定]
          - id: proof
            text: 请客户提供凭证
            variants: [凭证, 身份证件]
    model_answer: {FIRST_HALF}{SECOND_HALF}
  - id: pressure
    kind: behavioral
    prompt: 高压环境下你如何保持冷静？
    points: 10
    competencies: [抗压能力]
    topic_terms: [压力, 冷静]
    criteria:
      - id: mood
        name: 情绪管理
        points: 10
        description: 说出调整心态的具体做法
        key_points:
          - id: breathe
            text: 深呼吸，调整心态
            variants: [深呼吸, 调整心态]
    model_answer: 压力大的时候，我会先深呼吸，调整心态，让自己冷静下来，再一件件处理手上的事情。
  - id: fraud
    kind: situational
    prompt: 客户收到诈骗短信要求转账，你怎么办？
    points: 8
    competencies: [风险防范, 合规意识]
    topic_terms: [诈骗, 转账, 短信]
    criteria:
      - id: stop
        name: 紧急干预
        points: 8
        description: 让客户立即停止转账
        key_points:
          - id: halt
            text: 停止转账
            variants: [停止转账, 不要转账]
    model_answer: 我会马上告诉客户停止转账，银行不会通过短信要求转账，请他拨打官方电话核实。
  - id: privacy
    kind: knowledge
    prompt: 客户信息保护有哪些要求？
    points: 6
    competencies: [合规意识]
    topic_terms: [信息, 隐私, 保护]
    criteria:
      - id: rules
        name: 保护要求
        points: 6
        description: 说明最小必要和保密
        key_points:
          - id: minimal
            text: 最小必要
            variants: [最小必要]
    model_answer: 客户信息保护要遵循最小必要原则，只收集业务需要的信息，绝不向无关人员透露客户隐私。
"""


def drill_file(folder: Path) -> Path:
    """DRILL_BANK written to `folder`/drill.yaml."""
    path = folder / "drill.yaml"
    path.write_text(DRILL_BANK, encoding="utf-8")
    return path
