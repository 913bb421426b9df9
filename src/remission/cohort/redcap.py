"""An offline REDCap export: the raw data CSV read with its data dictionary CSV.

REDCap (Harris et al., J Biomed Inform 2009;42:377-381) exports "raw" data as a CSV with
one column per field, choice fields as their codes, and one column per option of a
checkbox field named ``field___code`` (three underscores) holding 0/1. Its data
dictionary is a CSV with one row per field and the columns ``Variable / Field Name``,
``Form Name``, ``Field Type`` and ``Choices, Calculations, OR Slider Labels`` (choices
written ``1, Yes | 2, No``), among others. A project with repeating instruments adds
``redcap_repeat_instrument`` and ``redcap_repeat_instance``: a row of a repeating
instrument has the instrument's form name and its instance number, the other rows leave
both blank. A longitudinal project adds ``redcap_event_name``: a record then has one row
per event. (Sources: the REDCap data dictionary and export documentation, and the field
export names returned by REDCap's "Export List of Export Field Names" API method.)

:func:`read_redcap` turns an export into

- ``table``: one row per record, with the fields of the non-repeating forms, choice
  codes decoded to their labels (``yesno`` to Yes/No, ``truefalse`` to True/False) and
  each checkbox field as one column listing the checked labels, ``"; "``-separated
  (blank when none is checked). In a longitudinal project the rows of a record's events
  are merged; two events giving the same field different values is a problem.
- ``repeats``: per repeating instrument, a long table (record id, event, instance and
  the instrument's fields, decoded the same way), e.g. the MRD time points of a patient;
  the rows of a repeating event (an instance number without an instrument) likewise,
  under the key ``event:<event name>``, with the fields they fill.

Both are :class:`~remission.cohort.io.RawTable` with the export's own row numbers, so the
study file's renames and recodes and the cohort validation apply to them unchanged.
Form-status columns (``form_complete``, ``form_timestamp``) and REDCap's administrative
columns are dropped, except ``redcap_data_access_group``, which is kept as a column of
``table`` (in a multi-centre project it is usually the centre: rename it in the study
file). Every problem (a code not in the dictionary, a column that is no field, a
checkbox cell other than 0/1, a bad instance number) is collected into one InputError.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from remission.cohort.io import RawTable, read_table
from remission.cohort.problems import InputError, Problem
from remission.cohort.suggest import did_you_mean

__all__ = ["RedcapField", "RedcapExport", "read_data_dictionary", "read_redcap", "is_dictionary"]

NAME, FORM, TYPE, CHOICES = (
    "Variable / Field Name",
    "Form Name",
    "Field Type",
    "Choices, Calculations, OR Slider Labels",
)
FIELD_TYPES = ("text", "notes", "dropdown", "radio", "checkbox", "yesno", "truefalse",
               "calc", "file", "descriptive", "slider", "sql")  # fmt: skip
_CHOICE_TYPES = ("dropdown", "radio", "checkbox")
_FIXED = {"yesno": {"1": "Yes", "0": "No"}, "truefalse": {"1": "True", "0": "False"}}
EVENT, INSTRUMENT, INSTANCE = (
    "redcap_event_name",
    "redcap_repeat_instrument",
    "redcap_repeat_instance",
)
DAG = "redcap_data_access_group"
_ADMIN = (EVENT, INSTRUMENT, INSTANCE, DAG, "redcap_survey_identifier")
_CHECKBOX = re.compile(r"^(?P<field>.+?)___(?P<code>[A-Za-z0-9_]+)$")


@dataclass(frozen=True)
class RedcapField:
    """One row of the data dictionary; ``choices`` maps code -> label (choice fields)."""

    name: str
    form: str
    type: str
    choices: dict[str, str] = field(default_factory=dict)

    def expected(self) -> str:
        return "one of " + ", ".join(f"{c} ({lab})" for c, lab in self.choices.items())


@dataclass(frozen=True, eq=False)
class RedcapExport:
    """A decoded export: ``table`` one row per record, ``repeats`` per repeating form."""

    table: RawTable
    repeats: dict[str, RawTable]
    record_id: str
    fields: dict[str, RedcapField]

    def repeating(self, form: str) -> RawTable:
        """The long table of repeating instrument ``form``; InputError if there is none."""
        if form not in self.repeats:
            have = ", ".join(self.repeats) or "none"
            raise InputError([Problem(self.table.path, f"no repeating instrument {form!r}"
                                      + did_you_mean(form, self.repeats),
                                      expected=f"one of: {have}")])  # fmt: skip
        return self.repeats[form]


def is_dictionary(path: str | Path) -> bool:
    """Whether ``path`` is a CSV whose first header cell is REDCap's field-name column."""
    try:
        with open(path, encoding="utf-8-sig") as fh:
            first = fh.readline()
    except (OSError, UnicodeDecodeError):
        return False
    return first.lstrip('"').startswith(NAME)


