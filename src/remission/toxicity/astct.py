"""ASTCT consensus grading of CRS and ICANS for one assessment.

Reference: Lee DW, Santomasso BD, Locke FL, et al. ASTCT consensus grading for cytokine
release syndrome and neurologic toxicity associated with immune effector cells. Biol
Blood Marrow Transplant 2019;25:625-638 ("the consensus"): CRS grading in its CRS table
(Table 2 as the lead cites it), ICANS grading for adults and for children (Tables 5/6 as
cited) and the encephalopathy tools (ICE score; CAPD for children under 12).

What was checked, and against what, is in docs/toxicity.md. The consensus PDF itself
was not reachable from here; the rules were checked against reproductions of its tables
that cite it (PMC8021214 Table 1, PMC9327779 Table 2, PMC8403007 Table 4,
PMC7990806 Table 2) and a report of the paediatric table (MDedge, "Group proposes new
grading systems for CRS, neurotoxicity"). Table numbers are given as cited, not as read.
Thresholds and the choices where sources differ are fields of
:class:`remission.toxicity.rules.ASTCTRules`; the module constants are their defaults.
"""

from __future__ import annotations

from remission.toxicity.grade import Grade, most_severe
from remission.toxicity.observations import (
    CerebralEdema,
    Consciousness,
    Hypotension,
    Motor,
    Observation,
    Oxygen,
    Seizure,
)
from remission.toxicity.rules import ASTCTRules

__all__ = [
    "FEVER_C",
    "LOW_FLOW_MAX_L_MIN",
    "ICE_MIN_AGE_YEARS",
    "CAPD_CUTOFF",
    "astct_hypoxia",
    "astct_crs_grade",
    "astct_icans_grade",
    "capd_total",
    "capd_anchor",
]

#: Fever: temperature >= 38.0 degrees C (consensus CRS table, fever row and footnote).
FEVER_C = 38.0
#: Low-flow nasal cannula is <= 6 L/min; high-flow is > 6 L/min (consensus CRS table footnote).
LOW_FLOW_MAX_L_MIN = 6.0
#: The ICE score is used from 12 years of age; the CAPD below (consensus paediatric ICANS table).
ICE_MIN_AGE_YEARS = 12.0
#: A CAPD total of 9 or more is ICANS grade 3; 1-8 is grade 1 or 2 (consensus paediatric table).
CAPD_CUTOFF = 9

#: Developmental anchor points of the CAPD (Traube et al., Crit Care Med 2014;42:656-663;
#: the consensus points to them for infants), as (age in years, label).
_CAPD_ANCHORS = (
    (0.0, "newborn"),
    (4 / 52, "4 weeks"),
    (6 / 52, "6 weeks"),
    (8 / 52, "8 weeks"),
    (28 / 52, "28 weeks"),
    (1.0, "1 year"),
    (2.0, "2 years"),
)


# --- CRS --------------------------------------------------------------------------------

_HYPOTENSION_ASTCT = {
    Hypotension.NONE: (0, ""),
    Hypotension.FLUIDS: (2, "hypotension not needing vasopressors (fluids)"),
    Hypotension.ONE_VASOPRESSOR: (3, "hypotension needing one vasopressor"),
    Hypotension.VASOPRESSIN_PLUS_ONE: (
        3, "hypotension needing one vasopressor with vasopressin (vasopressin not counted)"),
    Hypotension.MULTIPLE_VASOPRESSORS: (4, "hypotension needing multiple vasopressors"),
}  # fmt: skip

_OXYGEN_ASTCT = {
    Oxygen.NONE: 0,
    Oxygen.BLOW_BY: 2,
    Oxygen.FACEMASK: 3,
    Oxygen.NON_REBREATHER: 3,
    Oxygen.VENTURI: 3,
    Oxygen.CPAP: 4,
    Oxygen.BIPAP: 4,
    Oxygen.MECHANICAL_VENTILATION: 4,
}

