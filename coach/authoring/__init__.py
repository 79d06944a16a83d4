"""Rubric authoring: derive a draft rubric from reference answers without an LLM, write it out
as a bank, and calibrate its weights to human scores. Imports rubrics, text and the keyword
grader (to score drafts the way they will be used)."""
