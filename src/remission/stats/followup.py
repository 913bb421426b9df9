"""Median follow-up: reverse Kaplan-Meier, and the plain summary among those alive.

Reverse Kaplan-Meier (Schemper & Smith 1996, Control Clin Trials 17:343-346): the
Kaplan-Meier estimate with the roles of event and censoring swapped, so that censoring
is the "event" and death (or any event) censors follow-up. Its median, with the
Brookmeyer-Crowley limits of :mod:`remission.stats.quantiles`, is the median potential
follow-up. It equals R's ``quantile(survfit(Surv(time, 1 - status) ~ 1), 0.5)``; at a
time with both, R's reversed data put the original censorings (now events) before the
original events (now censorings), which is exactly the count table with its event and
censoring columns swapped.

The plain form (as the seed letter reports it) is the median, minimum and maximum of
the follow-up times of those alive (event status 0), the median being the average of
the two middle values for an even number.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from remission.stats.counts import CountTable
from remission.stats.frontend import survival_data
from remission.stats.km import check_conf, km_from_counts
from remission.stats.results_km import QuantileEstimate, clean

__all__ = ["FollowupResult", "followup", "followup_from_counts", "reverse_counts"]


@dataclass(frozen=True)
class FollowupResult:
    """Median follow-up by reverse Kaplan-Meier, and the summary of those alive."""

    reverse_km_median: QuantileEstimate
    n_alive: int
    alive_median: float | None
    alive_min: float | None
    alive_max: float | None
    conf_type: str
    conf_level: float
    excluded: tuple[tuple[int, str], ...] = field(default=())

    def to_dict(self) -> dict[str, object]:
        """The JSON shape of ``remission followup --json`` (issue 3)."""
        return {
            "reverse_km_median": self.reverse_km_median.to_dict(),
            "alive": {
                "n": self.n_alive,
                "median": self.alive_median,
                "min": self.alive_min,
                "max": self.alive_max,
            },
            "conf_type": self.conf_type,
            "conf_level": self.conf_level,
            "n_excluded": len(self.excluded),
            "excluded": [{"row": r, "reason": why} for r, why in self.excluded],
        }


def reverse_counts(table: CountTable) -> CountTable:
    """The count table of the reversed data: censorings become events and vice versa."""
    return CountTable(
        group=table.group,
        time=table.time,
        n_risk=table.n_risk,
        n_event=table.n_censor.reshape(-1, 1),
        n_censor=table.events,
        n_enter=table.n_enter,
        group_labels=table.group_labels,
        causes=(1,),
    )


def followup_from_counts(
    table: CountTable, conf_type: str = "log-log", conf_level: float = 0.95
) -> QuantileEstimate:
    """Reverse Kaplan-Meier median follow-up of a one-group count table (the worker)."""
    return (
        km_from_counts(reverse_counts(table.collapse()), conf_type, conf_level).groups[0].median()
    )


def alive_from_counts(table: CountTable) -> tuple[int, ...]:
    """Number, median, minimum and maximum of the censored times of a count table
    (the same numbers as from the rows: each time repeated by its censorings)."""
    t = table.collapse()
    m = t.n_censor > 0
    times, w = t.time[m], t.n_censor[m]
    n = int(w.sum())
    if n == 0:
        return 0, None, None, None  # type: ignore[return-value]
    cum = np.cumsum(w)
    lo = times[np.searchsorted(cum, (n - 1) // 2, side="right")]
    hi = times[np.searchsorted(cum, n // 2, side="right")]
    median = float(lo) if n % 2 else (float(lo) + float(hi)) / 2
    return n, clean(median), clean(float(times[0])), clean(float(times[-1]))  # type: ignore[return-value]


def followup_result_from_counts(
    table: CountTable,
    conf_type: str = "log-log",
    conf_level: float = 0.95,
    excluded: tuple[tuple[int, str], ...] = (),
) -> FollowupResult:
    """:func:`followup` on a count table (counted by an engine or pooled over centres)."""
    check_conf(conf_type, conf_level)
    median = followup_from_counts(table, conf_type, conf_level)
    n, med, lo, hi = alive_from_counts(table)
    return FollowupResult(median, n, med, lo, hi, conf_type, float(conf_level), tuple(excluded))  # type: ignore[arg-type]


def _alive_summary(time: np.ndarray, event: np.ndarray) -> tuple[int, ...]:
    alive = np.sort(time[event == 0])
    if len(alive) == 0:
        return 0, None, None, None  # type: ignore[return-value]
    return (
        len(alive),
        clean(float(np.median(alive))),
        clean(float(alive[0])),
        clean(float(alive[-1])),
    )  # type: ignore[return-value]


def followup(
    df: pd.DataFrame,
    time: str,
    event: str,
    conf_type: str = "log-log",
    conf_level: float = 0.95,
    *,
    source: str = "data frame",
    rows: Sequence[int] | None = None,
) -> FollowupResult:
    """Median follow-up of ``df`` (front end): reverse Kaplan-Meier and among the alive.

    ``df[event]`` is 1 for an event (death, relapse...) and 0 for alive/censored; rows
    with a missing value are excluded and counted. ``conf_type``/``conf_level`` set the
    pointwise limits the median's CI is read from (see :mod:`remission.stats.km`).
    """
    check_conf(conf_type, conf_level)
    data = survival_data(df, time, event, source=source, rows=rows, require_events=False)
    median = followup_from_counts(data.count_table(), conf_type, conf_level)
    n, med, lo, hi = _alive_summary(data.time, data.event)
    return FollowupResult(
        median, n, med, lo, hi, conf_type, float(conf_level), tuple(data.excluded)
    )  # type: ignore[arg-type]