_OXYGEN_TEXT = {
    Oxygen.BLOW_BY: "hypoxia on blow-by oxygen (counts as low-flow)",
    Oxygen.FACEMASK: "hypoxia on facemask oxygen",
    Oxygen.NON_REBREATHER: "hypoxia on non-rebreather mask",
    Oxygen.VENTURI: "hypoxia on Venturi mask",
    Oxygen.CPAP: "hypoxia on positive pressure (CPAP)",
    Oxygen.BIPAP: "hypoxia on positive pressure (BiPAP)",
    Oxygen.MECHANICAL_VENTILATION: "hypoxia on mechanical ventilation",
}


def astct_hypoxia(
    oxygen: Oxygen, l_min: float | None, low_flow_max: float = LOW_FLOW_MAX_L_MIN
) -> tuple[int, str]:
    """Hypoxia domain of the consensus CRS table.

    Grade 2: low-flow nasal cannula (<= 6 L/min) or blow-by; grade 3: high-flow nasal
    cannula (> 6 L/min), facemask, non-rebreather or Venturi mask; grade 4: positive
    pressure (CPAP, BiPAP, intubation and mechanical ventilation). For a nasal cannula the
    consensus defines low and high flow by the rate, so a recorded rate decides over the
    device label; without a rate the label decides.
    """
    if oxygen in (Oxygen.LOW_FLOW, Oxygen.HIGH_FLOW):
        if l_min is None:
            label = "low-flow" if oxygen is Oxygen.LOW_FLOW else "high-flow"
            return (2 if oxygen is Oxygen.LOW_FLOW else 3,
                    f"hypoxia on {label} nasal cannula (rate not recorded)")  # fmt: skip
        if l_min <= low_flow_max:
            return 2, f"hypoxia on low-flow {l_min:g} L/min (<= {low_flow_max:g} L/min)"
        return 3, f"hypoxia on high-flow {l_min:g} L/min (> {low_flow_max:g} L/min)"
    return _OXYGEN_ASTCT[oxygen], _OXYGEN_TEXT.get(oxygen, "")


def astct_crs_grade(
    obs: Observation, fever_not_required: bool = False, rules: ASTCTRules | None = None
) -> Grade:
    """ASTCT CRS grade of one assessment (consensus CRS table and its footnotes).

    Grade 1: fever >= 38.0 C. Grade 2: fever with hypotension not needing vasopressors
    and/or hypoxia on low-flow (<= 6 L/min) or blow-by oxygen. Grade 3: fever with
    hypotension needing one vasopressor with or without vasopressin and/or high-flow
    (> 6 L/min), facemask, non-rebreather or Venturi. Grade 4: fever with hypotension
    needing multiple vasopressors (vasopressin excluded) and/or positive pressure. The
    grade is that of the more severe of hypotension and hypoxia. In a patient who has
    CRS and then receives antipyretic or anti-cytokine therapy (tocilizumab,
    corticosteroids), fever is no longer required and grading is driven by hypotension
    and hypoxia (consensus CRS table, fever footnote): ``fever_not_required``, which
    :func:`remission.toxicity.grade_observations` sets for the rest of the CRS episode.
    Thresholds: ``rules`` (:class:`~remission.toxicity.rules.ASTCTRules`).
    """
    rules = rules or ASTCTRules()
    findings: list[tuple[int, str]] = []
    for value, grade_of in (
        (obs.hypotension, lambda h: _HYPOTENSION_ASTCT[h]),
        (obs.oxygen, lambda o: astct_hypoxia(o, obs.oxygen_l_min, rules.low_flow_max_l_min)),
    ):
        if value is not None:
            g, text = grade_of(value)
            if g:
                findings.append((g, text))
    fever = obs.temperature_c is not None and obs.temperature_c >= rules.fever_c
    if obs.temperature_c is None and obs.hypotension is None and obs.oxygen is None:
        return Grade(None, "not assessed: temperature, hypotension and oxygen all blank")
    if fever:
        findings.append((1, f"fever {obs.temperature_c:.1f} C (>= {rules.fever_c:.1f} C)"))
        return most_severe(findings, "")
    if fever_not_required and findings:
        g = most_severe(findings, "")
        return Grade(
            g.grade, g.reason + "; fever not required after antipyretic/anti-cytokine therapy"
        )
    if obs.temperature_c is None and findings:
        return Grade(None, "not assessed: temperature blank, so CRS (which needs fever "
                     "before antipyretic/anti-cytokine therapy) cannot be graded")  # fmt: skip
    if findings:
        shown = "; ".join(t for _, t in findings)
        return Grade(0, f"grade 0: {shown} without fever >= {rules.fever_c:.1f} C and without "
                     "fever masked by antipyretic/anti-cytokine therapy given during CRS "
                     "(not CRS by ASTCT)")  # fmt: skip
    if obs.temperature_c is None:
        return Grade(0, "grade 0: no hypotension or hypoxia; temperature blank")
    return Grade(0, f"grade 0: temperature {obs.temperature_c:.1f} C, no hypotension or hypoxia")


