"""Malformed input files for every reader: hypothesis strategies that know the truth.

A *case* is the bytes of a file, its suffix and ``truth``: the number of non-blank data
rows the author meant the file to hold, or ``None`` when a mutation makes that unknowable
(random bytes, truncation). The rows are drawn from a valid base file (the seed cohort,
an observation file, an MRD run file), cells are replaced by nasty values, the table is
written by a correct CSV/xlsx/Parquet writer, and then the text itself may be damaged
(an unbalanced quote, a deleted or doubled line, other newlines, a BOM, garbage).

``REMISSION_FUZZ_EXAMPLES`` sets the number of examples per reader (default 40, fixed
seed, for CI); ``make fuzz`` sets it high and lets hypothesis choose seeds.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
from dataclasses import dataclass
from pathlib import Path

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

import remission

EXAMPLES = int(os.environ.get("REMISSION_FUZZ_EXAMPLES", "40"))
LONG = "REMISSION_FUZZ_EXAMPLES" in os.environ
SETTINGS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=not LONG,
    database=None,
    suppress_health_check=list(HealthCheck),
)

DATA = Path(remission.__file__).parent / "datasets"
TESTS = Path(__file__).resolve().parents[1]
BASES = {
    "cohort": DATA / "seed_cohort.csv",
    "observations": TESTS / "toxicity" / "data" / "examples_observations.csv",
    "run": TESTS / "mrd" / "data" / "run_single_marker.csv",
}

NASTY_TEXT = [
    "", " ", "\u00a0", "\ufeff", '"', '""', "'", "'=1", ",", ";", "\t", "\r", "\n", "a\nb",
    "a\r\nb", '"quoted"', "=1+1", "@SUM(1+1)", "+1+cmd|' /C calc'!A0", "-", "N/A", "NA",
    "1e308", "-1e308", "1e-400", "1e400", "nan", "inf", "-inf", "9" * 30, "-0", "0x10",
    "1_000", "1,500", "1,5", "²", "1²", "٣", "①", "10^400", "10^-400", "10^", "6x10-4",
    "6x10^-400", "6x10^400", "<0.005", "<", "<<1", ">100", "PNQ", "pos <0.01", "neg", "2019-02-30",
    "1500-01-01", "1677-09-21", "2262-04-12", "9999-12-31", "0000-00-00", "00/00/0000",
    "99999", "2958466", "61", "31/12/1899", "2019-03-21T10:30", "\u202e", "\U0001f600",
    "x" * 300, "undetermined", "standard", "followup", "ntc", "yes", "no", "true", "0",
]  # fmt: skip
LONG_CELL = "y" * 140_000


@dataclass(frozen=True)
class Case:
    """A file to read: its bytes, suffix, and the rows it was meant to hold (or None)."""

    data: bytes
    suffix: str
    truth: int | None
    how: tuple[str, ...]

    def write(self, folder: Path, stem: str = "case") -> Path:
        path = folder / f"{stem}{self.suffix}"
        path.write_bytes(self.data)
        return path


def base_rows(kind: str) -> tuple[list[str], list[list[str]]]:
    rows = list(csv.reader(BASES[kind].read_text(encoding="utf-8").splitlines()))
    return rows[0], [r for r in rows[1:] if any(c.strip() for c in r)]


def _blank(cell: object) -> bool:
    if isinstance(cell, float) and cell != cell:  # NaN: a missing number
        return True
    return cell is None or (isinstance(cell, str) and not cell.strip())


def _count(rows: list[list]) -> int:
    return sum(not all(_blank(c) for c in r) for r in rows)


cell_text = st.one_of(
    st.sampled_from(NASTY_TEXT),
    st.text(max_size=20),
    st.just(LONG_CELL),
)


@st.composite
def table_rows(draw, kind: str) -> tuple[list[str], list[list[str]], list[str]]:
    """Header and rows of a base file: a subset of its rows, some cells made nasty."""
    header, rows = base_rows(kind)
    if draw(st.booleans()):  # the whole file: its own checks (standards, ...) can pass
        picked = list(range(len(rows)))
    else:
        picked = draw(st.lists(st.sampled_from(range(len(rows))), min_size=0, max_size=12))
    body = [list(rows[i]) for i in picked]
    how = [f"{len(body)} rows"]
    for _ in range(draw(st.integers(0, 6)) if body else 0):
        i = draw(st.integers(0, len(body) - 1))
        j = draw(st.integers(0, len(header) - 1))
        value = draw(cell_text)
        body[i][j] = value.replace("\x00", "")
        how.append(f"cell ({i + 2}, {header[j]}) = {value[:30]!r}")
    if draw(st.booleans()) and header:
        j = draw(st.integers(0, len(header) - 1))
        new = draw(st.sampled_from(["", " ", header[0], "x" * 5, "\ufeffpatient_id", "=cmd"]))
        how.append(f"header {header[j]!r} -> {new!r}")
        header = list(header)
        header[j] = new
    return header, body, how


def _serialise(header: list[str], body: list[list[str]], sep: str, newline: str) -> str:
    buf = io.StringIO()
    csv.writer(buf, delimiter=sep, lineterminator=newline).writerows([header, *body])
    return buf.getvalue()


_RAW = ["quote at a cell start", "quote mid-cell", "delete line", "double line", "blank lines",
        "delimiter-only line", "extra delimiter", "truncate", "garbage bytes", "nul byte",
        "latin-1 byte", "none"]  # fmt: skip


@st.composite
def text_cases(draw, kind: str) -> Case:
    """A CSV/TSV of ``kind``, written correctly and then possibly damaged as text."""
    header, body, how = draw(table_rows(kind))
    suffix = draw(st.sampled_from([".csv", ".tsv", ".txt"]))
    sep = "\t" if suffix == ".tsv" else draw(st.sampled_from([",", ";"]))
    if suffix == ".txt" and sep == ";" and sum(h.count(",") for h in header):
        sep = ","
    newline = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    text = _serialise(header, body, sep, newline)
    truth: int | None = _count(body)
    if sep == ";" and header and header[0].count(";") <= header[0].count(","):
        truth = None  # the separator sniffer may take ',' for this header: no promise
    multiline = any("\n" in c or "\r" in c or '"' in c for r in body for c in r)
    lines = text.split(newline)
    for _ in range(draw(st.integers(0, 2))):
        op = draw(st.sampled_from(_RAW))
        how.append(op)
        delta = _damage(draw, op, lines, sep, len(header))
        if delta is None or truth is None or (delta and multiline):
            truth = None
        else:
            truth += delta
    text = newline.join(lines)
    if draw(st.booleans()):
        text = "\ufeff" + text
    data = text.encode("utf-8", "surrogatepass")
    if "truncate" in how:
        data = data[: draw(st.integers(0, len(data)))]
    if "garbage bytes" in how:
        at = draw(st.integers(0, len(data)))
        data = data[:at] + draw(st.binary(min_size=1, max_size=16)) + data[at:]
    if "nul byte" in how:
        data = data.replace(b",", b"\x00", 1)
    if "latin-1 byte" in how:
        data = data + b"caf\xe9\n"
    return Case(data, suffix, truth, tuple(how))


def _damage(draw, op: str, lines: list[str], sep: str, width: int) -> int | None:
    """Damage ``lines`` in place; return the change in meant rows (None: unknowable)."""
    n = len(lines) - 1  # the last element is "" after the final newline
    k = draw(st.integers(1, max(1, n - 1))) if n > 1 else 0
    blank = not lines[k].replace(sep, "").replace('"', "").strip()
    if op in ("truncate", "garbage bytes", "nul byte", "latin-1 byte"):
        return None  # applied to the bytes afterwards
    if n <= 1 and op not in ("blank lines", "delimiter-only line"):
        return 0
    if op == "quote at a cell start":
        cells = lines[k].split(sep)
        j = draw(st.integers(0, len(cells) - 1))
        cells[j] = '"' + cells[j]
        lines[k] = sep.join(cells)
    elif op == "quote mid-cell":
        at = draw(st.integers(0, len(lines[k])))
        lines[k] = lines[k][:at] + '"' + lines[k][at:]
    elif op == "delete line":
        del lines[k]
        return -int(not blank)
    elif op == "double line":
        lines.insert(k, lines[k])
        return int(not blank)
    elif op == "blank lines":
        lines.insert(k, draw(st.sampled_from(["", " ", "\u00a0", "\t "])))
    elif op == "delimiter-only line":
        lines.insert(k, sep * draw(st.integers(1, width + 2)))
    elif op == "extra delimiter":
        lines[k] += sep
    return 0


# ---------------------------------------------------------------- xlsx and Parquet

_EXTREME_DATES = [dt.date(1, 1, 1), dt.date(1500, 1, 1), dt.date(1677, 9, 21),
                  dt.date(1900, 2, 28), dt.date(2262, 4, 12), dt.date(9999, 12, 31)]  # fmt: skip
typed_cell = st.one_of(
    st.none(),
    cell_text,
    st.integers(-(2**63), 2**63 - 1),
    st.sampled_from([2**62, -(2**62), 2**53 + 1, 0, 1, -1]),
    st.floats(),
    st.sampled_from(_EXTREME_DATES),
    st.dates(),
    st.datetimes(),
    st.booleans(),
)


@st.composite
def binary_cases(draw, kind: str) -> Case:
    """An .xlsx or Parquet file of ``kind`` with typed cells, some extreme."""
    header, body, how = draw(table_rows(kind))
    rows: list[list[object]] = [list(r) for r in body]
    for _ in range(draw(st.integers(0, 4)) if rows else 0):
        i = draw(st.integers(0, len(rows) - 1))
        j = draw(st.integers(0, len(header) - 1))
        rows[i][j] = draw(typed_cell)
        how.append(f"typed cell ({i + 2}, {header[j]}) = {rows[i][j]!r:.40}")
    suffix = draw(st.sampled_from([".xlsx", ".parquet"]))
    writer = _write_xlsx if suffix == ".xlsx" else _write_parquet
    data = writer(header, rows, draw)
    if data is None:
        return Case(b"", suffix, None, (*how, "unwritable"))
    truth = None if suffix == ".parquet" else _count(rows)
    if suffix == ".parquet":
        truth = _parquet_truth(data)
    return Case(data, suffix, truth, tuple(how))


def _write_xlsx(header: list[str], rows: list[list[object]], draw) -> bytes | None:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    try:
        ws.append(header)
        for r in rows:
            ws.append(r)
        buf = io.BytesIO()
        wb.save(buf)
    except Exception:  # openpyxl refuses control characters, dates before 1900, ...
        return None
    return buf.getvalue()


def _column_array(values: list[object]):
    import pyarrow as pa

    kinds = {type(v) for v in values if v is not None}
    for typ in (pa.int64(), pa.float64(), pa.date32(), pa.timestamp("us"), pa.bool_()):
        try:
            return pa.array(values, type=typ) if kinds else pa.array(values, pa.string())
        except (pa.ArrowInvalid, pa.ArrowTypeError, OverflowError, TypeError, ValueError):
            continue
    return pa.array([None if v is None else str(v) for v in values], pa.string())


def _write_parquet(header: list[str], rows: list[list[object]], draw) -> bytes | None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    if len(set(header)) != len(header):
        return None  # Parquet cannot hold two columns of one name
    columns = {h: _column_array([r[j] for r in rows]) for j, h in enumerate(header)}
    buf = io.BytesIO()
    pq.write_table(pa.table(columns), buf)
    return buf.getvalue()


def _parquet_truth(data: bytes) -> int:
    """Non-blank rows, counted with pyarrow alone (not pandas, not remission)."""
    import pyarrow.parquet as pq

    table = pq.read_table(io.BytesIO(data))
    n = 0
    for row in table.to_pylist():
        n += not all(_blank(v) for v in row.values())
    return n


# ---------------------------------------------------------------- YAML

YAML_NASTIES = [
    "a: &a [1,2,3,4,5,6,7,8,9]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n"
    "d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: [*d,*d,*d,*d,*d,*d,*d,*d,*d]\n",
    "title: " + "[" * 3000 + "]" * 3000 + "\n",
    "".join("  " * i + f"k{i}:\n" for i in range(200)),
    "title: a\ntitle: b\n",
    "title: !!python/object/apply:os.system ['true']\n",
    "title: !!binary aGVsbG8=\n",
    "facts: !!set {a, b}\n",
    "data_cutoff_date: 2019-02-30\n",
    "data_cutoff_date: 1500-01-01\n",
    "data_cutoff_date: 99999\n",
    "facts: &x {a: *x}\n",
    "title: =\n",
    "- just\n- a list\n",
    "\t bad: indent\n",
    "claims: [\n",
    "claims:\n  - id: x\n    compute: {kind: count, where: {nope: [1, 2]}}\n",
    "claims:\n  - {id: a, quote: q, published: {form: count, value: 1e400}, compute: {kind: count}}\n",
    "facts: {n: 99999999999999999999999999999}\n",
    "title: " + "x" * 300_000 + "\n",
    "? [a, b]\n: c\n",
    "%YAML 1.1\n---\ntitle: x\n...\n---\ntitle: y\n",
    "title: *undefined\n",
]  # fmt: skip


@st.composite
def yaml_cases(draw, kind: str) -> Case:
    """The seed study or claims file with nasty YAML spliced in, lines cut or bytes added."""
    base = (DATA / ("seed_study.yaml" if kind == "study" else "seed_claims.yaml")).read_text()
    lines = base.splitlines(keepends=True)
    how = []
    for _ in range(draw(st.integers(1, 3))):
        op = draw(st.sampled_from(["nasty", "cut", "duplicate", "garbage", "unicode", "indent"]))
        k = draw(st.integers(0, max(0, len(lines) - 1)))
        how.append(op)
        if op == "nasty":
            lines.insert(k, draw(st.sampled_from(YAML_NASTIES)))
        elif op == "cut" and lines:
            lines = lines[:k]
        elif op == "duplicate" and lines:
            lines.insert(k, lines[k])
        elif op == "garbage":
            lines.insert(k, draw(st.text(max_size=30)) + "\n")
        elif op == "unicode":
            lines.insert(k, draw(st.sampled_from(["title: \u202e\n", "\ufeff", "ti\x00tle: x\n",
                                                  "title: \U0001f600\n"])))  # fmt: skip
        elif op == "indent" and lines:
            lines[k] = " " * draw(st.integers(1, 5)) + lines[k]
    text = "".join(lines)
    data = text.encode("utf-8", "surrogatepass")
    return Case(data, ".yaml", None, tuple(how))
