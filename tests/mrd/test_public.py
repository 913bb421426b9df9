"""The public surface of remission.mrd is exactly what is intended."""

import remission.mrd as mrd
from remission.cohort import mrdvalue


def test_public_names():
    assert sorted(mrd.__all__) == sorted(
        """Check DilutionSummary EuroMRDRules Kinetics KineticsStep LogReduction MRDClass
        MRDQualifier MRDResponse MRDValue MarkerResult Order ResponseAssessment
        ResponseRules Role Run RunInterpretation RunNotAcceptedError SampleResult StandardCurve TimePoint Well
        assess_response classify_followup combine_markers compare_mrd fit_standard_curve
        interpret_run kinetics_by_patient log_reduction mrd_cr_2021 mrd_kinetics parse_mrd read_mrd_series
        read_run""".split()
    )
    for name in mrd.__all__:
        assert hasattr(mrd, name)


def test_value_type_is_reexported_not_copied():
    assert mrd.MRDValue is mrdvalue.MRDValue
    assert mrd.parse_mrd is mrdvalue.parse_mrd
