"""Cell parsers: every accepted form, every rejected one with its reason."""

import datetime as dt
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from remission.cohort.mrdvalue import MRDValue
from remission.cohort.parse import (
    CellError,
    parse_category,
    parse_cell,
    parse_date,
    parse_integer,
    parse_mrd_cell,
    parse_number,
    parse_text,
)
from remission.cohort.schema import column

D = dt.date(2019, 3, 21)


@pytest.mark.parametrize(
    "cell",
    ["2019-03-21", "2019/03/21", "2019-3-21", "2019-03-21 00:00:00", "2019-03-21T00:00:00",
     "21/03/2019", "21.03.2019", "21-03-2019", "21/3/2019", "21 Mar 2019", "21-mar-2019",
     "21 March 2019", "March 21, 2019", "Mar 21 2019", " 2019-03-21 ", "43545", 43545,
     43545.0, dt.date(2019, 3, 21), dt.datetime(2019, 3, 21)],
)  # fmt: skip
def test_date_forms(cell):
    assert parse_date(cell) == D


def test_slash_dates_are_day_first():
    assert parse_date("03/04/2019") == dt.date(2019, 4, 3)


@pytest.mark.parametrize(
    ("cell", "reason"),
    [("03/21/2019", "month-first"), ("21/03/19", "two-digit year"), ("2019-02-29", "no such date"),
     ("31/04/2019", "no such date"), ("21 Mxr 2019", "unknown month"), ("2019", "not a date"),
     ("yesterday", "not a date"), (43545.5, "not a whole Excel day number"),
     (12, "out of the range"), (True, "not a date"),
     (dt.datetime(2019, 3, 21, 14, 30), "time of day"), ("2019-03-21 14:30", "not a date")],
)  # fmt: skip
def test_dates_rejected(cell, reason):
    with pytest.raises(CellError, match=reason):
        parse_date(cell)


@pytest.mark.parametrize("cell", [None, "N/A", "na", "-", "unknown", "Not available"])
def test_missing_words(cell):
    assert parse_date(cell) is None
    assert parse_number(cell) is None
    assert parse_category(cell, column("sex")) is None
    assert parse_mrd_cell(cell) == MRDValue.missing()


def test_text_keeps_missing_words():
    assert parse_text("N/A") == "N/A"
    assert parse_text(12) == "12" and parse_text(12.0) == "12" and parse_text(1.5) == "1.5"
    assert parse_text(dt.datetime(2019, 3, 21)) == "2019-03-21"


@given(st.dates(dt.date(1900, 3, 1), dt.date(2100, 12, 31)))
@settings(max_examples=50, derandomize=True)
def test_date_forms_agree(d):
    forms = [d.isoformat(), d.strftime("%d/%m/%Y"), d.strftime("%d %b %Y"), d]
    serial = (d - dt.date(1899, 12, 30)).days
    assert {parse_date(f) for f in [*forms, serial]} == {d}


@pytest.mark.parametrize(
    ("cell", "value"),
    [("1.5", 1.5), ("-2", -2.0), ("1e-3", 0.001), ("1,5", 1.5), ("12,25", 12.25), (".5", 0.5),
     (3, 3.0), (2.25, 2.25), ("+4", 4.0)],
)  # fmt: skip
def test_numbers(cell, value):
    assert parse_number(cell) == value


@pytest.mark.parametrize(
    ("cell", "reason"),
    [("1,500", "ambiguous"), ("1.2.3", "not a number"), ("abc", "not a number"),
     (True, "true/false"), (math.inf, "finite"), ("nan", "not a number")],
)  # fmt: skip
def test_numbers_rejected(cell, reason):
    with pytest.raises(CellError, match=reason):
        parse_number(cell)


def test_integers():
    assert parse_integer("2") == parse_integer(2.0) == parse_integer(2) == 2
    with pytest.raises(CellError, match="whole number"):
        parse_integer("2.5")


def test_bounds():
    assert parse_cell("4", column("crs_grade")) == 4
    with pytest.raises(CellError, match="above the maximum"):
        parse_cell("5", column("crs_grade"))
    with pytest.raises(CellError, match="below the minimum"):
        parse_cell("-1", column("crs_grade"))


def test_categories():
    status = column("disease_status")
    assert parse_category("  Primary   Refractory ", status) == "primary refractory"
    assert parse_category("cr2", status) == "CR2"
    assert parse_category(True, column("crs")) == "yes"
    assert parse_category(0, column("crs")) == "no"
    with pytest.raises(CellError, match="unknown category"):
        parse_category("relapse", status)


@pytest.mark.parametrize(
    ("cell", "value"),
    [("<0.005", MRDValue.negative(0.005)), ("0.06", MRDValue.quantifiable(0.06)),
     (0.06, MRDValue.quantifiable(0.06)), ("PNQ", MRDValue.pnq()),
     ("pos <0.01", MRDValue.pnq(0.01)), ("0", MRDValue.negative()), ("100", MRDValue.quantifiable(100))],
)  # fmt: skip
def test_mrd_cells(cell, value):
    assert parse_mrd_cell(cell) == value


@pytest.mark.parametrize(
    ("cell", "reason"),
    [("-0.01", "negative MRD"), (-1, "negative MRD"), ("\u22120.5", "negative MRD"),
     ("100.5", "above 100 %"), (250, "above 100 %"), ("<150", "limit above 100 %"),
     ("high", "not an MRD result")],
)  # fmt: skip
def test_mrd_rejected(cell, reason):
    with pytest.raises(CellError, match=reason):
        parse_mrd_cell(cell)


def test_category_did_you_mean():
    with pytest.raises(CellError, match="did you mean 'CR1'"):
        parse_category("CR 1", column("disease_status"))
    with pytest.raises(CellError, match="did you mean 'haplo'"):
        parse_category("hapl", column("donor"))
