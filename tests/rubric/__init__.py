"""Tests of coach.rubric: the rubric model and loader, and the built-in banks."""
