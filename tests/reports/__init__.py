"""Tests of coach.reports: HTML, Markdown, text and SVG reports."""
