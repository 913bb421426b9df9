"""Table 1 (patient characteristics) in the form of gtsummary's ``tbl_summary``.

One block per variable: a header row with the variable's label (and, when stratified,
the p-value and the test's name), then one row per statistic or level, each naming what
it shows:

- continuous: ``Median (IQR)`` and ``Range`` (or ``Median (range)``), two significant
  digits unless the variable declares fixed decimals (:func:`remission.report.format.sig`);
- categorical: the label says ``n (%)``; one row per level, percentages of the patients
  with a known value;
- MRD: quantifiable, positive not quantifiable and negative results, n (%), and the
  quantifiable levels' median (IQR) and range;
- ``Missing, n`` whenever any patient lacks the value (gtsummary's ``missing = "ifany"``).

Columns: ``Characteristic``, ``Overall (N = n)``, with ``by`` then ``p`` and ``Test``
(right after the overall column, so they stay on screen however many groups follow) and
one column per group in the declared order (``group_order``, else the categories of a
categorical column, as the study file declares them), the others sorted.

Tests (as gtsummary's defaults): Kruskal-Wallis for continuous variables (the Wilcoxon
rank-sum test for two groups); for categorical ones Pearson's chi-square without
continuity correction when every expected count is at least 5, otherwise Fisher's exact
test (Freeman-Halton, :mod:`remission.report.exact`), or chi-square when the table is
too large to enumerate, which the test name then says.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from remission.cohort.mrdvalue import MRDValue, parse_mrd
from remission.report import format as fmt
from remission.report.exact import TooManyTables, fisher_exact_rxc
from remission.report.ranktests import chi2_independence, kruskal_p

__all__ = [
    "Variable",
    "SEED_VARIABLES",
    "characteristics_table",
    "table1_notes",
    "table1_variables",
    "INDENT",
]

#: Prefix of the statistic and level rows under a variable's header row.
INDENT = "\u2003"
_NB = "\u00a0"


@dataclass(frozen=True)
class Variable:
    """A Table 1 row: ``kind`` is ``continuous``, ``categorical`` or ``mrd``."""

    column: str
    label: str
    kind: str = "categorical"
    digits: int | None = None
    levels: tuple[str, ...] = ()


SEED_VARIABLES: tuple[Variable, ...] = (
    Variable("age_at_blinatumomab_years", "Age at blinatumomab, years", "continuous", 2),
    Variable("sex", "Sex", levels=("F", "M")),
    Variable("kmt2a_rearranged", "KMT2A rearranged", levels=("yes", "no")),
    Variable("disease_status", "Disease status at blinatumomab"),
    Variable("cns_status", "CNS status", levels=("CNS1", "CNS2", "CNS3")),
    Variable("mrd_pre_percent", "MRD before blinatumomab, %", "mrd"),
    Variable(
        "lymphocytes_pre_1e9_per_l",
        "Lymphocytes before blinatumomab, \u00d710\u2079/L",
        "continuous",
        2,
    ),  # fmt: skip
    Variable("blinatumomab_cycles", "Blinatumomab cycles"),
    Variable("crs_grade", "CRS, maximum grade"),
    Variable("neurotoxicity_grade", "Neurotoxicity, maximum grade"),
    Variable("mrd_post_percent", "MRD after blinatumomab, %", "mrd"),
    Variable("conditioning", "HSCT conditioning"),
    Variable("donor", "Donor"),
)


_SKIP_KINDS = ("id", "text", "date")


#: Core columns whose label names the study treatment (the first intervention).
_AT_TREATMENT = {"disease_status": "Disease status at {}", "mrd_pre_percent": "MRD before {}, %",
                 "mrd_post_percent": "MRD after {}, %"}  # fmt: skip


def table1_variables(columns: Sequence, known: Sequence[Variable] = SEED_VARIABLES,
                     treatment: str | None = None, present: Sequence[str] | None = None
                     ) -> tuple[Variable, ...]:  # fmt: skip
    """Table 1 rows for a cohort's columns (:class:`remission.cohort.schema.Column`): the
    ``known`` rows of the columns present, then one row per category, number, integer or
    MRD column outside the core dictionary (a study's own columns, those kept with an
    inferred type), in the cohort's order, labelled by name and unit
    (:func:`remission.report.listing.column_header`). Categories keep their declared
    (clinical) order. Disease status and MRD before and after are labelled with
    ``treatment``, the study's first intervention (default: ``treatment``). ``present``
    names the columns in which some patient has a value: a core column outside it is left
    out (the cohort does not record it); a study's own column is always shown."""
    from remission.cohort.schema import COLUMN_NAMES
    from remission.report.listing import column_header

    names = {c.name for c in columns}
    if present is not None:
        names -= set(COLUMN_NAMES) - set(present)
    out = [v for v in known if v.column in names]
    out = [replace(v, label=_AT_TREATMENT[v.column].format(treatment or "treatment"))
           if v.column in _AT_TREATMENT else v for v in out]  # fmt: skip
    have = {v.column for v in out} | set(COLUMN_NAMES)
    for col in columns:
        if col.name in have or col.kind in _SKIP_KINDS or col.name not in names:
            continue
        label = column_header(col)
        if col.kind == "category":
            out.append(Variable(col.name, label, "categorical", levels=col.allowed))
        elif col.kind == "mrd":
            out.append(Variable(col.name, label, "mrd"))
        else:
            out.append(Variable(col.name, label, "continuous"))
    return tuple(out)


