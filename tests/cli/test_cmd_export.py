"""``remission export`` writes ADTTE/ADSL; loading them back gives the same endpoints."""

from __future__ import annotations

import json
from pathlib import Path

from remission.cli import main
from remission.cohort.adam import adtte_endpoint, read_adam
from remission.cohort.cohort import load_cohort
from remission.datasets import load_seed_cohort

ADAM = Path(__file__).resolve().parents[1] / "cohort" / "data" / "adam"


def test_export_round_trip(tmp_path, capsys):
    tte, adsl = tmp_path / "adtte.xpt", tmp_path / "adsl.xpt"
    assert main(["export", "--adtte", str(tte), "--adsl", str(adsl)]) == 0
    assert "44 rows" in capsys.readouterr().out
    seed = load_seed_cohort()
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


def _km(capsys, argv) -> dict:
    assert main(argv) == 0
    return json.loads(capsys.readouterr().out)


def test_endpoint_from_adtte_equals_the_derived_one(tmp_path, capsys):
    from_adtte = _km(capsys, ["km", str(ADAM), "--endpoint", "OS", "--group", "SEX", "--json"])
    assert main(["export", "--adtte", str(tmp_path / "adtte.xpt"), "--adsl",
                 str(tmp_path / "adsl.xpt")]) == 0  # fmt: skip
    capsys.readouterr()
    derived = _km(capsys, ["km", "--endpoint", "OS", "--group", "sex", "--json"])
    assert from_adtte["groups"] == derived["groups"]
    assert "from ADTTE" in from_adtte["note"]
    exported = _km(capsys, ["cif", str(tmp_path), "--endpoint", "CIR", "--json"])
    assert exported["causes"] == _km(capsys, ["cif", "--endpoint", "CIR", "--json"])["causes"]


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
