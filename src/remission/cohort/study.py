"""The study file: one YAML file that describes a study as data (``--study``).

Every key is optional; an unknown key anywhere is a problem with a did-you-mean, so a
misspelt ``data_cutoff_date`` or ``categoires`` never goes unnoticed. Field words follow
Frictionless Table Schema where they fit (``type``, ``description``, ``constraints`` with
``required``/``minimum``/``maximum``, ``categories`` for the ordered levels). The whole
format, with a complete example, is in ``docs/study-file.md``::

    title: CAR-T then HSCT in relapsed ALL
    data_cutoff_date: 2023-06-30
    interventions:
      cart: {start: cart_infusion_date, precedes: [hsct_date]}
    columns:
      cart_infusion_date: {type: date, description: CAR T-cell infusion}
      risk_group: {type: category, categories: [SR, IR, HR], reference: SR}
      wbc: {type: number, unit: 10^9/L, constraints: {minimum: 0}}
    origins: {cart: cart_infusion_date}
    endpoints:
      RFS: {events: [relapse_date, death_date]}
    rename: {"Pt ID": patient_id, DOB: date_of_birth}
    recode: {sex: {1: M, 2: F}}
    eligibility:
      description: Relapsed B-ALL given CAR T cells
      criteria: [{criterion: CAR T cells given, where: {cart_infusion_date: {present: true}}}]

The sections are parsed by :mod:`remission.cohort.study_parse`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from pathlib import Path

from remission.cohort.problems import InputError, Problem
from remission.cohort.schema import COLUMNS, CORE_ENDPOINTS, CORE_ORIGINS, Column, EndpointSpec
from remission.cohort.yamlsafe import load_yaml

__all__ = ["Intervention", "Study", "load_study", "read_yaml"]


@dataclass(frozen=True)
class Intervention:
    """A study treatment: its name, start-date column and the dates that follow it.

    ``precedes`` lists date columns that may not be dated before ``start`` (e.g. HSCT
    after a bridging treatment); the start itself is never before diagnosis nor after
    last follow-up.
    """

    name: str
    start: str
    description: str = ""
    precedes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Study:
    """A study described as data; see the module docstring for the file format.

    ``columns`` are the study's own columns; ``core`` the core columns the study file
    adjusted (description, unit, reference level). ``eligibility`` has ``description``
    (text) and ``criteria`` (as written; parsed by the report layer).
    """

    data_cutoff_date: dt.date | None = None
    title: str | None = None
    source: str | None = None
    notes: str | None = None
    facts: dict = field(default_factory=dict)
    interventions: tuple[Intervention, ...] = ()
    columns: tuple[Column, ...] = ()
    core: tuple[Column, ...] = ()
    origins: dict[str, str] = field(default_factory=dict)
    endpoints: tuple[EndpointSpec, ...] = ()
    rename: dict[str, str] = field(default_factory=dict)
    recode: dict[str, dict[str, str]] = field(default_factory=dict)
    eligibility: dict = field(default_factory=dict)
    date_order: str = "day-first"  # how the file writes 03/04/2019: day-first or month-first
    path: str | None = field(default=None, compare=False)

    def all_columns(self) -> tuple[Column, ...]:
        """The core dictionary (with this study's adjustments), then the study's columns."""
        adjusted = {c.name: c for c in self.core}
        out = tuple(adjusted.get(c.name, c) for c in COLUMNS) + self.columns
        if self.date_order != "month-first":
            return out
        return tuple(replace(c, month_first=True) if c.kind == "date" else c for c in out)

    def column(self, name: str) -> Column | None:
        """The declared (core or study) column ``name``, or None."""
        return next((c for c in self.all_columns() if c.name == name), None)

    def origin_columns(self) -> dict[str, str]:
        """Named origins: the core ones, one per intervention, then the file's own."""
        out = dict(CORE_ORIGINS)
        out.update({i.name: i.start for i in self.interventions})
        out.update(self.origins)
        return out

    def endpoint_specs(self) -> dict[str, EndpointSpec]:
        """Built-in endpoints (EFS, OS, CIR, NRM), then the study's own, by name."""
        return {e.name: e for e in (*CORE_ENDPOINTS, *self.endpoints)}

    def with_references(self, references: dict[str, str], where: str = "--reference") -> Study:
        """The study with other reference levels (``{column: level}``); InputError if a
        column is not a declared category or the level is not one of its levels."""
        from remission.cohort.suggest import did_you_mean

        problems, core, own = [], {c.name: c for c in self.core}, list(self.columns)
        for name, level in references.items():
            col = self.column(name)
            if col is None or col.kind != "category":
                cats = [c.name for c in self.all_columns() if c.kind == "category"]
                problems.append(Problem(where, "not a category column" + did_you_mean(name, cats),
                                        column=name, expected="one of " + ", ".join(cats)))  # fmt: skip
                continue
            match = {v.lower(): v for v in col.allowed}.get(str(level).lower())
            if match is None:
                problems.append(Problem(where, "not a level" + did_you_mean(level, col.allowed),
                                        column=name, value=level,
                                        expected="one of " + ", ".join(col.allowed)))  # fmt: skip
                continue
            new = col.with_reference(match)
            if any(c.name == name for c in COLUMNS):
                core[name] = new
            else:
                own = [new if c.name == name else c for c in own]
        if problems:
            raise InputError(problems)
        return replace(self, core=tuple(core.values()), columns=tuple(own))

    def to_dict(self) -> dict:
        cutoff = self.data_cutoff_date
        return {
            "data_cutoff_date": None if cutoff is None else cutoff.isoformat(),
            "title": self.title,
            "source": self.source,
            "notes": self.notes,
            "facts": dict(self.facts),
            "interventions": {i.name: i.start for i in self.interventions},
            "columns": {c.name: c.kind for c in self.columns},
            "origins": self.origin_columns(),
            "endpoints": sorted(self.endpoint_specs()),
        }


def read_yaml(name: str, p: Path) -> object:
    """The study file through the one YAML reader (size, depth, alias and key limits)."""
    return load_yaml(p, "study file")


def load_study(path: str | Path) -> Study:
    """Read a study YAML file; raise :class:`InputError` listing every problem."""
    from remission.cohort.study_parse import parse_study

    name = str(path)
    return parse_study(read_yaml(name, Path(path)), name)
