"""Follow-up classification by the EuroMRD rules, boundary cases, reasons, markers."""

import pytest
from mrd_helpers import control_gene, controls, ct_of, default_run, followup, standards, to_run

from remission.mrd import (
    EuroMRDRules,
    MarkerResult,
    MRDClass,
    MRDQualifier,
    classify_followup,
    combine_markers,
    interpret_run,
)
from remission.mrd.interpret import format_fraction

C = MRDClass
QR_CT = ct_of(1e-4)  # 33.2, the mean Ct of the lowest quantitative-range dilution


def _one(cts, rules=None, extra=()):
    interp = interpret_run(default_run([*followup("FU", cts), *extra]), rules)
    (r,) = interp.results
    return r


def test_negative_reports_the_sensitivity():
    r = _one((None, None, None))
    assert r.mrd_class is C.NEGATIVE
    assert r.sensitivity == pytest.approx(1e-5 * 100, rel=1e-12)
    assert r.level is None
    assert r.reason.startswith("negative: no amplification in 3/3 replicates; sensitivity 1x10^-5")
    assert r.to_value().qualifier is MRDQualifier.NEGATIVE
    assert r.to_value().limit == pytest.approx(0.001)


def test_quantifiable_recovers_the_level_exactly_without_noise():
    r = _one((ct_of(2e-3),) * 3)
    assert r.mrd_class is C.QUANTIFIABLE
    assert r.level == pytest.approx(0.2, rel=1e-10)
    assert r.to_value().level == pytest.approx(0.2, rel=1e-10)
    assert "level 2x10^-3 within the quantitative range (limit 1x10^-4)" in r.reason


def test_exactly_at_the_quantitative_range_limit_is_quantifiable():
    r = _one((QR_CT,) * 3)
    assert r.mrd_class is C.QUANTIFIABLE
    assert r.level == pytest.approx(0.01, rel=1e-10)


def test_just_below_the_quantitative_range_is_positive_not_quantifiable():
    r = _one((QR_CT + 0.01,) * 3)
    assert r.mrd_class is C.POSITIVE_NOT_QUANTIFIABLE
    assert r.qr_limit == pytest.approx(0.01, rel=1e-12)
    assert "above the quantitative range limit Ct 33.20" in r.reason
    v = r.to_value()
    assert v.qualifier is MRDQualifier.POSITIVE_NOT_QUANTIFIABLE
    assert v.limit == pytest.approx(0.01)


def test_one_of_three_replicates_positive_is_not_quantifiable_by_default():
    r = _one((30.0, None, None))
    assert r.mrd_class is C.POSITIVE_NOT_QUANTIFIABLE
    assert r.n_specific == 1
    assert "1/3 replicates specific, 3 needed" in r.reason


def test_one_of_three_is_quantifiable_when_the_laboratory_allows_it():
    r = _one((30.0, None, None), EuroMRDRules(quant_min_positive=1))
    assert r.mrd_class is C.QUANTIFIABLE
    assert r.level == pytest.approx(100 * 10 ** ((30.0 - 20.0) / -3.3), rel=1e-10)


@pytest.mark.parametrize(
    ("ct", "background"),
    [
        (38.5, True),  # within 1 Ct of the background Ct 39
        (38.01, True),
        (38.0, False),  # exactly 1 Ct below: specific
        (39.5, True),  # later than the background
    ],
)
def test_background_within_one_ct(ct, background):
    r = _one((ct, None, None))
    assert r.background_level is background
    if background:
        # reported as negative at the assay's sensitivity, never a missing value
        assert r.mrd_class is C.NEGATIVE
        assert "within 1 Ct of the lowest background Ct 39.00" in r.reason
        assert r.to_value().qualifier is MRDQualifier.NEGATIVE
        assert r.to_value().limit == pytest.approx(1e-5 * 100, rel=1e-12)
    else:
        assert r.mrd_class is C.POSITIVE_NOT_QUANTIFIABLE


def test_replicate_spread_above_limit_is_not_quantifiable():
    r = _one((30.0, 31.6, 30.5))
    assert r.mrd_class is C.POSITIVE_NOT_QUANTIFIABLE
    assert "replicate spread 1.60 > 1.5" in r.reason


def test_dna_correction_with_the_control_gene():
    # follow-up control gene 3.32 Ct later than diagnosis: 10 times less DNA
    extra = control_gene("DX", (25.0, 25.0)) + control_gene("FU", (28.32, 28.32))
    r = _one((ct_of(1e-3),) * 3, extra=extra)
    assert r.dna_correction == pytest.approx(10.0, rel=1e-12)
    assert r.level == pytest.approx(1.0, rel=1e-10)
    assert r.sensitivity == pytest.approx(1e-5 * 10 * 100, rel=1e-10)
    assert "DNA correction x10" in r.reason


def test_missing_control_gene_is_said_in_the_reason():
    r = _one((None,) * 3, extra=control_gene("DX", (25.0,)))
    assert r.dna_correction is None
    assert "not corrected for DNA quantity (no control-gene Ct for FU)" in r.reason


def test_results_of_a_run_not_accepted_say_so():
    rows = standards(slope=-2.8) + controls() + followup("FU", (None,) * 3)
    interp = interpret_run(to_run(rows))
    assert not interp.accepted
    assert interp.results[0].reason.startswith("run not accepted: slope failed [slope -2.800")
    assert interp.results[0].mrd_class is C.RUN_NOT_ACCEPTED


