"""Synthetic runs with known truth: levels recovered within the expected error."""

import math
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from remission.mrd import MRDClass, interpret_run, read_run
from remission.mrd.runfile import parse_run_rows
from remission.mrd.simulate import COLUMNS, RunDesign, simulate_run, write_run_csv

DATA = Path(__file__).parent / "data"
TRUTH = {"FU-HIGH": 1e-2, "FU-MID": 1e-3, "FU-QR": 3e-4, "FU-LESSDNA": 1e-3}


def _interpret(rows, rules=None):
    records = [(i + 2, r) for i, r in enumerate(rows)]
    return interpret_run(parse_run_rows(records, COLUMNS, "sim.csv"), rules)


def _expected_sd(curve, design, x0, m=3):
    """Approximate sd of log10(estimated level): Ct noise of the follow-up mean, the
    fitted line at x0, and the control-gene correction (3 vs 3 replicates)."""
    xs = [math.log10(d.dilution) for d in curve.dilutions if d.reproducible for _ in d.amplified]
    xbar = sum(xs) / len(xs)
    sxx = sum((x - xbar) ** 2 for x in xs)
    var_ct = design.noise_sd**2 * (1 / m + 1 / len(xs) + (x0 - xbar) ** 2 / sxx)
    var_cg = design.control_noise_sd**2 * (2 / 3) / design.control_slope**2
    return math.sqrt(var_ct / curve.slope**2 + var_cg)


def test_levels_recovered_within_expected_error_over_many_runs():
    design = RunDesign(followups=TRUTH, dna_shift={"FU-LESSDNA": 1.5})
    z = []
    for seed in range(40):
        interp = _interpret(simulate_run(design, seed))
        curve = interp.curves[0]
        assert curve.accepted
        for r in interp.results:
            assert r.mrd_class is MRDClass.QUANTIFIABLE, (seed, r.reason)
            truth = TRUTH[r.sample]
            err = math.log10(r.level / 100) - math.log10(truth)
            z.append(err / _expected_sd(curve, design, math.log10(truth)))
    z = np.array(z)
    assert np.all(np.abs(z) < 4.5)
    assert abs(z.mean()) < 0.25  # no bias
    assert 0.75 < z.std() < 1.3  # the stated error is the real error


def test_classes_below_the_quantitative_range_and_without_leukemia():
    design = RunDesign(
        followups={"LOW": 3e-5, "NONE": 0.0},
        background_ct=39.5,
        background_followups=("BG",),
    )
    counts = {"LOW": set(), "NONE": set(), "BG": set()}
    for seed in range(30):
        for r in _interpret(simulate_run(design, seed)).results:
            counts[r.sample].add(r.mrd_class)
    assert counts["NONE"] == {MRDClass.NEGATIVE}
    assert MRDClass.QUANTIFIABLE not in counts["LOW"]
    assert MRDClass.POSITIVE_NOT_QUANTIFIABLE in counts["LOW"]
    assert counts["BG"] <= {MRDClass.NON_SPECIFIC, MRDClass.NEGATIVE}


@settings(max_examples=25, deadline=None)
@given(
    slope=st.floats(-3.8, -3.2),
    intercept=st.floats(18, 24),
    log_level=st.floats(-3.6, -1),
    shift=st.floats(-1, 0.5),
)
def test_noise_free_runs_recover_the_level(slope, intercept, log_level, shift):
    design = RunDesign(
        slope=slope,
        intercept=intercept,
        noise_sd=0.0,
        control_noise_sd=0.0,
        control_slope=-3.32,
        genomes_per_well=1e12,
        followups={"FU": 10**log_level},
        dna_shift={"FU": shift},
        background_ct=None,
    )
    (r,) = _interpret(simulate_run(design, 0)).results
    assert r.mrd_class is MRDClass.QUANTIFIABLE
    # Cts are written with 3 decimals: at most 5e-4 Ct of rounding per value
    assert math.log10(r.level / 100) == pytest.approx(log_level, abs=2e-3 / abs(slope) * 3)


@pytest.mark.parametrize("name", ["run_single_marker.csv", "run_two_markers.csv"])
def test_committed_runs_are_reproducible(tmp_path, name):
    import importlib.util

    spec = importlib.util.spec_from_file_location("make_runs", DATA / "make_runs.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    assert mod.render(mod.FILES[name]()) == (DATA / name).read_text(encoding="utf-8")


def test_committed_single_marker_run():
    interp = interpret_run(read_run(DATA / "run_single_marker.csv"))
    assert interp.accepted
    got = {r.sample: r for r in interp.results}
    assert got["FU-LOW"].mrd_class is MRDClass.POSITIVE_NOT_QUANTIFIABLE
    assert got["FU-NEG"].mrd_class is MRDClass.NEGATIVE
    assert got["FU-BACKGROUND"].mrd_class is MRDClass.NEGATIVE  # background level
    assert got["FU-BACKGROUND"].background_level
    for name, truth in TRUTH.items():
        assert got[name].mrd_class is MRDClass.QUANTIFIABLE
        assert abs(math.log10(got[name].level / 100 / truth)) < 0.15, name


def test_committed_two_marker_run_combines():
    interp = interpret_run(read_run(DATA / "run_two_markers.csv"))
    samples = {s.sample: s for s in interp.samples}
    assert samples["FU-NEG"].mrd_class is MRDClass.NEGATIVE
    assert samples["FU-NEG"].markers == ("IGH-1", "TRG-1")
    by = {(r.sample, r.marker): r for r in interp.results}
    top = max(by[("FU-MID", "IGH-1")].level, by[("FU-MID", "TRG-1")].level)
    assert samples["FU-MID"].level == top


def test_write_run_csv_round_trips(tmp_path):
    rows = simulate_run(RunDesign(followups={"A": 1e-3}), 3)
    run = read_run(write_run_csv(rows, tmp_path / "r.csv"))
    assert len(run.wells) == len(rows)
