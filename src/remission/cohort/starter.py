"""A starter study file for a new spreadsheet (``remission init``).

:func:`starter_study` reads the headers and values of a raw table and writes a study
file (YAML text) for the user to confirm:

- each header is matched to a core column (:mod:`remission.cohort.schema`) by its name
  or a common synonym (:data:`SYNONYMS`: ``DOB``, ``Date of Tx``, ``HCT date``, ``last
  contact``...), after folding case and punctuation; a match by similarity only is marked
  ``# GUESS``; the match goes to ``rename:``;
- a core category whose values are coded (``1``/``2`` for sex) gets a ``recode:`` guess;
  values of a category the dictionary does not know are listed;
- every other column is declared under ``columns:`` with its inferred type
  (:mod:`remission.cohort.infer`), categories in natural order (marked: put them in
  clinical order), and a date column that looks like a treatment start becomes a guessed
  ``interventions:`` entry.

Every guess carries a ``# GUESS`` or ``# CHECK`` comment; ``remission validate FILE
--study STUDY`` then shows what is left to fix.
"""

from __future__ import annotations

import re

from remission.cohort.infer import infer_column
from remission.cohort.io import RawTable
from remission.cohort.parse import MISSING_WORDS, NUMERIC_DATE, parse_text
from remission.cohort.schema import COLUMNS, Column
from remission.cohort.suggest import closest

__all__ = ["SYNONYMS", "starter_study", "match_header"]

#: Other names of the core columns in spreadsheets (folded: lower case, words).
SYNONYMS: dict[str, tuple[str, ...]] = {
    "patient_id": ("pt id", "patient", "id", "subject id", "subject", "upn", "study id",
                   "record id", "patient number", "pt no", "case id"),
    "centre": ("center", "site", "hospital", "institution", "centre name", "center name"),
    "sex": ("gender", "sex m f"),
    "date_of_birth": ("dob", "birth date", "birthdate", "d o b", "born"),
    "diagnosis_date": ("date of diagnosis", "dx date", "diagnosis", "date of dx", "diag date"),
    "disease_status": ("status", "remission status", "status at treatment"),
    "cns_status": ("cns",),
    "mrd_pre_percent": ("mrd pre", "pre mrd", "mrd before", "mrd baseline", "mrd",
                        "baseline mrd", "mrd screening"),
    "mrd_post_percent": ("mrd post", "post mrd", "mrd after", "mrd d28", "mrd day 28",
                         "mrd response", "mrd eot"),
    "crs_grade": ("crs", "crs grade max", "max crs grade", "cytokine release syndrome"),
    "neurotoxicity_grade": ("icans", "icans grade", "neurotoxicity", "max icans grade"),
    "hsct_date": ("hsct", "date of hsct", "hct date", "date of hct", "sct date", "bmt date",
                  "date of bmt", "transplant date", "date of transplant", "tx date",
                  "date of tx", "allo date", "alloHSCT date"),
    "conditioning": ("conditioning regimen",),
    "donor": ("donor type", "stem cell source donor"),
    "relapse_date": ("relapse", "date of relapse", "relapse dt", "rel date"),
    "relapse_lineage": ("lineage at relapse",),
    "second_malignancy_date": ("second malignancy", "smn date", "date of second malignancy"),
    "death_date": ("death", "date of death", "dod", "died on", "death dt"),
    "cause_of_death": ("cod", "death cause"),
    "last_followup_date": ("last follow up", "last followup", "last contact", "last seen",
                           "date last seen", "date of last contact", "last visit", "lfu",
                           "last follow up date", "date of last follow up"),
    "post_relapse_therapy": ("therapy after relapse", "salvage therapy"),
    "notes": ("comments", "comment", "remarks", "note"),
}  # fmt: skip
_START = re.compile(r"infusion|start|begin|first dose|day 0|\bd0\b", re.IGNORECASE)
_CODED_SEX = {("1", "2"): {"1": "M", "2": "F"}, ("0", "1"): {"0": "F", "1": "M"}}


def fold(text: str) -> str:
    """``"Date of Tx"`` -> ``"date of tx"``; ``"hsct_date"`` -> ``"hsct date"``."""
    return " ".join(re.sub(r"[^0-9a-z]+", " ", str(text).lower()).split())


def snake(text: str) -> str:
    """A column name from a header: ``"CAR-T infusion date"`` -> ``"car_t_infusion_date"``."""
    name = fold(text).replace(" ", "_") or "column"
    return name if not name[0].isdigit() else f"c_{name}"


def match_header(header: str) -> tuple[str | None, bool]:
    """(core column, sure): by name or synonym (sure), else by similarity (a guess)."""
    key = fold(header)
    table = {fold(c.name): c.name for c in COLUMNS}
    for name, words in SYNONYMS.items():
        table.update({fold(w): name for w in words})
    if key in table:
        return table[key], True
    near = closest(key, table, cutoff=0.85)
    return (table[near], False) if near is not None else (None, False)


def _values(cells: list) -> list[str]:
    out = []
    for c in cells:
        t = parse_text(c)
        if t is not None and t.strip() and t.strip().lower() not in MISSING_WORDS:
            out.append(" ".join(t.split()))
    return out


