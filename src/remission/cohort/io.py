"""Reading tables from CSV, TSV, Excel (.xlsx) and Parquet files, without coercion.

:func:`read_table` returns the cells as the file holds them (text stays text: ``N/A`` and
``<0.005`` are not turned into NaN or numbers), with the row numbers a spreadsheet shows
(the header is row 1). A file that cannot be read at all (missing, empty, binary, not
UTF-8, a ragged CSV row, a broken workbook) raises :class:`InputError` with one readable
line per problem, never a parser traceback.
"""

from __future__ import annotations

import csv
import io
import math
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from remission.cohort.problems import InputError, Problem

__all__ = ["RawTable", "read_table", "SUPPORTED_SUFFIXES"]

SUPPORTED_SUFFIXES = (".csv", ".tsv", ".txt", ".xlsx", ".xlsm", ".parquet", ".pq", ".xpt")


@dataclass(frozen=True, eq=False)
class RawTable:
    """Cells of a table as read: ``frame`` has object columns, missing cells are None.

    ``rows[i]`` is the spreadsheet row number of ``frame.iloc[i]``.
    """

    path: str
    frame: pd.DataFrame
    rows: tuple[int, ...]

    def row_of(self, i: int) -> int:
        return self.rows[i]


def read_table(path: str | Path, sheet: str | int | None = None) -> RawTable:
    """Read a CSV/TSV, .xlsx, Parquet or SAS .xpt file into a :class:`RawTable`.

    A folder holding a REDCap export or an ADaM pair gives its patient rows
    (:mod:`remission.cohort.folders`).
    """
    p = Path(path)
    name = str(path)
    if not p.exists():
        raise InputError([Problem(name, "file not found")])
    if p.is_dir():  # a REDCap export or an ADaM pair (remission.cohort.folders)
        from remission.cohort.folders import read_folder

        return read_folder(p)
    suffix = p.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise InputError(
            [
                Problem(
                    name,
                    f"unsupported file type {suffix or '(none)'!r}",
                    expected="a .csv, .tsv, .xlsx, .parquet or SAS .xpt file",
                )
            ]
        )
    if suffix == ".xpt":  # SAS transport, e.g. an ADaM ADSL (remission.cohort.adam)
        from remission.cohort.adam import read_xpt

        return read_xpt(p)
    data = p.read_bytes()
    if not data.strip():
        raise InputError([Problem(name, "file is empty")])
    if suffix in (".xlsx", ".xlsm"):
        frame = _read_excel(name, data, sheet)
    elif suffix in (".parquet", ".pq"):
        frame = _read_parquet(name, data)
    else:
        frame = _read_delimited(name, data, "\t" if suffix == ".tsv" else None)
    frame = _normalise(name, frame)
    return RawTable(name, frame, tuple(range(2, len(frame) + 2)))


def _read_delimited(name: str, data: bytes, sep: str | None) -> pd.DataFrame:
    if b"\x00" in data[:8192]:
        raise InputError([Problem(name, "is a binary file, not a text table")])
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(
            [
                Problem(
                    name,
                    f"is not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start})",
                    expected="a CSV saved with UTF-8 encoding",
                )
            ]
        ) from None
    if sep is None:
        first = text.splitlines()[0] if text else ""
        sep = ";" if first.count(";") > first.count(",") else ","
    records = list(csv.reader(io.StringIO(text), delimiter=sep))
    while records and not any(c.strip() for c in records[-1]):
        records.pop()
    header = records[0]
    problems = []
    for i, rec in enumerate(records[1:], start=2):
        if len(rec) != len(header) and any(c.strip() for c in rec):
            problems.append(
                Problem(
                    name,
                    f"row has {len(rec)} fields but the header has {len(header)}",
                    row=i,
                    expected=f"{len(header)} fields separated by {sep!r}",
                )
            )
    if problems:
        raise InputError(problems)
    body = [r for r in records[1:]]
    body = [r if len(r) == len(header) else [""] * len(header) for r in body]
    return pd.DataFrame(body, columns=header, dtype=object)


def _read_excel(name: str, data: bytes, sheet: str | int | None) -> pd.DataFrame:
    try:
        return pd.read_excel(
            io.BytesIO(data), sheet_name=0 if sheet is None else sheet, dtype=object,
            engine="openpyxl",
        )  # fmt: skip
    except (ValueError, KeyError) as exc:
        raise InputError([Problem(name, f"cannot read the workbook: {exc}")]) from None
    except Exception as exc:  # zipfile.BadZipFile, openpyxl errors, ...
        raise InputError(
            [Problem(name, f"is not a readable .xlsx workbook ({type(exc).__name__})")]
        ) from None


def _read_parquet(name: str, data: bytes) -> pd.DataFrame:
    try:
        return pd.read_parquet(io.BytesIO(data))
    except Exception as exc:  # pyarrow.ArrowInvalid and friends
        raise InputError(
            [Problem(name, f"is not a readable Parquet file ({type(exc).__name__})")]
        ) from None


def _is_missing(v: object) -> bool:
    if v is None or v is pd.NaT or v is pd.NA:  # pd.NA: nullable Parquet columns
        return True
    if isinstance(v, float) and math.isnan(v):
        return True
    return isinstance(v, str) and not v.strip()


def _normalise(name: str, frame: pd.DataFrame) -> pd.DataFrame:
    cols = [str(c).strip() for c in frame.columns]
    problems = []
    seen: dict[str, int] = {}
    for j, c in enumerate(cols, start=1):
        if not c or c.startswith("Unnamed:"):
            problems.append(Problem(name, f"column {j} has no name", row=1))
        elif c in seen:
            problems.append(
                Problem(name, f"column name repeated (columns {seen[c]} and {j})", row=1, column=c)
            )
        seen.setdefault(c, j)
    if problems:
        raise InputError(problems)
    out = frame.astype(object).copy()
    out.columns = cols
    data = {
        c: pd.Series(
            [None if _is_missing(v) else (v.strip() if isinstance(v, str) else v) for v in out[c]],
            dtype=object,
        )
        for c in cols
    }
    return pd.DataFrame(data, columns=cols)
