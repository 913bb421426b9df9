"""--origin, --endpoint, --study and --reference on the statistics commands (issue 10)."""

import json

import pytest

from remission.cli import main
from remission.datasets import seed_study_path


def run(capsys, *argv):
    code = main(list(map(str, argv)))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize(
    ("argv", "needle"),
    [
        (["km", "--endpoint", "OS", "--origin", "blinatumomb"],
         "unknown origin 'blinatumomb'; did you mean 'blinatumomab'?"),
        (["km", "--endpoint", "EFX", "--origin", "hsct"], "unknown endpoint 'EFX'; did you mean 'EFS'?"),
        (["cox", "--endpoint", "OS", "--covariates", "donor", "--reference", "donor=aunt"],
         "column 'donor': not a level"),
        (["km", "--endpoint", "OS", "--reference", "donor"], "is not COLUMN=LEVEL"),
    ],
)  # fmt: skip
def test_unknown_names_exit_2_with_a_hint(capsys, argv, needle):
    code, out, err = run(capsys, *argv)
    assert code == 2 and out == "" and needle in err and "Traceback" not in err


def test_any_date_column_and_a_study_endpoint(tmp_path, capsys):
    study = tmp_path / "study.yaml"
    study.write_text(
        seed_study_path().read_text()
        + "endpoints:\n  RFS: {events: [relapse_date, death_date]}\n"
        + "origins: {relapse: relapse_date}\n"
    )
    code, out, _ = run(capsys, "km", "--study", study, "--endpoint", "RFS", "--origin",
                       "blinatumomab_start_date", "--json")  # fmt: skip
    assert code == 0
    d = json.loads(out)
    assert d["note"].startswith("RFS from blinatumomab_start_date")
    assert d["groups"][0]["n"] == 11
    code, out, _ = run(capsys, "km", "--study", study, "--endpoint", "OS", "--origin",
                       "relapse", "--json")  # fmt: skip
    assert code == 0 and json.loads(out)["groups"][0]["n"] == 4  # the 4 who relapsed


def test_groups_in_clinical_order_and_reference_for_cox(capsys):
    code, out, _ = run(capsys, "km", "--endpoint", "OS", "--group", "donor", "--json")
    assert [g["group"] for g in json.loads(out)["groups"]] == ["MSD", "MMSD", "MUD", "MMUD"]
    code, out, _ = run(capsys, "km", "--endpoint", "OS", "--group", "donor", "--reference",
                       "donor=MUD", "--json")  # fmt: skip
    # the reference does not reorder the groups (the trend test keeps its scores)
    assert [g["group"] for g in json.loads(out)["groups"]] == ["MSD", "MMSD", "MUD", "MMUD"]
    code, out, _ = run(capsys, "cox", "--endpoint", "OS", "--covariates", "sex",
                       "--reference", "sex=F", "--json")  # fmt: skip
    assert [c["name"] for c in json.loads(out)["coefficients"]] == ["sexM"]
    study = seed_study_path().read_text() + ""
    assert "reference" not in study  # the seed keeps the dictionary's references


def test_study_reference_reaches_cox(tmp_path, capsys):
    study = tmp_path / "study.yaml"
    text = seed_study_path().read_text()
    study.write_text(text.replace("  disease_status:\n", "  donor: {reference: MUD}\n"
                                  "  disease_status:\n"))  # fmt: skip
    code, out, _ = run(capsys, "cox", "--study", study, "--endpoint", "EFS", "--covariates",
                       "donor", "--json")  # fmt: skip
    assert code == 0
    assert [c["name"] for c in json.loads(out)["coefficients"]] == [
        "donorMSD", "donorMMSD", "donorMMUD"
    ]  # fmt: skip
