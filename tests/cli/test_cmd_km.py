"""``remission km`` end to end, in-process: text, JSON shape, bad input, exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from remission.cli import main

DATA = Path(__file__).resolve().parents[1] / "reference" / "data"
AML = str(DATA / "km_aml.csv")


def _json(capsys, argv) -> dict:
    assert main(argv) == 0
    return json.loads(capsys.readouterr().out)


def test_json_shape_and_values(capsys) -> None:
    d = _json(
        capsys,
        ["km", AML, "--time", "time", "--event", "status", "--group", "group",
         "--at", "12,24", "--rmst", "48", "--conf-type", "log", "--json"],
    )  # fmt: skip
    assert d["conf_type"] == "log" and d["conf_level"] == 0.95
    assert d["n_excluded"] == 0 and d["excluded"] == []
    assert [g["group"] for g in d["groups"]] == ["Maintained", "Nonmaintained"]
    g = d["groups"][0]
    assert (g["n"], g["events"]) == (11, 7)
    # R: quantile(survfit(Surv(time, status) ~ x, aml), 0.5): Maintained 31 (18, NA)
    assert g["median"] == {"time": 31.0, "lower": 18.0, "upper": None}
    assert [a["time"] for a in g["at"]] == [12.0, 24.0]
    assert g["at"][0]["n_risk"] == 10
    assert g["rmst"]["tau"] == 48.0 and g["rmst"]["rmst"] == pytest.approx(31.84318, rel=1e-6)
    assert g["table"][0] == pytest.approx(
        {"time": 9.0, "n_risk": 11, "n_event": 1, "n_censor": 0, "survival": 10 / 11,
         "std_err": 0.08667842, "lower": 0.7541338, "upper": 1.0},
        rel=1e-6,
    )  # fmt: skip


def test_text_output(capsys) -> None:
    assert main(["km", AML, "--time", "time", "--event", "status", "--at", "12"]) == 0
    out = capsys.readouterr().out
    assert "Kaplan-Meier estimates" in out and "Pointwise 95% CI: log-log" in out
    assert "median survival (95% CI)" in out and "at chosen times" in out


def test_excluded_rows_are_reported(tmp_path, capsys) -> None:
    f = tmp_path / "d.csv"
    f.write_text("t,e\n1,1\n,0\n3,\n4,0\n")
    d = _json(capsys, ["km", str(f), "--time", "t", "--event", "e", "--json"])
    assert d["n_excluded"] == 2
    assert d["excluded"] == [{"row": 3, "reason": "missing t"}, {"row": 4, "reason": "missing e"}]
    assert main(["km", str(f), "--time", "t", "--event", "e"]) == 0
    assert "Excluded 2 row(s)" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("content", "args", "message"),
    [
        ("t,e\n1,1\n", ["--time", "x", "--event", "e"], "column not found"),
        ("t,e\n1,1\n-3,0\nabc,1\n", ["--time", "t", "--event", "e"], "row 3"),
        ("t,e\n1,1\n2,7\n", ["--time", "t", "--event", "e"], "event code not allowed"),
        ("t,e\n1,0\n2,0\n", ["--time", "t", "--event", "e"], "no events at all"),
        ("t,e\n1,1\n", ["--time", "t", "--event", "e", "--conf-level", "95"], "--conf-level"),
        ("t,e\n1,1\n", ["--time", "t", "--event", "e", "--at", "1,x"], "--at"),
        ("t,e\n1,1\n", ["--event", "e"], "--time"),
    ],
)
def test_bad_input_exits_2_with_a_clear_line(tmp_path, capsys, content, args, message) -> None:
    f = tmp_path / "d.csv"
    f.write_text(content)
    assert main(["km", str(f), *args]) == 2
    captured = capsys.readouterr()
    assert message in captured.err and "Traceback" not in captured.err
    assert captured.out == ""


def test_bad_row_message_names_row_column_value(tmp_path, capsys) -> None:
    f = tmp_path / "d.csv"
    f.write_text("t,e\n1,1\n-3,0\nabc,1\n")
    assert main(["km", str(f), "--time", "t", "--event", "e"]) == 2
    err = capsys.readouterr().err
    assert "2 problems" in err and "row 3" in err and "row 4" in err and "'abc'" in err