# --- ICANS ------------------------------------------------------------------------------


def capd_total(answers: tuple[int, ...]) -> int:
    """CAPD total, 0-32: items 1-4 reverse-scored (4 - answer), items 5-8 as answered.

    Answers are frequencies: 0 never, 1 rarely, 2 sometimes, 3 often, 4 always. Items 1-4
    (eye contact, purposeful actions, awareness, communicating needs) score 4 for
    'never'; items 5-8 (restless, inconsolable, underactive, slow to respond) score 4 for
    'always' (Traube et al., Crit Care Med 2014;42:656-663).
    """
    if len(answers) != 8 or any(a not in (0, 1, 2, 3, 4) for a in answers):
        raise ValueError("the CAPD needs eight answers, each 0-4")
    return sum(4 - a for a in answers[:4]) + sum(answers[4:])


def capd_anchor(age_years: float) -> str:
    """The CAPD developmental anchor point the assessor uses at this age (the latest one
    at or below the age; '2 years' from two years on)."""
    label = _CAPD_ANCHORS[0][1]
    for age, name in _CAPD_ANCHORS:
        if age_years >= age:
            label = name
    return label


def _ice_grade(score: int) -> int:
    """ICE 10: 0; 7-9: grade 1; 3-6: grade 2; 0-2: grade 3 (0 and unarousable: grade 4,
    through the consciousness domain)."""
    if score == 10:
        return 0
    return 1 if score >= 7 else 2 if score >= 3 else 3


def _encephalopathy(obs: Observation, rules: ASTCTRules) -> tuple[int, str] | None:
    """The ICE (from ``rules.ice_min_age_years``) or CAPD (younger, or older with
    developmental delay) domain; None when neither was recorded."""
    ice_age = obs.age_years >= rules.ice_min_age_years
    unarousable = obs.consciousness is Consciousness.UNAROUSABLE
    tool = "ICE" if ice_age and obs.capd is None else "CAPD"
    if unarousable:
        return 4, f"unarousable, so the {tool} cannot be performed"
    if ice_age and obs.ice_score is not None:
        s = obs.ice_score
        return _ice_grade(s), f"ICE score {s}/10"
    if obs.capd is not None:
        total = capd_total(obs.capd)
        cut = rules.capd_cutoff
        g = 0 if total == 0 else 3 if total >= cut else 1
        anchor = f", anchor {capd_anchor(obs.age_years)}" if obs.age_years < 2 else ""
        return g, f"CAPD {total}/32 ({f'>= {cut}' if g == 3 else f'< {cut}'}{anchor})"
    return None


