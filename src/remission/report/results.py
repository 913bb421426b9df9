"""Every number of the report, computed once, as plain JSON-ready data.

:func:`compute_results` runs the analyses (through :class:`AnalysisContext` and the
statistics, MRD and toxicity layers) and returns a :class:`ReportData`: the numbers
(``numbers``, what ``report.json`` carries), the tables (DataFrames of text cells) and
the figure panels. Presentation (HTML, CSV, SVG) is done elsewhere from this object.

Conventions stated in the report: Kaplan-Meier with Greenwood variance and log-log
95 % CIs (as GraphPad Prism and R ``conf.type="log-log"``); cumulative incidence by
Aalen-Johansen with relapse and non-relapse mortality as competing events
(``cmprsk::cuminc``); exact Clopper-Pearson CIs for proportions; the Mann-Whitney U test
(exact without ties up to 30 patients, else asymptotic, and said so) for lymphocyte counts
by MRD response (complete responders vs the others); times in
days, months = days / 30.4375, years = days / 365.25.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from remission.cohort.problems import InputError
from remission.report import format as fmt
from remission.report.analysis import AnalysisContext, mrd_assessments
from remission.report.claims import Claim, ClaimResult, evaluate_claims
from remission.report.eligibility import Criterion, Flow, apply_criteria, with_invalid_rows
from remission.report.figures import Panel, curves_from_cif, curves_from_km
from remission.report.ranktests import mann_whitney_asymptotic
from remission.report.table1 import SEED_VARIABLES, table1_notes
from remission.report.tables import (
    Listing,
    ListingSpec,
    characteristics_table,
    mrd_response_table,
    patient_listing,
    toxicity_table,
)

__all__ = ["ReportInputs", "ReportData", "compute_results", "ENDPOINT_LABELS", "LISTING_MAX"]

#: Cohorts up to this many patients get the per-patient listing in the HTML page; the
#: CSV (tables/listing.csv) is always written.
LISTING_MAX = 50

ENDPOINT_LABELS = {"EFS": "Event-free survival", "OS": "Overall survival",
                   "CIR": "Cumulative incidence of relapse", "NRM": "Non-relapse mortality"}  # fmt: skip
origin_label = fmt.origin_label


@dataclass(frozen=True, eq=False)
class ReportInputs:
    """What a report is made from (the CLI builds it from files)."""

    frame: pd.DataFrame
    endpoint: Callable[[str, str], pd.DataFrame]
    source_path: str
    source_sha256: str
    data_cutoff: dt.date | None = None
    claims: tuple[Claim, ...] = ()
    claims_path: str | None = None
    criteria: tuple[Criterion, ...] = ()
    reconstructed: bool = False
    title: str = "Study report"
    command_line: str = ""
    landmarks_days: tuple[float, ...] = (365.25, 1095.75)
    unit: str = "months"
    origins: tuple[str, ...] = ("hsct",)
    variables: tuple = ()  # Table 1 rows (report.table1.table1_variables); () = SEED_VARIABLES
    interventions: dict = field(default_factory=dict)  # the study's: name -> start column
    endpoints: tuple[tuple[str, bool], ...] = ()  # the study's own: (name, has competing)
    listing: ListingSpec | None = None  # the listing's columns (report.listing.listing_spec)
    endpoint_descriptions: dict = field(default_factory=dict)  # the study's: name -> text
    eligibility_text: str = ""
    group: str | None = None
    p_style: str = "default"
    invalid: tuple[tuple[str, str], ...] = ()  # rows --drop-invalid left out: (patient, why)
    data_cutoff_note: str = ""  # e.g. the study file's other cut-off, replaced on the command line


@dataclass(frozen=True, eq=False)
class ReportData:
    numbers: dict
    tables: dict[str, tuple[pd.DataFrame, str, tuple[tuple[str, str], ...], str]]
    panels: dict[str, tuple[list[Panel], str]]
    claims: list[ClaimResult]
    flow: Flow
    notes: list[str] = field(default_factory=list)
    listing: Listing | None = None


def _eligible_endpoint(inputs: ReportInputs, ids: set[str]) -> Callable[[str, str], pd.DataFrame]:
    def endpoint(name: str, origin: str) -> pd.DataFrame:
        df = inputs.endpoint(name, origin)
        keep = df[df["patient_id"].astype(str).isin(ids)].reset_index(drop=True)
        keep.attrs = dict(df.attrs)
        return keep

    return endpoint


def _km_block(ctx: AnalysisContext, name: str, origin: str, landmarks: Sequence[float],
              group: str | None = None) -> dict:  # fmt: skip
    """Kaplan-Meier of one endpoint (``km --json`` shape), by ``group`` if given."""
    from remission.stats.km import km

    data = ctx.endpoint(name, origin)
    if group:
        data = _with_group(data, ctx.frame, group)
    res = km(data, time="time", event="event", group=group)
    d = res.to_dict(at=list(landmarks))
    if group and len(res.groups) > 1:
        d["logrank"] = _logrank(data, group)
    d["endpoint"], d["origin"] = name, origin
    d["excluded_patients"] = [list(map(str, x)) for x in data.attrs.get("excluded", ())]
    return d


def _logrank(data: pd.DataFrame, group: str) -> dict | None:
    """The k-group log-rank test (``remission compare --json`` shape), if events allow."""
    from remission.stats.logrank import compare

    keep = data[data[group].notna()]
    if keep["event"].sum() == 0 or keep[group].nunique() < 2:
        return None
    return compare(keep, time="time", event="event", group=group).to_dict()


def _with_group(data: pd.DataFrame, frame: pd.DataFrame, group: str) -> pd.DataFrame:
    """The endpoint frame with the cohort's grouping column (as text; blank kept as NaN)."""
    if group not in frame.columns:
        raise ValueError(f"grouping column {group!r} is not in the cohort")
    labels = frame.set_index(frame["patient_id"].astype(str))[group]
    out = data.drop(columns=[group], errors="ignore").copy()
    text = (out["patient_id"].astype(str).map(labels)
            .map(lambda v: None if v is None or pd.isna(v) else str(v)))  # fmt: skip
    if isinstance(frame[group].dtype, pd.CategoricalDtype):  # the study's declared order
        order = [str(c) for c in frame[group].cat.categories]
        text = pd.Categorical(text, categories=order, ordered=True)
    out[group] = text
    return out


