"""The records of a CSV/TSV text: the checked scanner and a vectorised one (issue 11).

:func:`record_spans` walks the text character by character and is the reference for row
accounting (which lines make up each record, which records are blank, where a quote was
left open). It costs a Python loop per character of every line that holds a quote, which
for a large file where every row has a quoted cell (a spreadsheet quotes every cell with
a comma, such as ``"relapse, CNS"``) is most of the time of ``validate``.

:func:`fast_frame` reads the text with pandas' C reader instead, after a vectorised scan
(NumPy over the UTF-8 bytes, in blocks) has shown that its quoting is *plain*:

- every quote that opens a quoted cell stands at the very start of a cell (first in the
  line, or right after a separator), and every quote that closes one is followed by a
  separator, a line end or the end of the text, except a doubled quote ``""`` inside
  the cell (the closing quote directly followed by a quote that opens again);
- the quotes of the whole text add up to an even number (none left open).

In such a text a byte is inside a quoted cell exactly when an odd number of quotes
precede it, so records end at the line breaks after an even number of quotes and fields
at the separators after an even number. The csv module, :func:`record_spans` and
pandas' C reader (``quotechar='"'``, ``doublequote``, no escape or comment character,
nothing skipped) all read such a text the same way: a cell is the text between its
separators, with the outer quotes removed and ``""`` read as ``"``. What the three read
differently (a quote inside an unquoted cell, text after a closing quote, a quote after
blanks at the start of a cell, a quote left open) is never plain, so it goes to the
checked path, which gives its own cells or its own located error. The scan also counts
the fields of every record (separators outside quotes), so a record with the wrong
number of fields, which pandas would pad with empty cells, goes to the checked path too.

Blank records (only blanks, separators and quotes) are rare; a record that holds a byte
that is neither white space, separator nor quote is known not to be blank; every other
record, and every record that spans several lines, is given to :func:`record_spans`
itself, and one spanning lines that hold whole rows (see :func:`swallows`) goes to the
checked path, which names it. The number of records pandas returns must equal the
scan's, or the checked path reads the file. The module ``remission.cohort.io`` uses
both; ``tests/cohort/test_csvrecords.py`` compares them on random texts.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import numpy as np
import pandas as pd

from remission.cohort.csvsafe import unneutralise
from remission.cohort.problems import InputError, Problem

__all__ = ["fast_frame", "record_spans", "swallows"]

_QUOTE, _NL = 0x22, 0x0A
_BLOCK = 1 << 24  # bytes scanned at a time (a few such arrays are alive at once)


def _sure(sub: np.ndarray, sepb: int) -> np.ndarray:
    """Bytes that show a record is not blank: printable ASCII other than the separator
    and the quote (no white-space character has such a byte in its UTF-8 encoding)."""
    return (sub > 0x20) & (sub < 0x80) & (sub != sepb) & (sub != _QUOTE)


# ------------------------------------------------------------------- the checked scanner


def record_spans(name: str, lines: list[str], sep: str) -> tuple[list[tuple[int, int]], list[bool]]:
    """(first line, last line) of every record and whether it is blank, without the csv module.

    A quote opens a quoted cell only at the start of a cell; ``""`` inside it is a
    literal quote, a quote followed by anything else closes it. A quoted cell still open
    at the end of the file is an error naming the row and line where it opened.
    """
    spans: list[tuple[int, int]] = []
    blank: list[bool] = []
    i, n = 0, len(lines)
    while i < n:
        start, quoted, content = i, False, False
        while True:
            line = lines[i]
            if '"' not in line and not quoted:
                content = content or bool(line.replace(sep, "").strip())
            else:
                quoted, seen = _scan_line(line, sep, quoted)
                content = content or seen
            if not quoted or i == n - 1:
                break
            i += 1
        if quoted:
            raise InputError([Problem(name, "a quote (\") opened here is never closed, so every "
                                      f"later row would be read into one cell (line {start + 1})",
                                      row=len(spans) + 1,
                                      expected='a closing quote, or no quote at the start of the '
                                      'cell')])  # fmt: skip
        spans.append((start, i))
        blank.append(not content)
        i += 1
    return spans, blank


def _scan_line(line: str, sep: str, quoted: bool) -> tuple[bool, bool]:
    """(still inside a quoted cell at the end of the line, any cell text seen)."""
    content = False
    at_start = not quoted
    j, m = 0, len(line)
    while j < m:
        c = line[j]
        if quoted:
            if c == '"':
                if j + 1 < m and line[j + 1] == '"':
                    content = True
                    j += 1
                else:
                    quoted = False
            else:
                content = content or not c.isspace()
        elif c == sep:
            at_start = True
        elif c == '"' and at_start:
            quoted, at_start = True, False
        elif not c.isspace():
            content, at_start = True, False
        j += 1
    return quoted, content


def swallows(inner: list[str], sep: str, width: int) -> bool:
    """Whether the lines after the first of a record that spans several lines hold whole
    rows (as many separators as a header of ``width`` fields): a quote left open."""
    return width >= 2 and any(ln.count(sep) >= width - 1 for ln in inner)


# ------------------------------------------------------------------ the vectorised scan


@dataclass(frozen=True)
class _Lines:
    """Per line of the text: where it starts, its separators outside quotes, whether it
    holds a byte of :func:`_sure`, whether its line break is inside a quoted cell."""

    start: np.ndarray
    seps: np.ndarray
    sure: np.ndarray
    open_end: np.ndarray
    size: int

    def end(self, k: int) -> int:
        """Offset of line ``k``'s line break (or of the end of the text)."""
        return int(self.start[k + 1]) - 1 if k + 1 < len(self.start) else self.size


