"""Reading one cell of a cohort table according to its column's kind.

Each ``parse_*`` function takes a cell as :func:`remission.cohort.io.read_table` returns
it (text, a number, a bool, a date or datetime object, or ``None`` for a blank cell) and
returns the typed value, ``None`` for a missing one, or raises :class:`CellError` saying
what is wrong. Rules:

Missing values
    A blank cell is missing. In date, number, integer, category and MRD columns the
    words ``NA``, ``N/A``, ``n.a.``, ``not available``, ``unknown`` and a lone ``-`` are
    missing too; in text columns every word is kept as written.

Dates (:func:`parse_date`)
    - ISO 8601 ``2019-03-21`` (also ``2019/03/21``, and ``2019-03-21 00:00:00`` as
      written by spreadsheet and pandas exports);
    - day first, as written in Europe: ``21/03/2019``, ``21.03.2019``, ``21-03-2019``;
      ``03/21/2019`` is rejected as month-first (US) order, never silently swapped
      (a study file with ``date_order: month-first`` reads every numeric date of the
      file month first instead, and then rejects ``21/03/2019``);
    - with the month's English name: ``21 Mar 2019``, ``21-Mar-2019``, ``March 21, 2019``;
    - Excel date cells (date or datetime objects; a time of day other than midnight is
      rejected) and Excel serial day numbers (1900 date system: serial 43545 is
      2019-03-21, i.e. days since 1899-12-30), as numbers or as five-digit text.
    Two-digit years (``21/03/19``) are rejected: the century cannot be told. Dates must
    fall from 1678-01-01 to 2261-12-31 (what pandas' timestamps hold).

Numbers (:func:`parse_number`)
    ``1.5``, ``-2``, ``1e-3``; a decimal comma (``1,5``) is accepted unless the text
    could also be a thousands separator (``1,500`` is rejected as ambiguous).
"""

from __future__ import annotations

import datetime as dt
import math
import numbers
import re

from remission.cohort.mrdvalue import MRDValue, parse_mrd
from remission.cohort.schema import Column
from remission.cohort.suggest import closest

__all__ = [
    "CellError",
    "parse_cell",
    "parse_date",
    "parse_number",
    "parse_integer",
    "parse_category",
    "parse_text",
    "parse_mrd_cell",
    "MISSING_WORDS",
    "FIRST_DATE",
    "LAST_DATE",
]

MISSING_WORDS = frozenset({"na", "n/a", "n.a.", "not available", "unknown", "-"})

#: dates outside pandas' nanosecond timestamps (1677-09-21 to 2262-04-11) are errors
FIRST_DATE = dt.date(1678, 1, 1)
LAST_DATE = dt.date(2261, 12, 31)
#: integers beyond 2^53 cannot be told apart from their neighbours as numbers
MAX_INTEGER = 2**53
_EXCEL_EPOCH = dt.date(1899, 12, 30)
_EXCEL_FIRST = 61  # 1900-03-01; serials 1-60 fall on Excel's fictitious 1900-02-29 bug
_EXCEL_LAST = 2958465  # 9999-12-31
_MONTHS = {
    name: i
    for i, names in enumerate(
        [
            ("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"),
            ("may",), ("jun", "june"), ("jul", "july"), ("aug", "august"),
            ("sep", "sept", "september"), ("oct", "october"), ("nov", "november"),
            ("dec", "december"),
        ],
        start=1,
    )
    for name in names
}  # fmt: skip
_ISO = re.compile(r"^(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?:[T ]00:00(?::00(?:\.0+)?)?)?$")
#: a numeric date, dd/mm/yyyy or mm/dd/yyyy (``date_order``): groups 1 and 3 are the
#: two numbers, 4 the year
NUMERIC_DATE = re.compile(r"^(\d{1,2})([/.-])(\d{1,2})\2(\d{4})$")
_TWO_DIGIT_YEAR = re.compile(r"^\d{1,2}([/.-])\d{1,2}\1\d{2}$")
_DAY_MONTH_NAME = re.compile(r"^(\d{1,2})[ -]([a-z]+)\.?[ -](\d{4})$")
_MONTH_NAME_DAY = re.compile(r"^([a-z]+)\.? (\d{1,2}),? (\d{4})$")
_NUMBER = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$")


