"""``remission cif`` end to end, in process."""

import json
from pathlib import Path

import pytest

from remission.cli import main

DATA = Path(__file__).parents[1] / "reference" / "data"
REF = json.loads((Path(__file__).parents[1] / "reference" / "cif.json").read_text())


def run(capsys, *argv):
    code = main(["cif", *map(str, argv)])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_json_shape_and_values(capsys):
    argv = [DATA / "crsim.csv", "--time", "time", "--event", "status", "--group", "group"]
    code, out, err = run(capsys, *argv, "--strata", "site", "--at", "98,364,5000", "--json")
    assert code == 0 and err == ""
    d = json.loads(out)
    assert {"causes", "gray"} <= set(d)
    first = d["causes"][0]
    assert (first["cause"], first["group"]) == (1, "A")
    assert [a["time"] for a in first["at"]] == [98, 364, 5000]
    assert first["at"][2] == {
        "time": 5000, "estimate": None, "variance": None, "lower": None, "upper": None
    }  # fmt: skip
    ref = next(c for c in REF["cases"] if c["name"] == "crsim by group strata site")
    refcurve = next(c for c in ref["curves"] if c["group"] == "A" and c["cause"] == "1")
    i = refcurve["times"].index(98)
    assert first["at"][0]["estimate"] == pytest.approx(refcurve["estimate"][i], rel=1e-6)
    assert first["at"][0]["variance"] == pytest.approx(refcurve["variance"][i], rel=1e-6)
    assert first["at"][0]["lower"] < first["at"][0]["estimate"] < first["at"][0]["upper"]
    gray = {g["cause"]: g for g in d["gray"]}
    assert gray[1]["statistic"] == pytest.approx(ref["gray"][0]["statistic"], rel=1e-6)
    assert gray[1]["df"] == 2


def test_text_output_without_groups(capsys):
    code, out, _ = run(capsys, DATA / "crties.csv", "--time", "time", "--event", "status",
                       "--table")  # fmt: skip
    assert code == 0
    assert "cause 1" in out and "cause 3" in out and "Gray" not in out
    assert "0.0667" in out  # F1(1) = 1/15


def test_summary_by_default_is_the_last_time_only(capsys):
    code, full, _ = run(capsys, DATA / "crties.csv", "--time", "time", "--event", "status",
                        "--table")  # fmt: skip
    code, out, _ = run(capsys, DATA / "crties.csv", "--time", "time", "--event", "status")
    assert code == 0 and "cause 1" in out
    assert len(out.splitlines()) < len(full.splitlines())
    # each cause's block: the header and one line, the full table's last line
    block = out.split("cause 1")[1].split("cause")[0].strip().splitlines()
    last = full.split("cause 1")[1].split("cause")[0].strip().splitlines()[-1]
    assert len(block) == 2 and block[1].split() == last.split()


def test_problems(capsys, tmp_path):
    f = tmp_path / "cr.csv"
    f.write_text("t,e\n1,1\n2,x\n3,-1\n,2\n")
    code, _, err = run(capsys, f, "--time", "t", "--event", "e")
    assert code == 2 and "2 problems" in err and "row 3" in err and "row 4" in err
    code, _, err = run(
        capsys, DATA / "crties.csv", "--time", "time", "--event", "status", "--at", "1,x"
    )
    assert code == 2 and "--at" in err


def test_endpoint_causes_are_named(capsys):
    import json

    from remission.cli import main

    assert main(["cif", "--endpoint", "CIR", "--origin", "hsct", "--at", "365", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    labels = {c["cause"]: c["cause_label"] for c in out["causes"]}
    assert labels == {1: "relapse", 2: "death without relapse (competing)"}
    # 4 relapses (days 35, 92, 108, 133) and 1 death in CR (day 57) among 11 patients
    at = {c["cause"]: c["at"][0]["estimate"] for c in out["causes"]}
    assert at[2] == pytest.approx(1 / 11, rel=1e-12)
