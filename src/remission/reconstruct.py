"""Reconstruct the seed cohort: Table 1 of the letter plus dates that reproduce its figures.

The seed letter (Clesham et al., infants with KMT2A-rearranged ALL given blinatumomab
before HSCT; ``../shared/seed``) publishes Table 1 per patient but no dates. This module
writes ``remission/datasets/seed_cohort.csv``: the published Table 1 facts as printed, and
dates found by the fixed rule below, so that the cohort reproduces exactly every
published figure (:data:`PUBLISHED`). Run ``python -m remission.reconstruct`` to rewrite
the file; the output is byte-for-byte the committed one (a test checks it).

The rule (all intervals in whole days; see ``datasets/README.md``):

1. Post-HSCT days as published: relapses on days 35 (P04, AML lineage switch), 92, 108
   and 133 (the three CD19-positive relapses, given to P06, P08, P11 in Table 1 order);
   death of P09 on day 57.
2. Values the letter does not publish are spread evenly between the nearest published
   bounds, rounded half up: P04's death and the second-shortest survivor follow-up lie in
   (58, 92) (the AML death must follow the first survivor censoring for 3-year OS
   = 10/11 x 8/9; two event-free survivors must be censored before day 92 for EFS
   = 10/11 x 9/10 x 6/7 x 5/6 x 4/5): days 69 and 81. The other survivor follow-ups lie
   in (133, 267) (two) and (267, 1163) (three). The eleven blinatumomab-to-HSCT
   intervals are 34, four evenly in (34, 51), 51, four evenly in (51, 119), 119.
3. The two short follow-ups go to the last two event-free survivors of Table 1 (P07
   81 days, P10 58 days); the seven others go down Table 1 longest first.
4. Intervals are assigned by a depth-first search over patients in order of their
   post-HSCT EFS time (ties: Table 1 order), each taking the smallest remaining interval
   that still leaves a solution; a solution reproduces the 3-year EFS and OS from
   blinatumomab start (51 %, 79 %) and has no two equal times within any endpoint.
5. Calendar: every survivor is followed to the data cut-off, 2019-12-31 (chosen: the end
   of the stated treatment period 2016-2019); the HSCT of the two patients who died is
   placed on 1 July 2017 (P04) and 1 July 2018 (P09). Dates only shift the calendar; the
   figures depend on intervals alone.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

from remission.cohort.csvsafe import neutralise
from remission.datasets import seed_cohort_path

__all__ = [
    "COLUMNS",
    "PUBLISHED",
    "Plan",
    "check_figures",
    "main",
    "plan",
    "reconstruct",
    "render_csv",
]

COLUMNS: tuple[str, ...] = (
    "patient_id", "centre", "sex", "date_of_birth", "diagnosis_date",
    "age_at_blinatumomab_years", "kmt2a_rearranged", "disease_status", "cns_status",
    "mrd_pre_percent", "lymphocytes_pre_1e9_per_l", "blinatumomab_start_date",
    "blinatumomab_cycles", "crs_grade", "neurotoxicity_grade", "crs", "neurotoxicity",
    "mrd_post_percent",
    "hsct_date", "conditioning", "donor", "relapse_date", "relapse_lineage",
    "second_malignancy_date", "death_date", "cause_of_death", "last_followup_date",
    "post_relapse_therapy", "notes",
)  # fmt: skip

# Table 1 as printed (blank = not printed or not assignable; see datasets/README.md):
# id, sex, age, disease status, CNS, pre-MRD, lymphocytes, CRS, neurotox, post-MRD,
# conditioning, donor
_TABLE1: tuple[tuple[str, ...], ...] = (
    ("P01", "M", "0.75", "CR2", "CNS1", "0.1", "0.94", "0", "0", "<0.005", "FBT", "MUD"),
    ("P02", "F", "0.75", "CR2", "CNS3", "0.6", "0.22", "0", "0", "<0.005", "FTT", "MSD"),
    ("P03", "M", "0.5", "CR2", "CNS1", "", "", "1", "0", "<0.005", "FTT + ATG", "MMUD"),
    ("P04", "F", "0.41", "CR2", "CNS1", "", "", "0", "0", "<0.005", "FTT", "MSD"),
    ("P05", "M", "0.5", "primary refractory", "CNS1", "0.28", "", "0", "0", "0.06", "FTT + ATG", "MUD"),
    ("P06", "M", "0.5", "CR2", "CNS1", "0.3", "0.35", "0", "0", "0.05", "", ""),
    ("P07", "F", "0.5", "CR1", "CNS1", "0.06", "0.41", "2", "", "<0.005", "FTT + ATG", "MMSD"),
    ("P08", "F", "0.2", "CR1", "CNS1", "0.06", "2.43", "0", "0", "<0.005", "FTT", "MSD"),
    ("P09", "M", "0.2", "first relapse", "CNS3", "40", "", "1", "0", "<0.005", "FTT + ATG", "MUD"),
    ("P10", "M", "2.9", "CR2", "CNS1", "0.01", "0.95", "0", "0", "<0.005", "CY/TBI/Alem", "MSD"),
    ("P11", "F", "0.2", "primary refractory", "CNS1", "", "", "0", "0", "<0.005", "FTT/ATG", "MUD"),
)  # fmt: skip

# Table 1's Neurotoxicity column says "Yes" (grade not published) for these patients
_NEUROTOXICITY = frozenset({"P07"})

# Outcomes from the Table 1 status column, its footnotes and the text:
# id -> (relapse lineage, post-relapse therapy, cause of death)
_OUTCOMES: dict[str, tuple[str, str, str]] = {
    "P04": ("AML lineage switch", "", "progressive leukemia (AML lineage switch)"),
    "P06": ("B-ALL CD19+", "CD19 CAR T-cells; remission", ""),
    "P08": ("B-ALL CD19+", "CD19 CAR T-cells planned", ""),
    "P09": ("", "", "parainfluenza pneumonitis"),
    "P11": ("B-ALL CD19+", "CD19 CAR T-cells; remission", ""),
}

_NOTES: dict[str, str] = {
    "P03": "Table 1 printed one value (0.55) for pre-MRD and lymphocytes; not assignable, both left blank.",
    "P04": "Table 1 printed one N/A for pre-MRD and lymphocytes; both left blank.",
    "P05": "Table 1 printed one value (0.28); read as pre-MRD (one of the two >1-log responders in the text); lymphocytes missing.",
    "P06": "Table 1 printed N/A for conditioning and donor (one N/A for two cells).",
    "P07": "Neurotoxicity 'Yes' in Table 1 (confusion and somnolence); grade not published.",
    "P08": "Table 1: relapse, CAR T-cell therapy planned; the text says all three CD19+ relapses achieved remission after CAR T-cells.",
    "P09": "Table 1 printed N/A for lymphocytes.",
    "P11": "Table 1 printed one N/A for pre-MRD and lymphocytes; both left blank. Conditioning printed as FTT/ATG.",
}  # fmt: skip

PUBLISHED: dict[str, object] = {
    "n_patients": 11,
    "all_hsct": True,
    "days_blinatumomab_to_hsct": {"median": 51, "min": 34, "max": 119},
    "followup_after_hsct_survivors": {"n": 9, "median": 267, "min": 58, "max": 1163},
    "death_day_after_hsct": {"P09": 57},
    "relapse_days_after_hsct": (35, 92, 108, 133),
    "aml_switch_relapse_day": {"P04": 35},
    "efs_3y_percent": {"hsct": 47, "blinatumomab": 51},
    "os_3y_percent": {"hsct": 81, "blinatumomab": 79},
    "blinatumomab_years": (2016, 2019),
}

DATA_CUTOFF = dt.date(2019, 12, 31)
_DECEASED_HSCT = {"P04": dt.date(2017, 7, 1), "P09": dt.date(2018, 7, 1)}
_RELAPSE_DAYS = {"P04": 35, "P06": 92, "P08": 108, "P11": 133}
_DEATH_DAY_P09 = 57
_HORIZON = 3 * 365.25  # 3 years in days


def _round_half_up(x: Fraction) -> int:
    return int((x + Fraction(1, 2)) // 1)


def evenly_between(lo: int, hi: int, k: int) -> list[int]:
    """``k`` whole days splitting (lo, hi) into ``k + 1`` equal parts, rounded half up."""
    return [_round_half_up(lo + Fraction(hi - lo) * j / (k + 1)) for j in range(1, k + 1)]


@dataclass(frozen=True)
class Plan:
    """Per patient: interval blinatumomab -> HSCT and post-HSCT (EFS, OS) times/events."""

    ids: tuple[str, ...]
    gap: dict[str, int]
    efs: dict[str, tuple[int, int]]
    os: dict[str, tuple[int, int]]


def _post_hsct() -> tuple[dict[str, tuple[int, int]], dict[str, tuple[int, int]], list[int]]:
    """Rules 1-3: post-HSCT (time, event) for EFS and OS; the interval multiset."""
    aml_death, short2 = evenly_between(58, 92, 2)
    long_fu = [*evenly_between(133, 267, 2), 267, *evenly_between(267, 1163, 3), 1163]
    ids = [row[0] for row in _TABLE1]
    deceased = ("P04", "P09")
    event_free = [p for p in ids if p not in _RELAPSE_DAYS and p not in deceased]
    followup = {event_free[-2]: short2, event_free[-1]: 58}
    others = [p for p in ids if p not in deceased and p not in followup]
    followup.update(zip(others, sorted(long_fu, reverse=True), strict=True))
    efs: dict[str, tuple[int, int]] = {}
    os: dict[str, tuple[int, int]] = {}
    for p in ids:
        if p == "P04":
            efs[p], os[p] = (_RELAPSE_DAYS[p], 1), (aml_death, 1)
        elif p == "P09":
            efs[p], os[p] = (_DEATH_DAY_P09, 1), (_DEATH_DAY_P09, 1)
        elif p in _RELAPSE_DAYS:
            if followup[p] <= _RELAPSE_DAYS[p]:
                raise RuntimeError(f"{p}: follow-up {followup[p]} not after relapse")
            efs[p], os[p] = (_RELAPSE_DAYS[p], 1), (followup[p], 0)
        else:
            efs[p] = os[p] = (followup[p], 0)
    gaps = [34, *evenly_between(34, 51, 4), 51, *evenly_between(51, 119, 4), 119]
    return efs, os, gaps


def km(pairs: Sequence[tuple[float, int]], horizon: float = _HORIZON) -> Fraction:
    """Kaplan-Meier survival at ``horizon``: product of (1 - d/n) over event times.

    Events precede censorings at tied times (censored at t is at risk at t). Exact
    (integer numerator and denominator), so rounding to whole per cent is exact too.
    """
    num, den = 1, 1
    ordered = sorted(pairs)
    n, i = len(ordered), 0
    while i < len(ordered) and ordered[i][0] <= horizon:
        t, d, j = ordered[i][0], 0, i
        while j < len(ordered) and ordered[j][0] == t:
            d += ordered[j][1]
            j += 1
        if d:
            num, den = num * (n - d), den * n
        n -= j - i
        i = j
    return Fraction(num, den)


def _percent(s: Fraction) -> int:
    return _round_half_up(s * 100)


def _bounds(
    known: list[tuple[int, int]], pending: list[tuple[int, int, int]]
) -> tuple[Fraction, Fraction]:
    """Lower and upper bounds on KM at the horizon when some times are only bounded.

    ``known``: (time, event); ``pending``: (earliest, latest, event). Times before every
    pending earliest time form an exact prefix. After it, each of the remaining events
    has at most ``n - j`` at risk (upper bound: only the sure events, all first) and at
    least ``n - c - j`` (lower bound: every possible event, after every censoring ``c``
    that could precede one of them).
    """
    first = min((lo for lo, _, _ in pending), default=math.inf)
    prefix = [(t, e) for t, e in known if t < first]
    rest = [(t, t, e) for t, e in known if t >= first] + pending
    exact = km(prefix + [(first, 0)] * len(rest))
    n = len(rest)
    sure = sum(1 for _, hi, e in rest if e and hi <= _HORIZON)
    maybe = [min(hi, _HORIZON) for lo, hi, e in rest if e and lo <= _HORIZON]
    last = max(maybe, default=-math.inf)
    censored = sum(1 for lo, _, e in rest if (not e or lo > _HORIZON) and lo < last)
    upper = lower = exact
    for j in range(sure):
        upper *= Fraction(n - j - 1, n - j)
    for j in range(len(maybe)):
        at_risk = n - censored - j
        lower *= Fraction(at_risk - 1, at_risk) if at_risk > 1 else 0
    return lower, upper


def _status(pl: dict[str, tuple[int, int]], gap: dict[str, int], todo: list[str], free: list[int], want: int) -> bool | None:  # fmt: skip
    """False if no completion of ``gap`` gives ``want`` % (rounded KM); True if every one
    does; None if undecided. The bounds hold for every completion, so a decision stays.
    """
    lo, hi = (min(free), max(free)) if free else (0, 0)
    known = [(pl[p][0] + gap[p], pl[p][1]) for p in gap]
    pending = [(pl[p][0] + lo, pl[p][0] + hi, pl[p][1]) for p in todo]
    lower, upper = (_percent(b) for b in _bounds(known, pending))
    if upper < want or lower > want:
        return False
    return True if lower == upper == want else None


def _distinct(times: list[int]) -> bool:
    return len(set(times)) == len(times)


def plan() -> Plan:
    """Rules 1-4: post-HSCT times and the interval of every patient (deterministic)."""
    efs, os, gaps = _post_hsct()
    ids = tuple(row[0] for row in _TABLE1)
    order = sorted(ids, key=lambda p: (efs[p][0], ids.index(p)))
    want_efs = PUBLISHED["efs_3y_percent"]["blinatumomab"]
    want_os = PUBLISHED["os_3y_percent"]["blinatumomab"]

    def search(k: int, gap: dict[str, int], free: list[int], fixed: int) -> dict[str, int] | None:
        """Depth-first; ``fixed`` counts the figures (EFS, OS) already known to match."""
        todo = order[k:]
        for pl, want, bit in ((efs, want_efs, 1), (os, want_os, 2)):
            if not fixed & bit:
                status = _status(pl, gap, todo, free, want)
                if status is False:
                    return None
                fixed |= bit if status else 0
        if not todo:
            ok = all(_distinct([pl[p][0] + gap[p] for p in ids]) for pl in (efs, os))
            return dict(gap) if ok and fixed == 3 else None
        for g in sorted(set(free)):
            rest = list(free)
            rest.remove(g)
            found = search(k + 1, {**gap, order[k]: g}, rest, fixed)
            if found is not None:
                return found
        return None

    gap = search(0, {}, gaps, 0)
    if gap is None:
        raise RuntimeError("no assignment of intervals reproduces the published figures")
    return Plan(ids=ids, gap={p: gap[p] for p in ids}, efs=efs, os=os)


def _iso(d: dt.date | None) -> str:
    return "" if d is None else d.isoformat()


def reconstruct() -> list[dict[str, str]]:
    """The seed cohort as rows of text in :data:`COLUMNS` order (rule 5 for the calendar)."""
    pl = plan()
    rows = []
    for t1 in _TABLE1:
        p = t1[0]
        alive = p not in _DECEASED_HSCT
        hsct = DATA_CUTOFF - dt.timedelta(days=pl.os[p][0]) if alive else _DECEASED_HSCT[p]
        relapse = hsct + dt.timedelta(days=_RELAPSE_DAYS[p]) if p in _RELAPSE_DAYS else None
        death = None if alive else hsct + dt.timedelta(days=pl.os[p][0])
        lineage, therapy, cause = _OUTCOMES.get(p, ("", "", ""))
        values = {
            "patient_id": p, "sex": t1[1], "age_at_blinatumomab_years": t1[2],
            "kmt2a_rearranged": "yes", "disease_status": t1[3], "cns_status": t1[4],
            "mrd_pre_percent": t1[5], "lymphocytes_pre_1e9_per_l": t1[6],
            "blinatumomab_start_date": _iso(hsct - dt.timedelta(days=pl.gap[p])),
            "crs_grade": t1[7], "neurotoxicity_grade": t1[8],
            "crs": "yes" if t1[7] not in ("", "0") else "no",
            "neurotoxicity": "yes" if p in _NEUROTOXICITY else "no",
            "mrd_post_percent": t1[9],
            "hsct_date": _iso(hsct), "conditioning": t1[10], "donor": t1[11],
            "relapse_date": _iso(relapse), "relapse_lineage": lineage, "death_date": _iso(death),
            "cause_of_death": cause, "last_followup_date": _iso(death if death else DATA_CUTOFF),
            "post_relapse_therapy": therapy, "notes": _NOTES.get(p, ""),
        }  # fmt: skip
        rows.append({c: values.get(c, "") for c in COLUMNS})
    check_figures(rows)
    return rows


def _date(text: str) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


def _median(values: Sequence[int]) -> float:
    v = sorted(values)
    mid = len(v) // 2
    return float(v[mid]) if len(v) % 2 else (v[mid - 1] + v[mid]) / 2


def _endpoint_pairs(rows: Sequence[dict[str, str]], origin: str) -> tuple[list, list]:
    """(time, event) pairs for EFS and OS from ``origin`` (hsct_date or blinatumomab)."""
    efs, os = [], []
    for r in rows:
        start = _date(r[origin])
        last = _date(r["last_followup_date"])
        events = [d for d in (_date(r["relapse_date"]), _date(r["death_date"])) if d]
        first = min(events, default=None)
        death = _date(r["death_date"])
        efs.append((((first or last) - start).days, int(first is not None)))
        os.append((((death or last) - start).days, int(death is not None)))
    return efs, os


def check_figures(rows: Sequence[dict[str, str]]) -> dict[str, object]:
    """Every figure of :data:`PUBLISHED` computed from ``rows``; RuntimeError if one differs."""
    gaps = [(_date(r["hsct_date"]) - _date(r["blinatumomab_start_date"])).days for r in rows]
    alive = [r for r in rows if not r["death_date"]]
    fu = [(_date(r["last_followup_date"]) - _date(r["hsct_date"])).days for r in alive]
    got: dict[str, object] = {
        "n_patients": len(rows),
        "all_hsct": all(r["hsct_date"] for r in rows),
        "days_blinatumomab_to_hsct": {"median": _median(gaps), "min": min(gaps), "max": max(gaps)},
        "followup_after_hsct_survivors": {
            "n": len(fu),
            "median": _median(fu),
            "min": min(fu),
            "max": max(fu),
        },  # fmt: skip
    }
    days = {r["patient_id"]: _date(r["hsct_date"]) for r in rows}
    got["death_day_after_hsct"] = {
        r["patient_id"]: (_date(r["death_date"]) - days[r["patient_id"]]).days
        for r in rows
        if r["cause_of_death"] == "parainfluenza pneumonitis"
    }
    relapses = {
        r["patient_id"]: (_date(r["relapse_date"]) - days[r["patient_id"]]).days
        for r in rows
        if r["relapse_date"]
    }
    got["relapse_days_after_hsct"] = tuple(sorted(relapses.values()))
    lineage = {r["patient_id"]: r["relapse_lineage"] for r in rows}
    got["aml_switch_relapse_day"] = {p: d for p, d in relapses.items() if "AML" in lineage[p]}
    efs_pct, os_pct = {}, {}
    for name, col in (("hsct", "hsct_date"), ("blinatumomab", "blinatumomab_start_date")):
        efs, os = _endpoint_pairs(rows, col)
        efs_pct[name], os_pct[name] = _percent(km(efs)), _percent(km(os))
    got["efs_3y_percent"], got["os_3y_percent"] = efs_pct, os_pct
    years = [_date(r["blinatumomab_start_date"]).year for r in rows]
    got["blinatumomab_years"] = (min(years), max(years))
    wrong = [k for k, v in PUBLISHED.items() if got[k] != v and not _within(k, got[k])]
    if wrong:
        raise RuntimeError(f"reconstruction does not reproduce {wrong}: {got}")
    return got


def _within(key: str, value: object) -> bool:
    """Calendar years: the letter gives a period; every start must fall inside it."""
    lo, hi = PUBLISHED["blinatumomab_years"]
    return key == "blinatumomab_years" and lo <= value[0] and value[1] <= hi


def render_csv(rows: Sequence[dict[str, str]] | None = None) -> str:
    """The CSV text of the seed cohort (header + 11 rows, ``\\n`` line ends)."""
    rows = reconstruct() if rows is None else rows
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=list(COLUMNS), lineterminator="\n")
    writer.writeheader()
    writer.writerows({k: neutralise(v) for k, v in r.items()} for r in rows)
    return buf.getvalue()


def main(argv: Sequence[str] | None = None) -> int:
    """Write the reconstructed seed cohort to ``argv[0]`` (default: the bundled file)."""
    args = list(sys.argv[1:] if argv is None else argv)
    target = Path(args[0]) if args else seed_cohort_path()
    text = render_csv()
    target.write_text(text, encoding="utf-8", newline="")
    print(f"wrote {target} ({text.count(chr(10)) - 1} patients)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
