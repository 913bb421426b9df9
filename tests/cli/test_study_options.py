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


def test_reference_level_orders_the_groups(capsys):
    code, out, _ = run(capsys, "km", "--endpoint", "OS", "--group", "sex", "--json")
    assert [g["group"] for g in json.loads(out)["groups"]] == ["M", "F"]
    code, out, _ = run(capsys, "km", "--endpoint", "OS", "--group", "sex", "--reference",
                       "sex=F", "--json")  # fmt: skip
    assert [g["group"] for g in json.loads(out)["groups"]] == ["F", "M"]
