"""MRD time series from a long table, kinetics per patient, and their presentation."""

import pytest

from remission.cohort.problems import InputError
from remission.mrd import MRDResponse, kinetics_by_patient, read_mrd_series
from remission.mrd.present import kinetics_figure, render_kinetics

TABLE = "patient,time,mrd\nP5,0,0.28\nP5,30,0.06\nP1,30,<0.005\nP1,0,0.1\nP4,0,N/A\nP4,30,<0.005\n"


def _write(tmp_path, text):
    p = tmp_path / "mrd.csv"
    p.write_text(text, encoding="utf-8")
    return p


def test_series_sorted_per_patient_in_order_of_appearance(tmp_path):
    s = read_mrd_series(_write(tmp_path, TABLE))
    assert list(s) == ["P5", "P1", "P4"]
    assert [p.time for p in s["P1"]] == [0, 30]
    assert s["P4"][0].value.is_missing


def test_kinetics_by_patient(tmp_path):
    k = kinetics_by_patient(read_mrd_series(_write(tmp_path, TABLE)))
    assert k["P5"].best.category is MRDResponse.NO_RESPONSE
    assert k["P1"].best.category is MRDResponse.COMPLETE
    assert k["P4"].best.category is MRDResponse.COMPLETE
    text = render_kinetics(k)
    assert "patient P5: best response no_response" in text
    assert "time 30: <0.005  (from baseline >=1.30)" in text


def test_fraction_unit_and_other_column_names(tmp_path):
    text = "id,day,MRD\nA,0,3e-3\nA,28,<5x10-5\n"
    s = read_mrd_series(
        _write(tmp_path, text), patient="id", time="day", mrd="MRD", unit="fraction"
    )
    assert s["A"][0].value.level == pytest.approx(0.3)
    assert s["A"][1].value.limit == pytest.approx(0.005)


def test_every_problem_is_reported(tmp_path):
    text = "patient,time,mrd\nA,0,lots\n,1,0.1\nB,soon,0.1\nC,0,0.1\nC,0,0.2\n"
    with pytest.raises(InputError) as exc:
        read_mrd_series(_write(tmp_path, text))
    got = [(p.row, p.column, p.message) for p in exc.value.problems]
    assert got == [
        (2, "mrd", "not an MRD result"),
        (3, "patient", "patient is empty"),
        (4, "time", "time is not a number"),
        (6, "time", "a second MRD result at the same time for this patient"),
    ]


def test_missing_columns(tmp_path):
    with pytest.raises(InputError) as exc:
        read_mrd_series(_write(tmp_path, "patient,mrd\nA,0.1\n"))
    assert [p.column for p in exc.value.problems] == ["time"]


def test_kinetics_figure_draws_bounds_as_open_symbols(tmp_path):
    k = kinetics_by_patient(read_mrd_series(_write(tmp_path, TABLE)))
    fig = kinetics_figure(k)
    (ax,) = fig.get_axes()
    assert ax.get_yscale() == "log"
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["P5", "P1", "P4"]


def test_out_of_range_level_says_so(tmp_path):
    from remission.cohort.problems import InputError
    from remission.mrd import read_mrd_series

    p = tmp_path / "k.csv"
    p.write_text("patient,time,mrd\nP1,0,200\n")
    with pytest.raises(InputError) as exc:
        read_mrd_series(p)
    (problem,) = exc.value.problems
    assert (problem.row, problem.column, problem.value) == (2, "mrd", "200")
    assert "out of range 0-100 %" in problem.message
