"""Every public function that takes a bank or a question takes its id too (as the README says)."""

from __future__ import annotations

import inspect
from pathlib import Path

import pytest

import coach

ANSWER = "我会先安抚客户的情绪，告诉他别着急，然后核实身份，说明需要按规定审核后才能解冻。"


def test_keyword_grader_takes_a_bank_id_and_a_question_id() -> None:
    by_id = coach.KeywordGrader().grade("finance-cs-manager", "s2", ANSWER)
    bank = coach.load_bank("finance-cs-manager")
    by_object = coach.KeywordGrader().grade(bank, bank.question("s2"), ANSWER)
    assert by_id.model_dump_json() == by_object.model_dump_json()
    assert (by_id.bank_id, by_id.question_id) == ("finance-cs-manager", "s2")
    assert (
        by_id.model_dump_json()
        == coach.grade_offline("finance-cs-manager", "s2", ANSWER).model_dump_json()
    )


def test_keyword_grader_takes_a_yaml_path(mini_path: Path) -> None:
    result = coach.KeywordGrader().grade(mini_path, "calm", "先安抚客户情绪，再核实身份。")
    assert (result.bank_id, result.question_id) == ("mini", "calm")


def test_keyword_grader_names_an_unknown_question() -> None:
    with pytest.raises(coach.QuestionNotFoundError):
        coach.KeywordGrader().grade("finance-cs-manager", "no-such-question", ANSWER)
    with pytest.raises(coach.BankNotFoundError):
        coach.KeywordGrader().grade("no-such-bank", "s2", ANSWER)


def test_dump_and_calibrate_take_a_bank_id() -> None:
    assert coach.dump_bank("finance-cs-manager") == coach.dump_bank(
        coach.load_bank("finance-cs-manager")
    )
    labels = [
        coach.ScoredAnswer("s2", ANSWER, 6.0),
        coach.ScoredAnswer("s2", "不知道怎么办。", 0.0),
    ]
    by_id = coach.calibrate_bank("finance-cs-manager", labels)
    by_object = coach.calibrate_bank(coach.load_bank("finance-cs-manager"), labels)
    assert by_id == by_object


def _callables() -> list[tuple[str, object]]:
    found: list[tuple[str, object]] = []
    for name in coach.__all__:
        value = getattr(coach, name)
        if inspect.isfunction(value):
            found.append((name, value))
        elif inspect.isclass(value) and value.__module__.startswith("coach.grading"):
            found += [
                (f"{name}.{attr}", member)
                for attr, member in vars(value).items()
                if inspect.isfunction(member) and not attr.startswith("_")
            ]
    return found


@pytest.mark.parametrize(("name", "function"), _callables())
def test_no_public_signature_takes_only_a_bank_object(name: str, function: object) -> None:
    # A parameter typed as a bare `Bank` or `Question` would refuse the ids the README promises.
    for parameter in inspect.signature(function).parameters.values():  # type: ignore[arg-type]
        assert parameter.annotation not in ("Bank", "Question", coach.Bank, coach.Question), (
            name,
            parameter.name,
        )
