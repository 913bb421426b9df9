"""A realistic synthetic cohort for the report benchmark: N patients, K centres.

``python benchmarks/make_report_cohort.py OUT.csv [--n 3000] [--centres 12] [--seed 1]``
writes a cohort in the data-dictionary columns (the seed cohort's), with dates from which
EFS, OS, CIR and NRM are derived, MRD results with laboratory qualifiers (``<0.005``,
``PNQ``), lymphocyte counts, CRS/neurotoxicity grades and some missing values. The
numbers are simulated (exponential relapse and death hazards, administrative censoring
at the cut-off 2023-12-31), not observed.
"""

from __future__ import annotations

import argparse
import datetime as dt

import numpy as np
import pandas as pd

CENTRES = ("Birmingham", "Bristol", "Cambridge", "Dublin", "Edinburgh", "Glasgow", "Leeds",
           "Liverpool", "London GOSH", "Manchester", "Newcastle", "Sheffield", "Southampton",
           "Oxford", "Cardiff", "Belfast")  # fmt: skip
CUTOFF = dt.date(2023, 12, 31)


def _date(base: dt.date, days: np.ndarray) -> list[str]:
    return [(base + dt.timedelta(days=int(d))).isoformat() for d in days]


def _mrd(rng: np.random.Generator, n: int, neg: float, scale: float) -> list[str]:
    out = []
    for u, lv in zip(rng.random(n), rng.lognormal(np.log(scale), 1.5, n), strict=True):
        if u < 0.03:
            out.append("")
        elif u < neg:
            out.append("<0.005")
        elif u < neg + 0.05:
            out.append("PNQ")
        else:
            out.append(f"{min(lv, 90):.3g}")
    return out


def make_cohort(n: int = 3000, centres: int = 12, seed: int = 1) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    start = rng.integers(0, 9 * 365, n)
    blin = np.array([dt.date(2012, 1, 1) + dt.timedelta(days=int(s)) for s in start])
    to_hsct = rng.integers(30, 120, n)
    hsct_days = start + to_hsct
    relapse = rng.exponential(1400, n)
    death_nr = rng.exponential(5000, n)
    death_after_rel = relapse + rng.exponential(500, n)
    horizon = np.array([(CUTOFF - (b + dt.timedelta(days=int(t)))).days
                        for b, t in zip(blin, to_hsct, strict=True)])  # fmt: skip
    lost = rng.random(n) < 0.1
    horizon = np.where(lost, (horizon * rng.random(n)).astype(int) + 30, horizon)
    rel = relapse < np.minimum(death_nr, horizon)
    died = np.where(rel, death_after_rel < horizon, death_nr < horizon)
    death_t = np.where(rel, death_after_rel, death_nr)
    base = dt.date(2012, 1, 1)
    age = np.round(rng.gamma(2.0, 3.0, n), 2)
    df = pd.DataFrame({
        "patient_id": [f"P{i:05d}" for i in range(1, n + 1)],
        "centre": rng.choice(CENTRES[:centres], n, p=rng.dirichlet(np.full(centres, 3.0))),
        "sex": rng.choice(["F", "M"], n),
        "age_at_blinatumomab_years": age,
        "kmt2a_rearranged": rng.choice(["yes", "no"], n, p=[0.3, 0.7]),
        "disease_status": rng.choice(["CR1", "CR2", "CR3", "first relapse"], n,
                                     p=[0.5, 0.3, 0.05, 0.15]),  # fmt: skip
        "cns_status": rng.choice(["CNS1", "CNS2", "CNS3", ""], n, p=[0.8, 0.1, 0.05, 0.05]),
        "mrd_pre_percent": _mrd(rng, n, 0.05, 0.5),
        "lymphocytes_pre_1e9_per_l": np.where(rng.random(n) < 0.04, np.nan,
                                              np.round(rng.lognormal(-0.3, 0.6, n), 2)),
        "blinatumomab_start_date": [b.isoformat() for b in blin],
        "blinatumomab_cycles": rng.choice([1, 2, 3], n, p=[0.7, 0.25, 0.05]),
        "crs_grade": rng.choice([0, 1, 2, 3], n, p=[0.7, 0.2, 0.07, 0.03]),
        "neurotoxicity_grade": rng.choice([0, 1, 2, 3], n, p=[0.85, 0.1, 0.04, 0.01]),
        "mrd_post_percent": _mrd(rng, n, 0.7, 0.02),
        "hsct_date": _date(base, hsct_days),
        "conditioning": rng.choice(["FBT", "FTT", "TBI/CY", "Other"], n, p=[0.4, 0.3, 0.2, 0.1]),
        "donor": rng.choice(["MSD", "MUD", "MMUD", "haplo", "cord"], n),
        "relapse_date": [d if r else "" for d, r in zip(_date(base, hsct_days + relapse.astype(int)),
                                                          rel, strict=True)],  # fmt: skip
        "relapse_lineage": [rng.choice(["B-ALL", "AML"]) if r else "" for r in rel],
        "death_date": [d if x else "" for d, x in zip(_date(base, hsct_days + death_t.astype(int)),
                                                       died, strict=True)],  # fmt: skip
        "cause_of_death": [("relapse" if r else "infection") if x else ""
                           for r, x in zip(rel, died, strict=True)],  # fmt: skip
        "last_followup_date": _date(base, hsct_days + np.minimum(horizon, np.where(
            died, death_t, horizon)).astype(int)),
    })  # fmt: skip
    return df


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out")
    ap.add_argument("--n", type=int, default=3000)
    ap.add_argument("--centres", type=int, default=12)
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    make_cohort(a.n, a.centres, a.seed).to_csv(a.out, index=False)


if __name__ == "__main__":
    main()
