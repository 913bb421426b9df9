"""Figure options: risk-table rows, censor thinning, medians, landmarks, palette, order,
axis breaks, widths, export formats; every number drawn comes from the result."""

import numpy as np
import pandas as pd
import pytest
from matplotlib.text import Text

import remission
from remission.report.figures.curves import Curve, cumulative_at, curves_from_km, ordered
from remission.report.figures.plot import export_figure, plot_km
from remission.report.figures.style import PALETTE, colour, line_style, width_mm

# 6 patients by hand (days): 60, 90, 90+, 150, 180+, 240 -> events at 60, 90, 150, 240;
# censored at 90 and 180.
HAND = pd.DataFrame({"t": [60, 90, 90, 150, 180, 240], "e": [1, 1, 0, 1, 0, 1]})


def _rows(fig, title):
    """The counts printed in the risk-table block titled ``title`` (one group)."""
    for ax in fig.axes:
        if any(t.get_text() == title for t in ax.texts):
            cells = [t for t in ax.texts if t.get_text().isdigit()]
            return [int(t.get_text()) for t in sorted(cells, key=lambda t: t.get_position()[0])]
    raise AssertionError(f"no block {title!r}")


def test_events_and_censored_rows_are_cumulative_counts_at_each_tick():
    res = remission.km(HAND, "t", "e")
    fig = plot_km(res, unit="days", breaks=60, risk_rows=("at_risk", "events", "censored"))
    # ticks 0, 60, 120, 180, 240 days
    assert _rows(fig, "No. at risk") == [6, 6, 3, 2, 1]
    assert _rows(fig, "Cumulative events") == [0, 1, 2, 3, 4]
    assert _rows(fig, "Censored") == [0, 0, 1, 2, 2]
    assert list(cumulative_at(np.array([60.0, 90]), np.array([1, 2]), [0, 60, 89, 90])) == [
        0, 1, 1, 3]  # fmt: skip


def test_censor_ticks_are_thinned_not_invented():
    rng = np.random.default_rng(3)
    n = 2400
    df = pd.DataFrame({"t": rng.integers(1, 2000, n), "e": (rng.uniform(size=n) < 0.1).astype(int)})
    res = remission.km(df, "t", "e")
    true = set(res.groups[0].time[res.groups[0].n_censor > 0])
    fig = plot_km(res, unit="days")
    ax = next(a for a in fig.axes if a.axison)
    (marks,) = [ln for ln in ax.lines if ln.get_marker() == "|"]
    x = marks.get_xdata()
    width_pt = ax.get_position().width * fig.get_figwidth() * 72
    assert len(x) <= width_pt / 3 + 1 < len(true)  # one tick per 3 points at most
    assert set(x) <= true
    fig_all = plot_km(res, unit="days", censor="all")
    ax = next(a for a in fig_all.axes if a.axison)
    assert len(next(ln for ln in ax.lines if ln.get_marker() == "|").get_xdata()) == len(true)


def test_median_guides_and_landmark_cells_come_from_the_result():
    res = remission.km(HAND, "t", "e")
    fig = plot_km(res, unit="days", median=True, landmarks=[100])
    med = res.groups[0].median()
    assert med.time == 150  # S drops to 4/9 at 150 days
    ax = next(a for a in fig.axes if a.axison)
    guides = [ln for ln in ax.lines if ln.get_linestyle() == ":" or ln.get_color() == "0.45"]
    assert any(list(ln.get_xdata()) == [0, 150, 150] for ln in guides)
    at = res.groups[0].at([100])
    texts = {t.get_text() for t in fig.findobj(Text)}
    s, lo, hi = (at[k][0] for k in ("survival", "lower", "upper"))
    assert f"{100 * s:.0f} ({100 * lo:.0f}-{100 * hi:.0f})" in texts  # 67 (19-90)
    assert "150 (60-NR)" in texts  # median (95% CI), upper limit not reached


def test_twelve_groups_have_distinct_colour_and_style():
    pairs = {(colour(i), str(line_style(i))) for i in range(12)}
    assert len(pairs) == 12 and len({colour(i) for i in range(8)}) == 8
    assert len(PALETTE) == 8 and line_style(7) == "solid" and line_style(8) != "solid"


def test_order_is_the_declared_order():
    df = HAND.assign(g=["b", "a", "c", "b", "a", "c"])
    curves = curves_from_km(remission.km(df, "t", "e", group="g"))
    assert [c.label for c in ordered(curves, ["c", "a", "b"])] == ["c", "a", "b"]
    assert [c.label for c in ordered(curves, ["b"])] == ["b", "a", "c"]
    assert [c.label for c in ordered(curves, None)] == ["a", "b", "c"]


def test_breaks_and_xmax_set_the_axis():
    res = remission.km(HAND, "t", "e")
    fig = plot_km(res, unit="days", breaks=50, xmax=200)
    ax = next(a for a in fig.axes if a.axison)
    assert list(ax.get_xticks()) == [0, 50, 100, 150, 200]
    assert ax.get_xlim() == (0, 200)


def test_every_text_is_at_least_7_pt_at_print_size():
    res = remission.km(HAND.assign(g=["a", "b"] * 3), "t", "e", group="g")
    fig = plot_km(res, median=True, landmarks=[100], risk_rows=("at_risk", "events"))
    sizes = [t.get_fontsize() for t in fig.findobj(Text) if t.get_text().strip()]
    assert min(sizes) >= 7


def test_widths():
    assert width_mm("single") == 85 and width_mm("double") == 178 and width_mm("120") == 120
    with pytest.raises(ValueError, match="between 40 and 260"):
        width_mm(300)


def test_export_rejects_unknown_formats_and_dpi(tmp_path):
    fig = plot_km(remission.km(HAND, "t", "e"))
    with pytest.raises(ValueError, match="one of svg, pdf, png, tiff"):
        export_figure(fig, tmp_path / "x.jpg")
    with pytest.raises(ValueError, match="dpi"):
        export_figure(fig, tmp_path / "x.png", dpi=5000)
    assert list(tmp_path.iterdir()) == []
    assert export_figure(fig, tmp_path / "x.tif").read_bytes()[:2] in (b"II", b"MM")


def test_plot_curves_takes_any_step_curve():
    """Other estimators (Simon-Makuch, landmark) plug in as plain Curve objects."""
    from remission.report.figures.plot import plot_curves

    t = np.array([30.0, 60.0])
    c = Curve("x", t, np.array([0.9, 0.7]), np.full(2, np.nan), np.full(2, np.nan),
              np.array([45.0]), np.array([0.9]), t, np.array([10, 8]))  # fmt: skip
    fig = plot_curves([c], ylabel="Survival (%)", options=None)
    assert fig.axes[0].get_ylabel() == "Survival (%)"
