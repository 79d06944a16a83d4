"""Whole-library tests: the public API, the examples, fuzzing, attacks and the test kit."""
