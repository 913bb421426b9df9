"""The claims audit: a publication's statements, recomputed from the data.

A claims file (YAML) holds ``claims:``, a list of::

    - id: efs_3y_post_hsct                  # stable identifier
      quote: "Three-year EFS ... were 47% ..."
      published: {form: percent, value: 47, digits: 0}
      compute: {kind: km, endpoint: EFS, origin: hsct, at_days: 1095.75}
      context: {where: {...}, columns: [...]}   # optional: rows listed in the note

Published forms: ``count`` (``value``), ``counts`` (``values``: label -> n), ``value``
(``value``, ``digits``), ``percent`` (``value`` in per cent, ``digits``),
``percent_ci`` (``value``, ``lower``, ``upper`` in per cent, ``digits``; or ``items``,
a list of those), ``median_range`` (``median``, ``min``, ``max``, ``digits``) and
``list`` / ``lists`` (numbers; label -> numbers).

Compute kinds (all declarative, evaluated by :func:`evaluate_claims` against a
:class:`~remission.report.analysis.AnalysisContext`): ``count`` (``where``; with
``missing: <column>`` the patients whose column is blank are counted too, and a
published count between the recorded count and recorded + blank is ``not computable``,
neither confirmed nor refuted), ``counts``
(``column``, ``groups``: label -> values), ``median`` (``column``, ``where``, optional
``endpoint``/``origin`` to take the endpoint frame), ``values`` (``column``, ``where``;
or ``groups``: label -> {column, where}), ``km`` (``endpoint``, ``origin``,
``at_days``), ``proportion`` (``numerator`` and ``denominator`` as ``where`` filters,
exact CI) and ``binomial_ci`` (``x``, ``n``; or ``items``).

``where`` maps a column to a value (equality), a list (membership) or an operator
mapping: ``eq ne lt le gt ge in not_in contains not_contains present missing``; text
comparisons ignore case.

Status: ``reproduced`` when the computed value, rounded as the published one is (same
digits, half away from zero), equals it; ``discrepant`` otherwise, with the difference
stated; ``not computable`` with the reason (a column absent or all missing, an
estimator not available). Agreement is never forced: there is no tolerance beyond the
published rounding.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from remission.cohort.problems import InputError, Problem
from remission.cohort.yamlsafe import load_yaml
from remission.report import format as fmt

__all__ = [
    "Claim",
    "ClaimResult",
    "NotComputable",
    "load_claims",
    "parse_claims",
    "evaluate_claims",
    "published_text",
    "FORMS",
    "KINDS",
]

FORMS = ("count", "counts", "value", "percent", "percent_ci", "median_range", "list", "lists")
KINDS = ("count", "counts", "median", "values", "km", "proportion", "binomial_ci")
STATUSES = ("reproduced", "discrepant", "not computable")


class NotComputable(Exception):
    """Raised inside a computation with the reason the claim cannot be computed."""


@dataclass(frozen=True)
class Claim:
    """One published statement and how to recompute it."""

    id: str
    quote: str
    published: Mapping[str, Any]
    compute: Mapping[str, Any]
    context: Mapping[str, Any] = field(default_factory=dict)
    note: str = ""


@dataclass(frozen=True)
class ClaimResult:
    """A claim beside its recomputation; ``computed`` is JSON-ready (None if not computable)."""

    id: str
    quote: str
    published: Mapping[str, Any]
    computed: Any
    status: str
    note: str
    published_text: str = ""
    computed_text: str = ""

    def to_dict(self) -> dict:
        return {
            "id": self.id, "quote": self.quote, "published": dict(self.published),
            "computed": self.computed, "status": self.status, "note": self.note,
            "published_text": self.published_text, "computed_text": self.computed_text,
        }  # fmt: skip


def _check_claim(i: int, c: object, source: str, seen: set[str]) -> list[Problem]:
    where = f"claim {i + 1}"
    if not isinstance(c, Mapping):
        return [
            Problem(source, f"{where} is not a mapping", expected="id, quote, published, compute")
        ]
    probs = []
    cid = c.get("id")
    if not isinstance(cid, str) or not cid:
        probs.append(Problem(source, f"{where}: missing id", expected="a text id"))
    elif cid in seen:
        probs.append(Problem(source, f"{where}: duplicate id", value=cid, expected="unique ids"))
    else:
        seen.add(cid)
        where = f"claim {cid!r}"
    for key in ("quote", "published", "compute"):
        if key not in c:
            probs.append(Problem(source, f"{where}: missing {key!r}"))
    pub, comp = c.get("published"), c.get("compute")
    if isinstance(pub, Mapping) and pub.get("form") not in FORMS:
        probs.append(Problem(source, f"{where}: unknown published form", value=pub.get("form"),
                             expected="one of " + ", ".join(FORMS)))  # fmt: skip
    if isinstance(comp, Mapping) and comp.get("kind") not in KINDS:
        probs.append(Problem(source, f"{where}: unknown compute kind", value=comp.get("kind"),
                             expected="one of " + ", ".join(KINDS)))  # fmt: skip
    return probs


def parse_claims(data: object, source: str = "<claims>") -> tuple[Claim, ...]:
    """Validate a loaded claims document; all problems raised together."""
    if not isinstance(data, Mapping) or not isinstance(data.get("claims"), list):
        raise InputError([Problem(source, "no 'claims:' list", expected="claims: [ ... ]")])
    seen: set[str] = set()
    probs = [p for i, c in enumerate(data["claims"]) for p in _check_claim(i, c, source, seen)]
    if probs:
        raise InputError(probs)
    return tuple(
        Claim(
            c["id"],
            str(c["quote"]).strip(),
            c["published"],
            c["compute"],
            c.get("context") or {},
            str(c.get("note", "")).strip(),
        )  # fmt: skip
        for c in data["claims"]
    )


def load_claims(path: str | Path) -> tuple[Claim, ...]:
    """Read and validate a claims YAML file (errors name the file and claim)."""
    p = Path(path)
    data = load_yaml(p, "claims file")
    return parse_claims(data, str(p))


# ---------------------------------------------------------------- computing


def _compute(claim: Claim, ctx) -> Any:
    c = claim.compute
    kind = c["kind"]
    if kind == "count":
        n = len(ctx.select(c.get("where")))
        if not c.get("missing"):
            return n
        col = c["missing"]
        rest = {k: v for k, v in (c.get("where") or {}).items() if k != col}
        unknown = len(ctx.select({**rest, col: {"missing": True}}))
        return {"n": n, "missing": unknown}
    if kind == "counts":
        return ctx.counts(c["column"], c["groups"], c.get("where"))
    if kind == "median":
        vals = ctx.numbers(c["column"], c.get("where"), c.get("endpoint"), c.get("origin"))
        if not vals:
            raise NotComputable(f"no non-missing values of {c['column']!r}")
        return {"median": _median(vals), "min": min(vals), "max": max(vals), "n": len(vals)}
    if kind == "values":
        if "groups" in c:
            return {k: sorted(ctx.numbers(g["column"], g.get("where"))) for k, g in
                    c["groups"].items()}  # fmt: skip
        return sorted(ctx.numbers(c["column"], c.get("where")))
    if kind == "km":
        return ctx.km_at(c["endpoint"], c["origin"], float(c["at_days"]))
    if kind == "proportion":
        x, n = len(ctx.select(c["numerator"])), len(ctx.select(c.get("denominator")))
        return ctx.binomial(x, n)
    items = c.get("items") or [{"x": c["x"], "n": c["n"]}]
    res = [ctx.binomial(int(i["x"]), int(i["n"])) for i in items]
    return res if "items" in c else res[0]


def _median(v: Sequence[float]) -> float:
    s = sorted(v)
    m = len(s) // 2
    return float(s[m]) if len(s) % 2 else (s[m - 1] + s[m]) / 2.0


def _r(x: float | None, digits: int | None) -> float | None:
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return None
    return fmt.round_half_up(float(x), digits or 0) if digits is not None else float(x)


def _pct(p: Mapping, key: str) -> float | None:
    return None if p.get(key) is None else 100.0 * p[key]


def _compare(pub: Mapping, got: Any) -> tuple[bool, str, str, str]:
    """(agrees, published text, computed text, difference) for a published form."""
    form, d = pub["form"], pub.get("digits")
    if form == "count":
        n = got["n"] if isinstance(got, Mapping) else got
        extra = f" ({got['missing']} not recorded)" if isinstance(got, Mapping) else ""
        return n == pub["value"], str(pub["value"]), f"{n}{extra}", f"{n - pub['value']:+d}"
    if form == "counts":
        want = {str(k): v for k, v in pub["values"].items()}
        have = {str(k): got.get(str(k)) for k in want}
        txt = lambda m: ", ".join(f"{k}: {v}" for k, v in m.items())  # noqa: E731
        return have == want, txt(want), txt(got), ""
    if form == "value":
        v = got["median"] if isinstance(got, Mapping) else got
        return _r(v, d) == pub["value"], fmt.number(pub["value"], d), fmt.number(v, d), ""
    if form == "percent":
        v = 100.0 * got["estimate"]
        ok = _r(v, d) == pub["value"]
        return ok, f"{fmt.number(pub['value'])} %", f"{fmt.number(v, d)} %", \
            f"{v - pub['value']:+.{(d or 0) + 1}f} percentage points"  # fmt: skip
    if form == "percent_ci":
        items = pub.get("items") or [pub]
        gots = got if isinstance(got, list) else [got]
        oks, pt, ct = [], [], []
        for p, g in zip(items, gots, strict=True):
            trip = (100 * g["estimate"], _pct(g, "lower"), _pct(g, "upper"))
            oks.append(all(_r(a, d) == p[k] for a, k in zip(trip, ("value", "lower", "upper"),
                                                             strict=True)))  # fmt: skip
            pt.append(
                f"{fmt.number(p['value'])} % (95 % CI {fmt.value_range(p['lower'], p['upper'])})"
            )
            ct.append(fmt.percent_ci(g["estimate"], g.get("lower"), g.get("upper"), digits=d or 0))
        return all(oks), "; ".join(pt), "; ".join(ct), ""
    if form == "median_range":
        trip = (got["median"], got["min"], got["max"])
        ok = all(_r(a, d) == pub[k] for a, k in zip(trip, ("median", "min", "max"), strict=True))
        ptxt = f"{fmt.number(pub['median'])} ({fmt.value_range(pub['min'], pub['max'])})"
        ctxt = f"{fmt.number(trip[0], d)} ({fmt.value_range(trip[1], trip[2], d)})"
        return ok, ptxt, ctxt + f", n={got['n']}", ""
    if form == "list":
        have = [_r(x, d) for x in got]
        return sorted(have) == sorted(pub["values"]), _lst(pub["values"]), _lst(have), ""
    want = {str(k): sorted(v) for k, v in pub["values"].items()}
    have = {str(k): sorted(_r(x, d) for x in got.get(str(k), [])) for k in want}
    return have == want, _lsts(want), _lsts(have), ""


def published_text(pub: Mapping) -> str:
    """The published value as the publication prints it (from the claim's ``published``)."""
    form = pub["form"]
    if form in ("count", "value"):
        return fmt.number(pub["value"])
    if form == "counts":
        return ", ".join(f"{k}: {v}" for k, v in pub["values"].items())
    if form == "percent":
        return f"{fmt.number(pub['value'])} %"
    if form == "percent_ci":
        return "; ".join(f"{fmt.number(p['value'])} % (95 % CI "
                         f"{fmt.value_range(p['lower'], p['upper'])})"
                         for p in (pub.get("items") or [pub]))  # fmt: skip
    if form == "median_range":
        return f"{fmt.number(pub['median'])} ({fmt.value_range(pub['min'], pub['max'])})"
    if form == "list":
        return _lst(pub["values"])
    return _lsts({str(k): v for k, v in pub["values"].items()})


def _lst(v: Sequence) -> str:
    return ", ".join(fmt.number(x) for x in v) if v else "none"


def _lsts(m: Mapping) -> str:
    return "; ".join(f"{k}: {_lst(v)}" for k, v in m.items())


def _json(x: Any) -> Any:
    if isinstance(x, Mapping):
        return {str(k): _json(v) for k, v in x.items()}
    if isinstance(x, list | tuple):
        return [_json(v) for v in x]
    if hasattr(x, "item"):
        return x.item()
    return x


def _undecided(claim: Claim, got: Any) -> None:
    """A count with unrecorded values decides nothing if the published count is in reach."""
    if claim.compute["kind"] != "count" or not isinstance(got, Mapping):
        return
    n, m, pub = got["n"], got["missing"], claim.published["value"]
    if m and n <= pub <= n + m:
        col = claim.compute["missing"]
        raise NotComputable(
            f"{n} counted, but {col!r} is not recorded for {m} patient(s): the published "
            f"{pub} can be neither confirmed nor refuted"
        )


def _context(claim: Claim, ctx) -> str:
    if not claim.context:
        return ""
    try:
        return ctx.describe(claim.context.get("where"), claim.context.get("columns", ()))
    except NotComputable as exc:
        return f"context not shown: {exc}"


def _evaluate(claim: Claim, ctx) -> ClaimResult:
    base = {"id": claim.id, "quote": claim.quote, "published": claim.published}
    try:
        got = _json(_compute(claim, ctx))
        _undecided(claim, got)
        if claim.compute["kind"] == "count" and isinstance(got, Mapping) and not got["missing"]:
            got = got["n"]
        ok, _, ctxt, diff = _compare(claim.published, got)
    except NotComputable as exc:
        note = "; ".join(x for x in (str(exc), _context(claim, ctx), claim.note) if x)
        return ClaimResult(**base, computed=None, status="not computable", note=note,
                           published_text=published_text(claim.published))  # fmt: skip
    except ImportError as exc:  # an analysis layer missing from this installation
        note = f"needs {exc.name or exc}, which is not installed"
        return ClaimResult(**base, computed=None, status="not computable", note=note,
                           published_text=published_text(claim.published))  # fmt: skip
    except InputError as exc:  # the data cannot support this computation: said, not fatal
        reasons = "; ".join(dict.fromkeys(p.message for p in exc.problems))
        note = "; ".join(x for x in (f"cannot be computed from these data: {reasons}",
                                     claim.note) if x)  # fmt: skip
        return ClaimResult(**base, computed=None, status="not computable", note=note,
                           published_text=published_text(claim.published))  # fmt: skip
    parts = [] if ok or not diff else [f"difference {diff}"]
    parts += [_context(claim, ctx), claim.note]
    status = "reproduced" if ok else "discrepant"
    return ClaimResult(**base, computed=got, status=status, note="; ".join(p for p in parts if p),
                       published_text=published_text(claim.published), computed_text=ctxt)  # fmt: skip


def evaluate_claims(claims: Sequence[Claim], ctx) -> list[ClaimResult]:
    """Evaluate every claim against the analysis context (one result per claim, in order)."""
    return [_evaluate(c, ctx) for c in claims]
