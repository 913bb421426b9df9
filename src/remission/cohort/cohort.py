"""The validated cohort: :func:`load_cohort` and the :class:`Cohort` it returns.

``load_cohort`` reads a CSV/TSV, .xlsx or Parquet file (:func:`remission.cohort.io.read_table`),
parses and checks every cell and row (:func:`remission.cohort.validate.check_table`) and
either raises one :class:`InputError` listing every problem, or returns a :class:`Cohort`.
With ``drop_invalid=True`` rows with problems are excluded instead, and
``Cohort.dropped`` records exactly which rows and why; problems of the file itself
(unknown or missing columns) are never dropped, they always raise.

Patients are ordered by ``patient_id`` in natural order (``P2`` before ``P10``), so the
order of the rows in the file does not change the cohort.
"""

from __future__ import annotations

import datetime as dt
from collections import OrderedDict
from dataclasses import dataclass, field, replace
from pathlib import Path

import pandas as pd

from remission.cohort.folders import source_digest
from remission.cohort.infer import natural_key, natural_order
from remission.cohort.io import read_table, reconcile
from remission.cohort.parse import CellError, parse_date
from remission.cohort.problems import InputError, Problem
from remission.cohort.schema import COLUMNS, Column
from remission.cohort.study import Study, load_study
from remission.cohort.validate import check_table

__all__ = [
    "Cohort",
    "CohortSummary",
    "DroppedRow",
    "Source",
    "load_cohort",
    "remember_loaded_cohorts",
    "SharedRows",
    "as_date",
    "natural_key",
]


@dataclass(frozen=True)
class Source:
    """Where a cohort came from: the file's path and the SHA-256 of its bytes."""

    path: str
    sha256: str

    def to_dict(self) -> dict:
        return {"path": self.path, "sha256": self.sha256}


@dataclass(frozen=True)
class DroppedRow:
    """A row excluded by ``drop_invalid=True``, with every problem that excluded it."""

    row: int
    patient_id: str | None
    problems: tuple[Problem, ...]

    @property
    def who(self) -> str:
        """The patient, or the row in the file when it has no usable patient_id."""
        return self.patient_id if self.patient_id is not None else f"row {self.row}"

    def reasons(self) -> list[str]:
        return [str(p) for p in self.problems]

    def to_dict(self) -> dict:
        return {"row": self.row, "patient_id": self.patient_id, "reasons": self.reasons()}


@dataclass(frozen=True)
class CohortSummary:
    """What ``remission validate`` prints: size, dates and completeness of a cohort.

    ``date_ranges`` maps each date column with at least one value to its (first, last)
    date; ``missing`` maps every column to its number of missing values (an MRD result
    is missing when its qualifier is ``missing``). ``inferred`` maps each column that is
    neither in the core dictionary nor in the study file to its inferred type,
    ``study_columns`` the study file's own columns to theirs; ``levels`` gives each
    category's levels in clinical order and ``references`` its reference level; ``warnings`` are dates that
    deserve a look; ``not_in_file`` the declared columns the file does not have.
    """

    source: Source
    n_patients: int
    n_dropped: int
    data_cutoff: dt.date | None
    first_date: dt.date | None
    last_date: dt.date | None
    date_ranges: dict[str, tuple[dt.date, dt.date]]
    missing: dict[str, int]
    n_age_derived: int
    inferred: dict[str, str] = field(default_factory=dict)
    study_columns: dict[str, str] = field(default_factory=dict)
    warnings: tuple[Problem, ...] = ()
    levels: dict[str, tuple[str, ...]] = field(default_factory=dict)
    not_in_file: tuple[str, ...] = ()
    references: dict[str, str] = field(default_factory=dict)

    def to_dict(self) -> dict:
        def iso(d: dt.date | None) -> str | None:
            return None if d is None else d.isoformat()

        return {
            "source": self.source.to_dict(),
            "n_patients": self.n_patients,
            "n_dropped": self.n_dropped,
            "data_cutoff": iso(self.data_cutoff),
            "first_date": iso(self.first_date),
            "last_date": iso(self.last_date),
            "date_ranges": {k: [iso(a), iso(b)] for k, (a, b) in self.date_ranges.items()},
            "missing": dict(self.missing),
            "n_age_derived": self.n_age_derived,
            "inferred_columns": dict(self.inferred),
            "study_columns": dict(self.study_columns),
            "levels": {k: list(v) for k, v in self.levels.items()},
            "warnings": [str(w) for w in self.warnings],
            "not_in_file": list(self.not_in_file),
            "references": dict(self.references),
        }


