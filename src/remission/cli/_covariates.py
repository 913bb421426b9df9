"""MRD columns named as covariates, group or strata enter through a stated transform.

``--mrd-transform`` (see :mod:`remission.cohort.covariates`) applies to every MRD column
the command uses; without it a covariate is ``log10`` and a group or stratum ``cut:0.01``
(negative / <0.01% / >=0.01%). The transform used is stated in the output's note.
"""

from __future__ import annotations

import argparse
from dataclasses import replace

from remission.cli import UsageError
from remission.cohort.covariates import is_mrd_column, mrd_covariate, parse_mrd_transform

__all__ = ["with_mrd_transforms", "DEFAULT_COVARIATE", "DEFAULT_GROUP"]

DEFAULT_COVARIATE = "log10"
DEFAULT_GROUP = "cut:0.01"


def _named(args: argparse.Namespace) -> list[tuple[str, str]]:
    """(column, role) for the columns the command uses as covariates, group or strata."""
    out = []
    for role in ("covariates", "group", "strata"):
        text = getattr(args, role, None)
        if text:
            out += [(c.strip(), role) for c in str(text).split(",") if c.strip()]
    return out


def with_mrd_transforms(table, args: argparse.Namespace):
    """``table`` with each MRD column it uses transformed, and the transform in its note."""
    given = getattr(args, "mrd_transform", None)
    frame, notes = None, []
    for col, role in _named(args):
        if col not in table.frame.columns or not is_mrd_column(table.frame[col]):
            continue
        spec = given or (DEFAULT_COVARIATE if role == "covariates" else DEFAULT_GROUP)
        try:
            transform = parse_mrd_transform(spec)
        except ValueError as exc:
            raise UsageError(f"--mrd-transform: {exc}") from None
        frame = table.frame.copy() if frame is None else frame
        pids = frame["patient_id"].tolist() if "patient_id" in frame.columns else None
        frame[col] = mrd_covariate(frame[col], transform, column=col, source=table.source,
                                   rows=table.rows, patients=pids)  # fmt: skip
        notes.append(f"{col}: {transform.describe()}")
    if frame is None:
        return table
    note = "; ".join(([table.note] if table.note else []) + notes)
    return replace(table, frame=frame, note=note)
