"""Tests of coach.llm: the LLM exchange, replies, prompts, retries and the cache, in process
and end to end against a loopback server."""