_CONSCIOUSNESS = {
    Consciousness.ALERT: 0,
    Consciousness.SPONTANEOUS: 1,
    Consciousness.VOICE: 2,
    Consciousness.TACTILE: 3,
    Consciousness.UNAROUSABLE: 4,
}
_SEIZURE = {Seizure.NONE: 0, Seizure.RAPID: 3, Seizure.EEG_NONCONVULSIVE: 3, Seizure.PROLONGED: 4}
_MOTOR = {Motor.NONE: 0, Motor.DEEP_FOCAL_WEAKNESS: 4}
_EDEMA = {CerebralEdema.NONE: 0, CerebralEdema.FOCAL: 3, CerebralEdema.DIFFUSE: 4}
_TEXT = {
    Consciousness.SPONTANEOUS: "depressed consciousness, awakens spontaneously",
    Consciousness.VOICE: "awakens to voice",
    Consciousness.TACTILE: "awakens only to tactile stimulus",
    Consciousness.UNAROUSABLE: "unarousable",
    Seizure.RAPID: "clinical seizure resolving rapidly",
    Seizure.EEG_NONCONVULSIVE: "non-convulsive seizure on EEG resolving with intervention",
    Seizure.PROLONGED: "prolonged (> 5 min) or repetitive seizures",
    Motor.DEEP_FOCAL_WEAKNESS: "deep focal motor weakness",
    CerebralEdema.FOCAL: "focal/local oedema on neuroimaging",
    CerebralEdema.DIFFUSE: "diffuse cerebral oedema or its signs",
}


def _ice_out_of_age(obs: Observation, rules: ASTCTRules) -> str:
    if obs.ice_score is None or obs.age_years >= rules.ice_min_age_years:
        return ""
    return (f"; ICE score {obs.ice_score} not used at age {obs.age_years:g} (the CAPD is the "
            f"tool below {rules.ice_min_age_years:g} years, capd_age_rule "
            f"{rules.capd_age_rule!r})")  # fmt: skip


def astct_icans_grade(obs: Observation, rules: ASTCTRules | None = None) -> Grade:
    """ASTCT ICANS grade of one assessment: the most severe of five domains.

    Encephalopathy: ICE 7-9 grade 1, 3-6 grade 2, 0-2 grade 3 (from 12 years; the age
    boundary is ``rules.capd_age_rule``); CAPD total 1-8 grade 1 (grade 2 needs another
    grade-2 finding), >= 9 grade 3 (``rules.capd_cutoff``). Depressed level of
    consciousness: awakens spontaneously 1, to voice 2, only to tactile stimulus 3,
    unarousable 4 (an unarousable patient cannot perform the ICE/CAPD: grade 4); an
    ``alert`` patient adds nothing. Seizure: rapidly resolving clinical or EEG-treated
    non-convulsive 3, prolonged or repetitive 4. Motor: deep focal weakness 4. Raised
    ICP/oedema: focal 3, diffuse 4 (consensus ICANS tables for adults and for children).
    Without an ICE/CAPD the grade is given only when another domain shows ICANS;
    otherwise the assessment is 'not assessed', never grade 0.
    """
    rules = rules or ASTCTRules()
    findings: list[tuple[int, str]] = []
    enc = _encephalopathy(obs, rules)
    if enc is not None and enc[0]:
        findings.append(enc)
    consciousness = obs.consciousness
    if rules.spontaneous_as_alert and consciousness is Consciousness.SPONTANEOUS:
        consciousness = Consciousness.ALERT
    for value, table in (
        (consciousness, _CONSCIOUSNESS),
        (obs.seizure, _SEIZURE),
        (obs.motor, _MOTOR),
        (obs.cerebral_edema, _EDEMA),
    ):
        if value is not None and table[value] and value is not Consciousness.UNAROUSABLE:
            findings.append((table[value], _TEXT[value]))
    note = _ice_out_of_age(obs, rules)
    if enc is None:
        tool = "ICE score" if obs.age_years >= rules.ice_min_age_years else "CAPD"
        if not findings:
            return Grade(None, f"not assessed: no {tool} and no other ICANS finding" + note)
        g = most_severe(findings, "")
        return Grade(g.grade, g.reason + f"; {tool} not recorded" + note)
    g = most_severe(findings, enc[1] if enc[1] else "no ICANS finding")
    return Grade(g.grade, g.reason + note)
