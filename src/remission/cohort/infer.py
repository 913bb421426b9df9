"""The type of a column that neither the core dictionary nor the study file declares.

:func:`infer_column` looks at the column's non-missing cells and returns a
:class:`~remission.cohort.schema.Column` marked ``inferred``; the first rule that every
cell meets wins:

1. **number** (``integer`` when every value is whole): every cell reads as a number
   (:func:`~remission.cohort.parse.parse_number`). Excel serial numbers are not taken
   for dates: a date column must be written as dates;
2. **date**: every cell reads as a date (:func:`~remission.cohort.parse.parse_date`);
3. **mrd**: every cell reads as an MRD result and at least one carries a qualifier that
   only MRD results have (``<0.005``, ``PNQ``, ``pos``, ``neg``, ``%``, ``x10-4``);
4. **category**: at most :data:`MAX_LEVELS` distinct values, and at least one value
   repeated; the levels in natural order (``2`` before ``10``), the first
   being the reference (declare the column in the study file to choose);
5. **text** otherwise.

A column with no value at all is ``text``. The same rules serve ``remission init``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np
import pandas as pd

from remission.cohort.distinct import map_distinct
from remission.cohort.parse import (
    MISSING_WORDS,
    CellError,
    parse_date,
    parse_mrd_cell,
    parse_number,
    parse_text,
)
from remission.cohort.schema import Column

__all__ = ["infer_column", "MAX_LEVELS", "natural_key", "natural_order"]

#: The most distinct values an undeclared column may have to be taken as a category.
MAX_LEVELS = 30
_MRD_MARK = re.compile(r"[<>%]|pnq|\bpos|\bneg|x\s*10", re.IGNORECASE)


def natural_key(text: str) -> tuple:
    """Sort key that orders digit runs by number: ``P2`` < ``P10``; ``01`` < ``1`` < ``2``."""
    parts = re.split(r"(\d+)", text)
    return tuple((0, int(p), p) if p.isdecimal() else (1, 0, p) for p in parts if p)


_ONE_RUN = r"^(\D*)(\d{1,18})(\D*)$"


def natural_order(texts: Sequence[str]) -> np.ndarray:
    """The positions of ``texts`` in :func:`natural_key` order (stable). Identifiers with
    one run of digits (``P-00017``, ``17``, ``UPN17b``: the usual case) are ordered by
    ``np.lexsort`` on (prefix, number, digits, suffix), which is the same order; any
    other text falls back to sorting by the key itself."""
    n = len(texts)
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    same = _same_shape_order(texts)
    if same is not None:
        return same
    parts = pd.Series(list(texts), dtype=object).str.extract(_ONE_RUN)
    if parts.isna().any(axis=None):
        return np.array(sorted(range(n), key=lambda i: natural_key(texts[i])), dtype=np.int64)
    prefix, digits, suffix = (parts[k].to_numpy(dtype=object) for k in (0, 1, 2))
    number = digits.astype(np.int64)
    # natural_key: a leading digit run (0, ...) sorts before text (1, ...); a shorter
    # tuple (no suffix) before a longer one; the digit text breaks ties of equal numbers
    keys = (suffix.astype(str), suffix != "", digits.astype(str), number, prefix.astype(str),
            prefix != "")  # fmt: skip
    return np.lexsort(keys).astype(np.int64)


def _same_shape_order(texts: Sequence[str]) -> np.ndarray | None:
    """For ASCII identifiers of one length with their digits at the same places
    (``P-0001`` ... ``P-9999``), the natural order is the plain text order: equal-width
    digit runs compare as their numbers. None for any other set."""
    arr = np.asarray(texts, dtype=str)
    width = arr.dtype.itemsize // 4
    if width == 0 or not (np.char.str_len(arr) == width).all():
        return None
    codes = arr.view(np.uint32).reshape(len(arr), width)
    if (codes >= 128).any():
        return None
    digit = (codes >= 48) & (codes <= 57)
    if not (digit == digit[0]).all():
        return None
    return np.argsort(arr, kind="stable").astype(np.int64)


def _missing(c: object) -> bool:
    return c is None or (
        isinstance(c, str) and (not c.strip() or c.strip().lower() in MISSING_WORDS)
    )


def _present(cells: Sequence[object]) -> tuple[list[object], int]:
    """The distinct non-missing cells (text cells: each text once, in order of first
    appearance) and the number of non-missing cells."""
    keep, _ = map_distinct(cells, lambda c: not _missing(c))
    arr = np.empty(len(cells), dtype=object)
    arr[:] = list(cells)
    values = arr[keep.astype(bool)]
    if pd.api.types.infer_dtype(values, skipna=False) in ("string", "empty"):
        return list(pd.unique(values)), len(values)
    return list(values), len(values)


def _all(cells: list[object], parse) -> list[object] | None:
    out = []
    for c in cells:
        try:
            out.append(parse(c))
        except CellError:
            return None
    return out


def infer_column(name: str, cells: Sequence[object], description: str = "",
                 month_first: bool = False) -> Column:  # fmt: skip
    """The inferred :class:`Column` for ``cells`` (see the module docstring); numeric
    dates read month first when ``month_first`` (the study file's ``date_order``)."""
    values, count = _present(cells)
    about = description or "Not declared: type inferred from the values."
    if not values:
        return Column(name, "text", about, inferred=True)
    numbers = _all(values, parse_number)
    if numbers is not None:
        whole = all(float(x).is_integer() for x in numbers)
        return Column(name, "integer" if whole else "number", about, inferred=True)
    if _all(values, lambda v: parse_date(v, month_first)) is not None:
        return Column(name, "date", about, inferred=True, month_first=month_first)
    texts = [parse_text(v) or "" for v in values]
    if any(_MRD_MARK.search(t) for t in texts) and _all(values, parse_mrd_cell) is not None:
        return Column(name, "mrd", about, unit="% of nucleated cells", inferred=True)
    levels = _levels(texts, count)
    if levels is not None:
        return Column(name, "category", about, allowed=levels, inferred=True)
    return Column(name, "text", about, inferred=True)


def _levels(texts: list[str], count: int) -> tuple[str, ...] | None:
    """Distinct values (first spelling of each, ignoring case and repeated blanks) of
    ``count`` cells whose distinct texts are ``texts``; None when no value repeats."""
    seen: dict[str, str] = {}
    for t in texts:
        key = " ".join(t.split()).lower()
        if key not in seen:
            seen[key] = " ".join(t.split())
            if len(seen) > MAX_LEVELS:
                return None
    if len(seen) == count:
        return None
    return tuple(sorted(seen.values(), key=lambda v: natural_key(v.lower())))
