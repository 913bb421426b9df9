"""MRD values keep their qualifier: parsing what clinicians write, and log reductions."""

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from remission.cohort import MRDQualifier, MRDValue, log_reduction, parse_mrd

Q = MRDQualifier


@pytest.mark.parametrize(
    ("text", "unit", "qualifier", "level", "limit"),
    [
        ("0.06", "percent", Q.QUANTIFIABLE, 0.06, None),
        ("0.06%", "fraction", Q.QUANTIFIABLE, 0.06, None),
        ("6e-4", "fraction", Q.QUANTIFIABLE, 0.06, None),
        ("<0.005", "percent", Q.NEGATIVE, None, 0.005),
        ("<5x10-5", "percent", Q.NEGATIVE, None, 0.005),
        ("< 5 x 10^-5", "percent", Q.NEGATIVE, None, 0.005),
        ("PNQ", "percent", Q.POSITIVE_NOT_QUANTIFIABLE, None, None),
        ("pos <0.01", "percent", Q.POSITIVE_NOT_QUANTIFIABLE, None, 0.01),
        ("neg", "percent", Q.NEGATIVE, None, None),
        ("N/A", "percent", Q.MISSING, None, None),
        ("", "percent", Q.MISSING, None, None),
        (None, "percent", Q.MISSING, None, None),
        (40, "percent", Q.QUANTIFIABLE, 40.0, None),
    ],
)
def test_parse(text, unit, qualifier, level, limit):
    v = parse_mrd(text, unit=unit)
    assert v.qualifier is qualifier
    if level is None:
        assert v.level is None
    else:
        assert v.level == pytest.approx(level, rel=1e-12)
    if limit is None:
        assert v.limit is None
    else:
        assert v.limit == pytest.approx(limit, rel=1e-12)


@pytest.mark.parametrize("bad", ["abc", "-0.1", "101", "0.06 %%", "<", "1e400"])
def test_parse_rejects(bad):
    with pytest.raises(ValueError):
        parse_mrd(bad)


def test_negative_is_never_coerced():
    v = parse_mrd("<0.005")
    assert v.level is None and v.is_negative and not v.is_positive
    assert v.to_text() == "<0.005"


def test_log_reduction_exact_and_at_least():
    r = log_reduction(parse_mrd("0.28"), parse_mrd("0.06"))
    assert r.bound == "exact" and r.value == pytest.approx(math.log10(0.28 / 0.06), rel=1e-12)
    r = log_reduction(parse_mrd("0.3"), parse_mrd("<0.005"))
    assert r.bound == "at_least" and str(r) == ">=1.78"
    assert log_reduction(parse_mrd("N/A"), parse_mrd("<0.005")).value is None
    assert log_reduction(parse_mrd("0.1"), parse_mrd("neg")).bound == "unknown"


values = st.one_of(
    st.floats(1e-6, 100, allow_nan=False).map(MRDValue.quantifiable),
    st.one_of(st.none(), st.floats(1e-6, 1)).map(MRDValue.negative),
    st.one_of(st.none(), st.floats(1e-6, 1)).map(MRDValue.pnq),
    st.just(MRDValue.missing()),
)


@given(values)
def test_text_round_trip(v):
    assert parse_mrd(v.to_text()) == v


def test_messages_say_what_is_expected():
    with pytest.raises(ValueError, match="out of range 0-100 %"):
        parse_mrd("-1")
    with pytest.raises(ValueError, match="expected e.g. 0.06, <0.005, PNQ"):
        parse_mrd("abc")


def test_scientific_notation_is_read_as_its_decimal_value():
    # issue 11: 6x10-4 was listed as 0.060000000000000005 (6 * 1e-4 * 100 in floats)
    for text, shown in [("6x10-4", "0.06"), ("1.2x10^-3", "0.12"), ("<5x10-5", "<0.005"),
                        ("7x10-4", "0.07"), ("3×10−4", "0.03")]:  # fmt: skip
        assert parse_mrd(text).to_text() == shown
    assert parse_mrd("0.0007", unit="fraction").to_text() == "0.07"


def test_an_exponent_beyond_floats_is_out_of_range_not_a_crash():
    for text in ("6x10^400", "6x10^-400", "1x10^99999999"):
        with pytest.raises(ValueError, match="out of range 0-100 %"):
            parse_mrd(text)
