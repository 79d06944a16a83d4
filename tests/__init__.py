"""The test suite of coach, one folder per pipeline stage (see coach/)."""
