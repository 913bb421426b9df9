"""The fast paths of ``validate`` (issue 11) give exactly what the per-cell parser gives.

Each distinct text is parsed once (:mod:`remission.cohort.distinct`) and a CSV with plain
quoting is read by pandas' C reader (:func:`remission.cohort.io._fast_frame`); both are
switched off here (``distinct._codes`` returning None, ``io._fast_frame`` returning
None: the per-cell and csv-module paths) and the results compared, value for value and
problem for problem, on random mixes of good and bad cells.
"""

from __future__ import annotations

import datetime as dt
from unittest import mock

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from remission.cohort import distinct, io
from remission.cohort.infer import infer_column
from remission.cohort.io import RawTable, read_table
from remission.cohort.parse import CellError, parse_cell
from remission.cohort.schema import COLUMNS, Column
from remission.cohort.validate import _parsed, check_table

SETTINGS = settings(max_examples=60, deadline=None, derandomize=True, database=None,
                    suppress_health_check=list(HealthCheck))  # fmt: skip
TODAY = dt.date(2024, 6, 1)

_days = st.dates(dt.date(1600, 1, 1), dt.date(2400, 12, 31))
DATE_TEXT = st.one_of(
    _days.map(lambda d: d.isoformat()),
    _days.map(lambda d: f"{d.year}/{d.month:02d}/{d.day:02d}"),
    _days.map(lambda d: d.isoformat() + " 00:00:00"),
    _days.map(lambda d: f"{d.day:02d}/{d.month:02d}/{d.year}"),
    _days.map(lambda d: f"{d.day}.{d.month}.{d.year}"),
    _days.map(lambda d: f"{d.month:02d}/{d.day:02d}/{d.year}"),  # US order: mostly errors
    _days.map(lambda d: f"{d.day:02d}/{d.month:02d}/{d.year % 100:02d}"),  # two-digit year
    _days.map(lambda d: d.strftime("%d %b %Y")),
    _days.map(lambda d: d.strftime("%B %d, %Y")),
    st.sampled_from(["2019-02-30", "2019-13-01", "31/04/2019", "1 Foo 2019", "43545",
                     "99999", "2019-03-21T10:00"]),
)  # fmt: skip
NUMBER_TEXT = st.one_of(
    st.integers(-(2**60), 2**60).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.sampled_from(["1,5", "1,500", "-0", "1e308", "1e400", ".5", "5.", "2.0", "0x10",
                     "1_000", "²", "1 000", "+3", "-2.5e-3"]),
)  # fmt: skip
MRD_TEXT = st.sampled_from(["<0.005", "< 0.01 %", "PNQ", "pos", "neg", "negative", "0.06",
                            "1.2%", "-0.1", "150", "6x10-4", "6 x 10^-4", "10^400",
                            "positive <0.01", "0", "100", "101 %", "failed acceptance"])  # fmt: skip
MISSING = st.sampled_from(["", " ", "NA", "n/a", "unknown", "-", " Not available "])
OTHER = st.sampled_from(["yes", "No", "M", "f", "CR1", "cr2", "haplo", "MSD", "CNS1",
                         "infection", "B-ALL", "???", "=1+1", "'=1"])  # fmt: skip
CELL = st.one_of(DATE_TEXT, NUMBER_TEXT, MRD_TEXT, MISSING, OTHER, st.text(max_size=8))
#: cells of one column: few distinct texts, so that they repeat as in a real cohort
COLUMN_CELLS = st.lists(CELL, min_size=1, max_size=6).flatmap(
    lambda pool: st.lists(st.one_of(st.sampled_from(pool), st.none()), min_size=1, max_size=40)
)
KINDS = {c.kind: c for c in reversed(COLUMNS)}  # one core column of every kind


def per_cell():
    """The per-cell paths: no factorisation, no C reader."""
    return mock.patch.object(distinct, "_codes", lambda arr: None)


def _same(a: object, b: object) -> bool:
    if isinstance(a, CellError) or isinstance(b, CellError):
        return type(a) is type(b) and (a.message, a.expected) == (b.message, b.expected)
    if isinstance(a, float) and isinstance(b, float) and np.isnan(a) and np.isnan(b):
        return True
    return type(a) is type(b) and a == b


@SETTINGS
@given(COLUMN_CELLS, st.sampled_from(sorted(KINDS)))
def test_parsed_equals_parse_cell(cells, kind):
    col = KINDS[kind]
    parsed, bad = _parsed(np.array(cells, dtype=object), col)
    for cell, got, flagged in zip(cells, parsed, bad, strict=True):
        try:
            want = parse_cell(cell, col)
        except CellError as err:
            want = err
        assert _same(got, want), (cell, got, want)
        assert flagged == isinstance(want, CellError)


@SETTINGS
@given(COLUMN_CELLS)
def test_infer_column_same_either_way(cells):
    fast = infer_column("x", cells)
    with per_cell():
        slow = infer_column("x", cells)
    assert fast == slow


