"""The study file's mapping as a form: spreadsheet header -> column, type, levels, reference.

Pure functions between the study file (as a mapping, read with the project's one YAML
reader) and the form's values; the page draws the form and writes the study file back.
Only ``title``, ``data_cutoff_date``, ``date_order``, ``rename`` and ``columns`` are edited here; every
other section of the study file (interventions, origins, endpoints, recodes, eligibility,
facts) is kept as it is.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import yaml

from remission.cohort.yamlsafe import parse_yaml

__all__ = ["MapRow", "TYPES", "form_rows", "apply_form", "read_study_text", "dump_study"]

#: The column types a study file declares (docs/study-file.md).
TYPES = ("date", "number", "integer", "category", "mrd", "text")


@dataclass(frozen=True)
class MapRow:
    """One spreadsheet header and what the study file says of it.

    ``own`` is True for a study's own column (declared under ``columns:``); for a core
    column only the mapping is edited here (its type is the data dictionary's).
    """

    header: str
    column: str
    own: bool
    type: str = ""
    categories: tuple[str, ...] = ()
    reference: str = ""


def read_study_text(text: str) -> dict:
    """The study file's text as a mapping (empty text: an empty study)."""
    data = parse_yaml(text or "", "study file") if (text or "").strip() else {}
    return dict(data) if isinstance(data, dict) else {}


def form_rows(study: Mapping, headers: Sequence[str], core: Sequence[str]) -> list[MapRow]:
    """A row per header: the column it is renamed to (or itself) and, for the study's own
    columns, the declared type, categories and reference."""
    rename = {str(k): str(v) for k, v in (study.get("rename") or {}).items()}
    columns = study.get("columns") or {}
    rows = []
    for header in headers:
        column = rename.get(header, header)
        spec = columns.get(column) or {}
        own = column not in core
        rows.append(MapRow(header, column, own, str(spec.get("type") or ("" if not own else "text")),
                           tuple(str(c) for c in spec.get("categories") or ()),
                           str(spec.get("reference") or "")))  # fmt: skip
    return rows


#: how a file writes numeric dates, as the form offers it (study file key ``date_order``)
DATE_ORDERS = {"day-first": "day first (21/03/2019)", "month-first": "month first (03/21/2019)"}


def apply_form(study: Mapping, rows: Sequence[MapRow], title: str, cutoff: str,
               date_order: str = "day-first") -> dict:  # fmt: skip
    """The study mapping with the form's values: renames, own columns, title, cut-off and
    the date order (written only when month first: day first is the default)."""
    out = dict(study)
    if title.strip():
        out["title"] = title.strip()
    out["data_cutoff_date"] = _date(cutoff)
    out["date_order"] = "month-first" if date_order == "month-first" else None
    rename = {r.header: r.column for r in rows if r.header != r.column}
    out["rename"] = rename or None
    columns = {k: dict(v or {}) for k, v in (study.get("columns") or {}).items()}
    for r in rows:
        if not r.own:
            continue
        spec = columns.setdefault(r.column, {})
        spec["type"] = r.type or "text"
        if r.type == "category" and r.categories:
            spec["categories"] = list(r.categories)
            if r.reference:
                spec["reference"] = r.reference
        else:
            spec.pop("categories", None)
            spec.pop("reference", None)
    out["columns"] = columns or None
    return {k: v for k, v in out.items() if v is not None}


def dump_study(study: Mapping) -> str:
    """The study mapping as YAML text, keys in the order given."""
    head = "# Study file edited in the remission app (format: docs/study-file.md)\n"
    return head + yaml.safe_dump(dict(study), sort_keys=False, allow_unicode=True, width=100)


def _date(text: str) -> dt.date | str | None:
    text = (text or "").strip()
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return text  # kept as typed: validation names the problem