class Cohort:
    """A validated cohort: one row per patient, typed columns (core, study, inferred).

    ``frame`` returns a copy, so a cohort cannot be changed after loading. ``source_rows``
    gives the spreadsheet row of each patient (aligned with ``frame``), ``dropped`` the
    rows excluded by ``drop_invalid=True``. ``study`` is the study description the cohort
    was read with, ``columns`` the :class:`Column` of each frame column, ``warnings``
    what deserves a look without being an error.
    """

    __slots__ = ("_frame", "source", "data_cutoff", "dropped", "source_rows", "age_derived",
                 "study", "columns", "warnings", "not_in_file")  # fmt: skip

    def __init__(
        self,
        frame: pd.DataFrame,
        source: Source,
        data_cutoff: dt.date | None = None,
        dropped: tuple[DroppedRow, ...] = (),
        source_rows: tuple[int, ...] = (),
        age_derived: tuple[str, ...] = (),
        study: Study | None = None,
        columns: tuple[Column, ...] = (),
        warnings: tuple[Problem, ...] = (),
        not_in_file: tuple[str, ...] = (),
    ):
        if source_rows and len(source_rows) != len(frame):
            raise ValueError("source_rows must give one spreadsheet row per patient")
        init = object.__setattr__
        init(self, "_frame", frame.copy())
        init(self, "source", source)
        init(self, "data_cutoff", data_cutoff)
        init(self, "dropped", tuple(dropped))
        init(self, "source_rows", tuple(source_rows))
        init(self, "age_derived", tuple(age_derived))
        init(self, "study", study if study is not None else Study())
        known = {c.name: c for c in (*COLUMNS, *columns)}
        init(self, "columns", tuple(known[c] for c in frame.columns if c in known))
        init(self, "warnings", tuple(warnings))
        init(self, "not_in_file", tuple(not_in_file))

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"a Cohort cannot be changed (tried to set {name!r})")

    @property
    def frame(self) -> pd.DataFrame:
        return self._frame.copy()

    @property
    def n(self) -> int:
        return len(self._frame)

    @property
    def patient_ids(self) -> tuple[str, ...]:
        return tuple(self._frame["patient_id"])

    def column(self, name: str) -> Column | None:
        """The :class:`Column` of frame column ``name`` (declared or inferred), or None."""
        return next((c for c in self.columns if c.name == name), None)

    @property
    def levels(self) -> dict[str, tuple[str, ...]]:
        """Each category column's levels in their clinical (declared) order."""
        return {c.name: c.allowed for c in self.columns if c.kind == "category"}

    @property
    def references(self) -> dict[str, str]:
        """Each category column's reference level (declared, else its first level)."""
        return {c.name: c.levels[0] for c in self.columns if c.kind == "category"}

    @property
    def origins(self) -> dict[str, str]:
        """Named time origins (core, the study's interventions and origins) -> date column."""
        return self.study.origin_columns()

    def __len__(self) -> int:
        return self.n

    def __repr__(self) -> str:
        return f"Cohort(n={self.n}, source={self.source.path!r}, data_cutoff={self.data_cutoff})"

    def to_dict(self) -> dict:
        """Where the cohort came from, its size, patients and dropped rows (JSON-ready)."""
        return {
            "source": self.source.to_dict(),
            "data_cutoff": None if self.data_cutoff is None else self.data_cutoff.isoformat(),
            "n": self.n,
            "patient_ids": list(self.patient_ids),
            "dropped": [d.to_dict() for d in self.dropped],
        }

    def equals(self, other: Cohort) -> bool:
        """Same patients with the same values, cut-off and dropped patient ids."""
        return (
            isinstance(other, Cohort)
            and self.data_cutoff == other.data_cutoff
            and sorted(str(d.patient_id) for d in self.dropped)
            == sorted(str(d.patient_id) for d in other.dropped)
            and self._frame.equals(other._frame)
        )

    def summary(self) -> CohortSummary:
        """Number of patients, date range per date column, missing values per column."""
        f = self._frame
        ranges = {}
        for c in (c.name for c in self.columns if c.kind == "date"):
            s = f[c].dropna()
            if len(s):
                ranges[c] = (s.min().date(), s.max().date())
        missing = {}
        for col in self.columns:
            if col.kind == "mrd":
                missing[col.name] = int(sum(v.is_missing for v in f[col.name]))
            else:
                missing[col.name] = int(f[col.name].isna().sum())
        firsts = [a for a, _ in ranges.values()]
        lasts = [b for _, b in ranges.values()]
        own = {c.name for c in self.study.columns}
        return CohortSummary(
            source=self.source,
            n_patients=self.n,
            n_dropped=len(self.dropped),
            data_cutoff=self.data_cutoff,
            first_date=min(firsts) if firsts else None,
            last_date=max(lasts) if lasts else None,
            date_ranges=ranges,
            missing=missing,
            n_age_derived=len(self.age_derived),
            inferred={c.name: _kind(c) for c in self.columns if c.inferred},
            study_columns={c.name: _kind(c) for c in self.columns if c.name in own},
            warnings=self.warnings,
            levels=self.levels,
            not_in_file=self.not_in_file,
            references=self.references,
        )

    def endpoint(self, name: str, origin: str) -> pd.DataFrame:
        """Time and status of endpoint ``name`` (EFS, OS, a study's own) from ``origin``.

        ``origin`` is a named origin (:attr:`origins`) or any date column. Delegates to
        :func:`remission.endpoints.derive_endpoint`; the returned frame has
        ``attrs["excluded"]`` listing the patients excluded (e.g. origin date missing)
        and ``attrs["after_cutoff"]`` the number of events censored at the data cut-off.
        """
        from remission.endpoints import derive_endpoint

        result = derive_endpoint(
            self.frame, name, origin, data_cutoff=self.data_cutoff,
            source=self.source.path, rows=self.source_rows or None, study=self.study,
        )  # fmt: skip
        out = result.frame.copy()
        out.attrs["excluded"] = SharedRows(result.excluded)
        out.attrs["after_cutoff"] = result.n_after_cutoff
        return out


