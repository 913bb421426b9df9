"""`remission report` on a cohort it cannot take whole: rows left out by --drop-invalid are
the first step of the patient flow; an origin no patient has is a note, not a failure."""

import json

import remission.datasets
from remission.cli import main


def _seed_lines() -> list[str]:
    return remission.datasets.seed_cohort_path().read_text(encoding="utf-8").splitlines()


def _write(tmp_path, lines, name="cohort.csv"):
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_drop_invalid_rows_are_the_first_flow_step(tmp_path, capsys):
    lines = _seed_lines()
    header = lines[0].split(",")
    cells = lines[2].split(",")
    cells[header.index("sex")] = "X"
    pid = cells[header.index("patient_id")]
    cohort = _write(tmp_path, [lines[0], lines[1], ",".join(cells), *lines[3:]])
    study = str(remission.datasets.seed_study_path())
    out = tmp_path / "out"
    assert main(["report", str(cohort), "--study", study, "-o", str(out)]) == 2
    assert "column 'sex'" in capsys.readouterr().err and not out.exists()
    assert main(["report", str(cohort), "--study", study, "-o", str(out), "--drop-invalid"]) == 0
    data = json.loads((out / "report.json").read_text(encoding="utf-8"))
    first = data["eligibility"]["steps"][0]
    assert (first["n_before"], first["n_after"]) == (11, 10)
    assert [x["patient_id"] for x in first["excluded"]] == [pid]
    assert "column 'sex'" in first["excluded"][0]["reason"]
    assert "unknown category ('X')" in first["excluded"][0]["reason"]
    assert data["eligibility"]["n_screened"] == 11 and data["eligibility"]["n_eligible"] == 10
    assert "--drop-invalid" in data["reproducibility"]["command line"]
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "Row passes validation" in html and pid in html
    assert "10 of 11 patients analysed." in html
    import docx

    doc = docx.Document(str(out / "report.docx"))
    texts = [p.text for p in doc.paragraphs]
    assert "Patients" in texts and any(t.startswith("10 of 11 patients analysed.") for t in texts)
    flow = doc.tables[0]
    assert flow.rows[1].cells[0].text.startswith("Row passes validation")
    assert pid in flow.rows[1].cells[3].text
    # the row labels get a third of the width, not a few letters
    assert flow.columns[0].width >= 2 * flow.columns[1].width


def test_cohort_without_hsct_dates_gets_a_report_with_notes(tmp_path, capsys):
    lines = _seed_lines()
    header = lines[0].split(",")
    drop = {header.index(c) for c in ("hsct_date", "conditioning", "donor")}
    keep = [",".join(c for i, c in enumerate(line.split(",")) if i not in drop)
            for line in lines]  # fmt: skip
    cohort = _write(tmp_path, keep)
    study = tmp_path / "study.yaml"
    study.write_text("interventions:\n  blinatumomab:\n    start: blinatumomab_start_date\n"
                     "columns:\n  blinatumomab_start_date: {type: date}\n",
                     encoding="utf-8")  # fmt: skip
    out = tmp_path / "out"
    assert main(["report", str(cohort), "--study", str(study), "-o", str(out)]) == 0, (
        capsys.readouterr().err
    )
    data = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert data["survival"]["OS_blinatumomab"]["groups"][0]["n"] == 11
    # without transplants the first origin is the intervention: Figures 1 and 3 from it
    assert "OS_hsct" not in data["survival"] and "CIR_blinatumomab" in data["competing"]
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "Figure 1. EFS and OS after blinatumomab start" in html
    assert "after blinatumomab start (competing risks)" in html
    assert "not computed" not in html and "after HSCT" not in html
    assert {p.name for p in (out / "figures").iterdir()} >= {"figure1.svg", "figure3.svg"}
    assert "figure2.svg" not in {p.name for p in (out / "figures").iterdir()}


def test_an_origin_no_patient_has_is_a_note(tmp_path, capsys):
    """HSCT dates present for some patients but none eligible: the HSCT analyses are notes."""
    lines = _seed_lines()
    study = tmp_path / "study.yaml"
    study.write_text("eligibility:\n  criteria:\n    - criterion: no transplant\n"
                     "      where: {hsct_date: {present: false}}\n", encoding="utf-8")  # fmt: skip
    out = tmp_path / "out"
    code = main(["report", str(_write(tmp_path, lines)), "--study", str(study), "-o", str(out)])
    assert code == 0, capsys.readouterr().err
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "OS from hsct: not computed (" in html


