"""Issue 14: EuroMRD run acceptance, background-level amplification, replicates, controls
and the published MRD response terminology. Each test failed before issue 14.

Rules: van der Velden et al., Leukemia 2007;21:604-611 (thresholds as commonly cited,
not read off the page: see docs/mrd.md); MRD response terminology: Gokbuget,
Hematology Am Soc Hematol Educ Program 2021;2021(1):718-725, Table 1; BLAST complete MRD
response (no target amplification at a sensitivity of at least 10^-4).
"""

import json

import pytest
from mrd_helpers import HEADER, controls, ct_of, default_run, followup, standards, to_run, wells

from remission.cli import main
from remission.cohort.parse import CellError, parse_mrd_cell
from remission.cohort.problems import InputError
from remission.mrd import (
    EuroMRDRules,
    MRDClass,
    MRDQualifier,
    MRDResponse,
    ResponseRules,
    assess_response,
    interpret_run,
    parse_mrd,
    read_mrd_series,
)
from remission.mrd.interpret import RunNotAcceptedError

C = MRDClass

# --- a run that fails acceptance gives no value ---------------------------------------

# the example: slope -3.05 (outside -3.9 to -3.1) and a follow-up sample that the
# curve would put at 6.4x10^-4, quantifiable, before issue 14
_SLOPE = -3.05
_FU_CT = ct_of(6.4e-4, slope=_SLOPE)


def _failed_rows():
    return standards(slope=_SLOPE) + controls() + followup("FU", (_FU_CT,) * 3)


def test_failed_standard_curve_gives_no_value():
    interp = interpret_run(to_run(_failed_rows()))
    assert not interp.accepted
    (r,) = interp.results
    assert r.mrd_class is C.RUN_NOT_ACCEPTED
    assert (r.level, r.sensitivity, r.qr_limit) == (None, None, None)
    assert r.reason == (
        "run not accepted: slope failed [slope -3.050; accepted -3.9 to -3.1, EuroMRD value "
        "as commonly cited (unverified)]; marker IGH, no MRD value is given"
    )
    with pytest.raises(RunNotAcceptedError, match="run not accepted: slope failed"):
        r.to_value()
    (s,) = interp.samples
    assert s.mrd_class is C.RUN_NOT_ACCEPTED
    assert s.level is None
    with pytest.raises(RunNotAcceptedError):
        s.to_value()


def test_the_same_sample_on_an_accepted_curve_is_quantifiable():
    # the control: with the slope inside the accepted range, 6.4x10^-4 is quantified
    rows = standards(slope=-3.3) + controls() + followup("FU", (ct_of(6.4e-4),) * 3)
    (r,) = interpret_run(to_run(rows)).results
    assert r.mrd_class is C.QUANTIFIABLE
    assert r.level == pytest.approx(6.4e-2, rel=1e-9)


def test_one_failed_marker_withholds_the_sample(tmp_path):
    rows = (standards("IGH") + controls("IGH") + standards("TRG", slope=_SLOPE) + controls("TRG")
            + followup("FU", (ct_of(1e-3),) * 3, "IGH") + followup("FU", (None,) * 3, "TRG"))  # fmt: skip
    interp = interpret_run(to_run(rows))
    by = {r.marker: r.mrd_class for r in interp.results}
    assert by == {"IGH": C.QUANTIFIABLE, "TRG": C.RUN_NOT_ACCEPTED}
    (s,) = interp.samples
    assert s.mrd_class is C.RUN_NOT_ACCEPTED
    assert s.reason.startswith("run not accepted: slope failed")
    assert "marker TRG, no MRD value is given" in s.reason


def _write(tmp_path, rows):
    path = tmp_path / "run.csv"
    lines = [",".join(HEADER)] + [",".join(map(str, r)) for r in rows]
    path.write_text("\n".join(lines) + "\n")
    return str(path)


