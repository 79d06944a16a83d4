"""Tests of coach.text: normalization, matching, screening, redaction and tokens."""
