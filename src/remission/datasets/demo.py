"""A synthetic multi-centre cohort with its own spreadsheet habits, to try remission on.

SYNTHETIC DATA: no patient is real. :func:`demo_cohort` draws a CAR T-cell cohort of
relapsed/refractory B-ALL the way another group's export might look: its own headers
(``Pt ID``, ``DOB``, ``Date of Tx``, ``CAR-T infusion date``...), sex coded ``1``/``2``,
day-first dates, MRD results with their qualifiers (``<0.01``, ``PNQ``, ``N/A``), a
second treatment given to some patients (inotuzumab before the CAR T cells), two columns
of its own that no dictionary knows (``risk_group``, six levels; ``wbc``), and events
recorded up to an export date later than the study's data cut-off. :data:`DEMO_STUDY`
is the study file a user ends up with after ``remission init`` and editing.

Hazards (per year, exponential, from the CAR T-cell infusion): relapse 0.12 times
1.35 per risk-group step above ``standard`` (times 0.7 per step below), times 1.8 with
a positive MRD before the infusion; death without relapse 0.04; death after relapse
0.5. Deterministic for a given seed (NumPy's PCG64).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd

from remission.cohort.csvsafe import safe_frame

__all__ = ["DEMO_STUDY", "DEMO_CUTOFF", "demo_cohort", "write_demo_cohort"]

DEMO_CUTOFF = dt.date(2023, 12, 31)
_EXPORT = dt.date(2024, 6, 30)
_RISK = ("very low", "low", "standard", "intermediate", "high", "very high")
_DATE_HEADERS = ("DOB", "Date of diagnosis", "Inotuzumab start", "CAR-T infusion date",
                 "Date of Tx", "Relapse date", "Death date", "Last contact")  # fmt: skip
_STATUS = ("CR1", "CR2", "CR3", "first relapse", "second relapse", "primary refractory")

DEMO_STUDY = f"""\
# Study file of the synthetic demo cohort (remission.datasets.demo): SYNTHETIC DATA.
# Format: docs/study-file.md
title: CAR T cells in relapsed or refractory B-ALL (synthetic demo cohort)
source: remission.datasets.demo (synthetic; no real patient)
data_cutoff_date: {DEMO_CUTOFF.isoformat()}
interventions:
  cart:
    start: cart_infusion_date
    description: CD19-directed CAR T-cell infusion
    precedes: [hsct_date, relapse_date, second_malignancy_date, death_date]
  inotuzumab:
    start: inotuzumab_start_date
    description: Inotuzumab ozogamicin as bridging therapy, before the CAR T cells
    precedes: [cart_infusion_date]
columns:
  cart_infusion_date: {{type: date, description: Day of the CAR T-cell infusion,
                       constraints: {{required: true}}}}
  inotuzumab_start_date: {{type: date, description: First dose of inotuzumab}}
  age_at_cart_years: {{type: number, unit: years, age_at: cart_infusion_date,
                      description: Age at the CAR T-cell infusion (computed from the dates)}}
  risk_group:
    type: category
    categories: [{", ".join(_RISK)}]
    reference: standard
    description: Risk group at diagnosis, lowest to highest
  wbc: {{type: number, unit: 10^9/L, description: White cell count at diagnosis,
        constraints: {{minimum: 0}}}}
endpoints:
  RFS:
    events: [relapse_date, death_date]
    description: Relapse-free survival (relapse or death from any cause)
rename:
  Pt ID: patient_id
  Centre: centre
  Sex: sex
  DOB: date_of_birth
  Date of diagnosis: diagnosis_date
  Disease status: disease_status
  CAR-T infusion date: cart_infusion_date
  Inotuzumab start: inotuzumab_start_date
  MRD pre: mrd_pre_percent
  MRD d28: mrd_post_percent
  CRS grade: crs_grade
  ICANS grade: neurotoxicity_grade
  Date of Tx: hsct_date
  Donor: donor
  Relapse date: relapse_date
  Death date: death_date
  Last contact: last_followup_date
recode:
  sex: {{1: M, 2: F}}
eligibility:
  description: Relapsed or refractory B-ALL given CAR T cells, any centre of the network.
  criteria:
    - criterion: CAR T cells given
      where: {{cart_infusion_date: {{present: true}}}}
