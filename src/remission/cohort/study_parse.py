"""Parsing the sections of a study file (:mod:`remission.cohort.study`) with every key checked.

Each ``_section`` function reads one top-level key and appends a :class:`Problem` for
every unknown key (with a did-you-mean), wrong type, unknown column or level, so one
pass reports everything wrong in the file.
"""

from __future__ import annotations

from remission.cohort.parse import CellError, parse_date, parse_text
from remission.cohort.problems import InputError, Problem
from remission.cohort.schema import COLUMNS, CORE_ENDPOINTS, KINDS, Column, EndpointSpec, column
from remission.cohort.study import Intervention, Study
from remission.cohort.suggest import did_you_mean

__all__ = ["parse_study", "TOP_KEYS", "COLUMN_KEYS"]

TOP_KEYS = ("title", "source", "notes", "data_cutoff_date", "date_order", "interventions",
            "columns", "origins", "endpoints", "rename", "recode", "eligibility", "facts")  # fmt: skip
DATE_ORDERS = ("day-first", "month-first")
COLUMN_KEYS = ("type", "label", "description", "unit", "categories", "reference", "synonyms",
               "constraints", "age_at")  # fmt: skip
_CORE_KEYS = ("description", "unit", "reference")
_CONSTRAINTS = ("required", "minimum", "maximum")
_TYPE_ALIASES = {"string": "text", "categorical": "category"}
_CORE = {c.name for c in COLUMNS}


class _Sink:
    """Collects problems of one study file."""

    def __init__(self, name: str):
        self.name, self.problems = name, []

    def add(self, where: str, message: str, value: object = None, expected: str | None = None):
        self.problems.append(Problem(self.name, f"{where}: {message}", value=value,
                                     expected=expected))  # fmt: skip

    def keys(self, where: str, data: dict, known: tuple[str, ...]) -> None:
        for key in data:
            if str(key) not in known:
                self.add(where, f"unknown key {str(key)!r}{did_you_mean(str(key), known)}",
                         expected="keys " + ", ".join(known))  # fmt: skip

    def mapping(self, where: str, value: object, expected: str) -> dict:
        if value is None:
            return {}
        if not isinstance(value, dict):
            self.add(where, "must be a mapping", value=_short(value), expected=expected)
            return {}
        return value


def _short(value: object) -> object:
    text = repr(value)
    return value if len(text) <= 80 else text[:77] + "..."


def _names(value: object) -> tuple[str, ...] | None:
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return tuple(value)
    return None


def _text(value: object) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"  # YAML reads an unquoted yes/no as a boolean
    return parse_text(value) or ""


def parse_study(data: object, name: str) -> Study:
    """The :class:`Study` of a parsed YAML document; InputError listing every problem."""
    if not isinstance(data, dict):
        raise InputError([Problem(name, "is not a mapping of keys to values",
                                  expected="keys " + ", ".join(TOP_KEYS))])  # fmt: skip
    sink = _Sink(name)
    for key in data:
        if str(key) not in TOP_KEYS:
            sink.problems.append(Problem(name, f"unknown key {str(key)!r}"
                                         + did_you_mean(str(key), TOP_KEYS),
                                         expected="keys " + ", ".join(TOP_KEYS)))  # fmt: skip
    values: dict[str, object] = {}
    for key in ("title", "source", "notes"):
        if data.get(key) is not None:
            values[key] = str(data[key])
    values["data_cutoff_date"] = _cutoff(sink, data.get("data_cutoff_date"))
    values["date_order"] = _date_order(sink, data.get("date_order"))
    values["facts"] = dict(sink.mapping("facts", data.get("facts"), "name: value pairs"))
    own, core = _columns(sink, data.get("columns"))
    values["columns"], values["core"] = own, core
    dates = {c.name for c in COLUMNS if c.kind == "date"} | {
        c.name for c in own if c.kind == "date"
    }
    values["interventions"] = _interventions(sink, data.get("interventions"), dates)
    values["origins"] = _origins(sink, data.get("origins"), dates)
    values["endpoints"] = _endpoints(sink, data.get("endpoints"), dates)
    values["rename"] = _rename(sink, data.get("rename"))
    values["recode"] = _recode(sink, data.get("recode"), _CORE | {c.name for c in own})
    values["eligibility"] = _eligibility(sink, data.get("eligibility"))
    _check_age_at(sink, own, dates)
    if sink.problems:
        raise InputError(sink.problems)
    return Study(**values, path=name)


def _date_order(sink: _Sink, value: object) -> str:
    """How the file writes numeric dates: ``day-first`` (default) or ``month-first``."""
    if value is None:
        return "day-first"
    text = str(value).strip().lower()
    if text not in DATE_ORDERS:
        sink.problems.append(Problem(sink.name, "date_order: not a date order" +
                                     did_you_mean(text, DATE_ORDERS), value=value,
                                     expected="day-first (21/03/2019) or month-first "
                                     "(03/21/2019)"))  # fmt: skip
        return "day-first"
    return text


