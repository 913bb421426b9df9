"""remission init: a starter study file, headers matched and guesses marked; never
overwrites; validate with it then shows what is left to fix."""

import yaml

from remission.cli import main
from remission.cohort.starter import match_header

CSV = (
    "Pt ID,Sex,DOB,Date of Tx,HCT date2,Relapse,Date of death,Last contact,MRD,risk,"
    "CAR-T infusion date,Gendr\n"
    "A1,1,01/02/2010,2019-05-01,,2019-09-01,,2020-01-01,<0.01,high,2019-03-01,x\n"
    "A2,2,03/04/2011,,,,2020-02-01,2020-02-01,0.3,low,2019-04-01,x\n"
    "A3,2,05/06/2012,2019-07-01,,,,2020-03-01,PNQ,high,2019-05-01,y\n"
)


def test_headers_match_by_name_and_synonyms():
    assert match_header("DOB") == ("date_of_birth", True)
    assert match_header("Date of Tx") == ("hsct_date", True)
    assert match_header("BMT date") == ("hsct_date", True)
    assert match_header("last contact") == ("last_followup_date", True)
    assert match_header("Date of death") == ("death_date", True)
    assert match_header("hsct_dat") == ("hsct_date", False)  # similar only: a guess
    assert match_header("risk") == (None, False)


def test_init_writes_a_starter_that_validate_reads(tmp_path, capsys):
    data = tmp_path / "cohort.csv"
    data.write_text(CSV)
    out = tmp_path / "study.yaml"
    assert main(["init", str(data), "-o", str(out)]) == 0
    text = out.read_text()
    study = yaml.safe_load(text)
    assert study["rename"]["DOB"] == "date_of_birth"
    assert study["rename"]["Date of Tx"] == "hsct_date"
    assert study["rename"]["Last contact"] == "last_followup_date"
    assert study["recode"]["sex"] == {"1": "M", "2": "F"}
    assert "# GUESS: check which code is which" in text
    assert study["columns"]["risk"]["type"] == "category"
    assert study["columns"]["car_t_infusion_date"]["type"] == "date"
    assert study["interventions"]["car_t"]["start"] == "car_t_infusion_date"
    assert "wrote" in capsys.readouterr().out
    # validate with the starter: it loads, and reports the columns it kept
    assert main(["validate", str(data), "--study", str(out)]) == 0
    assert "risk" in capsys.readouterr().out


def test_init_never_overwrites_without_force(tmp_path, capsys):
    data = tmp_path / "cohort.csv"
    data.write_text(CSV)
    out = tmp_path / "study.yaml"
    out.write_text("mine\n")
    assert main(["init", str(data), "-o", str(out)]) == 2
    assert "exists" in capsys.readouterr().err and out.read_text() == "mine\n"
    assert main(["init", str(data), "-o", str(out), "--force"]) == 0
    assert out.read_text() != "mine\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cohort.csv", "study.yaml"]


def _two_sheets(tmp_path):
    import io

    import pandas as pd

    path = tmp_path / "cohort.xlsx"
    with pd.ExcelWriter(path) as w:
        pd.DataFrame({"About": ["export of 2024"]}).to_excel(w, sheet_name="README", index=False)
        pd.read_csv(io.StringIO(CSV), dtype=str).to_excel(w, sheet_name="Patients", index=False)
    return path


def test_a_workbook_read_without_sheet_names_its_sheets(tmp_path, capsys):
    book = _two_sheets(tmp_path)
    assert main(["init", str(book), "-o", str(tmp_path / "a.yaml")]) == 0
    out, err = capsys.readouterr()
    assert "has 2 worksheets (README, Patients); the first, 'README', was read" in err
    assert main(["init", str(book), "--sheet", "Patients", "-o", str(tmp_path / "b.yaml")]) == 0
    out, err = capsys.readouterr()
    assert err == "" and f"remission validate {book} --sheet Patients --study" in out
    # a command that fails on the wrong sheet says the same
    assert main(["validate", str(book)]) == 2
    assert "choose another with --sheet NAME" in capsys.readouterr().err


def test_every_treatment_start_becomes_an_intervention(tmp_path, capsys):
    data = tmp_path / "two.csv"
    data.write_text("Pt ID,Sex,DOB,Last contact,CAR-T infusion date,Inotuzumab start date\n"
                    "A1,M,2010-01-01,2020-01-01,2019-01-01,2018-01-01\n")  # fmt: skip
    out = tmp_path / "study.yaml"
    assert main(["init", str(data), "-o", str(out)]) == 0
    study = yaml.safe_load(out.read_text())
    assert study["interventions"] == {
        "car_t": {"start": "car_t_infusion_date",
                  "precedes": ["hsct_date", "relapse_date", "death_date"]},
        "inotuzumab": {"start": "inotuzumab_start_date",
                       "precedes": ["hsct_date", "relapse_date", "death_date"]},
    }  # fmt: skip