def _with_headers(problems, study: Study | None) -> list[Problem]:
    """Problems in a renamed column also name the spreadsheet's own header (``DOB``)."""
    headers = {v: k for k, v in (study.rename if study is not None else {}).items()}
    return [replace(p, header=headers[p.column]) if p.column in headers else p for p in problems]


class SharedRows(tuple):
    """A tuple of immutable rows that deep-copies as itself.

    pandas deep-copies a frame's ``attrs`` on nearly every operation; the list of excluded
    patients (thousands of ``(patient_id, reason)`` pairs in a registry) would otherwise be
    copied each time, at a cost larger than the analysis. Its items are immutable, so
    sharing them is safe.
    """

    __slots__ = ()

    def __deepcopy__(self, memo: dict) -> SharedRows:
        return self


def _kind(col: Column) -> str:
    if col.kind == "category":
        return f"category ({len(col.allowed)} levels)"
    return col.kind + (f", {col.unit}" if col.unit else "")


def as_date(value: object) -> dt.date:
    """A date from a date object or text in any form the loader accepts; ValueError if not."""
    if isinstance(value, dt.datetime | pd.Timestamp) and value.time() == dt.time(0, 0):
        return value.date()
    try:
        d = parse_date(value)
    except CellError as err:
        raise ValueError(
            f"{value!r} is {err.message}; expected a date such as 2020-06-30"
        ) from None
    if d is None:
        raise ValueError("a date is required, got a missing value")
    return d


#: Cohorts kept by :func:`remember_loaded_cohorts` (None: nothing is kept, the default).
_REMEMBERED: OrderedDict | None = None
_REMEMBER_SIZE = 4


