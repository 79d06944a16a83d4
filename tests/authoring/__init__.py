"""Tests of coach.authoring: deriving, drafting and calibrating rubrics."""
