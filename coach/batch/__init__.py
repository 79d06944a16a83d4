"""Many answers at once: bounded concurrency, rate and budget limits, progress, and resumable
JSONL file jobs. Takes a grader through the `AsyncGrader` protocol, so it imports only the
rubric, result and error modules, never the grading stage."""
