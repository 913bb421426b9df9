"""R's tie rule for times: merge values that are equal up to floating-point error.

Times computed by arithmetic (``days / 30.4375``, date differences in years,
``0.1 + 0.2``) can differ in their last bits although they are meant to be equal. R's
``survival`` (``timefix = TRUE``, the default of ``survfit``, ``survdiff`` and ``coxph``)
treats such values as tied, with the rule of its ``aeqSurv`` (survival 3.x, R/aeqSurv.R;
Therneau, "Roundoff error and tied times", survival package vignette ``tiedtimes``):

- take the sorted distinct finite values ``y_1 < ... < y_m`` of all times (exit and
  entry times together), and the tolerance ``tol = sqrt(machine epsilon)`` (1.49e-8);
- ``y_(i+1)`` is tied to its predecessor when ``y_(i+1) - y_i <= tol`` or
  ``(y_(i+1) - y_i) / mean(|y|) <= tol`` (the mean over the distinct values);
- every value is replaced by the first value of its run of tied values (the largest
  untied value at or below it, R's ``findInterval`` on the cut points).

Whole numbers (times in days) are never merged unless the mean of their absolute
values exceeds ``1 / tol`` (about 67 million), so integer days are unaffected; this
case is checked in O(n) without sorting (for an integer array from its minimum and
maximum alone, and the array is returned as it is, in its own dtype). ``exact=True`` in the front ends skips the rule
and compares times exactly.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["TOLERANCE", "TimeFix", "aeq_times", "TIMEFIX_RULE"]

#: R's default tolerance: ``sqrt(.Machine$double.eps)``.
TOLERANCE = float(np.sqrt(np.finfo(float).eps))

#: How the rule is described in results and JSON output.
TIMEFIX_RULE = "R aeqSurv: times within sqrt(eps) (absolute or relative to mean |t|) merged"


@dataclass(frozen=True)
class TimeFix:
    """What the tie rule did: ``applied`` (False: times compared exactly) and how many
    distinct values were merged into an earlier one (``merged``)."""

    applied: bool
    merged: int = 0

    def to_dict(self) -> dict[str, object]:
        return {"rule": TIMEFIX_RULE if self.applied else "exact", "merged": self.merged}


def aeq_times(
    time: np.ndarray, entry: np.ndarray | None = None, tolerance: float = TOLERANCE
) -> tuple[np.ndarray, np.ndarray | None, int]:
    """Times (and entry times) with near-equal values merged as R's ``aeqSurv``.

    Returns ``(time, entry, merged)``: new arrays when something was merged (the inputs
    otherwise) and the number of distinct values merged away. Raises ``ValueError``
    when merging would give an entry time equal to its exit time (R's "an interval has
    effective length 0").
    """
    time = np.asarray(time)
    if entry is None and time.dtype.kind in "iu":
        # integer days: only the extremes are needed, and the array is returned as it is
        if not len(time) or _whole_safe(int(time.min()), int(time.max()), tolerance):
            return time, entry, 0
    time = time.astype(np.float64, copy=False)
    both = time if entry is None else np.concatenate([time, np.asarray(entry, np.float64)])
    finite = both if np.isfinite(both).all() else both[np.isfinite(both)]
    if not len(finite) or _integer_safe(finite, tolerance):
        return time, entry, 0
    y = np.unique(finite)
    dy = np.diff(y)
    tied = (dy <= tolerance) | (dy / np.mean(np.abs(y)) <= tolerance)
    if not tied.any():
        return time, entry, 0
    cuts = y[np.concatenate([[True], ~tied])]
    new_time = _snap(time, cuts)
    new_entry = None
    if entry is not None:
        entry = np.asarray(entry, dtype=np.float64)
        new_entry = _snap(entry, cuts)
        if np.any((new_entry >= new_time) & (entry < time)):
            raise ValueError("an entry time and its exit time differ only by rounding error")
    return new_time, new_entry, int(tied.sum())


def _integer_safe(t: np.ndarray, tolerance: float) -> bool:
    """Whole numbers with mean |t| below 1/tol: distinct values differ by >= 1, so none
    can be tied (checked without sorting)."""
    if not np.all(t == np.floor(t)):
        return False
    return _whole_safe(float(t.min()), float(t.max()), tolerance)


def _whole_safe(lo: float, hi: float, tolerance: float) -> bool:
    """Whole numbers in ``[lo, hi]`` can never be tied (their mean |t| is below 1/tol)."""
    biggest = max(float(hi), -float(lo))
    return 1.0 > tolerance and biggest * tolerance < 1.0


def _snap(x: np.ndarray, cuts: np.ndarray) -> np.ndarray:
    idx = np.searchsorted(cuts, x, side="right") - 1
    out = cuts[np.maximum(idx, 0)]
    return np.where(np.isfinite(x), out, x)
