"""``remission cox``: text and JSON output, exclusions, warnings, bad input (exit 2)."""

import json
from pathlib import Path

import numpy as np
import pytest

from remission.cli import main

DATA = Path(__file__).resolve().parents[1] / "reference" / "data"
REF = json.loads((DATA.parent / "cox.json").read_text())
CASES = {c["name"]: c for c in REF["cases"]}


def run(capsys, *argv):
    code = main(["cox", *map(str, argv)])
    out, err = capsys.readouterr()
    return code, out, err


def test_json_follows_the_issue_shape_and_matches_r(capsys):
    code, out, _ = run(capsys, DATA / "cox_lung.csv", "--time", "time", "--event", "dead",
                       "--covariates", "age,sex,ph.ecog", "--json")  # fmt: skip
    assert code == 0
    d = json.loads(out)
    for key in ("n", "events", "ties", "coefficients", "loglik", "concordance", "tests", "zph",
                "warnings", "excluded", "n_excluded"):  # fmt: skip
        assert key in d
    case = CASES["lung_efron"]
    assert d["n"] == case["n"] and d["events"] == case["events"] and d["ties"] == "efron"
    assert [c["name"] for c in d["coefficients"]] == ["age", "sexM", "ph.ecog"]
    assert set(d["coefficients"][0]) >= {"name", "coef", "se", "hazard_ratio", "lower", "upper",
                                         "z", "p_value"}  # fmt: skip
    assert d["coefficients"][1]["coef"] == pytest.approx(case["coef"][1], rel=1e-6)
    assert d["loglik"] == pytest.approx(case["loglik"], rel=1e-6)
    assert d["concordance"] == pytest.approx(case["concordance"][0], rel=1e-6)
    assert d["n_excluded"] == 1 and d["excluded"] == [{"row": 15, "reason": "missing ph.ecog"}]
    assert d["zph"]["global"]["chisq"] == pytest.approx(case["zph_global"]["chisq"], rel=1e-6)


def test_text_report(capsys):
    code, out, _ = run(capsys, DATA / "cox_veteran.csv", "--time", "time", "--event", "status",
                       "--covariates", "trt,celltype,karno", "--strata", "prior",
                       "--ties", "breslow")  # fmt: skip
    assert code == 0
    assert "ties = breslow; strata: 0, 10" in out
    for word in ("celltypelarge", "HR", "95% CI", "Likelihood ratio test", "Concordance",
                 "cox.zph", "GLOBAL"):  # fmt: skip
        assert word in out


def test_separation_is_reported_not_hidden(capsys):
    code, out, _ = run(capsys, DATA / "cox_separation.csv", "--time", "time", "--event",
                       "status", "--covariates", "marker,age", "--json")  # fmt: skip
    assert code == 0
    d = json.loads(out)
    marker = d["coefficients"][0]
    assert marker["status"] == "infinite" and marker["coef"] is None
    assert marker["last_iterate"] == pytest.approx(CASES["separation_efron"]["coef"][0], rel=1e-6)
    assert any("marker diverges" in w for w in d["warnings"])
    code, out, _ = run(capsys, DATA / "cox_separation.csv", "--time", "time", "--event",
                       "status", "--covariates", "marker,age")  # fmt: skip
    assert "Warnings:" in out and "marker diverges" in out


def test_categorical_option_codes_numbers_as_levels(capsys):
    code, out, _ = run(capsys, DATA / "cox_lung.csv", "--time", "time", "--event", "dead",
                       "--covariates", "age,ph.ecog", "--categorical", "ph.ecog", "--json")  # fmt: skip
    assert code == 0
    names = [c["name"] for c in json.loads(out)["coefficients"]]
    assert names == ["age", "ph.ecog1", "ph.ecog2", "ph.ecog3"]


@pytest.mark.parametrize(
    "argv, message",
    [
        (["--covariates", "agex,sex"], "column 'agex': column not found; expected one of: time"),
        (["--covariates", ","], "--covariates: name at least one column"),
        (["--covariates", "age", "--conf-level", "1.5"], "--conf-level must be between 0 and 1"),
        (["--covariates", "age", "--strata", "nope"], "column 'nope': column not found"),
        (["--covariates", "time"], "covariate is also the time, event or strata"),
    ],
)
def test_bad_input_is_one_clear_message(capsys, argv, message):
    code, out, err = run(capsys, DATA / "cox_lung.csv", "--time", "time", "--event", "dead",
                         *argv)  # fmt: skip
    assert code == 2 and out == ""
    assert message in err
    assert "Traceback" not in err


def test_bad_values_name_row_column_and_value(tmp_path, capsys):
    f = tmp_path / "bad.csv"
    f.write_text("t,e,x,g\n1,1,0.5,a\n2,0,inf,b\n3,1,0.1,a\n-4,1,0.2,b\n")
    code, _, err = run(capsys, f, "--time", "t", "--event", "e", "--covariates", "x")
    assert code == 2
    assert "row 5, column 't'" in err and "'-4'" in err
    assert "row 3, column 'x': covariate is not finite" in err  # all problems at once
    code, _, err = run(capsys, f, "--time", "t", "--event", "e", "--covariates", "g,x")
    assert code == 2


def test_one_level_categorical(tmp_path, capsys):
    f = tmp_path / "one.csv"
    f.write_text("t,e,g\n1,1,a\n2,0,a\n3,1,a\n")
    code, _, err = run(capsys, f, "--time", "t", "--event", "e", "--covariates", "g")
    assert code == 2 and "categorical covariate has one level" in err


