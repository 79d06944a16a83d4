"""The LLM exchange: prompt templates and messages, the Chat Completions request and its reply
model, retries, failure reporting, prices, the reply cache and the OpenAI clients. Imports the
rubric, text, result and error modules; never the graders."""
