"""``remission export`` writes ADTTE/ADSL; loading them back gives the same endpoints."""

from __future__ import annotations

import json
from pathlib import Path

from remission.cli import main
from remission.cohort.adam import adtte_endpoint, read_adam
from remission.cohort.cohort import load_cohort
from remission.datasets import load_seed_cohort, seed_cohort_path, seed_study_path

SEED = str(seed_cohort_path())
ADAM = Path(__file__).resolve().parents[1] / "cohort" / "data" / "adam"


def test_export_round_trip(tmp_path, capsys):
    tte, adsl = tmp_path / "adtte.xpt", tmp_path / "adsl.xpt"
    assert main(["export", SEED, "--adtte", str(tte), "--adsl", str(adsl)]) == 0
    assert "44 rows" in capsys.readouterr().out
    seed = load_cohort(SEED)
    back = load_cohort(tmp_path)  # the folder: ADSL rows, names of the data dictionary
    assert back.frame.equals(seed.frame)
    export = read_adam(adsl, tte)
    assert export.parameters() == ("EFS", "OS", "CIR", "NRM")
    for name in export.parameters():
        want = seed.endpoint(name, origin="hsct").reset_index(drop=True)
        got = adtte_endpoint(export.adtte, name, competing=name in ("CIR", "NRM"))
        assert got["patient_id"].tolist() == want["patient_id"].tolist()
        assert got["time"].tolist() == want["time"].tolist()
        assert got["event"].tolist() == want["event"].tolist()
    assert 2 in set(adtte_endpoint(export.adtte, "CIR", competing=True)["event"])


def test_seed_export_with_its_study_round_trips(tmp_path, capsys):
    assert main(["export", "--adtte", str(tmp_path / "adtte.xpt"), "--adsl",
                 str(tmp_path / "adsl.xpt"), "--origin", "blinatumomab"]) == 0  # fmt: skip
    assert "(blinatumomab_start_date)" in capsys.readouterr().out
    seed = load_seed_cohort()
    back = load_cohort(tmp_path, study=seed_study_path())
    assert back.frame.equals(seed.frame) and back.data_cutoff == seed.data_cutoff
    export = read_adam(tmp_path / "adsl.xpt", tmp_path / "adtte.xpt")
    for name in ("EFS", "OS"):
        want = seed.endpoint(name, origin="blinatumomab").reset_index(drop=True)
        got = adtte_endpoint(export.adtte, name)
        for c in ("patient_id", "time", "event"):
            assert got[c].tolist() == want[c].tolist()
    assert main(["export", "--adtte", str(tmp_path / "x.xpt"), "--endpoints", "PFS"]) == 2
    assert "unknown endpoint 'PFS'" in capsys.readouterr().err


def _km(capsys, argv) -> dict:
    assert main(argv) == 0
    return json.loads(capsys.readouterr().out)


def test_endpoint_from_adtte_equals_the_derived_one(tmp_path, capsys):
    from_adtte = _km(capsys, ["km", str(ADAM), "--endpoint", "OS", "--group", "SEX", "--json"])
    assert main(["export", SEED, "--adtte", str(tmp_path / "adtte.xpt"), "--adsl",
                 str(tmp_path / "adsl.xpt")]) == 0  # fmt: skip
    capsys.readouterr()
    derived = _km(capsys, ["km", SEED, "--endpoint", "OS", "--group", "sex", "--json"])
    by_group = {g["group"]: g for g in from_adtte["groups"]}
    assert by_group == {g["group"]: g for g in derived["groups"]} and len(by_group) == 2
    assert "from ADTTE" in from_adtte["note"]
    exported = _km(capsys, ["cif", str(tmp_path), "--endpoint", "CIR", "--json"])
    assert exported["causes"] == _km(capsys, ["cif", SEED, "--endpoint", "CIR", "--json"])["causes"]


def test_bad_input_exit_2_and_nothing_written(tmp_path, capsys):
    bad = tmp_path / "in"
    bad.mkdir()
    (bad / "c.csv").write_text("patient_id,sex\nP1,X\n")
    out = tmp_path / "o.xpt"
    assert main(["export", str(bad / "c.csv"), "--adtte", str(out)]) == 2
    err = capsys.readouterr().err
    assert "row 2" in err and "'sex'" in err
    assert main(["export", "--adtte", str(tmp_path / "no" / "o.xpt")]) == 2
    assert main(["export", "--adtte", str(tmp_path / "o.csv")]) == 2
    assert main(["export", str(bad / "c.csv"), "--adsl", str(bad / "c.csv")]) == 2
    assert "refusing to overwrite" in capsys.readouterr().err
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["c.csv", "in"]
    assert (bad / "c.csv").read_text() == "patient_id,sex\nP1,X\n"
    assert main(["km", str(ADAM), "--endpoint", "OS", "--data-cutoff", "2019-01-01"]) == 2


