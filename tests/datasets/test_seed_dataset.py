"""The bundled seed cohort: reproducible from its script, and faithful to the letter.

Every expected number below is printed in the seed letter (Table 1 and text); the
Kaplan-Meier products are computed here by hand, not by the package.
"""

from __future__ import annotations

import pandas as pd
import pytest

from remission import reconstruct
from remission.cohort.schema import DATE_COLUMNS as CORE_DATE_COLUMNS
from remission.datasets import seed_cohort_path, seed_readme_path, seed_study_path
from remission.endpoints import derive_endpoint

# the seed study's intervention start is a study column (issue 10), not a core one
DATE_COLUMNS = (*CORE_DATE_COLUMNS, "blinatumomab_start_date")

THREE_YEARS = 3 * 365.25


@pytest.fixture(scope="module")
def cohort() -> pd.DataFrame:
    frame = pd.read_csv(seed_cohort_path(), dtype=str, keep_default_na=False)
    for c in DATE_COLUMNS:
        frame[c] = pd.to_datetime(frame[c].replace("", None), format="%Y-%m-%d")
    return frame


@pytest.fixture(scope="module")
def cutoff() -> str:
    import yaml

    return str(yaml.safe_load(seed_study_path().read_text(encoding="utf-8"))["data_cutoff_date"])


def km_at(times, events, horizon: float) -> float:
    """Plain Kaplan-Meier product: events before censorings at tied times."""
    pairs = sorted(zip(times, events, strict=True))
    s = 1.0
    for t in sorted({t for t, e in pairs if e and t <= horizon}):
        n = sum(1 for u, _ in pairs if u >= t)
        d = sum(1 for u, e in pairs if u == t and e)
        s *= 1 - d / n
    return s


def test_script_reproduces_committed_file_byte_for_byte():
    committed = seed_cohort_path().read_bytes()
    assert reconstruct.render_csv().encode("utf-8") == committed


def test_main_writes_the_same_bytes(tmp_path):
    target = tmp_path / "seed.csv"
    assert reconstruct.main([str(target)]) == 0
    assert target.read_bytes() == seed_cohort_path().read_bytes()


def test_bundled_files_exist():
    for path in (seed_cohort_path(), seed_study_path(), seed_readme_path()):
        assert path.is_file(), path


def test_eleven_patients_in_table1_order(cohort):
    assert list(cohort["patient_id"]) == [f"P{i:02d}" for i in range(1, 12)]
    assert list(cohort["sex"]) == list("MFMFMMFFMMF")
    assert list(cohort["age_at_blinatumomab_years"]) == [
        "0.75", "0.75", "0.5", "0.41", "0.5", "0.5", "0.5", "0.2", "0.2", "2.9", "0.2",
    ]  # fmt: skip


def test_days_blinatumomab_to_hsct(cohort):
    days = (cohort["hsct_date"] - cohort["blinatumomab_start_date"]).dt.days
    assert cohort["hsct_date"].notna().all()
    assert (days.median(), days.min(), days.max()) == (51, 34, 119)


def test_followup_of_survivors_after_hsct(cohort):
    alive = cohort[cohort["death_date"].isna()]
    days = (alive["last_followup_date"] - alive["hsct_date"]).dt.days
    assert len(alive) == 9
    assert (days.median(), days.min(), days.max()) == (267, 58, 1163)


def test_deaths_and_relapses_after_hsct(cohort, cutoff):
    efs = derive_endpoint(cohort, "CIR", "hsct", data_cutoff=cutoff).frame.set_index("patient_id")
    relapses = efs[efs["event"] == 1]["time"].to_dict()
    assert relapses == {"P04": 35.0, "P06": 92.0, "P08": 108.0, "P11": 133.0}
    assert cohort.set_index("patient_id").loc["P04", "relapse_lineage"] == "AML lineage switch"
    assert {p: cohort.set_index("patient_id").loc[p, "mrd_post_percent"] for p in ("P06", "P08", "P11")} == {
        "P06": "0.05", "P08": "<0.005", "P11": "<0.005",
    }  # fmt: skip
    nrm = derive_endpoint(cohort, "NRM", "hsct", data_cutoff=cutoff).frame
    assert nrm[nrm["event"] == 1][["patient_id", "time"]].values.tolist() == [["P09", 57.0]]
    os_ = derive_endpoint(cohort, "OS", "hsct", data_cutoff=cutoff).frame.set_index("patient_id")
    assert os_.loc["P09", "cause_of_death"] == "parainfluenza pneumonitis"
    assert os_.loc["P04", "event"] == 1 and os_.loc["P04", "time"] > 35


