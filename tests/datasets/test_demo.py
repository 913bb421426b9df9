"""The synthetic demo cohort (remission.datasets.demo) goes through the whole path with
no code change: its own headers and codes, study columns, a second intervention, extra
columns, a data cut-off earlier than its last events."""

import json

import pandas as pd
import pytest

from remission.cli import main
from remission.cohort.cohort import load_cohort
from remission.datasets.demo import DEMO_CUTOFF, demo_cohort, write_demo_cohort


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    return write_demo_cohort(tmp_path_factory.mktemp("demo"), n=400, centres=5, seed=3)


def test_deterministic_and_sized():
    a, b = demo_cohort(50, 4, seed=7), demo_cohort(50, 4, seed=7)
    pd.testing.assert_frame_equal(a, b)
    assert len(a) == 50 and a["Centre"].nunique() <= 4
    assert {"Pt ID", "DOB", "Date of Tx", "CAR-T infusion date", "risk_group", "wbc"} <= set(a)
    assert set(a["Sex"]) == {"1", "2"}


def test_loads_through_its_study_file(demo):
    cohort_csv, study = demo
    c = load_cohort(cohort_csv, study=study)
    assert c.n == 400 and c.data_cutoff == DEMO_CUTOFF
    assert set(c.frame["sex"]) == {"M", "F"}
    assert c.references["risk_group"] == "standard" and len(c.levels["risk_group"]) == 6
    assert c.levels["risk_group"][0] == "very low"  # the clinical order
    assert set(c.origins) >= {"cart", "inotuzumab", "hsct", "diagnosis"}
    assert c.frame["age_at_cart_years"].notna().all()  # computed from the dates
    rfs = c.endpoint("RFS", origin="cart")
    assert len(rfs) == 400 and rfs.attrs["after_cutoff"] > 0
    assert rfs["time"].max() <= (DEMO_CUTOFF - pd.Timestamp("2016-01-01").date()).days


def test_commands_run_on_it(demo, capsys, tmp_path):
    cohort_csv, study = demo
    base = [str(cohort_csv), "--study", str(study)]
    assert main(["validate", *base]) == 0
    assert "risk_group" in capsys.readouterr().out
    assert main(["km", *base, "--endpoint", "RFS", "--origin", "cart", "--group",
                 "risk_group", "--json"]) == 0  # fmt: skip
    groups = [g["group"] for g in json.loads(capsys.readouterr().out)["groups"]]
    # the declared (clinical) order: the trend test's scores 1..6
    assert groups == ["very low", "low", "standard", "intermediate", "high", "very high"]
    assert main(["compare", *base, "--endpoint", "OS", "--origin", "cart_infusion_date",
                 "--group", "risk_group", "--test", "trend"]) == 0  # fmt: skip
    assert main(["cif", *base, "--endpoint", "CIR", "--origin", "cart"]) == 0
    assert main(["cox", *base, "--endpoint", "EFS", "--origin", "cart", "--covariates",
                 "risk_group,wbc,sex", "--reference", "sex=F"]) == 0  # fmt: skip
    out = capsys.readouterr().out
    assert "risk_groupvery low" in out and "sexM" in out and "risk_groupstandard" not in out


def test_cox_with_mrd_numeric_and_six_level_covariates(demo, capsys):
    cohort_csv, study = demo
    argv = ["cox", str(cohort_csv), "--study", str(study), "--endpoint", "EFS", "--origin",
            "cart", "--covariates", "mrd_pre_percent,wbc,risk_group"]  # fmt: skip
    assert main([*argv, "--mrd-transform", "log10:0.01"]) == 0
    out = capsys.readouterr().out
    dummies = [ln.split()[0] for ln in out.splitlines() if ln.startswith("risk_group")]
    assert dummies == ["risk_groupvery", "risk_grouplow", "risk_groupintermediate",
                       "risk_grouphigh", "risk_groupvery"]  # fmt: skip
    assert "\nmrd_pre_percent " in out and "\nwbc " in out
    # patients left out for a missing value are named by their spreadsheet row
    assert main(["cox", str(cohort_csv), "--study", str(study), "--endpoint", "EFS",
                 "--origin", "cart", "--covariates", "wbc", "--json"]) == 0  # fmt: skip
    excluded = json.loads(capsys.readouterr().out)["excluded"]
    raw = demo_cohort(400, 5, seed=3)
    blank_rows = {i + 2 for i, w in enumerate(raw["wbc"]) if w == ""}
    assert excluded and {e["row"] for e in excluded} == blank_rows


def test_report_by_centre_with_the_study_endpoint(demo, tmp_path, capsys):
    cohort_csv, study = demo
    out = tmp_path / "report"
    argv = ["report", str(cohort_csv), "--study", str(study), "--group", "centre", "-o", str(out)]
    assert main(argv) == 0
    numbers = json.loads((out / "report.json").read_text())
    assert {"RFS_cart", "EFS_cart", "OS_hsct", "EFS_hsct_by_centre"} <= set(numbers["survival"])
    assert numbers["timing_days_cart_to_hsct"]["n"] > 0
    table1 = (out / "tables" / "table1.csv").read_text()
    assert "Risk group" in table1 and "WBC" in table1
