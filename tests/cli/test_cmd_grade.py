"""`remission grade`: JSON shape, text with reasons, and nothing printed on bad input."""

import json
from pathlib import Path

from remission.cli import main

DATA = Path(__file__).parents[1] / "toxicity" / "data"
SEED = DATA / "seed_cohort_observations.csv"
EXAMPLES = DATA / "examples_observations.csv"


def run_json(capsys, *args):
    assert main(["grade", *args, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_json_shape_and_seed_grades(capsys):
    out = run_json(capsys, str(SEED))
    assert out["system"] == "astct"
    assert {"system", "assessments", "patients"} <= set(out)
    a = out["assessments"][0]
    assert {"patient_id", "time", "crs_grade", "icans_grade", "reason"} <= set(a)
    assert len(out["assessments"]) == 14
    pts = {p["patient_id"]: p for p in out["patients"]}
    assert {k: (p["max_crs_grade"], p["max_icans_grade"]) for k, p in pts.items()} == {
        "P03": (1, 0), "P07": (2, 2), "P09": (1, 0),
    }  # fmt: skip
    assert (pts["P07"]["crs_onset_day"], pts["P07"]["crs_duration_days"]) == (2, 2.0)
    assert {"patient_id", "max_crs_grade", "max_icans_grade", "crs_onset_day",
            "crs_duration_days"} <= set(pts["P03"])  # fmt: skip
    assert out["disagreements"] == []
    assert out["cohort"]["CRS"]["source"] == "observations"


def test_system_ctcae5(capsys):
    astct = run_json(capsys, str(EXAMPLES))
    ctcae = run_json(capsys, str(EXAMPLES), "--system", "ctcae5")
    assert ctcae["system"] == "ctcae5"
    pick = [(x["patient_id"], x["time"], x["crs_grade"]) for x in ctcae["assessments"]]
    assert ("A01", "2024-05-02T08:00:00", 4) in pick  # vasopressin + one: CTCAE 4, ASTCT 3
    assert ("I01", "2024-06-11", 2) in pick  # hypotension without fever: CTCAE 2, ASTCT 0
    assert astct["disagreements"] == ctcae["disagreements"]
    assert len(astct["disagreements"]) == 2


def test_text_output_gives_reasons(capsys):
    assert main(["grade", str(EXAMPLES)]) == 0
    out = capsys.readouterr().out
    assert "grade 3: hypoxia on high-flow 7 L/min (> 6 L/min)" in out
    assert "grade 4: unarousable, so the CAPD cannot be performed" in out
    assert "CRS grades that differ between ASTCT 2019 and CTCAE v5.0" in out


def test_bad_input_prints_problems_and_writes_nothing(tmp_path, capsys, monkeypatch):
    bad = tmp_path / "bad.csv"
    bad.write_text("patient_id,time,age_years,oxygen\nA,2024-05-01,1,nasal\nB,2024-13-01,1,none\n")
    monkeypatch.chdir(tmp_path)
    before = sorted(tmp_path.iterdir())
    assert main(["grade", str(bad), "--json"]) == 2
    cap = capsys.readouterr()
    assert cap.out == ""
    assert "2 problems found" in cap.err
    assert "row 2, patient A, column 'oxygen'" in cap.err
    assert "row 3, patient B, column 'time'" in cap.err
    assert "Traceback" not in cap.err
    assert sorted(tmp_path.iterdir()) == before


def test_missing_file(tmp_path, capsys):
    assert main(["grade", str(tmp_path / "none.csv")]) == 2
    assert "file not found" in capsys.readouterr().err


PREMED = DATA / "premedication_observations.csv"


def test_premedication_cohort_from_the_command_line(capsys):
    out = run_json(capsys, str(PREMED))
    assert {p["patient_id"]: p["max_crs_grade"] for p in out["patients"]} == {
        "M01": 0, "M02": 2, "M03": 0, "M04": 2,
    }  # fmt: skip
    assert out["rules"]["crs_episode_end_hours"] == 72.0
    assert out["notes"] == []
    # without an episode end, the afebrile hypotension of M02 17 days later is CRS 2
    out = run_json(capsys, str(PREMED), "--crs-episode-end-hours", "1000")
    m02 = [a["crs_grade"] for a in out["assessments"] if a["patient_id"] == "M02"]
    assert m02 == [0, 1, 2, 0, 0, 2]


def test_bad_rule_option_is_a_usage_error(capsys):
    assert main(["grade", str(PREMED), "--crs-episode-end-hours", "-5"]) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and "crs_episode_end_hours" in captured.err


def test_old_spontaneous_files_get_a_note_and_an_option(tmp_path, capsys):
    old = tmp_path / "old.csv"
    old.write_text(SEED.read_text().replace(",alert,", ",spontaneous,"))
    assert main(["grade", str(old)]) == 0
    assert "note: " in capsys.readouterr().err  # said on stderr, stdout stays the table
    out = run_json(capsys, str(old))
    assert "never 'alert'" in out["notes"][0] and "--spontaneous-as-alert" in out["notes"][0]
    icans = {p["patient_id"]: p["max_icans_grade"] for p in out["patients"]}
    assert icans == {"P03": 1, "P07": 2, "P09": 1}  # 'awakens spontaneously' is grade 1
    out = run_json(capsys, str(old), "--spontaneous-as-alert")
    assert out["notes"] == []
    icans = {p["patient_id"]: p["max_icans_grade"] for p in out["patients"]}
    assert icans == {"P03": 0, "P07": 2, "P09": 0}
