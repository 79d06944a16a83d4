"""Answer text: normalization with an offset map back to the original, term matching, screening
for non-answers and text addressed to the grader, personal-data redaction, token counting.
Pure functions of strings; imports only `coach.errors`."""
