"""MRD columns named as covariates, group or strata enter through a stated transform.

``--mrd-transform SPEC`` (see :mod:`remission.cohort.covariates`) applies to every MRD
column the command uses, ``--mrd-transform COLUMN=SPEC`` (repeatable) to one column, which
is then read as MRD results even when it holds plain numbers; without either a covariate
is ``log10`` and a group or stratum ``cut:0.01``
(negative / <0.01% / >=0.01%). The transform used is stated in the output's note. In a
plain table (``--time``/``--event``) a text column whose values all read as MRD results,
at least one in MRD notation (``<0.005``, ``PNQ``), is an MRD column too.
"""

from __future__ import annotations

import argparse
from dataclasses import replace

from remission.cli import UsageError
from remission.cohort.covariates import (
    is_mrd_column,
    looks_like_mrd,
    mrd_covariate,
    parse_mrd_transform,
)

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


def _specs(args: argparse.Namespace) -> tuple[str | None, dict[str, str]]:
    """(SPEC for every MRD column or None, {column: SPEC}) from the --mrd-transform options."""
    given = getattr(args, "mrd_transform", None) or []
    given = [given] if isinstance(given, str) else list(given)
    every, per_column = None, {}
    for item in given:
        col, eq, spec = item.partition("=")
        if eq and not col.strip().lower().startswith(("log10", "cut")):
            per_column[col.strip()] = spec.strip()
        elif every is not None:
            raise UsageError("--mrd-transform: one SPEC for all MRD columns, or COLUMN=SPEC each")
        else:
            every = item.strip()
    return every, per_column


def with_mrd_transforms(table, args: argparse.Namespace):
    """``table`` with each MRD column it uses transformed, and the transform in its note."""
    every, per_column = _specs(args)
    frame, notes = None, []
    for col, role in _named(args):
        if col not in table.frame.columns:
            continue
        found = is_mrd_column(table.frame[col]) or looks_like_mrd(table.frame[col])
        if not (found or col in per_column):
            continue
        default = DEFAULT_COVARIATE if role == "covariates" else DEFAULT_GROUP
        spec = per_column.get(col) or every or default
        try:
            transform = parse_mrd_transform(spec)
        except ValueError as exc:
            raise UsageError(f"--mrd-transform: {exc}") from None
        frame = table.frame.copy() if frame is None else frame
        pids = frame["patient_id"].tolist() if "patient_id" in frame.columns else None
        frame[col] = mrd_covariate(frame[col], transform, column=col, source=table.source,
                                   rows=table.rows, patients=pids)  # fmt: skip
        notes.append(f"{col}: {transform.describe()}")
    unused = sorted(set(per_column) - {c for c, _ in _named(args)})
    if unused:
        raise UsageError(f"--mrd-transform names {', '.join(unused)}, which the command does "
                         "not use as a covariate, group or stratum")  # fmt: skip
    if frame is None:
        return table
    note = "; ".join(([table.note] if table.note else []) + notes)
    return replace(table, frame=frame, note=note)
