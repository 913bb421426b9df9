"""No text of a survival figure overlaps another text or the plotting area (issue 12).

Asserted from the drawn figure: the renderer's window extent of every visible text
(titles, test lines, legend, tick and axis labels, risk-table labels and counts) and of
every legend line sample, against each other and against each plot's data area, for
1, 2, 5 and 12 groups, at single and double column width, with every legend placement.
"""

import itertools

import numpy as np
import pandas as pd
import pytest
from matplotlib.lines import Line2D
from matplotlib.text import Text

import remission
from remission.report.figures.plot import plot_cif, plot_km
from remission.report.figures.style import figure_style

CENTRES = ["Birmingham", "Bristol Royal Hospital", "Cambridge", "Glasgow", "Leeds",
           "Liverpool Alder Hey", "London GOSH", "Manchester", "Newcastle", "Nottingham",
           "Oxford", "Sheffield"]  # fmt: skip


def cohort(k: int, n: int = 3000, seed: int = 12) -> pd.DataFrame:
    """``n`` patients in ``k`` centres; exponential event and censoring times (days)."""
    rng = np.random.default_rng(seed)
    centre = rng.choice(CENTRES[:k], n)
    rate = 1 / 900 * np.exp(np.array([CENTRES.index(c) for c in centre]) * 0.05)
    t_event = rng.exponential(1 / rate)
    t_cens = rng.uniform(30, 3300, n)
    cause = np.where(rng.uniform(size=n) < 0.7, 1, 2)
    return pd.DataFrame({"days": np.ceil(np.minimum(t_event, t_cens)),
                         "status": np.where(t_event <= t_cens, cause, 0), "centre": centre})  # fmt: skip


def boxes(fig):
    """Window extents of the visible texts and line samples, and of each plot's data area."""
    with figure_style():
        fig.canvas.draw()
        renderer = fig.canvas.get_renderer()
        texts = [t for t in fig.findobj(Text) if t.get_visible() and t.get_text().strip()]
        text_boxes = [(t.get_text(), t.get_window_extent(renderer)) for t in texts]
    lines = list(fig.lines) + [ln for ax in fig.axes if not ax.axison for ln in ax.lines]
    samples = [ln.get_window_extent(renderer) for ln in lines if isinstance(ln, Line2D)]
    plots = [ax.get_window_extent(renderer) for ax in fig.axes if ax.axison]  # not risk rows
    return text_boxes, samples, plots, fig.bbox


def overlaps(a, b, tol: float = 0.5) -> bool:
    return (min(a.x1, b.x1) - max(a.x0, b.x0) > tol) and (min(a.y1, b.y1) - max(a.y0, b.y0) > tol)


def assert_no_collision(fig):
    texts, samples, plots, page = boxes(fig)
    clash = [(a, b) for (a, ba), (b, bb) in itertools.combinations(texts, 2) if overlaps(ba, bb)]
    assert not clash, f"texts overlap: {clash[:5]}"
    on_plot = [s for s, bb in texts if any(overlaps(bb, p) for p in plots)]
    assert not on_plot, f"texts on the plotting area: {on_plot[:5]}"
    assert not [s for s in samples if any(overlaps(s, p) for p in plots)]
    assert not [t for t, bb in texts if any(overlaps(bb, s) for s in samples)]
    outside = [s for s, bb in texts if bb.x0 < -0.5 or bb.y0 < -0.5 or bb.x1 > page.x1 + 0.5
               or bb.y1 > page.y1 + 0.5]  # fmt: skip
    assert not outside, f"texts cut at the figure's edge: {outside[:5]}"
    return texts


def _km(k: int):
    df = cohort(k)
    df["event"] = (df["status"] > 0).astype(int)
    res = remission.km(df, "days", "event", group="centre" if k > 1 else None)
    test = remission.compare(df, "days", "event", group="centre") if k > 1 else None
    return res, test


@pytest.mark.parametrize("k", [1, 2, 5, 12])
@pytest.mark.parametrize("width", ["single", "double"])
@pytest.mark.parametrize("legend", ["auto", "right", "direct"])
def test_km_texts_never_overlap(k, width, legend):
    res, test = _km(k)
    fig = plot_km(res, test=test, width=width, legend=legend, title="Event-free survival",
                  risk_rows=("at_risk", "events", "censored"))  # fmt: skip
    texts = assert_no_collision(fig)
    labels = {s for s, _ in texts}
    assert k == 1 or set(CENTRES[:k]) <= labels  # every group is named
    assert k == 1 or any(s.startswith("Log-rank p") for s in labels)


@pytest.mark.parametrize("k", [1, 2, 5, 12])
@pytest.mark.parametrize("width", ["single", "double"])
def test_km_with_medians_and_landmarks_never_overlaps(k, width):
    res, test = _km(k)
    fig = plot_km(res, test=test, width=width, median=True, landmarks=[365.25, 1095.75],
                  unit="years")  # fmt: skip
    texts = assert_no_collision(fig)
    assert any(s.startswith("Median") for s, _ in texts)


@pytest.mark.parametrize("k", [1, 5, 12])
def test_cif_texts_never_overlap(k):
    df = cohort(k)
    group = "centre" if k > 1 else None
    res = remission.cif(df, "days", "status", group=group)
    df["any"] = (df["status"] > 0).astype(int)
    at_risk = remission.km(df, "days", "any", group=group)
    fig = plot_cif(res, 1, at_risk=at_risk, landmarks=[1095.75], risk_rows=("at_risk", "events"))
    assert_no_collision(fig)


def test_the_checker_sees_a_collision():
    """The overlap check fails on a figure with a text put on the curves."""
    res, test = _km(2)
    fig = plot_km(res, test=test)
    ax = next(a for a in fig.axes if a.axison)
    ax.text(0.5, 0.5, "on the curves", transform=ax.transAxes)
    with pytest.raises(AssertionError, match="plotting area"):
        assert_no_collision(fig)


@pytest.mark.parametrize("k", [1, 12])
def test_stacked_report_panels_never_overlap(k):
    """The report's figures: two panels (A, B) with a note each, stacked in one column."""
    from remission.report.figures import Panel, curves_from_km, survival_figure

    res, _ = _km(k)
    panels = [Panel(letter, f"{name} after HSCT", f"{name} (%)", curves_from_km(res.to_dict()),
                    note="3-year EFS 47 % (95 % CI 15-74)", extra={"origin": "HSCT"})
              for letter, name in (("A", "EFS"), ("B", "OS"))]  # fmt: skip
    assert_no_collision(survival_figure(panels, unit="months"))


def test_a_very_long_group_label_is_shortened_not_overlapping():
    df = cohort(2)
    df["event"] = (df["status"] > 0).astype(int)
    df["centre"] = df["centre"].map({"Birmingham": "B", "Bristol Royal Hospital": "X" * 20 +
                                     " Children's Hospital for Sick Children and Adolescents"})  # fmt: skip
    res = remission.km(df, "days", "event", group="centre")
    fig = plot_km(res, median=True, risk_rows=("at_risk", "events"))
    texts = [s for s, _ in assert_no_collision(fig)]
    assert any(s.endswith("\u2026") and s.startswith("XXXX") for s in texts)
