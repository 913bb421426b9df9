"""The core data dictionary: the columns every cohort of this field shares.

A study's own columns (its intervention's start date, its risk groups, ...) are not
here: they are declared in the study file (:mod:`remission.cohort.study`), and any
other column of the spreadsheet is kept with an inferred type
(:mod:`remission.cohort.infer`). ``docs/data-dictionary.md`` is generated from
:data:`COLUMNS`, :data:`CORE_ORIGINS` and a study file (``scripts/gen_data_dictionary.py``);
a test fails when the committed document and the code disagree.

Column kinds (``Column.kind``):

- ``id``: text identifying the patient, unique within the file;
- ``text``: free text, kept as written (surrounding blanks removed);
- ``date``: a calendar date (see :mod:`remission.cohort.parse` for the accepted forms);
- ``number``: a real number, optionally bounded;
- ``integer``: a whole number, optionally bounded;
- ``category``: one of a closed set of values (its *levels*, in clinical order, the first
  being the reference unless ``reference`` names another), matched case-insensitively,
  with synonyms;
- ``mrd``: a minimal residual disease result in per cent, with its qualifier
  (:class:`remission.cohort.mrdvalue.MRDValue`).

A blank cell is a missing value in every column.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

__all__ = [
    "Column",
    "COLUMNS",
    "COLUMN_NAMES",
    "REQUIRED_COLUMNS",
    "DATE_COLUMNS",
    "EVENT_DATE_COLUMNS",
    "MRD_COLUMNS",
    "CORE_ORIGINS",
    "CORE_ENDPOINTS",
    "EndpointSpec",
    "AGE_TOLERANCE_YEARS",
    "DAYS_PER_YEAR",
    "KINDS",
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

    ``allowed`` lists the canonical values of a category in their clinical order;
    ``synonyms`` maps other spellings (lower case) to a canonical value;
    ``reference`` is the reference level (default: the first). ``minimum``/``maximum``
    bound numbers and integers (inclusive). ``age_at`` names a date column: the column
    is the age in years at that date, checked against (and, when blank, computed from)
    ``date_of_birth``. ``inferred`` marks a column whose kind was inferred from its
    values (a column neither in the core dictionary nor in the study file).
    ``month_first`` reads a date column's ``03/21/2019`` as 21 March (the study file's
    ``date_order: month-first``); by default numeric dates are day first.
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
    reference: str | None = None
    age_at: str | None = None
    inferred: bool = False
    month_first: bool = False  # a date column written mm/dd/yyyy (study: date_order)
    label: str = ""  # how tables and figures name the column (study file), else from its name

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown column kind {self.kind!r}")
        if (self.kind == "category") != bool(self.allowed):
            raise ValueError(f"{self.name}: allowed values go with kind 'category' only")
        if self.reference is not None and self.reference not in self.allowed:
            raise ValueError(f"{self.name}: reference {self.reference!r} is not a level")

    @property
    def levels(self) -> tuple[str, ...]:
        """The levels of a category in analysis order: the reference first, then the
        others in their declared (clinical) order; empty for other kinds."""
        if self.reference is None:
            return self.allowed
        return (self.reference, *(v for v in self.allowed if v != self.reference))

    def with_reference(self, level: str) -> Column:
        """The same column with ``level`` as its reference (ValueError if not a level)."""
        return replace(self, reference=level)

    def expected(self) -> str:
        """What a cell of this column should hold, for error messages and the dictionary."""
        if self.kind == "category":
            return "one of " + ", ".join(self.allowed)
        if self.kind == "date" and self.month_first:
            return "a date such as 2019-03-21 or 03/21/2019 (month first, as date_order says)"
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
        "disease_status",
        "category",
        "Disease status at the start of the study treatment (CR = complete remission), "
        "in clinical order.",
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
        "Minimal residual disease before the study treatment.",
        unit="% of nucleated cells",
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
        "Minimal residual disease after the study treatment, before HSCT.",
        unit="% of nucleated cells",
    ),  # fmt: skip
    Column(
        "hsct_date",
        "date",
        "Date of the haematopoietic stem cell transplant (day 0).",
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
        "Date of the first relapse after the start of the study treatment (an EFS event).",
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
#: Dates of things that happen to the patient after the start of the study treatment.
EVENT_DATE_COLUMNS: tuple[str, ...] = (
    "hsct_date",
    "relapse_date",
    "second_malignancy_date",
    "death_date",
)
#: Named time origins every cohort has (a study file adds its own).
CORE_ORIGINS: dict[str, str] = {"diagnosis": "diagnosis_date", "hsct": "hsct_date"}

_BY_NAME = {c.name: c for c in COLUMNS}


def column(name: str) -> Column:
    """The :class:`Column` called ``name``; :class:`KeyError` if there is none."""
    return _BY_NAME[name]


@dataclass(frozen=True)
class EndpointSpec:
    """A time-to-event endpoint as data: its event and competing-event date columns.

    The first of the dates in ``events`` and ``competing`` ends follow-up: an event
    column gives status 1, a competing one status 2; no date: censored (0). On the same
    day a death counts after any other event (a relapse on the day of death is a
    relapse), otherwise an event before a competing event.
    """

    name: str
    events: tuple[str, ...]
    competing: tuple[str, ...] = ()
    description: str = ""
    event_label: str = ""
    competing_label: str = ""

    def codes(self) -> dict[int, str]:
        """Status codes and what they mean."""
        out = {0: "censored", 1: self.event_label or _or(self.events)}
        if self.competing:
            out[2] = (self.competing_label or _or(self.competing)) + " (competing)"
        return out


def _or(cols: tuple[str, ...]) -> str:
    words = [c.removesuffix("_date").replace("_", " ") for c in cols]
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " or " + words[-1]


#: The endpoints every cohort has (a study file adds its own). EFS as in the seed
#: letter (Clesham et al.: "time ... to relapse, secondary tumor, or death").
CORE_ENDPOINTS: tuple[EndpointSpec, ...] = (
    EndpointSpec(
        "EFS",
        ("relapse_date", "second_malignancy_date", "death_date"),
        description="Event-free survival: relapse, second malignancy or death from any cause.",
        event_label="relapse, second malignancy or death",
    ),  # fmt: skip
    EndpointSpec(
        "OS",
        ("death_date",),
        description="Overall survival: death from any cause.",
        event_label="death",
    ),  # fmt: skip
    EndpointSpec(
        "CIR",
        ("relapse_date",),
        ("death_date",),
        description="Cumulative incidence of relapse; death without relapse competes.",
        event_label="relapse",
        competing_label="death without relapse",
    ),  # fmt: skip
    EndpointSpec(
        "NRM",
        ("death_date",),
        ("relapse_date",),
        description="Non-relapse mortality; relapse competes.",
        event_label="death without relapse",
        competing_label="relapse",
    ),  # fmt: skip
)