def _cif_block(ctx: AnalysisContext, name: str, origin: str, landmarks: Sequence[float]) -> dict:
    from remission.stats.cif import cif

    data = ctx.endpoint(name, origin)
    res = cif(data, time="time", event="event")
    d = res.to_dict(at=list(landmarks))
    d["curves"] = res.to_dict()["causes"]
    d["endpoint"], d["origin"] = name, origin
    ev = data["event"].to_numpy(int)
    d["n"] = int(len(ev))
    d["events"] = {str(k): int((ev == k).sum()) for k in sorted(set(ev.tolist()) - {0})}
    return d


def _followup_block(ctx: AnalysisContext, origin: str) -> dict:
    from remission.stats.followup import followup

    data = ctx.endpoint("OS", origin)
    return followup(data, time="time", event="event").to_dict()


def _timing(ctx: AnalysisContext, name: str) -> dict:
    v = ctx.numbers(f"days_{name}_to_hsct")
    return {"n": len(v), "median": float(np.median(v)) if v else None,
            "min": min(v) if v else None, "max": max(v) if v else None}  # fmt: skip


def _mrd_block(ctx: AnalysisContext) -> tuple[dict, list]:
    from remission.mrd.response import ResponseRules

    frame = ctx.frame
    assessed = mrd_assessments(frame)
    cats = [a["category"] for _, a in assessed]
    evaluable = [c for c in cats if c != "not_evaluable"]
    x = sum(c in ("complete", "partial") for c in evaluable)
    try:
        rate = ctx.binomial(x, len(evaluable)) if evaluable else None
    except ImportError as exc:  # the CI layer missing: the categories still stand
        rate = {"x": x, "n": len(evaluable), "estimate": x / len(evaluable), "lower": None,
                "upper": None, "note": f"no CI: {exc.name or exc} not installed"}  # fmt: skip
    counts = {c: cats.count(c) for c in ("complete", "partial", "no_response", "not_evaluable")}
    lymph = _lymphocytes_by_response(frame, cats)
    block = {"rules": ResponseRules().to_dict(), "counts": counts, "n_evaluable": len(evaluable),
             "response_rate": rate, "lymphocytes_by_response": lymph,
             "patients": [{"patient_id": p, **a} for p, a in assessed]}  # fmt: skip
    return block, assessed


