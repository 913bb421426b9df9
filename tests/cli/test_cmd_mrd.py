"""``remission mrd``: interpret a run (text, JSON, CSV, figure) and classify a response."""

import csv
import io
import json
from pathlib import Path

import pytest

from remission.cli import main

DATA = Path(__file__).parents[1] / "mrd" / "data"
RUN = str(DATA / "run_single_marker.csv")


def test_interpret_prints_table_with_reasons(capsys):
    assert main(["mrd", "interpret", RUN]) == 0
    out = capsys.readouterr().out
    assert "marker IGH-1 (standards: DX): accepted" in out
    assert "quantitative range 0.0001 to 0.1" in out
    for cls in ("quantifiable", "positive_not_quantifiable", "negative"):
        assert cls in out
    assert "at background level" in out
    assert "negative: no amplification in 3/3 replicates; sensitivity 1.08x10^-5" in out


def test_interpret_json(capsys):
    assert main(["mrd", "interpret", RUN, "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    (m,) = data["run"]["markers"]
    for key in ("slope", "intercept", "r2", "efficiency", "quantitative_range", "sensitivity"):
        assert data["run"][key] == m[key]
    assert data["run"]["accepted"] is True
    assert set(m) >= {"slope", "intercept", "r2", "efficiency", "accepted"}
    assert m["quantitative_range"] == [1e-4, 1e-1]
    assert m["sensitivity"] == 1e-5
    classes = {r["sample"]: r["class"] for r in data["results"]}
    assert classes["FU-LOW"] == "positive_not_quantifiable"
    assert classes["FU-BACKGROUND"] == "negative"  # background level: negative by default
    background = next(r for r in data["results"] if r["sample"] == "FU-BACKGROUND")
    assert background["background_level"] is True
    assert background["sensitivity"] is not None
    assert set(data["results"][0]) >= {
        "sample",
        "marker",
        "class",
        "level",
        "sensitivity",
        "reason",
    }
    assert data["rules"]["r2_min"] == 0.98


def test_interpret_csv(capsys):
    assert main(["mrd", "interpret", RUN, "--csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert len(rows) == 7
    assert rows[0]["class"] == "quantifiable" and float(rows[0]["level_percent"]) > 0


def test_interpret_writes_the_figure_only_where_asked(tmp_path, capsys):
    fig = tmp_path / "curve.png"
    assert main(["mrd", "interpret", RUN, "--figure", str(fig)]) == 0
    assert fig.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["curve.png"]
    assert f"figure written to {fig}" in capsys.readouterr().out


def test_rule_options_change_the_result(capsys):
    assert main(["mrd", "interpret", RUN, "--json", "--slope-max", "-3.5"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["run"]["accepted"] is False
    assert data["results"][0]["reason"].startswith("run not accepted: slope failed")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--figure", "x.gif"], "expected a name ending in .png"),
        (["--figure", "no/such/folder/x.png"], "does not exist"),
        (["--slope-min", "-3.0", "--slope-max", "-3.5"], "slope_min < slope_max"),
    ],
)
def test_usage_errors(tmp_path, monkeypatch, capsys, args, message):
    monkeypatch.chdir(tmp_path)
    assert main(["mrd", "interpret", RUN, *args]) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err
    assert list(tmp_path.iterdir()) == []


def test_bad_run_file_lists_every_problem_and_writes_nothing(tmp_path, capsys):
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "sample,marker,role,dilution,replicate,ct\n"
        "DX,IGH,standard,1e-1,1,23.3\n"
        "DX,IGH,standard,1e-1,1,23.4\n"
        "FU,IGH,followup,,1,thirty\n"
        "FU,IGH,blank,,2,30\n",
        encoding="utf-8",
    )
    fig = tmp_path / "f.png"
    assert main(["mrd", "interpret", str(bad), "--figure", str(fig)]) == 2
    err = capsys.readouterr().err
    assert "3 problems found" in err
    assert "row 3" in err and "duplicated well" in err
    assert "row 4, column 'ct': sample 'FU': Ct is not a number (value 'thirty')" in err
    assert "row 5" in err and "unknown role" in err
    assert not fig.exists()


def test_missing_run_file(capsys):
    assert main(["mrd", "interpret", "does-not-exist.csv"]) == 2
    assert "file not found" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("pre", "post", "start"),
    [
        ("0.28", "0.06", "no_response: still positive (0.28 -> 0.06); log reduction 0.67 < 1"),
        ("0.3", "0.05", "no_response: still positive (0.3 -> 0.05); log reduction 0.78 < 1"),
        ("N/A", "<0.005", "complete: MRD-negative after treatment at sensitivity 0.005 %"),
        ("1", "0.05", "partial:"),
    ],
)
def test_response(capsys, pre, post, start):
    assert main(["mrd", "response", pre, post]) == 0
    assert capsys.readouterr().out.startswith(start)


def test_response_json_and_options(capsys):
    assert main(["mrd", "response", "0.28", "0.06", "--json", "--partial-log", "0.5"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["category"] == "partial"
    assert data["rules"]["partial_min_log_reduction"] == 0.5


def test_response_bad_value(capsys):
    assert main(["mrd", "response", "lots", "0.06"]) == 2
    assert "PRE 'lots'" in capsys.readouterr().err


def test_mrd_needs_an_action(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["mrd"])
    assert exc.value.code == 2


def test_kinetics_command(tmp_path, capsys):
    table = tmp_path / "mrd.csv"
    table.write_text("patient,time,mrd\n5,0,0.28\n5,30,0.06\n1,0,0.1\n1,30,<0.005\n")
    fig = tmp_path / "k.svg"
    assert main(["mrd", "kinetics", str(table), "--json", "--figure", str(fig)]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["5"]["best_response"]["category"] == "no_response"
    assert data["1"]["first_negative_time"] == 30
    assert fig.exists()


def test_kinetics_bad_table(tmp_path, capsys):
    table = tmp_path / "mrd.csv"
    table.write_text("patient,time,mrd\n5,0,lots\n")
    assert main(["mrd", "kinetics", str(table)]) == 2
    assert (
        "row 2, patient 5, column 'mrd': not an MRD result (value 'lots')"
        in capsys.readouterr().err
    )