def _parity(sub: np.ndarray, carry: int) -> np.ndarray:
    """1 where an odd number of quotes precede or are the byte, 0 elsewhere."""
    par = np.bitwise_xor.accumulate((sub == _QUOTE).view(np.uint8))
    if carry:
        par ^= np.uint8(1)
    return par


def _plain_quotes(sub: np.ndarray, par: np.ndarray, sepb: int) -> bool:
    """Every opening quote at a cell start, every closing one before a separator, line
    break, quote (``""``) or the end; ``sub`` starts a line and ends with a line break or
    at the end of the text."""
    qp = np.flatnonzero(sub == _QUOTE)
    if not len(qp):
        return True
    opens = par[qp] == 1
    before = np.where(qp > 0, sub[qp - 1], _NL)
    last = len(sub) - 1
    after = np.where(qp < last, sub[np.minimum(qp + 1, last)], _NL)
    edges = (sepb, _NL, _QUOTE)
    return bool(np.isin(before[opens], edges).all() and np.isin(after[~opens], edges).all())


def _line_facts(raw: bytes, sep: str) -> _Lines | None:
    """The per-line facts of ``raw`` (UTF-8, line breaks ``\\n`` only), or None when its
    quoting is not plain."""
    buf = np.frombuffer(raw, dtype=np.uint8)
    sepb = ord(sep)
    starts, seps, sure, open_end = [], [], [], []
    carry, s, n = 0, 0, len(raw)
    while s < n:
        e = raw.find(b"\n", s + _BLOCK - 1) + 1 or n
        sub = buf[s:e]
        par = _parity(sub, carry)
        if not _plain_quotes(sub, par, sepb):
            return None
        nl = np.flatnonzero(sub == _NL)
        st = np.concatenate(([0], nl + 1))
        st = st[:-1] if st[-1] == len(sub) else st
        starts.append(st + s)
        at = np.flatnonzero(sub == sepb)
        at = at[par[at] == 0]  # separators outside quoted cells
        seps.append(np.diff(np.searchsorted(at, np.append(st, len(sub)))))
        sure.append(np.logical_or.reduceat(_sure(sub, sepb), st))
        open_end.append(par[nl] == 1)
        carry, s = int(par[-1]), e
    if carry:
        return None  # a quote left open: the checked scanner names the row
    if not n or raw.endswith(b"\n"):  # the empty line after the last line break
        starts.append(np.array([n])), seps.append(np.zeros(1, np.int64))
        sure.append(np.zeros(1, bool))
    open_end.append(np.zeros(1, bool))
    return _Lines(np.concatenate(starts), np.concatenate(seps), np.concatenate(sure),
                  np.concatenate(open_end), n)  # fmt: skip


