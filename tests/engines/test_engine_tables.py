"""Every engine's count table equals the in-memory one: random data (hypothesis) and the
seed cohort's endpoints; bad input gives the same messages."""

import numpy as np
import pandas as pd
import pytest
from conftest import ENGINES
from helpers import assert_same_table
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from remission.cohort.problems import InputError
from remission.datasets import load_seed_cohort, seed_cohort_path
from remission.engines import EngineInput, count, count_endpoint
from remission.stats.counts import count_table
from remission.stats.frontend import survival_data

EXAMPLES = {"duckdb": 40, "spark": 6}


@st.composite
def survival_frames(draw):
    """Small tables: integer or fractional times, 0/1 events, text or numeric groups, with
    some missing values."""
    n = draw(st.integers(1, 60))
    seed = draw(st.integers(0, 2**31 - 1))
    rng = np.random.default_rng(seed)
    integer = draw(st.booleans())
    t = rng.integers(0, 40, n) if integer else np.round(rng.exponential(20, n), 2)
    e = rng.integers(0, 2, n)
    kind = draw(st.sampled_from(["text", "int", "float"]))
    g = {
        "text": rng.choice(["a", "b", "c"], n).astype(object),
        "int": rng.integers(1, 4, n),
        "float": rng.integers(1, 4, n).astype(float),
    }[kind]
    df = pd.DataFrame({"t": t, "e": e, "g": g})
    if draw(st.booleans()) and n > 2:
        df.loc[int(rng.integers(0, n)), "g"] = None if kind == "text" else np.nan
        df.loc[int(rng.integers(0, n)), "t"] = np.nan
    return df


def _memory(df, group):
    sd = survival_data(df, "t", "e", group, require_events=False)
    return sd.count_table(), sd.excluded


@pytest.mark.parametrize("engine", ENGINES)
def test_engine_table_equals_memory_on_random_data(engine):
    @settings(
        max_examples=EXAMPLES[engine],
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow],
    )
    @given(df=survival_frames(), grouped=st.booleans())
    def check(df, grouped):
        group = "g" if grouped else None
        try:
            mem, excluded = _memory(df, group)
        except InputError as exc:  # e.g. nothing left: the engine says the same
            with pytest.raises(InputError) as got:
                count(EngineInput(frame=df), "t", "e", group, engine=engine, require_events=False)
            assert got.value.render() == exc.render()
            return
        got = count(EngineInput(frame=df), "t", "e", group, engine=engine, require_events=False)
        assert_same_table(got.table, mem)
        assert got.excluded == excluded
        assert got.n_input == len(df)

    check()


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("origin", ["hsct", "blinatumomab", "diagnosis"])
def test_seed_cohort_endpoints_equal_memory(engine, origin):
    cohort = load_seed_cohort()
    inp = EngineInput(path=str(seed_cohort_path()))
    for endpoint in ("EFS", "OS", "CIR", "NRM"):
        frame = cohort.endpoint(endpoint, origin=origin)
        if frame.empty:  # the seed has no diagnosis dates: no rows either way
            with pytest.raises(InputError, match="no rows with a time"):
                count_endpoint(
                    inp, endpoint, origin, cohort.data_cutoff, study=cohort.study, engine=engine
                )
            continue
        got, excluded = count_endpoint(
            inp, endpoint, origin, cohort.data_cutoff, group="sex", study=cohort.study,
            engine=engine,
            require_events=False,
        )  # fmt: skip
        assert excluded == tuple(frame.attrs["excluded"])
        sd = survival_data(frame, "time", "event", "sex", event_codes=(0, 1, 2),
                           require_events=False)  # fmt: skip
        mem = count_table(
            sd.time, sd.event, sd.group, group_labels=sd.group_labels, causes=got.table.causes
        )
        assert_same_table(got.table, mem)


@pytest.mark.parametrize("engine", ENGINES)
def test_strata_tables_equal_memory(engine):
    from remission.stats.logrank import stratum_tables

    rng = np.random.default_rng(7)
    n = 300
    df = pd.DataFrame({"t": rng.integers(0, 50, n), "e": rng.integers(0, 2, n),
                       "g": rng.choice(["x", "y"], n), "s": rng.integers(1, 4, n)})  # fmt: skip
    got = count(EngineInput(frame=df), "t", "e", "g", "s", engine=engine)
    sd = survival_data(df, "t", "e", "g", "s")
    assert got.strata_labels == sd.strata_labels
    for a, b in zip(got.tables, stratum_tables(sd), strict=True):
        assert_same_table(a, b)


@pytest.mark.parametrize("engine", ENGINES)
def test_bad_values_are_reported_as_in_memory(engine):
    df = pd.DataFrame({"t": ["1", "2", "x", "-3", "4"], "e": ["0", "1", "1", "0", "7"]})
    with pytest.raises(InputError) as mem:
        survival_data(df, "t", "e")
    with pytest.raises(InputError) as got:
        count(EngineInput(frame=df), "t", "e", engine=engine)
    assert got.value.render() == mem.value.render()
    assert "row 4" in got.value.render() and "event code not allowed" in got.value.render()


def test_competing_codes_and_missing_column():
    df = pd.DataFrame({"t": [1, 2, 3, 4], "e": [0, 1, 2, 2]})
    got = count(EngineInput(frame=df), "t", "e", event_codes=None)
    assert got.table.causes == (1, 2)
    assert got.table.n_event.sum(axis=0).tolist() == [1, 2]
    with pytest.raises(InputError, match="column not found"):
        count(EngineInput(frame=df), "t", "dead")
