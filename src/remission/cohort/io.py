"""Reading tables from CSV, TSV, Excel (.xlsx) and Parquet files, without coercion.

:func:`read_table` returns the cells as the file holds them (text stays text: ``N/A`` and
``<0.005`` are not turned into NaN or numbers), with the row numbers a spreadsheet shows
(the header is row 1). A file that cannot be read at all (missing, empty, binary, not
UTF-8, a ragged CSV row, a broken workbook) raises :class:`InputError` with one readable
line per problem, never a parser traceback.

CSV and TSV text (issue 11):

- a record ends at LF, CR LF or a lone CR (old Mac files); a cell may be of any length
  (no 131,072-character cliff);
- a file of nothing but blanks, separators, non-breaking spaces or a byte-order mark is
  one problem ("no header row and no data");
- quotes: a quoted cell may hold line breaks, but a quote left open is an error naming
  the row where it opened: at the end of the file, or when the quoted cell would swallow
  lines that hold whole rows (as many separators as the header);
- row accounting: :func:`record_spans` counts the records with its own scanner (not the
  csv module); both must agree, and :attr:`RawTable.n_records` (non-blank records) is
  what every loader reconciles with :func:`reconcile`: rows loaded + rows excluded with
  a reason. Excel rows are counted by openpyxl directly, Parquet rows from the file's
  metadata.
- speed: a text whose quoting is plain (quotes only around whole cells, none left open)
  and whose records all have the header's number of fields is read by pandas' C reader
  after a vectorised scan counted its records (:mod:`remission.cohort.csvrecords`);
  everything else by the csv module checked against :func:`record_spans`, which gives
  the same cells for plain texts and names the row of every problem.
- a text cell that remission's CSV writers neutralised (``'=...``,
  :mod:`remission.cohort.csvsafe`) is read back without the apostrophe.
"""

from __future__ import annotations

import csv
import io
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from remission.cohort.csvrecords import fast_frame as _fast_frame
from remission.cohort.csvrecords import record_spans, swallows
from remission.cohort.csvsafe import unneutralise
from remission.cohort.distinct import map_distinct
from remission.cohort.problems import InputError, Problem

__all__ = ["RawTable", "read_table", "reconcile", "record_spans", "SUPPORTED_SUFFIXES"]

SUPPORTED_SUFFIXES = (".csv", ".tsv", ".txt", ".xlsx", ".xlsm", ".parquet", ".pq", ".xpt")


@dataclass(frozen=True, eq=False)
class RawTable:
    """Cells of a table as read: ``frame`` has object columns, missing cells are None.

    ``rows[i]`` is the spreadsheet row number of ``frame.iloc[i]``.
    """

    path: str
    frame: pd.DataFrame
    rows: tuple[int, ...]
    n_records: int | None = None

    def row_of(self, i: int) -> int:
        return self.rows[i]

    def n_blank_free(self) -> int:
        """Rows of ``frame`` with at least one cell that is not missing."""
        return int(self.frame.notna().any(axis=1).sum()) if len(self.frame.columns) else 0


def reconcile(table: RawTable, loaded: int, excluded: int, what: str) -> None:
    """Row accounting: the file's non-blank records = rows loaded + rows excluded with a
    reason, or :class:`InputError` (a record was lost or made up on the way)."""
    if table.n_records is None or table.n_records == loaded + excluded:
        return
    raise InputError(
        [
            Problem(
                table.path,
                f"rows cannot be accounted for: the file holds {table.n_records} non-blank "
                f"records, but {loaded} {what} and {excluded} excluded",
                expected="one record per row, quotes only around whole cells",
            )
        ]
    )


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
        n_records = _excel_records(data, sheet)
    elif suffix in (".parquet", ".pq"):
        frame, n_records = _read_parquet(name, data)
    else:
        frame, n_records = _read_delimited(name, data, "\t" if suffix == ".tsv" else None)
    frame = _normalise(name, frame)
    table = RawTable(name, frame, tuple(range(2, len(frame) + 2)), n_records)
    reconcile(table, table.n_blank_free(), 0, "rows read")
    return table


def _read_delimited(name: str, data: bytes, sep: str | None) -> tuple[pd.DataFrame, int]:
    """The cells of a CSV/TSV and its number of non-blank data records (see module doc)."""
    if b"\x00" in data[:8192]:
        raise InputError([Problem(name, "is a binary file, not a text table")])
    text = _decoded(name, data).replace("\r\n", "\n").replace("\r", "\n")
    first = _first_line(text)
    if first is None:
        raise _no_header(name)
    if sep is None:
        sep = ";" if first.count(";") > first.count(",") else ","
    del text
    # one newline policy: a record ends at LF, CR LF or a lone CR (old Mac files)
    raw = data[3:] if data.startswith(b"\xef\xbb\xbf") else data
    if b"\r" in raw:
        raw = raw.replace(b"\r\n", b"\n").replace(b"\r", b"\n")
    fast = _fast_frame(name, raw, sep)
    if fast is not None:
        frame, n_records = fast
        return (_unneutralised(frame) if b"'" in raw else frame), n_records
    return _checked_frame(name, raw.decode("utf-8"), sep)


