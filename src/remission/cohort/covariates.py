"""MRD results as model covariates and groups: a stated transform, never one level per value.

An MRD column holds :class:`~remission.cohort.mrdvalue.MRDValue` results (a level, or
negative at a sensitivity, or positive below the quantitative range). Used as a Cox
covariate or a grouping column it enters through one of two transforms
(:func:`parse_mrd_transform` reads them from text such as ``--mrd-transform``):

``log10`` (also ``log10:L``)
    a number: ``log10`` of the level in per cent. A negative result enters at its
    sensitivity (``<0.005`` -> log10(0.005)) and a positive-not-quantifiable one at the
    lower end of the quantitative range it reports (``pos <0.01`` -> log10(0.01)): both
    are upper bounds of the true level, the usual convention for MRD below the
    detection or quantification limit (van der Velden et al., Leukemia 2007;21:604-611).
    A result that states no limit enters at ``L`` per cent when ``log10:L`` is given;
    without ``L`` a bare ``PNQ`` enters at 0.01 % (:data:`PNQ_LIMIT`, the lower end of the
    usual quantitative range of 10^-4) and a bare ``neg`` is a problem naming its row (its
    sensitivity, 10^-4 to 10^-5 in practice, cannot be guessed).

``cut:c1,c2,...``
    ordered categories: ``negative``, ``<c1%``, ``c1-<c2%``, ..., ``>=ck%``, with
    ``negative`` the reference (first) level. A quantifiable level x falls in the
    category whose interval holds it (a cut-point belongs to the upper category); a
    positive-not-quantifiable result below L (a bare ``PNQ``: below 0.01 %) falls in
    ``<c1%`` when L <= c1, and is a problem otherwise (its category cannot be known).

A missing result is missing after either transform, never a level: the model then
excludes the row (complete-case analysis, as R's ``na.action = na.omit``), and the
number excluded is reported by the statistics layer.
"""

from __future__ import annotations

import math
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from remission.cohort.mrdvalue import MRDQualifier, MRDValue, parse_mrd
from remission.cohort.problems import InputError, Problem

__all__ = [
    "MRDTransform",
    "parse_mrd_transform",
    "is_mrd_column",
    "looks_like_mrd",
    "mrd_covariate",
    "NEGATIVE_LEVEL",
    "PNQ_LIMIT",
]

NEGATIVE_LEVEL = "negative"
#: Per-cent level below which a positive-not-quantifiable result that states no limit is
#: taken to lie: the lower end of the usual quantitative range (10^-4; EuroMRD).
PNQ_LIMIT = 0.01
_SYNTAX = "log10, log10:L (per cent for results without a limit) or cut:c1[,c2...] (per cent)"


@dataclass(frozen=True)
class MRDTransform:
    """``kind`` is ``"log10"`` or ``"cut"``; ``cuts`` ascending per-cent cut-points;
    ``default_limit`` the per-cent level of a log10 result that states no limit."""

    kind: str
    cuts: tuple[float, ...] = ()
    default_limit: float | None = None

    def labels(self) -> tuple[str, ...]:
        """The ordered category labels of a ``cut`` transform (reference first)."""
        c = [_pct(x) for x in self.cuts]
        middle = [f"{a}-<{b}%" for a, b in zip(c, c[1:], strict=False)]
        return (NEGATIVE_LEVEL, f"<{c[0]}%", *middle, f">={c[-1]}%")

    def describe(self) -> str:
        if self.kind == "log10":
            extra = "" if self.default_limit is None else (
                f"; a result without a stated limit at {_pct(self.default_limit)}%")  # fmt: skip
            return ("log10 of the MRD level in %, negative results at their sensitivity and "
                    "positive-not-quantifiable ones at their quantitative limit (a bare PNQ "
                    f"at {_pct(PNQ_LIMIT)}%)" + extra)  # fmt: skip
        return "MRD categories " + " / ".join(self.labels()) + " (reference: negative)"


def _pct(x: float) -> str:
    return format(x, "g")


def parse_mrd_transform(text: str) -> MRDTransform:
    """``"log10"``, ``"log10:0.001"``, ``"cut:0.01"``, ``"cut:0.01,0.1"``; ValueError if not."""
    kind, _, rest = str(text).strip().lower().partition(":")
    try:
        numbers = [float(x) for x in rest.split(",")] if rest.strip() else []
    except ValueError:
        raise ValueError(
            f"{text!r}: the numbers after ':' are not numbers; expected {_SYNTAX}"
        ) from None
    if any(not (math.isfinite(x) and 0 < x <= 100) for x in numbers):
        raise ValueError(f"{text!r}: levels are per cent, above 0 and at most 100")
    if kind == "log10" and len(numbers) <= 1:
        return MRDTransform("log10", default_limit=numbers[0] if numbers else None)
    if kind == "cut" and numbers and numbers == sorted(set(numbers)):
        return MRDTransform("cut", cuts=tuple(numbers))
    raise ValueError(f"{text!r} is not an MRD transform; expected {_SYNTAX} "
                     "(cut-points ascending, none repeated)")  # fmt: skip


