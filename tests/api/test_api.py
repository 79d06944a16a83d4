"""The public surface: `coach.__all__` is sorted, complete and importable, and cheap to import."""

from __future__ import annotations

import subprocess
import sys
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


def test_exported_objects_are_defined_in_the_stage_packages() -> None:
    # Users import from `coach`; where a name is defined is internal and may move.
    for name in coach.__all__:
        module = getattr(getattr(coach, name), "__module__", "coach.")
        assert module.startswith("coach.") and module != "coach", (name, module)


def test_errors_share_one_root() -> None:
    for name in ("RubricError", "BankNotFoundError", "QuestionNotFoundError", "AnswerError"):
        assert issubclass(getattr(coach, name), coach.CoachError)
    assert issubclass(coach.BankNotFoundError, LookupError)
    assert issubclass(coach.AnswerError, ValueError)


def test_import_loads_neither_the_network_stack_nor_the_graders() -> None:
    probe = (
        "import sys, coach\n"
        "heavy = ['openai', 'asyncio', 'sqlite3', 'coach.text.screen', 'coach.grading.keyword']\n"
        "print(','.join(m for m in heavy if m in sys.modules))\n"
        "coach.grade_offline('finance-cs-manager', 's2', '先安抚客户情绪，再核实身份。')\n"
        "print('coach.grading.keyword' in sys.modules, 'openai' in sys.modules)\n"
    )
    run = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert run.stdout.splitlines() == ["", "True False"]
