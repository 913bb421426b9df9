"""The fast CSV reader (:func:`remission.cohort.csvrecords.fast_frame`) gives exactly what
the checked reader gives (issue 11: ``validate`` of 1e6 rows with quoted cells).

Random texts with quoted cells (separators, doubled quotes and line breaks inside them),
broken quotes (left open, in the middle of a cell, a quoted text inside an unquoted
cell, blanks before or text after a quoted cell), rows of the wrong width, blank lines,
LF / CR LF / CR and byte-order marks are read twice by :func:`remission.cohort.io.read_table`: as it is, and with the fast path switched
off (``io._fast_frame`` returning None: the csv module checked by ``record_spans``). The
frames, row numbers and record counts, or the problems raised, must be identical.
"""

from __future__ import annotations

import os
import sys
from unittest import mock

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cohort.test_distinct import CELL
from fuzz.fuzz_inputs import NASTY_TEXT
from remission.cohort import csvrecords, io
from remission.cohort.io import read_table
from remission.cohort.problems import InputError

#: ``REMISSION_FUZZ_EXAMPLES`` (as for the fuzz suite, ``make fuzz``) asks for more
#: examples, with seeds hypothesis chooses; otherwise 150 with a fixed seed
LONG = "REMISSION_FUZZ_EXAMPLES" in os.environ
EXAMPLES = max(150, int(os.environ.get("REMISSION_FUZZ_EXAMPLES", "0")))
SETTINGS = settings(max_examples=EXAMPLES, deadline=None, derandomize=not LONG, database=None,
                    suppress_health_check=list(HealthCheck))  # fmt: skip

FRAGMENT = st.sampled_from(["a", "B7", "é", "—", "\u00a0", "\u2003", "\x1c", " ", "'", "'=1",
                            "=1", '"', '""', ",", ";", "\t", "\n", "\r\n", "\r", "\ufeff", "",
                            "relapse, CNS", 'Smith, "J"', "x" * 40])  # fmt: skip
TEXT = st.one_of(
    st.lists(FRAGMENT, max_size=4).map("".join),
    CELL,
    st.sampled_from(NASTY_TEXT[:-3]),
    st.text(max_size=6),
).map(lambda t: t.replace("\x00", ""))

#: how a cell is written: correctly (plain or quoted) or with a broken quote
GOOD = ("plain", "quoted")
BROKEN = ("open", "mid", "inner pair", "blank before", "blank after", "text after")


def _cell(text: str, how: str, sep: str) -> str:
    quoted = '"' + text.replace('"', '""') + '"'
    if how == "plain":
        return text if not any(c in text for c in (sep, '"', "\n", "\r")) else quoted
    return {
        "quoted": quoted,
        "open": '"' + text,
        "mid": text[:1] + '"' + text[1:],
        "inner pair": "x" + quoted,  # Smith "J, K": quotes inside an unquoted cell
        "blank before": " " + quoted,
        "blank after": quoted + " ",
        "text after": quoted + "x",
    }[how]


@st.composite
def csv_texts(draw, broken: bool = True) -> tuple[str, str, bytes]:
    """(suffix, separator, bytes) of a CSV/TSV text; ``broken=False``: plain quoting, one
    width."""
    suffix = draw(st.sampled_from([".csv", ".tsv", ".txt"]))
    sep = "\t" if suffix == ".tsv" else draw(st.sampled_from([",", ";"]))
    width = draw(st.integers(1, 5))
    damaged = broken and draw(st.booleans())  # some cells broken, or all written well
    ways = st.sampled_from(GOOD * 12 + BROKEN) if damaged else st.sampled_from(GOOD)
    header = [f"c{j}" for j in range(width)]
    if draw(st.booleans()):
        header[draw(st.integers(0, width - 1))] = draw(st.sampled_from(["'=h", "a,b", 'q"', "é"]))
    rows = [header]
    for _ in range(draw(st.integers(0, 8))):
        w = width + (draw(st.sampled_from([0] * 10 + [-1, 1])) if damaged else 0)
        rows.append([draw(TEXT) for _ in range(max(w, 0))])
    lines = [sep.join(_cell(t, draw(ways), sep) for t in r) for r in rows]
    for _ in range(draw(st.integers(0, 3))):  # blank lines anywhere (above the header too)
        blanks = ["", "  ", sep * (width - 1), '""', sep.join(['" "'] * width), "\u00a0"]
        blank = draw(st.sampled_from(blanks + [sep * (width + 2)] * broken))
        lines.insert(draw(st.integers(0, len(lines))), blank)
    newline = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    text = newline.join(lines) + draw(st.sampled_from(["", newline, newline * 2, "\n"]))
    text = draw(st.sampled_from(["", "\ufeff", "\ufeff\ufeff"])) + text
    return suffix, sep, text.encode("utf-8", "surrogatepass")