def test_bad_redcap_folder_lists_every_problem_and_exits_2(tmp_path, capsys):
    src = ADAM.parent / "redcap"
    data = (src / "seed_DATA.csv").read_text().replace("\nP02,,,,2,", "\nP02,,,,9,", 1)
    data = data.replace("P03,mrd_assessment,1,", "P03,mrd_assessment,x,", 1)
    (tmp_path / "seed_DATA.csv").write_text(data)
    (tmp_path / "seed_DataDictionary.csv").write_text((src / "seed_DataDictionary.csv").read_text())
    assert main(["export", str(tmp_path), "--adtte", str(tmp_path / "o.xpt")]) == 2
    err = capsys.readouterr().err
    assert "2 problems found" in err
    assert (
        "seed_DATA.csv, row 5, patient P02, column 'sex': code not among the field's choices" in err
    )
    assert "row 9, patient P03, column 'redcap_repeat_instance'" in err
    assert not (tmp_path / "o.xpt").exists()


def test_bad_adtte_exit_2_with_every_problem(tmp_path, capsys):
    import pandas as pd
    import pyreadstat

    adsl = pd.DataFrame({"STUDYID": ["S", "S"], "USUBJID": ["A", "B"], "SEX": ["M", "F"]})
    tte = pd.DataFrame({"USUBJID": ["A", "B", "C"], "PARAMCD": ["OS"] * 3,
                        "AVAL": [10.0, 20.0, 5.0], "CNSR": [0.0, 1.0, 1.0]})  # fmt: skip
    pyreadstat.write_xport(adsl, str(tmp_path / "ADSL.xpt"))
    pyreadstat.write_xport(tte, str(tmp_path / "ADTTE.xpt"))
    assert main(["km", str(tmp_path), "--endpoint", "OS", "--json"]) == 2
    err = capsys.readouterr().err
    assert "ADTTE.xpt, row 4, patient C, column 'USUBJID': subject not in ADSL" in err
    tte.loc[0, "CNSR"] = -1.0
    tte.loc[1, "AVAL"] = float("nan")
    pyreadstat.write_xport(tte, str(tmp_path / "ADTTE.xpt"))
    assert main(["km", str(tmp_path), "--endpoint", "OS", "--group", "SEX"]) == 2
    err = capsys.readouterr().err
    assert "2 problems found" in err and "row 2, patient A, column 'CNSR'" in err
    assert "row 3, patient B, column 'AVAL'" in err
    tte = tte.iloc[:2].assign(CNSR=[0.0, 1.0], AVAL=[10.0, 20.0])
    pyreadstat.write_xport(tte, str(tmp_path / "ADTTE.xpt"))
    assert main(["km", str(tmp_path), "--endpoint", "OS", "--group", "SEX", "--json"]) == 0
    d = json.loads(capsys.readouterr().out)
    assert [(g["group"], g["n"], g["events"]) for g in d["groups"]] == [("F", 1, 0), ("M", 1, 1)]


def test_demo_cohort_round_trips_through_adsl_and_adtte(tmp_path, capsys):
    from remission.datasets.demo import write_demo_cohort

    write_demo_cohort(tmp_path / "in", 200, 4, 3)
    study = str(tmp_path / "in" / "study.yaml")
    out = tmp_path / "out"
    out.mkdir()
    assert main(["export", str(tmp_path / "in" / "cohort.csv"), "--study", study, "--adsl",
                 str(out / "adsl.xpt"), "--adtte", str(out / "adtte.xpt")]) == 0  # fmt: skip
    first = load_cohort(tmp_path / "in" / "cohort.csv", study=study)
    again = load_cohort(out, study=study)  # the study's renames find nothing left to rename
    assert again.frame.equals(first.frame)
    tte = read_adam(out / "adsl.xpt", out / "adtte.xpt").adtte
    want = first.endpoint("OS", origin="hsct").reset_index(drop=True)
    got = adtte_endpoint(tte, "OS")
    assert got["patient_id"].tolist() == want["patient_id"].tolist()
    assert got["time"].tolist() == want["time"].tolist()
    assert got["event"].tolist() == want["event"].tolist()


def test_drop_invalid_leaves_rows_out_and_names_them(tmp_path, capsys):
    import remission.datasets
    from remission.cli import main as run_main

    lines = remission.datasets.seed_cohort_path().read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    cells = lines[1].split(",")
    cells[header.index("sex")] = "X"
    bad = tmp_path / "bad.csv"
    bad.write_text("\n".join([lines[0], ",".join(cells), *lines[2:]]) + "\n", encoding="utf-8")
    study = str(remission.datasets.seed_study_path())
    out = tmp_path / "adsl.xpt"
    assert run_main(["export", str(bad), "--study", study, "--adsl", str(out)]) == 2
    assert not out.exists()
    capsys.readouterr()
    assert run_main(["export", str(bad), "--study", study, "--adsl", str(out),
                     "--drop-invalid"]) == 0  # fmt: skip
    text = capsys.readouterr().out
    pid = cells[header.index("patient_id")]
    assert f"1 invalid row(s) left out (--drop-invalid): {pid}" in text
    assert "ADSL, 10 patients" in text
