"""Quickstart: grade one answer and read the coaching, offline or with an LLM.

    python examples/quickstart.py

With no LLM configured this grades offline (the deterministic keyword grader) and says so.
Set OPENAI_API_KEY (or OPENAI_BASE_URL for a local server such as Ollama or vLLM, and
COACH_MODEL for its model name) to grade with the LLM instead; personal data is redacted first.
"""

from __future__ import annotations

import coach

ANSWER = (
    "我会先安抚客户的情绪，告诉他别着急，然后核实他的身份，说明冻结的账户需要按规定审核后才能解冻。"
)


def main() -> None:
    with coach.Grader() as grader:  # mode "auto": the LLM if configured, else offline
        result = grader.grade("finance-cs-manager", "s2", ANSWER)

    print(f"{result.score:g}/{result.max_score:g} ({result.percent:g}%) by {result.method}")
    if result.fallback_reason:
        print("fallback:", result.fallback_reason)
    for criterion in result.criteria:
        print(f"  {criterion.name}: {criterion.points:g}/{criterion.max_points:g}")
    for tip in result.improvements:
        print("  to improve:", tip.text, f"(e.g. {tip.example})" if tip.example else "")
    for follow_up in result.follow_up_questions:
        print("  follow-up:", follow_up.question)
    if result.improved_answer is not None:
        print(result.improved_answer.label)
        print(" ", result.improved_answer.text)


if __name__ == "__main__":
    main()