def _table(columns: dict[str, list]) -> RawTable:
    n = len(next(iter(columns.values())))
    frame = pd.DataFrame({k: pd.Series(v, dtype=object) for k, v in columns.items()})
    return RawTable("t.csv", frame, tuple(range(2, n + 2)))


@st.composite
def cohorts(draw):
    n = draw(st.integers(1, 25))
    names = ["patient_id", "sex", "diagnosis_date", "hsct_date", "relapse_date",
             "death_date", "last_followup_date", "mrd_pre_percent", "crs_grade",
             "age_at_diagnosis_years", "extra_a", "extra_b"]  # fmt: skip
    columns = {"patient_id": [f"P{draw(st.integers(1, n + 3))}" for _ in range(n)]}
    for name in names[1:]:
        pool = draw(st.lists(CELL, min_size=1, max_size=5))
        columns[name] = draw(st.lists(st.one_of(st.sampled_from(pool), st.none()),
                                      min_size=n, max_size=n))  # fmt: skip
    return columns


@SETTINGS
@given(cohorts())
def test_check_table_same_either_way(columns):
    fast = check_table(_table(columns), today=TODAY)
    with per_cell():
        slow = check_table(_table(columns), today=TODAY)
    assert fast.all_problems() == slow.all_problems()
    assert fast.warnings == slow.warnings
    assert fast.columns == slow.columns
    assert fast.age_derived == slow.age_derived
    pd.testing.assert_frame_equal(fast.frame, slow.frame)
    assert fast.all_problems() or fast.frame["patient_id"].notna().all()


QUOTE_FREE = st.text(st.characters(blacklist_characters='"\x00\r\n',
                                   blacklist_categories=("Cs",)), max_size=6)  # fmt: skip


@SETTINGS
@given(st.integers(1, 5), st.data(), st.sampled_from([",", ";", "\t"]),
       st.sampled_from(["\n", "\r\n", "\r"]))  # fmt: skip
def test_csv_c_reader_same_cells(tmp_path_factory, width, data, sep, newline):
    rows = data.draw(st.lists(st.lists(st.one_of(CELL, QUOTE_FREE).filter(
        lambda t: '"' not in t and "\n" not in t and "\r" not in t and "\x00" not in t),
        min_size=width, max_size=width), min_size=1, max_size=12))  # fmt: skip
    stems = data.draw(st.lists(st.sampled_from(["c", "'=c", "=c", "'c", " c"]), min_size=width,
                               max_size=width))  # fmt: skip
    header = [f"{stem}{j}" for j, stem in enumerate(stems)]
    text = newline.join(sep.join(r) for r in [header, *rows]) + data.draw(
        st.sampled_from(["", newline, newline * 2])
    )
    path = tmp_path_factory.mktemp("csv") / ("t.tsv" if sep == "\t" else "t.csv")
    path.write_bytes(text.encode("utf-8"))
    outcomes = []
    for patch in (mock.patch.object(io, "_fast_frame", wraps=io._fast_frame),
                  mock.patch.object(io, "_fast_frame", lambda *a: None)):  # fmt: skip
        with patch:
            try:
                t = read_table(path)
                outcomes.append((t.frame, t.rows, t.n_records))
            except Exception as exc:  # noqa: BLE001 - compared below, both ways
                outcomes.append((type(exc).__name__, str(exc)))
    (a, b) = outcomes
    if isinstance(a[0], pd.DataFrame) and isinstance(b[0], pd.DataFrame):
        pd.testing.assert_frame_equal(a[0], b[0])
        assert a[1:] == b[1:]
    else:
        assert a == b


def test_fast_reader_taken_for_a_plain_csv(tmp_path):
    path = tmp_path / "c.csv"
    path.write_text("patient_id,sex\nP1, M \nP2,\n\n")
    results = []
    real = io._fast_frame

    def spy(*args):
        results.append(real(*args))
        return results[-1]

    with mock.patch.object(io, "_fast_frame", spy):
        t = read_table(path)
    assert len(results) == 1 and results[0] is not None
    assert t.frame.to_dict("list") == {"patient_id": ["P1", "P2"], "sex": ["M", None]}
    assert t.n_records == 2


def test_map_distinct_parses_each_text_once():
    seen = []
    out, flags = distinct.map_distinct(["a", "b", "a", None, "a"], lambda c: seen.append(c) or c,
                                       lambda r: r == "b")  # fmt: skip
    assert sorted(map(str, seen)) == ["None", "a", "b"]
    assert list(out) == ["a", "b", "a", None, "a"]
    assert list(flags) == [False, True, False, False, False]


def test_map_distinct_cell_by_cell_for_mixed_types():
    out, _ = distinct.map_distinct([1, 1.0, True, "1", float("nan")], lambda c: type(c).__name__)
    assert list(out) == ["int", "float", "bool", "str", "float"]


def test_parse_mixed_types_kept_apart():
    col = Column("n", "number", "a number")
    parsed, bad = _parsed(np.array([True, 1, "1", None], dtype=object), col)
    assert list(bad) == [True, False, False, False]
    assert list(parsed[1:]) == [1.0, 1.0, None]
