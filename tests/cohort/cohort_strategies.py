"""Hypothesis strategies for valid cohorts, as text cells in the forms people write."""

from __future__ import annotations

import datetime as dt

from hypothesis import strategies as st

from remission.cohort.mrdvalue import MRDValue
from remission.cohort.schema import COLUMNS

_TEXT = (
    st.text(
        alphabet="abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 ,;.'\"=+-/()%<>",
        min_size=1,
        max_size=12,
    )
    .map(str.strip)
    .filter(bool)
)

_LEVEL = st.floats(min_value=1e-4, max_value=100, allow_nan=False, allow_subnormal=False)
_LIMIT = st.sampled_from([0.001, 0.005, 0.01, 0.1])
MRD = st.one_of(
    _LEVEL.map(MRDValue.quantifiable),
    _LIMIT.map(MRDValue.negative),
    st.just(MRDValue.negative()),
    _LIMIT.map(MRDValue.pnq),
    st.just(MRDValue.pnq()),
    st.just(MRDValue.missing()),
)

_DATE_FORMS = (
    lambda d: d.isoformat(),
    lambda d: d.strftime("%d/%m/%Y"),
    lambda d: d.strftime("%d.%m.%Y"),
    lambda d: d.strftime("%d %b %Y"),
)


def _gap(lo: int, hi: int):
    return st.integers(lo, hi).map(lambda n: dt.timedelta(days=n))


@st.composite
def patient(draw, pid: str) -> dict[str, str]:
    """One valid patient: dates in a consistent order, cells as text."""
    fmt = draw(st.sampled_from(_DATE_FORMS))
    birth = dt.date(2010, 1, 1) + draw(_gap(0, 3000))
    dx = birth + draw(_gap(0, 300))
    blina = dx + draw(_gap(0, 300))
    hsct = blina + draw(_gap(0, 150)) if draw(st.booleans()) else None
    after = hsct or blina
    relapse = after + draw(_gap(1, 400)) if draw(st.booleans()) else None
    death = (relapse or after) + draw(_gap(0, 400)) if draw(st.booleans()) else None
    last = death or (relapse or after) + draw(_gap(0, 900))
    cells = {
        "patient_id": pid,
        "date_of_birth": birth if draw(st.booleans()) else None,
        "diagnosis_date": dx,
        "blinatumomab_start_date": blina,
        "hsct_date": hsct,
        "relapse_date": relapse,
        "death_date": death,
        "second_malignancy_date": None,
        "last_followup_date": last,
    }
    out = {k: (fmt(v) if isinstance(v, dt.date) else (v or "")) for k, v in cells.items()}
    for col in COLUMNS:
        if col.name not in out:
            out[col.name] = draw(_cell(col, cells))
    if not death:
        out["cause_of_death"] = ""
    if not relapse:
        out["relapse_lineage"] = ""
    for occurred, grade in (("crs", "crs_grade"), ("neurotoxicity", "neurotoxicity_grade")):
        if out[grade] and out[occurred]:  # keep the occurrence consistent with the grade
            out[occurred] = "yes" if int(out[grade]) > 0 else "no"
    return out


def _cell(col, cells):
    if col.kind == "category":
        value = st.sampled_from(col.allowed)
    elif col.kind == "mrd":
        value = MRD.map(MRDValue.to_text)
    elif col.kind == "integer":
        hi = int(col.maximum) if col.maximum is not None else 9
        value = st.integers(int(col.minimum), hi).map(str)
    elif col.name == "age_at_blinatumomab_years":
        if cells["date_of_birth"] is None:
            return st.floats(0, 18, allow_subnormal=False).map(repr)
        return st.just("")
    elif col.kind == "number":
        value = st.floats(0, 50, allow_subnormal=False).map(repr)
    else:
        value = _TEXT
    required = col.required
    return value if required else st.one_of(st.just(""), value)


@st.composite
def cohort_rows(draw, min_size: int = 1, max_size: int = 6) -> list[dict[str, str]]:
    """A list of valid patients with distinct ids such as P7, 7 or 007."""
    keys = draw(st.lists(st.integers(0, 120), min_size=min_size, max_size=max_size, unique=True))
    style = draw(st.sampled_from(["P{}", "{}", "{:03d}", "UPN-{}"]))
    return [draw(patient(style.format(k))) for k in keys]