@dataclass(frozen=True)
class _Records:
    """Per record: first and last line, fields, blank; the lines of multi-line records."""

    first: np.ndarray
    last: np.ndarray
    fields: np.ndarray
    blank: np.ndarray
    spread: dict[int, list[str]]


def _records(name: str, raw: bytes, lines: _Lines, sep: str) -> _Records | None:
    """The records of the text; those not known to hold text (or spanning several lines)
    are checked by :func:`record_spans` itself. None when it disagrees."""
    last = np.flatnonzero(~lines.open_end)
    first = np.concatenate(([0], last[:-1] + 1))
    fields = np.add.reduceat(lines.seps, first) + 1
    blank = ~(lines.sure[first] & (first == last))
    spread: dict[int, list[str]] = {}
    for k in np.flatnonzero(blank):
        a, b = int(first[k]), int(last[k])
        block = raw[int(lines.start[a]) : lines.end(b)].decode("utf-8").split("\n")
        try:
            spans, empty = record_spans(name, block, sep)
        except InputError:
            return None
        if spans != [(0, b - a)]:
            return None
        blank[k] = empty[0]
        if a < b:
            spread[int(k)] = block
    return _Records(first, last, fields, blank, spread)


def fast_frame(name: str, raw: bytes, sep: str) -> tuple[pd.DataFrame, int] | None:
    """The cells of a CSV/TSV text with plain quoting (see the module docstring) and its
    number of non-blank data records, as the checked path would give them, or None.

    ``raw`` is the file's UTF-8 text without a byte-order mark, every line break ``\\n``.
    Columns hold ``str`` (pandas keeps one object per distinct text); the header row is
    the first non-blank record, blank records above it and at the end are left out.
    """
    if b"\x00" in raw:
        return None
    lines = _line_facts(raw, sep)
    recs = None if lines is None else _records(name, raw, lines, sep)
    if recs is None or recs.blank.all():
        return None
    text = np.flatnonzero(~recs.blank)
    top, bottom = int(text[0]), int(text[-1])
    width = int(recs.fields[top])
    fields, blank = recs.fields[top : bottom + 1], recs.blank[top : bottom + 1]
    if (fields[~blank] != width).any() or (fields > width).any():
        return None  # the checked path names the row with the wrong number of fields
    spread = [block for k, block in recs.spread.items() if top <= k <= bottom]
    if any(swallows(block[1:], sep, width) for block in spread):
        return None  # the checked path names the quote left open
    a, b = int(lines.start[recs.first[top]]), lines.end(int(recs.last[bottom]))
    frame = _c_reader(raw, a, b, sep)
    if frame is None or frame.shape != (bottom - top + 1, width):
        return None
    header = [unneutralise(str(h)) for h in frame.iloc[0]]
    frame = frame.iloc[1:].reset_index(drop=True)
    frame.columns = header
    return frame, int((~blank).sum()) - 1


def _c_reader(raw: bytes, a: int, b: int, sep: str) -> pd.DataFrame | None:
    """``raw[a:b]`` read by pandas' C reader, every cell text, nothing skipped."""
    body = raw if a == 0 and b >= len(raw) - 1 else raw[a:b]
    if body.startswith(b"\xef\xbb\xbf"):
        return None  # a second byte-order mark: the C reader would drop it
    try:
        return pd.read_csv(io.BytesIO(body), sep=sep, header=None, dtype=object,
                           na_filter=False, quotechar='"', doublequote=True, escapechar=None,
                           comment=None, skipinitialspace=False, skip_blank_lines=False,
                           engine="c", encoding="utf-8", low_memory=True)  # fmt: skip
    except ValueError:  # pandas.errors.ParserError and friends: the checked path decides
        return None
