"""The number policy of the report (hand-worked values)."""

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from remission.report import format as fmt


@pytest.mark.parametrize(
    ("x", "digits", "expected"),
    [(0.5, 0, 1.0), (2.5, 0, 3.0), (-2.5, 0, -3.0), (2.675, 2, 2.68), (46.67, 0, 47.0)],
)
def test_round_half_up_is_half_away_from_zero(x, digits, expected):
    assert fmt.round_half_up(x, digits) == expected


def test_percent_and_ci_as_the_letter_writes_them():
    assert fmt.percent(0.4667) == "47 %"
    assert fmt.percent(0.555555, 1) == "55.6 %"
    assert fmt.percent_ci(0.4667, 0.18, 0.72) == "47 % (95 % CI 18-72)"
    assert fmt.percent_ci(10 / 18, 0.308, 0.785, digits=1) == "55.6 % (95 % CI 30.8-78.5)"
    assert fmt.percent_ci(0.5, None, 0.7) == "50 %"
    assert fmt.percent_ci(0.5, 0.2, 0.7, level=0.9) == "50 % (90 % CI 20-70)"
    assert fmt.percent(None) == "N/A"


def test_counts_ranges_and_medians():
    assert fmt.count_percent(3, 11) == "3 (27 %)"
    assert fmt.count_percent(0, 11) == "0 (0 %)"
    assert fmt.value_range(34, 119) == "34-119"
    assert fmt.value_range(-1.2, 3.4, 1) == "-1.2 to 3.4"
    assert fmt.median_range([0.75, 0.75, 0.5, 0.41, 0.5, 0.5, 0.5, 0.2, 0.2, 2.9, 0.2]) == (
        "0.5 (0.2-2.9)"
    )
    # quartiles of 1..8, R type 7: 2.75 and 6.25
    assert fmt.median_range(range(1, 9), digits=2, iqr=True) == "4.50 (1.00-8.00) [IQR 2.75-6.25]"
    assert fmt.median_range([None, float("nan")]) == "N/A"


@pytest.mark.parametrize(
    ("p", "text"),
    [(0.0004, "<0.001"), (0.0474, "0.047"), (0.05, "0.050"), (0.123, "0.12"), (0.999, ">0.99")],
)
def test_p_values(p, text):
    assert fmt.p_value(p) == text


def test_time_units_and_lower_bounds():
    assert fmt.convert_days(365.25, "years") == 1.0
    assert fmt.convert_days(30.4375, "months") == 1.0
    assert fmt.convert_days(None, "days") is None
    with pytest.raises(ValueError, match="unit must be"):
        fmt.convert_days(1, "weeks")
    assert fmt.at_least(math.log10(0.3 / 0.005), "at_least") == "\u22651.78"
    assert fmt.at_least(math.log10(0.3 / 0.05), "exact") == "0.78"
    assert fmt.at_least(None, "unknown") == "not evaluable"


def test_number_keeps_short_forms():
    assert fmt.number(0.06) == "0.06"
    assert fmt.number(267.0) == "267"
    assert fmt.number(-0.001, 2) == "0.00"


@settings(max_examples=60)
@given(st.floats(min_value=0, max_value=1))
def test_percent_ci_contains_its_estimate_text(p):
    text = fmt.percent_ci(p, p / 2, (1 + p) / 2)
    assert text.startswith(fmt.percent(p))
    assert "95 % CI" in text


def test_significant_digits_policy():
    # two significant digits, never fewer than the integer part (gtsummary style_sigfig)
    assert [fmt.sig(x) for x in (0.01375, 0.0001, 13.99, 2.94, 123.4, 0.5, 0)] == [
        "0.014", "0.00010", "14", "2.9", "123", "0.50", "0"]  # fmt: skip
    assert fmt.sig(None) == "N/A" and fmt.thousands(3000) == "3,000"


@pytest.mark.parametrize(
    ("style", "expected"),
    [
        # p = 0.00004, 0.0004, 0.0042, 0.013, 0.049, 0.12, 0.995
        ("default", ["<0.001", "<0.001", "0.004", "0.013", "0.049", "0.12", ">0.99"]),
        ("nejm", ["<0.001", "<0.001", "0.004", "0.01", "0.05", "0.12", ">0.99"]),
        ("jama", ["<.001", "<.001", ".004", ".01", ".05", ".12", ">.99"]),
        ("blood", ["<.001", "<.001", ".004", ".01", ".05", ".12", ">.99"]),
        ("lancet", ["<0\u00b70001", "0\u00b700040", "0\u00b70042", "0\u00b7013", "0\u00b7049",
                    "0\u00b712", ">0\u00b799"]),
    ],
)  # fmt: skip
def test_journal_p_value_styles(style, expected):
    ps = (0.00004, 0.0004, 0.0042, 0.013, 0.049, 0.12, 0.995)
    assert [fmt.p_value(p, style) for p in ps] == expected


def test_unknown_p_style_is_an_error():
    with pytest.raises(ValueError, match="p-value style"):
        fmt.p_value(0.5, "bmj")


def test_p_equals_reads_in_a_sentence():
    from remission.report import format as fmt

    assert fmt.p_equals(0.0312) == "p = 0.031"
    assert fmt.p_equals(1e-5) == "p < 0.001"
    assert fmt.p_equals(0.5) == "p = " + fmt.p_value(0.5)
