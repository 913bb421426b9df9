"""One policy for printing numbers in the report (text, HTML and CSV alike).

Rules (the conventions of clinical journals, e.g. the AMA Manual of Style, 11th ed.,
section 19 and the NEJM/Blood author instructions):

- Rounding is half away from zero on the decimal value (``47.5`` -> ``48``), never the
  banker's rounding of Python's ``round``; a published "47 %" is compared with a
  computed proportion by this same rule (:func:`round_half_up`).
- Percentages: whole numbers by default, a space before the sign: ``47 %``.
- Confidence intervals: ``47 % (95 % CI 18-72)``; a range with a negative bound is
  written with "to" (``-1.2 to 3.4``) so the minus sign is not read as a dash.
- P values: ``<0.001`` below 0.001; three decimals below 0.1; two decimals otherwise;
  ``>0.99`` above 0.99.
- Medians: ``0.5 (0.2-2.9)`` (median (range)), ``[IQR 0.3-0.8]`` when asked.
- Times: stored in days; months are days / 30.4375 and years days / 365.25 (the Julian
  year; the same constants as :mod:`remission.endpoints`).
- Lower bounds: a log reduction that is only known to be at least ``x`` is printed
  ``\u22651.78`` (the sign ≥), never as if it were exact.
- Missing values print as ``N/A`` (the letter's own notation).
- Summary statistics of Table 1 (medians, quartiles, ranges): two significant digits, but
  never fewer than the whole number (``0.01375`` -> ``0.014``, ``2.94`` -> ``2.9``,
  ``13.99`` -> ``14``, ``123.4`` -> ``123``), :func:`sig`; the digits of a variable
  declared with fixed decimals (e.g. age in years to 2 decimals) win over this rule.
  The rule is gtsummary's default for continuous summaries (``style_sigfig``).
- Journal p-value styles (:data:`P_STYLES`, :func:`p_value` ``style=``), see
  ``docs/report.md`` for each rule and its source.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from decimal import ROUND_HALF_UP, Decimal

import numpy as np

__all__ = [
    "DAYS_PER_MONTH",
    "DAYS_PER_YEAR",
    "MISSING",
    "round_half_up",
    "number",
    "percent",
    "percent_ci",
    "count_percent",
    "value_range",
    "median_range",
    "p_value",
    "convert_days",
    "time_unit_label",
    "at_least",
    "is_missing",
    "sig",
    "P_STYLES",
    "thousands",
]

DAYS_PER_YEAR = 365.25
DAYS_PER_MONTH = DAYS_PER_YEAR / 12.0  # 30.4375
MISSING = "N/A"

_UNITS = {"days": 1.0, "months": DAYS_PER_MONTH, "years": DAYS_PER_YEAR}


def is_missing(x: object) -> bool:
    """True for ``None`` and NaN (the only two spellings of a missing number here)."""
    if x is None:
        return True
    try:
        return bool(math.isnan(x))  # type: ignore[arg-type]
    except TypeError:
        return False


def round_half_up(x: float, digits: int = 0) -> float:
    """Round half away from zero on the shortest decimal repr of ``x`` (``2.675`` -> 2.68)."""
    q = Decimal(1).scaleb(-digits)
    return float(Decimal(repr(float(x))).quantize(q, rounding=ROUND_HALF_UP))


def number(x: float | None, digits: int | None = None) -> str:
    """A number with ``digits`` decimals; ``None``: at most 4 significant digits, no zeros.

    ``number(0.06)`` -> ``"0.06"``, ``number(267.0)`` -> ``"267"``,
    ``number(0.052500000000000005)`` -> ``"0.0525"``, ``number(1.777, 2)`` -> ``"1.78"``.
    """
    if is_missing(x):
        return MISSING
    if digits is None:
        v = float(x)  # type: ignore[arg-type]
        if v.is_integer():
            return str(int(v))
        sig = max(4, len(str(int(abs(v)))) + 1)
        return np.format_float_positional(v, precision=sig, unique=True, fractional=False, trim="-")
    r = round_half_up(float(x), digits)  # type: ignore[arg-type]
    text = f"{r:.{digits}f}"
    return "0" + text[2:] if text.startswith("-0") and float(text) == 0 else text


def percent(p: float | None, digits: int = 0) -> str:
    """A proportion ``p`` in [0, 1] as a percentage: ``percent(0.4667)`` -> ``"47 %"``."""
    if is_missing(p):
        return MISSING
    return f"{number(100.0 * float(p), digits)} %"  # type: ignore[arg-type]


def _span(lo: str, hi: str) -> str:
    return f"{lo} to {hi}" if lo.startswith("-") or hi.startswith("-") else f"{lo}-{hi}"


def percent_ci(
    p: float | None,
    lower: float | None,
    upper: float | None,
    level: float = 0.95,
    digits: int = 0,
) -> str:
    """``percent_ci(0.467, 0.18, 0.72)`` -> ``"47 % (95 % CI 18-72)"``."""
    if is_missing(p):
        return MISSING
    head = percent(p, digits)
    if is_missing(lower) or is_missing(upper):
        return head
    lv = number(100.0 * level, None if (100 * level).is_integer() else 1)
    lo = number(100.0 * float(lower), digits)  # type: ignore[arg-type]
    hi = number(100.0 * float(upper), digits)  # type: ignore[arg-type]
    return f"{head} ({lv} % CI {_span(lo, hi)})"


def count_percent(n: int, total: int, digits: int = 0) -> str:
    """``count_percent(3, 11)`` -> ``"3 (27 %)"``; ``"0 (0 %)"``; total 0 -> ``"0"``."""
    if total <= 0:
        return str(n)
    return f"{n} ({number(100.0 * n / total, digits)} %)"


def value_range(lo: float | None, hi: float | None, digits: int | None = None) -> str:
    """``value_range(34, 119)`` -> ``"34-119"``."""
    if is_missing(lo) or is_missing(hi):
        return MISSING
    return _span(number(lo, digits), number(hi, digits))


def _clean(values: Iterable[float | None]) -> np.ndarray:
    return np.array([float(v) for v in values if not is_missing(v)], dtype=float)


def median_range(
    values: Sequence[float | None] | np.ndarray,
    digits: int | None = None,
    iqr: bool = False,
) -> str:
    """Median (range) of the non-missing values, optionally with ``[IQR q1-q3]``.

    Quartiles are R's default type 7 (``numpy.percentile`` linear). ``N/A`` if empty.
    """
    v = _clean(values)
    if len(v) == 0:
        return MISSING
    text = f"{number(float(np.median(v)), digits)} ({value_range(v.min(), v.max(), digits)})"
    if iqr:
        q1, q3 = np.percentile(v, [25, 75])
        text += f" [IQR {value_range(q1, q3, digits)}]"
    return text


def sig(x: float | None, digits: int = 2) -> str:
    """``digits`` significant digits, never fewer than the integer part (see module rules)."""
    if is_missing(x):
        return MISSING
    v = float(x)  # type: ignore[arg-type]
    if v == 0:
        return "0"
    decimals = max(0, digits - 1 - math.floor(math.log10(abs(v))))
    return number(v, decimals)


def thousands(n: int) -> str:
    """A count with a thousands separator: ``thousands(3000)`` -> ``"3,000"``."""
    return f"{int(n):,}"


#: Journal p-value styles: name -> description (rules and sources in docs/report.md).
P_STYLES: dict[str, str] = {
    "default": "<0.001; 3 decimals below 0.1; 2 decimals otherwise; >0.99",
    "nejm": "2 decimals above 0.01, 3 decimals from 0.001 to 0.01, <0.001 below",
    "jama": "AMA style: no leading zero; 2 digits, 3 below .01; <.001; >.99",
    "lancet": "2 significant figures, mid-line decimal point (0\u00b7013); p<0\u00b70001 below",
    "blood": "no leading zero; 2 digits, 3 below .01; <.001 (as printed in Blood)",
}


def _p_nejm(p: float) -> str:
    if p < 0.001:
        return "<0.001"
    if p > 0.99:
        return ">0.99"
    return number(p, 3) if p < 0.01 else number(p, 2)


def _p_ama(p: float) -> str:
    if p < 0.001:
        return "<.001"
    if p > 0.99:
        return ">.99"
    text = number(p, 3) if p < 0.01 else number(p, 2)
    return text[1:] if text.startswith("0.") else text


def _p_lancet(p: float) -> str:
    if p < 0.0001:
        return "<0\u00b70001"
    text = ">0.99" if p > 0.99 else sig(p, 2)
    return text.replace(".", "\u00b7")


def p_value(p: float | None, style: str = "default") -> str:
    """``<0.001``, ``0.047``, ``0.12``, ``>0.99`` (see module rules); ``style`` a journal's.

    ``p_value(0.0042, "jama")`` -> ``".004"``; ``p_value(0.013, "lancet")`` -> ``"0\u00b7013"``.
    """
    if is_missing(p):
        return MISSING
    p = float(p)  # type: ignore[arg-type]
    if style not in P_STYLES:
        raise ValueError(f"p-value style must be one of {', '.join(P_STYLES)}, not {style!r}")
    if style == "nejm":
        return _p_nejm(p)
    if style in ("jama", "blood"):
        return _p_ama(p)
    if style == "lancet":
        return _p_lancet(p)
    if p < 0.001:
        return "<0.001"
    if p > 0.99:
        return ">0.99"
    if p < 0.1:
        return number(p, 3)
    return number(p, 2)


def p_equals(p: float | None, style: str = "default") -> str:
    """``p = 0.03`` or ``p < 0.001``: :func:`p_value` after ``p`` in a sentence."""
    text = p_value(p, style)
    return f"p {text[0]} {text[1:]}" if text[:1] in "<>" else f"p = {text}"


def convert_days(days: float | None, unit: str) -> float | None:
    """Days to ``"days"``, ``"months"`` (/30.4375) or ``"years"`` (/365.25)."""
    if unit not in _UNITS:
        raise ValueError(f"unit must be one of {', '.join(_UNITS)}, not {unit!r}")
    if is_missing(days):
        return None
    return float(days) / _UNITS[unit]  # type: ignore[arg-type]


def time_unit_label(unit: str) -> str:
    """Axis and column label of a time unit, with its definition."""
    return {
        "days": "days",
        "months": "months (days / 30.4375)",
        "years": "years (days / 365.25)",
    }[unit]


def at_least(value: float | None, bound: str, digits: int = 2) -> str:
    """A value that may be a lower bound: ``at_least(1.778, "at_least")`` -> ``"\u22651.78"``.

    ``bound`` is ``"exact"``, ``"at_least"`` or ``"unknown"`` (as
    :class:`remission.cohort.mrdvalue.LogReduction`); unknown prints ``not evaluable``.
    """
    if bound == "unknown" or is_missing(value):
        return "not evaluable"
    text = number(value, digits)
    return ("\u2265" + text) if bound == "at_least" else text


#: how the built-in origins read in a sentence; any other origin (a study's intervention
#: or named origin) reads as ``NAME start``
ORIGIN_LABELS = {"hsct": "HSCT", "diagnosis": "diagnosis"}


def origin_label(origin: str) -> str:
    """``hsct`` -> ``HSCT``; an intervention ``NAME`` -> ``NAME start``."""
    return ORIGIN_LABELS.get(origin, f"{origin} start")
