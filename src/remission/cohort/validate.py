"""The one validation gate: a raw table in, a typed frame and every problem out.

:func:`check_table` parses every cell by the core data dictionary
(:mod:`remission.cohort.schema`) and the study file (:mod:`remission.cohort.study`), and
checks, without stopping at the first problem:

- the header: the study file's renames are applied first; a column missing from the
  dictionary and the study file is *kept*, with its type inferred
  (:mod:`remission.cohort.infer`), unless its name is a near miss of a declared column
  that is absent (``hsct_dat``: an error with a did-you-mean); required columns present;
- each cell (after the study file's recodes): unparseable dates and numbers, unknown
  categories, out-of-range values, negative or > 100 % MRD, missing required values;
- the rows together: duplicate ``patient_id``;
- each patient's dates (:mod:`remission.cohort.chronology`): impossible order, a date
  after the run date (error), a date implausibly far from the cohort's (warning);
- age columns (``age_at`` in the study file) against the dates: the age from the dates
  is (date - date_of_birth) in days / 365.25; a recorded age must agree within 0.1 year,
  a blank one is filled with it;
- consistency: a cause of death needs a death date, a relapse lineage a relapse date.

The data cut-off is not a validity check: events after it are censored at it when
endpoints are derived. Each problem names the file, the spreadsheet row, the patient,
the column, the value and what was expected.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

import numpy as np
import pandas as pd

from remission.cohort.chronology import check_row_dates, date_orders, far_dates, label
from remission.cohort.distinct import map_distinct
from remission.cohort.infer import infer_column
from remission.cohort.io import RawTable
from remission.cohort.mrdvalue import MRDValue
from remission.cohort.parse import MONTH_FIRST, CellError, parse_cell, parse_text
from remission.cohort.problems import Problem
from remission.cohort.schema import AGE_TOLERANCE_YEARS, COLUMNS, DAYS_PER_YEAR, Column
from remission.cohort.suggest import closest, did_you_mean

__all__ = ["CheckedTable", "check_table", "typed_frame", "NEAR_MISS"]

#: A header this similar (difflib ratio) to a declared column that is absent is taken
#: for a misspelling of it (an error), not for a column of the study's own.
NEAR_MISS = 0.85
_NEEDS = (("cause_of_death", "death_date"), ("relapse_lineage", "relapse_date"))


@dataclass(frozen=True, eq=False)
class CheckedTable:
    """The typed frame of a raw table and the problems found in it.

    ``frame`` has every declared column (core, then study) and then the file's other
    columns, one row per row of the file (a cell that could not be read is missing);
    ``columns`` gives the :class:`Column` of each, in that order (inferred ones marked).
    ``row_problems[i]`` are the problems of ``frame.iloc[i]``; ``file_problems`` those
    that no row owns; ``warnings`` are not problems but deserve a look.
    ``age_derived[i]`` is true when an age of row ``i`` was computed from its dates;
    ``in_file`` names the columns the file has (after renaming).
    """

    path: str
    frame: pd.DataFrame
    rows: tuple[int, ...]
    file_problems: tuple[Problem, ...]
    row_problems: dict[int, tuple[Problem, ...]]
    age_derived: tuple[bool, ...]
    columns: tuple[Column, ...] = ()
    warnings: tuple[Problem, ...] = ()
    in_file: tuple[str, ...] = ()

    def all_problems(self) -> list[Problem]:
        """File problems first, then row problems in row order."""
        out = list(self.file_problems)
        for i in sorted(self.row_problems):
            out.extend(self.row_problems[i])
        return out


def check_table(raw: RawTable, data_cutoff: dt.date | None = None, study=None,
                today: dt.date | None = None) -> CheckedTable:  # fmt: skip
    """Parse and validate every cell and row of ``raw`` (see the module docstring).

    ``study`` is a :class:`~remission.cohort.study.Study` (None: the core dictionary
    only); ``today`` the run date (default: today). ``data_cutoff`` is accepted for
    compatibility and not checked here. Rows with every cell blank hold no data and are
    skipped; the others keep their spreadsheet row numbers.
    """
    raw = _without_blank_rows(raw)
    raw, file_problems = _renamed(raw, study)
    declared = study.all_columns() if study is not None else COLUMNS
    file_problems += _header_problems(raw, declared)
    extras = [c for c in raw.frame.columns if c not in {d.name for d in declared}]
    columns = {c.name: c for c in declared}
    recode = study.recode if study is not None else {}
    month_first = study is not None and study.date_order == "month-first"
    for name in extras:
        columns[name] = infer_column(name, _recoded(raw.frame[name].tolist(), recode.get(name)),
                                     month_first=month_first)  # fmt: skip
    values, problems = _parse_cells(raw, columns, recode)
    file_problems += _date_order_problems(raw.path, columns, problems)
    ids = values["patient_id"]

    def add(i: int, message: str, col: str, value: object, expected: str) -> None:
        problems[i].append(
            Problem(raw.path, message, raw.rows[i], ids[i], col, value, expected)
        )  # fmt: skip

    present = {n: c for n, c in columns.items() if n in raw.frame.columns}
    _check_required(raw, columns, values, problems, add)
    _check_duplicates(raw, ids, add)
    derived = _check_ages(raw, columns, values, add)
    orders = date_orders(present, study)
    dates = tuple(n for n, c in present.items() if c.kind == "date")
    run_date = today or dt.date.today()
    for i in range(len(raw.frame)):
        check_row_dates(i, values, orders, run_date, dates, add)
        for col, needed in _NEEDS:
            if values[col][i] is not None and values[needed][i] is None:
                add(i, f"{col} given without {needed}", col, values[col][i], f"a {needed}")
        _check_occurrence(i, values, add)
    row_problems = {i: tuple(p) for i, p in problems.items() if p}
    warnings = tuple(
        Problem(raw.path, f"{label(c)} more than 5 years after 99 % of the cohort's dates",
                raw.rows[i], ids[i], c, d.isoformat(), f"a date near the others (99 % are on "
                f"or before {p99.isoformat()}); check it")
        for i, c, d, p99 in far_dates(values, dates)
    )  # fmt: skip
    order = list(columns.values())
    frame = typed_frame(values, len(raw.frame), order)
    return CheckedTable(raw.path, frame, raw.rows, tuple(file_problems), row_problems,
                        tuple(derived), tuple(order), warnings,
                        tuple(map(str, raw.frame.columns)))  # fmt: skip


def _date_order_problems(path: str, columns: dict[str, Column],
                         problems: dict[int, list[Problem]]) -> list[Problem]:  # fmt: skip
    """One problem per day-first date column with cells that can only be month first: its
    other numeric dates (03/04/2019) cannot be trusted to be day first either, so the
    column is an error of the file, which ``drop_invalid`` does not drop row by row."""
    found: dict[str, list[Problem]] = defaultdict(list)
    for row in problems.values():
        for p in row:
            if p.message == MONTH_FIRST and p.column is not None:
                found[p.column].append(p)
    out = []
    for name in [c for c in columns if c in found]:  # in the file's column order
        ps = sorted(found[name], key=lambda p: p.row or 0)
        first = ps[0]
        out.append(Problem(path, f"dates written month first (US) in {len(ps)} cell"
                           f"{'s' if len(ps) != 1 else ''}, the first in row {first.row}: the "
                           "column's other numeric dates would be misread day first",
                           column=name, value=first.value,
                           expected="day-first dates throughout, or date_order: month-first "
                           "in the study file if the file writes dates month first"))  # fmt: skip
    return out


def _without_blank_rows(raw: RawTable) -> RawTable:
    keep = raw.frame.notna().any(axis=1).to_numpy()
    if keep.all():
        return raw
    rows = tuple(r for r, k in zip(raw.rows, keep, strict=True) if k)
    return RawTable(raw.path, raw.frame[keep].reset_index(drop=True), rows)


def _renamed(raw: RawTable, study) -> tuple[RawTable, list[Problem]]:
    """Headers renamed by the study file (matched after trimming blanks)."""
    rename = study.rename if study is not None else {}
    if not rename:
        return raw, []
    mapping = {h: rename[str(h).strip()] for h in raw.frame.columns if str(h).strip() in rename}
    new = [mapping.get(h, h) for h in raw.frame.columns]
    problems = []
    for name in sorted({n for n in new if new.count(n) > 1}):
        heads = [str(h) for h, n in zip(raw.frame.columns, new, strict=True) if n == name]
        problems.append(Problem(raw.path, "two columns for one name after renaming", row=1,
                                column=name, value=", ".join(heads),
                                expected="one column per name (check rename: in the study file)"))  # fmt: skip
    if problems:
        return raw, problems
    return RawTable(raw.path, raw.frame.rename(columns=mapping), raw.rows), []


def _header_problems(raw: RawTable, declared: tuple[Column, ...]) -> list[Problem]:
    out = []
    names = {c.name for c in declared}
    absent = [c.name for c in declared if c.name not in raw.frame.columns]
    for name in raw.frame.columns:
        if name in names:
            continue
        near = closest(str(name), absent, cutoff=NEAR_MISS)
        if near is not None:
            out.append(Problem(raw.path, "unknown column" + did_you_mean(str(name), [near]),
                               row=1, column=name, expected=f"{near!r}, which is missing (or "
                               "rename the column in the study file)"))  # fmt: skip
    for col in declared:
        if col.required and col.name not in raw.frame.columns:
            out.append(
                Problem(
                    raw.path, "required column missing", column=col.name,
                    expected=f"a column {col.name!r}: {col.description}",
                )
            )  # fmt: skip
    return out


def _recoded(cells: list, table: dict[str, str] | None) -> list:
    if not table:
        return cells
    return [_recode_one(cell, table) for cell in cells]


def _recode_one(cell: object, table: dict[str, str]) -> object:
    key = None if cell is None else (parse_text(cell) or "").strip()
    return table.get(key, cell) if key is not None else cell


def _parse_cells(raw: RawTable, columns: dict[str, Column], recode: dict
                 ) -> tuple[dict[str, list], dict[int, list[Problem]]]:  # fmt: skip
    n = len(raw.frame)
    problems: dict[int, list[Problem]] = defaultdict(list)
    values: dict[str, list] = {name: [None] * n for name in columns}
    if "patient_id" in raw.frame.columns:
        values["patient_id"] = _parsed(
            raw.frame["patient_id"].to_numpy(dtype=object), columns["patient_id"]
        )[0].tolist()
    for name, col in columns.items():
        if name not in raw.frame.columns or name == "patient_id":
            continue
        cells = raw.frame[name].to_numpy(dtype=object)
        parsed, bad = _parsed(cells, col, recode.get(name))
        errors = parsed[bad]
        parsed[bad] = None
        values[name] = parsed.tolist()
        for i, err in zip(np.flatnonzero(bad).tolist(), errors, strict=True):
            problems[i].append(
                Problem(
                    raw.path, err.message, raw.rows[i], values["patient_id"][i],
                    name, shown(cells[i]), err.expected or col.expected(),
                )
            )  # fmt: skip
    return values, problems


def _parsed(cells: list, col: Column, recode: dict[str, str] | None = None
            ) -> tuple[np.ndarray, np.ndarray]:  # fmt: skip
    """``parse_cell`` of every cell (after the study file's recodes) or its CellError, and
    where it is an error; each distinct text cell parsed once (a column of a large cohort
    holds few distinct dates, categories and MRD results)."""

    def one(cell: object) -> object:
        try:
            return parse_cell(_recode_one(cell, recode) if recode else cell, col)
        except CellError as err:
            return err

    return map_distinct(cells, one, lambda r: isinstance(r, CellError))


def shown(cell: object) -> object:
    """A cell as a problem shows it: dates and datetimes from spreadsheets as ISO text."""
    if isinstance(cell, dt.datetime):
        return cell.date().isoformat() if cell.time() == dt.time(0, 0) else cell.isoformat(" ")
    if isinstance(cell, dt.date):
        return cell.isoformat()
    return cell


def _check_required(raw: RawTable, columns: dict, values: dict, problems: dict, add) -> None:
    for name, col in columns.items():
        if not col.required or name not in raw.frame.columns:
            continue
        cells = raw.frame[name]
        for i in [i for i, v in enumerate(values[name]) if v is None]:
            if not any(p.column == name for p in problems.get(i, ())):
                cell = cells.iat[i]
                said = isinstance(cell, str) and cell.strip() != ""  # e.g. 'unknown', 'NA'
                message = "required value given as a missing-value word" if said else (
                    "required value missing")  # fmt: skip
                add(i, message, name, cell if said else None, col.expected())


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


def _check_ages(raw: RawTable, columns: dict, values: dict, add) -> list[bool]:
    """Each ``age_at`` column against date_of_birth and its date (filled when blank)."""
    derived = [False] * len(raw.frame)
    for name, col in columns.items():
        if col.age_at is None:
            continue
        ages, at = values[name], values[col.age_at]
        raw_ages = raw.frame[name].tolist() if name in raw.frame.columns else [None] * len(ages)
        for i, (birth, start) in enumerate(zip(values["date_of_birth"], at, strict=True)):
            if birth is None or start is None or start < birth:
                continue
            computed = age_from_dates(birth, start)
            if ages[i] is None:
                ages[i] = computed
                derived[i] = True
            elif abs(ages[i] - computed) > AGE_TOLERANCE_YEARS:
                add(
                    i, "age contradicts the dates", name, shown(raw_ages[i]),
                    f"{computed:.2f} years (from date_of_birth {birth} to {col.age_at}"
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


def typed_frame(values: dict[str, list], n: int, columns: list[Column] | None = None
                ) -> pd.DataFrame:  # fmt: skip
    """Columns (default: the core dictionary) from parsed cell values, with their dtypes.

    Dates are ``datetime64[ns]``, numbers ``float64``, integers ``Int64``, MRD results
    :class:`MRDValue` objects (a missing one is ``MRDValue.missing()``), everything else
    ``object`` holding ``str`` or ``None``.
    """
    data = {}
    for col in columns if columns is not None else COLUMNS:
        v = values[col.name]
        if col.kind == "date":
            data[col.name] = _date_series(v)
        elif col.kind == "number":
            data[col.name] = pd.Series(np.array(v, dtype="float64"))
        elif col.kind == "integer":
            data[col.name] = pd.Series(pd.array(v, dtype="Int64"))
        elif col.kind == "mrd":
            data[col.name] = pd.Series(
                [MRDValue.missing() if x is None else x for x in v], dtype=object
            )  # fmt: skip
        else:
            data[col.name] = pd.Series(v, dtype=object)
    return pd.DataFrame(data, index=pd.RangeIndex(n))


def _date_series(v: list) -> pd.Series:
    """``datetime64[ns]`` of dates (None: NaT); each distinct plain date converted once."""
    if set(map(type, v)) <= {dt.date, type(None)}:
        arr = np.empty(len(v), dtype=object)
        arr[:] = v
        codes, uniques = pd.factorize(arr)
        days = np.array([*uniques, None], dtype="datetime64[D]").astype("datetime64[ns]")
        return pd.Series(days[codes])
    return pd.Series([pd.NaT if d is None else pd.Timestamp(d) for d in v],
                     dtype="datetime64[ns]")  # fmt: skip
