"""The cohort data dictionary as code: one row per patient, one :class:`Column` per field.

``docs/data-dictionary.md`` is generated from :data:`COLUMNS` and :data:`STUDY_FIELDS`
(``scripts/gen_data_dictionary.py``); a test fails when the committed document and the
code disagree, so the two cannot drift.

Column kinds (``Column.kind``):

- ``id``: text identifying the patient, unique within the file;
- ``text``: free text, kept as written (surrounding blanks removed);
- ``date``: a calendar date (see :mod:`remission.cohort.parse` for the accepted forms);
- ``number``: a real number, optionally bounded;
- ``integer``: a whole number, optionally bounded;
- ``category``: one of a closed set of values, matched case-insensitively, with synonyms;
- ``mrd``: a minimal residual disease result in per cent, with its qualifier
  (:class:`remission.cohort.mrdvalue.MRDValue`).

A blank cell is a missing value in every column.
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = [
    "Column",
    "StudyField",
    "COLUMNS",
    "COLUMN_NAMES",
    "REQUIRED_COLUMNS",
    "DATE_COLUMNS",
    "EVENT_DATE_COLUMNS",
    "MRD_COLUMNS",
    "STUDY_FIELDS",
    "AGE_TOLERANCE_YEARS",
    "DAYS_PER_YEAR",
    "column",
]

KINDS = ("id", "text", "date", "number", "integer", "category", "mrd")

#: Days in a year for ages and for reporting in years (Julian year).
DAYS_PER_YEAR = 365.25
#: A recorded age and the age computed from the dates may differ by at most this much.
AGE_TOLERANCE_YEARS = 0.1


@dataclass(frozen=True)
class Column:
    """Specification of one cohort column.

    ``allowed`` lists the canonical values of a category; ``synonyms`` maps other
    spellings (lower case) to a canonical value. ``minimum``/``maximum`` bound numbers
    and integers (inclusive).
    """

    name: str
    kind: str
    description: str
    required: bool = False
    allowed: tuple[str, ...] = ()
    synonyms: dict[str, str] = field(default_factory=dict)
    unit: str = ""
    minimum: float | None = None
    maximum: float | None = None

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown column kind {self.kind!r}")
        if (self.kind == "category") != bool(self.allowed):
            raise ValueError(f"{self.name}: allowed values go with kind 'category' only")

    def expected(self) -> str:
        """What a cell of this column should hold, for error messages and the dictionary."""
        if self.kind == "category":
            return "one of " + ", ".join(self.allowed)
        if self.kind == "date":
            return "a date such as 2019-03-21 or 21/03/2019 (day first)"
        if self.kind == "mrd":
            return "an MRD result in per cent: 0.06, <0.005, PNQ, pos <0.01, or blank/N/A"
        if self.kind in ("number", "integer"):
            what = "a whole number" if self.kind == "integer" else "a number"
            return what + _bounds(self.minimum, self.maximum)
        return "text"

    def lookup(self) -> dict[str, str]:
        """Every accepted spelling (lower case) mapped to its canonical value."""
        table = {v.lower(): v for v in self.allowed}
        table.update(self.synonyms)
        return table


def _bounds(lo: float | None, hi: float | None) -> str:
    def f(x: float) -> str:
        return str(int(x)) if float(x).is_integer() else str(x)

    if lo is not None and hi is not None:
        return f" from {f(lo)} to {f(hi)}"
    if lo is not None:
        return f" >= {f(lo)}"
    if hi is not None:
        return f" <= {f(hi)}"
    return ""


_YES_NO = {"y": "yes", "n": "no", "true": "yes", "false": "no", "1": "yes", "0": "no"}

COLUMNS: tuple[Column, ...] = (
    Column("patient_id", "id", "Patient identifier, unique within the cohort.", required=True),
    Column("centre", "text", "Treating centre."),
    Column(
        "sex",
        "category",
        "Sex.",
        required=True,
        allowed=("M", "F"),
        synonyms={"male": "M", "female": "F"},
    ),  # fmt: skip
    Column("date_of_birth", "date", "Date of birth."),
    Column("diagnosis_date", "date", "Date of the initial diagnosis of leukemia."),
    Column(
        "age_at_blinatumomab_years",
        "number",
        "Age at the start of blinatumomab. When blank it is derived from date_of_birth and "
        "blinatumomab_start_date as days / 365.25; when both are given they must agree "
        "within 0.1 year.",
        unit="years",
        minimum=0,
    ),  # fmt: skip
    Column(
        "kmt2a_rearranged",
        "category",
        "KMT2A (MLL) gene rearrangement.",
        allowed=("yes", "no"),
        synonyms=_YES_NO,
    ),  # fmt: skip
    Column(
        "disease_status",
        "category",
        "Disease status at the start of blinatumomab (CR = complete remission).",
        allowed=("CR1", "CR2", "CR3", "first relapse", "second relapse", "primary refractory"),
    ),  # fmt: skip
    Column(
        "cns_status",
        "category",
        "Central nervous system status at diagnosis.",
        allowed=("CNS1", "CNS2", "CNS3"),
    ),  # fmt: skip
    Column(
        "mrd_pre_percent",
        "mrd",
        "Minimal residual disease before blinatumomab.",
        unit="% of nucleated cells",
    ),  # fmt: skip
    Column(
        "lymphocytes_pre_1e9_per_l",
        "number",
        "Absolute lymphocyte count before blinatumomab.",
        unit="10^9/L",
        minimum=0,
    ),  # fmt: skip
    Column(
        "blinatumomab_start_date",
        "date",
        "First day of the first blinatumomab cycle.",
        required=True,
    ),  # fmt: skip
    Column(
        "blinatumomab_cycles",
        "integer",
        "Number of blinatumomab cycles given.",
        unit="cycles",
        minimum=1,
    ),  # fmt: skip
    Column(
        "crs_grade",
        "integer",
        "Highest cytokine release syndrome grade (ASTCT consensus: Lee et al., "
        "Biol Blood Marrow Transplant 2019;25:625-638).",
        unit="grade",
        minimum=0,
        maximum=4,
    ),  # fmt: skip
    Column(
        "neurotoxicity_grade",
        "integer",
        "Highest neurotoxicity grade (ICANS, ASTCT consensus: Lee et al. 2019).",
        unit="grade",
        minimum=0,
        maximum=4,
    ),  # fmt: skip
    Column(
        "crs",
        "category",
        "Cytokine release syndrome occurred (any grade): for a study that recorded "
        "occurrence but not the grade. Must agree with crs_grade when both are given.",
        allowed=("yes", "no"),
        synonyms=_YES_NO,
    ),  # fmt: skip
    Column(
        "neurotoxicity",
        "category",
        "Neurotoxicity occurred (any grade): for a study that recorded occurrence but "
        "not the grade. Must agree with neurotoxicity_grade when both are given.",
        allowed=("yes", "no"),
        synonyms=_YES_NO,
    ),  # fmt: skip
    Column(
        "mrd_post_percent",
        "mrd",
        "Minimal residual disease after blinatumomab, before HSCT.",
        unit="% of nucleated cells",
    ),  # fmt: skip
    Column(
        "hsct_date",
        "date",
        "Date of the haematopoietic stem cell transplant (day 0); not before "
        "blinatumomab_start_date.",
    ),  # fmt: skip
    Column("conditioning", "text", "Conditioning regimen before HSCT."),
    Column(
        "donor",
        "category",
        "Donor type: matched sibling (MSD), mismatched sibling (MMSD), matched unrelated "
        "(MUD), mismatched unrelated (MMUD), haploidentical (haplo), cord blood (cord).",
        allowed=("MSD", "MMSD", "MUD", "MMUD", "haplo", "cord"),
        synonyms={"haploidentical": "haplo", "cord blood": "cord", "ucb": "cord"},
    ),  # fmt: skip
    Column(
        "relapse_date",
        "date",
        "Date of the first relapse after the start of blinatumomab (an EFS event).",
    ),  # fmt: skip
    Column(
        "relapse_lineage",
        "text",
        "Lineage of that relapse, e.g. B-ALL CD19+, B-ALL CD19-, AML lineage switch.",
    ),  # fmt: skip
    Column("second_malignancy_date", "date", "Date of a second malignancy (an EFS event)."),
    Column("death_date", "date", "Date of death from any cause."),
    Column("cause_of_death", "text", "Cause of death."),
    Column(
        "last_followup_date",
        "date",
        "Date the patient was last known alive, or the date of death.",
        required=True,
    ),  # fmt: skip
    Column("post_relapse_therapy", "text", "Treatment given after relapse."),
    Column("notes", "text", "Free-text remarks."),
)

COLUMN_NAMES: tuple[str, ...] = tuple(c.name for c in COLUMNS)
REQUIRED_COLUMNS: tuple[str, ...] = tuple(c.name for c in COLUMNS if c.required)
DATE_COLUMNS: tuple[str, ...] = tuple(c.name for c in COLUMNS if c.kind == "date")
MRD_COLUMNS: tuple[str, ...] = tuple(c.name for c in COLUMNS if c.kind == "mrd")
#: Dates of things that happen to the patient from the start of blinatumomab on.
EVENT_DATE_COLUMNS: tuple[str, ...] = (
    "hsct_date",
    "relapse_date",
    "second_malignancy_date",
    "death_date",
)

_BY_NAME = {c.name: c for c in COLUMNS}


def column(name: str) -> Column:
    """The :class:`Column` called ``name``; :class:`KeyError` if there is none."""
    return _BY_NAME[name]


@dataclass(frozen=True)
class StudyField:
    """One study-level setting, given in a study YAML file or on the command line."""

    name: str
    kind: str
    description: str


STUDY_FIELDS: tuple[StudyField, ...] = (
    StudyField(
        "data_cutoff_date",
        "date",
        "Data cut-off: follow-up is censored at the earlier of last_followup_date and this "
        "date; no event may be dated after it. Command line: --data-cutoff.",
    ),  # fmt: skip
    StudyField("title", "text", "Title of the study."),
    StudyField("source", "text", "Where the data come from (publication, registry)."),
    StudyField("notes", "text", "Free-text remarks."),
    StudyField(
        "facts",
        "mapping",
        "Study-level facts that are not per patient (e.g. total blinatumomab cycles), "
        "as name: value pairs.",
    ),  # fmt: skip
)