def test_group_curves_follow_the_declared_order(tmp_path, capsys):
    lines = _seed_lines()
    lines = [lines[0] + ",arm", *(f"{line},{'AB'[i % 2]}" for i, line in enumerate(lines[1:]))]
    study = tmp_path / "study.yaml"
    study.write_text("columns:\n  arm: {type: category, categories: [B, A]}\n", encoding="utf-8")
    out = tmp_path / "out"
    code = main(["report", str(_write(tmp_path, lines)), "--study", str(study), "-o", str(out),
                 "--group", "arm"])  # fmt: skip
    assert code == 0, capsys.readouterr().err
    data = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert [g["group"] for g in data["survival"]["OS_hsct_by_arm"]["groups"]] == ["B", "A"]


def test_sections_on_columns_the_file_lacks_are_left_out(tmp_path, capsys):
    lines = _seed_lines()
    header = lines[0].split(",")
    gone = ("mrd_post_percent", "crs_grade", "neurotoxicity_grade", "crs", "neurotoxicity")
    drop = {header.index(c) for c in gone}
    keep = [",".join(c for i, c in enumerate(line.split(",")) if i not in drop)
            for line in lines]  # fmt: skip
    out = tmp_path / "out"
    code = main(["report", str(_write(tmp_path, keep)), "--study",
                 str(remission.datasets.seed_study_path()), "-o", str(out)])  # fmt: skip
    assert code == 0, capsys.readouterr().err
    data = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert "mrd" not in data and "toxicity" not in data
    assert sorted(data["tables"]) == ["listing", "table1"]
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "<h2>MRD response</h2>" not in html and "<h2>Toxicity</h2>" not in html
    assert sorted(p.name for p in (out / "tables").iterdir()) == ["listing.csv", "table1.csv"]


def test_a_cutoff_that_replaces_the_study_files_is_said(tmp_path, capsys):
    study = str(remission.datasets.seed_study_path())  # data_cutoff_date: 2019-12-31
    out = tmp_path / "out"
    assert main(["report", "--study", study, "-o", str(out), "--data-cutoff", "2019-06-30"]) == 0
    data = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert data["reproducibility"]["data cut-off"] == (
        "2019-06-30 (--data-cutoff, in place of the study file's 2019-12-31)"
    )
    capsys.readouterr()
    assert main(["km", "--study", study, "--endpoint", "OS", "--data-cutoff", "2019-06-30"]) == 0
    assert "(--data-cutoff, in place of the study file's 2019-12-31)" in capsys.readouterr().out
    seed = str(remission.datasets.seed_cohort_path())
    argv = ["km", seed, "--study", study, "--endpoint", "OS", "--data-cutoff", "2019-06-30"]
    assert main([*argv, "--engine", "duckdb"]) == 0
    assert "(--data-cutoff, in place of the study file's 2019-12-31)" in capsys.readouterr().out


def test_which_origin_leads_the_report():
    import pandas as pd

    from remission.cli.cmd_report import report_origins

    iv = (("cart", "cart_date"), ("ino", "ino_date"))
    bridge = pd.DataFrame(
        {"cart_date": ["d", "d"], "hsct_date": ["d", "d"], "ino_date": [None] * 2}
    )
    some = pd.DataFrame({"cart_date": ["d", "d"], "hsct_date": ["d", None], "ino_date": [None] * 2})
    none = pd.DataFrame({"cart_date": ["d", "d"], "hsct_date": [None, None]})
    assert report_origins(bridge, iv) == ("hsct", "cart", "ino")  # every patient transplanted
    assert report_origins(some, iv) == ("cart", "hsct", "ino")  # the study's treatment leads
    assert report_origins(none, iv) == ("cart", "ino")
    assert report_origins(some, ()) == ("hsct",)
    assert report_origins(none.drop(columns="hsct_date"), ()) == ("diagnosis",)
