"""A data cut-off earlier than the last events: remission's Kaplan-Meier from the
untruncated cohort with ``--data-cutoff`` equals R's ``survfit`` on the same data
truncated at the cut-off by hand (tests/reference/make_reference_cutoff.R writes
cutoff.json; R and survival versions are recorded in it)."""

import json
from pathlib import Path

import numpy as np
import pytest

from remission.cli import main
from remission.cohort.cohort import load_cohort
from remission.stats.km import km

REF = Path(__file__).resolve().parents[1] / "reference"
FIXTURE = json.loads((REF / "cutoff.json").read_text())
DATA = REF / "data" / "cutoff_cohort.csv"
RTOL = 1e-6


def _arr(values) -> np.ndarray:
    return np.array([np.nan if v is None else v for v in values], float)


@pytest.mark.parametrize("endpoint", ["OS", "EFS"])
def test_km_with_cutoff_equals_survfit_on_hand_truncated_data(endpoint):
    r = FIXTURE[endpoint]
    cohort = load_cohort(DATA, data_cutoff=FIXTURE["data_cutoff"])
    data = cohort.endpoint(endpoint, origin="hsct")
    assert data.attrs["after_cutoff"] == r["events_after_cutoff"][0] > 0
    g = km(data, "time", "event", conf_type="log-log").groups[0]
    np.testing.assert_array_equal(g.time, _arr(r["time"]))
    for name in ("n_risk", "n_event", "n_censor"):
        np.testing.assert_array_equal(getattr(g, name), _arr(r[name]))
    for name, ours in (("surv", g.survival), ("std_err_log", g.std_err_log),
                       ("lower", g.lower), ("upper", g.upper)):  # fmt: skip
        np.testing.assert_allclose(ours, _arr(r[name]), rtol=RTOL, atol=0, equal_nan=True)


def test_the_command_line_says_how_many_events_fell_after_the_cutoff(capsys):
    code = main(["km", str(DATA), "--endpoint", "OS", "--origin", "hsct",
                 "--data-cutoff", FIXTURE["data_cutoff"], "--json"])  # fmt: skip
    out = json.loads(capsys.readouterr().out)
    assert code == 0
    n = FIXTURE["OS"]["events_after_cutoff"][0]
    assert f"{n} events after the data cut-off 2020-06-30 censored at it" in out["note"]
