"""The `coach` command: one module per command group, each adding its sub-parser and its
`cmd_...` functions, assembled in `main`. The top of the pipeline: may import any stage, and
nothing imports it."""