def _mrd(v: object) -> MRDValue:
    return v if isinstance(v, MRDValue) else parse_mrd(v)


def _value(x: float, digits: int | None) -> str:
    return fmt.sig(x) if digits is None else fmt.number(x, digits)


def _span(lo: float, hi: float, digits: int | None) -> str:
    a, b = _value(lo, digits), _value(hi, digits)
    return f"{a} to {b}" if a.startswith("-") or b.startswith("-") else f"{a}\u2013{b}"


def _count(n: int, total: int) -> str:
    """``1,490 (50 %)`` with a non-breaking space; ``<1 %`` for a non-zero share under 1 %."""
    if total <= 0:
        return fmt.thousands(n)
    pct = 100.0 * n / total
    text = "<1" if 0 < pct < 0.5 else fmt.number(pct, 0)
    return f"{fmt.thousands(n)} ({text}{_NB}%)"


def _continuous(vals: np.ndarray, digits: int | None, iqr: bool) -> list[tuple[str, str]]:
    if not len(vals):
        return [("Median (IQR)", fmt.MISSING), ("Range", fmt.MISSING)] if iqr else [
            ("Median (range)", fmt.MISSING)]  # fmt: skip
    med = _value(float(np.median(vals)), digits)
    rng = _span(float(vals.min()), float(vals.max()), digits)
    if not iqr:
        return [("Median (range)", f"{med} ({rng})")]
    q1, q3 = np.percentile(vals, [25, 75])  # R's type 7
    return [("Median (IQR)", f"{med} ({_span(q1, q3, digits)})"), ("Range", rng)]


def _continuous_cells(s: pd.Series, v: Variable, iqr: bool) -> list[tuple[str, str]]:
    vals = pd.to_numeric(s, errors="coerce").dropna().to_numpy(float)
    return _continuous(vals, v.digits, iqr)


def _mrd_cells(s: pd.Series, v: Variable, iqr: bool, pnq_row: bool) -> list[tuple[str, str]]:
    """MRD rows; the PNQ row is shown in every group when any patient has a PNQ result, so
    that every group has the same rows."""
    known = [x for x in map(_mrd, s) if not x.is_missing]
    levels = np.array([x.level for x in known if x.level is not None], dtype=float)
    neg = sum(x.is_negative for x in known)
    pnq = sum(x.qualifier.value == "positive_not_quantifiable" for x in known)
    out = [("Quantifiable, n (%)", _count(len(levels), len(known)))]
    out += [(f"Quantifiable level, {k[0].lower()}{k[1:]}", c)
            for k, c in _continuous(levels, v.digits, iqr)]  # fmt: skip
    if pnq_row:
        out.append(("Positive, not quantifiable, n (%)", _count(pnq, len(known))))
    out.append(("Negative, n (%)", _count(neg, len(known))))
    return out


def _n_missing(s: pd.Series, v: Variable) -> int:
    if v.kind == "mrd":
        return int(sum(_mrd(x).is_missing for x in s))
    if v.kind == "continuous":
        return int(pd.to_numeric(s, errors="coerce").isna().sum())
    return int((s.isna() | (s.astype(str).str.strip() == "")).sum())


def _declared(s: pd.Series) -> list[str]:
    """The declared order of a categorical column (the study file's categories), if any."""
    if isinstance(s.dtype, pd.CategoricalDtype):
        return [str(c) for c in s.cat.categories]
    return []


def _levels(frame: pd.DataFrame, v: Variable) -> list[str]:
    seen = [str(x) for x in frame[v.column].dropna().unique() if str(x).strip()]
    declared = list(v.levels) or [x for x in _declared(frame[v.column]) if x in seen]
    if declared:
        return declared + sorted((x for x in seen if x not in declared), key=_natural)
    return sorted(seen, key=_natural)


def _natural(text: str) -> tuple:
    """Numbers in numeric order (grades 0, 1, 2, 10), text after them alphabetically."""
    try:
        return (0, float(text), "")
    except ValueError:
        return (1, 0.0, text)


def _categorical_cells(s: pd.Series, levels: list[str]) -> list[tuple[str, str]]:
    known = s.dropna().astype(str)
    known = known[known.str.strip() != ""]
    counts = known.value_counts()
    return [(lev, _count(int(counts.get(lev, 0)), len(known))) for lev in levels]


def _cells(sub: pd.Series, v: Variable, levels: list[str], iqr: bool,
           pnq_row: bool = False) -> list[tuple[str, str]]:  # fmt: skip
    if v.kind == "continuous":
        return _continuous_cells(sub, v, iqr)
    if v.kind == "mrd":
        return _mrd_cells(sub, v, iqr, pnq_row)
    return _categorical_cells(sub, levels)


