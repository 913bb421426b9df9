"""Study-level settings from a YAML file (``remission validate --study study.yaml``).

The keys are those of :data:`remission.cohort.schema.STUDY_FIELDS`; every one is optional::

    title: Blinatumomab before HSCT in infants with KMT2A-rearranged ALL
    data_cutoff_date: 2020-06-30
    facts:
      blinatumomab_cycles_total: 13

An unknown key is a problem (with a did-you-mean), so a misspelt ``data_cutoff_date``
never goes unnoticed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from remission.cohort.parse import CellError, parse_date
from remission.cohort.problems import InputError, Problem
from remission.cohort.schema import STUDY_FIELDS
from remission.cohort.suggest import did_you_mean
from remission.cohort.yamlsafe import load_yaml

__all__ = ["Study", "load_study"]

_KEYS = tuple(f.name for f in STUDY_FIELDS)


@dataclass(frozen=True)
class Study:
    """Study-level settings; ``facts`` holds study-level facts as given."""

    data_cutoff_date: dt.date | None = None
    title: str | None = None
    source: str | None = None
    notes: str | None = None
    facts: dict = field(default_factory=dict)

    def to_dict(self) -> dict:
        cutoff = self.data_cutoff_date
        return {
            "data_cutoff_date": None if cutoff is None else cutoff.isoformat(),
            "title": self.title,
            "source": self.source,
            "notes": self.notes,
            "facts": dict(self.facts),
        }


def _read_yaml(name: str, p: Path) -> object:
    """The study file through the one YAML reader (size, depth, alias and key limits)."""
    return load_yaml(p, "study file")


def load_study(path: str | Path) -> Study:
    """Read a study YAML file; raise :class:`InputError` listing every problem."""
    name = str(path)
    data = _read_yaml(name, Path(path))
    if not isinstance(data, dict):
        raise InputError(
            [Problem(name, "is not a mapping of keys to values", expected=_expected())]
        )
    problems = []
    values: dict[str, object] = {}
    for key, value in data.items():
        key = str(key)
        if key not in _KEYS:
            hint = did_you_mean(key, _KEYS)
            problems.append(Problem(name, f"unknown key {key!r}{hint}", expected=_expected()))
        elif key == "data_cutoff_date":
            try:
                values[key] = parse_date(value)
            except CellError as err:
                problems.append(
                    Problem(
                        name,
                        f"data_cutoff_date: {err.message}",
                        value=value,
                        expected="a date such as 2020-06-30",
                    )
                )
        elif key == "facts":
            if value is not None and not isinstance(value, dict):
                problems.append(
                    Problem(
                        name, "facts must be a mapping", value=value, expected="name: value pairs"
                    )
                )
            values[key] = dict(value or {}) if isinstance(value, dict | None) else {}
        else:
            values[key] = None if value is None else str(value)
    if problems:
        raise InputError(problems)
    return Study(**values)


def _expected() -> str:
    return "keys " + ", ".join(_KEYS)
