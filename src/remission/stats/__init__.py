"""Statistics on per-time count tables (and Cox on arrays).

Front ends (``km``, ``followup`` ...) check their input through
:func:`remission.stats.frontend.survival_data`; workers (``km_from_counts`` ...) take a
:class:`~remission.stats.counts.CountTable` and trust it.
"""

from remission.stats.counts import CountTable, count_table
from remission.stats.followup import FollowupResult, followup, followup_from_counts
from remission.stats.frontend import SurvivalData, survival_data
from remission.stats.km import CONF_TYPES, km, km_from_counts
from remission.stats.nelson_aalen import nelson_aalen
from remission.stats.results_km import KMGroup, KMResult, QuantileEstimate, RMSTEstimate
from remission.stats.rmst import restricted_mean

__all__ = [
    "CONF_TYPES",
    "CountTable",
    "FollowupResult",
    "KMGroup",
    "KMResult",
    "QuantileEstimate",
    "RMSTEstimate",
    "SurvivalData",
    "count_table",
    "followup",
    "followup_from_counts",
    "km",
    "km_from_counts",
    "nelson_aalen",
    "restricted_mean",
    "survival_data",
]
