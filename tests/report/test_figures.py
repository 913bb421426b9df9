"""Figures: the number-at-risk table equals the count table at each tick; files written."""

import re

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from remission.report.figures import (
    Panel,
    curves_from_cif,
    curves_from_km,
    risk_at,
    save_figure,
    survival_figure,
    svg_text,
)
from remission.report.figures.survival import tick_days
from remission.stats.counts import count_table

# 6 patients by hand: times 2, 3, 3+, 5, 6+, 8 (days x 30 below).
# Count table: t=2 r6 d1; t=3 r5 d1 c1; t=5 r3 d1; t=6 r2 c1; t=8 r1 d1.
# S: 5/6, 5/6*4/5 = 2/3, 2/3*2/3 = 4/9, 4/9, 0.
TIME = np.array([2, 3, 3, 5, 6, 8]) * 30.0
EVENT = np.array([1, 1, 0, 1, 0, 1])


def _km_dict(groups):
    """A KM result dict in the issue-3 JSON shape, built by hand from the rows above."""
    return {"conf_type": "log-log", "conf_level": 0.95, "groups": groups}


def _group(label, rows):
    keys = ("time", "n_risk", "n_event", "n_censor", "survival", "lower", "upper")
    return {"group": label, "table": [dict(zip(keys, r, strict=True)) for r in rows]}


HAND_A = _group(
    "A",
    [
        (60.0, 6, 1, 0, 5 / 6, 0.27, 0.97),
        (90.0, 5, 1, 1, 2 / 3, 0.19, 0.90),
        (150.0, 3, 1, 0, 4 / 9, 0.07, 0.78),
        (180.0, 2, 0, 1, 4 / 9, 0.07, 0.78),
        (240.0, 1, 1, 0, 0.0, None, None),
    ],
)
HAND_B = _group("B", [(30.0, 3, 0, 1, 1.0, None, None), (400.0, 2, 1, 1, 0.5, 0.01, 0.9)])


def _risk_texts(fig, k):
    """Numbers printed in the k-th risk-table axes, as a dict row -> list of ints."""
    ax = fig.axes[2 * k + 1]
    rows: dict[float, list[tuple[float, int]]] = {}
    for t in ax.texts:
        if t.get_text().isdigit() and t.get_transform() == ax.transData:
            x, y = t.get_position()
            rows.setdefault(y, []).append((x, int(t.get_text())))
    return {y: [n for _, n in sorted(v)] for y, v in rows.items()}


def test_number_at_risk_equals_count_table_at_each_tick():
    table = count_table(TIME, EVENT)
    curves = curves_from_km(_km_dict([HAND_A]))
    fig = survival_figure([Panel("A", "EFS", "EFS (%)", curves)], unit="months")
    ticks = tick_days(240.0, "months")
    printed = _risk_texts(fig, 0)
    assert list(printed.values()) == [list(table.risk_at(0, ticks))]
    # by hand: ticks 0..8 months (0, 30.4, 60.9, 91.3, ... 243.5 days)
    assert list(ticks / 30.4375) == list(range(9))
    assert list(table.risk_at(0, ticks)) == [6, 6, 5, 3, 3, 2, 1, 1, 0]


def test_grouped_curves_each_have_their_risk_row():
    time = np.array([2, 3, 3, 5, 6, 8, 1, 400 / 30, 400 / 30]) * 30.0
    event = np.array([1, 1, 0, 1, 0, 1, 0, 1, 0])
    group = np.array([0] * 6 + [1] * 3)
    table = count_table(time, event, group, group_labels=("A", "B"))
    fig = survival_figure(
        [Panel("A", "EFS", "EFS (%)", curves_from_km(_km_dict([HAND_A, HAND_B])))]
    )
    ticks = tick_days(400.0, "months")
    printed = _risk_texts(fig, 0)
    top, bottom = printed[1.0], printed[0.0]  # group A is the upper row
    assert top == list(table.risk_at(0, ticks))
    assert bottom == list(table.risk_at(1, ticks))
    labels = [t.get_text() for t in fig.axes[1].texts]
    assert "A" in labels and "B" in labels
    assert {"A", "B"} <= {t.get_text() for t in fig.texts}  # the legend, outside the axes


def test_curve_steps_and_censor_marks_come_from_the_table():
    (c,) = curves_from_km(_km_dict([HAND_A]))
    x, y = c.steps()
    assert list(x) == [0.0, 60.0, 90.0, 150.0, 180.0, 240.0]
    assert y[0] == 1.0 and y[-1] == 0.0
    assert list(c.censor_time) == [90.0, 180.0]
    assert list(c.censor_value) == pytest.approx([2 / 3, 4 / 9], rel=1e-12)
    assert list(risk_at(c.risk_time, c.risk_n, [0, 60, 61, 240, 241])) == [6, 6, 5, 1, 0]


