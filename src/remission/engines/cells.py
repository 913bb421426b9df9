"""Cells read in SQL as the cohort loader reads them: text, missing words, dates, recodes
and categories (the rules of :mod:`remission.cohort.parse`).

Each function returns a SQL expression over one column of a given kind
(:func:`remission.engines.sql.kind_of`):

* :func:`text` is the cell as text, as ``parse_text`` writes it (a whole float
  without ``.0``, booleans as ``true``/``false``);
* :func:`present` is true where a cell holds a value: not NULL, not blank and not one
  of the missing words (``NA``, ``N/A``, ``n.a.``, ``not available``, ``unknown``,
  ``-``, any case);
* :func:`date` reads DATE columns, TIMESTAMP columns at midnight, and text in the
  forms that :func:`~remission.cohort.parse.parse_date` reads without a month name:
  ISO ``2019-03-21`` (also ``2019/03/21`` and ``2019-03-21 00:00:00``) and numeric
  ``21/03/2019``, ``21.03.2019``, ``21-03-2019`` day first, or month first with the
  study file's ``date_order: month-first``; a numeric date that can only be read in the
  other order is NULL, as is any other form (month names, Excel day numbers, two-digit
  years): :mod:`remission.engines.studyview` then asks the in-memory parser what such a
  cell is, so nothing is read differently from the in-memory path;
* :func:`recoded` applies a study file's ``recode`` table and :func:`category` maps a
  value to its canonical level (case and blanks ignored, synonyms), NULL where it is
  missing or not a level.

The patterns avoid backslashes, which DuckDB's and Spark's string literals read
differently.
"""

from __future__ import annotations

from remission.cohort.parse import FIRST_DATE, LAST_DATE, MISSING_WORDS
from remission.cohort.schema import Column
from remission.engines.sql import Dialect

__all__ = ["text", "strip", "present", "date", "recoded", "category", "ISO", "NUMERIC"]

#: what Python's str.strip() and str.split() take for blanks
_BLANKS = "".join(c for c in map(chr, range(0x3001)) if c.isspace())
_WS = "[" + _BLANKS + "]"
ISO = "^([0-9]{4})[-/]([0-9]{1,2})[-/]([0-9]{1,2})([T ]00:00(:00([.]0+)?)?)?$"
NUMERIC = "^([0-9]{1,2})([/.-])([0-9]{1,2})([/.-])([0-9]{4})$"


def strip(d: Dialect, x: str) -> str:
    """The text without blanks at either end (as ``str.strip``)."""
    return d.replace_all(x, f"^{_WS}+|{_WS}+$", "")


def text(d: Dialect, c: str, kind: str) -> str:
    """The cell ``c`` (a quoted column) as text, as ``parse_text`` writes it."""
    as_text = f"CAST({c} AS {d.string})"
    if kind == "text":
        return c
    if kind == "float":
        whole = f"CAST(CAST({c} AS BIGINT) AS {d.string})"
        return (f"CASE WHEN {c} IS NULL OR isnan({c}) THEN NULL WHEN {c} = floor({c}) AND "
                f"abs({c}) < 1e18 THEN {whole} ELSE {as_text} END")  # fmt: skip
    if kind == "bool":
        return f"lower({as_text})"
    return as_text


def _missing_words(d: Dialect) -> str:
    return ", ".join(d.literal(w) for w in sorted(MISSING_WORDS | {""}))


def present(d: Dialect, c: str, kind: str) -> str:
    """True where the cell holds a value (see the module doc)."""
    if kind == "text":
        return f"({c} IS NOT NULL AND lower({strip(d, c)}) NOT IN ({_missing_words(d)}))"
    if kind == "float":
        return f"({c} IS NOT NULL AND NOT isnan({c}))"
    return f"({c} IS NOT NULL)"


def date(d: Dialect, c: str, kind: str, type_name: str, month_first: bool) -> str:
    """The cell as a DATE in pandas' range, NULL where it is missing or not read here."""
    if kind == "date" and type_name.lower().startswith("timestamp"):
        raw = f"CASE WHEN CAST({c} AS DATE) = {c} THEN CAST({c} AS DATE) END"
    elif kind == "date":
        raw = f"CAST({c} AS DATE)"
    elif kind == "text":
        raw = _text_date(d, strip(d, c), month_first)
    else:
        return "CAST(NULL AS DATE)"
    lo, hi = FIRST_DATE.isoformat(), LAST_DATE.isoformat()
    return f"(CASE WHEN ({raw}) BETWEEN DATE '{lo}' AND DATE '{hi}' THEN ({raw}) END)"


def _text_date(d: Dialect, s: str, month_first: bool) -> str:
    def iso(i: int) -> str:
        return d.extract(s, ISO, i)

    def num(i: int) -> str:
        return d.extract(s, NUMERIC, i)

    first, second = f"CAST({num(1)} AS INT)", f"CAST({num(3)} AS INT)"
    if month_first:  # 21/03/2019 can only be day first: not read
        other_order = f"{first} > 12 AND {second} <= 12"
        numeric = d.ymd(num(5), num(1), num(3))
    else:  # 03/21/2019 can only be month first: not read
        other_order = f"{second} > 12 AND {first} <= 12"
        numeric = d.ymd(num(5), num(3), num(1))
    return (
        f"CASE WHEN {d.matches(s, ISO)} THEN {d.ymd(iso(1), iso(2), iso(3))} "
        f"WHEN {d.matches(s, NUMERIC)} AND {num(2)} = {num(4)} THEN "
        f"CASE WHEN {other_order} THEN NULL ELSE {numeric} END END"
    )


def recoded(d: Dialect, c: str, kind: str, table: dict[str, str] | None) -> str:
    """The cell as text after the study file's ``recode`` table (matched on the text
    without surrounding blanks, as the loader); the cell itself when there is no table."""
    if not table:
        return c
    t = text(d, c, kind)
    whens = " ".join(f"WHEN {d.literal(k)} THEN {d.literal(v)}" for k, v in table.items())
    return f"(CASE {strip(d, t)} {whens} ELSE {t} END)"


def category(d: Dialect, value: str, col: Column) -> str:
    """The canonical level of ``value`` (text) in the category ``col``: NULL where it is
    missing and where it is not a level (:func:`present` tells the two apart)."""
    key = f"lower({d.replace_all(strip(d, value), _WS + '+', ' ')})"
    whens = " ".join(f"WHEN {d.literal(k)} THEN {d.literal(v)}" for k, v in col.lookup().items())
    return f"(CASE {key} {whens} ELSE NULL END)"