def _outcome(path) -> tuple:
    try:
        t = read_table(path)
    except InputError as exc:
        return ("InputError", str(exc), exc.problems)
    return ("table", t.frame, t.rows, t.n_records)


def _both(path, block: int = csvrecords._BLOCK) -> tuple[tuple, tuple, list]:
    """(outcome with the fast path, outcome of the checked path, fast path's results);
    ``block``: bytes the fast path scans at a time (small: many block boundaries)."""
    taken: list = []
    real = io._fast_frame

    def spy(*args):
        taken.append(real(*args))
        return taken[-1]

    with mock.patch.object(io, "_fast_frame", spy), mock.patch.object(csvrecords, "_BLOCK", block):
        fast = _outcome(path)
    with mock.patch.object(io, "_fast_frame", lambda *a: None):
        checked = _outcome(path)
    return fast, checked, taken


def _assert_same(fast: tuple, checked: tuple) -> None:
    assert fast[0] == checked[0], (fast, checked)
    if fast[0] == "table":
        pd.testing.assert_frame_equal(fast[1], checked[1])
        assert fast[2:] == checked[2:]
    else:
        assert fast == checked


BLOCKS = st.sampled_from([csvrecords._BLOCK, 1, 2, 7, 64])


@SETTINGS
@given(csv_texts(), BLOCKS)
def test_fast_reader_same_as_checked(tmp_path_factory, case, block):
    suffix, _, data = case
    path = tmp_path_factory.mktemp("q") / f"t{suffix}"
    path.write_bytes(data)
    fast, checked, _ = _both(path, block)
    _assert_same(fast, checked)


@SETTINGS
@given(csv_texts(broken=False), BLOCKS)
def test_fast_reader_taken_for_plain_quoting(tmp_path_factory, case, block):
    """Correctly quoted texts (separators, quotes, line breaks in cells) take the fast path,
    unless the reader takes another separator than the writer (the first line with text
    decides) or a second byte-order mark starts the text."""
    suffix, sep, data = case
    path = tmp_path_factory.mktemp("q") / f"t{suffix}"
    path.write_bytes(data)
    fast, checked, taken = _both(path, block)
    _assert_same(fast, checked)
    text = data.decode("utf-8-sig").replace("\r\n", "\n").replace("\r", "\n")
    first = io._first_line(text) or ""
    sniffed = sep if suffix == ".tsv" else ";" if first.count(";") > first.count(",") else ","
    if taken and sniffed == sep and not text.startswith("\ufeff") and fast[0] == "table":
        assert taken[0] is not None, data


QUOTED_ROWS = 'id,note,n\r\nP1,"relapse, CNS",1\r\nP2,"a ""b""\r\nc",2\r\n\r\nP3,,3\r\n'


@pytest.mark.parametrize("block", [csvrecords._BLOCK, 1, 5, 30])
def test_quoted_cells_read_by_the_fast_path(tmp_path, block):
    """Also when a block of the scan ends inside a quoted cell (small ``block``)."""
    path = tmp_path / "q.csv"
    path.write_bytes(("\ufeff" + QUOTED_ROWS).encode())
    fast, checked, taken = _both(path, block)
    _assert_same(fast, checked)
    assert taken[0] is not None
    assert fast[1].to_dict("list") == {"id": ["P1", "P2", None, "P3"],
                                       "note": ["relapse, CNS", 'a "b"\nc', None, None],
                                       "n": ["1", "2", None, "3"]}  # fmt: skip
    assert fast[3] == 3


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ('id,note\nP1,"ok"\nP2,"open\nP3,x\n', "row 3"),  # swallows a whole row
        ('id,note\nP1,"ok"\nP2,x\nP3,"open\n', "row 4"),  # open at the end
        ('id,note\nP1,"ok" \nP2,x\n', None),  # blank after the quote: csv module's cells
        ('id,note\nP1,a"b\nP2,"x"\n', None),  # quote inside a cell
        ('id,note\nP1,"a",3\nP2,"x"\n', "row 2 has 3 fields"),
        ('id,note\nP1,"a"\nP2\n', "row 3 has 1 fields"),
    ],
)
def test_broken_quotes_same_as_checked(tmp_path, text, needle):
    path = tmp_path / "b.csv"
    path.write_text(text)
    fast, checked, taken = _both(path)
    _assert_same(fast, checked)
    assert taken == [None]
    if needle is not None:
        assert fast[0] == "InputError" and needle.split(" has")[0] in fast[1]


