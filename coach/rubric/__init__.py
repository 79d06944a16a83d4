"""Rubrics: the typed model of banks and questions, the YAML loader with line-numbered errors,
and the JSON Schema for editors. The bottom of the pipeline: imports only `coach.errors`,
`coach.resources` (where the built-in banks live) and `coach.encoding` (how a file's bytes
become text)."""
