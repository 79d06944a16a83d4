"""Grading: the offline keyword grader, quote verification, combining an LLM reply with the
keyword screen, and `Grader` with its sync, async, batch and Batch API drivers. Imports the
stages below it (rubric, text, llm, batch, result); nothing above."""
