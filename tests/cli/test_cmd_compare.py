"""``remission compare`` end to end, in process."""

import json
from pathlib import Path

import numpy as np
import pytest

from remission.cli import main

DATA = Path(__file__).parents[1] / "reference" / "data"
REF = json.loads((Path(__file__).parents[1] / "reference" / "compare.json").read_text())


def _case(name):
    return next(c for c in REF["cases"] if c["name"] == name)


def run(capsys, *argv):
    code = main(["compare", *map(str, argv)])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_text_output(capsys):
    code, out, err = run(
        capsys, DATA / "aml.csv", "--time", "time", "--event", "status", "--group", "x"
    )
    assert code == 0 and err == ""
    assert "Log-rank (Mantel-Cox)" in out
    assert "chi-square = 3.396 on 1 df, p = 0.06534" in out
    assert "Nonmaintained vs Maintained (reference)" in out
    assert "Mantel-Haenszel  2.511 (95% CI 0.943-6.684)" in out


def test_json_matches_r(capsys):
    argv = [DATA / "lung.csv", "--time", "time", "--event", "status", "--group", "ph_ecog"]
    code, out, _ = run(capsys, *argv, "--strata", "sex", "--test", "fh:1,1", "--json")
    assert code == 0
    d = json.loads(out)
    ref = _case("lung ph_ecog strata sex fh(1,1)")
    assert list(d)[:5] == ["test", "statistic", "df", "p_value", "hazard_ratio"]
    assert d["test"] == "fh:1,1" and d["df"] == 3 and d["hazard_ratio"] is None
    assert d["statistic"] == pytest.approx(ref["statistic"], rel=1e-6)
    assert d["n_excluded"] == 1 and d["excluded"] == [{"row": 15, "reason": "missing ph_ecog"}]
    assert d["strata"] == ["1", "2"]


def test_trend_with_scores(capsys):
    argv = [DATA / "lung.csv", "--time", "time", "--event", "status", "--group", "ph_ecog"]
    code, out, _ = run(capsys, *argv, "--test", "trend", "--scores", "0,1,2,3", "--json")
    assert code == 0
    d = json.loads(out)
    assert d["statistic"] == pytest.approx(_case("lung ph_ecog trend")["statistic"], rel=1e-6)
    assert d["scores"] == [0, 1, 2, 3]


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--group", "x", "--test", "wilcoxon"], "--test: unknown test 'wilcoxon'"),
        ([], "--group"),
        (["--group", "nope"], "column 'nope': column not found"),
        (["--group", "x", "--test", "trend", "--scores", "1,b"], "--scores"),
        (["--group", "x", "--test", "trend", "--scores", "1,2,3"], "3 scores given for 2 groups"),
        (["--group", "x", "--conf-level", "95"], "--conf-level"),
    ],
)
def test_usage_problems(capsys, extra, message):
    code, out, err = run(capsys, DATA / "aml.csv", "--time", "time", "--event", "status", *extra)
    assert code == 2 and out == ""
    assert message in err and "Traceback" not in err


def test_one_level_group_and_bad_rows(tmp_path, capsys):
    f = tmp_path / "one.csv"
    f.write_text("t,e,arm\n1,1,A\n2,0,A\n3,1,A\n")
    code, _, err = run(capsys, f, "--time", "t", "--event", "e", "--group", "arm")
    assert code == 2 and "column 'arm'" in err and "1 level(s)" in err
    g = tmp_path / "bad.csv"
    g.write_text("t,e,arm\n1,2,A\n-2,0,B\n3,1,B\n")
    code, _, err = run(capsys, g, "--time", "t", "--event", "e", "--group", "arm")
    assert code == 2 and "2 problems" in err
    assert "row 2" in err and "event code not allowed" in err and "row 3" in err


def test_missing_file(capsys):
    code, _, err = run(capsys, "nope.csv", "--time", "t", "--event", "e", "--group", "g")
    assert code == 2 and "file not found" in err