@pytest.mark.parametrize(
    ("endpoint", "origin", "percent"),
    [
        ("EFS", "hsct", 47),
        ("OS", "hsct", 81),
        ("EFS", "blinatumomab", 51),
        ("OS", "blinatumomab", 79),
    ],
)
def test_three_year_kaplan_meier(cohort, cutoff, endpoint, origin, percent):
    data = derive_endpoint(cohort, endpoint, origin, data_cutoff=cutoff)
    assert data.excluded == ()
    s = km_at(data.frame["time"], data.frame["event"], THREE_YEARS)
    assert round(100 * s) == percent
    # no ties: GraphPad and R agree whatever their tie rule
    assert data.frame["time"].is_unique


def test_km_products_match_the_issue_arithmetic(cohort, cutoff):
    def surv(endpoint: str, origin: str) -> float:
        f = derive_endpoint(cohort, endpoint, origin, data_cutoff=cutoff).frame
        return km_at(f["time"], f["event"], THREE_YEARS)

    assert surv("OS", "hsct") == pytest.approx(10 / 11 * 8 / 9, rel=1e-12)
    assert surv("EFS", "hsct") == pytest.approx(10 / 11 * 9 / 10 * 6 / 7 * 5 / 6 * 4 / 5, rel=1e-12)
    assert surv("OS", "blinatumomab") == pytest.approx(9 / 10 * 7 / 8, rel=1e-12)


def test_blinatumomab_given_2016_to_2019(cohort):
    years = cohort["blinatumomab_start_date"].dt.year
    assert years.min() >= 2016 and years.max() <= 2019


def test_published_table1_outcomes(cohort):
    c = cohort.set_index("patient_id")
    assert list(c["crs_grade"]) == ["0", "0", "1", "0", "0", "0", "2", "0", "1", "0", "0"]
    assert c.loc["P07", "neurotoxicity_grade"] == ""
    assert (c["mrd_post_percent"] == "<0.005").sum() == 9
    assert (
        c.loc["P09", "mrd_pre_percent"] == "40" and c.loc["P09", "lymphocytes_pre_1e9_per_l"] == ""
    )
    assert c.loc["P05", "mrd_pre_percent"] == "0.28"
    assert (
        (c.loc[["P03", "P04", "P11"], ["mrd_pre_percent", "lymphocytes_pre_1e9_per_l"]] == "")
        .all()
        .all()
    )
    assert (c["blinatumomab_cycles"] == "").all()
    assert c.loc["P08", "post_relapse_therapy"] == "CD19 CAR T-cells planned"
    assert (c["kmt2a_rearranged"] == "yes").all()


def test_every_origin_excludes_or_keeps_with_reason(cohort, cutoff):
    data = derive_endpoint(cohort, "EFS", "diagnosis", data_cutoff=cutoff)
    assert len(data.frame) == 0
    assert data.excluded == tuple((f"P{i:02d}", "diagnosis_date missing") for i in range(1, 12))


def test_load_seed_cohort_validates_and_derives_endpoints():
    from remission.datasets import load_seed_cohort

    seed = load_seed_cohort()
    assert seed.n == 11 and str(seed.data_cutoff) == "2019-12-31"
    assert seed.dropped == ()
    efs = seed.endpoint("EFS", origin="hsct")
    assert list(efs["patient_id"]) == [f"P{i:02d}" for i in range(1, 12)]
    assert round(100 * km_at(efs["time"], efs["event"], THREE_YEARS)) == 47
    assert {"sex", "mrd_post_percent", "donor"} <= set(efs.columns)
