"""Bundled datasets: the seed cohort (reconstructed from a published letter).

``seed_cohort_path()`` is the CSV of the 11 infants of the seed letter (Table 1 as
published, dates reconstructed by :mod:`remission.reconstruct`), ``seed_study_path()``
its study file (data cut-off, study-level facts) and ``seed_readme_path()`` the README
that says, column by column, what is published and what is reconstructed.
``load_seed_cohort()`` reads and validates it with the study's data cut-off.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from remission.cohort.cohort import Cohort

__all__ = ["load_seed_cohort", "seed_cohort_path", "seed_readme_path", "seed_study_path"]


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


def load_seed_cohort(data_cutoff: object = None) -> Cohort:
    """The bundled seed cohort, validated, censored at the study's data cut-off (2019-12-31)
    unless another ``data_cutoff`` is given.

    Reconstructed data: see ``seed_readme_path()``. Example::

        efs = load_seed_cohort().endpoint("EFS", origin="hsct")
    """
    from remission.cohort.cohort import load_cohort
    from remission.cohort.study import load_study

    study = load_study(seed_study_path())
    return load_cohort(seed_cohort_path(), data_cutoff=data_cutoff, study=study)
