"""Issue 11: each input that crashed, hung or lost rows is now a located input error.

Every case goes through the command line (``remission validate``) as a user would run it:
exit 2 with the problem named, never exit 0 with rows missing, never "internal error".
"""

import datetime as dt

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from cohort_builders import cohort_rows, write_rows

from remission.cli import main
from remission.cohort.cohort import load_cohort, natural_key
from remission.cohort.io import read_table
from remission.cohort.problems import InputError

HEADER = ",".join(cohort_rows(1)[0])


def _lines(n: int = 8) -> list[str]:
    rows = [",".join(r.values()) for r in cohort_rows(3)]
    rows += [rows[0].replace("P1,", f"P{i},", 1) for i in range(4, n + 1)]
    return [HEADER, *rows]


def _validate(capsys, path) -> tuple[int, str]:
    code = main(["validate", str(path)])
    out, err = capsys.readouterr()
    assert "internal error" not in err and "Traceback" not in err
    return code, out + err


def test_an_unbalanced_quote_names_the_row_where_it_opened(tmp_path, capsys):
    lines = _lines(8)
    lines[3] += '"free text that is never closed'  # row 4 (P3), notes column
    lines[7] += 'closed here"'  # row 8: the rows between would be one cell
    path = tmp_path / "quote.csv"
    path.write_text("\n".join(lines) + "\n")
    code, text = _validate(capsys, path)
    assert code == 2
    assert 'quote.csv, row 4: a quote (") opened in this row is closed only on line 8' in text
    lines[7] = lines[7].removesuffix('closed here"')
    path.write_text("\n".join(lines) + "\n")
    code, text = _validate(capsys, path)
    assert code == 2 and 'row 4: a quote (") opened here is never closed' in text


def test_a_cell_with_line_breaks_is_kept(tmp_path):
    lines = _lines(4)
    lines[2] += '"first line\nsecond line, with a comma\n""quoted"" third"'
    path = tmp_path / "notes.csv"
    path.write_text("\n".join(lines) + "\n")
    cohort = load_cohort(path)
    assert cohort.n == 4
    assert cohort.frame["notes"][1] == 'first line\nsecond line, with a comma\n"quoted" third'


@pytest.mark.parametrize("newline", ["\r", "\r\n", "\n"])
def test_every_newline_convention_reads_the_same(tmp_path, newline):
    path = tmp_path / "nl.csv"
    path.write_bytes(newline.join(_lines(5)).encode() + newline.encode())
    assert load_cohort(path).patient_ids == ("P1", "P2", "P3", "P4", "P5")


def test_a_cell_longer_than_the_csv_field_limit_is_kept(tmp_path):
    lines = _lines(3)
    lines[1] += "x" * 200_000
    path = tmp_path / "long.csv"
    path.write_text("\n".join(lines) + "\n")
    assert len(load_cohort(path).frame["notes"][0]) == 200_000


@pytest.mark.parametrize(
    "content", [b"\xef\xbb\xbf", b",,,\n,,,\n", "\u00a0".encode(), b"\xef\xbb\xbf\r\n ;;\r\n"]
)
def test_a_file_without_header_or_data_is_one_clear_line(tmp_path, capsys, content):
    path = tmp_path / "blank.csv"
    path.write_bytes(content)
    code, text = _validate(capsys, path)
    assert code == 2
    assert "blank.csv: has no header row and no data" in text and "1 problem found" in text


def _with(tmp_path, suffix, **cells):
    rows = cohort_rows(3)
    rows[1].update(cells)
    return write_rows(tmp_path / f"c{suffix}", rows)


@pytest.mark.parametrize("value", ["1500-01-01", "1677-09-20", "2262-04-12", "3000-01-01"])
def test_dates_outside_the_range_of_timestamps_are_located(tmp_path, capsys, value):
    code, text = _validate(capsys, _with(tmp_path, ".csv", last_followup_date=value))
    assert code == 2
    assert "row 3, patient P2, column 'last_followup_date': date out of the range" in text
    assert "expected a date from 1678-01-01 to 2261-12-31" in text


def test_out_of_range_excel_date_cells_are_located(tmp_path, capsys):
    path = tmp_path / "c.xlsx"
    frame = pd.DataFrame(cohort_rows(3), dtype=object)
    frame["date_of_birth"] = [dt.datetime(1500, 1, 1), dt.datetime(2017, 1, 10),
                              dt.datetime(2300, 1, 1)]  # fmt: skip
    frame.to_excel(path, index=False)
    code, text = _validate(capsys, path)
    assert code == 2
    assert "row 2, patient P1, column 'date_of_birth': date out of the range" in text
    assert "row 4, patient P3, column 'date_of_birth': date out of the range" in text


def _parquet(tmp_path, column, array):
    frame = pd.DataFrame(cohort_rows(3), dtype=object)
    table = pa.table({c: pa.array(list(frame[c]), pa.string()) for c in frame.columns})
    table = table.set_column(table.column_names.index(column), column, array)
    path = tmp_path / "c.parquet"
    pq.write_table(table, path)
    return path


def test_out_of_range_parquet_date32_is_located(tmp_path, capsys):
    days = [dt.date(1, 1, 1), dt.date(2017, 1, 10), dt.date(9999, 12, 31)]
    path = _parquet(tmp_path, "date_of_birth", pa.array(days, pa.date32()))
    code, text = _validate(capsys, path)
    assert code == 2 and text.count("column 'date_of_birth': date out of the range") == 2


def test_huge_integers_are_located(tmp_path, capsys):
    code, text = _validate(capsys, _with(tmp_path, ".csv", blinatumomab_cycles="1e308"))
    assert code == 2
    assert "row 3, patient P2, column 'blinatumomab_cycles': whole number too large" in text
    path = _parquet(tmp_path, "blinatumomab_cycles", pa.array([1, 2**62, 2], pa.int64()))
    code, text = _validate(capsys, path)
    assert code == 2 and "row 3, patient P2, column 'blinatumomab_cycles': whole number" in text


def test_any_unicode_patient_id_is_accepted(tmp_path, capsys):
    path = _with(tmp_path, ".csv", patient_id="1²")
    code, text = _validate(capsys, path)
    assert code == 0, text
    ids = load_cohort(path).patient_ids
    assert sorted(ids) == sorted(["P1", "1²", "P3"])
    assert natural_key("P٣") > natural_key("P2")  # Arabic-Indic three is a decimal digit


def test_raw_tables_count_their_records_independently(tmp_path):
    lines = _lines(6)
    lines.insert(3, ",,,")
    lines.insert(5, "")
    path = tmp_path / "blanks.csv"
    path.write_text("\n".join(lines) + "\n\n")
    raw = read_table(path)
    assert raw.n_records == 6 and len(raw.frame) == 8
    rows = cohort_rows(3)
    rows[1]["crs_grade"] = "7"
    bad = write_rows(tmp_path / "bad.csv", rows)
    cohort = load_cohort(bad, drop_invalid=True)
    assert cohort.n + len(cohort.dropped) == read_table(bad).n_records == 3
    with pytest.raises(InputError, match="crs_grade"):
        load_cohort(bad)
