"""The one validation gate: a raw table in, a typed frame and every problem out.

:func:`check_table` parses every cell by the data dictionary (:mod:`remission.cohort.schema`)
and checks, without stopping at the first problem:

- the header: unknown columns (with a did-you-mean) and missing required columns;
- each cell: unparseable dates and numbers, unknown categories, out-of-range values,
  negative or > 100 % MRD, missing required values;
- the rows together: duplicate ``patient_id``;
- each patient's dates (impossible chronology): nothing before birth; blinatumomab not
  before diagnosis; HSCT, relapse, second malignancy and death not before the start of
  blinatumomab; death not before relapse; HSCT and second malignancy not after death;
  no date after ``last_followup_date``; ``last_followup_date`` not after death (the last
  follow-up of a patient who died is the date of death); no event (diagnosis,
  blinatumomab, HSCT, relapse, second malignancy, death) after the data cut-off
  (follow-up itself may run past the cut-off: it is censored there);
- ``age_at_blinatumomab_years`` against the dates: the age from the dates is
  (blinatumomab_start_date - date_of_birth) in days / 365.25; a recorded age must agree
  within 0.1 year, a blank one is filled with it;
- consistency: a cause of death needs a death date, a relapse lineage a relapse date.

Each problem names the file, the spreadsheet row, the patient, the column, the value
and what was expected.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

import pandas as pd

from remission.cohort.io import RawTable
from remission.cohort.mrdvalue import MRDValue
from remission.cohort.parse import CellError, parse_cell
from remission.cohort.problems import Problem
from remission.cohort.schema import (
    AGE_TOLERANCE_YEARS,
    COLUMN_NAMES,
    COLUMNS,
    DAYS_PER_YEAR,
    EVENT_DATE_COLUMNS,
    REQUIRED_COLUMNS,
    column,
)
from remission.cohort.suggest import did_you_mean

__all__ = ["CheckedTable", "check_table", "typed_frame"]

_LABEL = {
    "date_of_birth": "birth",
    "diagnosis_date": "diagnosis",
    "blinatumomab_start_date": "blinatumomab start",
    "hsct_date": "HSCT",
    "relapse_date": "relapse",
    "second_malignancy_date": "second malignancy",
    "death_date": "death",
    "last_followup_date": "last follow-up",
}
_BLINA = "blinatumomab_start_date"
# dates that may not fall after the data cut-off (nor after last follow-up)
_EVENTS = ("diagnosis_date", _BLINA, *EVENT_DATE_COLUMNS)
# (column, other, must be ">=" or "<=" other, message); checked when both are present.
# "Before birth" comes last and is left out for a date already found out of order.
_ORDER: tuple[tuple[str, str, str, str], ...] = (
    (_BLINA, "diagnosis_date", ">=", "blinatumomab start before diagnosis"),
    *((c, _BLINA, ">=", f"{_LABEL[c]} before blinatumomab start") for c in _EVENTS[2:]),
    ("death_date", "relapse_date", ">=", "death before relapse"),
    ("hsct_date", "death_date", "<=", "HSCT after death"),
    ("second_malignancy_date", "death_date", "<=", "second malignancy after death"),
    *((c, "last_followup_date", "<=", f"{_LABEL[c]} after last follow-up") for c in _EVENTS),
    ("last_followup_date", "death_date", "<=", "last follow-up after death"),
    *((c, "date_of_birth", ">=", f"{_LABEL[c]} before birth") for c in _LABEL if c != "date_of_birth"),
)  # fmt: skip
_NEEDS = (("cause_of_death", "death_date"), ("relapse_lineage", "relapse_date"))


@dataclass(frozen=True, eq=False)
class CheckedTable:
    """The typed frame of a raw table and the problems found in it.

    ``frame`` has every column of the data dictionary, in its order, one row per row of
    the file (a cell that could not be read is missing). ``row_problems[i]`` are the
    problems of ``frame.iloc[i]``; ``file_problems`` those that no row owns.
    ``age_derived[i]`` is true when the age of row ``i`` was computed from its dates.
    """

    path: str
    frame: pd.DataFrame
    rows: tuple[int, ...]
    file_problems: tuple[Problem, ...]
    row_problems: dict[int, tuple[Problem, ...]]
    age_derived: tuple[bool, ...]

    def all_problems(self) -> list[Problem]:
        """File problems first, then row problems in row order."""
        out = list(self.file_problems)
        for i in sorted(self.row_problems):
            out.extend(self.row_problems[i])
        return out


def check_table(raw: RawTable, data_cutoff: dt.date | None = None) -> CheckedTable:
    """Parse and validate every cell and row of ``raw`` (see the module docstring).

    Rows with every cell blank hold no data and are skipped; the others keep their
    spreadsheet row numbers.
    """
    raw = _without_blank_rows(raw)
    file_problems = _header_problems(raw)
    values, problems = _parse_cells(raw)
    ids = values["patient_id"]

    def add(i: int, message: str, col: str, value: object, expected: str) -> None:
        problems[i].append(
            Problem(raw.path, message, raw.rows[i], ids[i], col, value, expected)
        )  # fmt: skip

    _check_required(raw, values, problems, add)
    _check_duplicates(raw, ids, add)
    raw_ages = list(raw.frame.get("age_at_blinatumomab_years", [None] * len(raw.frame)))
    derived = _check_ages(values, raw_ages, add)
    for i in range(len(raw.frame)):
        _check_row_dates(i, values, data_cutoff, add)
        for col, needed in _NEEDS:
            if values[col][i] is not None and values[needed][i] is None:
                add(i, f"{col} given without {needed}", col, values[col][i], f"a {needed}")
        _check_occurrence(i, values, add)
    row_problems = {i: tuple(p) for i, p in problems.items() if p}
    frame = typed_frame(values, len(raw.frame))
    return CheckedTable(
        raw.path, frame, raw.rows, tuple(file_problems), row_problems, tuple(derived)
    )  # fmt: skip


def _without_blank_rows(raw: RawTable) -> RawTable:
    keep = raw.frame.notna().any(axis=1).to_numpy()
    if keep.all():
        return raw
    rows = tuple(r for r, k in zip(raw.rows, keep, strict=True) if k)
    return RawTable(raw.path, raw.frame[keep].reset_index(drop=True), rows)


def _header_problems(raw: RawTable) -> list[Problem]:
    out = []
    for name in raw.frame.columns:
        if name in COLUMN_NAMES:
            continue
        out.append(
            Problem(
                raw.path,
                "unknown column" + did_you_mean(name, COLUMN_NAMES),
                row=1,
                column=name,
                expected="a column of the data dictionary (docs/data-dictionary.md)",
            )
        )
    for name in REQUIRED_COLUMNS:
        if name not in raw.frame.columns:
            out.append(
                Problem(
                    raw.path, "required column missing", column=name,
                    expected=f"a column {name!r}: {column(name).description}",
                )
            )  # fmt: skip
    return out


def _parse_cells(raw: RawTable) -> tuple[dict[str, list], dict[int, list[Problem]]]:
    n = len(raw.frame)
    problems: dict[int, list[Problem]] = defaultdict(list)
    values: dict[str, list] = {c.name: [None] * n for c in COLUMNS}
    if "patient_id" in raw.frame.columns:
        values["patient_id"] = [
            parse_cell(v, column("patient_id")) for v in raw.frame["patient_id"]
        ]
    for col in COLUMNS:
        if col.name not in raw.frame.columns or col.name == "patient_id":
            continue
        out = values[col.name]
        for i, cell in enumerate(raw.frame[col.name]):
            try:
                out[i] = parse_cell(cell, col)
            except CellError as err:
                problems[i].append(
                    Problem(
                        raw.path, err.message, raw.rows[i], values["patient_id"][i],
                        col.name, shown(cell), err.expected or col.expected(),
                    )
                )  # fmt: skip
    return values, problems


def shown(cell: object) -> object:
    """A cell as a problem shows it: dates and datetimes from spreadsheets as ISO text."""
    if isinstance(cell, dt.datetime):
        return cell.date().isoformat() if cell.time() == dt.time(0, 0) else cell.isoformat(" ")
    if isinstance(cell, dt.date):
        return cell.isoformat()
    return cell


def _check_required(raw: RawTable, values: dict, problems: dict, add) -> None:
    for name in REQUIRED_COLUMNS:
        if name not in raw.frame.columns:
            continue
        for i, v in enumerate(values[name]):
            failed = any(p.column == name for p in problems.get(i, ()))
            if v is None and not failed:
                add(i, "required value missing", name, None, column(name).expected())


def _check_duplicates(raw: RawTable, ids: list, add) -> None:
    where: dict[str, list[int]] = defaultdict(list)
    for i, pid in enumerate(ids):
        if pid is not None:
            where[pid].append(i)
    for pid, positions in where.items():
        if len(positions) < 2:
            continue
        for i in positions:
            others = ", ".join(str(raw.rows[j]) for j in positions if j != i)
            add(i, f"duplicate patient_id (also in row {others})", "patient_id", pid,
                "a patient_id used only once")  # fmt: skip


def age_from_dates(birth: dt.date, start: dt.date) -> float:
    """Age in years: days between the dates / 365.25."""
    return (start - birth).days / DAYS_PER_YEAR


def _check_ages(values: dict, raw_ages: list, add) -> list[bool]:
    ages = values["age_at_blinatumomab_years"]
    derived = [False] * len(ages)
    for i, (birth, start) in enumerate(zip(values["date_of_birth"], values[_BLINA], strict=True)):
        if birth is None or start is None or start < birth:
            continue
        computed = age_from_dates(birth, start)
        if ages[i] is None:
            ages[i] = computed
            derived[i] = True
        elif abs(ages[i] - computed) > AGE_TOLERANCE_YEARS:
            add(
                i, "age contradicts the dates", "age_at_blinatumomab_years", shown(raw_ages[i]),
                f"{computed:.2f} years (from date_of_birth {birth} to blinatumomab_start_date"
                f" {start}, within {AGE_TOLERANCE_YEARS})",
            )  # fmt: skip
    return derived


def _check_occurrence(i: int, values: dict, add) -> None:
    """A yes/no occurrence column must agree with its grade column when both are given."""
    for occurred, grade in (("crs", "crs_grade"), ("neurotoxicity", "neurotoxicity_grade")):
        flag, g = values[occurred][i], values[grade][i]
        if flag is not None and g is not None and (flag == "yes") != (g > 0):
            add(i, f"{occurred} contradicts {grade}", occurred, flag,
                f"{'yes' if g > 0 else 'no'} (as {grade} is {g})")  # fmt: skip


def _check_row_dates(i: int, values: dict, cutoff: dt.date | None, add) -> None:
    flagged = set()
    for col, other, relation, message in _ORDER:
        a, b = values[col][i], values[other][i]
        if a is None or b is None or (other == "date_of_birth" and col in flagged):
            continue
        if (relation == ">=" and a < b) or (relation == "<=" and a > b):
            word = "on or after" if relation == ">=" else "on or before"
            add(i, message, col, a.isoformat(), f"{word} {other} ({b.isoformat()})")
            flagged.add(col)
    if cutoff is None:
        return
    for col in _EVENTS:
        a = values[col][i]
        if a is not None and a > cutoff:
            add(i, f"{_LABEL[col]} after the data cut-off", col, a.isoformat(),
                f"on or before the data cut-off ({cutoff.isoformat()})")  # fmt: skip


def typed_frame(values: dict[str, list], n: int) -> pd.DataFrame:
    """Columns of the data dictionary from parsed cell values, with their dtypes.

    Dates are ``datetime64[ns]``, numbers ``float64``, integers ``Int64``, MRD results
    :class:`MRDValue` objects (a missing one is ``MRDValue.missing()``), everything else
    ``object`` holding ``str`` or ``None``.
    """
    data = {}
    for col in COLUMNS:
        v = values[col.name]
        if col.kind == "date":
            data[col.name] = pd.Series(
                [pd.NaT if d is None else pd.Timestamp(d) for d in v], dtype="datetime64[ns]"
            )  # fmt: skip
        elif col.kind == "number":
            data[col.name] = pd.Series(
                [float("nan") if x is None else x for x in v], dtype="float64"
            )
        elif col.kind == "integer":
            data[col.name] = pd.Series(pd.array(v, dtype="Int64"))
        elif col.kind == "mrd":
            data[col.name] = pd.Series(
                [MRDValue.missing() if x is None else x for x in v], dtype=object
            )  # fmt: skip
        else:
            data[col.name] = pd.Series(v, dtype=object)
    return pd.DataFrame(data, index=pd.RangeIndex(n))