def test_undefined_hazard_ratio_is_said_in_words(tmp_path, capsys):
    # group b has no events and is censored before any event: E_b = 0, O_b = 0
    f = tmp_path / "hr.csv"
    f.write_text("t,e,g\n5,1,a\n6,1,a\n1,0,b\n2,0,b\n")
    code, out, _ = run(capsys, f, "--time", "t", "--event", "e", "--group", "g")
    assert code == 0 and "Mantel-Haenszel  not defined" in out and "no test" in out


COUNTING = json.loads((Path(__file__).parents[1] / "reference" / "counting.json").read_text())


def test_json_has_variance_and_observed_expected_per_group(capsys):
    # R: survdiff(Surv(time, status) ~ arm, near_ties) $obs, $exp, $var (counting.json)
    code, out, _ = run(capsys, DATA / "near_ties.csv", "--time", "time", "--event", "status",
                       "--group", "arm", "--json")  # fmt: skip
    assert code == 0
    d = json.loads(out)
    ref = COUNTING["near_ties"][0]["logrank"]
    np.testing.assert_allclose(d["variance"], ref["variance"], rtol=1e-6)
    np.testing.assert_allclose([g["observed"] for g in d["groups"]], ref["observed"], rtol=1e-6)
    np.testing.assert_allclose([g["expected"] for g in d["groups"]], ref["expected"], rtol=1e-6)
    assert d["timefix"]["merged"] == 8


def test_exact_times_option(capsys):
    code, out, _ = run(capsys, DATA / "near_ties.csv", "--time", "time", "--event", "status",
                       "--group", "arm", "--exact-times", "--json")  # fmt: skip
    d = json.loads(out)
    assert d["timefix"] == {"rule": "exact", "merged": 0}
    # R: coxph(..., ties = "exact", control = coxph.control(timefix = FALSE))$score
    np.testing.assert_allclose(d["statistic"], COUNTING["near_ties"][1]["logrank"]["exact_score"],
                               rtol=1e-6)  # fmt: skip


def test_reference_group_first(capsys):
    argv = [DATA / "aml.csv", "--time", "time", "--event", "status", "--group", "x", "--json"]
    _, out, _ = run(capsys, *argv)
    _, out_ref, _ = run(capsys, *argv, "--reference", "x=Nonmaintained")
    a, b = json.loads(out), json.loads(out_ref)
    assert b["hazard_ratio"]["reference"] == "Nonmaintained"
    hr_a = a["hazard_ratio"]["mantel_haenszel"]["estimate"]
    assert b["hazard_ratio"]["mantel_haenszel"]["estimate"] == pytest.approx(1 / hr_a)
    assert b["statistic"] == pytest.approx(a["statistic"])


def test_unknown_reference_group_is_an_input_error(capsys):
    code, _, err = run(capsys, DATA / "aml.csv", "--time", "time", "--event", "status",
                       "--group", "x", "--reference", "Sometimes")  # fmt: skip
    assert code == 2 and "reference group not found" in err and "Maintained" in err


def test_mantel_byar(capsys):
    code, out, _ = run(capsys, DATA / "hsct.csv", "--time", "time", "--event", "death",
                       "--exposure", "hsct", "--json")  # fmt: skip
    assert code == 0
    d = json.loads(out)
    assert d["test"] == "mantel-byar"
    np.testing.assert_allclose(d["statistic"], COUNTING["hsct"]["cox"]["exact"]["score"],
                               rtol=1e-6)  # fmt: skip
    code, _, err = run(capsys, DATA / "hsct.csv", "--time", "time", "--event", "death",
                       "--exposure", "hsct", "--group", "id")  # fmt: skip
    assert code == 2 and "--exposure" in err


def test_mantel_byar_on_the_seed_cohort_dates(capsys):
    code, out, _ = run(capsys, "--endpoint", "OS", "--origin", "blinatumomab", "--exposure",
                       "hsct_date")  # fmt: skip
    assert code == 0 and "hsct_date as days from the blinatumomab date" in out
