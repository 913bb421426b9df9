"""CTCAE v5.0 grading of the term 'Cytokine release syndrome' for one assessment.

Reference: National Cancer Institute. Common Terminology Criteria for Adverse Events
(CTCAE) version 5.0, 27 November 2017, term "Cytokine release syndrome" (Immune system
disorders): grade 1 fever with or without constitutional symptoms; grade 2 hypotension
responding to fluids, hypoxia responding to < 40% O2; grade 3 hypotension managed with
one pressor, hypoxia requiring >= 40% O2; grade 4 life-threatening consequences, urgent
intervention indicated; grade 5 death. The NCI document itself was not reachable from
here; the wording was checked against a table "adapted from CTCAE v5.0" in Blood
(ashpublications.net/view-large/6544542: grade 2 "hypotension not requiring pressors,
responding to fluids; hypoxia responsive to < 40% O2"), see docs/toxicity.md.

CTCAE grades by the oxygen *fraction*, not the device. ``fio2_percent`` decides when it
is recorded; otherwise remission maps devices (a stated approximation, not part of
CTCAE): low-flow nasal cannula and blow-by < 40%; high-flow nasal cannula, facemask,
non-rebreather and Venturi >= 40%; positive pressure (CPAP, BiPAP, ventilation) and more
than one pressor (vasopressin counted as a pressor) are grade 4 ("urgent intervention").
CTCAE v5.0 does not require fever for grades 2-4 and has no rule for fever masked by
antipyretics.
"""

from __future__ import annotations

from remission.toxicity.astct import FEVER_C
from remission.toxicity.grade import Grade, most_severe
from remission.toxicity.observations import Hypotension, Observation, Oxygen

__all__ = ["FIO2_CUTOFF_PERCENT", "ctcae5_crs_grade"]

#: CTCAE v5.0 CRS: hypoxia responding to < 40% O2 is grade 2; requiring >= 40% grade 3.
FIO2_CUTOFF_PERCENT = 40.0

_HYPOTENSION = {
    Hypotension.NONE: (0, ""),
    Hypotension.FLUIDS: (2, "hypotension responding to fluids"),
    Hypotension.ONE_VASOPRESSOR: (3, "hypotension managed with one pressor"),
    Hypotension.VASOPRESSIN_PLUS_ONE: (4, "hypotension needing two pressors (vasopressin counted)"),
    Hypotension.MULTIPLE_VASOPRESSORS: (4, "hypotension needing multiple pressors"),
}
_DEVICE = {
    Oxygen.NONE: 0,
    Oxygen.LOW_FLOW: 2,
    Oxygen.BLOW_BY: 2,
    Oxygen.HIGH_FLOW: 3,
    Oxygen.FACEMASK: 3,
    Oxygen.NON_REBREATHER: 3,
    Oxygen.VENTURI: 3,
    Oxygen.CPAP: 4,
    Oxygen.BIPAP: 4,
    Oxygen.MECHANICAL_VENTILATION: 4,
}


def _ctcae_hypoxia(obs: Observation) -> tuple[int, str]:
    oxygen = obs.oxygen
    if oxygen is None or oxygen is Oxygen.NONE:
        return 0, ""
    name = oxygen.value.replace("_", "-")
    if _DEVICE[oxygen] == 4:
        return 4, f"hypoxia on {name} (ventilatory support: urgent intervention)"
    if obs.fio2_percent is not None:
        f = obs.fio2_percent
        if f >= FIO2_CUTOFF_PERCENT:
            return 3, f"hypoxia requiring FiO2 {f:g}% (>= 40%)"
        return 2, f"hypoxia responding to FiO2 {f:g}% (< 40%)"
    g = _DEVICE[oxygen]
    side = "< 40%" if g == 2 else ">= 40%"
    return g, f"hypoxia on {name}, taken as {side} O2 (FiO2 not recorded)"


def ctcae5_crs_grade(obs: Observation) -> Grade:
    """CTCAE v5.0 'Cytokine release syndrome' grade of one assessment (see module text)."""
    if obs.temperature_c is None and obs.hypotension is None and obs.oxygen is None:
        return Grade(None, "not assessed: temperature, hypotension and oxygen all blank")
    findings: list[tuple[int, str]] = []
    if obs.hypotension is not None and _HYPOTENSION[obs.hypotension][0]:
        findings.append(_HYPOTENSION[obs.hypotension])
    hypoxia = _ctcae_hypoxia(obs)
    if hypoxia[0]:
        findings.append(hypoxia)
    if obs.temperature_c is not None and obs.temperature_c >= FEVER_C:
        findings.append((1, f"fever {obs.temperature_c:.1f} C"))
    none = "no fever, hypotension or hypoxia"
    if obs.temperature_c is None:
        none += " (temperature blank)"
    return most_severe(findings, none)