class CellError(ValueError):
    """A cell that cannot be read; ``expected`` overrides the column's own expectation."""

    def __init__(self, message: str, expected: str | None = None):
        super().__init__(message)
        self.message = message
        self.expected = expected


def _is_number(value: object) -> bool:
    return isinstance(value, numbers.Real) and not isinstance(value, bool)


def _missing_word(value: object) -> bool:
    return isinstance(value, str) and value.strip().lower() in MISSING_WORDS


#: the message of a cell whose date can only be month first, in a day-first column
MONTH_FIRST = "month-first (US) date order is not accepted"


def parse_date(value: object, month_first: bool = False) -> dt.date | None:
    """A calendar date from a cell, by the rules in the module docstring, from
    :data:`FIRST_DATE` to :data:`LAST_DATE` (the dates pandas can hold); with
    ``month_first`` numeric dates read ``mm/dd/yyyy`` (the study file's ``date_order``)."""
    d = _parse_date(value, month_first)
    if d is not None and not FIRST_DATE <= d <= LAST_DATE:
        raise CellError(
            "date out of the range remission can compute with",
            f"a date from {FIRST_DATE.isoformat()} to {LAST_DATE.isoformat()}",
        )
    return d


def _parse_date(value: object, month_first: bool = False) -> dt.date | None:
    if value is None or _missing_word(value):
        return None
    if isinstance(value, dt.datetime):  # also pandas.Timestamp
        if value.time() != dt.time(0, 0):
            raise CellError("a date with a time of day", "a date without a time")
        return value.date()
    if isinstance(value, dt.date):
        return value
    if _is_number(value):
        return _excel_serial(float(value))
    if not isinstance(value, str):
        raise CellError(f"not a date ({type(value).__name__})")
    return _date_from_text(value.strip(), month_first)


def _excel_serial(x: float) -> dt.date:
    if not math.isfinite(x) or not x.is_integer():
        raise CellError("not a date (a number that is not a whole Excel day number)")
    if not _EXCEL_FIRST <= x <= _EXCEL_LAST:
        raise CellError(
            "not a date (number out of the range of Excel day numbers)",
            f"an Excel day number from {_EXCEL_FIRST} (1900-03-01) to {_EXCEL_LAST}",
        )
    return _EXCEL_EPOCH + dt.timedelta(days=int(x))


def _date_from_text(t: str, month_first: bool = False) -> dt.date:
    low = t.lower()
    if m := _ISO.match(t):
        return _ymd(int(m[1]), int(m[2]), int(m[3]))
    if m := NUMERIC_DATE.match(t):
        first, second = int(m[1]), int(m[3])
        if month_first:
            if first > 12 and second <= 12:
                raise CellError("day-first date in a column declared month first",
                                "month first (mm/dd/yyyy, date_order: month-first) or ISO "
                                "yyyy-mm-dd")  # fmt: skip
            return _ymd(int(m[4]), first, second)
        if second > 12 and first <= 12:
            raise CellError(MONTH_FIRST, "day first (dd/mm/yyyy) or ISO yyyy-mm-dd; a file "
                            "written month first declares date_order: month-first in its "
                            "study file")  # fmt: skip
        return _ymd(int(m[4]), second, first)
    if _TWO_DIGIT_YEAR.match(t):
        raise CellError("a two-digit year is ambiguous", "a four-digit year")
    if m := _DAY_MONTH_NAME.match(low):
        return _ymd(int(m[3]), _month(m[2]), int(m[1]))
    if m := _MONTH_NAME_DAY.match(low):
        return _ymd(int(m[3]), _month(m[1]), int(m[2]))
    if t.isascii() and t.isdigit() and len(t) == 5:
        return _excel_serial(float(t))
    raise CellError("not a date")


def _month(name: str) -> int:
    if name not in _MONTHS:
        raise CellError(f"unknown month name {name!r}")
    return _MONTHS[name]


def _ymd(year: int, month: int, day: int) -> dt.date:
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise CellError(f"no such date (year {year}, month {month}, day {day})") from None