def _lymphocytes_by_response(frame: pd.DataFrame, cats: list[str]) -> dict:
    """Mann-Whitney U of lymphocyte counts: complete responders vs the others."""
    if "lymphocytes_pre_1e9_per_l" not in frame:
        return {"note": "no lymphocyte column"}
    lym = pd.to_numeric(frame["lymphocytes_pre_1e9_per_l"], errors="coerce").to_numpy(float)
    ok = ~np.isnan(lym)
    comp = np.array([c == "complete" for c in cats], dtype=bool) & ok
    other = np.array([c in ("partial", "no_response") for c in cats], dtype=bool) & ok
    out = {"complete": _summ(lym[comp]), "not_complete": _summ(lym[other])}
    if comp.sum() and other.sum():
        a, b = lym[comp], lym[other]
        ties = len(np.unique(np.concatenate([a, b]))) < len(a) + len(b)
        method = "exact" if (not ties and len(a) + len(b) <= 30) else "asymptotic"
        if method == "exact":  # small samples without ties: SciPy's exact distribution
            from scipy.stats import mannwhitneyu

            res = mannwhitneyu(a, b, alternative="two-sided", method=method)
            u, p = float(res.statistic), float(res.pvalue)
        else:
            u, p = mann_whitney_asymptotic(a, b)
        out["mann_whitney_u"] = u
        out["p_value"] = p
        out["method"] = method + (" (ties)" if ties else "")
    else:
        out["note"] = "one group is empty: no test"
    return out


def _summ(v: np.ndarray) -> dict:
    if not len(v):
        return {"n": 0, "median": None, "min": None, "max": None}
    return {"n": int(len(v)), "median": float(np.median(v)), "min": float(v.min()),
            "max": float(v.max())}  # fmt: skip


def _toxicity_block(frame: pd.DataFrame) -> list[dict]:
    from remission.toxicity.summary import summarise_recorded_grades

    out = []
    for col, name in (("crs_grade", "CRS"), ("neurotoxicity_grade", "Neurotoxicity")):
        if _recorded(frame, col):
            grades = [None if pd.isna(v) else int(v) for v in frame[col]]
            out.append(summarise_recorded_grades(grades, name).to_dict())
    return out


def _survival_panels(numbers: dict, unit: str, origin: str, suffix: str = "") -> list[Panel]:
    panels = []
    for letter, name in (("A", "EFS"), ("B", "OS")):
        d = numbers["survival"].get(f"{name}_{origin}{suffix}")
        if not d:
            continue
        at = d["groups"][0]["at"]
        note = ""
        lr = d.get("logrank")
        if lr and lr.get("p_value") is not None:
            note = "log-rank " + fmt.p_equals(lr["p_value"], numbers.get("p_style", "default"))
        if len(d["groups"]) == 1 and at and at[-1]["survival"] is not None:
            a = at[-1]
            yrs = fmt.number(a["time"] / fmt.DAYS_PER_YEAR, 0)
            note = f"{yrs}-year {name} " + fmt.percent_ci(a["survival"], a["lower"], a["upper"])
        panels.append(Panel(letter, f"{name} after {origin_label(origin)}", f"{name} (%)",
                            curves_from_km(d), note=note, ci=len(d["groups"]) == 1,
                            extra={"origin": origin_label(origin)}))  # fmt: skip
    return panels


