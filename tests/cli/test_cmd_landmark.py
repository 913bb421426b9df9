"""``remission landmark`` end to end: text, JSON against R, bad input (exit 2)."""

import json
from pathlib import Path

import numpy as np

from remission.cli import main

DATA = Path(__file__).resolve().parents[1] / "reference" / "data"
REF = json.loads((DATA.parent / "counting.json").read_text())["hsct"]["landmarks"]
HSCT = str(DATA / "hsct.csv")


def run(capsys, *argv):
    code = main(["landmark", *map(str, argv)])
    out, err = capsys.readouterr()
    return code, out, err


def test_json_matches_r(capsys):
    code, out, _ = run(capsys, HSCT, "--time", "time", "--event", "death", "--exposure",
                       "hsct", "--landmarks", "100,180", "--at", "365", "--json")  # fmt: skip
    assert code == 0
    d = json.loads(out)
    for mine, ref in zip(d["landmarks"], REF, strict=True):
        assert mine["landmark"] == ref["landmark"] and mine["n"] == ref["n"]
        np.testing.assert_allclose(mine["test"]["statistic"], ref["chisq"], rtol=1e-6)
        assert [g["group"] for g in mine["km"]["groups"]] == ["unexposed", "exposed"]
        assert mine["km"]["groups"][0]["at"][0]["time"] == 365


def test_text(capsys):
    code, out, _ = run(capsys, HSCT, "--time", "time", "--event", "death", "--exposure",
                       "hsct", "--landmarks", "100")  # fmt: skip
    assert code == 0 and "Landmark 100: 69 patient(s) still at risk" in out
    assert "log-rank chi-square = 0.129" in out


def test_seed_cohort_dates(capsys):
    code, out, _ = run(capsys, "--endpoint", "OS", "--origin", "blinatumomab", "--exposure",
                       "hsct_date", "--landmarks", "30,120")  # fmt: skip
    assert code == 0 and "Landmark 30" in out and "Landmark 120" in out


def test_usage_errors(capsys):
    assert run(capsys, HSCT, "--time", "time", "--event", "death", "--landmarks", "1")[0] == 2
    code, _, err = run(capsys, HSCT, "--time", "time", "--event", "death", "--exposure", "hsct")
    assert code == 2 and "--landmarks" in err
    code, _, err = run(capsys, HSCT, "--time", "time", "--event", "death", "--exposure", "nope",
                       "--landmarks", "10")  # fmt: skip
    assert code == 2 and "column not found" in err


def test_negative_landmark_names_the_option(capsys):
    code, _, err = run(capsys, HSCT, "--time", "time", "--event", "death", "--exposure", "hsct",
                       "--landmarks", "-3")  # fmt: skip
    assert code == 2 and "--landmarks" in err and "negative" in err
