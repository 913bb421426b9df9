"""Statistics on per-time count tables (and Cox on arrays).

Submodules whose name is also a function (``cox_fit``) are not shadowed here: use
``remission.stats.cox_fit.cox_fit`` for the Cox worker on arrays.

Front ends (``km``, ``followup`` ...) check their input through
:func:`remission.stats.frontend.survival_data`; workers (``km_from_counts`` ...) take a
:class:`~remission.stats.counts.CountTable` and trust it.
"""

from remission.stats.binomial import BINOMIAL_METHODS, BinomialCI, binomial_ci
from remission.stats.cif import CIFCurve, CIFResult, aalen_johansen, cif
from remission.stats.concordance import Concordance, concordance
from remission.stats.counts import CountTable, count_table
from remission.stats.cox import ConvergenceWarning, cox, design_matrix
from remission.stats.cox_result import CoxCoefficient, CoxResult
from remission.stats.followup import FollowupResult, followup, followup_from_counts
from remission.stats.frontend import SurvivalData, survival_data
from remission.stats.gray import GrayTest, gray_test
from remission.stats.km import CONF_TYPES, km, km_from_counts
from remission.stats.logrank import CompareResult, HazardRatio, compare, logrank_test
from remission.stats.nelson_aalen import nelson_aalen
from remission.stats.results_km import KMGroup, KMResult, QuantileEstimate, RMSTEstimate
from remission.stats.rmst import restricted_mean
from remission.stats.timedep import (
    LandmarkResult,
    landmark,
    mantel_byar,
    simon_makuch,
    split_at_exposure,
)
from remission.stats.timefix import TimeFix, aeq_times
from remission.stats.zph import Zph, cox_zph

__all__ = [
    "BINOMIAL_METHODS",
    "BinomialCI",
    "CIFCurve",
    "CIFResult",
    "CONF_TYPES",
    "CompareResult",
    "Concordance",
    "ConvergenceWarning",
    "CoxCoefficient",
    "CoxResult",
    "GrayTest",
    "HazardRatio",
    "CountTable",
    "FollowupResult",
    "KMGroup",
    "KMResult",
    "LandmarkResult",
    "QuantileEstimate",
    "RMSTEstimate",
    "SurvivalData",
    "TimeFix",
    "Zph",
    "aalen_johansen",
    "aeq_times",
    "binomial_ci",
    "cif",
    "compare",
    "concordance",
    "count_table",
    "cox",
    "cox_zph",
    "design_matrix",
    "followup",
    "followup_from_counts",
    "gray_test",
    "km",
    "km_from_counts",
    "landmark",
    "logrank_test",
    "mantel_byar",
    "nelson_aalen",
    "restricted_mean",
    "simon_makuch",
    "split_at_exposure",
    "survival_data",
]
