"""MRD response from a patient's MRD before and after treatment, and MRD kinetics.

Two schemes (``ResponseRules.scheme``); every assessment also carries the published
2021 category in ``mrd_cr_2021_category`` whichever scheme is chosen.

``"remission"`` (default; kept for the report's claims and earlier output):

- **complete**: the post-treatment result is MRD-negative at a sensitivity of at least
  1x10^-4, i.e. a reported limit <= 0.01 %. Published: BLAST trial of blinatumomab
  (Gokbuget et al., Blood 2018;131:1522-1531), "complete MRD response was defined as no
  target amplification, with a minimum sensitivity of 10^-4" (as stated in the BLAST
  final-analysis abstract, EHA 2020 S1619; the Blood paper's methods were not at hand).
- **partial**: still MRD-positive after treatment with a log10 reduction of at least 1
  (``partial_min_log_reduction``). **remission's own category**: no published MRD
  response definition with a "partial" level was found; the seed letter's text speaks
  of a ">1-log reduction". The reduction honours the qualifiers
  (:func:`remission.cohort.mrdvalue.log_reduction`): to a positive-not-quantifiable
  result it is "at least" log10(pre / quantitative-range limit).
- **no_response**: still MRD-positive with an exact reduction below 1 log (this
  includes an increase).
- **not_evaluable**: post-treatment MRD missing; negative with no stated sensitivity or
  one poorer than the complete-response threshold; a documented negative
  pre-treatment result (nothing to respond); or a reduction that cannot be placed on
  either side of the 1-log threshold.

``"mrd_cr_2021"`` (Gokbuget N, Hematology Am Soc Hematol Educ Program
2021;2021(1):718-725, Table 1, "Terminology for MRD response"): **complete** ("MRD CR:
MRD-negative with a minimum sensitivity of 0.01 %"), **failure** ("MRD-positive >=
0.01 %"), **intermediate** (all other results: positive below 0.01 %, detectable but
not quantifiable below 0.01 %, negative with insufficient sensitivity); a positive
result not quantifiable below a limit above 0.01 %, or a missing one, is
**not_evaluable**. The scheme needs no pre-treatment value.

Decision (documented in docs/mrd.md): a negative post-treatment result with a
*missing* pre-treatment value is still a complete MRD response, because complete
response is defined by the post-treatment result alone; the patients were treated for
persistent MRD, which the study's eligibility attests. Set
``complete_requires_positive_pre=True`` to require a positive pre-value instead.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from remission.cohort.mrdvalue import LogReduction, MRDQualifier, MRDValue, log_reduction

__all__ = [
    "SCHEMES",
    "MRDResponse",
    "mrd_cr_2021",
    "ResponseRules",
    "ResponseAssessment",
    "assess_response",
    "TimePoint",
    "KineticsStep",
    "Kinetics",
    "mrd_kinetics",
]

_TOL = 1e-9  # log10 comparisons: 0.1 % -> 0.01 % is exactly one log


class MRDResponse(StrEnum):
    COMPLETE = "complete"
    PARTIAL = "partial"
    NO_RESPONSE = "no_response"
    NOT_EVALUABLE = "not_evaluable"
    INTERMEDIATE = "intermediate"
    FAILURE = "failure"


#: The response schemes of :class:`ResponseRules` (module docstring).
SCHEMES = ("remission", "mrd_cr_2021")


@dataclass(frozen=True)
class ResponseRules:
    """``complete_max_sensitivity`` in per cent (0.01 % = 1x10^-4)."""

    complete_max_sensitivity: float = 0.01
    partial_min_log_reduction: float = 1.0
    complete_requires_positive_pre: bool = False
    scheme: str = "remission"

    def __post_init__(self) -> None:
        if not (math.isfinite(self.complete_max_sensitivity) and self.complete_max_sensitivity > 0):
            raise ValueError("complete_max_sensitivity must be a positive per cent")
        if not (
            math.isfinite(self.partial_min_log_reduction) and self.partial_min_log_reduction > 0
        ):
            raise ValueError("partial_min_log_reduction must be positive")
        if self.scheme not in SCHEMES:
            raise ValueError("scheme must be one of " + ", ".join(SCHEMES))

    def to_dict(self) -> dict:
        return {
            "complete_max_sensitivity": self.complete_max_sensitivity,
            "partial_min_log_reduction": self.partial_min_log_reduction,
            "complete_requires_positive_pre": self.complete_requires_positive_pre,
            "scheme": self.scheme,
        }


@dataclass(frozen=True)
class ResponseAssessment:
    """The category with the values, the reduction and a plain-language reason."""

    category: MRDResponse
    pre: MRDValue
    post: MRDValue
    reduction: LogReduction
    reason: str
    mrd_cr_2021: MRDResponse = MRDResponse.NOT_EVALUABLE

    def to_dict(self) -> dict:
        return {
            "category": self.category.value,
            "mrd_cr_2021_category": self.mrd_cr_2021.value,
            "pre": str(self.pre),
            "post": str(self.post),
            "log_reduction": self.reduction.value,
            "log_reduction_bound": self.reduction.bound,
            "reason": self.reason,
        }


def assess_response(
    pre: MRDValue, post: MRDValue, rules: ResponseRules | None = None
) -> ResponseAssessment:
    """Classify one patient's MRD response (rules and sources: module docstring)."""
    rules = rules or ResponseRules()
    red = log_reduction(pre, post)
    published, published_reason = mrd_cr_2021(post, rules.complete_max_sensitivity)

    def out(cat: MRDResponse, reason: str) -> ResponseAssessment:
        return ResponseAssessment(cat, pre, post, red, reason, published)

    if rules.scheme == "mrd_cr_2021":
        return out(published, published_reason)
    if post.is_missing:
        return out(MRDResponse.NOT_EVALUABLE, "post-treatment MRD is missing")
    if pre.is_negative:
        return out(MRDResponse.NOT_EVALUABLE, f"pre-treatment MRD is negative ({pre})")
    if post.is_negative:
        return _negative_post(pre, post, rules, out)
    return _positive_post(pre, post, red, rules, out)