def test_cif_curves_start_at_zero_and_use_given_risk_table():
    cif = {
        "causes": [
            {"cause": 1, "group": "all", "at": [{"time": 35.0, "estimate": 0.1, "lower": 0.0,
                                                  "upper": 0.4}]},
            {"cause": 2, "group": "all", "at": [{"time": 57.0, "estimate": 0.09,
                                                  "lower": None, "upper": None}]},
        ]
    }  # fmt: skip
    (c,) = curves_from_cif(cif, cause=1, risk={"all": (np.array([35.0]), np.array([11]))},
                           censor={"all": np.array([40.0, 20.0])})  # fmt: skip
    assert c.start == 0.0 and list(c.value) == [0.1]
    assert list(c.censor_value) == [0.0, 0.1]  # censored on days 20 and 40
    # the curve is carried to the end of follow-up (day 40), past its last event (day 35)
    x, y = c.steps()
    assert list(x) == [0.0, 35.0, 40.0] and list(y) == [0.0, 0.1, 0.1]
    fig = survival_figure([Panel("", "CIR", "Cumulative incidence (%)", [c], kind="incidence")],
                          unit="days")  # fmt: skip
    assert _risk_texts(fig, 0)[0.0][0] == 11


@pytest.mark.parametrize(("days", "unit", "step"), [(1163, "months", 6), (1163, "years", 0.5),
                                                    (200, "days", 30), (5000, "years", 2)])  # fmt: skip
def test_ticks_are_clinical_steps_covering_follow_up(days, unit, step):
    t = tick_days(days, unit)
    factor = {"months": 30.4375, "years": 365.25, "days": 1.0}[unit]
    assert t[0] == 0 and t[-1] >= days
    assert np.allclose(np.diff(t) / factor, step)
    assert len(t) <= 9


def test_svg_is_self_contained_and_png_is_300_dpi(tmp_path):
    from PIL import Image

    fig = survival_figure([Panel("A", "EFS", "EFS (%)", curves_from_km(_km_dict([HAND_A])))])
    svg, png, inline = save_figure(fig, tmp_path / "fig")
    assert inline == svg.read_text()
    text = svg.read_text()
    assert "<text" not in text  # fonts embedded as paths
    assert "<!DOCTYPE" not in text and "<metadata" not in text
    assert "http" not in text.replace('"http://www.w3.org/', "")
    assert 'xlink:href="http' not in text and "@import" not in text
    with Image.open(png) as im:
        assert round(im.info["dpi"][0]) == 300
        assert im.size[0] == pytest.approx(85 / 25.4 * 300, abs=3)
    assert svg_text(fig).startswith("<?xml")
    # the PNG reuses the layout fixed by the SVG rendering: same aspect ratio
    w_pt, h_pt = (float(x) for x in re.findall(r'viewBox="0 0 ([\d.]+) ([\d.]+)"', text)[0])
    with Image.open(png) as im:
        assert im.size[1] / im.size[0] == pytest.approx(h_pt / w_pt, rel=0.01)


@settings(max_examples=8, deadline=None)
@given(
    st.lists(st.tuples(st.integers(1, 400), st.integers(0, 1), st.integers(0, 1)),
             min_size=1, max_size=30),
    st.sampled_from(["days", "months", "years"]),
)  # fmt: skip
def test_property_risk_row_equals_count_table(rows, unit):
    """For any data, the printed number at risk at every tick is CountTable.risk_at."""
    t = np.array([r[0] for r in rows], float)
    e = np.array([r[1] for r in rows])
    g = np.array([r[2] for r in rows])
    labels = tuple(sorted(set(g.tolist())))
    codes = np.searchsorted(np.array(labels), g)
    table = count_table(t, e, codes, group_labels=tuple(str(x) for x in labels))
    groups = []
    for k, lab in enumerate(table.group_labels):
        s = table.rows(k)
        groups.append(_group(lab, [(float(tt), int(r), int(d), int(c), 0.5, None, None)
                                   for tt, r, d, c in zip(table.time[s], table.n_risk[s],
                                                          table.n_event[s, 0], table.n_censor[s],
                                                          strict=True)]))  # fmt: skip
    fig = survival_figure([Panel("A", "x", "y", curves_from_km(_km_dict(groups)))], unit=unit)
    ticks = fig.axes[0].get_xticks() * {"months": 30.4375, "years": 365.25, "days": 1.0}[unit]
    assert ticks[0] == 0 and ticks[-1] >= t.max() - 1e-9
    printed = _risk_texts(fig, 0)
    n = len(groups)
    for k in range(n):
        assert printed[float(n - 1 - k)] == list(table.risk_at(k, ticks))