def _cutoff(sink: _Sink, value: object):
    try:
        return parse_date(value)
    except CellError as err:
        sink.problems.append(Problem(sink.name, f"data_cutoff_date: {err.message}", value=value,
                                     expected="a date such as 2020-06-30"))  # fmt: skip
        return None


def _columns(sink: _Sink, value: object) -> tuple[tuple[Column, ...], tuple[Column, ...]]:
    own, core = [], []
    for key, spec in sink.mapping("columns", value, "column name: {type: ...}").items():
        where = f"columns.{key}"
        spec = sink.mapping(
            where, spec if spec is not None else {}, "keys " + ", ".join(COLUMN_KEYS)
        )
        if str(key) in _CORE:
            col = _core_column(sink, where, column(str(key)), spec)
            if col is not None:
                core.append(col)
            continue
        col = _study_column(sink, where, str(key), spec)
        if col is not None:
            own.append(col)
    return tuple(own), tuple(core)


def _core_column(sink: _Sink, where: str, base: Column, spec: dict) -> Column | None:
    extra = [k for k in spec if k not in _CORE_KEYS]
    if extra:
        sink.add(where, f"a core column: only {', '.join(_CORE_KEYS)} may be set here "
                 f"(not {', '.join(map(str, extra))})",
                 expected="its type and levels are those of docs/data-dictionary.md")  # fmt: skip
        return None
    ref = spec.get("reference")
    if ref is not None and _text(ref) not in base.allowed:
        sink.add(where, "reference is not a level" + did_you_mean(_text(ref), base.allowed),
                 value=_text(ref), expected="one of " + ", ".join(base.allowed) if base.allowed
                 else "a category column")  # fmt: skip
        return None
    return Column(base.name, base.kind, str(spec.get("description", base.description)),
                  base.required, base.allowed, base.synonyms, str(spec.get("unit", base.unit)),
                  base.minimum, base.maximum, None if ref is None else _text(ref))  # fmt: skip


def _study_column(sink: _Sink, where: str, name: str, spec: dict) -> Column | None:
    sink.keys(where, spec, COLUMN_KEYS)
    kind = _TYPE_ALIASES.get(str(spec.get("type")), str(spec.get("type")))
    if kind not in KINDS or kind == "id":
        sink.add(where, "type " + ("missing" if "type" not in spec else f"{kind!r} unknown")
                 + did_you_mean(kind, KINDS), expected="type: one of date, number, integer, "
                 "category, mrd, text")  # fmt: skip
        return None
    levels = _levels(sink, where, kind, spec)
    if levels is None:
        return None
    limits = _constraints(sink, where, spec.get("constraints"))
    ref = None if spec.get("reference") is None else _text(spec["reference"])
    if ref is not None and ref not in levels:
        sink.add(where, "reference is not one of the categories" + did_you_mean(ref, levels),
                 value=ref, expected="one of " + ", ".join(levels))  # fmt: skip
        return None
    synonyms = {
        _text(k).lower(): _text(v)
        for k, v in sink.mapping(f"{where}.synonyms", spec.get("synonyms"), "text: level").items()
    }
    for k, v in synonyms.items():
        if v not in levels:
            sink.add(f"{where}.synonyms", f"{k!r} maps to {v!r}, which is not a category",
                     expected="one of " + ", ".join(levels))  # fmt: skip
    age_at = spec.get("age_at")
    return Column(name, kind, str(spec.get("description") or ""), bool(limits.get("required")),
                  levels, synonyms if kind == "category" else {}, str(spec.get("unit") or ""),
                  limits.get("minimum"), limits.get("maximum"), ref,
                  None if age_at is None else str(age_at),
                  label=str(spec.get("label") or "").strip())  # fmt: skip


def _levels(sink: _Sink, where: str, kind: str, spec: dict) -> tuple[str, ...] | None:
    raw = spec.get("categories")
    if kind != "category":
        if raw is not None or spec.get("reference") is not None:
            sink.add(where, "categories and reference go with type: category", value=kind)
            return None
        return ()
    if not isinstance(raw, list) or not raw:
        sink.add(where, "a category needs its categories, in order", value=_short(raw),
                 expected="categories: [first (reference), second, ...]")  # fmt: skip
        return None
    levels = tuple(_text(v) for v in raw)
    if len({v.lower() for v in levels}) != len(levels):
        sink.add(where, "categories repeat a level", value=list(levels))
        return None
    return levels


