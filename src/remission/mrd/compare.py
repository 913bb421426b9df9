"""Comparing two MRD results without pretending a qualified value is a number.

A negative result at sensitivity L says the level is below L; a positive-not-
quantifiable result below the quantitative-range limit L says it is below L (and above
zero). Two results are ordered only when the qualifiers allow it:

- both quantifiable: by level;
- quantifiable ``a`` against a negative or positive-not-quantifiable ``b`` with limit
  ``L``: ``a`` is higher when ``a.level >= L``; otherwise the order is unknown;
- anything with a missing value, a limit that is not stated, or two bounded values:
  unknown (a positive-not-quantifiable result is not "higher" than a negative one in
  level, only in detection; compare qualifiers for that).
"""

from __future__ import annotations

from enum import StrEnum

from remission.cohort.mrdvalue import MRDQualifier, MRDValue

__all__ = ["Order", "compare_mrd"]


class Order(StrEnum):
    HIGHER = "higher"
    LOWER = "lower"
    EQUAL = "equal"
    UNKNOWN = "unknown"


_FLIP = {Order.HIGHER: Order.LOWER, Order.LOWER: Order.HIGHER}


def compare_mrd(a: MRDValue, b: MRDValue) -> Order:
    """Is ``a`` higher, lower or equal to ``b`` in MRD level, or can it not be told?"""
    q = MRDQualifier.QUANTIFIABLE
    if a.qualifier is q and b.qualifier is q:
        if a.level == b.level:
            return Order.EQUAL
        return Order.HIGHER if a.level > b.level else Order.LOWER
    if a.qualifier is q:
        return _against_bound(a, b)
    if b.qualifier is q:
        r = _against_bound(b, a)
        return _FLIP.get(r, r)
    return Order.UNKNOWN


def _against_bound(a: MRDValue, b: MRDValue) -> Order:
    bounded = (MRDQualifier.NEGATIVE, MRDQualifier.POSITIVE_NOT_QUANTIFIABLE)
    if b.qualifier in bounded and b.limit is not None and a.level >= b.limit:
        return Order.HIGHER
    return Order.UNKNOWN