@pytest.mark.parametrize(
    ("text", "plain"),
    [
        ('a,b\n"1",2\n', True),
        ('a,b\n"1\n""x""",2\n"",""', True),
        ('"a"\n"b"', True),
        ('a,b\nx"1",2\n', False),  # a quote inside an unquoted cell
        ('a,b\n"1"x,2\n', False),  # text after the closing quote
        ('a,b\n "1",2\n', False),  # a blank before the opening quote
        ('a,b\n"1" ,2\n', False),  # a blank after the closing quote
        ('a,b\n"1,2\n', False),  # left open
        ('note\nx"a\nb"\nc\n', False),  # quoted text inside a cell, across a line break
    ],
)
def test_plain_quoting_is_recognised(text, plain):
    for block in (csvrecords._BLOCK, 1, 3):
        with mock.patch.object(csvrecords, "_BLOCK", block):
            assert (csvrecords._line_facts(text.encode(), ",") is not None) == plain


def test_record_count_of_the_c_reader_is_verified(tmp_path):
    """Were the scan wrong (here: every quote taken as plain), the C reader's number of
    records would differ from the scan's, and the checked path reads the file."""
    text = 'note\nx"a\nb"\nc\n'  # the csv module: 3 records; a plain reading: 2
    with mock.patch.object(csvrecords, "_plain_quotes", lambda *a: True):
        assert csvrecords._line_facts(text.encode(), ",") is not None
        assert csvrecords.fast_frame("t.csv", text.encode(), ",") is None
        path = tmp_path / "t.csv"
        path.write_text(text)
        fast, checked, taken = _both(path)
    _assert_same(fast, checked)
    assert taken == [None] and fast[0] == "table" and fast[3] == 3


def test_c_reader_with_another_number_of_rows_is_not_used():
    """The last guard: the C reader's rows must be the scan's records, one for one."""
    text = b"a,b\n1,2\n3,4\n"
    assert csvrecords.fast_frame("t.csv", text, ",") is not None
    extra = pd.DataFrame([["a", "b"], ["1", "2"], ["3", "4"], ["5", "6"]], dtype=object)
    with mock.patch.object(csvrecords, "_c_reader", lambda *a: extra):
        assert csvrecords.fast_frame("t.csv", text, ",") is None


def test_open_quote_in_a_large_quoted_file_names_its_row(tmp_path):
    rows = [f'P{i},"note {i}, more",{i}' for i in range(3000)]
    rows[1234] = 'P1234,"note left open,1234'
    path = tmp_path / "big.csv"
    path.write_text("id,note,n\n" + "\n".join(rows) + "\n")
    fast, checked, _ = _both(path)
    _assert_same(fast, checked)
    assert "row 1236" in fast[1] and "line 1236" in fast[1]


def test_text_bytes_are_never_white_space():
    """A byte that marks a record as not blank is in no white-space character's UTF-8."""
    spaces = [chr(cp) for cp in range(sys.maxunicode + 1) if chr(cp).isspace()]
    assert len(spaces) == 29  # as str.isspace and str.strip know them
    for sep in (",", ";", "\t"):
        for c in [*spaces, sep, '"']:
            assert not csvrecords._sure(np.frombuffer(c.encode(), np.uint8), ord(sep)).any()


def test_long_file_read_in_chunks_same_as_checked(tmp_path):
    """More rows than pandas' C reader takes at a time (``low_memory``: 16,384 rows of
    40 columns), with quoted cells, a line break in a cell and blank lines."""
    width, n = 40, 20_000
    lines = [",".join(f"c{j}" for j in range(width))]
    for i in range(n):
        cells = [f'"{i}, {j}"' if (i + j) % 3 == 0 else str(j) for j in range(width)]
        if i % 4999 == 0:
            cells[-1] = f'"line\n{i} ""break"""'
        lines.append(",".join(cells))
        if i % 7001 == 0:
            lines.append("," * (width - 1))
    path = tmp_path / "long.csv"
    path.write_text("\n".join(lines) + "\n")
    fast, checked, taken = _both(path)
    _assert_same(fast, checked)
    assert taken[0] is not None and fast[3] == n
    assert fast[1].iloc[-1, -1] == "39" and fast[1].iloc[4999 + 1, -1] == 'line\n4999 "break"'