def test_cli_interpret_on_a_failed_curve_returns_no_values_and_says_why(tmp_path, capsys):
    run = _write(tmp_path, _failed_rows())
    assert main(["mrd", "interpret", run, "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["run"]["accepted"] is False
    for r in data["results"] + data["samples"]:
        assert r["class"] == "run_not_accepted"
        assert (r["level"], r["sensitivity"], r["qr_limit"]) == (None, None, None)
    assert data["results"][0]["reason"].startswith("run not accepted: slope failed")
    assert main(["mrd", "interpret", run]) == 0
    text = capsys.readouterr().out
    assert "NOT accepted" in text
    assert "run not accepted: slope failed [slope -3.050" in text
    assert main(["mrd", "interpret", run, "--csv"]) == 0
    row = capsys.readouterr().out.splitlines()[1]
    assert row.startswith("FU,IGH,run_not_accepted,,,,")


def test_mrd_response_refuses_a_failed_run_result(capsys):
    text = "run not accepted: slope failed (slope -3.050; accepted -3.9 to -3.1)"
    assert main(["mrd", "response", "0.3", text]) == 2
    err = capsys.readouterr().err
    assert "failed acceptance" in err
    with pytest.raises(ValueError, match="failed acceptance"):
        parse_mrd(text)


def test_cohort_and_kinetics_refuse_a_failed_run_result(tmp_path):
    text = "run not accepted: ntc failed (1/2 no-template controls amplified)"
    with pytest.raises(CellError, match="failed acceptance"):
        parse_mrd_cell(text)
    table = tmp_path / "mrd.csv"
    table.write_text(f'patient,time,mrd\nP1,0,0.3\nP1,30,"{text}"\n')
    with pytest.raises(InputError, match="failed acceptance"):
        read_mrd_series(str(table))


# --- controls and replicates ----------------------------------------------------------


def _checks(rows, rules=None):
    (curve,) = interpret_run(to_run(rows), rules).curves
    return {c.name: c for c in curve.checks}, interpret_run(to_run(rows), rules)


def test_missing_no_template_control_fails_the_run_and_says_so():
    rows = (
        standards() + wells("MNC", "IGH", "normal_control", (39.0,)) + followup("FU", (None,) * 3)
    )
    checks, interp = _checks(rows)
    assert not checks["ntc"].passed
    assert checks["ntc"].message == "no no-template control for this marker"
    assert interp.results[0].reason.startswith("run not accepted: ntc failed")


def test_missing_normal_dna_control_fails_the_run_and_says_so():
    rows = standards() + wells("NTC", "IGH", "ntc", (None, None)) + followup("FU", (None,) * 3)
    checks, interp = _checks(rows)
    assert not checks["normal_control"].passed
    assert "no normal-DNA control" in interp.results[0].reason


def test_standard_dilution_with_too_few_replicates_fails_the_run():
    rows = standards(jitter=(0.0,)) + controls() + followup("FU", (None,) * 3)
    checks, interp = _checks(rows)
    assert not checks["standard_replicates"].passed
    assert "fewer than 2 replicates at dilution(s) 0.1 (1)" in checks["standard_replicates"].message
    checks, interp = _checks(rows, EuroMRDRules(standard_replicates=1))
    assert checks["standard_replicates"].passed


def test_followup_with_fewer_replicates_says_so():
    run = default_run(followup("FU", (None, None)))
    (r,) = interpret_run(run).results
    assert "2 replicate(s), 3 expected" in r.reason
    assert r.to_dict()["n_replicates"] == 2


def test_a_non_amplifying_replicate_prevents_quantification_by_default():
    ct = ct_of(1e-3)
    (r,) = interpret_run(default_run(followup("FU", (ct, ct, None)))).results
    assert r.mrd_class is C.POSITIVE_NOT_QUANTIFIABLE
    assert "2/3 replicates specific, 3 needed" in r.reason
    rules = EuroMRDRules(quant_min_positive=2)
    (r,) = interpret_run(default_run(followup("FU", (ct, ct, None))), rules).results
    assert r.mrd_class is C.QUANTIFIABLE


# --- background-level amplification ---------------------------------------------------


@pytest.mark.parametrize(
    ("how", "cls", "qualifier"),
    [
        ("negative", C.NEGATIVE, MRDQualifier.NEGATIVE),
        ("pnq", C.POSITIVE_NOT_QUANTIFIABLE, MRDQualifier.POSITIVE_NOT_QUANTIFIABLE),
        ("missing", C.NON_SPECIFIC, MRDQualifier.MISSING),
    ],
)
def test_background_level_is_reported_as_chosen(how, cls, qualifier):
    rules = EuroMRDRules(background_level_as=how)
    (r,) = interpret_run(default_run(followup("FU", (38.6, None, None))), rules).results
    assert r.mrd_class is cls
    assert r.background_level
    assert r.to_value().qualifier is qualifier
    assert f"background_level_as '{how}'" in r.reason


def test_background_level_does_not_block_a_negative_sample():
    rows = (standards("IGH") + controls("IGH") + standards("TRG") + controls("TRG")
            + followup("FU", (None,) * 3, "IGH") + followup("FU", (38.6, None, None), "TRG"))  # fmt: skip
    (s,) = interpret_run(to_run(rows)).samples
    assert s.mrd_class is C.NEGATIVE
    assert s.to_value().limit == pytest.approx(1e-5 * 100, rel=1e-12)


def test_background_level_negative_counts_in_the_response_denominator():
    (r,) = interpret_run(default_run(followup("FU", (38.6, None, None)))).results
    a = assess_response(parse_mrd("0.3"), r.to_value())
    assert a.category is MRDResponse.COMPLETE  # negative at 1x10^-5 <= 1x10^-4


# --- MRD response: published terminology and remission's own category ----------------


@pytest.mark.parametrize(
    ("post", "category"),
    [
        ("<0.005", MRDResponse.COMPLETE),  # negative at 5x10^-5: MRD CR
        ("<0.01", MRDResponse.COMPLETE),  # exactly the minimum sensitivity
        ("0.06", MRDResponse.FAILURE),  # positive >= 0.01 %
        ("0.01", MRDResponse.FAILURE),
        ("0.005", MRDResponse.INTERMEDIATE),  # positive below 0.01 %
        ("pos <0.005", MRDResponse.INTERMEDIATE),  # detectable, not quantifiable, < 0.01 %
        ("<0.05", MRDResponse.INTERMEDIATE),  # negative with insufficient sensitivity
        ("neg", MRDResponse.INTERMEDIATE),  # negative, sensitivity not stated
        ("pos <0.05", MRDResponse.NOT_EVALUABLE),  # cannot tell failure from intermediate
        ("N/A", MRDResponse.NOT_EVALUABLE),
    ],
)
def test_mrd_response_terminology_2021(post, category):
    rules = ResponseRules(scheme="mrd_cr_2021")
    a = assess_response(parse_mrd("0.3"), parse_mrd(post), rules)
    assert a.category is category
    assert a.mrd_cr_2021 is category
    assert assess_response(parse_mrd("0.3"), parse_mrd(post)).mrd_cr_2021 is category


def test_partial_is_marked_as_remissions_own():
    a = assess_response(parse_mrd("1.0"), parse_mrd("0.05"))
    assert a.category is MRDResponse.PARTIAL
    assert "partial: remission's own category" in a.reason
    assert a.to_dict()["mrd_cr_2021_category"] == "failure"


def test_seed_patients_5_and_6_under_both_schemes(capsys):
    # Table 1 of the seed letter: 0.28 -> 0.06 and 0.3 -> 0.05
    for pre, post in (("0.28", "0.06"), ("0.3", "0.05")):
        assert main(["mrd", "response", pre, post, "--json"]) == 0
        d = json.loads(capsys.readouterr().out)
        assert (d["category"], d["mrd_cr_2021_category"]) == ("no_response", "failure")
        assert d["rules"]["scheme"] == "remission"
        assert main(["mrd", "response", pre, post, "--scheme", "mrd_cr_2021"]) == 0
        assert capsys.readouterr().out.startswith("failure: MRD failure")


def test_rules_reject_unknown_choices():
    with pytest.raises(ValueError):
        EuroMRDRules(background_level_as="zero")
    with pytest.raises(ValueError):
        EuroMRDRules(followup_replicates=0)
    with pytest.raises(ValueError):
        ResponseRules(scheme="blast")


def test_report_refuses_a_cohort_with_a_failed_run_result(tmp_path, capsys):
    from importlib.resources import files

    seed = files("remission.datasets").joinpath("seed_cohort.csv").read_text()
    lines = seed.splitlines()
    assert ",<0.005," in lines[1]
    lines[1] = lines[1].replace(",<0.005,", ",run not accepted: slope failed,", 1)
    cohort = tmp_path / "cohort.csv"
    cohort.write_text("\n".join(lines) + "\n")
    out = tmp_path / "out"
    assert main(["report", str(cohort), "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert "failed acceptance" in err and "mrd_post_percent" in err
    assert not out.exists() and "Traceback" not in err
