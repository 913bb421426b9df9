"""The EuroMRD interpretation thresholds, each a parameter with its default.

Source: van der Velden VHJ, Cazzaniga G, Schrauder A, et al. Analysis of minimal
residual disease by Ig/TCR gene rearrangements: guidelines for interpretation of
real-time quantitative PCR data. Leukemia 2007;21(4):604-611, doi:10.1038/sj.leu.2404586
(the ESG-MRD-ALL / EuroMRD guidelines, "the guideline" below).

What could and could not be verified (see docs/mrd.md): the citation, authors and scope
were checked against the PubMed record (PMID 17287850) and the Erasmus MC repository
record. The full text of the guideline was *not* available to this project's reference
search, so the numeric defaults below are the values as commonly cited from it, not
values read off the page. Each default is therefore a parameter, and a laboratory that
works to its own validated limits should set them. Section names in the docstrings are
the guideline's topics (standard curve, quantitative range, sensitivity, follow-up
samples, reporting), not page-verified headings.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass

__all__ = ["BACKGROUND_LEVEL_AS", "UNVERIFIED_NOTE", "EuroMRDRules"]

#: Said in every interpretation's output: the defaults could not be read off the page.
UNVERIFIED_NOTE = (
    "EuroMRD thresholds (slope, R^2, replicate spread, 3 Ct and 1 Ct separations, "
    "replicate numbers, background-level reporting) are the values commonly cited from "
    "van der Velden et al., Leukemia 2007;21:604-611; the guideline's full text was not "
    "available to verify them (docs/mrd.md). Set your laboratory's validated limits."
)

#: How amplification at background level is reported (``EuroMRDRules.background_level_as``).
BACKGROUND_LEVEL_AS = ("negative", "pnq", "missing")


@dataclass(frozen=True)
class EuroMRDRules:
    """Thresholds for interpreting one RQ-PCR run (all Ct differences in cycles).

    Standard curve (guideline, standard-curve criteria; commonly cited values):

    - ``slope_min``, ``slope_max``: accepted slope of Ct on log10(dilution),
      -3.9 to -3.1 (efficiency ~80-110 %). Outside it the run is flagged, not refused.
    - ``r2_min``: accepted coefficient of determination of the least-squares fit, 0.98.
    - ``fit_on``: ``"quantitative_range"`` fits the curve on the dilutions inside the
      quantitative range (non-reproducible low dilutions would bias it);
      ``"all"`` fits every amplified standard replicate. A laboratory choice.

    Quantitative range (guideline, "quantitative range"; commonly cited values): a
    dilution is reproducible when every replicate amplifies, the replicates' Ct spread
    (max - min) is at most ``qr_max_spread`` (1.5), and its mean Ct lies at least
    ``qr_background_separation`` (3.0) below the lowest Ct of non-specific amplification
    in the normal (MNC / buffy-coat) DNA controls. The quantitative range runs from the
    most concentrated standard down to the lowest dilution for which it and every more
    concentrated dilution are reproducible.

    Sensitivity (guideline, "sensitivity"; commonly cited values): the lowest dilution,
    continuing down from the quantitative range, at which at least
    ``sensitivity_min_positive`` (1) replicate amplifies with a Ct at least
    ``sensitivity_background_separation`` (1.0) below the lowest background Ct.

    Follow-up samples (guideline, "interpretation of follow-up samples"): a replicate is
    specific when its Ct lies at least ``followup_background_separation`` (1.0) below
    the lowest background Ct; a sample with amplification but fewer than
    ``followup_min_positive`` (1) specific replicates is non-specific. A positive
    sample is quantifiable when its specific replicates number at least
    ``quant_min_positive`` (``None``: all replicates, the conservative reading), their
    spread is at most ``qr_max_spread`` and their mean Ct is not above the mean Ct of
    the lowest quantitative-range dilution; otherwise it is positive not quantifiable.

    DNA quantity (guideline, "control gene"): levels and limits are multiplied by
    10 ** ((Ct_cg(follow-up) - Ct_cg(diagnosis)) / -``control_gene_slope``); the
    default slope -3.32 is the ideal 100 % efficient PCR (a doubling per cycle). A
    laboratory with a control-gene standard curve should pass its own slope.

    Combining markers (guideline, "reporting"): the reported level is the highest of
    the markers' levels; negative needs every marker negative. For an all-negative
    sample the reported sensitivity is the poorest (largest) of the markers'
    (``combined_sensitivity="poorest"``), which still holds if the leukemia has lost one
    marker by clonal evolution; ``"best"`` reports the most sensitive marker's. This
    choice is not verified against the guideline text.

    Background-level amplification (guideline, "interpretation of follow-up samples";
    the rule as reviewed for issue 14, *not* verified against the guideline's text): a
    sample whose amplification all lies within ``followup_background_separation`` Ct of
    the lowest background Ct (or later) cannot be told from non-specific amplification
    of normal DNA. ``background_level_as`` says how it is reported: ``"negative"``
    (default: negative at the assay's sensitivity, as the guideline was reviewed to
    say), ``"pnq"`` (positive below the quantitative range, the conservative reading)
    or ``"missing"`` (no value; remission before issue 14). A missing value drops the
    patient from every denominator and one such marker blocks a negative sample, which
    is why it is no longer the default.

    Replicates (commonly cited; not verified against the guideline's text):
    ``followup_replicates`` (3) follow-up replicates per sample and marker and
    ``standard_replicates`` (2) per standard dilution are expected. A follow-up sample
    with fewer says so in its reason (and ``n_replicates``); a standard dilution with
    fewer fails the run check ``standard_replicates``. A replicate that does not amplify
    counts against quantification through ``quant_min_positive`` (default: all
    replicates must be specific to quantify, so one non-amplifying replicate of three
    makes the sample positive not quantifiable); the guideline's own rule for a
    non-amplifying replicate could not be read and is therefore this parameter.

    Controls and run acceptance: ``ntc_must_be_clean`` fails a run in which a
    no-template control amplifies or none is present; ``require_normal_control`` fails a
    run with no normal-DNA control for a marker (background cannot then be assessed).
    A marker whose run fails any check gives no MRD value: each of its samples is
    reported as "run not accepted: <reason>" (class ``run_not_accepted``).
    """

    slope_min: float = -3.9
    slope_max: float = -3.1
    r2_min: float = 0.98
    fit_on: str = "quantitative_range"
    qr_max_spread: float = 1.5
    qr_background_separation: float = 3.0
    sensitivity_min_positive: int = 1
    sensitivity_background_separation: float = 1.0
    followup_background_separation: float = 1.0
    followup_min_positive: int = 1
    quant_min_positive: int | None = None
    control_gene_slope: float = -3.32
    combined_sensitivity: str = "poorest"
    ntc_must_be_clean: bool = True
    require_normal_control: bool = True
    background_level_as: str = "negative"
    followup_replicates: int = 3
    standard_replicates: int = 2

    def __post_init__(self) -> None:
        numbers = {
            "slope_min": self.slope_min,
            "slope_max": self.slope_max,
            "r2_min": self.r2_min,
            "qr_max_spread": self.qr_max_spread,
            "qr_background_separation": self.qr_background_separation,
            "sensitivity_background_separation": self.sensitivity_background_separation,
            "followup_background_separation": self.followup_background_separation,
            "control_gene_slope": self.control_gene_slope,
        }
        for name, value in numbers.items():
            if not math.isfinite(value):
                raise ValueError(f"{name} must be finite, not {value!r}")
        if not self.slope_min < self.slope_max < 0:
            raise ValueError("need slope_min < slope_max < 0")
        if not 0 <= self.r2_min <= 1:
            raise ValueError("r2_min must lie in [0, 1]")
        if self.control_gene_slope >= 0:
            raise ValueError("control_gene_slope must be negative")
        if self.fit_on not in ("quantitative_range", "all"):
            raise ValueError("fit_on must be 'quantitative_range' or 'all'")
        if self.combined_sensitivity not in ("poorest", "best"):
            raise ValueError("combined_sensitivity must be 'poorest' or 'best'")
        if self.sensitivity_min_positive < 1 or self.followup_min_positive < 1:
            raise ValueError("minimum positive replicate counts must be at least 1")
        if self.quant_min_positive is not None and self.quant_min_positive < 1:
            raise ValueError("quant_min_positive must be None or at least 1")
        if self.background_level_as not in BACKGROUND_LEVEL_AS:
            raise ValueError("background_level_as must be one of " + ", ".join(BACKGROUND_LEVEL_AS))
        if self.followup_replicates < 1 or self.standard_replicates < 1:
            raise ValueError("expected replicate counts must be at least 1")

    def to_dict(self) -> dict:
        return asdict(self)