def mrd_cr_2021(post: MRDValue, threshold: float = 0.01) -> tuple[MRDResponse, str]:
    """The 2021 MRD response terminology (Gokbuget 2021, Table 1) of a post-treatment
    result: complete, failure, intermediate or not evaluable, with the reason.
    ``threshold`` in per cent (0.01 % = 1x10^-4)."""
    t = threshold * (1 + _TOL)
    src = "MRD response terminology 2021"
    if post.is_missing:
        return MRDResponse.NOT_EVALUABLE, "post-treatment MRD is missing"
    if post.is_negative:
        if post.limit is not None and post.limit <= t:
            return (
                MRDResponse.COMPLETE,
                f"MRD CR ({src}): negative at {post.limit:g} % <= {threshold:g} %",
            )
        how = "sensitivity not stated" if post.limit is None else f"at {post.limit:g} %"
        return (
            MRDResponse.INTERMEDIATE,
            f"MRD intermediate ({src}): negative with insufficient sensitivity ({how})",
        )
    if post.level is not None:
        if post.level >= threshold * (1 - _TOL):
            return (
                MRDResponse.FAILURE,
                f"MRD failure ({src}): positive {post.level:g} % >= {threshold:g} %",
            )
        return (
            MRDResponse.INTERMEDIATE,
            f"MRD intermediate ({src}): positive {post.level:g} % < {threshold:g} %",
        )
    if post.limit is not None and post.limit <= t:
        return (
            MRDResponse.INTERMEDIATE,
            f"MRD intermediate ({src}): detectable, not quantifiable, below {post.limit:g} %",
        )
    return MRDResponse.NOT_EVALUABLE, (f"positive not quantifiable ({post}): cannot tell whether "
                                       f">= {threshold:g} % (MRD failure) or below (intermediate)")  # fmt: skip


