"""The per-patient listing (the seed letter's Table 1, for any study), its columns from data.

Which columns a listing has is decided by the study file and the data dictionary, never
by code naming a study (:func:`listing_spec`):

- ``Patient``, and ``Centre`` when the cohort records one;
- age and sex: the study's age column (``age_at:`` in the study file), headed by what it
  is the age at (the intervention whose start date it is, else that date column);
- the core baseline columns: disease status, CNS status, MRD before treatment;
- the study file's own columns (``columns:``) in its order: numbers, categories, MRD
  results and text, headed by their name and unit (``lymphocytes_pre_1e9_per_l`` with
  unit ``10^9/L``: ``Lymphocytes pre, ×10⁹/L``); date columns are shown as days (below);
- the core toxicity grades (CRS, neurotoxicity; their occurrence when no grade is
  recorded) and MRD after treatment;
- the start of each further intervention and the HSCT as the day counted from the start
  of the study's first intervention (day 0; ``–`` when not given), conditioning and donor
  (``–`` for a patient without a transplant);
- ``Status``: the events of the built-in EFS and of the study's endpoints (``endpoints:``,
  events and competing events) in the order they happened, ``Event-free`` when none;
  each patient's events are told in a numbered note, the day counted from the HSCT or
  else the first intervention, whichever came last before the event.

A column is shown only when some patient has a value in it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from remission.cohort.mrdvalue import MRDValue, parse_mrd
from remission.cohort.schema import COLUMN_NAMES, CORE_ENDPOINTS, Column, EndpointSpec, column
from remission.report import format as fmt

__all__ = [
    "ABBREVIATIONS",
    "Listing",
    "ListingColumn",
    "ListingSpec",
    "listing_spec",
    "patient_listing",
    "superscript",
]

#: Abbreviations the listing may use (the seed letter's legend, extended).
ABBREVIATIONS: dict[str, str] = {
    "Alem": "alemtuzumab", "ALL": "acute lymphoblastic leukemia", "AML": "acute myeloid leukemia",
    "ATG": "anti-thymocyte globulin", "CAR": "chimeric antigen receptor",
    "CNS": "central nervous system", "CR": "complete remission",
    "CR1": "first complete remission", "CR2": "second complete remission",
    "CRS": "cytokine release syndrome", "CY": "cyclophosphamide", "F": "female",
    "FBT": "fludarabine, busulfan, thiotepa", "FTT": "fludarabine, treosulfan, thiotepa",
    "HSCT": "hematopoietic stem cell transplantation", "M": "male",
    "MMSD": "mismatched sibling donor", "MMUD": "mismatched unrelated donor",
    "MRD": "minimal residual disease", "MSD": "matched sibling donor",
    "MUD": "matched unrelated donor", "N/A": "not available", "TBI": "total body irradiation",
    "haplo": "haploidentical donor", "cord": "cord blood",
}  # fmt: skip

#: Headers of the core (data dictionary) columns a listing shows.
_CORE_HEADERS = {
    "centre": "Centre", "disease_status": "Disease status", "cns_status": "CNS status",
    "mrd_pre_percent": "Pre-MRD, %", "crs_grade": "CRS", "neurotoxicity_grade": "Neurotoxicity",
    "crs": "CRS", "neurotoxicity": "Neurotoxicity", "mrd_post_percent": "Post-MRD, %",
    "conditioning": "HSCT conditioning", "donor": "Donor",
}  # fmt: skip
_BASELINE = ("disease_status", "cns_status", "mrd_pre_percent")
_TOXICITY = (("crs_grade", "crs"), ("neurotoxicity_grade", "neurotoxicity"))
_HSCT = ("conditioning", "donor")
#: A date not given (an intervention or HSCT the patient did not have).
NOT_GIVEN = "\u2013"


@dataclass(frozen=True)
class ListingColumn:
    """One listing column: ``kind`` is ``text``, ``number``, ``integer``, ``mrd``,
    ``grade``, ``age_sex`` (``column`` the age), ``day`` (``column`` a date, counted
    from the listing's day 0) or ``hsct`` (text about the transplant: ``–`` without one)."""

    header: str
    column: str
    kind: str = "text"


@dataclass(frozen=True)
class ListingSpec:
    """What a listing shows: its ``columns``; the ``events`` (date columns) its Status
    tells; ``day0`` the ``(name, date column)`` the day columns count from; ``origins``
    the ``(name, date column)`` the notes may count an event's day from."""

    columns: tuple[ListingColumn, ...]
    events: tuple[str, ...] = ("relapse_date", "second_malignancy_date", "death_date")
    day0: tuple[str, str] | None = None
    origins: tuple[tuple[str, str], ...] = (("HSCT", "hsct_date"),)


@dataclass(frozen=True, eq=False)
class Listing:
    """The per-patient table with its generated notes and abbreviation legend.

    ``table`` has plain cells and a ``Notes`` column (the form written as CSV);
    ``footnotes`` are ``(number, text)`` numbered once in order of first use (identical
    texts share a number) and ``marks`` say which cell refers to which note:
    ``(row, column, number)``; :meth:`marked_table` puts the numbers in the cells.
    """

    table: pd.DataFrame
    footnotes: tuple[tuple[str, str], ...]
    abbreviations: str
    marks: tuple[tuple[int, str, str], ...] = ()

    def marked_table(self) -> pd.DataFrame:
        """The table without ``Notes``, each noted cell followed by its superscript number."""
        out = self.table.drop(columns=["Notes"], errors="ignore").copy()
        for row, col, num in self.marks:
            out.loc[row, col] = f"{out.loc[row, col]}{superscript(num)}"
        return out


def superscript(num: str) -> str:
    """``superscript("12")`` -> ``"\u00b9\u00b2"`` (a note number in the cell's text)."""
    return num.translate(_SUPERSCRIPT)


_SUPERSCRIPT = str.maketrans(
    "0123456789,-", "\u2070\u00b9\u00b2\u00b3\u2074\u2075\u2076\u2077\u2078\u2079\u02d2\u207b"
)


# --- labels from names and units -------------------------------------------------------


def unit_text(unit: str) -> str:
    """A unit as printed: ``10^9/L`` -> ``×10⁹/L``; others as written."""
    return re.sub(r"10\^(-?\d+)", lambda m: "\u00d710" + superscript(m.group(1)), unit)


def _words(name: str) -> str:
    """``kmt2a_rearranged`` -> ``KMT2A rearranged``, ``wbc`` -> ``WBC``: underscores to
    blanks; a word mixing letters and digits (a gene or grade symbol) or of at most four
    letters without a vowel (an abbreviation) in capitals."""
    words = [w.upper() if re.search(r"\d", w) or (len(w) <= 4 and not re.search("[aeiouy]", w))
             else w for w in name.split("_")]  # fmt: skip
    text = " ".join(w for w in words if w)
    return text[:1].upper() + text[1:]


def _unit_suffix(unit: str) -> str:
    """The unit as a name ends with it: ``10^9/L`` -> ``1e9_per_l``, ``%`` -> ``percent``."""
    u = unit.strip().lower().replace("%", "percent").replace("10^", "1e").replace("/", "_per_")
    return re.sub(r"[^0-9a-z]+", "_", u).strip("_")


def column_header(col: Column) -> str:
    """A study column's header: its ``label`` from the study file (with the unit unless
    the label has it), else from its name and unit: ``wbc`` (``10^9/L``) -> ``WBC,
    ×10⁹/L``; a name that ends with its unit drops it there (``blinatumomab_cycles``
    with unit ``cycles`` -> ``Blinatumomab, cycles``)."""
    if col.label:  # the study file's own label, with the unit unless it has one
        unit = unit_text(col.unit) if col.unit else ""
        return col.label + (f", {unit}" if unit and col.unit not in col.label
                            and unit not in col.label else "")  # fmt: skip
    name, suffix = col.name, _unit_suffix(col.unit) if col.unit else ""
    if suffix and name.endswith("_" + suffix):
        name = name[: -len(suffix) - 1]
    return _words(name) + (f", {unit_text(col.unit)}" if col.unit else "")


def _date_label(date_column: str) -> str:
    """``second_malignancy_date`` -> ``second malignancy``; ``agvhd34_date`` -> ``AGVHD34``."""
    text = _words(date_column.removesuffix("_date"))
    first = text.split(" ")[0]
    return text if first.isupper() and len(first) > 1 else text[:1].lower() + text[1:]


# --- which columns ---------------------------------------------------------------------


_OWN_KINDS = {"number": "number", "integer": "integer", "category": "text", "mrd": "mrd",
              "text": "text"}  # fmt: skip


def _core(name: str, present: set[str]) -> list[ListingColumn]:
    if name not in present:
        return []
    kind = {"mrd": "mrd", "integer": "grade"}.get(column(name).kind, "text")
    return [ListingColumn(_CORE_HEADERS[name], name, kind)]


def _age_sex(own: Sequence[Column], starts: Mapping[str, str], present: set[str]
             ) -> list[ListingColumn]:  # fmt: skip
    age = next((c for c in own if c.age_at and c.name in present), None)
    if age is None:
        return _core_sex(present)
    at = next((n for n, start in starts.items() if start == age.age_at), None)
    return [ListingColumn(f"Age at {at or _date_label(age.age_at)}, y/sex", age.name, "age_sex")]


def _core_sex(present: set[str]) -> list[ListingColumn]:
    return [ListingColumn("Sex", "sex")] if "sex" in present else []


def _days(starts: Mapping[str, str], present: set[str]) -> list[ListingColumn]:
    """Day columns: each intervention after the first, and the HSCT (none without day 0)."""
    if not starts:
        return []
    later = [(name, start) for name, start in list(starts.items())[1:]]
    later.append(("HSCT", "hsct_date"))
    return [ListingColumn(f"{name[:1].upper()}{name[1:]}, day", start, "day")
            for name, start in later if start in present]  # fmt: skip


def listing_spec(
    columns: Sequence[Column],
    interventions: Mapping[str, str] | None = None,
    endpoints: Sequence[EndpointSpec] = (),
    present: Sequence[str] | None = None,
) -> ListingSpec:
    """The listing's columns for a cohort (see the module docstring).

    ``columns`` are the cohort's columns (core, the study's own, inferred: only the
    study's own and the core ones are listed); ``interventions`` maps each intervention
    to its start-date column, in the study file's order; ``endpoints`` are the study's
    own endpoints; ``present`` the columns in which some patient has a value (default:
    every column given).
    """
    starts = dict(interventions or {})
    have = {c.name for c in columns} if present is None else set(present)
    own = [c for c in columns if c.name not in COLUMN_NAMES and not c.inferred]
    cols = [ListingColumn("Patient", "patient_id")]
    cols += _core("centre", have) + _age_sex(own, starts, have)
    for name in _BASELINE:
        cols += _core(name, have)
    for c in own:
        if c.kind in _OWN_KINDS and not c.age_at and c.name in have:
            cols.append(ListingColumn(column_header(c), c.name, _OWN_KINDS[c.kind]))
    for grade, occurred in _TOXICITY:
        cols += _core(grade, have) or _core(occurred, have)
    cols += _core("mrd_post_percent", have) + _days(starts, have)
    for name in _HSCT:  # of the transplant: "not given" for a patient without one
        cols += [ListingColumn(c.header, c.column, "hsct") for c in _core(name, have)]
    first = next(iter(starts.items()), None)
    origins = (("HSCT", "hsct_date"), *([first] if first else []), ("diagnosis", "diagnosis_date"))
    events = [e for spec in (*CORE_ENDPOINTS[:1], *endpoints)
              for e in (*spec.events, *spec.competing)]  # fmt: skip
    return ListingSpec(tuple(cols), tuple(dict.fromkeys(events)), first, origins)


def present_columns(frame: pd.DataFrame) -> list[str]:
    """The columns of ``frame`` in which some patient has a value."""
    return [c for c in frame.columns if not all(_absent(v) for v in frame[c])]


# --- cells -----------------------------------------------------------------------------


def _mrd(v: object) -> MRDValue:
    return v if isinstance(v, MRDValue) else parse_mrd(v)


def _absent(v: object) -> bool:
    if isinstance(v, MRDValue):
        return v.is_missing
    if isinstance(v, str):
        return not v.strip()
    return v is None or bool(pd.isna(v))


def _text(v: object) -> str:
    return "" if _absent(v) else str(v)


def _as_number(v: object) -> float:
    """A cell as a float (NaN when missing or not a number)."""
    try:
        return float(v)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return float("nan")


def _day(a: object, b: object) -> int | None:
    if _absent(a) or _absent(b):
        return None
    return int((pd.Timestamp(a) - pd.Timestamp(b)).days)


def _cell(c: ListingColumn, r: Mapping, day0: str | None) -> str:
    v = r.get(c.column)
    if c.kind == "mrd":
        return str(_mrd(v))
    if c.kind == "grade":
        return fmt.MISSING if _absent(v) else ("No" if int(v) == 0 else f"Grade {int(v)}")
    if c.kind == "age_sex":
        age = _as_number(v)
        return f"{fmt.number(age, 2) if not np.isnan(age) else fmt.MISSING}/{_text(r.get('sex'))}"
    if c.kind == "day":
        if _absent(v):
            return NOT_GIVEN
        d = _day(v, r.get(day0)) if day0 else None
        return fmt.MISSING if d is None else str(d)
    if c.kind == "hsct" and _absent(v) and _absent(r.get("hsct_date")):
        return NOT_GIVEN
    if c.kind in ("number", "integer"):
        x = _as_number(v)
        return fmt.MISSING if np.isnan(x) else fmt.number(x, 0 if c.kind == "integer" else None)
    return _text(v) or fmt.MISSING


# --- status ----------------------------------------------------------------------------


def _event_text(col: str, r: Mapping, when: str) -> list[str]:
    """``AML lineage switch relapse on day 35 after HSCT``, ``died of ... on day ...``."""
    if col == "relapse_date":
        lineage = _text(r.get("relapse_lineage"))
        therapy = _text(r.get("post_relapse_therapy"))
        return [f"{lineage} relapse {when}".strip(), *([therapy] if therapy else [])]
    if col == "death_date":
        cause = _text(r.get("cause_of_death"))
        return [f"died of {cause} {when}" if cause else f"died {when}"]
    return [f"{_date_label(col)} {when}"]


def _when(date: object, r: Mapping, origins: Sequence[tuple[str, str]]) -> str:
    """``on day 35 after HSCT``: from the last origin on or before the event, else the date."""
    best = None
    for name, col in origins:
        d = _day(date, r.get(col))
        if d is not None and d >= 0 and (best is None or d < best[0]):
            best = (d, name)
    if best is None:
        return f"on {pd.Timestamp(date).date().isoformat()}"
    return f"on day {best[0]} after {best[1]}"


def _status(r: Mapping, spec: ListingSpec) -> tuple[str, str]:
    """Status cell (the events in the order they happened) and its note text."""
    happened = sorted(
        ((pd.Timestamp(r[c]), c == "death_date", c) for c in spec.events if not _absent(r.get(c))),
    )
    if not happened:
        return "Event-free", ""
    words = [{"relapse_date": "relapse", "death_date": "died"}.get(c, _date_label(c))
             for _, _, c in happened]  # fmt: skip
    parts = [p for when, _, c in happened for p in _event_text(c, r, _when(when, r, spec.origins))]
    status, text = "\u2192".join(words), "; ".join(parts)
    return status[:1].upper() + status[1:], text[:1].upper() + text[1:] + "."


def patient_listing(frame: pd.DataFrame, spec: ListingSpec | None = None) -> Listing:
    """The per-patient table: one row per patient, the columns of ``spec`` (default: the
    core columns of ``frame`` that hold a value), notes generated.

    Notes are numbered 1, 2, ... in order of first use; identical texts share a number
    (never a growing run of symbols). Abbreviations are listed only if used.
    """
    if spec is None:
        core = [column(c) for c in frame.columns if c in COLUMN_NAMES]
        spec = listing_spec(core, present=present_columns(frame))
    day0 = spec.day0[1] if spec.day0 else None
    rows, numbers, notes, marks = [], {}, [], []
    for i, r in enumerate(frame.to_dict("records")):
        row = {c.header: _cell(c, r, day0) for c in spec.columns}
        row["Status"], note = _status(r, spec)
        if note:
            if note not in numbers:
                numbers[note] = str(len(numbers) + 1)
                notes.append((numbers[note], note))
            marks.append((i, "Status", numbers[note]))
        row["Notes"] = note
        rows.append(row)
    headers = [c.header for c in spec.columns] + ["Status", "Notes"]
    table = pd.DataFrame(rows, columns=headers)
    legend = _abbreviations(table, notes)
    if spec.day0 and any(c.kind == "day" for c in spec.columns):
        legend += (f" Day: counted from the start of {spec.day0[0]} (day 0); {NOT_GIVEN}, "
                   "not given.")  # fmt: skip
    return Listing(table, tuple(notes), legend, tuple(marks))


def _abbreviations(table: pd.DataFrame, notes: Sequence[tuple[str, str]]) -> str:
    text = " ".join(table.astype(str).to_numpy().ravel()) + " " + " ".join(t for _, t in notes)
    text += " " + " ".join(table.columns)
    tokens = set(text.replace("/", " ").replace(",", " ").replace("+", " ").split())
    used = [k for k in ABBREVIATIONS if k in tokens]
    return "; ".join(f"{k}, {ABBREVIATIONS[k]}" for k in sorted(used, key=str.lower)) + "."
