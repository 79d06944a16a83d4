"""Tests of coach.eval: agreement with human scores."""