def _categorical_test(x: pd.Series, g: pd.Series) -> tuple[float | None, str]:
    table = pd.crosstab(x.astype(str), g.astype(str)).to_numpy()
    if table.shape[0] < 2 or table.shape[1] < 2:
        return None, ""
    _stat, p, expected = chi2_independence(table)
    if (expected >= 5).all():
        return p, "Chi-square"
    try:
        return fisher_exact_rxc(table, max_tables=10**5), "Fisher's exact"
    except TooManyTables:
        return p, _LARGE_CHI2


_LARGE_CHI2 = "Chi-square\u00b9"


def table1_notes(table: pd.DataFrame) -> tuple[tuple[tuple[str, str], ...], str]:
    """Numbered notes and the legend of a Table 1 made by :func:`characteristics_table`."""
    notes = []
    if "Test" in table and (table["Test"] == _LARGE_CHI2).any():
        notes.append(("1", "Pearson's chi-square although some expected counts are below 5: "
                      "the table is too large for Fisher's exact test."))  # fmt: skip
    legend = ("IQR, interquartile range (quartiles of R's type 7). Percentages are of the "
              "patients with a known value. Continuous values to 2 significant digits unless "
              "the variable declares decimals.")  # fmt: skip
    if "Test" in table:
        legend += (" Chi-square: Pearson's, without continuity correction, when every "
                   "expected count is at least 5; otherwise Fisher's exact test. Continuous "
                   "variables: Kruskal-Wallis test.")  # fmt: skip
    return tuple(notes), legend


def _p_value(frame: pd.DataFrame, v: Variable, by: str) -> tuple[float | None, str]:
    """(p, test name); none for MRD results (levels and qualifiers mixed)."""
    data = pd.DataFrame({"x": frame[v.column], "g": frame[by]}).dropna()
    if v.kind == "mrd" or data["g"].nunique() < 2:
        return None, ""
    if v.kind != "continuous":
        data = data[data["x"].astype(str).str.strip() != ""]
        return _categorical_test(data["x"], data["g"])
    groups = [pd.to_numeric(g["x"], errors="coerce").dropna().to_numpy(float)
              for _, g in data.groupby("g", sort=True)]  # fmt: skip
    groups = [g for g in groups if len(g)]
    if len(groups) < 2 or np.ptp(np.concatenate(groups)) == 0:
        return None, ""
    return kruskal_p(groups)[1], "Kruskal-Wallis"


def _header(n: int, name: str = "Overall") -> str:
    return f"{name} (N{_NB}={_NB}{fmt.thousands(n)})"


def characteristics_table(
    frame: pd.DataFrame,
    variables: Sequence[Variable] = SEED_VARIABLES,
    by: str | None = None,
    iqr: bool = True,
    test: bool = False,
    p_style: str = "default",
    group_order: Sequence[str] = (),
) -> pd.DataFrame:
    """Table 1: one block per variable present in ``frame`` (see the module docstring)."""
    present = sorted(frame[by].dropna().astype(str).unique()) if by else []
    order = list(group_order) or (_declared(frame[by]) if by else [])
    groups = [g for g in order if g in present] + [g for g in present if g not in order]
    keys = frame[by].astype(str) if by else None
    subsets = [(_header(len(frame)), frame)] + [
        (_header(int((keys == g).sum()), g), frame[keys == g]) for g in groups]  # fmt: skip
    tested = bool(test and by)
    rows = []
    for v in variables:
        if v.column not in frame.columns:
            continue
        levels = _levels(frame, v) if v.kind == "categorical" else []
        pnq_row = v.kind == "mrd" and any(
            _mrd(x).qualifier.value == "positive_not_quantifiable" for x in frame[v.column]
        )
        cells = [_cells(sub[v.column], v, levels, iqr, pnq_row) for _, sub in subsets]
        p, test_name = _p_value(frame, v, by) if tested else (None, "")
        label = v.label + (", n (%)" if v.kind == "categorical" else "")
        head = {"Characteristic": label, **{name: "" for name, _ in subsets[:1]}}
        if tested:
            head |= {"p": "" if p is None else fmt.p_value(p, p_style), "Test": test_name}
        rows.append(head | {name: "" for name, _ in subsets[1:]})
        for i, (level, _) in enumerate(cells[0]):
            row = {"Characteristic": INDENT + level}
            for (name, _), c in zip(subsets, cells, strict=True):
                row[name] = c[i][1]
            rows.append(row)
        missing = [_n_missing(sub[v.column], v) for _, sub in subsets]
        if missing[0]:
            rows.append({"Characteristic": INDENT + "Missing, n",
                         **{name: fmt.thousands(m) for (name, _), m in zip(subsets, missing,
                                                                          strict=True)}})  # fmt: skip
    columns = ["Characteristic", subsets[0][0]] + (["p", "Test"] if tested else [])
    columns += [name for name, _ in subsets[1:]]
    return pd.DataFrame(rows, columns=columns).fillna("")
