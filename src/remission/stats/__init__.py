"""Statistics on per-time count tables (and Cox on arrays).

Front ends (``km``, ``followup`` ...) check their input through
:func:`remission.stats.frontend.survival_data`; workers (``km_from_counts`` ...) take a
:class:`~remission.stats.counts.CountTable` and trust it.
"""

from remission.stats.binomial import BINOMIAL_METHODS, BinomialCI, binomial_ci
from remission.stats.cif import CIFCurve, CIFResult, aalen_johansen, cif
from remission.stats.counts import CountTable, count_table
from remission.stats.followup import FollowupResult, followup, followup_from_counts
from remission.stats.frontend import SurvivalData, survival_data
from remission.stats.gray import GrayTest, gray_test
from remission.stats.km import CONF_TYPES, km, km_from_counts
from remission.stats.logrank import CompareResult, HazardRatio, compare, logrank_test
from remission.stats.nelson_aalen import nelson_aalen
from remission.stats.results_km import KMGroup, KMResult, QuantileEstimate, RMSTEstimate
from remission.stats.rmst import restricted_mean

__all__ = [
    "BINOMIAL_METHODS",
    "BinomialCI",
    "CIFCurve",
    "CIFResult",
    "CONF_TYPES",
    "CompareResult",
    "GrayTest",
    "HazardRatio",
    "CountTable",
    "FollowupResult",
    "KMGroup",
    "KMResult",
    "QuantileEstimate",
    "RMSTEstimate",
    "SurvivalData",
    "aalen_johansen",
    "binomial_ci",
    "cif",
    "compare",
    "count_table",
    "followup",
    "followup_from_counts",
    "gray_test",
    "km",
    "km_from_counts",
    "logrank_test",
    "nelson_aalen",
    "restricted_mean",
    "survival_data",
]
