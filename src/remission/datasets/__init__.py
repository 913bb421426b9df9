"""Bundled datasets: the seed cohort (reconstructed from a published letter)."""
