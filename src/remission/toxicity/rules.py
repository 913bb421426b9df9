"""The ASTCT grading choices, each a named parameter with its default and its source.

Source: Lee DW, Santomasso BD, Locke FL, et al. ASTCT consensus grading for cytokine
release syndrome and neurologic toxicity associated with immune effector cells. Biol
Blood Marrow Transplant 2019;25:625-638 ("the consensus"). Where the consensus is silent
or the sources disagree, the parameter says so and the default is remission's own
choice, stated and justified here and in docs/toxicity.md (section 8, rule table).
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass

__all__ = ["ASTCTRules", "CAPD_AGE_RULES", "MASKING_THERAPIES"]

#: The therapies the consensus names in its fever footnote: antipyretic, or anticytokine
#: therapy "such as tocilizumab or steroids".
MASKING_THERAPIES = ("antipyretic", "tocilizumab", "steroids")

#: ``"under_12"``: the CAPD below 12.0 years, the ICE from 12.0 (the consensus as
#: reported: "children younger than 12"). ``"12_and_under"``: the CAPD through age 12,
#: the ICE from 13.0 (NCI Thesaurus C188936: "CAPD ... for children 12 and under";
#: ICE "for adults and children over 12").
CAPD_AGE_RULES = ("under_12", "12_and_under")


@dataclass(frozen=True)
class ASTCTRules:
    """Thresholds and choices for ASTCT CRS and ICANS grading.

    CRS (consensus CRS grading table and its footnotes):

    - ``fever_c`` (38.0): fever is a temperature >= 38.0 C (table, fever row).
    - ``low_flow_max_l_min`` (6.0): low-flow nasal cannula is <= 6 L/min (footnote).
    - ``masking_therapies``: the therapies after which fever is no longer required
      (footnote: "antipyretic or anticytokine therapy such as tocilizumab or steroids").
    - ``masking_requires_crs`` (True): therapy masks fever only when given to a patient
      who has CRS, i.e. at or after the first fever of the current CRS episode (footnote:
      "patients who have CRS then receive ..."). Premedication given before any fever
      (paracetamol, dexamethasone before CAR-T or blinatumomab) masks nothing.
      ``False`` lets any recorded therapy mask fever from then on (the rule remission
      applied to antipyretics and tocilizumab before issue 14).
    - ``crs_episode_end_hours`` (72.0): the consensus defines no end of a CRS episode;
      remission ends an episode (and with it the masking) at the first assessment made
      more than this many hours after the last assessment that showed fever,
      hypotension or hypoxia. 72 h is three daily assessments free of every CRS sign;
      remission's own choice, so set it to your protocol's definition of resolution.
      ``None``: an episode never ends (masking lasts to the last assessment).

    ICANS (consensus ICANS tables for adults and for children):

    - ``capd_age_rule`` (``"under_12"``): where the CAPD replaces the ICE (see
      :data:`CAPD_AGE_RULES`); the default follows the consensus as reported (MDedge
      report of the consensus; the issue's review), the alternative the NCI Thesaurus.
    - ``capd_cutoff`` (9): a CAPD total >= 9 is grade 3, 1-8 grade 1-2 (paediatric table).
    - ``spontaneous_as_alert`` (False): remission's observation format before this
      version used ``consciousness`` = ``spontaneous`` for a normal, alert patient; the
      consensus grades "awakens spontaneously" as depressed consciousness, grade 1.
      ``True`` reads ``spontaneous`` the old way (grade 0) for files written before the
      ``alert`` value existed.
    """

    fever_c: float = 38.0
    low_flow_max_l_min: float = 6.0
    masking_therapies: tuple[str, ...] = MASKING_THERAPIES
    masking_requires_crs: bool = True
    crs_episode_end_hours: float | None = 72.0
    capd_age_rule: str = "under_12"
    capd_cutoff: int = 9
    spontaneous_as_alert: bool = False

    def __post_init__(self) -> None:
        for name in ("fever_c", "low_flow_max_l_min"):
            value = getattr(self, name)
            if not (math.isfinite(value) and value > 0):
                raise ValueError(f"{name} must be a positive number, not {value!r}")
        unknown = [t for t in self.masking_therapies if t not in MASKING_THERAPIES]
        if unknown:
            raise ValueError(
                f"masking_therapies: unknown {', '.join(unknown)}; choose from "
                + ", ".join(MASKING_THERAPIES)
            )
        hours = self.crs_episode_end_hours
        if hours is not None and not (math.isfinite(hours) and hours > 0):
            raise ValueError(f"crs_episode_end_hours must be positive or None, not {hours!r}")
        if self.capd_age_rule not in CAPD_AGE_RULES:
            raise ValueError(f"capd_age_rule must be one of {', '.join(CAPD_AGE_RULES)}")
        if not 1 <= self.capd_cutoff <= 32:
            raise ValueError("capd_cutoff must lie in 1-32")

    @property
    def ice_min_age_years(self) -> float:
        """The age from which the ICE score is the encephalopathy tool."""
        return 12.0 if self.capd_age_rule == "under_12" else 13.0

    def to_dict(self) -> dict[str, object]:
        d = asdict(self)
        d["masking_therapies"] = list(self.masking_therapies)
        d["ice_min_age_years"] = self.ice_min_age_years
        return d