def _cif_panel(ctx: AnalysisContext, d: dict, letter: str, title: str) -> Panel:
    """A cumulative incidence panel of cause 1 of ``d`` (a :func:`_cif_block`), with the
    number at risk and censor marks from the endpoint's rows (any event ends risk)."""
    from remission.stats.counts import count_table

    data = ctx.endpoint(d["endpoint"], d["origin"])
    t, e = data["time"].to_numpy(float), data["event"].to_numpy(int)
    ct = count_table(t, (e > 0).astype(int))
    risk = {"all": (ct.time, ct.n_risk)}
    cens = {"all": np.sort(t[e == 0])}
    curves = curves_from_cif({"causes": d["curves"]}, 1, risk, cens)
    origin = origin_label(d["origin"])
    return Panel(letter, title, "Cumulative incidence (%)", curves, kind="incidence",
                 extra={"origin": origin})  # fmt: skip


def _cif_panels(ctx: AnalysisContext, numbers: dict, origin: str) -> list[Panel]:
    panels = []
    for letter, name in (("A", "CIR"), ("B", "NRM")):
        d = numbers["competing"].get(f"{name}_{origin}")
        if d:
            title = f"{ENDPOINT_LABELS[name]} after {origin_label(origin)}"
            panels.append(_cif_panel(ctx, d, letter, title))
    return panels


def _study_endpoint_panels(ctx: AnalysisContext, inputs: ReportInputs, numbers: dict,
                           name: str, competing: bool) -> list[Panel]:  # fmt: skip
    """A study endpoint as the built-in ones are drawn: Kaplan-Meier from the first and
    the second origin (figures 1 and 2), or its cumulative incidence (competing events)
    from the first (figure 3); one panel per origin with results."""
    first = inputs.origins[0]
    if competing:
        d = numbers["competing"].get(f"{name}_{first}")
        return [_cif_panel(ctx, d, "A", f"{name} after {origin_label(first)}")] if d else []
    origins = inputs.origins[:2]
    blocks = [numbers["survival"].get(f"{name}_{o}") for o in origins]
    blocks = [d for d in blocks if d]
    return [_km_panel(d, chr(ord("A") + i)) for i, d in enumerate(blocks)]


def _km_panel(d: dict, letter: str) -> Panel:
    """A Kaplan-Meier panel of one endpoint and origin, its last landmark in the corner."""
    name, origin = d["endpoint"], d["origin"]
    at = d["groups"][0]["at"]
    note = ""
    if at and at[-1]["survival"] is not None:
        yrs = fmt.number(at[-1]["time"] / fmt.DAYS_PER_YEAR, 0)
        note = f"{yrs}-year {name} " + fmt.percent_ci(at[-1]["survival"], at[-1]["lower"],
                                                      at[-1]["upper"])  # fmt: skip
    return Panel(letter, f"{name} after {origin_label(origin)}", f"{name} (%)", curves_from_km(d),
                 note=note, ci=True, extra={"origin": origin_label(origin)})  # fmt: skip


def _guard(notes: list[str], what: str, fn: Callable[[], object]) -> object:
    """Run one analysis; a layer not installed, or an analysis the data cannot support (no
    patient has the dates an origin needs, say no HSCT in a cohort without transplants),
    is reported in the notes, not hidden and not fatal to the rest of the report."""
    try:
        return fn()
    except ImportError as exc:
        notes.append(f"{what}: not available ({exc.name or exc})")
        return None
    except InputError as exc:
        reasons = "; ".join(dict.fromkeys(p.message for p in exc.problems))
        notes.append(f"{what}: not computed ({reasons})")
        return None


