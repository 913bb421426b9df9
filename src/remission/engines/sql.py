"""The counting and endpoint SQL shared by the DuckDB and Spark engines.

One query counts a table: ``GROUP BY status, strata, group, time, event`` with
``count(*)``, where ``status`` is 0 for a usable row, 1 for a row with a missing value
(excluded and counted, as the in-memory front end does) and 2 for a row with a value
that is wrong (a negative or non-numeric time, an event code not allowed). Rows of
status 1 and 2 collapse into one result row each; only when there are any does a
second query fetch them, numbered, for the message. The rules are those of
:func:`remission.stats.frontend.survival_data`:

* missing: NULL, NaN, or text that is blank, ``NA``, ``N/A``, ``nan`` or ``NaN``;
* a time is a finite number >= 0 (text is read as a number);
* an event is one of the allowed codes (0/1, or any whole number >= 0 for competing
  risks);
* group and stratum values are kept as they are and turned into text labels afterwards.

The two dialects differ only in a few functions (:class:`Dialect`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

__all__ = ["Dialect", "DUCKDB", "SPARK", "Column", "count_query", "rows_query", "kind_of"]

MISSING_TEXT = ("", "NA", "N/A", "nan", "NaN")
_MAX_DOUBLE = "1.7976931348623157e308"


@dataclass(frozen=True)
class Dialect:
    """What differs between DuckDB's and Spark's SQL."""

    name: str
    quote_char: str
    try_cast: str  # the safe cast function
    row_number: str  # the row number in input order
    iso_date: str  # text -> DATE with {x}; NULL when not a yyyy-mm-dd date

    def quote(self, name: str) -> str:
        q = self.quote_char
        return q + name.replace(q, q + q) + q

    def to_double(self, x: str) -> str:
        return f"{self.try_cast}({x} AS DOUBLE)"

    def days(self, start: str, end: str) -> str:
        if self.name == "spark":
            return f"datediff({end}, {start})"
        return f"date_diff('day', {start}, {end})"

    @property
    def string(self) -> str:
        """The text type's name."""
        return "STRING" if self.name == "spark" else "VARCHAR"

    def literal(self, text: str) -> str:
        """``text`` as a string literal (Spark reads backslash escapes, DuckDB does not)."""
        if self.name == "spark":
            return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"
        return "'" + text.replace("'", "''") + "'"

    def matches(self, x: str, pattern: str) -> str:
        """True where the regular expression (no backslashes: both dialects) matches."""
        if self.name == "spark":
            return f"({x} RLIKE {self.literal(pattern)})"
        return f"regexp_matches({x}, {self.literal(pattern)})"

    def extract(self, x: str, pattern: str, group: int) -> str:
        return f"regexp_extract({x}, {self.literal(pattern)}, {int(group)})"

    def replace_all(self, x: str, pattern: str, by: str) -> str:
        if self.name == "spark":
            return f"regexp_replace({x}, {self.literal(pattern)}, {self.literal(by)})"
        return f"regexp_replace({x}, {self.literal(pattern)}, {self.literal(by)}, 'g')"

    def ymd(self, y: str, m: str, d: str) -> str:
        """The DATE of year, month and day texts of digits; NULL when there is no such day."""
        iso = f"concat({y}, '-', lpad({m}, 2, '0'), '-', lpad({d}, 2, '0'))"
        if self.name == "spark":
            return f"CAST(try_to_timestamp({iso}, 'yyyy-MM-dd') AS DATE)"
        return f"CAST(TRY_STRPTIME({iso}, '%Y-%m-%d') AS DATE)"


DUCKDB = Dialect(
    "duckdb",
    '"',
    "TRY_CAST",
    "row_number() OVER ()",
    "TRY_CAST(TRY_STRPTIME(trim({x}), '%Y-%m-%d') AS DATE)",
)
SPARK = Dialect(
    "spark",
    "`",
    "try_cast",
    "row_number() OVER (ORDER BY monotonically_increasing_id())",
    "CAST(try_to_timestamp(trim({x}), 'yyyy-MM-dd') AS DATE)",
)


def kind_of(type_name: str) -> str:
    """``int``, ``float``, ``bool``, ``text``, ``date`` or ``other`` for an engine's type."""
    t = type_name.lower()
    if t.startswith(("decimal", "double", "float", "real")):
        return "float"
    if any(t.startswith(p) for p in ("tinyint", "smallint", "int", "bigint", "hugeint", "u")):
        return "int" if "interval" not in t and "uuid" not in t and "union" not in t else "other"
    if t.startswith(("bool",)):
        return "bool"
    if t.startswith(("varchar", "string", "char", "text")):
        return "text"
    if t.startswith(("date", "timestamp")):
        return "date"
    return "other"


