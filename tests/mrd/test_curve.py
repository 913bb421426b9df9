"""Standard curve, quantitative range, sensitivity and run checks (EuroMRD rules)."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from mrd_helpers import DILUTIONS, controls, ct_of, default_run, standards, to_run

from remission.mrd import EuroMRDRules, fit_standard_curve
from remission.mrd.curve import least_squares


def test_least_squares_hand_computed():
    # x = 0, 1, 2; y = 1, 3, 4: slope 3/2, intercept 7/6, R^2 = 1 - (1/6)/(42/9) = 27/28
    slope, intercept, r2 = least_squares([0.0, 1.0, 2.0], [1.0, 3.0, 4.0])
    assert slope == pytest.approx(1.5, rel=1e-12)
    assert intercept == pytest.approx(7 / 6, rel=1e-12)
    assert r2 == pytest.approx(27 / 28, rel=1e-12)


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.floats(-6, 0, allow_nan=False), min_size=3, max_size=15, unique=True),
    st.integers(0, 2**32 - 1),
)
def test_least_squares_agrees_with_numpy(x, seed):
    rng = np.random.default_rng(seed)
    y = [20 - 3.3 * v + rng.normal(0, 0.5) for v in x]
    slope, intercept, r2 = least_squares(x, y)
    ref_slope, ref_intercept = np.polyfit(x, y, 1)
    assert slope == pytest.approx(ref_slope, rel=1e-8, abs=1e-10)
    assert intercept == pytest.approx(ref_intercept, rel=1e-8, abs=1e-10)
    assert r2 == pytest.approx(np.corrcoef(x, y)[0, 1] ** 2, rel=1e-8, abs=1e-12)


def test_exact_curve_range_and_sensitivity():
    c = fit_standard_curve(default_run(), "IGH")
    assert c.slope == pytest.approx(-3.3, rel=1e-12)
    assert c.intercept == pytest.approx(20.0, rel=1e-12)
    assert c.r2 == pytest.approx(1.0, abs=1e-12)
    assert c.efficiency == pytest.approx(10 ** (1 / 3.3) - 1, rel=1e-12)
    # background 39: 1e-4 (Ct 33.2) is >= 3 Ct below it, 1e-5 (Ct 36.5) only >= 1 Ct
    assert c.quantitative_range == (1e-4, 1e-1)
    assert c.qr_ct == pytest.approx(33.2, rel=1e-12)
    assert c.sensitivity == 1e-5
    assert c.background_ct == 39.0
    assert c.accepted
    assert c.n_points == 12  # fitted on the four quantitative-range dilutions x 3


def test_fit_on_all_uses_every_amplified_standard():
    c = fit_standard_curve(default_run(), "IGH", EuroMRDRules(fit_on="all"))
    assert c.n_points == 15


@pytest.mark.parametrize(("spread", "reproducible"), [(1.5, True), (1.51, False)])
def test_replicate_spread_limit_for_the_quantitative_range(spread, reproducible):
    # replicates of 1e-4 at 33.2, 33.2 + spread/2, 33.2 + spread: spread exactly 1.5 passes
    rows = (
        standards(dilutions=DILUTIONS[:3])
        + standards(dilutions=(1e-4,), jitter=(0.0, spread / 2, spread))
        + controls(background=(45.0,))
    )
    c = fit_standard_curve(to_run(rows), "IGH")
    assert (c.quantitative_range[0] == 1e-4) is reproducible


@pytest.mark.parametrize(("background", "qr_low"), [(36.2, 1e-4), (36.21, 1e-4), (36.19, 1e-3)])
def test_background_separation_for_the_quantitative_range(background, qr_low):
    # 1e-4 has mean Ct 33.2: in range only if background >= 33.2 + 3.0 = 36.2
    rows = standards(dilutions=DILUTIONS[:4]) + controls(background=(background,))
    c = fit_standard_curve(to_run(rows), "IGH")
    assert c.quantitative_range[0] == qr_low


def test_missing_replicate_ends_the_quantitative_range_but_not_the_sensitivity():
    rows = standards(drop={(1e-4, 3)}) + controls(background=(45.0,))
    c = fit_standard_curve(to_run(rows), "IGH")
    assert c.quantitative_range == (1e-3, 1e-1)
    assert c.sensitivity == 1e-5
    assert "not all replicates amplified" in c.dilutions[3].reason


def test_sensitivity_stops_at_first_dilution_within_one_ct_of_background():
    # background 37.4: 1e-5 (36.5) is only 0.9 Ct below -> not sensitive
    rows = standards() + controls(background=(37.4,))
    c = fit_standard_curve(to_run(rows), "IGH")
    assert c.sensitivity == 1e-4
    assert c.quantitative_range == (1e-4, 1e-1)  # 33.2 <= 37.4 - 3


def test_no_amplification_anywhere_in_background_means_no_background_limit():
    rows = standards() + controls(background=(None, None, None))
    c = fit_standard_curve(to_run(rows), "IGH")
    assert c.background_ct is None
    assert c.quantitative_range == (1e-5, 1e-1)
    assert c.accepted


@pytest.mark.parametrize(
    ("slope", "ok"), [(-3.1, True), (-3.9, True), (-3.05, False), (-4.0, False)]
)
def test_slope_acceptance(slope, ok):
    rows = standards(slope=slope) + controls(background=(None,))
    c = fit_standard_curve(to_run(rows), "IGH")
    assert c.slope == pytest.approx(slope, rel=1e-12)
    assert next(k for k in c.checks if k.name == "slope").passed is ok
    assert c.accepted is ok


def test_r2_check_fails_for_a_scattered_curve():
    rows = (
        standards(jitter=(0.0, 0.0, 0.0), dilutions=(1e-1,))
        + standards(dilutions=(1e-2,), jitter=(1.4, 1.4, 1.4))
        + standards(dilutions=(1e-3,), jitter=(-1.4, -1.4, -1.4))
        + controls(background=(None,))
    )
    c = fit_standard_curve(to_run(rows), "IGH")
    assert c.r2 < 0.98
    assert not next(k for k in c.checks if k.name == "r2").passed
    assert not c.accepted


def test_amplified_ntc_and_missing_normal_control_flag_the_run():
    rows = standards() + [("NTC", "IGH", "ntc", "", 1, "38.0")]
    c = fit_standard_curve(to_run(rows), "IGH")
    failed = {k.name for k in c.checks if not k.passed}
    assert failed == {"ntc", "normal_control"}
    assert "rows 17" in next(k for k in c.checks if k.name == "ntc").message


def test_fewer_than_two_reproducible_dilutions_falls_back_to_all_and_flags():
    rows = standards(jitter=(0.0, 0.8, 1.6)) + controls(background=(None,))
    c = fit_standard_curve(to_run(rows), "IGH")
    assert c.quantitative_range is None
    assert c.n_points == 15
    assert not c.accepted
    assert "quantitative_range" in {k.name for k in c.checks if not k.passed}


def test_rules_validate_their_parameters():
    with pytest.raises(ValueError, match="slope_min"):
        EuroMRDRules(slope_min=-3.0, slope_max=-3.5)
    with pytest.raises(ValueError, match="fit_on"):
        EuroMRDRules(fit_on="some")
    with pytest.raises(ValueError, match="finite"):
        EuroMRDRules(r2_min=math.nan)


def test_curve_inverts():
    c = fit_standard_curve(default_run(), "IGH")
    assert c.dilution_at(ct_of(3e-4)) == pytest.approx(3e-4, rel=1e-10)
    assert c.ct_at(1e-3) == pytest.approx(29.9, rel=1e-12)