"""


def _days(rng: np.random.Generator, rate_per_year: np.ndarray) -> np.ndarray:
    return rng.exponential(365.25 / rate_per_year)


def _mrd(rng: np.random.Generator, n: int, positive: float) -> tuple[list[str], np.ndarray]:
    """MRD texts: quantifiable, negative (<0.01), PNQ or N/A; and positivity."""
    level = 10 ** rng.uniform(-2, 1, n)
    pos = rng.random(n) < positive
    kind = rng.random(n)
    out = []
    for p, k, lv in zip(pos, kind, level, strict=True):
        if k < 0.04:
            out.append("N/A")
        elif not p:
            out.append("<0.01")
        elif k < 0.1:
            out.append("PNQ")
        else:
            out.append(f"{lv:.3g}")
    return out, pos


def _dates(origin: dt.date, days: np.ndarray) -> list[dt.date | None]:
    return [None if np.isnan(d) else origin + dt.timedelta(days=int(d)) for d in days]


def _text(d: dt.date | None, day_first: bool) -> str:
    if d is None:
        return ""
    return d.strftime("%d/%m/%Y") if day_first else d.isoformat()


def demo_cohort(n: int = 3000, centres: int = 12, seed: int = 1) -> pd.DataFrame:
    """The demo spreadsheet as text cells, one row per patient (see the module docstring)."""
    rng = np.random.default_rng(seed)
    start = dt.date(2016, 1, 1)
    cart = rng.uniform(0, (dt.date(2023, 9, 30) - start).days, n)
    age = rng.gamma(2.0, 5.0, n) + 1.0
    risk = rng.choice(len(_RISK), n, p=[0.05, 0.15, 0.3, 0.25, 0.17, 0.08])
    mrd_pre, positive = _mrd(rng, n, 0.6)
    mrd_post, _ = _mrd(rng, n, 0.15)
    steps = risk - 2
    rel_rate = (
        0.12 * np.where(steps >= 0, 1.35**steps, 0.7 ** (-steps)) * np.where(positive, 1.8, 1)
    )
    relapse = cart + _days(rng, rel_rate)
    nrm = cart + _days(rng, np.full(n, 0.04))
    death_after = relapse + _days(rng, np.full(n, 0.5))
    death = np.where(relapse < nrm, death_after, nrm)
    export = (_EXPORT - start).days
    dropout = cart + _days(rng, np.full(n, 0.08))
    last = np.minimum.reduce([np.full(n, float(export)), dropout, death])
    relapse = np.where(relapse <= last, relapse, np.nan)
    death = np.where(death <= last, death, np.nan)
    hsct = cart + rng.uniform(40, 120, n)
    has_hsct = (rng.random(n) < 0.45) & (hsct < np.fmin(np.nan_to_num(relapse, nan=1e9), last))
    hsct = np.where(has_hsct, hsct, np.nan)
    ino = np.where(rng.random(n) < 0.3, cart - rng.uniform(20, 60, n), np.nan)
    diagnosis = cart - rng.uniform(180, 1100, n)
    birth = diagnosis - age * 365.25
    day_first = rng.random(n) < 0.5
    centre = rng.integers(0, centres, n)
    cols = {
        "Pt ID": [f"C{c + 1:02d}-{i + 1:04d}" for i, c in enumerate(centre)],
        "Centre": [f"Centre {c + 1:02d}" for c in centre],
        "Sex": [str(s) for s in rng.choice([1, 2], n)],
        "DOB": _dates(start, birth),
        "Date of diagnosis": _dates(start, diagnosis),
        "Disease status": [_STATUS[k] for k in rng.choice(6, n, p=[.05, .3, .1, .35, .12, .08])],
        "risk_group": [_RISK[k] for k in risk],
        "wbc": [f"{w:.1f}" if m > 0.05 else "" for w, m in zip(rng.lognormal(2.5, 1.0, n),
                                                              rng.random(n), strict=True)],
        "Inotuzumab start": _dates(start, ino),
        "CAR-T infusion date": _dates(start, cart),
        "MRD pre": mrd_pre,
        "CRS grade": [str(g) for g in rng.choice(5, n, p=[0.35, 0.35, 0.18, 0.09, 0.03])],
        "ICANS grade": [str(g) for g in rng.choice(5, n, p=[0.6, 0.2, 0.12, 0.06, 0.02])],
        "MRD d28": mrd_post,
        "Date of Tx": _dates(start, hsct),
        "Donor": [rng.choice(["MSD", "MUD", "MMUD", "haplo", "cord"]) if h else ""
                  for h in has_hsct],
        "Relapse date": _dates(start, relapse),
        "Death date": _dates(start, death),
        "Last contact": _dates(start, last),
    }  # fmt: skip
    for c, v in cols.items():
        if c in _DATE_HEADERS:
            cols[c] = [_text(d, f) for d, f in zip(v, day_first, strict=True)]
    return pd.DataFrame(cols)


def write_demo_cohort(folder: str | Path, n: int = 3000, centres: int = 12, seed: int = 1
                      ) -> tuple[Path, Path]:  # fmt: skip
    """Write ``folder/cohort.csv`` and ``folder/study.yaml``; return both paths."""
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    cohort, study = out / "cohort.csv", out / "study.yaml"
    frame = safe_frame(demo_cohort(n, centres, seed))
    frame.to_csv(cohort, index=False, lineterminator="\n")
    study.write_text(DEMO_STUDY, encoding="utf-8")
    return cohort, study
