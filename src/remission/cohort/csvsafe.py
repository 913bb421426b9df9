"""Formula-safe CSV cells: the one rule for every CSV file remission writes.

A spreadsheet opening a CSV runs a cell that starts with ``=``, ``+``, ``-`` or ``@`` as
a formula (``=HYPERLINK(...)``, ``+1+cmd|' /C calc'!A0``), and a leading tab or carriage
return can hide such a start. As OWASP recommends ("CSV Injection",
https://owasp.org/www-community/attacks/CSV_Injection), such a text cell is written with
a leading apostrophe, which spreadsheets show as text and do not display. Numbers are
not touched: a cell holding a number (``-0.5``, ``+3``, ``1e-3``, or a Python number) is
written as the number.

Apostrophes already at the start of such a cell are doubled in effect (one more is
added), so :func:`unneutralise` gives back exactly the text that was written; the
cohort reader applies it to CSV cells, so a cohort written by
:func:`remission.cohort.write.write_cohort` reads back unchanged.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import pandas as pd

__all__ = ["FORMULA_START", "neutralise", "unneutralise", "safe_row", "safe_frame"]

#: first characters that make a spreadsheet read a cell as a formula
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$")


def _risky(text: str) -> bool:
    bare = text.lstrip("'")
    return bare.startswith(FORMULA_START) and not _NUMBER.match(bare)


def neutralise(value: object) -> object:
    """``value`` as written to a CSV cell: text that a spreadsheet would run as a formula
    gets a leading apostrophe; numbers, number text and everything else is unchanged."""
    if isinstance(value, str) and _risky(value):
        return "'" + value
    return value


def unneutralise(text: str) -> str:
    """The inverse of :func:`neutralise` on text read from a CSV cell."""
    if text.startswith("'") and _risky(text[1:]):
        return text[1:]
    return text


def safe_row(values: Iterable[object]) -> list[object]:
    """A row for ``csv.writer`` with every cell neutralised."""
    return [neutralise(v) for v in values]


def safe_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` for ``to_csv``: text cells and column names neutralised."""
    out = frame.copy()
    for c in out.columns:
        if out[c].dtype == object or pd.api.types.is_string_dtype(out[c].dtype):
            out[c] = out[c].map(neutralise).astype(object)
    out.columns = [neutralise(c) for c in out.columns]
    return out
