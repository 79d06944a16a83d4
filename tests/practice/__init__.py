"""Tests of coach.practice: mock interviews and their history."""