def _parse_choices(text: str | None) -> dict[str, str] | None:
    """``"1, Yes | 2, No"`` -> ``{"1": "Yes", "2": "No"}``; None when malformed."""
    out: dict[str, str] = {}
    for item in (text or "").split("|"):
        if not item.strip():
            continue
        code, sep, label = item.partition(",")
        if not sep or not code.strip() or code.strip() in out:
            return None
        out[code.strip()] = label.strip()
    return out or None


def read_data_dictionary(path: str | Path) -> dict[str, RedcapField]:
    """The fields of a REDCap data dictionary CSV, in order; InputError on any problem."""
    raw = read_table(path)
    f, name = raw.frame, raw.path
    absent = [c for c in (NAME, FORM, TYPE, CHOICES) if c not in f.columns]
    if absent:
        raise InputError([Problem(name, "not a REDCap data dictionary: column missing", row=1,
                                  column=c, expected=f"the columns {NAME!r}, {FORM!r}, "
                                  f"{TYPE!r}, {CHOICES!r}") for c in absent])  # fmt: skip
    problems, fields = [], {}
    for i, (fname, form, ftype, choices) in enumerate(zip(f[NAME], f[FORM], f[TYPE], f[CHOICES], strict=True)):  # fmt: skip
        row, ftype = raw.row_of(i), str(ftype or "").strip().lower()
        if not fname or not form:
            problems.append(Problem(name, "field name or form name is blank", row=row,
                                    expected="both filled in"))  # fmt: skip
            continue
        if fname in fields:
            problems.append(Problem(name, "field defined twice", row=row, column=NAME, value=fname))
            continue
        if ftype not in FIELD_TYPES:
            problems.append(Problem(name, "unknown field type", row=row, column=TYPE, value=ftype,
                                    expected="one of " + ", ".join(FIELD_TYPES)))  # fmt: skip
            continue
        parsed: dict[str, str] | None = _FIXED.get(ftype, {})
        if ftype in _CHOICE_TYPES:
            parsed = _parse_choices(choices)
            if parsed is None:
                problems.append(Problem(name, f"choices of {fname!r} cannot be read", row=row,
                                        column=CHOICES, value=choices,
                                        expected="'code, label' pairs separated by '|', "
                                                 "e.g. 1, Yes | 2, No"))  # fmt: skip
                continue
        fields[fname] = RedcapField(fname, form, ftype, dict(parsed or {}))
    if problems:
        raise InputError(problems)
    if not fields:
        raise InputError([Problem(name, "the data dictionary defines no fields")])
    return fields


def read_redcap(data: str | Path, dictionary: str | Path) -> RedcapExport:
    """Read a raw REDCap export CSV with its data dictionary; see the module docstring."""
    fields = read_data_dictionary(dictionary)
    raw = read_table(data)
    name, frame = raw.path, raw.frame
    record_id = next(iter(fields))
    layout, problems = _layout(name, list(frame.columns), fields, record_id)
    if record_id not in layout:
        raise InputError(problems)
    decoded = _decode(raw, layout, fields, record_id, problems)
    if DAG in frame.columns:  # the data access group (often the centre) is data: kept
        decoded[DAG] = list(frame[DAG])
    none = pd.Series([None] * len(frame), dtype=object)
    instrument, instance = (
        frame[c] if c in frame.columns else none for c in (INSTRUMENT, INSTANCE)
    )
    forms = sorted({str(v) for v in instrument if v is not None})
    unknown = [f for f in forms if f not in {x.form for x in fields.values()}]
    problems += [Problem(name, "repeating instrument is not a form of the data dictionary",
                         column=INSTRUMENT, value=f) for f in unknown]  # fmt: skip
    main_fields = [c for c in decoded if c not in fields or fields[c].form not in forms]
    plain = [i for i in range(len(frame)) if instrument.iloc[i] is None]
    main_idx = [i for i in plain if instance.iloc[i] is None]
    table = _main_table(raw, decoded, main_idx, main_fields, record_id, problems)
    repeats = {}
    for form in (f for f in forms if f not in unknown):
        idx = [i for i in range(len(frame)) if instrument.iloc[i] == form]
        names = [c for c in decoded if c in fields and fields[c].form == form and c != record_id]
        repeats[form] = _repeat_table(raw, decoded, idx, names, instance, record_id, problems)
    events = frame[EVENT] if EVENT in frame.columns else none
    for event in dict.fromkeys(events.iloc[i] for i in plain if instance.iloc[i] is not None):
        idx = [i for i in plain if instance.iloc[i] is not None and events.iloc[i] == event]
        names = [c for c in main_fields if c != record_id and any(decoded[c][i] is not None for i in idx)]  # fmt: skip
        repeats[f"event:{event}"] = _repeat_table(raw, decoded, idx, names, instance, record_id,
                                                  problems)  # fmt: skip
    if problems:
        raise InputError(problems)
    return RedcapExport(table, repeats, record_id, fields)


