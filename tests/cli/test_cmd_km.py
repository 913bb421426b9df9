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
    assert main(["km", AML, "--time", "time", "--event", "status", "--at", "12", "--table"]) == 0
    out = capsys.readouterr().out
    assert "Kaplan-Meier estimates" in out and "Pointwise 95% CI: log-log" in out
    assert "median survival (95% CI)" in out and "at chosen times" in out


def test_summary_by_default_fits_the_screen(capsys) -> None:
    # AML (R's survival::aml): 23 patients, 18 events
    assert main(["km", AML, "--time", "time", "--event", "status", "--at", "12"]) == 0
    out = capsys.readouterr().out
    assert "group" in out and "S(12) (95% CI)" in out and "std.err" not in out
    row = next(line for line in out.splitlines() if line.startswith("all"))
    assert row.split()[:3] == ["all", "23", "18"]
    assert len(out.splitlines()) < 10


def test_unit_converts_printed_times_and_at(capsys) -> None:
    assert main(["km", "--endpoint", "OS", "--unit", "years", "--at", "1,3"]) == 0
    out = capsys.readouterr().out
    assert "times in years" in out and "S(1) (95% CI)" in out and "S(3) (95% CI)" in out
    # 3-year OS after HSCT on the seed cohort: 80.8 % (README)
    assert "0.808" in out
    assert main(["km", AML, "--time", "time", "--event", "status", "--unit", "years"]) == 2


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


def test_all_censored_gives_survival_one_with_a_note(tmp_path, capsys) -> None:
    f = tmp_path / "c.csv"
    f.write_text("t,e\n2,0\n4,0\n4,0\n7,0\n")
    d = _json(capsys, ["km", str(f), "--time", "t", "--event", "e", "--at", "3,10", "--json"])
    assert "every row is censored" in d["note"]
    g = d["groups"][0]
    assert [r["survival"] for r in g["table"]] == [1.0, 1.0, 1.0]
    assert g["at"][0]["survival"] == 1.0 and g["at"][0]["n_risk"] == 3
    assert g["at"][1]["survival"] is None  # beyond the last time, as R drops the row


def test_extend_carries_the_last_value_forward(capsys) -> None:
    # R: summary(survfit(Surv(time, status) ~ 1, aml), times = 200, extend = TRUE):
    # n.risk 0, survival 0.0828 (the value after the last event, at 161 censored)
    argv = ["km", AML, "--time", "time", "--event", "status", "--at", "200", "--json"]
    plain = _json(capsys, argv)["groups"][0]["at"][0]
    ext = _json(capsys, [*argv, "--extend"])["groups"][0]["at"][0]
    assert plain["survival"] is None and ext["n_risk"] == 0
    assert ext["survival"] == pytest.approx(0.0828, abs=5e-5)


def test_quantiles(capsys) -> None:
    # R: quantile(survfit(Surv(time, status) ~ x, aml, conf.type = "log-log"),
    #             c(0.25, 0.5, 0.75)): Maintained 18 (9, 34), 31 (13, NA), 48 (31, NA)
    d = _json(capsys, ["km", AML, "--time", "time", "--event", "status", "--group", "group",
                       "--quantiles", "0.25,0.5,0.75", "--json"])  # fmt: skip
    q = d["groups"][0]["quantiles"]
    assert q == [{"p": 0.25, "time": 18.0, "lower": 9.0, "upper": 34.0},
                 {"p": 0.5, "time": 31.0, "lower": 13.0, "upper": None},
                 {"p": 0.75, "time": 48.0, "lower": 31.0, "upper": None}]  # fmt: skip


def test_bad_quantile_is_a_usage_error(capsys) -> None:
    assert main(["km", AML, "--time", "time", "--event", "status", "--quantiles", "50"]) == 2
    assert "between 0 and 1" in capsys.readouterr().err


def test_entry_and_simon_makuch(capsys) -> None:
    cp = str(DATA / "counting.csv")
    d = _json(capsys, ["km", cp, "--time", "stop", "--event", "status", "--entry", "start",
                       "--json"])  # fmt: skip
    assert d["groups"][0]["n"] == 60 and d["timefix"]["merged"] == 0
    hsct = str(DATA / "hsct.csv")
    d = _json(capsys, ["km", hsct, "--time", "time", "--event", "death", "--exposure", "hsct",
                       "--json"])  # fmt: skip
    assert [g["group"] for g in d["groups"]] == ["unexposed", "exposed"]
    assert "Simon-Makuch" in d["note"]


def test_weights(capsys) -> None:
    w = str(DATA / "weighted.csv")
    d = _json(capsys, ["km", w, "--time", "stop", "--event", "status", "--weights", "wfrac",
                       "--json"])  # fmt: skip
    assert d["variance"] == "robust"
    d = _json(capsys, ["km", w, "--time", "stop", "--event", "status", "--weights", "wfrac",
                       "--variance", "greenwood", "--json"])  # fmt: skip
    assert d["variance"] == "greenwood"
    assert main(["km", w, "--time", "stop", "--event", "status", "--variance", "robust"]) == 2


def _seed_with_bad_row(tmp_path: Path) -> tuple[Path, Path, Path]:
    """The seed cohort with patient 3's sex made invalid, the same without that row, and
    the seed's study file."""
    import remission.datasets

    lines = remission.datasets.seed_cohort_path().read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    cells = lines[3].split(",")
    cells[header.index("sex")] = "X"
    bad, good = tmp_path / "bad.csv", tmp_path / "good.csv"
    bad.write_text("\n".join([*lines[:3], ",".join(cells), *lines[4:]]) + "\n", encoding="utf-8")
    good.write_text("\n".join([*lines[:3], *lines[4:]]) + "\n", encoding="utf-8")
    return bad, good, remission.datasets.seed_study_path()


def test_drop_invalid_leaves_the_row_out_and_says_so(tmp_path, capsys) -> None:
    bad, good, study = _seed_with_bad_row(tmp_path)
    base = ["--study", str(study), "--endpoint", "OS", "--origin", "blinatumomab", "--json"]
    assert main(["km", str(bad), *base]) == 2
    assert "column 'sex'" in capsys.readouterr().err
    dropped = _json(capsys, ["km", str(bad), *base, "--drop-invalid"])
    kept = _json(capsys, ["km", str(good), *base])
    assert dropped["groups"] == kept["groups"]
    pid = bad.read_text(encoding="utf-8").splitlines()[3].split(",")[0]
    assert dropped["excluded_patients"] == [
        {"patient_id": pid, "reason": "invalid input (--drop-invalid)"}
    ]
    assert main(["km", str(bad), *base[:-1], "--drop-invalid"]) == 0
    assert f"excluded 1: invalid input (--drop-invalid) 1 ({pid})" in capsys.readouterr().out


def test_drop_invalid_needs_endpoint_and_the_memory_engine(tmp_path, capsys) -> None:
    assert main(["km", AML, "--time", "time", "--event", "status", "--drop-invalid"]) == 2
    assert "--drop-invalid is for cohorts read with --endpoint" in capsys.readouterr().err
    bad, _, study = _seed_with_bad_row(tmp_path)
    argv = ["km", str(bad), "--study", str(study), "--endpoint", "OS", "--drop-invalid"]
    assert main([*argv, "--engine", "duckdb"]) == 2
    assert "use --engine memory" in capsys.readouterr().err
