"""Tests of coach.batch: concurrent runs and job files."""
