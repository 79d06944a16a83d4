"""Tests of coach.grading: the keyword grader, coaching, consistency and the OpenAI Batch API."""
