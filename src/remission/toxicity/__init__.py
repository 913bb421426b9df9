"""Toxicity domain rules: ASTCT CRS and ICANS grading, CTCAE v5 alongside."""
