"""Presentation of an interpreted run: text, CSV and the figure."""

import io
from pathlib import Path

import pytest

from remission.mrd import interpret_run, read_run
from remission.mrd.present import render_text, save_figure, standard_curve_figure, write_csv

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="module")
def two():
    run = read_run(DATA / "run_two_markers.csv")
    return run, interpret_run(run)


def test_text_has_curves_rows_and_combined_section(two):
    _, interp = two
    text = render_text(interp)
    assert text.count("check slope: ok") == 2
    assert "combined over markers:" in text
    assert "FU-NEG: negative" in text


def test_csv_one_row_per_sample_and_marker(two):
    _, interp = two
    buf = io.StringIO()
    write_csv(interp, buf)
    lines = buf.getvalue().splitlines()
    assert (
        lines[0] == "sample,marker,class,level_percent,sensitivity_percent,qr_limit_percent,reason"
    )
    assert len(lines) == 1 + len(interp.results) == 1 + 7 + 5


def test_figure_has_one_panel_per_marker_and_names_silent_samples(two):
    run, interp = two
    fig = standard_curve_figure(interp, run)
    axes = fig.get_axes()
    assert [a.get_title() for a in axes] == ["IGH-1", "TRG-1"]
    texts = [t.get_text() for t in axes[1].texts]
    assert "no amplification: FU-LOW, FU-NEG" in texts


def test_save_figure_is_atomic(two, tmp_path):
    run, interp = two
    fig = standard_curve_figure(interp, run)
    out = save_figure(fig, tmp_path / "c.svg")
    assert out.read_text(encoding="utf-8").lstrip().startswith("<?xml")
    with pytest.raises(ValueError):
        save_figure(fig, tmp_path / "c.xyz")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["c.svg"]


def test_figure_of_a_flat_curve_does_not_fail(tmp_path):
    from mrd_helpers import controls, followup, to_run

    rows = [("DX", "IGH", "standard", d, r, "30.0") for d in ("0.1", "0.01") for r in (1, 2, 3)]
    run = to_run(rows + controls() + followup("FU", (30.0, 30.0, 30.0)))
    fig = standard_curve_figure(interpret_run(run), run)
    assert save_figure(fig, tmp_path / "flat.png").stat().st_size > 0
