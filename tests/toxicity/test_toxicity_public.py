"""The public surface of remission.toxicity is exactly what is intended."""

import remission.toxicity as tox

EXPECTED = {
    "CAPD_AGE_RULES", "CAPD_CUTOFF", "FEVER_C", "ICE_MIN_AGE_YEARS", "LOW_FLOW_MAX_L_MIN",
    "MASKING_THERAPIES", "UNGRADED", "ASTCTRules", "AssessmentGrades", "CerebralEdema", "Consciousness", "Disagreement", "EpisodeSummary",
    "Grade", "GradeCount", "GradeDistribution", "GradingSystem", "Hypotension", "Motor",
    "Observation", "ObservationSet", "Oxygen", "PatientToxicity", "Seizure",
    "astct_crs_grade", "astct_icans_grade", "capd_anchor", "capd_total", "ctcae5_crs_grade",
    "disagreements", "grade_observations", "parse_observations", "read_observations",
    "summarise_max_grades", "summarise_patients", "summarise_recorded_grades",
}  # fmt: skip


def test_public_names():
    assert set(tox.__all__) == EXPECTED
    assert all(hasattr(tox, name) for name in tox.__all__)


def test_constants_are_the_consensus_thresholds():
    assert (tox.FEVER_C, tox.LOW_FLOW_MAX_L_MIN, tox.CAPD_CUTOFF, tox.ICE_MIN_AGE_YEARS) == (
        38.0, 6.0, 9, 12.0,
    )  # fmt: skip
