"""`python -m coach` runs the command line."""

from coach._cli import main

raise SystemExit(main())
