"""MRD columns in cox/km enter through a stated transform; too many levels fail fast."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from remission.cli import main
from remission.cohort.problems import InputError
from remission.datasets import load_seed_cohort
from remission.stats.cox import cox

REF = json.loads((Path(__file__).resolve().parents[1] / "reference" / "mrd_covariate.json")
                 .read_text())  # fmt: skip


def _json(capsys, argv) -> dict:
    assert main(argv) == 0
    return json.loads(capsys.readouterr().out)


def test_seed_cox_mrd_log10_agrees_with_r(capsys):
    d = _json(capsys, ["cox", "--endpoint", "EFS", "--covariates", "mrd_pre_percent", "--json"])
    (c,) = d["coefficients"]
    r = REF["log10_pre"]
    assert (d["n"], d["events"], len(d["excluded"])) == (r["n"], r["events"], r["excluded"])
    assert c["coef"] == pytest.approx(r["coef"], rel=1e-6)
    assert c["se"] == pytest.approx(r["se"], rel=1e-6)
    assert "log10 of the MRD level" in d["note"]
    assert [(e["row"], e["reason"]) for e in d["excluded"]] == [
        (4, "missing mrd_pre_percent"),
        (5, "missing mrd_pre_percent"),
        (12, "missing mrd_pre_percent"),
    ]


def test_seed_cox_mrd_cut_agrees_with_r(capsys):
    d = _json(capsys, ["cox", "--endpoint", "EFS", "--covariates", "mrd_post_percent",
                       "--mrd-transform", "cut:0.01,0.1", "--json"])  # fmt: skip
    r = REF["cut_post"]
    (c,) = d["coefficients"]
    assert c["name"] == r["names"].replace("cat_post", "mrd_post_percent")
    assert c["coef"] == pytest.approx(r["coef"], rel=1e-6)
    assert c["se"] == pytest.approx(r["se"], rel=1e-6)


def test_no_per_value_dummies_and_every_coefficient_finite(capsys):
    for endpoint in ("EFS", "OS"):
        d = _json(capsys, ["cox", "--endpoint", endpoint, "--covariates",
                           "mrd_pre_percent,mrd_post_percent", "--json"])  # fmt: skip
        names = [c["name"] for c in d["coefficients"]]
        assert names == ["mrd_pre_percent", "mrd_post_percent"]
    d = _json(capsys, ["cox", "--endpoint", "EFS", "--covariates", "mrd_pre_percent", "--json"])
    assert all(math.isfinite(c["coef"]) for c in d["coefficients"])


def test_group_on_mrd_is_cut_with_negative_first(capsys):
    d = _json(capsys, ["km", "--endpoint", "EFS", "--group", "mrd_post_percent", "--json"])
    assert [g["group"] for g in d["groups"]] == ["negative", ">=0.01%"]
    assert "MRD categories negative / <0.01% / >=0.01%" in d["note"]


def test_bad_transform_and_unplaceable_results_exit_2(capsys):
    assert main(["cox", "--endpoint", "EFS", "--covariates", "mrd_pre_percent",
                 "--mrd-transform", "cut:0.1,0.01"]) == 2  # fmt: skip
    assert "--mrd-transform" in capsys.readouterr().err


def test_mrd_values_given_straight_to_cox_are_refused():
    f = load_seed_cohort().endpoint("EFS", origin="hsct")
    with pytest.raises(InputError, match="MRD results need a transform"):
        cox(f, "time", "event", ["mrd_pre_percent"])


def test_a_1000_level_category_is_refused_before_the_design_matrix():
    rng = np.random.default_rng(1)
    n = 3000
    df = pd.DataFrame({"time": rng.exponential(100, n).round() + 1,
                       "event": rng.integers(0, 2, n),
                       "site": [f"S{i % 1000:04d}" for i in range(n)]})  # fmt: skip
    with pytest.raises(InputError) as exc:
        cox(df, "time", "event", ["site"])
    (p,) = exc.value.problems
    assert p.column == "site" and "has 1000 levels, too many for a model" in p.message
    assert "at most 50 levels" in str(p)


def test_plain_table_mrd_text_is_detected_and_column_specs_apply(tmp_path, capsys):
    f = load_seed_cohort().endpoint("EFS", origin="hsct")
    plain = pd.DataFrame({"time": f["time"], "event": f["event"],
                          "pre": [str(v) for v in f["mrd_pre_percent"]],
                          "post": [str(v) for v in f["mrd_post_percent"]]})  # fmt: skip
    path = tmp_path / "plain.csv"
    plain.to_csv(path, index=False)
    base = ["cox", str(path), "--time", "time", "--event", "event", "--json"]
    # "post" is written in MRD notation (<0.005): found and log10-transformed by default
    d = _json(capsys, [*base, "--covariates", "post"])
    assert [c["name"] for c in d["coefficients"]] == ["post"] and "post: log10" in d["note"]
    # "pre" holds plain numbers: MRD only when named, then it equals the cohort's fit
    d = _json(capsys, [*base, "--covariates", "pre", "--mrd-transform", "pre=log10"])
    assert d["coefficients"][0]["coef"] == pytest.approx(REF["log10_pre"]["coef"], rel=1e-6)
    assert main([*base, "--covariates", "pre", "--mrd-transform", "nope=log10"]) == 2
    assert "--mrd-transform names nope" in capsys.readouterr().err
    assert main([*base, "--covariates", "pre", "--mrd-transform", "log10",
                 "--mrd-transform", "cut:0.01"]) == 2  # fmt: skip


def test_trend_test_follows_the_mrd_category_order(tmp_path, capsys):
    rng = np.random.default_rng(7)
    n = 400
    codes = rng.integers(0, 4, n)
    text = np.array(["<0.005", "0.005", "0.05", "5"])[codes]
    time = rng.exponential(100 / (1 + codes), n).round() + 1
    df = pd.DataFrame({"time": time, "event": rng.integers(0, 2, n), "mrd": text, "code": codes})
    path = tmp_path / "t.csv"
    df.to_csv(path, index=False)
    base = ["compare", str(path), "--time", "time", "--event", "event", "--test", "trend"]
    by_mrd = _json(capsys, [*base, "--group", "mrd", "--mrd-transform", "cut:0.01,0.1", "--json"])
    by_code = _json(capsys, [*base, "--group", "code", "--json"])
    assert [g["group"] for g in by_mrd["groups"]] == ["negative", "<0.01%", "0.01-<0.1%",
                                                       ">=0.1%"]  # fmt: skip
    assert by_mrd["statistic"] == pytest.approx(by_code["statistic"], rel=1e-12)


def test_excluded_rows_are_the_rows_of_the_file(tmp_path, capsys):
    from remission.datasets import seed_cohort_path, seed_study_path

    lines = seed_cohort_path().read_text().splitlines()
    path = tmp_path / "reversed.csv"
    path.write_text("\n".join([lines[0], *reversed(lines[1:])]) + "\n")  # P11 on row 2
    d = _json(capsys, ["cox", str(path), "--study", str(seed_study_path()), "--endpoint", "EFS",
                       "--covariates", "mrd_pre_percent", "--json"])  # fmt: skip
    # P03, P04, P11 have no pre-treatment MRD: rows 10, 9 and 2 of the reversed file
    assert [e["row"] for e in d["excluded"]] == [2, 9, 10]


def test_demo_cohort_with_patients_without_origin_and_an_mrd_covariate(tmp_path, capsys):
    from remission.datasets.demo import write_demo_cohort

    write_demo_cohort(tmp_path, 150, 3, 2)
    d = _json(capsys, ["cox", str(tmp_path / "cohort.csv"), "--study", str(tmp_path / "study.yaml"),
                       "--endpoint", "EFS", "--covariates", "mrd_pre_percent,centre", "--json"])  # fmt: skip
    names = [c["name"] for c in d["coefficients"]]
    assert names[0] == "mrd_pre_percent" and len(names) == 3  # log10, and 3 centres
    assert "hsct_date missing" in d["note"] and "log10 of the MRD level" in d["note"]
