"""Bundled datasets: the seed cohort (reconstructed from a published letter).

``seed_cohort_path()`` is the CSV of the 11 infants of the seed letter (Table 1 as
published, dates reconstructed by :mod:`remission.reconstruct`), ``seed_study_path()``
its study file (data cut-off, study-level facts) and ``seed_readme_path()`` the README
that says, column by column, what is published and what is reconstructed.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

__all__ = ["seed_cohort_path", "seed_readme_path", "seed_study_path"]


def _bundled(name: str) -> Path:
    return Path(str(resources.files(__name__).joinpath(name)))


def seed_cohort_path() -> Path:
    """Path of the bundled seed cohort CSV (``seed_cohort.csv``)."""
    return _bundled("seed_cohort.csv")


def seed_study_path() -> Path:
    """Path of the bundled seed study file (``seed_study.yaml``)."""
    return _bundled("seed_study.yaml")


def seed_readme_path() -> Path:
    """Path of the README describing what is published and what is reconstructed."""
    return _bundled("README.md")