@dataclass(frozen=True)
class Column:
    """A column of the input: its quoted name and its kind."""

    name: str
    kind: str


def _text_missing(d: Dialect, c: str) -> str:
    tokens = ", ".join("'" + s + "'" for s in MISSING_TEXT)
    return f"({c} IS NULL OR trim({c}) IN ({tokens}))"


def missing(d: Dialect, col: Column) -> str:
    """SQL that is true where the value counts as missing."""
    c = d.quote(col.name)
    if col.kind == "float":
        return f"({c} IS NULL OR isnan({c}))"
    if col.kind == "text":
        return _text_missing(d, c)
    return f"({c} IS NULL)"


def number(d: Dialect, col: Column) -> str:
    """The value as a number (NULL where it is not one)."""
    c = d.quote(col.name)
    if col.kind in ("int", "float"):
        return c
    if col.kind == "bool":
        return f"CAST({c} AS INT)"
    if col.kind == "text":
        return d.to_double(f"trim({c})")
    return "CAST(NULL AS DOUBLE)"


def bad_time(d: Dialect, col: Column) -> str:
    """True where a present time is not a finite number >= 0."""
    v = number(d, col)
    if col.kind in ("int", "bool"):
        return f"({v} < 0)"
    return f"(NOT coalesce({v} >= 0 AND {v} <= {_MAX_DOUBLE}, FALSE))"


def bad_event(d: Dialect, col: Column, allowed: Sequence[int] | None) -> str:
    """True where a present event code is not allowed (``None``: any whole number >= 0)."""
    v = number(d, col)
    if allowed is not None:
        ok = f"{v} IN ({', '.join(str(int(a)) for a in sorted(allowed))})"
    else:
        ok = f"{v} >= 0 AND {v} <= 1000000 AND {v} = floor({v})"
    return f"(NOT coalesce({ok}, FALSE))"


def count_query(
    d: Dialect,
    relation: str,
    time: Column,
    event: Column,
    group: Column | None,
    strata: Column | None,
    allowed: Sequence[int] | None,
) -> str:
    """The one aggregation: ``status, [s,] [g,] t, e, n`` (see the module doc).

    Rows of status 1 and 2 keep their raw values (a few distinct ones in practice): no
    expression wraps the grouped columns, so the query costs about what a bare
    ``GROUP BY`` over the same columns costs.
    """
    cols = [c for c in (time, event, group, strata) if c is not None]
    miss = " OR ".join(missing(d, c) for c in cols)
    bad = f"{bad_time(d, time)} OR {bad_event(d, event, allowed)}"
    t, e = number(d, time), number(d, event)
    if event.kind != "int":
        e = f"CAST({e} AS BIGINT)"
    keys = [f"CASE WHEN {miss} THEN 1 WHEN {bad} THEN 2 ELSE 0 END AS status"]
    keys += [f"{d.quote(c.name)} AS {k}" for c, k in ((strata, "s"), (group, "g")) if c]
    keys += [f"{t} AS t", f"{e} AS e"]
    groups = ", ".join(str(i + 1) for i in range(len(keys)))
    return f"SELECT {', '.join(keys)}, count(*) AS n FROM {relation} GROUP BY {groups}"


def rows_query(
    d: Dialect,
    relation: str,
    flags: dict[str, str],
    values: Sequence[Column],
    where: str,
    limit: int,
) -> str:
    """Numbered rows (spreadsheet numbering: the header is row 1) where ``where`` holds,
    with the named boolean ``flags`` and the ``values`` as text."""
    parts = [f"{d.row_number} + 1 AS row_"]
    parts += [f"{sql} AS {d.quote('f_' + name)}" for name, sql in flags.items()]
    parts += [f"CAST({d.quote(c.name)} AS STRING) AS {d.quote('v_' + c.name)}" for c in values]
    select = ", ".join(parts)
    if d.name == "duckdb":
        select = select.replace("AS STRING)", "AS VARCHAR)")
    return f"SELECT * FROM (SELECT {select} FROM {relation}) numbered WHERE {where} ORDER BY row_ LIMIT {int(limit)}"
