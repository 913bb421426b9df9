"""Work on a column once per distinct cell (issue 11: ``validate`` of 1e6 rows).

A column of a large cohort holds few distinct texts (dates, categories, MRD results,
numbers), so a function of one cell is computed once per distinct text and spread to
the cells by pandas' hash factorisation (``pandas.factorize``, in C). The fast path is
taken only when every cell is ``str`` or ``None`` (CSV/TSV text after reading): there
equal cells are the same value for every parser. Other columns (spreadsheet numbers,
dates, mixed types, where ``1``, ``1.0`` and ``True`` compare equal but parse
differently) are computed cell by cell, so the results are the same either way.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import pandas as pd

__all__ = ["map_distinct"]


def _object_array(cells: Sequence[object]) -> np.ndarray:
    if isinstance(cells, np.ndarray) and cells.dtype == object and cells.ndim == 1:
        return cells
    cells = list(cells)
    arr = np.empty(len(cells), dtype=object)
    arr[:] = cells
    return arr


def _codes(arr: np.ndarray) -> tuple[np.ndarray, np.ndarray] | None:
    """(codes, distinct texts) when every cell is text or None, else None."""
    if pd.api.types.infer_dtype(arr, skipna=True) not in ("string", "empty"):
        return None
    codes, uniques = pd.factorize(arr)
    missing = arr[codes < 0]
    if any(x is not None for x in missing):  # NaN, NaT or pd.NA: not the same as None
        return None
    return codes, np.asarray(uniques, dtype=object)


def map_distinct(cells: Sequence[object], fn: Callable[[object], object],
                 flag: Callable[[object], bool] | None = None
                 ) -> tuple[np.ndarray, np.ndarray]:  # fmt: skip
    """``fn(cell)`` of every cell as an object array, and ``flag(result)`` of each (a
    boolean array; all false without ``flag``), each computed once per distinct cell
    when every cell is text or None (see the module docstring)."""
    try:
        arr = _object_array(cells)
    except ValueError:  # a cell that numpy would unpack (a list): cell by cell
        arr = None
    found = _codes(arr) if arr is not None and len(arr) else None
    if found is None:
        results = [fn(c) for c in (arr if arr is not None else cells)]
        out = np.empty(len(results), dtype=object)
        for k, r in enumerate(results):
            out[k] = r
        flags = np.array([bool(flag(r)) for r in results] if flag else [False] * len(results),
                         dtype=bool)  # fmt: skip
        return out, flags
    codes, uniques = found
    done = np.empty(len(uniques) + 1, dtype=object)
    for k, u in enumerate(uniques):
        done[k] = fn(u)
    done[-1] = fn(None)  # code -1: a missing cell
    marks = np.array([bool(flag(r)) for r in done] if flag else [False] * len(done), dtype=bool)
    return done[codes], marks[codes]
