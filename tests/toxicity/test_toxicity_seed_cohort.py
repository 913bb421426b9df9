"""The synthetic observations for the seed letter's toxicities reproduce its grades.

data/seed_cohort_observations.csv is synthetic: it encodes the letter's description
(three patients with grade 1-2 CRS; P07 with interruption, steroids and a lower-dose
restart; P03 and P09 resolving without steroids or tocilizumab; P07's neurotoxicity,
confusion and somnolence, resolving on interruption). The letter gives no ICANS grade;
the file encodes ASTCT grade 2 (awakens to voice; CAPD 6 < 9), see docs/toxicity.md.
"""

from pathlib import Path

from remission.toxicity import (
    grade_observations,
    read_observations,
    summarise_max_grades,
    summarise_patients,
    summarise_recorded_grades,
)

DATA = Path(__file__).parent / "data"
RECORDED_CRS = {"P03": 1, "P07": 2, "P09": 1}


def _patients():
    return summarise_patients(
        grade_observations(read_observations(DATA / "seed_cohort_observations.csv"))
    )


def test_reproduces_recorded_crs_grades():
    got = {p.patient_id: p.crs.max_grade for p in _patients()}
    assert got == RECORDED_CRS


def test_neurotoxicity_only_in_p07():
    got = {p.patient_id: p.icans.max_grade for p in _patients()}
    assert got == {"P03": 0, "P07": 2, "P09": 0}
    p07 = next(p for p in _patients() if p.patient_id == "P07")
    assert (p07.icans.onset_day, p07.icans.duration_days, p07.icans.resolved) == (3, 1.0, True)


def test_management_matches_the_letter():
    got = {p.patient_id: p.management for p in _patients()}
    assert got == {"P03": (), "P07": ("interruption", "dose reduction", "steroids"), "P09": ()}
    assert all(p.crs.resolved for p in _patients())


def test_observed_and_recorded_summaries_agree_on_the_crs_patients():
    observed = summarise_max_grades(_patients(), "CRS")
    recorded = summarise_recorded_grades(list(RECORDED_CRS.values()), "CRS")
    assert [(r.label, r.n) for r in observed.rows] == [(r.label, r.n) for r in recorded.rows]
    assert (observed.source, recorded.source) == ("observations", "recorded grades")
