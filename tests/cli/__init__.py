"""Tests of coach.cli: the `coach` command line."""
