"""Evaluation: agreement between coach and human raters (QWK, correlations, MAE, bootstrap
intervals) and test-retest consistency. Plain statistics; imports only results and errors."""
