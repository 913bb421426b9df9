"""MRD results as laboratory values: a level with its qualifier.

A minimal residual disease (MRD) result is not a plain float. Reports read ``0.06``
(quantifiable, per cent of cells), ``<0.005`` (negative: no leukemic signal at the
assay's sensitivity of 0.005 %, i.e. 5x10^-5), ``PNQ`` or ``pos <0.01`` (positive, not
quantifiable: below the quantitative range) or ``N/A`` (missing). :class:`MRDValue`
keeps that meaning through the pipeline: a negative result is never coerced to its
sensitivity nor to NaN.

Levels are stored in per cent of nucleated cells (``0.01`` % = 1x10^-4).
Terminology follows van der Velden et al., Leukemia 2007;21:604-611 (EuroMRD guidelines
for interpretation of RQ-PCR data).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

__all__ = ["MRDQualifier", "MRDValue", "parse_mrd", "LogReduction", "log_reduction"]


class MRDQualifier(StrEnum):
    QUANTIFIABLE = "quantifiable"
    POSITIVE_NOT_QUANTIFIABLE = "positive_not_quantifiable"
    NEGATIVE = "negative"
    MISSING = "missing"


@dataclass(frozen=True)
class MRDValue:
    """An MRD result in per cent of cells.

    ``level`` is the measured level (quantifiable only). ``limit`` is the assay limit
    that qualifies the result: the sensitivity reached for a negative result, the lower
    end of the quantitative range for a positive-not-quantifiable one; ``None`` if not
    reported. ``markers`` names the Ig/TCR targets when known.
    """

    qualifier: MRDQualifier
    level: float | None = None
    limit: float | None = None
    markers: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        q = self.qualifier
        if q is MRDQualifier.QUANTIFIABLE:
            if self.level is None or not math.isfinite(self.level) or self.level <= 0:
                raise ValueError("a quantifiable MRD result needs a positive finite level")
        elif self.level is not None:
            raise ValueError(f"a {q.value} MRD result carries no level")
        if self.limit is not None and not (math.isfinite(self.limit) and self.limit > 0):
            raise ValueError("an MRD assay limit must be positive and finite")

    @classmethod
    def quantifiable(cls, level: float) -> MRDValue:
        return cls(MRDQualifier.QUANTIFIABLE, level=float(level))

    @classmethod
    def negative(cls, sensitivity: float | None = None) -> MRDValue:
        return cls(MRDQualifier.NEGATIVE, limit=sensitivity)

    @classmethod
    def pnq(cls, below: float | None = None) -> MRDValue:
        return cls(MRDQualifier.POSITIVE_NOT_QUANTIFIABLE, limit=below)

    @classmethod
    def missing(cls) -> MRDValue:
        return cls(MRDQualifier.MISSING)

    @property
    def is_missing(self) -> bool:
        return self.qualifier is MRDQualifier.MISSING

    @property
    def is_negative(self) -> bool:
        return self.qualifier is MRDQualifier.NEGATIVE

    @property
    def is_positive(self) -> bool:
        return self.qualifier in (
            MRDQualifier.QUANTIFIABLE,
            MRDQualifier.POSITIVE_NOT_QUANTIFIABLE,
        )

    def to_text(self) -> str:
        """Canonical text, parsed back to an equal value by :func:`parse_mrd`."""
        q = self.qualifier
        if q is MRDQualifier.QUANTIFIABLE:
            return _fmt(self.level)
        if q is MRDQualifier.NEGATIVE:
            return "<" + _fmt(self.limit) if self.limit is not None else "neg"
        if q is MRDQualifier.POSITIVE_NOT_QUANTIFIABLE:
            return "pos <" + _fmt(self.limit) if self.limit is not None else "PNQ"
        return ""

    def __str__(self) -> str:
        return self.to_text() or "N/A"


def _fmt(x: float | None) -> str:
    return repr(float(x)).removesuffix(".0") if x is not None else ""


_MISSING = {"", "na", "n/a", "nan", "none", "null", "not available", "nd", "not done", "-"}
_NEG = {"neg", "negative", "mrd-", "mrd neg", "undetectable", "not detected"}
_PNQ = {"pnq", "positive not quantifiable", "positive, not quantifiable", "pos", "positive"}
_MAX_EXPONENT = 300
_NUM = r"(\d+(?:\.\d*)?|\.\d+)(?:e([+-]?\d+))?"
_SCI = re.compile(r"^(\d+(?:\.\d*)?)\s*[x\u00d7\*]\s*10\s*(?:\^|e)?\s*([-\u2212]?\s*\d+)$")
_PLAIN = re.compile(rf"^{_NUM}\s*(%)?$", re.IGNORECASE)


def _number(text: str, unit: str) -> float:
    """Parse a level; return per cent. ``AxB10-N`` notation is always a fraction of cells."""
    t = text.strip().replace(",", ".")
    m = _SCI.match(t)
    if m:
        exp = int(m.group(2).replace("\u2212", "-").replace(" ", ""))
        if abs(exp) > _MAX_EXPONENT:  # 10^400 is no level, and no float either
            raise ValueError(f"MRD level out of range 0-100 %: {text!r}")
        # decimal arithmetic: 6x10-4 is 0.06 %, not 6 * 1e-4 * 100 = 0.060000000000000005
        return float(Decimal(m.group(1)) * Decimal(10) ** exp * 100)
    m = _PLAIN.match(t)
    if not m:
        if re.match(rf"^-\s*{_NUM}\s*%?$", t, re.IGNORECASE):
            raise ValueError(f"MRD level out of range 0-100 %: {text!r}")
        raise ValueError(f"not an MRD level: {text!r} (expected e.g. 0.06, <0.005, PNQ, N/A)")
    value = t.rstrip("%").strip()
    if m.group(3) or unit != "fraction":  # an explicit % sign wins over the column's unit
        return float(value)
    return float(Decimal(value) * 100)


def parse_mrd(text: object, unit: str = "percent") -> MRDValue:
    """Read an MRD result as clinicians write it.

    ``unit`` is the column's unit for bare numbers: ``"percent"`` (``0.06`` is 0.06 %) or
    ``"fraction"`` (``6e-4`` is 0.06 %). A trailing ``%`` always means per cent and
    ``5x10-5`` notation always means a fraction of cells. Recognised forms: ``0.06``,
    ``0.06%``, ``6e-4``, ``<0.005`` and ``<5x10-5`` (negative at that sensitivity),
    ``neg``, ``PNQ``, ``pos <0.01`` (positive below the quantitative range), and
    ``N/A``/empty (missing). Raises :class:`ValueError` for anything else.
    """
    if unit not in ("percent", "fraction"):
        raise ValueError(f"unit must be 'percent' or 'fraction', not {unit!r}")
    if isinstance(text, MRDValue):
        return text
    if text is None or (isinstance(text, float) and math.isnan(text)):
        return MRDValue.missing()
    if isinstance(text, int | float) and not isinstance(text, bool):
        level = float(text) * (100.0 if unit == "fraction" else 1.0)
        return _checked_level(level, text)
    t = " ".join(str(text).strip().split())
    low = t.lower()
    _refuse_failed_run(t)
    if low in _MISSING:
        return MRDValue.missing()
    if low in _NEG:
        return MRDValue.negative()
    if low in _PNQ:
        return MRDValue.pnq()
    for prefix in ("pos <", "pos<", "positive <", "pnq <", "pnq<", "<pq", "pos below "):
        if low.startswith(prefix):
            return MRDValue.pnq(_number(t[len(prefix) :], unit))
    for prefix in ("neg <", "neg<", "negative <", "<"):
        if low.startswith(prefix):
            return MRDValue.negative(_number(t[len(prefix) :], unit))
    return _checked_level(_number(t, unit), text)


def _refuse_failed_run(t: str) -> None:
    """A result reported as "run not accepted: <reason>" (remission.mrd) has no value."""
    if t.lower().startswith("run not accepted"):
        raise ValueError(
            f"{t!r} is the result of an RQ-PCR run that failed acceptance: it has no MRD "
            "value and cannot be used (repeat the run or record the result as missing)"
        )


def _checked_level(level: float, raw: object) -> MRDValue:
    if not math.isfinite(level) or level < 0 or level > 100:
        raise ValueError(f"MRD level out of range 0-100 %: {raw!r}")
    if level == 0:
        return MRDValue.negative()
    return MRDValue.quantifiable(level)


@dataclass(frozen=True)
class LogReduction:
    """A log10 reduction of MRD with its bound.

    ``bound`` is ``"exact"`` (both quantifiable), ``"at_least"`` (post result is negative
    or below the quantitative range: the reduction is at least ``value``, computed
    against the assay limit) or ``"unknown"`` (not computable; ``value`` is ``None``).
    """

    value: float | None
    bound: str
    reason: str = ""

    def __str__(self) -> str:
        if self.value is None:
            return "not evaluable"
        return f"{'>=' if self.bound == 'at_least' else ''}{self.value:.2f}"


def log_reduction(pre: MRDValue, post: MRDValue) -> LogReduction:
    """log10(pre / post), honouring qualifiers.

    From 0.3 % to ``<0.005`` the reduction is at least log10(0.3 / 0.005) = 1.78.
    """
    if pre.qualifier is not MRDQualifier.QUANTIFIABLE:
        return LogReduction(None, "unknown", f"pre-treatment MRD is {pre.qualifier.value}")
    if post.qualifier is MRDQualifier.QUANTIFIABLE:
        return LogReduction(math.log10(pre.level / post.level), "exact")
    if post.qualifier is MRDQualifier.MISSING:
        return LogReduction(None, "unknown", "post-treatment MRD is missing")
    if post.limit is None:
        return LogReduction(None, "unknown", f"post-treatment MRD is {post} with no limit")
    return LogReduction(math.log10(pre.level / post.limit), "at_least")