def test_seed_cohort_endpoint_with_separated_donor_types(capsys):
    # 11 infants: EFS from HSCT by donor type, MSD the reference (the dictionary's
    # clinical order, issue 10); MMSD and MMUD diverge, as R's "Loglik converged before
    # variable 1,3; coefficient may be infinite" with the same reference level
    code, out, _ = run(capsys, "--endpoint", "EFS", "--origin", "hsct", "--covariates",
                       "donor,age_at_blinatumomab_years", "--json")  # fmt: skip
    assert code == 0
    d = json.loads(out)
    status = {c["name"]: c["status"] for c in d["coefficients"]}
    assert status == {"donorMMSD": "infinite", "donorMUD": "ok", "donorMMUD": "infinite",
                      "age_at_blinatumomab_years": "ok"}  # fmt: skip
    assert d["n_excluded"] == 1 and d["note"].startswith("EFS from hsct")
    # R 4.x, survival 3.5-3 on the same 10 rows: loglik -7.90100705199, -4.28429225513
    assert d["loglik"] == pytest.approx([-7.90100705199, -4.28429225513], rel=1e-9)


def test_long_exclusion_lists_are_cut_in_text_not_in_json(tmp_path, capsys):
    f = tmp_path / "many.csv"
    lines = ["t,e,x"] + [f"{i + 1},{i % 2},{'' if i < 30 else i / 7}" for i in range(60)]
    f.write_text("\n".join(lines) + "\n")
    code, out, _ = run(capsys, f, "--time", "t", "--event", "e", "--covariates", "x")
    assert code == 0 and "row 21: missing x" in out and "row 22:" not in out
    assert "... and 10 more (all in --json)" in out
    code, out, _ = run(capsys, f, "--time", "t", "--event", "e", "--covariates", "x", "--json")
    assert json.loads(out)["n_excluded"] == 30


COUNTING = json.loads((DATA.parent / "counting.json").read_text())["counting"]


def test_entry_zph_transform_and_reference(capsys):
    code, out, _ = run(capsys, DATA / "counting.csv", "--time", "stop", "--event", "status",
                       "--entry", "start", "--covariates", "arm,age", "--reference", "arm=B",
                       "--zph-transform", "rank", "--json")  # fmt: skip
    assert code == 0
    d = json.loads(out)
    ref = COUNTING["cox_reference_b"]
    assert [c["name"] for c in d["coefficients"]] == ["armA", "age"]
    np.testing.assert_allclose([c["coef"] for c in d["coefficients"]], ref["coef"], rtol=1e-6)
    assert d["zph"]["transform"] == "rank" and d["counting_process"] is True
    assert d["concordance"] is None


def test_bad_reference_is_reported(capsys):
    code, _, err = run(capsys, DATA / "counting.csv", "--time", "stop", "--event", "status",
                       "--covariates", "arm", "--reference", "arm")  # fmt: skip
    assert code == 2 and "COL=LEVEL" in err
    code, _, err = run(capsys, DATA / "counting.csv", "--time", "stop", "--event", "status",
                       "--covariates", "arm", "--reference", "arm=C")  # fmt: skip
    assert code == 2 and "reference level not found" in err


def test_time_dependent_exposure(capsys):
    code, out, _ = run(capsys, DATA / "hsct.csv", "--time", "time", "--event", "death",
                       "--covariates", "hsct", "--exposure", "hsct", "--json")  # fmt: skip
    assert code == 2  # the exposure is added by --exposure, not named twice
    code, out, _ = run(capsys, DATA / "hsct.csv", "--time", "time", "--event", "death",
                       "--exposure", "hsct", "--json")  # fmt: skip
    assert code == 0
    d = json.loads(out)
    ref = json.loads((DATA.parent / "counting.json").read_text())["hsct"]["cox"]["efron"]
    np.testing.assert_allclose(d["coefficients"][0]["coef"], ref["coef"], rtol=1e-6)
    assert d["n"] == ref["n"]  # split rows, as coxph on the tmerge data


def test_cluster_robust_variance(capsys):
    code, out, _ = run(capsys, DATA / "counting.csv", "--time", "stop", "--event", "status",
                       "--entry", "start", "--covariates", "arm,age", "--cluster", "centre",
                       "--json")  # fmt: skip
    assert code == 0
    d = json.loads(out)
    ref = COUNTING["robust"]["cluster_entry"]
    assert d["variance"] == "cluster(centre)"
    np.testing.assert_allclose([c["se"] for c in d["coefficients"]], ref["se"], rtol=1e-6)
    np.testing.assert_allclose([c["naive_se"] for c in d["coefficients"]], ref["naive_se"],
                               rtol=1e-6)  # fmt: skip
    code, out, _ = run(capsys, DATA / "counting.csv", "--time", "stop", "--event", "status",
                       "--covariates", "arm,age", "--robust")  # fmt: skip
    assert code == 0 and "variance: robust" in out


def test_weights_give_r_default_robust_variance(capsys):
    code, out, _ = run(capsys, DATA / "weighted.csv", "--time", "stop", "--event", "status",
                       "--covariates", "arm,age", "--weights", "wfrac", "--json")  # fmt: skip
    assert code == 0
    d = json.loads(out)
    ref = COUNTING["weighted_cox"]["efron"]
    assert d["variance"] == "robust"
    np.testing.assert_allclose([c["se"] for c in d["coefficients"]], ref["se"], rtol=1e-6)


def test_unknown_cluster_or_weights_column_is_an_input_error(capsys):
    for option in ("--cluster", "--weights"):
        code, _, err = run(capsys, DATA / "counting.csv", "--time", "stop", "--event", "status",
                           "--covariates", "arm", option, "nope")  # fmt: skip
        assert code == 2 and "column not found" in err and "nope" in err
