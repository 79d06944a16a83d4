"""`python -m coach` runs the command line."""

from coach.cli.main import main

raise SystemExit(main())
