"""The choice lists and defaults the commands' options show, without the libraries.

``remission km --help`` and an argument error must answer in a fraction of a second, so
the parsers are built from this module, which imports nothing but the standard library;
the statistics, MRD and toxicity layers (numpy, pandas, SciPy, matplotlib) are imported
when a command runs. Each value here is a copy of the one in its layer, named beside it;
``tests/cli/test_choices.py`` checks that every copy equals its source.
"""

from __future__ import annotations

__all__ = [
    "CONF_TYPES",
    "TESTS",
    "TRANSFORMS",
    "SCHEMES",
    "BACKGROUND_LEVEL_AS",
    "EUROMRD_DEFAULTS",
    "GRADING_SYSTEMS",
    "CAPD_AGE_RULES",
    "ASTCT_DEFAULTS",
]

#: Confidence-interval transforms of Kaplan-Meier (``remission.stats.km.CONF_TYPES``).
CONF_TYPES = ("log-log", "log", "plain")
#: Tests of ``remission compare`` (``remission.stats.logrank.TESTS``).
TESTS = ("logrank", "peto-peto", "gehan-breslow-wilcoxon", "tarone-ware", "fh:P,Q", "trend")
#: Time transforms of the proportional-hazards test (``remission.stats.zph.TRANSFORMS``).
TRANSFORMS = ("km", "identity", "rank", "log")
#: MRD response schemes (``remission.mrd.response.SCHEMES``).
SCHEMES = ("remission", "mrd_cr_2021")
#: Readings of amplification at background level (``remission.mrd.rules.BACKGROUND_LEVEL_AS``).
BACKGROUND_LEVEL_AS = ("negative", "pnq", "missing")
#: Defaults of ``remission.mrd.rules.EuroMRDRules`` that ``mrd interpret --help`` shows.
EUROMRD_DEFAULTS: dict[str, object] = {
    "slope_min": -3.9,
    "slope_max": -3.1,
    "r2_min": 0.98,
    "qr_max_spread": 1.5,
    "qr_background_separation": 3.0,
    "sensitivity_background_separation": 1.0,
    "followup_background_separation": 1.0,
    "control_gene_slope": -3.32,
    "followup_replicates": 3,
    "standard_replicates": 2,
    "background_level_as": "negative",
}
#: CRS grading systems (the values of ``remission.toxicity.grading.GradingSystem``).
GRADING_SYSTEMS = ("astct", "ctcae5")
#: Where the CAPD replaces the ICE (``remission.toxicity.rules.CAPD_AGE_RULES``).
CAPD_AGE_RULES = ("under_12", "12_and_under")
#: Defaults of ``remission.toxicity.rules.ASTCTRules`` that ``grade --help`` shows.
ASTCT_DEFAULTS: dict[str, object] = {"crs_episode_end_hours": 72.0, "capd_age_rule": "under_12"}
