"""Shared by the text tests and the fuzzing of tests/api: identifiers the redactor accepts."""

from __future__ import annotations


def id_check(body: str) -> str:
    """ISO 7064 MOD 11-2: weight of position i is 2**(17 - i) mod 11; check = (12 - sum) mod 11."""
    total = sum(int(char) * pow(2, 17 - i, 11) for i, char in enumerate(body))
    value = (12 - total % 11) % 11
    return "X" if value == 10 else str(value)
