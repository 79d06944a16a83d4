"""Letters labelling an answer's parts are labels, not the options a key point names."""

from __future__ import annotations

from pathlib import Path

import pytest

import coach
from coach.text.normalize import normalize
from coach.text.part_labels import part_label_spans

BANK = """\
id: labels
title: 选择与说明
language: zh
role: 实验员
source: 单元测试
questions:
  - id: mass
    kind: knowledge
    prompt: 三个样品中哪个质量最大？说明理由。
    points: 4
    criteria:
      - id: choice
        name: 选项
        points: 2
        description: 选出质量最大的样品
        key_points:
          - {id: b_most, text: 样品B质量最大, variants: [B*最大, 选B]}
      - id: reason
        name: 理由
        points: 2
        description: 说明理由
        key_points:
          - {id: density, text: 密度最大, variants: [密度最大, 密度大]}
    model_answer: 样品B质量最大，因为它的密度最大。
"""


@pytest.mark.parametrize(
    ("answer", "labels"),
    [
        ("a. 样品A最大 b. 样品B最小", ["a", "b"]),
        ("(a) 蒸发\n(b) 质量减少\n(c) 密度大", ["a", "b", "c"]),
        ("选B，因为B最重。", []),  # options, not labels
        ("答案：A. 理由见下。", []),  # one letter is no run
    ],
)
def test_part_labels_run_a_b_in_order(answer: str, labels: list[str]) -> None:
    folded = normalize(answer)
    assert [folded.text[a:b] for a, b in part_label_spans(folded)] == labels


def test_a_part_label_names_no_option(tmp_path: Path) -> None:
    path = tmp_path / "labels.yaml"
    path.write_text(BANK, encoding="utf-8")
    bank = coach.load_file(path)
    grade = coach.Grader(mode="keyword").grade
    labelled = grade(bank, "mass", "a. 三个样品体积一样\nb. 密度最大的质量最大")
    assert labelled.criteria[0].key_points_hit == []
    assert labelled.criteria[1].key_points_hit == ["density"]
    # The option chosen in a labelled part still counts.
    chosen = grade(bank, "mass", "a. 选B\nb. 因为它的密度最大")
    assert chosen.criteria[0].key_points_hit == ["b_most"]
