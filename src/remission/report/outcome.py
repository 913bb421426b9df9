"""The time-to-event table of the report: n, events, median with CI, landmark estimates.

One row per endpoint (and group): n, events, the median in the report's time unit with
its 95 % CI (``not reached``; ``NR`` for an open bound), and the Kaplan-Meier or
cumulative-incidence estimate with its 95 % CI at each landmark, in per cent. CIR and NRM
rows give the events of their cause and the competing events. The time unit is stated
once, in the caption. Presentation only: it reads the ``numbers`` of
:class:`remission.report.results.ReportData`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd

from remission.report import format as fmt

__all__ = ["survival_frame"]


def _landmark_head(days: float) -> str:
    years = days / fmt.DAYS_PER_YEAR
    if abs(years - round(years)) < 1e-9:
        return f"{round(years)}-year, % (95 % CI)"
    return f"{fmt.number(days / fmt.DAYS_PER_MONTH, 0)}-month, % (95 % CI)"


def _pct_ci(est: float | None, lo: float | None, hi: float | None) -> str:
    """``47 (18–72)`` (per cent) for a table whose column says ``% (95 % CI)``."""
    if fmt.is_missing(est):
        return fmt.MISSING
    head = fmt.number(100 * float(est), 0)
    if fmt.is_missing(lo) or fmt.is_missing(hi):
        return head
    return f"{head} ({fmt.number(100 * float(lo), 0)}\u2013{fmt.number(100 * float(hi), 0)})"


def _median_text(med: Mapping, unit: str) -> str:
    """Median with its CI in ``unit``; ``not reached`` (and ``NR`` for an open bound)."""
    if med.get("time") is None:
        return "not reached"

    def t(x: float | None) -> str:
        return "NR" if x is None else fmt.sig(fmt.convert_days(x, unit), 2)

    if med.get("lower") is None and med.get("upper") is None:
        return t(med["time"])
    return f"{t(med['time'])} ({t(med.get('lower'))}\u2013{t(med.get('upper'))})"


def _km_rows(d: Mapping, unit: str, heads: Sequence[str]) -> list[dict]:
    rows = []
    for g in d["groups"]:
        group = "" if g["group"] == "all" else f", {g['group']}"
        row = {"Endpoint": d["endpoint"] + group, "From": fmt.origin_label(d["origin"]),
               "n": fmt.thousands(g["n"]), "Events": fmt.thousands(g["events"]),
               f"Median, {unit} (95 % CI)": _median_text(g["median"], unit)}  # fmt: skip
        for head, a in zip(heads, g["at"], strict=False):
            row[head] = _pct_ci(a["survival"], a["lower"], a["upper"])
        rows.append(row)
    return rows


def _cif_row(d: Mapping, unit: str, heads: Sequence[str]) -> dict | None:
    cause = next((c for c in d["causes"] if str(c["cause"]) == "1"), None)
    if cause is None:
        return None
    events = d.get("events", {})
    other = sum(v for k, v in events.items() if k != "1")
    row = {"Endpoint": d["endpoint"], "From": fmt.origin_label(d["origin"]),
           "n": fmt.thousands(d["n"]) if "n" in d else "",
           "Events": (f"{fmt.thousands(events.get('1', 0))} (competing {fmt.thousands(other)})"
                      if events else ""),
           f"Median, {unit} (95 % CI)": "\u2013"}  # fmt: skip
    for head, a in zip(heads, cause["at"], strict=False):
        row[head] = _pct_ci(a["estimate"], a["lower"], a["upper"])
    return row


def survival_frame(numbers: Mapping) -> tuple[pd.DataFrame, str]:
    """The time-to-event table (one row per endpoint and group) and its caption."""
    unit = numbers.get("unit", "months")
    blocks = [d for d in numbers.get("survival", {}).values() if d]
    comp = [d for d in numbers.get("competing", {}).values() if d]
    first = blocks[0]["groups"][0]["at"] if blocks else (comp[0]["causes"][0]["at"] if comp else [])
    heads = [_landmark_head(a["time"]) for a in first]
    rows = [r for d in blocks for r in _km_rows(d, unit, heads)]
    rows += [r for r in (_cif_row(d, unit, heads) for d in comp) if r]
    caption = (f"Time-to-event estimates. Times in {fmt.time_unit_label(unit)}. Kaplan-Meier "
               "with log-log 95 % CI; cumulative incidence by Aalen-Johansen with competing "
               "events (relapse vs death without relapse); the median of a cumulative "
               "incidence is not given (\u2013); NR, not reached.")  # fmt: skip
    return pd.DataFrame(rows).fillna(""), caption
