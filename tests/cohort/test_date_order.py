"""Numeric dates day first by default, month first when the study file says so; a column
that writes dates month first in a day-first file is a file error, never dropped row by
row with its other dates misread; `remission init` guesses the order from the cells."""

import datetime as dt
import re

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from remission.cli import main
from remission.cohort.cohort import load_cohort
from remission.cohort.io import RawTable
from remission.cohort.parse import MONTH_FIRST, CellError, parse_date
from remission.cohort.problems import InputError
from remission.cohort.starter import date_order, starter_study
from remission.cohort.study import load_study


def test_parse_date_orders():
    assert parse_date("03/04/2019") == dt.date(2019, 4, 3)
    assert parse_date("03/04/2019", month_first=True) == dt.date(2019, 3, 4)
    assert parse_date("03/21/2019", month_first=True) == dt.date(2019, 3, 21)
    assert parse_date("2019-03-21", month_first=True) == dt.date(2019, 3, 21)
    with pytest.raises(CellError, match=re.escape(MONTH_FIRST)):
        parse_date("03/21/2019")
    with pytest.raises(CellError, match="day-first date in a column declared month first"):
        parse_date("21/03/2019", month_first=True)


@given(st.dates(dt.date(1900, 1, 1), dt.date(2200, 12, 31)))
def test_each_order_reads_its_own_writing(d):
    assert parse_date(d.strftime("%d/%m/%Y")) == d
    assert parse_date(d.strftime("%m/%d/%Y"), month_first=True) == d
    assert parse_date(d.strftime("%d.%m.%Y")) == d


def test_study_date_order_key(tmp_path):
    p = tmp_path / "s.yaml"
    p.write_text("date_order: month-first\n", encoding="utf-8")
    study = load_study(p)
    assert study.date_order == "month-first"
    assert all(c.month_first for c in study.all_columns() if c.kind == "date")
    p.write_text("date_order: month first\n", encoding="utf-8")
    with pytest.raises(InputError, match="did you mean 'month-first'"):
        load_study(p)
    p.write_text("date_ordr: month-first\n", encoding="utf-8")
    with pytest.raises(InputError, match="did you mean 'date_order'"):
        load_study(p)


HEADER = "patient_id,sex,date_of_birth,diagnosis_date,last_followup_date"
ROWS_DMY = ["P1,M,03/04/2010,21/05/2015,01/02/2020", "P2,F,15/06/2011,02/03/2016,30/12/2020"]


def _us(rows):
    def swap(cell):
        d, m, y = cell.split("/")
        return f"{m}/{d}/{y}"

    out = []
    for row in rows:
        cells = row.split(",")
        out.append(",".join(cells[:2] + [swap(c) for c in cells[2:]]))
    return out


def _write(tmp_path, rows, name):
    path = tmp_path / name
    path.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    return path


def test_a_month_first_file_reads_the_same_with_date_order(tmp_path):
    eu = load_cohort(_write(tmp_path, ROWS_DMY, "eu.csv"))
    study = tmp_path / "us.yaml"
    study.write_text("date_order: month-first\n", encoding="utf-8")
    us = load_cohort(_write(tmp_path, _us(ROWS_DMY), "us.csv"), study=study)
    cols = ["patient_id", "date_of_birth", "diagnosis_date", "last_followup_date"]
    pd.testing.assert_frame_equal(eu.frame[cols], us.frame[cols])


def test_month_first_cells_in_a_day_first_file_are_a_column_error(tmp_path):
    path = _write(tmp_path, _us(ROWS_DMY), "us.csv")
    with pytest.raises(InputError) as err:
        load_cohort(path, drop_invalid=True)  # not droppable: P1's 04/03/2010 is ambiguous
    file_level = [p for p in err.value.problems if p.row is None]
    assert {p.column for p in file_level} == {"diagnosis_date", "last_followup_date",
                                              "date_of_birth"}  # fmt: skip
    assert all("date_order: month-first" in p.expected for p in file_level)


def test_cli_says_how_to_declare_the_order(tmp_path, capsys):
    path = _write(tmp_path, _us(ROWS_DMY), "us.csv")
    assert main(["validate", str(path), "--drop-invalid"]) == 2
    err = capsys.readouterr().err
    assert (
        "column 'diagnosis_date': dates written month first (US) in 1 cell, the first in row 2"
        in err
    )


def test_init_guesses_the_order():
    us = RawTable("us.csv", pd.DataFrame({"d": ["03/04/2010", "01/14/2022", ""]}), (2, 3, 4))
    eu = RawTable("eu.csv", pd.DataFrame({"d": ["03/04/2010", "14/01/2022"]}), (2, 3))
    both = RawTable("x.csv", pd.DataFrame({"d": ["01/14/2022", "14/01/2022"]}), (2, 3))
    assert date_order(us) == ("month-first", "01/14/2022")
    assert date_order(eu) == ("day-first", "14/01/2022")
    assert date_order(both)[0] == "day-first"  # mixed: the default, and validate says where
    text = starter_study(us)
    assert "date_order: month-first  # GUESS" in text
    assert "type: date" in text
    assert "date_order" not in starter_study(eu)
