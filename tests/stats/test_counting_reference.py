"""Near-equal times (R's timefix) and counting-process data against R's survival.

Fixtures: tests/reference/make_reference_counting.R writes tests/reference/counting.json
and its data (tests/reference/data/near_ties.csv, counting.csv); R and survival versions
are recorded in the JSON. Tolerance rtol = 1e-6, as the project requires.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from remission.stats.cif import cif
from remission.stats.cox import cox
from remission.stats.km import km
from remission.stats.logrank import compare
from remission.stats.timedep import landmark, mantel_byar, simon_makuch, split_at_exposure

REF = Path(__file__).resolve().parents[1] / "reference"
FIXTURE = json.loads((REF / "counting.json").read_text())
RTOL = 1e-6


def close(actual, expected) -> None:
    exp = np.array([np.nan if v is None else v for v in np.atleast_1d(expected)], float)
    np.testing.assert_allclose(np.asarray(actual, float), exp, rtol=RTOL, atol=1e-12,
                               equal_nan=True)  # fmt: skip


def check_km(res, ref) -> None:
    curves = pd.concat([g.table for g in res.groups], ignore_index=True)
    assert list(curves["group"]) == ref["group"]
    np.testing.assert_array_equal(curves["time"], ref["time"])
    for name in ("n_risk", "n_event", "n_censor"):
        np.testing.assert_array_equal(curves[name], ref[name])
    for mine, theirs in (("survival", "surv"), ("std_err", "std_err"), ("lower", "lower"),
                         ("upper", "upper"), ("cumhaz", "cumhaz"), ("std_chaz", "std_chaz")):  # fmt: skip
        close(curves[mine], ref[theirs])


def check_cox(res, ref) -> None:
    assert res.n == ref["n"] and res.events == ref["events"]
    close([c.coef for c in res.coefficients], ref["coef"])
    close([c.se for c in res.coefficients], ref["se"])
    close(res.loglik, ref["loglik"])
    close(res.tests["score"].statistic, ref["score"])
    close(res.tests["wald"].statistic, ref["wald"])
    close(res.tests["likelihood_ratio"].statistic, ref["lr"])


@pytest.fixture(scope="module")
def near() -> pd.DataFrame:
    return pd.read_csv(REF / "data" / "near_ties.csv")


@pytest.mark.parametrize("case", FIXTURE["near_ties"], ids=lambda c: f"timefix={c['timefix']}")
def test_near_ties_km_cox(near, case) -> None:
    exact = not case["timefix"]
    res = km(near, "time", "status", "arm", exact_times=exact)
    check_km(res, case["km"])
    close(res.median()["time"], case["median"])
    assert res.timefix.applied is case["timefix"]
    check_cox(cox(near, "time", "status", ["arm"], exact_times=exact), case["cox"])
    lr = compare(near, "time", "status", "arm", exact_times=exact)
    close(lr.statistic, case["logrank"]["exact_score"])
    if case["timefix"]:  # survdiff (always merging) itself
        close(lr.statistic, case["logrank"]["chisq"])
        close(lr.observed, case["logrank"]["observed"])
        close(lr.expected, case["logrank"]["expected"])
        close(lr.variance, case["logrank"]["variance"])


def test_near_ties_recorded(near) -> None:
    # by hand: days 7, 14, 47, 92, 112 and 183 appear both as d / 30.4375 and as
    # d / 365.25 * 12 (different doubles), and 0.1 + 0.2 beside 0.3, 0.1 * 7 beside 0.7
    merged = km(near, "time", "status").timefix
    assert merged.applied and merged.merged == 8
    assert km(near, "time", "status", exact_times=True).timefix.merged == 0


@pytest.fixture(scope="module")
def cp() -> pd.DataFrame:
    return pd.read_csv(REF / "data" / "counting.csv")


def test_counting_km(cp) -> None:
    ref = FIXTURE["counting"]
    check_km(km(cp, "stop", "status", "arm", entry="start"), ref["km"])
    check_km(km(cp, "stop", "status", entry="start", conf_type="log"), ref["km_all"])


@pytest.mark.parametrize("name", ["efron", "breslow", "strata"])
def test_counting_cox(cp, name) -> None:
    ref = FIXTURE["counting"]["cox"][name]
    ties = "efron" if name == "strata" else name
    strata = "centre" if name == "strata" else None
    res = cox(cp, "stop", "status", ["arm", "age"], strata=strata, ties=ties, entry="start")
    check_cox(res, ref)
    assert res.counting_process and res.concordance is None


def test_counting_zph(cp) -> None:
    ref = FIXTURE["counting"]["zph"]
    res = cox(cp, "stop", "status", ["arm", "age"], entry="start")
    close([r.chisq for r in res.zph.terms] + [res.zph.global_test.chisq], ref["chisq"])


def test_counting_logrank_is_exact_score(cp) -> None:
    res = compare(cp, "stop", "status", "arm", entry="start")
    close(res.statistic, FIXTURE["counting"]["logrank_exact_score"])


def test_counting_aalen_johansen(cp) -> None:
    ref = FIXTURE["counting"]["aalen_johansen"]
    res = cif(cp, "stop", "cause", entry="start")
    times = np.asarray(ref["time"], float)
    for cause, key in ((1, "cif1"), (2, "cif2")):
        est, _ = res.curve(cause).at(times)
        close(est, ref[key])
    assert res.gray == ()


# --- time-dependent exposure (HSCT) ---------------------------------------------------------


@pytest.fixture(scope="module")
def hsct() -> pd.DataFrame:
    return pd.read_csv(REF / "data" / "hsct.csv")


def test_split_as_tmerge(hsct) -> None:
    ref = FIXTURE["hsct"]["split"]
    split = split_at_exposure(hsct, "time", "death", "hsct", status="hsct_now")
    assert list(split["id"]) == ref["id"]
    for mine, theirs in (("tstart", "tstart"), ("tstop", "tstop"), ("death", "death"),
                         ("hsct_now", "hsct")):  # fmt: skip
        np.testing.assert_array_equal(split[mine], ref[theirs])


@pytest.mark.parametrize("ties", ["efron", "breslow"])
def test_time_dependent_cox(hsct, ties) -> None:
    split = split_at_exposure(hsct, "time", "death", "hsct")
    res = cox(split, "tstop", "death", ["exposed"], ties=ties, entry="tstart")
    check_cox(res, FIXTURE["hsct"]["cox"][ties])


def test_mantel_byar_is_coxph_exact_score(hsct) -> None:
    res = mantel_byar(hsct, "time", "death", "hsct")
    close(res.statistic, FIXTURE["hsct"]["cox"]["exact"]["score"])
    assert res.groups == ("unexposed", "exposed") and res.df == 1
    # and the naive ever/never comparison is what R's survdiff gives
    naive = hsct.assign(ever=hsct["hsct"].notna())
    close(compare(naive, "time", "death", "ever").statistic, FIXTURE["hsct"]["naive_chisq"])


def test_simon_makuch_is_survfit_on_split_rows(hsct) -> None:
    res = simon_makuch(hsct, "time", "death", "hsct")
    ref = dict(FIXTURE["hsct"]["simon_makuch"])
    ref["group"] = [{"0": "unexposed", "1": "exposed"}[g] for g in ref["group"]]
    check_km(res, ref)
    exposed = res.group("exposed").n_risk
    assert np.any(np.diff(exposed) > 0)  # the number at risk rises as patients cross over


@pytest.mark.parametrize("case", FIXTURE["hsct"]["landmarks"], ids=lambda c: str(c["landmark"]))
def test_landmark(hsct, case) -> None:
    res = landmark(hsct, "time", "death", "hsct", case["landmark"])
    assert res.n == case["n"] and res.n + res.n_before == len(hsct)
    ref = dict(case["km"])
    ref["group"] = [{"0": "unexposed", "1": "exposed"}[g] for g in ref["group"]]
    check_km(res.km, ref)
    close(res.test.statistic, case["chisq"])
    close(res.test.observed, case["observed"])
    close(res.test.expected, case["expected"])


@pytest.mark.parametrize("transform", ["rank", "identity", "log"])
def test_counting_zph_transforms(cp, transform) -> None:
    res = cox(cp, "stop", "status", ["arm", "age"], entry="start", zph_transform=transform)
    chisq = [r.chisq for r in res.zph.terms] + [res.zph.global_test.chisq]
    close(chisq, FIXTURE["counting"]["zph_transforms"][transform])


def test_reference_level(cp) -> None:
    res = cox(cp, "stop", "status", ["arm", "age"], entry="start", reference={"arm": "B"})
    assert [c.name for c in res.coefficients] == ["armA", "age"]
    check_cox(res, FIXTURE["counting"]["cox_reference_b"])


ROBUST = {
    "efron": dict(robust=True),
    "breslow": dict(robust=True, ties="breslow"),
    "strata": dict(robust=True, strata="centre"),
    "cluster": dict(cluster="centre"),
    "cluster_entry": dict(cluster="centre", entry="start"),
    "cluster_entry_breslow": dict(cluster="centre", entry="start", ties="breslow"),
}


@pytest.mark.parametrize("name", sorted(ROBUST))
def test_robust_variance(cp, name) -> None:
    ref = FIXTURE["counting"]["robust"][name]
    res = cox(cp, "stop", "status", ["arm", "age"], **ROBUST[name])
    check_cox(res, ref)  # se and the Wald test from the robust variance, as R
    close([c.naive_se for c in res.coefficients], ref["naive_se"])
    assert res.variance == ("cluster(centre)" if "cluster" in ROBUST[name] else "robust")


def test_time_dependent_cox_clustered_by_patient(hsct) -> None:
    split = split_at_exposure(hsct, "time", "death", "hsct")
    res = cox(split, "tstop", "death", ["exposed"], entry="tstart", cluster="id")
    check_cox(res, FIXTURE["hsct"]["cox"]["cluster_id"])


WEIGHTED = {
    "integer": dict(weights="wint", group="arm"),
    "fraction": dict(weights="wfrac", group="arm"),
    "fraction_greenwood": dict(weights="wfrac", group="arm", variance="greenwood"),
    "fraction_entry": dict(weights="wfrac", entry="start", conf_type="log"),
}


@pytest.mark.parametrize("name", sorted(WEIGHTED))
def test_weighted_km(name) -> None:
    df = pd.read_csv(REF / "data" / "weighted.csv")
    ref = FIXTURE["counting"]["weighted"][name]
    res = km(df, "stop", "status", **WEIGHTED[name])
    assert res.variance == ("greenwood" if name != "fraction" and "entry" not in name
                            else "robust")  # fmt: skip
    curves = pd.concat([g.table for g in res.groups], ignore_index=True)
    assert list(curves["group"]) == ref["group"]
    np.testing.assert_array_equal(curves["time"], ref["time"])
    cols = [("n_risk", "n_risk"), ("n_event", "n_event"), ("n_censor", "n_censor"),
            ("survival", "surv"), ("std_err", "std_err"), ("lower", "lower"),
            ("upper", "upper"), ("cumhaz", "cumhaz")]  # fmt: skip
    if res.variance == "greenwood":
        cols.append(("std_chaz", "std_chaz"))
    for mine, theirs in cols:
        close(curves[mine], ref[theirs])


WEIGHTED_COX = {
    "efron": dict(weights="wfrac"),
    "breslow": dict(weights="wfrac", ties="breslow"),
    "entry_integer": dict(weights="wint", entry="start"),
    "robust": dict(weights="wfrac", robust=True),
    "cluster_entry": dict(weights="wfrac", entry="start", cluster="centre"),
}


@pytest.mark.parametrize("name", sorted(WEIGHTED_COX))
def test_weighted_cox(name) -> None:
    df = pd.read_csv(REF / "data" / "weighted.csv")
    ref = FIXTURE["counting"]["weighted_cox"][name]
    res = cox(df, "stop", "status", ["arm", "age"], **WEIGHTED_COX[name])
    assert res.concordance is None
    ref = dict(ref, n=len(df))  # R's n counts rows; remission's too
    check_cox(res, ref)
    if ref.get("naive_se") is not None:
        close([c.naive_se for c in res.coefficients], ref["naive_se"])
    if "zph" in ref:
        close([r.chisq for r in res.zph.terms] + [res.zph.global_test.chisq], ref["zph"])
