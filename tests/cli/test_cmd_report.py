"""`remission report` with no argument: the seed letter's report and its claims audit."""

import contextlib
import io
import json

import pytest

from remission.cli import main
from seed_claim_ids import ISSUE_IDS


@pytest.fixture(scope="module")
def seed_report(tmp_path_factory):
    out = tmp_path_factory.mktemp("seed") / "remission-report"
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        code = main(["report", "-o", str(out)])
    assert code == 0
    data = json.loads((out / "report.json").read_text())
    return out, data, {c["id"]: c for c in data["claims"]}, buf.getvalue()


def test_seed_report_is_labelled_reconstructed(seed_report):
    out, data, _, _ = seed_report
    assert data["reconstructed_data"] is True
    assert "Reconstructed data" in (out / "report.html").read_text()
    assert data["n_patients"] == 11


def test_claim_ids_are_the_issues(seed_report):
    _, data, _, _ = seed_report
    assert [c["id"] for c in data["claims"]] == ISSUE_IDS


@pytest.mark.parametrize(
    ("cid", "status"),
    [
        ("median_age_at_blinatumomab", "reproduced"),
        ("relapse_vs_first_line", "reproduced"),
        ("median_pre_mrd_cr", "discrepant"),  # Table 1 values give 0.08 (0.01-0.6)
        ("mrd_negative", "reproduced"),
        ("log_reduction_partial", "discrepant"),  # patients 5 and 6: 0.67 and 0.78 log
        ("cycles", "not computable"),  # not published per patient
        ("median_days_to_hsct", "reproduced"),
        ("median_followup_post_hsct", "reproduced"),
        ("crs_grade_1_2", "reproduced"),
        ("neurotoxicity", "reproduced"),  # from the yes/no column; P07's grade is not published
        ("efs_3y_post_hsct", "reproduced"),
        ("os_3y_post_hsct", "reproduced"),
        ("efs_3y_from_blinatumomab", "reproduced"),
        ("os_3y_from_blinatumomab", "reproduced"),
        ("post_hsct_event_days", "reproduced"),
        ("car_t_remissions", "discrepant"),  # footnotes: 2 remissions + 1 planned
    ],
)
def test_seed_claim_status(seed_report, cid, status):
    _, _, claims, _ = seed_report
    assert claims[cid]["status"] == status, claims[cid]


def test_discrepancies_are_explained(seed_report):
    _, _, claims, _ = seed_report
    c = claims["median_pre_mrd_cr"]
    assert c["computed"] == {"median": pytest.approx(0.08), "min": 0.01, "max": 0.6, "n": 6}
    lr = claims["log_reduction_partial"]
    assert lr["computed"] == 0 and "log_reduction 0.67" in lr["note"]
    assert "log_reduction 0.78" in lr["note"]
    assert claims["car_t_remissions"]["computed"] == 2


def test_rates_with_exact_cis(seed_report):
    _, _, claims, _ = seed_report
    assert claims["von_stackelberg_response_ci"]["status"] == "reproduced"
    rate = claims["mrd_response_rate"]
    assert rate["status"] == "discrepant"  # 9/11 = 82 %, not 100 %
    assert rate["computed"]["x"] == 9 and rate["computed"]["n"] == 11


def test_summary_on_one_screen(seed_report):
    out = seed_report[3]
    assert out.startswith("Report written to ")
    assert len(out.splitlines()) <= 24
    assert "median_pre_mrd_cr" in out and "discrepant" in out


def test_bad_claims_file_and_bad_group(tmp_path, capsys):
    bad = tmp_path / "claims.yaml"
    bad.write_text("claims:\n  - {id: x}\n")
    assert main(["report", "--claims", str(bad), "-o", str(tmp_path / "r")]) == 2
    err = capsys.readouterr().err
    assert "claims.yaml" in err and "missing 'quote'" in err
    assert main(["report", "--group", "nope", "-o", str(tmp_path / "r")]) == 2
    assert "--group: no column 'nope'" in capsys.readouterr().err
    assert not (tmp_path / "r").exists()


def test_bad_data_cutoff_is_one_line(tmp_path, capsys):
    assert main(["report", "--data-cutoff", "notadate", "-o", str(tmp_path / "r")]) == 2
    err = capsys.readouterr().err
    assert "data cut-off" in err and "'notadate'" in err and "internal error" not in err
    assert not (tmp_path / "r").exists()


def test_report_grouped_by_an_mrd_column_uses_its_categories(tmp_path, capsys):
    # an MRD column as --group crashed Table 1 (MRD results have no order); it enters as its
    # categories at the default cut-point, as `remission km --group` does
    out = tmp_path / "r"
    assert main(["report", "--group", "mrd_pre_percent", "-o", str(out)]) == 0
    numbers = json.loads((out / "report.json").read_text())
    by = numbers["survival"]["EFS_hsct_by_mrd_pre_percent_category"]
    assert {g["group"] for g in by["groups"]} <= {"negative", "<0.01%", ">=0.01%"}
    assert sum(g["n"] for g in by["groups"]) == 8  # 3 of 11 have no pre-treatment MRD
    assert "by mrd_pre_percent_category" in (out / "report.html").read_text()