def remember_loaded_cohorts(size: int = 4) -> None:
    """Keep the last ``size`` cohorts this process loads, so that a long-running process
    (the app, which runs several commands on one file) reads and validates a file once.

    A kept cohort is used again only for the same arguments, the same study file contents
    and the same file on disk (its path, size and modification time); a cohort's frame is
    handed out as a copy, so nothing can change a kept one. The command line never turns
    this on.
    """
    global _REMEMBERED, _REMEMBER_SIZE
    _REMEMBERED, _REMEMBER_SIZE = OrderedDict(), max(1, int(size))


def _memo_key(path, data_cutoff, drop_invalid, sheet, study, today) -> tuple | None:
    p = Path(path)
    if not p.is_file():
        return None  # folders (REDCap, ADaM) are read every time
    st = p.stat()
    return (str(p.resolve()), st.st_size, st.st_mtime_ns, repr(data_cutoff), drop_invalid,
            repr(sheet), repr(study), repr(today or dt.date.today()))  # fmt: skip


def load_cohort(
    path: str | Path,
    data_cutoff: dt.date | str | None = None,
    drop_invalid: bool = False,
    sheet: str | int | None = None,
    study: Study | str | Path | None = None,
    today: dt.date | None = None,
) -> Cohort:
    """Read, parse and validate a cohort file; see the module docstring.

    ``study`` is a :class:`Study` or the path of a study file (renames, recodes, the
    study's own columns, origins, endpoints); its ``data_cutoff_date`` applies unless
    ``data_cutoff`` is given. ``today`` is the run date (default: today): no date may be
    after it. Raises :class:`InputError` with every problem found; nothing is dropped
    unless ``drop_invalid`` is true, and then every dropped row is listed in
    ``Cohort.dropped``.
    """
    if study is not None and not isinstance(study, Study):
        study = load_study(study)
    key = None if _REMEMBERED is None else _memo_key(path, data_cutoff, drop_invalid, sheet,
                                                     study, today)  # fmt: skip
    if key is not None and key in _REMEMBERED:
        _REMEMBERED.move_to_end(key)
        return _REMEMBERED[key]
    cohort = _load_cohort(path, data_cutoff, drop_invalid, sheet, study, today)
    if key is not None:
        _REMEMBERED[key] = cohort
        while len(_REMEMBERED) > _REMEMBER_SIZE:
            _REMEMBERED.popitem(last=False)
    return cohort


def _load_cohort(path, data_cutoff, drop_invalid, sheet, study, today) -> Cohort:
    cutoff = None if data_cutoff is None else as_date(data_cutoff)
    if cutoff is None and study is not None:
        cutoff = study.data_cutoff_date
    raw = read_table(path, sheet)
    checked = check_table(raw, cutoff, study=study, today=today)
    if checked.file_problems or (checked.row_problems and not drop_invalid):
        raise InputError(_with_headers(checked.all_problems(), study))
    bad = sorted(checked.row_problems)
    dropped = tuple(
        DroppedRow(
            checked.rows[i],
            checked.frame["patient_id"].iloc[i],
            tuple(_with_headers(checked.row_problems[i], study)),
        )  # fmt: skip
        for i in bad
    )
    keep = [i for i in range(len(checked.frame)) if i not in checked.row_problems]
    if not keep:
        message = "no patient rows" if not bad else "no valid patient rows left after dropping"
        raise InputError([Problem(raw.path, message, expected="at least one valid patient row")])
    reconcile(raw, len(keep), len(dropped), "patients loaded")
    ids = checked.frame["patient_id"].tolist()
    order = natural_order([ids[i] for i in keep])
    keep = [keep[j] for j in order.tolist()]
    frame = checked.frame.iloc[keep].reset_index(drop=True)
    kept = set(frame["patient_id"])
    return Cohort(
        frame,
        Source(raw.path, source_digest(path)),
        cutoff,
        dropped,
        tuple(checked.rows[i] for i in keep),
        tuple(checked.frame["patient_id"].iloc[i] for i in keep if checked.age_derived[i]),
        study,
        checked.columns,
        tuple(w for w in checked.warnings if w.patient_id in kept),
        tuple(
            c.name for c in checked.columns if c.name not in checked.in_file and c.age_at is None
        ),
    )
