"""The input as the study file describes it, inside an engine.

The in-memory loader (:func:`remission.cohort.validate.check_table`) renames the file's
headers, recodes its cells and reads every cell by its column's kind. An engine does
the same in SQL for the columns an analysis uses (:class:`StudyView`):

* ``rename``: the file's headers (matched after trimming blanks) become column names
  as SQL aliases over the input (a file, a database table or a ``--sql`` query); two
  headers renamed to one name are an error, as in memory;
* ``recode`` and categories: a group, stratum or model column is recoded and, when the
  study declares it a category, mapped to its canonical level (case, blanks and
  synonyms as in memory); a value that is not a level is the in-memory error (with its
  did-you-mean), and so is a required value that is missing;
* dates: read by :func:`remission.engines.cells.date` (ISO and numeric dates in the
  study's ``date_order``), once per distinct value of a text column (one ``GROUP BY``
  checks and parses them; the dates read join back as a small table). A date cell that SQL did not read is handed to the in-memory
  parser (:func:`remission.cohort.parse.parse_date`): where it is an error there, it is
  the same error here (row, patient, column, value, expectation; cells written month
  first in a day-first column are one error of the column, as in memory); where the
  parser reads it (a month name, an Excel day number), the engine refuses the column
  and names ``--engine memory``, so no cell is ever read differently.

Only these columns are checked, not the whole cohort (``remission validate`` does that).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from remission.cohort.parse import (
    MISSING_WORDS,
    MONTH_FIRST,
    CellError,
    parse_category,
    parse_date,
)
from remission.cohort.problems import InputError, Problem
from remission.cohort.schema import Column
from remission.cohort.suggest import closest, did_you_mean
from remission.engines import cells
from remission.engines.sql import kind_of

__all__ = ["StudyView"]

_LISTED = 100  # problems listed one by one
_DISTINCT = 1000  # distinct wrong values looked at per column


@dataclass(frozen=True, eq=False)
class StudyView:
    """A runner's input renamed by ``study``, with SQL for its dates and values.

    ``relation`` is the FROM item with the study's column names; ``types`` the engine's
    type of each of its columns.
    """

    runner: object
    study: object
    relation: str
    types: dict[str, str]

    filled: frozenset[str] = frozenset()
    cache: dict = field(default_factory=dict)  # distinct dates of text date columns

    @classmethod
    def of(cls, runner, study) -> StudyView:
        """The view of ``runner``'s input (the core dictionary when ``study`` is None).

        As in memory, a declared column that the file does not have is there, empty
        (``filled``); a required one is an error when an analysis uses it."""
        from remission.cohort.study import Study

        study = study if study is not None else Study()
        src = runner.relation()
        types = runner.column_types(src)
        mapping = {h: study.rename[h.strip()] for h in types if h.strip() in study.rename}
        new = [mapping.get(h, h) for h in types]
        problems = [
            Problem(runner.source, "two columns for one name after renaming", row=1, column=n,
                    value=", ".join(h for h, m in zip(types, new, strict=True) if m == n),
                    expected="one column per name (check rename: in the study file)")
            for n in sorted({n for n in new if new.count(n) > 1})
        ]  # fmt: skip
        if problems:
            raise InputError(problems)
        d = runner.dialect
        select = [
            d.quote(h) if h == n else f"{d.quote(h)} AS {d.quote(n)}"
            for h, n in zip(types, new, strict=True)
        ]
        renamed = dict(zip(new, types.values(), strict=True))
        absent = [c for c in study.all_columns() if c.name not in renamed]
        for c in absent:
            sql_type = "DATE" if c.kind == "date" else d.string
            select.append(f"CAST(NULL AS {sql_type}) AS {d.quote(c.name)}")
            renamed[c.name] = sql_type
        relation = f"(SELECT {', '.join(select)} FROM {src}) AS study_input"
        return cls(runner, study, relation, renamed, frozenset(c.name for c in absent))

    @property
    def month_first(self) -> bool:
        return self.study.date_order == "month-first"

    def kind(self, col: str) -> str:
        return kind_of(self.types[col])

    def date_columns(self) -> list[str]:
        """The columns read as dates: declared date columns and DATE/TIMESTAMP ones."""
        declared = {c.name for c in self.study.all_columns() if c.kind == "date"}
        return [c for c in self.types if c in declared or self.kind(c) == "date"]

    def origin_column(self, origin: str) -> str:
        """The date column of ``origin``, as :func:`remission.endpoints.derive.resolve_origin`:
        a named origin (core, intervention, the study's own), a column, or ``NAME_date`` /
        ``NAME_start_date``; an unknown origin lists what there is."""
        from remission.endpoints.derive import UnknownName

        named = self.study.origin_columns()
        if origin in named:
            return named[origin]
        for candidate in (origin, f"{origin}_date", f"{origin}_start_date"):
            if candidate in self.types:
                return candidate
        dates = self.date_columns()
        raise UnknownName([Problem(self.runner.source, f"unknown origin {origin!r}"
                                   + did_you_mean(origin, [*named, *dates]),
                                   expected="a named origin (" + ", ".join(named) + ") or a date "
                                   "column (" + ", ".join(dates) + ")")])  # fmt: skip

    def date(self, col: str) -> str:
        """SQL of the column's cells as DATEs (NULL where missing)."""
        d = self.runner.dialect
        return cells.date(d, d.quote(col), self.kind(col), self.types[col], self.month_first)

    def value(self, col: str) -> str:
        """SQL of a group, stratum or model column: recoded, and the canonical level of a
        declared category; the column as it is otherwise."""
        d, c, kind = self.runner.dialect, self.runner.dialect.quote(col), self.kind(col)
        table = self.study.recode.get(col)
        declared = self.study.column(col)
        if declared is not None and declared.kind == "category":
            return cells.category(
                d, cells.recoded(d, c, kind, table) if table else cells.text(d, c, kind), declared
            )
        if declared is not None and declared.kind in ("number", "integer") and kind == "text":
            return d.to_double(cells.strip(d, cells.recoded(d, c, kind, table)))
        return cells.recoded(d, c, kind, table)

    def inferred_levels(self, col: str) -> tuple[str, ...] | None:
        """The levels, in the loader's natural order, of a column the study does not
        declare and the loader would infer to be a category
        (:func:`remission.cohort.infer.infer_column`, on the column's distinct values);
        None for any other column. The loader merges spellings of one level (``High``,
        ``high``) into its first in the file, which an engine cannot tell: such a column
        is an error naming ``--engine memory`` or a declaration in the study file."""
        from remission.cohort.infer import infer_column
        from remission.cohort.parse import parse_text

        if col not in self.types or self.study.column(col) is not None:
            return None
        q = (f"SELECT v, count(*) FROM (SELECT {self.value(col)} AS v FROM {self.relation}) x "
             f"GROUP BY v LIMIT 10000")  # fmt: skip
        found = self.runner.fetch(q)
        cells = [v for v, n in found for _ in range(min(int(n), 2))]  # repeats: at most 2
        inferred = infer_column(col, cells, month_first=self.month_first)
        if inferred.kind != "category":
            return None
        spelt: dict[str, list[str]] = defaultdict(list)
        for v, _ in found:
            text = parse_text(v)
            if text is not None and text.strip().lower() not in MISSING_WORDS:
                spelt[" ".join(text.split()).lower()].append(text)
        merged = [sorted(t) for t in spelt.values() if len(t) > 1 or t[0] != " ".join(t[0].split())]
        if merged:
            raise InputError([Problem(self.runner.source, "values that the in-memory loader merges "
                                      "into one level (case, blanks), which the "
                                      f"{self.runner.name} engine does not", column=col,
                                      value=", ".join(repr(t) for t in merged[0]),
                                      expected="the column declared in the study file (type: "
                                      "category, with synonyms), or --engine memory")])  # fmt: skip
        return inferred.allowed

    def absent(self, columns: Sequence[str], what: str) -> None:
        """InputError for the columns that the input does not have (with did-you-mean)."""
        problems = []
        for c in dict.fromkeys(columns):
            declared = self.study.column(c)
            if c not in self.types:
                have = [t for t in self.types if t not in self.filled]
                problems.append(Problem(self.runner.source, "column missing" + did_you_mean(c, have),
                                        column=c, expected=what))  # fmt: skip
            elif c in self.filled:
                problems += self._near_misses(c)
                if declared is not None and declared.required:
                    problems.append(Problem(self.runner.source, "required column missing", column=c,
                                            expected=f"a column {c!r}: {declared.description}"))  # fmt: skip
        if problems:
            raise InputError(problems)

    def _near_misses(self, col: str) -> list[Problem]:
        """A header so like the absent column ``col`` that it is taken for a misspelling of
        it, as the loader's header check (``Diagnosis Date`` for ``diagnosis_date``)."""
        from remission.cohort.validate import NEAR_MISS

        return [
            Problem(self.runner.source, "unknown column" + did_you_mean(h, [col]), row=1, column=h,
                    expected=f"{col!r}, which is missing (or rename the column in the study file)")
            for h in self.types
            if h not in self.filled and closest(h, [col], cutoff=NEAR_MISS) is not None
        ]  # fmt: skip

    def check(self, dates: Sequence[str], values: Sequence[str] = ()) -> None:
        """InputError for the cells of these date and value columns that the in-memory
        loader rejects, and for those the engine does not read (see the module doc)."""
        checks = [_date_check(self, c) for c in dict.fromkeys(dates) if c != "patient_id"]
        checks += [_category_check(self, c) for c in dict.fromkeys(values) if _is_category(self, c)]
        checks += [k for c in dict.fromkeys(values) for k in _model_checks(self, c)]
        both = dict.fromkeys([*dates, *values])
        checks += [_required_check(self, c) for c in both if _is_required(self, c)]
        if not checks:
            return
        problems = []
        for k in [k for k in checks if k.by_value]:  # a text date column: its distinct values
            found = [(v, n) for v, n, p, t in self.distinct_dates(k.col) if p and t is None]
            found.sort(key=lambda x: -x[1])
            if found:
                problems += k.problems(found[:_DISTINCT])
        rowwise = [k for k in checks if not k.by_value]
        if rowwise:
            sums = ", ".join(f"sum(CASE WHEN {k.bad} THEN 1 ELSE 0 END)" for k in rowwise)
            counts = self.runner.fetch(f"SELECT {sums} FROM {self.relation}")[0]
            for k, n in zip(rowwise, counts, strict=True):
                if n:
                    problems += k.problems()
        if problems:
            headers = {v: k for k, v in self.study.rename.items()}  # as the loader names them
            raise InputError([replace(p, header=headers[p.column]) if p.column in headers else p
                              for p in problems])  # fmt: skip

    def bad_values(self, bad: str, value: str) -> list[tuple[object, int]]:
        """The distinct values where ``bad`` holds, with their counts (most frequent first)."""
        q = (f"SELECT v, count(*) AS n FROM (SELECT {value} AS v FROM {self.relation} WHERE {bad}) x "
             f"GROUP BY v ORDER BY n DESC LIMIT {_DISTINCT}")  # fmt: skip
        return [(v, int(n)) for v, n in self.runner.fetch(q)]

    def distinct_dates(self, col: str) -> list[tuple[object, int, bool, object]]:
        """``(value, count, present, date)`` of each distinct value of a text date column,
        the date read in SQL (:func:`remission.engines.cells.date`; None where not read):
        the patterns run once per distinct value (a cohort holds few distinct dates)."""
        if col not in self.cache:
            d = self.runner.dialect
            kind, v = self.kind(col), "v"
            parsed = cells.date(d, v, kind, self.types[col], self.month_first)
            q = (f"SELECT v, n, {cells.present(d, v, kind)}, {parsed} FROM (SELECT "
                 f"{d.quote(col)} AS v, count(*) AS n FROM {self.relation} GROUP BY "
                 f"{d.quote(col)}) g")  # fmt: skip
            self.cache[col] = [(v, int(n), bool(p), t) for v, n, p, t in self.runner.fetch(q)]
        return self.cache[col]

    def dated(self, columns: Sequence[str], numbered: bool = False) -> tuple[str, dict[str, str]]:
        """A FROM item with the view's columns and one DATE column per date column in
        ``columns`` (their names in the returned mapping). A text column's distinct values
        are read once (:meth:`distinct_dates`) and joined back as a small table. With
        ``numbered``, ``row_`` is each row's spreadsheet row (the header is row 1)."""
        import pandas as pd

        d = self.runner.dialect
        exprs, joins = [], []
        names = {}
        for i, col in enumerate(dict.fromkeys(columns)):
            names[col] = f"date_{i}_"
            read = [(v, t) for v, _, _, t in self.distinct_dates(col) if t is not None] if (
                self.kind(col) == "text") else None  # fmt: skip
            if read is None:
                exprs.append(f"{self.date(col)} AS {d.quote(names[col])}")
            elif not read:
                exprs.append(f"CAST(NULL AS DATE) AS {d.quote(names[col])}")
            else:
                self.runner.register(f"dates_{i}_", pd.DataFrame(read, columns=["r_", "d_"]))
                joins.append(f"LEFT JOIN dates_{i}_ p{i}_ ON s_.{d.quote(col)} = p{i}_.r_")
                exprs.append(f"p{i}_.d_ AS {d.quote(names[col])}")
        select = ", ".join(["s_.*", *exprs])
        rn = f", {d.row_number} + 1 AS row_" if numbered else ""
        src = f"(SELECT *{rn} FROM {self.relation}) s_"
        return f"(SELECT {select} FROM {src} {' '.join(joins)}) AS dated_input", names

    def bad_rows(self, bad: str, value: str, limit: int = _LISTED + 1) -> list[tuple]:
        """``(row, patient_id, value)`` of the first rows where ``bad`` holds (the header is
        row 1)."""
        d = self.runner.dialect
        pid = (
            f"CAST({d.quote('patient_id')} AS {d.string})" if "patient_id" in self.types else "NULL"
        )
        q = (f"SELECT row_, pid, v FROM (SELECT {d.row_number} + 1 AS row_, {pid} AS pid, "
             f"{value} AS v, {bad} AS bad_ FROM {self.relation}) x WHERE bad_ ORDER BY row_ "
             f"LIMIT {int(limit)}")  # fmt: skip
        return self.runner.fetch(q)


def _shown(value: object) -> object:
    from remission.cohort.validate import shown

    return None if value is None else shown(value)


@dataclass(frozen=True, eq=False)
class _Check:
    """A check of one column: ``bad`` (SQL, true on a wrong cell), ``value`` (SQL, the
    cell as the in-memory parser sees it) and ``classify``, which takes a wrong cell to
    ``(bucket, message, expected)``: bucket ``row`` (an error of the cell, as in memory),
    ``order`` (month first in a day-first column) or ``engine`` (read in memory only)."""

    view: StudyView
    col: str
    bad: str
    value: str
    classify: object  # Callable[[object], tuple[str, str, str | None]]
    show_missing: bool = True  # False: a blank cell is shown as no value
    by_value: bool = False  # a text date column, checked on its distinct values
    engine_what: str = "in a form the {engine} engine does not read"
    engine_expected: str = (
        "ISO dates (2019-03-21) or numeric dates in the study's date order (21/03/2019) on "
        "an engine; read the file with --engine memory, which also reads month names and "
        "Excel day numbers"
    )

    def problems(self, found: list[tuple[object, int]] | None = None) -> list[Problem]:
        v = self.view
        found = found if found is not None else v.bad_values(self.bad, self.value)
        kinds = {value: self.classify(value) for value, _ in found}
        totals: dict[str, int] = defaultdict(int)
        for value, count in found:
            totals[kinds[value][0]] += count
        out: list[Problem] = []
        firsts: dict[str, tuple] = {}
        for row, pid, value in v.bad_rows(self.bad, self.value):
            bucket, message, expected = kinds.get(value) or self.classify(value)
            firsts.setdefault(bucket, (row, value))
            if bucket == "row" and len(out) < _LISTED:
                shown = _shown(value) if self.show_missing or message.endswith("word") else None
                out.append(Problem(v.runner.source, message, row=row, patient_id=pid,
                                   column=self.col, value=shown, expected=expected))  # fmt: skip
        if totals["row"] > len(out) and out:
            out.append(Problem(v.runner.source, f"{totals['row'] - len(out)} more such cells in "
                               f"{self.col} after the first {len(out)}", column=self.col))  # fmt: skip
        return out + self._column_problems(totals, firsts)

    def _column_problems(self, totals: dict[str, int], firsts: dict[str, tuple]) -> list[Problem]:
        out, v = [], self.view
        if totals["order"]:
            row, value = firsts.get("order", (None, None))
            n = totals["order"]
            out.append(Problem(v.runner.source, f"dates written month first (US) in {n} cell"
                               f"{'s' if n != 1 else ''}, the first in row {row}: the column's "
                               "other numeric dates would be misread day first", column=self.col,
                               value=_shown(value), expected="day-first dates throughout, or "
                               "date_order: month-first in the study file if the file writes "
                               "dates month first"))  # fmt: skip
        if totals["engine"]:
            row, value = firsts.get("engine", (None, None))
            n = totals["engine"]
            what = self.engine_what.format(engine=v.runner.name)
            out.append(Problem(v.runner.source, f"{n} cell{'s' if n != 1 else ''} {what} (the "
                               f"first in row {row})", column=self.col,
                               value=_shown(value) if self.show_missing else None,
                               expected=self.engine_expected))  # fmt: skip
        return out


def _date_check(view: StudyView, col: str) -> _Check:
    d, c, kind = view.runner.dialect, view.runner.dialect.quote(col), view.kind(col)
    declared = view.study.column(col)
    if declared is not None and declared.kind == "date":
        expected = declared.expected()
    else:
        expected = replace(Column(col, "date", ""), month_first=view.month_first).expected()

    def classify(value: object) -> tuple[str, str, str | None]:
        try:
            parse_date(value, view.month_first)
        except CellError as err:
            if err.message == MONTH_FIRST:
                return "order", err.message, err.expected
            return "row", err.message, err.expected or expected
        return "engine", "", None

    bad = f"({cells.present(d, c, kind)} AND {view.date(col)} IS NULL)"
    return _Check(view, col, bad, c, classify, by_value=kind == "text")


def _is_category(view: StudyView, col: str) -> bool:
    declared = view.study.column(col)
    return col in view.types and declared is not None and declared.kind == "category"


def _category_check(view: StudyView, col: str) -> _Check:
    """A declared category column: every present value (after recoding) is a level."""
    d, c, kind = view.runner.dialect, view.runner.dialect.quote(col), view.kind(col)
    column = view.study.column(col)
    table = view.study.recode.get(col)
    text = cells.recoded(d, c, kind, table) if table else cells.text(d, c, kind)

    def classify(value: object) -> tuple[str, str, str | None]:
        try:
            parse_category(value, column)
        except CellError as err:
            return "row", err.message, err.expected or column.expected()
        return "engine", "", None

    bad = f"({cells.present(d, text, 'text')} AND {view.value(col)} IS NULL)"
    return _Check(view, col, bad, text, classify)


def _is_required(view: StudyView, col: str) -> bool:
    declared = view.study.column(col)
    return col in view.types and declared is not None and declared.required


def _required_check(view: StudyView, col: str) -> _Check:
    """A column the study declares required: no missing value."""
    d, c, kind = view.runner.dialect, view.runner.dialect.quote(col), view.kind(col)
    column = view.study.column(col)

    def classify(value: object) -> tuple[str, str, str | None]:
        said = isinstance(value, str) and value.strip() != ""
        message = (
            "required value given as a missing-value word" if said else "required value missing"
        )
        return "row", message, column.expected()

    return _Check(view, col, f"(NOT {cells.present(d, c, kind)})", c, classify, show_missing=False)


def _model_checks(view: StudyView, col: str) -> list[_Check]:
    """A declared number, MRD or age column used by an analysis: numbers as the loader
    reads them (bounds included), and a refusal for what only the loader does (MRD
    results with their qualifiers; ages computed from the dates where left blank)."""
    declared = view.study.column(col)
    if col not in view.types or declared is None:
        return []
    d, c, kind = view.runner.dialect, view.runner.dialect.quote(col), view.kind(col)
    out = []
    if declared.kind == "mrd":
        out.append(_Check(view, col, cells.present(d, c, kind), c, lambda v: ("engine", "", None),
                          engine_what="holding MRD results, which the {engine} engine does not read",
                          engine_expected="--engine memory (it reads MRD results with their "
                          "qualifiers and applies --mrd-transform)"))  # fmt: skip
    if declared.age_at is not None:
        out.append(_Check(view, col, f"(NOT {cells.present(d, c, kind)})", c,
                          lambda v: ("engine", "", None), show_missing=False,
                          engine_what="blank: ages are computed from the dates in memory only",
                          engine_expected="--engine memory, or the ages filled in"))  # fmt: skip
    if declared.kind in ("number", "integer"):
        out.append(_number_check(view, col, declared))
    return out


_NUMBER = "^[+-]?([0-9]+[.]?[0-9]*|[.][0-9]+)([eE][+-]?[0-9]+)?$"


def _number_check(view: StudyView, col: str, declared: Column) -> _Check:
    """Numbers as :func:`remission.cohort.parse.parse_cell` reads them; a form it reads and
    SQL does not (a decimal comma) is refused with --engine memory."""
    from remission.cohort.parse import parse_cell

    d, c, kind = view.runner.dialect, view.runner.dialect.quote(col), view.kind(col)
    table = view.study.recode.get(col)
    text = cells.recoded(d, c, kind, table) if table else cells.text(d, c, kind)
    x = view.value(col)
    ok = "TRUE" if kind != "text" else d.matches(cells.strip(d, text), _NUMBER)
    conds = [ok, f"abs({x}) <= 1.7976931348623157e308"]
    conds += [f"{x} >= {declared.minimum!r}"] if declared.minimum is not None else []
    conds += [f"{x} <= {declared.maximum!r}"] if declared.maximum is not None else []
    conds += [f"{x} = floor({x})"] if declared.kind == "integer" else []
    bad = f"({cells.present(d, text, 'text')} AND NOT coalesce({' AND '.join(conds)}, FALSE))"

    def classify(value: object) -> tuple[str, str, str | None]:
        try:
            parse_cell(value, declared)
        except CellError as err:
            return "row", err.message, err.expected or declared.expected()
        return "engine", "", None

    return _Check(view, col, bad, text, classify,
                  engine_what="written in a form the {engine} engine does not read as a number",
                  engine_expected="numbers with a decimal point (1.5) on an engine; --engine "
                  "memory also reads decimal commas (1,5)")  # fmt: skip