def _time_to_event(ctx: AnalysisContext, inputs: ReportInputs, notes: list[str]) -> dict:
    """KM (overall and by group), follow-up and competing risks, per origin."""
    lm = list(inputs.landmarks_days)
    out: dict = {"survival": {}, "competing": {}, "followup": {}}
    for origin in inputs.origins:
        for name in ("EFS", "OS"):
            out["survival"][f"{name}_{origin}"] = _guard(
                notes, f"{name} from {origin}", lambda n=name, o=origin: _km_block(ctx, n, o, lm)
            )
            if inputs.group:
                out["survival"][f"{name}_{origin}_by_{inputs.group}"] = _guard(
                    notes, f"{name} from {origin} by {inputs.group}",
                    lambda n=name, o=origin: _km_block(ctx, n, o, lm, inputs.group),
                )  # fmt: skip
        out["followup"][origin] = _guard(
            notes, "follow-up", lambda o=origin: _followup_block(ctx, o)
        )
    primary = inputs.origins[0]  # competing risks from the first origin only
    for name in ("CIR", "NRM"):
        out["competing"][f"{name}_{primary}"] = _guard(
            notes, f"{name} from {primary}", lambda n=name: _cif_block(ctx, n, primary, lm)
        )
    for name, competing in inputs.endpoints:  # the study file's own endpoints
        for origin in inputs.origins if not competing else (primary,):
            where = "competing" if competing else "survival"
            block = _cif_block if competing else _km_block
            out[where][f"{name}_{origin}"] = _guard(
                notes, f"{name} from {origin}",
                lambda n=name, o=origin, b=block: b(ctx, n, o, lm),
            )  # fmt: skip
    return out


def _tables(ctx: AnalysisContext, inputs: ReportInputs, numbers: dict, notes: list[str]
            ) -> tuple[dict, Listing]:  # fmt: skip
    """Tables 1-4 as (DataFrame, caption, footnotes, abbreviations); MRD/toxicity numbers."""
    t1 = characteristics_table(ctx.frame, inputs.variables or SEED_VARIABLES, iqr=True,
                               by=inputs.group, test=bool(inputs.group),
                               p_style=inputs.p_style)  # fmt: skip
    lst = patient_listing(ctx.frame, inputs.listing)
    tables: dict = {
        "table1": (t1, "Table 1. Patient characteristics", *table1_notes(t1)),
        "listing": (lst.table, "Table 2. Individual patients", lst.footnotes, lst.abbreviations),
    }
    mrd = _guard(notes, "MRD response", lambda: _mrd_block(ctx)) if _recorded(
        ctx.frame, "mrd_pre_percent", "mrd_post_percent") else None  # fmt: skip
    if mrd:
        numbers["mrd"], assessed = mrd
        tables["mrd"] = (mrd_response_table(assessed), f"Table {len(tables) + 1}. MRD response",
                         (), "")  # fmt: skip
    tox = _guard(notes, "toxicity", lambda: _toxicity_block(ctx.frame))
    if tox:
        numbers["toxicity"] = tox
        tables["toxicity"] = (toxicity_table(tox),
                              f"Table {len(tables) + 1}. Toxicity by maximum grade", (), "")  # fmt: skip
    return tables, lst


def _recorded(frame: pd.DataFrame, *columns: str) -> bool:
    """Some patient has a value in each of ``columns`` (a section on columns the cohort
    file does not have, or left blank throughout, is left out rather than shown empty)."""
    return all(c in frame and bool(frame[c].map(_known).any()) for c in columns)


def _known(v: object) -> bool:
    """A value, not a blank: None, NaN, pandas' NA and a missing MRD result are blanks."""
    if getattr(v, "is_missing", False) is True:
        return False
    return not (v is None or v is pd.NA or fmt.is_missing(v))