def is_mrd_column(values: pd.Series) -> bool:
    """Whether a column holds MRD results (MRDValue objects)."""
    return values.dtype == object and any(isinstance(v, MRDValue) for v in values)


_NOTATION = ("<", "neg", "pnq", "pos", "mrd", "undetectable", "not detected")


def looks_like_mrd(values: pd.Series) -> bool:
    """Whether a text column is MRD results written as text: every value reads as one
    (:func:`~remission.cohort.mrdvalue.parse_mrd`) and at least one uses MRD notation
    (``<0.005``, ``neg``, ``PNQ``, ``pos <0.01``), so a plain number column is not one."""
    if values.dtype != object:
        return False
    notation = False
    for v in values.dropna().unique():
        if not isinstance(v, str):
            if isinstance(v, bool) or not isinstance(v, int | float):
                return False
            continue
        try:
            parse_mrd(v)
        except ValueError:
            return False
        notation = notation or v.strip().lower().startswith(_NOTATION)
    return notation


def _log10(v: MRDValue, t: MRDTransform) -> float | None:
    if v.qualifier is MRDQualifier.QUANTIFIABLE:
        return math.log10(v.level)  # type: ignore[arg-type]
    limit = v.limit if v.limit is not None else t.default_limit
    if limit is None and v.qualifier is MRDQualifier.POSITIVE_NOT_QUANTIFIABLE:
        limit = PNQ_LIMIT
    return None if limit is None else math.log10(limit)


def _category(v: MRDValue, t: MRDTransform) -> str | None:
    labels = t.labels()
    if v.qualifier is MRDQualifier.NEGATIVE:
        return NEGATIVE_LEVEL
    if v.qualifier is MRDQualifier.QUANTIFIABLE:
        return labels[1 + bisect_right(t.cuts, v.level)]
    if (v.limit if v.limit is not None else PNQ_LIMIT) <= t.cuts[0]:
        return labels[1]
    return None


def mrd_covariate(
    values: pd.Series,
    transform: MRDTransform,
    *,
    column: str,
    source: str = "data frame",
    rows: Sequence[int] | None = None,
    patients: Sequence[object] | None = None,
) -> pd.Series:
    """The transformed column: floats (NaN missing) or an ordered Categorical (NaN missing).

    ``values`` holds MRDValue objects or MRD results as text (read by ``parse_mrd``).

    InputError naming row, patient, column and value for every result that cannot be
    placed (a log10 result without a limit and no default; an ambiguous PNQ for ``cut``).
    """
    rows = list(rows) if rows is not None else list(range(2, len(values) + 2))
    problems, out = [], []
    for i, v in enumerate(values):
        if not isinstance(v, MRDValue):
            v = MRDValue.missing() if v is None or (isinstance(v, float) and math.isnan(v)) else v
        if isinstance(v, str):
            try:
                v = parse_mrd(v)
            except ValueError:
                pass
        if not isinstance(v, MRDValue):
            problems.append(Problem(source, "not an MRD result", row=rows[i], column=column,
                                    value=v, expected="an MRD result such as 0.06 or <0.005"))  # fmt: skip
            out.append(None)
            continue
        if v.is_missing:
            out.append(None)
            continue
        got = _log10(v, transform) if transform.kind == "log10" else _category(v, transform)
        if got is None:
            problems.append(_unplaced(v, transform, source, rows[i], column, patients, i))
        out.append(got)
    if problems:
        raise InputError(problems)
    if transform.kind == "log10":
        return pd.Series([np.nan if x is None else x for x in out], index=values.index, dtype=float)
    cat = pd.Categorical(out, categories=list(transform.labels()), ordered=True)
    return pd.Series(cat, index=values.index)


def _unplaced(v, t, source, row, column, patients, i) -> Problem:
    pid = None if patients is None else str(patients[i])
    if t.kind == "log10":
        return Problem(source, "negative MRD result states no sensitivity, so log10 has no "
                       "value for it",
                       row=row, patient_id=pid, column=column, value=str(v),
                       expected="a negative result with its sensitivity (<0.005) or a level "
                                "for such results: --mrd-transform log10:L (L in %)")  # fmt: skip
    return Problem(source, "positive-not-quantifiable result cannot be placed among the "
                   "cut-points", row=row, patient_id=pid, column=column, value=str(v),
                   expected=f"a stated limit at or below {_pct(t.cuts[0])}% (a bare PNQ is "
                            f"below {_pct(PNQ_LIMIT)}%), or the log10 transform")  # fmt: skip
