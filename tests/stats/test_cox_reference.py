"""Cox model against R's survival (coxph, cox.zph, concordance): committed fixtures.

Values from tests/reference/make_reference_cox.R (R and survival versions recorded in
tests/reference/cox.json); compared at rtol = 1e-6, as the project requires.
"""

import json
import warnings
from pathlib import Path

import numpy as np
import pytest

from remission.cohort.io import read_table
from remission.stats.cox import ConvergenceWarning, cox

REF = Path(__file__).resolve().parents[1] / "reference"
FIXTURE = json.loads((REF / "cox.json").read_text())
CASES = {c["name"]: c for c in FIXTURE["cases"]}
RTOL = 1e-6


def fit(case):
    raw = read_table(REF / "data" / case["file"])
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        res = cox(raw.frame, case["time"], case["event"], case["covariates"],
                  strata=case["strata"], ties=case["ties"], source=raw.path, rows=raw.rows)  # fmt: skip
    return res, [w for w in caught if issubclass(w.category, ConvergenceWarning)]


def close(actual, expected):
    np.testing.assert_allclose(actual, expected, rtol=RTOL, atol=1e-12)


@pytest.mark.parametrize("name", sorted(CASES))
def test_against_r(name):
    case = CASES[name]
    res, caught = fit(case)
    assert res.n == case["n"] and res.events == case["events"]
    assert [c.name for c in res.coefficients] == case["names"]
    assert res.ties == case["ties"]
    close(res.loglik, case["loglik"])
    close([res.tests["score"].statistic, res.tests["score"].df], case["score"])
    close([res.tests["likelihood_ratio"].statistic, res.tests["likelihood_ratio"].df],
          case["likelihood_ratio"])  # fmt: skip
    close([res.concordance.concordance, res.concordance.std_err], case["concordance"])
    c = res.concordance
    assert [c.concordant, c.discordant, c.tied_x, c.tied_y, c.tied_xy] == \
        case["concordance_counts"]  # fmt: skip
    assert [r.term for r in res.zph.terms] == [r["term"] for r in case["zph"]]
    for got, want in zip(res.zph.terms, case["zph"], strict=True):
        close([got.chisq, got.df, got.p_value], [want["chisq"], want["df"], want["p_value"]])
    g = case["zph_global"]
    close([res.zph.global_test.chisq, res.zph.global_test.df, res.zph.global_test.p_value],
          [g["chisq"], g["df"], g["p_value"]])  # fmt: skip
    if case["r_warnings"]:
        return check_diverging(res, case, caught)
    if name.startswith("zero_stratum"):
        assert [str(w.message) for w in caught] == list(res.warnings)
        assert res.warnings == ("strata without events contribute nothing to the fit: west",)
    else:
        assert not caught
    assert res.iterations == case["iterations"]
    close([x.coef for x in res.coefficients], case["coef"])
    close([x.se for x in res.coefficients], case["se"])
    close([res.tests["wald"].statistic, res.tests["wald"].df], case["wald"])


def check_diverging(res, case, caught):
    """R says "coefficient may be infinite": we agree on which, and on where R stopped."""
    assert "Loglik converged before variable  1 " in case["r_warnings"][0]
    marker = res.coefficient("marker")
    assert marker.status == "infinite" and marker.coef == np.inf and marker.se != marker.se
    close(marker.last_iterate, case["coef"][0])
    close(res.coefficient("age").coef, case["coef"][1])
    close(res.coefficient("age").se, case["se"][1])
    assert res.iterations == case["iterations"]
    assert res.tests["wald"].statistic is None
    assert any("marker diverges" in str(w.message) for w in caught)
    assert any("marker diverges" in m for m in res.warnings)
    d = res.to_dict()
    assert d["coefficients"][0]["coef"] is None and d["coefficients"][0]["status"] == "infinite"


def test_zero_event_stratum_is_named():
    case = CASES["zero_stratum_efron"]
    raw = read_table(REF / "data" / case["file"])
    with pytest.warns(ConvergenceWarning, match="strata without events.*west"):
        res = cox(raw.frame, "time", "status", ["x"], strata="centre")
    assert res.strata == ("east", "north", "west")
    assert any("west" in w for w in res.warnings)


def test_missing_covariates_are_excluded_and_counted():
    case = CASES["lung_missing_efron"]
    res, _ = fit(case)
    raw = read_table(REF / "data" / case["file"])
    assert res.n + len(res.excluded) == len(raw.frame)
    reasons = dict(res.excluded)
    # spreadsheet rows: header is row 1; every excluded row names its missing column
    for row, why in res.excluded:
        i = row - 2
        missing = [c for c in ("age", "wt.loss", "ph.karno") if raw.frame[c].iloc[i] is None]
        assert why == "missing " + ", ".join(missing)
    assert res.to_dict()["n_excluded"] == len(reasons) == 14


def test_fixture_records_versions():
    assert FIXTURE["survival_version"].startswith("3.")
    assert FIXTURE["r_version"].startswith("R version")


@pytest.mark.parametrize("transform", ["identity", "rank", "log"])
@pytest.mark.parametrize("name", ["lung_efron", "veteran_breslow", "small_ties_efron",
                                  "lung_strata_breslow"])  # fmt: skip
def test_zph_other_transforms_against_r(name, transform):
    case = CASES[name]
    raw = read_table(REF / "data" / case["file"])
    res = cox(raw.frame, case["time"], case["event"], case["covariates"], strata=case["strata"],
              ties=case["ties"], zph_transform=transform)  # fmt: skip
    got = [r.chisq for r in res.zph.terms] + [res.zph.global_test.chisq]
    close(got, case["zph_transforms"][transform])
    assert res.zph.transform == transform