def _no_header(name: str) -> InputError:
    return InputError([Problem(name, "has no header row and no data (only blanks, separators, "
                               "empty quoted cells or a byte-order mark)",
                               expected="a header row naming the columns")])  # fmt: skip


def _decoded(name: str, data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
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


def _first_line(text: str) -> str | None:
    """The first line with more than blanks, separators or a byte-order mark."""
    pos = 0
    while True:
        end = text.find("\n", pos)
        line = text[pos:] if end < 0 else text[pos:end]
        if line.strip(" \t\u00a0,;\ufeff"):
            return line
        if end < 0:
            return None
        pos = end + 1


def _checked_frame(name: str, text: str, sep: str) -> tuple[pd.DataFrame, int]:
    """The cells by the csv module, every record checked against :func:`record_spans`."""
    lines = text.split("\n")
    spans, blank = record_spans(name, lines, sep)
    records = _csv_records(lines, sep)
    while spans and blank[-1]:
        spans.pop(), blank.pop(), records.pop()
    while spans and blank[0]:  # blank lines above the header
        spans.pop(0), blank.pop(0), records.pop(0)
    if not spans:  # nothing but blanks, separators and quoted empty cells
        raise _no_header(name)
    _check_merges(name, spans, records, lines, sep)
    header = records[0]
    problems = []
    for i, rec in enumerate(records[1:], start=2):
        if len(rec) != len(header) and not blank[i - 1]:
            problems.append(
                Problem(
                    name,
                    f"row has {len(rec)} fields but the header has {len(header)}"
                    + _lines(spans[i - 1], i),
                    row=i,
                    expected=f"{len(header)} fields separated by {sep!r}",
                )
            )
    if problems:
        title = _title_rows(name, header, records, blank)
        raise InputError([title] if title is not None else problems)
    body = [r if len(r) == len(header) else [""] * len(header) for r in records[1:]]
    frame = pd.DataFrame(body, columns=[unneutralise(h) for h in header], dtype=object)
    if "'" in text:
        frame = _unneutralised(frame)
    return frame, sum(not b for b in blank[1:])


def _title_rows(name: str, header: list[str], records: list[list[str]], blank: list[bool],
                look: int = 10) -> Problem | None:  # fmt: skip
    """A title above the table (the first line holds fewer fields than the rows below):
    one problem naming the row the column names seem to be in, or None."""
    for i in range(1, min(look, len(records))):
        rec = [c.strip() for c in records[i]]
        if blank[i] or len(rec) <= len(header) or not all(rec) or len(set(rec)) < len(rec):
            continue
        rest = [r for r, b in zip(records[i + 1 :], blank[i + 1 :], strict=False) if not b]
        if rest and all(len(r) == len(rec) for r in rest):
            return _title_problem(name, i + 1, rec)
    return None


def _title_problem(name: str, row: int, names: list[str]) -> Problem:
    """Title lines above a table (CSV or worksheet): the row the column names seem to be
    in, and how many rows to delete."""
    shown = ", ".join(repr(n) for n in names[:4]) + (", ..." if len(names) > 4 else "")
    return Problem(name, f"row 1 is not a header row: the column names seem to be in row "
                   f"{row} ({shown})", row=1,
                   expected=f"the column names in row 1: delete the {row - 1} row(s) above them")  # fmt: skip


def _unneutralised(frame: pd.DataFrame) -> pd.DataFrame:
    """Undo the apostrophe remission's CSV writers put before formula-like text."""
    for j in range(frame.shape[1]):
        col = frame.iloc[:, j]
        marked = col.str.startswith("'", na=False).to_numpy(bool)
        if marked.any():
            frame.iloc[marked, j] = [unneutralise(t) for t in col[marked]]
    return frame


def _lines(span: tuple[int, int], row: int) -> str:
    """Where a record is in a text editor, when that is not its row number."""
    a, b = span
    if a == b:
        return "" if a + 1 == row else f" (line {a + 1})"
    return f" (lines {a + 1}-{b + 1})"


def _csv_records(lines: list[str], sep: str) -> list[list[str]]:
    """Split records with the csv module; a cell may be as long as the file."""
    size = sum(len(ln) + 1 for ln in lines) + 1
    old = csv.field_size_limit()
    csv.field_size_limit(max(old, size))
    try:
        return list(csv.reader((ln + "\n" for ln in lines), delimiter=sep, strict=False))
    finally:
        csv.field_size_limit(old)


def _check_merges(
    name: str, spans: list, records: list[list[str]], lines: list[str], sep: str
) -> None:
    """The csv module and :func:`record_spans` must agree, and a quoted cell may hold line
    breaks but not whole rows: a line inside it with as many fields as the header means a
    quote left open that swallowed the rows below it."""
    if len(spans) != len(records):
        raise InputError([Problem(name, f"the file has {len(spans)} records but the CSV "
                                  f"reader found {len(records)}; rows cannot be accounted for",
                                  expected="quotes only around whole cells")])  # fmt: skip
    width = len(records[0]) if records else 0
    problems = []
    for k, (a, b) in enumerate(spans):
        if a < b and swallows(lines[a + 1 : b + 1], sep, width):
            problems.append(
                Problem(
                    name,
                    f'a quote (") opened in this row is closed only on line {b + 1}, '
                    f"so {b - a} later line(s) holding whole rows would be read as one cell "
                    f"(line {a + 1})",
                    row=k + 1,
                    expected="a closing quote in the same cell, or no quote",
                )  # fmt: skip
            )
    if problems:
        raise InputError(problems)


def _read_excel(name: str, data: bytes, sheet: str | int | None) -> pd.DataFrame:
    try:
        return pd.read_excel(
            io.BytesIO(data), sheet_name=0 if sheet is None else sheet, dtype=object,
            engine="openpyxl", keep_default_na=False, na_values=[],  # "NA" text stays text
        )  # fmt: skip
    except (ValueError, KeyError) as exc:
        raise InputError([Problem(name, f"cannot read the workbook: {exc}")]) from None
    except Exception as exc:  # zipfile.BadZipFile, openpyxl errors, ...
        raise InputError(
            [Problem(name, f"is not a readable .xlsx workbook ({type(exc).__name__})")]
        ) from None


def _excel_records(data: bytes, sheet: str | int | None) -> int | None:
    """Non-blank rows below the header, counted by openpyxl directly (not via pandas)."""
    from openpyxl import load_workbook

    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        ws = wb[sheet] if isinstance(sheet, str) else wb.worksheets[sheet or 0]
        rows = (r for r in ws.iter_rows(values_only=True) if not all(map(_is_missing, r)))
        next(rows, None)  # the header
        n = sum(1 for _ in rows)
        wb.close()
    except Exception:  # the workbook was read by pandas already; no second opinion
        return None
    return n


def _read_parquet(name: str, data: bytes) -> tuple[pd.DataFrame, int | None]:
    import pyarrow.parquet as pq

    try:
        frame = pd.read_parquet(io.BytesIO(data))
        n_rows = pq.read_metadata(io.BytesIO(data)).num_rows
    except Exception as exc:  # pyarrow.ArrowInvalid and friends
        raise InputError(
            [Problem(name, f"is not a readable Parquet file ({type(exc).__name__})")]
        ) from None
    blank = int(frame.map(_is_missing).to_numpy().all(axis=1).sum()) if frame.shape[1] else 0
    return frame, n_rows - blank


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
    unnamed = sum(1 for c in cols if not c or c.startswith("Unnamed:"))
    if problems and unnamed * 2 >= len(cols):
        lower = _header_below(frame)
        if lower is not None:  # a title above the table: one clear problem, not one a column
            raise InputError([_title_problem(name, *lower)])
    if problems:
        raise InputError(problems)
    data = {c: pd.Series(_cleaned(frame.iloc[:, j].to_numpy(dtype=object)), dtype=object, copy=False)
            for j, c in enumerate(cols)}  # fmt: skip
    return pd.DataFrame(data, columns=cols)


def _header_below(frame: pd.DataFrame, rows: int = 10) -> tuple[int, list[str]] | None:
    """(spreadsheet row, names) of the first of the next ``rows`` rows that reads as a
    header (every cell a distinct non-blank text, at least two), or None."""
    for i in range(min(rows, len(frame))):
        cells = frame.iloc[i].tolist()
        texts = [str(v).strip() for v in cells if isinstance(v, str) and v.strip()]
        if len(texts) >= 2 and len(texts) == len(cells) and len(set(texts)) == len(texts):
            return i + 2, texts
    return None


def _cleaned(values: list) -> np.ndarray:
    """Text stripped, blank and missing cells as None (each distinct text once)."""
    return map_distinct(values, _clean_one)[0]


def _clean_one(v: object) -> object:
    return (v.strip() or None) if type(v) is str else (None if _is_missing(v) else v)
