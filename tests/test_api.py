"""The public surface: `coach.__all__` is sorted, complete and importable."""

from __future__ import annotations

import types

import coach


def test_all_is_sorted_and_unique() -> None:
    assert list(coach.__all__) == sorted(set(coach.__all__))


def test_every_exported_name_exists() -> None:
    missing = [name for name in coach.__all__ if not hasattr(coach, name)]
    assert missing == []


def test_no_public_name_is_left_out_of_all() -> None:
    public = {
        name
        for name, value in vars(coach).items()
        if not name.startswith("_") and not isinstance(value, types.ModuleType)
    }
    assert public - set(coach.__all__) == set()


def test_exported_objects_come_from_private_modules() -> None:
    for name in coach.__all__:
        module = getattr(getattr(coach, name), "__module__", "coach._")
        assert module.startswith("coach._"), (name, module)


def test_errors_share_one_root() -> None:
    for name in ("RubricError", "BankNotFoundError", "QuestionNotFoundError", "AnswerError"):
        assert issubclass(getattr(coach, name), coach.CoachError)
    assert issubclass(coach.BankNotFoundError, LookupError)
    assert issubclass(coach.AnswerError, ValueError)