def _panels(ctx: AnalysisContext, inputs: ReportInputs, numbers: dict, notes: list[str]) -> dict:
    """Figure panels: (1) from the first origin (HSCT when the cohort has transplants),
    (2) from the second (the study's first intervention), (3) CIR/NRM and (4) by group
    from the first; a figure without data is left out (its analysis is in the notes)."""
    first, *rest = inputs.origins
    label = origin_label(first)
    panels = {"figure1": (_survival_panels(numbers, inputs.unit, first),
                          f"Figure 1. EFS and OS after {label}. (A) EFS, (B) OS.")}  # fmt: skip
    if rest:  # the study's (first) intervention, from the study file
        panels["figure2"] = (_survival_panels(numbers, inputs.unit, rest[0]),
                             "Figure 2. EFS and OS " + ("after HSCT." if rest[0] == "hsct"
                             else f"from the start of {rest[0]}."))  # fmt: skip
    cif_p = _guard(notes, "cumulative incidence figure", lambda: _cif_panels(ctx, numbers, first))
    if cif_p:
        panels["figure3"] = (cif_p, "Figure 3. Cumulative incidence of relapse (A) and "
                             f"non-relapse mortality (B) after {label} (competing risks).")  # fmt: skip
    if inputs.group:
        panels["figure4"] = (_survival_panels(numbers, inputs.unit, first, f"_by_{inputs.group}"),
                             f"Figure 4. EFS (A) and OS (B) after {label} by {inputs.group}.")  # fmt: skip
    number = 5 if inputs.group else 4
    for name, competing in inputs.endpoints:  # the study file's own endpoints
        got = _guard(notes, f"{name} figure",
                     lambda n=name, c=competing: _study_endpoint_panels(ctx, inputs, numbers, n, c))  # fmt: skip
        if got:
            panels[f"figure{number}"] = (got, _study_caption(number, name, got, inputs))
            number += 1
    return {k: v for k, v in panels.items() if v[0]}


def _study_caption(number: int, name: str, panels: list[Panel], inputs: ReportInputs) -> str:
    """``Figure 4. RFS: Relapse-free survival. Kaplan-Meier: (A) after HSCT, (B) ...``."""
    what = inputs.endpoint_descriptions.get(name)
    kind = ("Cumulative incidence with competing events" if panels[0].kind == "incidence"
            else "Kaplan-Meier")  # fmt: skip
    after = ", ".join(f"({p.letter}) after {p.extra.get('origin', '')}" for p in panels)
    return (
        f"Figure {number}. {name}"
        + (f": {what.rstrip('.')}" if what else "")
        + f". {kind}: {after}."
    )


def _records(df: pd.DataFrame) -> list[dict]:
    """Rows as dicts (``to_dict("records")`` without pandas' per-cell boxing)."""
    cols = [str(c) for c in df.columns]
    return [dict(zip(cols, row, strict=True)) for row in df.itertuples(index=False, name=None)]


def compute_results(inputs: ReportInputs) -> ReportData:
    """All analyses of the report, on the eligible patients (see the module docstring)."""
    notes: list[str] = []
    flow = apply_criteria(
        AnalysisContext(inputs.frame, inputs.endpoint, inputs.interventions).frame, inputs.criteria
    )
    flow = with_invalid_rows(flow, inputs.invalid)
    ids = set(flow.eligible)
    frame = inputs.frame[inputs.frame["patient_id"].astype(str).isin(ids)].reset_index(drop=True)
    ctx = AnalysisContext(frame, _eligible_endpoint(inputs, ids), inputs.interventions)
    numbers: dict = {"n_patients": len(inputs.frame), "n_eligible": len(frame),
                     **{f"timing_days_{name}_to_hsct": _timing(ctx, name)
                        for name in inputs.interventions},
                     **_time_to_event(ctx, inputs, notes)}  # fmt: skip
    tables, listing = _tables(ctx, inputs, numbers, notes)
    claims = evaluate_claims(inputs.claims, ctx)
    numbers["p_style"] = inputs.p_style
    panels = _panels(ctx, inputs, numbers, notes)
    numbers["claims"] = [c.to_dict() for c in claims]
    numbers["tables"] = {k: {"caption": cap, "rows": _records(df),
                             "footnotes": [{"symbol": a, "text": b} for a, b in foot],
                             "abbreviations": legend}
                         for k, (df, cap, foot, legend) in tables.items()}  # fmt: skip
    numbers["eligibility"] = {**flow.to_dict(), "as_stated": inputs.eligibility_text}
    numbers["notes"] = notes
    numbers["p_style"] = inputs.p_style
    numbers["unit"] = inputs.unit
    return ReportData(numbers, tables, panels, claims, flow, notes, listing)