def parse_number(value: object) -> float | None:
    """A finite real number from a cell (see the module docstring for decimal commas)."""
    if value is None or _missing_word(value):
        return None
    if isinstance(value, bool):
        raise CellError("not a number (true/false)")
    if _is_number(value):
        x = float(value)
    elif isinstance(value, str):
        x = _number_from_text(value.strip())
    else:
        raise CellError(f"not a number ({type(value).__name__})")
    if not math.isfinite(x):
        raise CellError("not a finite number")
    return x


def _number_from_text(t: str) -> float:
    if re.fullmatch(r"[+-]?\d+,\d+", t):
        if re.fullmatch(r"[+-]?\d{1,3},\d{3}", t):
            raise CellError(
                "ambiguous: decimal comma or thousands separator",
                "a number with a decimal point, e.g. 1.5",
            )
        t = t.replace(",", ".")
    if not _NUMBER.match(t):
        raise CellError("not a number")
    return float(t)


def parse_integer(value: object) -> int | None:
    """A whole number from a cell: ``2``, ``2.0`` and ``"2"`` are 2; ``2.5`` is an error."""
    x = parse_number(value)
    if x is None:
        return None
    if not x.is_integer():
        raise CellError("not a whole number")
    if abs(x) > MAX_INTEGER:
        raise CellError("whole number too large", f"a whole number up to 2^53 ({MAX_INTEGER})")
    return int(x)


def parse_text(value: object) -> str | None:
    """Text as written; numbers from spreadsheet cells are written without a trailing .0."""
    if value is None:
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, numbers.Integral):
        return str(int(value))
    if _is_number(value):
        x = float(value)
        return str(int(x)) if x.is_integer() else repr(x)
    if isinstance(value, dt.datetime) and value.time() == dt.time(0, 0):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def parse_category(value: object, col: Column) -> str | None:
    """The canonical value of a category, matched case-insensitively with synonyms."""
    if value is None or _missing_word(value):
        return None
    text = parse_text(value)
    key = " ".join(text.split()).lower()
    lookup = col.lookup()
    if key not in lookup:
        hint = closest(key, lookup)
        raise CellError(
            "unknown category" + ("" if hint is None else f"; did you mean {lookup[hint]!r}?")
        )
    return lookup[key]


def parse_mrd_cell(value: object) -> MRDValue:
    """An MRD result (:func:`remission.cohort.mrdvalue.parse_mrd`, per cent), 0-100 %."""
    if _missing_word(value):
        return MRDValue.missing()
    if isinstance(value, str) and re.match(r"^\s*[-\u2212]\s*[\d.]", value):
        raise CellError("negative MRD level", "an MRD level from 0 to 100 %")
    if _is_number(value) and float(value) < 0:
        raise CellError("negative MRD level", "an MRD level from 0 to 100 %")
    try:
        mrd = parse_mrd(value)
    except ValueError as exc:
        if "failed acceptance" in str(exc):
            raise CellError(str(exc), "an MRD result from an accepted run") from None
        if _above_100(value):
            raise CellError("MRD level above 100 %", "an MRD level from 0 to 100 %") from None
        raise CellError("not an MRD result") from None
    if mrd.limit is not None and mrd.limit > 100:
        raise CellError("MRD assay limit above 100 %", "a limit from 0 to 100 %")
    return mrd


def _above_100(value: object) -> bool:
    try:
        x = float(str(value).strip().rstrip("%").replace(",", "."))
    except ValueError:
        return False
    return x > 100


def parse_cell(value: object, col: Column) -> object:
    """Parse ``value`` as a cell of column ``col``; bounds of numbers are checked here."""
    kind = col.kind
    if kind in ("id", "text"):
        return parse_text(value)
    if kind == "date":
        return parse_date(value, col.month_first)
    if kind == "category":
        return parse_category(value, col)
    if kind == "mrd":
        return parse_mrd_cell(value)
    x = parse_integer(value) if kind == "integer" else parse_number(value)
    if x is not None and col.minimum is not None and x < col.minimum:
        raise CellError(f"below the minimum of {col.name}")
    if x is not None and col.maximum is not None and x > col.maximum:
        raise CellError(f"above the maximum of {col.name}")
    return x