def _mr(marker, cls, level=None, sens=0.001, qr=0.01):
    return MarkerResult("S", marker, cls, level, sens, qr, (), 0, None, "")


@pytest.mark.parametrize(
    ("results", "cls", "level"),
    [
        ([_mr("A", C.QUANTIFIABLE, 0.05), _mr("B", C.QUANTIFIABLE, 0.02)], C.QUANTIFIABLE, 0.05),
        ([_mr("A", C.NEGATIVE), _mr("B", C.QUANTIFIABLE, 0.02)], C.QUANTIFIABLE, 0.02),
        (
            [_mr("A", C.NEGATIVE), _mr("B", C.POSITIVE_NOT_QUANTIFIABLE)],
            C.POSITIVE_NOT_QUANTIFIABLE,
            None,
        ),
        ([_mr("A", C.NEGATIVE), _mr("B", C.NEGATIVE)], C.NEGATIVE, None),
        ([_mr("A", C.NEGATIVE), _mr("B", C.NON_SPECIFIC)], C.NON_SPECIFIC, None),
    ],
)
def test_markers_combine(results, cls, level):
    s = combine_markers(results)
    assert s.mrd_class is cls
    assert s.level == level
    assert s.markers == ("A", "B")


def test_all_negative_sensitivity_poorest_by_default_best_on_request():
    rs = [_mr("A", C.NEGATIVE, sens=0.001), _mr("B", C.NEGATIVE, sens=0.01)]
    assert combine_markers(rs).sensitivity == 0.01
    assert combine_markers(rs, EuroMRDRules(combined_sensitivity="best")).sensitivity == 0.001
    assert combine_markers(rs).to_value().limit == 0.01


def test_two_marker_run_end_to_end():
    rows = (
        standards("IGH")
        + controls("IGH")
        + standards("TRG", intercept=21.0)
        + controls("TRG")
        + followup("FU", (ct_of(1e-3),) * 3, "IGH")
        + followup("FU", (ct_of(3e-3, intercept=21.0),) * 3, "TRG")
    )
    interp = interpret_run(to_run(rows))
    assert [c.marker for c in interp.curves] == ["IGH", "TRG"]
    (s,) = interp.samples
    assert s.mrd_class is C.QUANTIFIABLE
    assert s.level == pytest.approx(0.3, rel=1e-10)
    assert "TRG" in s.reason
    d = interp.to_dict()
    assert {r["marker"] for r in d["results"]} == {"IGH", "TRG"}
    assert set(d["results"][0]) >= {"sample", "marker", "class", "level", "sensitivity", "reason"}
    assert set(d["run"]["markers"][0]) >= {
        "slope",
        "intercept",
        "r2",
        "efficiency",
        "accepted",
        "quantitative_range",
        "sensitivity",
    }


@pytest.mark.parametrize(
    ("x", "text"), [(5e-5, "5x10^-5"), (1e-4, "1x10^-4"), (1.25e-3, "1.25x10^-3")]
)
def test_format_fraction(x, text):
    assert format_fraction(x) == text


def test_level_above_the_most_concentrated_standard_is_marked_extrapolated():
    r = _one((ct_of(0.5),) * 3)
    assert r.mrd_class is C.QUANTIFIABLE
    assert r.level == pytest.approx(50.0, rel=1e-10)
    assert "above the most concentrated standard 1x10^-1 (extrapolated)" in r.reason


def test_a_flat_curve_cannot_quantify():
    rows = [("DX", "IGH", "standard", d, r, "30.0") for d in ("0.1", "0.01") for r in (1, 2, 3)]
    rows += controls() + followup("FU", (30.0, 30.0, 30.0))
    interp = interpret_run(to_run(rows))
    (r,) = interp.results
    assert interp.curves[0].slope == 0
    assert r.mrd_class is C.RUN_NOT_ACCEPTED  # the slope check fails: no value at all
    assert r.level is None and r.sensitivity is None and r.qr_limit is None
    # the classification on its own still refuses to quantify on a flat curve
    alone = classify_followup(interp.curves[0], "FU", (30.0, 30.0, 30.0))
    assert alone.mrd_class is C.POSITIVE_NOT_QUANTIFIABLE
    assert "the standard curve does not fall (slope 0.000)" in alone.reason
    assert interp.to_dict()["run"]["markers"][0]["efficiency"] is None


def test_no_quantitative_range_means_no_value():
    rows = standards(jitter=(0.0, 0.8, 1.6)) + controls(background=(None,))
    rows += followup("FU", (30.0, 30.1, 30.2))
    interp = interpret_run(to_run(rows))
    (r,) = interp.results
    assert r.mrd_class is C.RUN_NOT_ACCEPTED
    assert r.reason.startswith("run not accepted: quantitative_range failed")
    alone = classify_followup(interp.curves[0], "FU", (30.0, 30.1, 30.2))
    assert alone.mrd_class is C.POSITIVE_NOT_QUANTIFIABLE
    assert "positive not quantifiable (no quantitative range)" in alone.reason
    assert "the run has no quantitative range" in alone.reason
