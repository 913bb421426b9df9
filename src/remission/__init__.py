"""remission: from a leukemia cohort's patient-level data to a verified results section.

The public API, by layer: cohort data (``load_cohort``, ``parse_mrd``), statistics
(``km``, ``followup``, ...), MRD (``interpret_run``, ``assess_response``) and toxicity
(``grade_observations``, ...), and figures (``plot_km``, ``plot_cif``, ``export_figure``,
imported on first use so that ``import remission`` does not load matplotlib).
Everything else lives in the subpackages.
"""

from remission.cohort import (
    Cohort,
    InputError,
    MRDQualifier,
    MRDValue,
    Problem,
    load_cohort,
    parse_mrd,
    write_cohort,
)
from remission.datasets import load_seed_cohort
from remission.endpoints import EndpointData, derive_endpoint
from remission.mrd import EuroMRDRules, MRDResponse, assess_response, interpret_run, read_run
from remission.stats import (
    ConvergenceWarning,
    CoxResult,
    FollowupResult,
    KMResult,
    binomial_ci,
    cif,
    compare,
    count_table,
    cox,
    followup,
    km,
    landmark,
    mantel_byar,
    simon_makuch,
    split_at_exposure,
)
from remission.toxicity import (
    grade_observations,
    read_observations,
    summarise_max_grades,
    summarise_patients,
    summarise_recorded_grades,
)

__version__ = "0.1.0"

__all__ = [
    "Cohort",
    "ConvergenceWarning",
    "CoxResult",
    "EndpointData",
    "EuroMRDRules",
    "FollowupResult",
    "InputError",
    "KMResult",
    "MRDQualifier",
    "MRDResponse",
    "MRDValue",
    "Problem",
    "__version__",
    "assess_response",
    "binomial_ci",
    "cif",
    "compare",
    "count_table",
    "cox",
    "derive_endpoint",
    "export_figure",
    "followup",
    "grade_observations",
    "interpret_run",
    "km",
    "landmark",
    "mantel_byar",
    "load_cohort",
    "load_seed_cohort",
    "parse_mrd",
    "plot_cif",
    "plot_km",
    "read_observations",
    "read_run",
    "simon_makuch",
    "split_at_exposure",
    "summarise_max_grades",
    "summarise_patients",
    "summarise_recorded_grades",
    "write_cohort",
]

_FIGURES = ("plot_km", "plot_cif", "export_figure")


def __getattr__(name: str) -> object:
    """The figure functions of :mod:`remission.report.figures.plot`, imported on first use."""
    if name in _FIGURES:
        from remission.report.figures import plot

        return getattr(plot, name)
    raise AttributeError(f"module 'remission' has no attribute {name!r}")
