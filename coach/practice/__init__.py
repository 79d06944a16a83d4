"""Practice: mock interviews that ask, grade and follow up, and the history of past sessions.
Imports the grading stage (lazily, so the openai SDK loads only when used), rubrics, results
and session records."""