def _layout(name, columns, fields, record_id):
    """Column -> (field, checkbox code or None); problems for columns that are no field."""
    layout, problems = {}, []
    forms = {f.form for f in fields.values()}
    for col in columns:
        if col in _ADMIN or (col.endswith(("_complete", "_timestamp"))
                             and col.rsplit("_", 1)[0] in forms):  # fmt: skip
            continue
        m = _CHECKBOX.match(col)
        if col in fields and fields[col].type != "checkbox":
            layout[col] = (col, None)
        elif m and m["field"] in fields and fields[m["field"]].type == "checkbox":
            f = fields[m["field"]]
            code = m["code"]
            if code not in f.choices:
                problems.append(Problem(name, "checkbox column for a code not in the data "
                                        "dictionary", row=1, column=col, value=code,
                                        expected=f.expected()))  # fmt: skip
            layout[col] = (f.name, code)
        else:
            problems.append(Problem(name, "column is not a field of the data dictionary"
                                    + did_you_mean(col, fields), row=1, column=col,
                                    expected="the data CSV exported with this data "
                                             "dictionary (raw, not labels)"))  # fmt: skip
    if record_id not in layout:
        problems.append(Problem(name, "record id column missing", row=1, column=record_id,
                                expected="the first field of the data dictionary"))  # fmt: skip
    return layout, problems


def _decode(raw, layout, fields, record_id, problems) -> dict[str, list]:
    """Field -> decoded cells (choices to labels, checkbox columns merged)."""
    n = len(raw.frame)
    ids = list(raw.frame[record_id]) if record_id in raw.frame.columns else [None] * n
    out: dict[str, list] = {}
    boxes: dict[str, list[list[str]]] = {}
    for col, (fname, code) in layout.items():
        f = fields[fname]
        cells = list(raw.frame[col])
        if code is not None:
            picked = boxes.setdefault(fname, [[] for _ in cells])
            for i, v in enumerate(cells):
                if v is not None and str(v) not in ("0", "1"):
                    problems.append(Problem(raw.path, "checkbox cell is not 0 or 1",
                                            row=raw.row_of(i), patient_id=ids[i], column=col,
                                            value=v, expected="0 (unchecked) or 1 (checked)"))  # fmt: skip
                elif v is not None and str(v) == "1" and code in f.choices:
                    picked[i].append(f.choices[code])
            out.setdefault(fname, [])
            continue
        if not f.choices:
            out[fname] = cells
            continue
        decoded = []
        for i, v in enumerate(cells):
            label = None if v is None else f.choices.get(str(v).strip())
            if v is not None and label is None:
                problems.append(Problem(raw.path, "code not among the field's choices",
                                        row=raw.row_of(i), patient_id=ids[i], column=col,
                                        value=v, expected=f.expected()))  # fmt: skip
            decoded.append(label)
        out[fname] = decoded
    for fname, picked in boxes.items():
        out[fname] = ["; ".join(p) if p else None for p in picked]
    return out


def _main_table(raw, decoded, idx, names, record_id, problems) -> RawTable:
    """One row per record: the non-repeating rows; events of a record merged."""
    if EVENT not in raw.frame.columns:
        frame = pd.DataFrame({c: [decoded[c][i] for i in idx] for c in names}, dtype=object)
        return RawTable(raw.path, frame, tuple(raw.row_of(i) for i in idx))
    groups: dict[object, list[int]] = {}
    for i in idx:
        groups.setdefault(decoded[record_id][i], []).append(i)
    rows, data = [], {c: [] for c in names}
    for rid, members in groups.items():
        rows.append(raw.row_of(members[0]))
        for c in names:
            values = [(decoded[c][i], i) for i in members if decoded[c][i] is not None]
            if len({str(v) for v, _ in values}) > 1:
                problems.append(Problem(raw.path, "two events give this field different values",
                                        row=raw.row_of(values[1][1]), patient_id=rid, column=c,
                                        value=values[1][0],
                                        expected=f"the value of row {raw.row_of(values[0][1])} "
                                                 f"({values[0][0]!r}) or a blank"))  # fmt: skip
            data[c].append(values[0][0] if values else None)
    return RawTable(raw.path, pd.DataFrame(data, columns=names, dtype=object), tuple(rows))


def _repeat_table(raw, decoded, idx, names, instance, record_id, problems) -> RawTable:
    """A long table of repeated rows: record id, event, instance, then ``names``."""
    numbers = []
    for i in idx:
        v = instance.iloc[i]
        ok = v is not None and str(v).strip().isdigit() and int(str(v).strip()) > 0
        if not ok:
            problems.append(Problem(raw.path, "repeat instance is not a positive whole number",
                                    row=raw.row_of(i), patient_id=decoded[record_id][i],
                                    column=INSTANCE, value=v, expected="1, 2, 3, ..."))  # fmt: skip
        numbers.append(int(str(v).strip()) if ok else None)
    data = {record_id: [decoded[record_id][i] for i in idx]}
    if EVENT in raw.frame.columns:
        data[EVENT] = [raw.frame[EVENT].iloc[i] for i in idx]
    data[INSTANCE] = numbers
    for c in names:
        data[c] = [decoded[c][i] for i in idx]
    return RawTable(raw.path, pd.DataFrame(data, dtype=object), tuple(raw.row_of(i) for i in idx))
