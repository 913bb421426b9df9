"""remission: from a leukemia cohort's patient-level data to a verified results section.

The public API, by layer: cohort data (``load_cohort``, ``parse_mrd``), statistics
(``km``, ``followup``, ...), MRD (``interpret_run``, ``assess_response``) and toxicity
(``grade_observations``, ...), and figures (``plot_km``, ``plot_cif``, ``export_figure``).
Everything else lives in the subpackages.

The names are imported on first use (PEP 562 module ``__getattr__``), so that
``import remission.cli`` for ``remission --help`` does not load pandas, SciPy and
matplotlib; ``from remission import km`` works as usual.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
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
    from remission.report.figures.plot import export_figure, plot_cif, plot_km
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

#: Public name -> the module it comes from.
_EXPORTS: dict[str, str] = {
    "Cohort": "remission.cohort",
    "InputError": "remission.cohort",
    "MRDQualifier": "remission.cohort",
    "MRDValue": "remission.cohort",
    "Problem": "remission.cohort",
    "load_cohort": "remission.cohort",
    "parse_mrd": "remission.cohort",
    "write_cohort": "remission.cohort",
    "load_seed_cohort": "remission.datasets",
    "EndpointData": "remission.endpoints",
    "derive_endpoint": "remission.endpoints",
    "EuroMRDRules": "remission.mrd",
    "MRDResponse": "remission.mrd",
    "assess_response": "remission.mrd",
    "interpret_run": "remission.mrd",
    "read_run": "remission.mrd",
    "ConvergenceWarning": "remission.stats",
    "CoxResult": "remission.stats",
    "FollowupResult": "remission.stats",
    "KMResult": "remission.stats",
    "binomial_ci": "remission.stats",
    "cif": "remission.stats",
    "compare": "remission.stats",
    "count_table": "remission.stats",
    "cox": "remission.stats",
    "followup": "remission.stats",
    "km": "remission.stats",
    "landmark": "remission.stats",
    "mantel_byar": "remission.stats",
    "simon_makuch": "remission.stats",
    "split_at_exposure": "remission.stats",
    "grade_observations": "remission.toxicity",
    "read_observations": "remission.toxicity",
    "summarise_max_grades": "remission.toxicity",
    "summarise_patients": "remission.toxicity",
    "summarise_recorded_grades": "remission.toxicity",
    "plot_km": "remission.report.figures.plot",
    "plot_cif": "remission.report.figures.plot",
    "export_figure": "remission.report.figures.plot",
}

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


def __getattr__(name: str) -> object:
    """Import a public name on first use (then cached in the module's namespace)."""
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'remission' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_EXPORTS))