def _negative_post(pre: MRDValue, post: MRDValue, rules: ResponseRules, out):
    threshold = rules.complete_max_sensitivity
    if post.limit is None:
        return out(MRDResponse.NOT_EVALUABLE, "post-treatment MRD negative, sensitivity not stated")
    if post.limit > threshold * (1 + _TOL):
        return out(
            MRDResponse.NOT_EVALUABLE,
            f"post-treatment MRD negative at {post.limit:g} %, not sensitive enough "
            f"(complete response needs <= {threshold:g} %)",
        )
    if rules.complete_requires_positive_pre and not pre.is_positive:
        return out(MRDResponse.NOT_EVALUABLE, f"pre-treatment MRD is {pre.qualifier.value}")
    note = "" if pre.is_positive else f"; pre-treatment MRD {pre.qualifier.value}"
    return out(
        MRDResponse.COMPLETE,
        f"MRD-negative after treatment at sensitivity {post.limit:g} % (<= {threshold:g} %)" + note,
    )


def _positive_post(pre: MRDValue, post: MRDValue, red: LogReduction, rules: ResponseRules, out):
    need = rules.partial_min_log_reduction
    if red.value is None:
        return out(MRDResponse.NOT_EVALUABLE, f"still positive ({post}); {red.reason}")
    text = f"still positive ({pre} -> {post}); log reduction {red}"
    if red.value >= need - _TOL:
        return out(MRDResponse.PARTIAL, f"{text} >= {need:g} (partial: remission's own category)")
    if red.bound == "exact":
        return out(MRDResponse.NO_RESPONSE, f"{text} < {need:g}")
    return out(
        MRDResponse.NOT_EVALUABLE,
        f"{text}: below the quantitative range, cannot tell whether >= {need:g}",
    )


@dataclass(frozen=True)
class TimePoint:
    """An MRD result at a time (days from any origin the caller chooses)."""

    time: float
    value: MRDValue


@dataclass(frozen=True)
class KineticsStep:
    """One time point against the baseline and the previous point."""

    time: float
    value: MRDValue
    from_baseline: LogReduction
    from_previous: LogReduction

    def to_dict(self) -> dict:
        return {
            "time": self.time,
            "value": str(self.value),
            "qualifier": self.value.qualifier.value,
            "log_reduction_from_baseline": self.from_baseline.value,
            "bound_from_baseline": self.from_baseline.bound,
            "log_reduction_from_previous": self.from_previous.value,
            "bound_from_previous": self.from_previous.bound,
        }


@dataclass(frozen=True)
class Kinetics:
    """A patient's MRD course: steps, first negative time, and the best response."""

    steps: tuple[KineticsStep, ...]
    first_negative_time: float | None
    best: ResponseAssessment | None

    def to_dict(self) -> dict:
        return {
            "steps": [s.to_dict() for s in self.steps],
            "first_negative_time": self.first_negative_time,
            "best_response": self.best.to_dict() if self.best else None,
        }


_RANK = {
    MRDResponse.COMPLETE: 3,
    MRDResponse.PARTIAL: 2,
    MRDResponse.INTERMEDIATE: 2,
    MRDResponse.NO_RESPONSE: 1,
    MRDResponse.FAILURE: 1,
    MRDResponse.NOT_EVALUABLE: 0,
}


def mrd_kinetics(points: Sequence[TimePoint], rules: ResponseRules | None = None) -> Kinetics:
    """Log reductions of each point from the first (baseline) and from the previous one.

    The best response is the best :func:`assess_response` category of any later point
    against the baseline (ties: the earliest). ``points`` are sorted by time first.
    """
    pts = sorted(points, key=lambda p: p.time)
    if not pts:
        return Kinetics((), None, None)
    base = pts[0].value
    steps = tuple(
        KineticsStep(
            p.time,
            p.value,
            log_reduction(base, p.value),
            log_reduction(pts[i - 1].value if i else base, p.value),
        )
        for i, p in enumerate(pts)
    )
    first_neg = next((p.time for p in pts if p.value.qualifier is MRDQualifier.NEGATIVE), None)
    best = None
    for p in pts[1:]:
        a = assess_response(base, p.value, rules)
        if best is None or _RANK[a.category] > _RANK[best.category]:
            best = a
    return Kinetics(steps, first_neg, best)
