"""Writing a cohort to CSV, Parquet or .xlsx so that :func:`load_cohort` reads it back unchanged.

Cells are written as the data dictionary reads them:

- MRD results as their canonical text (:meth:`MRDValue.to_text`: ``0.06``, ``<0.005``,
  ``PNQ``, ``pos <0.01``; a missing result is a blank cell), so qualifiers survive;
- dates as ISO ``yyyy-mm-dd`` text in CSV, as ``date32`` in Parquet and as date cells
  shown ``yyyy-mm-dd`` in .xlsx;
- numbers with every digit (``repr``), so floats come back bit for bit;
- text and categories as text (in .xlsx always as text cells, so ``=...`` is never a formula;
  in CSV with a leading apostrophe, :mod:`remission.cohort.csvsafe`, which the reader removes).

The file is written to a temporary name beside the target and renamed into place, so a
failed write never leaves a partial file.
"""

from __future__ import annotations

import datetime as dt
import math
import os
import tempfile
from pathlib import Path

import pandas as pd

from remission.cohort.cohort import Cohort
from remission.cohort.csvsafe import safe_frame
from remission.cohort.schema import Column

__all__ = ["write_cohort", "cohort_cells", "WRITE_SUFFIXES"]

WRITE_SUFFIXES = (".csv", ".parquet", ".xlsx")


def _cell(value: object, col: Column) -> object:
    """One cell as written: None for missing, date objects for dates, text for MRD."""
    if col.kind == "mrd":
        return value.to_text() or None
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if col.kind == "date":
        return value.date()
    if col.kind == "integer":
        return int(value)
    if col.kind == "number":
        return float(value)
    return value


def cohort_cells(cohort: Cohort) -> dict[str, list]:
    """The cohort's columns as lists of plain Python cells (see the module docstring)."""
    frame = cohort.frame
    return {c.name: [_cell(v, c) for v in frame[c.name].astype(object)] for c in cohort.columns}


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float):
        return repr(value)
    return str(value)


def _write_csv(cells: dict[str, list], out: Path, columns: tuple[Column, ...]) -> None:
    frame = pd.DataFrame({k: [_text(v) for v in vs] for k, vs in cells.items()}, dtype=object)
    # UTF-8 with a byte-order mark, so that Excel on Windows reads accents and dashes
    safe_frame(frame).to_csv(out, index=False, encoding="utf-8-sig", lineterminator="\n")


def _write_parquet(cells: dict[str, list], out: Path, columns: tuple[Column, ...]) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    types = {"date": pa.date32(), "number": pa.float64(), "integer": pa.int64()}
    arrays = {c.name: pa.array(cells[c.name], type=types.get(c.kind, pa.string())) for c in columns}
    pq.write_table(pa.table(arrays), out)


def _write_xlsx(cells: dict[str, list], out: Path, columns: tuple[Column, ...]) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "cohort"
    ws.append([c.name for c in columns])
    n = len(cells[columns[0].name])
    for i in range(n):
        for j, c in enumerate(columns, start=1):
            value = cells[c.name][i]
            if value is None:
                continue
            cell = ws.cell(row=i + 2, column=j)
            cell.value = value
            if isinstance(value, float):
                # openpyxl writes numbers with "%.16g", one digit short of a double's 17:
                # hand it the shortest exact text (repr) for the <v> element instead.
                cell._value = repr(value)
            elif isinstance(value, str):
                cell.data_type = "s"  # text that starts with '=' stays text, not a formula
            elif c.kind == "date":
                cell.number_format = "yyyy-mm-dd"
    wb.save(out)


_WRITERS = {".csv": _write_csv, ".parquet": _write_parquet, ".xlsx": _write_xlsx}


def write_cohort(cohort: Cohort, path: str | Path) -> Path:
    """Write ``cohort`` to ``path`` (.csv, .parquet or .xlsx) atomically; return the path."""
    target = Path(path)
    suffix = target.suffix.lower()
    if suffix not in _WRITERS:
        raise ValueError(f"cannot write {suffix or 'a file without suffix'}: use {WRITE_SUFFIXES}")
    cells = cohort_cells(cohort)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=suffix, dir=target.parent)
    os.close(fd)
    try:
        _WRITERS[suffix](cells, Path(tmp), cohort.columns)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target
