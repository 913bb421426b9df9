"""Write the committed fuzz corpus: the nastiest inputs found (issue 11), one file each.

``python tests/fuzz/make_corpus.py`` rewrites ``tests/fuzz/corpus/<reader>/``; a file
``NAME.rows`` beside a table holds the number of rows the table was written with, so the
fuzz test can check that a successful read accounts for every one of them.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

HERE = Path(__file__).parent / "corpus"
SEED = Path(__file__).resolve().parents[2] / "src" / "remission" / "datasets"
RUN = Path(__file__).resolve().parents[1] / "mrd" / "data" / "run_single_marker.csv"
OBS = Path(__file__).resolve().parents[1] / "toxicity" / "data" / "examples_observations.csv"


def _rows(path: Path) -> list[list[str]]:
    return list(csv.reader(path.read_text(encoding="utf-8").splitlines()))


def _csv(rows: list[list[str]], newline: str = "\n") -> str:
    buf = io.StringIO()
    csv.writer(buf, lineterminator=newline).writerows(rows)
    return buf.getvalue()


def _put(kind: str, name: str, data: str | bytes, rows: int | None = None) -> None:
    folder = HERE / kind
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    if rows is not None:
        (folder / f"{name}.rows").write_text(f"{rows}\n")


def _cohort() -> None:
    rows = _rows(SEED / "seed_cohort.csv")[:6]
    h = rows[0]
    lines = _csv(rows).splitlines()
    quote = list(lines)
    quote[2] += '"note that is closed four rows later'
    quote[5] += 'here"'
    _put("cohort", "quote_swallows_rows.csv", "\n".join(quote) + "\n", 5)
    quote = list(lines)
    quote[3] += '"never closed'
    _put("cohort", "quote_never_closed.csv", "\n".join(quote) + "\n", 5)
    _put("cohort", "cr_only.csv", _csv(rows, "\r"), 5)
    _put("cohort", "bom_only.csv", b"\xef\xbb\xbf")
    _put("cohort", "commas_only.csv", ",,,\n,,,\n")
    _put("cohort", "nbsp_only.csv", "\u00a0\n")
    long = [list(r) for r in rows]
    long[1][h.index("notes")] = "x" * 131_073
    _put("cohort", "cell_over_csv_limit.csv", _csv(long), 5)
    for name, col, value in [
        ("date_1500.csv", "last_followup_date", "1500-01-01"),
        ("date_2300.csv", "hsct_date", "2300-01-01"),
        ("integer_1e308.csv", "blinatumomab_cycles", "1e308"),
        ("superscript_id.csv", "patient_id", "1²"),
        ("formula_cells.csv", "notes", '=HYPERLINK("http://x.invalid","x")'),
        ("multiline_note.csv", "notes", 'line one\nline two, with commas, , ,\n"quoted"'),
    ]:
        bad = [list(r) for r in rows]
        bad[2][h.index(col)] = value
        _put("cohort", name, _csv(bad), 5)
    frame = pd.DataFrame(rows[1:], columns=h, dtype=object)
    table = pa.table({c: pa.array(list(frame[c]), pa.string()) for c in h})
    days = pa.array([dt.date(1, 1, 1), dt.date(9999, 12, 31)] + [None] * 3, pa.date32())
    buf = io.BytesIO()
    pq.write_table(table.set_column(h.index("date_of_birth"), "date_of_birth", days), buf)
    _put("cohort", "date32_extremes.parquet", buf.getvalue(), 5)
    ints = pa.array([1, 2**62, 1, -(2**63), 1], pa.int64())
    buf = io.BytesIO()
    pq.write_table(table.set_column(h.index("blinatumomab_cycles"), "blinatumomab_cycles", ints),
                   buf)  # fmt: skip
    _put("cohort", "int64_2e62.parquet", buf.getvalue(), 5)
    frame["date_of_birth"] = [dt.datetime(1500, 1, 1), dt.datetime(2300, 1, 1), None, None, None]
    buf = io.BytesIO()
    frame.to_excel(buf, index=False)
    _put("cohort", "excel_dates_1500_2300.xlsx", buf.getvalue(), 5)


def _run() -> None:
    rows = _rows(RUN)
    h = rows[0]
    bad = [list(r) for r in rows]
    bad[1][h.index("dilution")] = "10^400"
    _put("run", "dilution_10e400.csv", _csv(bad), len(rows) - 1)
    _put("run", "cr_only.csv", _csv(rows, "\r"), len(rows) - 1)
    lines = _csv(rows).splitlines()
    lines[4] = lines[4].replace(",", ',"', 1)
    _put("run", "quote_never_closed.csv", "\n".join(lines) + "\n", len(rows) - 1)


def _observations() -> None:
    rows = _rows(OBS)
    h = rows[0]
    for name, col, value in [("time_1500.csv", "time", "1500-01-01"),
                             ("age_1e308.csv", "age_years", "1e308"),
                             ("time_2019_02_30.csv", "time", "2019-02-30")]:  # fmt: skip
        bad = [list(r) for r in rows]
        bad[1][h.index(col)] = value
        _put("observations", name, _csv(bad), len(rows) - 1)
    _put("observations", "bom_only.csv", b"\xef\xbb\xbf")


def _yaml() -> None:
    lol = ", ".join(['"lol"'] * 9)
    bomb = f"a: &a [{lol}]\n" + "".join(
        f"{b}: &{b} [{', '.join([f'*{a}'] * 9)}]\n" for a, b in zip("abcdefgh", "bcdefghi", strict=True)
    ) + "title: *i\n"  # fmt: skip
    for kind in ("study", "claims"):
        _put(kind, "alias_bomb.yaml", bomb)
        _put(kind, "nested_5000.yaml", "title: " + "[" * 5000 + "]" * 5000 + "\n")
        _put(kind, "duplicate_keys.yaml", "title: a\ntitle: b\nclaims: []\nclaims: []\n")
        _put(kind, "python_tag.yaml", "title: !!python/object/apply:os.system ['true']\n")
    _put("study", "cutoff_2019_02_30.yaml", "data_cutoff_date: 2019-02-30\n")


if __name__ == "__main__":
    _cohort()
    _run()
    _observations()
    _yaml()