def _quote(text: str) -> str:
    if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_ .^/%-]*", text) and text.lower() not in (
        "yes", "no", "true", "false", "on", "off", "null", "y", "n"
    ):  # fmt: skip
        return text
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _recode(col: Column, values: list[str]) -> tuple[dict[str, str], list[str]]:
    """A recode guess for coded values, and the values still unknown to the category."""
    distinct = tuple(sorted(set(values)))
    if col.name == "sex" and distinct in _CODED_SEX:
        return _CODED_SEX[distinct], []
    lookup = col.lookup()
    unknown = sorted({v for v in values if v.lower() not in lookup})
    return {}, unknown


def date_order(raw: RawTable) -> tuple[str, str]:
    """(``day-first`` or ``month-first``, the cell that shows it, or ``""``) for how the
    file writes numeric dates: month first when some cell can only be read month first
    (``01/14/2022``) and none only day first (``14/01/2022``)."""
    month_only = day_only = ""
    for header in raw.frame.columns:
        for v in {str(c).strip() for c in raw.frame[header].tolist() if isinstance(c, str)}:
            m = NUMERIC_DATE.match(v)
            if not m:
                continue
            a, b = int(m[1]), int(m[3])
            if a <= 12 < b <= 31:
                month_only = month_only or v
            elif b <= 12 < a <= 31:
                day_only = day_only or v
        if month_only and day_only:
            break
    if month_only and not day_only:
        return "month-first", month_only
    return "day-first", day_only


def starter_study(raw: RawTable) -> str:
    """The starter study file (YAML text) for ``raw``; see the module docstring."""
    renames, recodes, notes, own, starts = [], [], [], [], []
    taken: set[str] = set()
    order, example = date_order(raw)
    for header in raw.frame.columns:
        cells = raw.frame[header].tolist()
        name, sure = match_header(str(header))
        if name is not None and name not in taken:
            taken.add(name)
            if str(header) != name:
                mark = "" if sure else "  # GUESS: check that this is the same column"
                renames.append(f"  {_quote(str(header))}: {name}{mark}")
            col = next(c for c in COLUMNS if c.name == name)
            if col.kind == "category":
                table, unknown = _recode(col, _values(cells))
                if table:
                    body = ", ".join(f"{_quote(k)}: {v}" for k, v in table.items())
                    recodes.append(f"  {name}: {{{body}}}  # GUESS: check which code is which")
                if unknown:
                    notes.append(f"# CHECK {name}: values {', '.join(unknown[:10])} are not "
                                 f"{col.expected()}: add them to recode: or fix the file")  # fmt: skip
            continue
        own.append(_declare(str(header), cells, starts, order == "month-first"))
    if order == "month-first":
        notes.insert(0, f"date_order: month-first  # GUESS: dates such as {example!r} are "
                        "written month first (mm/dd/yyyy)")  # fmt: skip
    return _render(raw.path, renames, recodes, notes, own, starts)


def _declare(header: str, cells: list, starts: list[str], month_first: bool) -> list[str]:
    name = snake(header)
    col = infer_column(name, cells, month_first=month_first)
    lines = [f"  {name}:"]
    if name != header:
        lines[0] += f"  # from header {header!r} (see rename:)"
    lines.append(f"    type: {col.kind}  # GUESS: inferred from the values")
    if col.kind == "category":
        levels = ", ".join(_quote(v) for v in col.allowed)
        lines.append(f"    categories: [{levels}]  # CHECK: put them in clinical order")
        lines.append(f"    reference: {_quote(col.allowed[0])}  # CHECK: the reference level")
    lines.append(f"    label: {_quote(header)}  # CHECK: how tables and figures name it")
    if col.kind == "date" and _START.search(header):
        starts.append(name)
    return lines


def _render(path: str, renames, recodes, notes, own, starts) -> str:
    out = [f"# Starter study file for {path}, written by `remission init`.",
           "# Every line marked GUESS or CHECK is a guess: confirm or correct it, then run",
           f"#   remission validate {path} --study THIS_FILE",
           "# to see what is left to fix. Format: docs/study-file.md", "",
           "title: My study  # CHECK", "data_cutoff_date:  # CHECK: the data cut-off, e.g. "
           "2023-12-31 (events after it are censored)"]  # fmt: skip
    if starts:
        out += ["", "interventions:"]
        for s in starts:
            short = s.removesuffix("_date").removesuffix("_start").removesuffix("_infusion")
            out += [f"  {short}:  # GUESS: a treatment that starts on {s}",
                    f"    start: {s}",
                    "    precedes: [hsct_date, relapse_date, death_date]  # CHECK"]  # fmt: skip
    if own:
        out += ["", "columns:  # the spreadsheet's own columns"]
        for lines in own:
            out += lines
    renamed = [ln for ln in renames]
    for lines in own:
        header = re.search(r"from header '(.*)'", lines[0])
        if header:
            renamed.append(f"  {_quote(header.group(1))}: {lines[0].split(':')[0].strip()}")
    if renamed:
        out += ["", "rename:  # spreadsheet header: column"] + renamed
    if recodes:
        out += ["", "recode:  # column: {code in the file: value}"] + recodes
    if notes:
        out += [""] + notes
    return "\n".join(out) + "\n"
