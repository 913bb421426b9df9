"""Checks of each patient's dates against each other, the run date and the cohort.

The order rules come from the core dictionary and the study file (its interventions and
their ``precedes`` lists), never from a study name:

- each intervention starts on or after ``diagnosis_date``, and the columns it
  ``precedes`` (e.g. HSCT, relapse, death) are not dated before its start;
- death is not before relapse; HSCT and second malignancy are not after death;
- diagnosis, intervention starts, HSCT, relapse, second malignancy, death and the event
  columns of the study's endpoints are not after ``last_followup_date``, which is not
  after death (the last follow-up of a patient who died is the date of death);
- nothing is dated before ``date_of_birth``;
- no date is after the run date (today): such a date is an error;
- a date more than :data:`FAR_YEARS` years after 99 % of the cohort's dates (birth dates
  left out) is a *warning* naming the patient and column: probably a typing error.

The data cut-off is not checked here: an event after it is censored at the cut-off when
endpoints are derived (:mod:`remission.endpoints.derive`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import numpy as np

from remission.cohort.schema import EVENT_DATE_COLUMNS, Column

__all__ = ["date_orders", "check_row_dates", "far_dates", "label", "FAR_YEARS"]

#: A date this many years after the cohort's 99th percentile of dates is a warning.
FAR_YEARS = 5
_CORE_LABELS = {
    "date_of_birth": "birth",
    "diagnosis_date": "diagnosis",
    "hsct_date": "HSCT",
    "relapse_date": "relapse",
    "second_malignancy_date": "second malignancy",
    "death_date": "death",
    "last_followup_date": "last follow-up",
}
Order = tuple[str, str, str, str]


def label(col: str, starts: dict[str, str] | None = None) -> str:
    """How a date column is named in messages: ``hsct_date`` -> ``HSCT``."""
    if starts and col in starts:
        return f"{starts[col]} start"
    return _CORE_LABELS.get(col) or col.removesuffix("_date").replace("_", " ")


def date_orders(columns: dict[str, Column], study) -> tuple[Order, ...]:
    """``(column, other, ">=" or "<=", message)`` rules for the columns present.

    ``study`` is a :class:`~remission.cohort.study.Study` or None. "Before birth" rules
    come last (and are skipped for a date already found out of order).
    """
    interventions = study.interventions if study is not None else ()
    starts = {i.start: i.name for i in interventions}
    endpoint_cols = [c for e in (study.endpoints if study is not None else ())
                     for c in (*e.events, *e.competing)]  # fmt: skip
    lab = {c: label(c, starts) for c in (*columns, *EVENT_DATE_COLUMNS, *starts,
                                          "diagnosis_date", *endpoint_cols)}  # fmt: skip
    for i in interventions:
        lab.update({p: label(p, starts) for p in i.precedes})
    orders: list[Order] = []
    for i in interventions:
        orders.append((i.start, "diagnosis_date", ">=", f"{lab[i.start]} before diagnosis"))
        orders += [(p, i.start, ">=", f"{lab[p]} before {lab[i.start]}" + _history(p, lab))
                   for p in i.precedes]  # fmt: skip
    orders += [
        ("death_date", "relapse_date", ">=", "death before relapse"),
        ("hsct_date", "death_date", "<=", "HSCT after death"),
        ("second_malignancy_date", "death_date", "<=", "second malignancy after death"),
    ]
    events = ["diagnosis_date", *starts, *EVENT_DATE_COLUMNS, *endpoint_cols]
    events = list(dict.fromkeys(c for c in events if c in columns))
    orders += [(c, "last_followup_date", "<=", f"{lab[c]} after last follow-up") for c in events]
    orders.append(("last_followup_date", "death_date", "<=", "last follow-up after death"))
    dates = [c for c, spec in columns.items() if spec.kind == "date" and c != "date_of_birth"]
    orders += [(c, "date_of_birth", ">=", f"{lab[c]} before birth") for c in dates]
    return tuple(o for o in orders if o[0] in columns and o[1] in columns)


def _history(col: str, lab: dict[str, str]) -> str:
    """For an event column: where an event before the treatment (say the relapse it
    treated) belongs, since the column holds the events that follow it."""
    if col not in ("relapse_date", "second_malignancy_date"):
        return ""
    return (
        f" ({col} holds the {lab[col]} after the treatment; one before it, such as the "
        f"{lab[col]} it treated, goes in a study column of its own, e.g. prior_{col})"
    )


Add = Callable[[int, str, str, object, str], None]


def check_row_dates(i: int, values: dict, orders: tuple[Order, ...], today: dt.date,
                    dates: tuple[str, ...], add: Add) -> None:  # fmt: skip
    """Every order rule, and no date after ``today``, for row ``i``."""
    flagged = set()
    for col, other, relation, message in orders:
        a, b = values[col][i], values[other][i]
        if a is None or b is None or (other == "date_of_birth" and col in flagged):
            continue
        if (relation == ">=" and a < b) or (relation == "<=" and a > b):
            word = "on or after" if relation == ">=" else "on or before"
            add(i, message, col, a.isoformat(), f"{word} {other} ({b.isoformat()})")
            flagged.add(col)
    for col in dates:
        a = values[col][i]
        if a is not None and a > today:
            add(i, "date after today (the run date)", col, a.isoformat(),
                f"on or before {today.isoformat()}")  # fmt: skip


def far_dates(values: dict, dates: tuple[str, ...]) -> list[tuple[int, str, dt.date, dt.date]]:
    """``(row index, column, date, bound)`` for dates more than :data:`FAR_YEARS` years after
    the 99th percentile of the cohort's dates (birth dates left out)."""
    cols = [c for c in dates if c != "date_of_birth"]
    ordinals = [d.toordinal() for c in cols for d in values[c] if d is not None]
    if len(ordinals) < 20:
        return []
    p99 = dt.date.fromordinal(int(np.percentile(ordinals, 99, method="lower")))
    bound = p99 + dt.timedelta(days=round(FAR_YEARS * 365.25))
    out = []
    for c in cols:
        for i, d in enumerate(values[c]):
            if d is not None and d > bound:
                out.append((i, c, d, p99))
    return out