def _constraints(sink: _Sink, where: str, value: object) -> dict:
    spec = sink.mapping(f"{where}.constraints", value, "required, minimum, maximum")
    sink.keys(f"{where}.constraints", spec, _CONSTRAINTS)
    out: dict = {"required": bool(spec.get("required", False))}
    for key in ("minimum", "maximum"):
        v = spec.get(key)
        if v is None:
            continue
        if isinstance(v, bool) or not isinstance(v, int | float):
            sink.add(f"{where}.constraints.{key}", "not a number", value=_short(v))
        else:
            out[key] = float(v)
    return out


def _date_column(sink: _Sink, where: str, value: object, dates: set[str]) -> str | None:
    if not isinstance(value, str) or value not in dates:
        sink.add(where, "not a date column" + did_you_mean(str(value), dates),
                 value=_short(value), expected="a date column of the core dictionary or of "
                 "this file's columns (type: date)")  # fmt: skip
        return None
    return value


def _interventions(sink: _Sink, value: object, dates: set[str]) -> tuple[Intervention, ...]:
    out = []
    known = ("start", "description", "precedes")
    for key, spec in sink.mapping("interventions", value, "name: {start: DATE_COLUMN}").items():
        where = f"interventions.{key}"
        spec = sink.mapping(where, spec, "start, description, precedes")
        sink.keys(where, spec, known)
        start = _date_column(sink, f"{where}.start", spec.get("start"), dates)
        precedes = _names(spec.get("precedes", [])) or ()
        for p in precedes:
            _date_column(sink, f"{where}.precedes", p, dates)
        if start is not None:
            out.append(Intervention(str(key), start, str(spec.get("description") or ""),
                                    tuple(precedes)))  # fmt: skip
    return tuple(out)


def _origins(sink: _Sink, value: object, dates: set[str]) -> dict[str, str]:
    out = {}
    for key, col in sink.mapping("origins", value, "name: DATE_COLUMN").items():
        if _date_column(sink, f"origins.{key}", col, dates) is not None:
            out[str(key)] = col
    return out


def _endpoints(sink: _Sink, value: object, dates: set[str]) -> tuple[EndpointSpec, ...]:
    out = []
    known = ("events", "competing", "description")
    builtin = {e.name for e in CORE_ENDPOINTS}
    for key, spec in sink.mapping("endpoints", value, "NAME: {events: [...]}").items():
        where = f"endpoints.{key}"
        spec = sink.mapping(where, spec, ", ".join(known))
        sink.keys(where, spec, known)
        if str(key).upper() in builtin:
            sink.add(where, "a built-in endpoint cannot be redefined", expected="another name")
            continue
        events, competing = _names(spec.get("events")), _names(spec.get("competing", []))
        if not events or competing is None:
            sink.add(where, "events (and competing) must list date columns",
                     value=_short(spec.get("events")), expected="events: [relapse_date, ...]")  # fmt: skip
            continue
        bad = [c for c in (*events, *competing) if _date_column(sink, where, c, dates) is None]
        if not bad:
            out.append(
                EndpointSpec(str(key), events, competing, str(spec.get("description") or ""))
            )
    return tuple(out)


def _rename(sink: _Sink, value: object) -> dict[str, str]:
    out = {}
    for header, name in sink.mapping("rename", value, "spreadsheet header: column").items():
        if not isinstance(name, str) or not name.strip():
            sink.add(f"rename.{header}", "must name a column", value=_short(name))
        else:
            out[str(header).strip()] = name.strip()
    if len(set(out.values())) != len(out):
        twice = sorted({v for v in out.values() if list(out.values()).count(v) > 1})
        sink.add("rename", "two headers renamed to the same column", value=", ".join(twice))
    return out


def _recode(sink: _Sink, value: object, known: set[str]) -> dict[str, dict[str, str]]:
    out = {}
    for col, table in sink.mapping("recode", value, "column: {code: value}").items():
        where = f"recode.{col}"
        if str(col) not in known:
            sink.add(where, "not a declared column" + did_you_mean(str(col), known),
                     expected="a core column or one of this file's columns")  # fmt: skip
            continue
        table = sink.mapping(where, table, "code: value")
        out[str(col)] = {_text(k): _text(v) for k, v in table.items()}
    return out


def _eligibility(sink: _Sink, value: object) -> dict:
    spec = sink.mapping("eligibility", value, "description, criteria")
    sink.keys("eligibility", spec, ("description", "criteria"))
    crit = spec.get("criteria")
    if crit is not None and not isinstance(crit, list):
        sink.add("eligibility.criteria", "must be a list", value=_short(crit),
                 expected="[{criterion: text, where: {column: condition}}, ...]")  # fmt: skip
    return {k: spec[k] for k in ("description", "criteria") if spec.get(k) is not None}


def _check_age_at(sink: _Sink, own: tuple[Column, ...], dates: set[str]) -> None:
    for col in (c for c in own if c.age_at is not None):
        if col.kind != "number":
            sink.add(f"columns.{col.name}.age_at", "goes with type: number", value=col.kind)
        _date_column(sink, f"columns.{col.name}.age_at", col.age_at, dates)
