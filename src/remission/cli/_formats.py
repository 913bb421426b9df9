"""``--endpoint`` read straight from an ADaM ADTTE (a folder with adsl.xpt and adtte.xpt).

When FILE is a folder holding ADSL and ADTTE and ADTTE has a parameter whose ``PARAMCD``
is the endpoint asked for, its ``AVAL`` is the time and ``1 - CNSR`` the event (for CIR
and NRM, ``CNSR`` = 2 is the competing event), with ADSL's variables beside them for
``--group``, ``--strata`` and ``--covariates``. The ADaM times are final: their origin
is ADTTE's ``STARTDT`` (``--origin`` does not apply) and ``--data-cutoff`` is refused.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from remission.cli import UsageError
from remission.cohort.problems import InputError, Problem

__all__ = ["adtte_input"]


def adtte_input(args: argparse.Namespace, table_type):
    """An input table from ADTTE, or None when FILE is not an ADaM folder with the endpoint."""
    from remission.cohort.adam import adtte_endpoint, read_adam
    from remission.cohort.folders import describe_folder
    from remission.endpoints import EVENT_CODES

    p = Path(args.file)
    if not p.is_dir():
        return None
    found = describe_folder(p)
    if found.kind != "adam" or len(found.files) < 2:
        return None
    export = read_adam(*found.files)
    if args.endpoint not in export.parameters():
        return None
    if args.data_cutoff:
        raise UsageError("--data-cutoff does not apply to ADTTE times (they are final); "
                         "cut the data before deriving ADTTE")  # fmt: skip
    codes = EVENT_CODES.get(args.endpoint, {0: "censored", 1: "event"})
    tte = adtte_endpoint(export.adtte, args.endpoint, competing=2 in codes)
    adsl = export.adsl.frame
    known = set(adsl["patient_id"].astype(str))
    rows = tte.attrs["rows"]
    absent = [Problem(export.adtte.path, "subject not in ADSL", row=r, patient_id=pid,
                      column="USUBJID", expected="a USUBJID of ADSL")
              for pid, r in zip(tte["patient_id"], rows, strict=True) if pid not in known]  # fmt: skip
    if absent:
        raise InputError(absent)
    extra = adsl.assign(patient_id=adsl["patient_id"].astype(str))
    frame = tte.merge(extra.drop(columns=[c for c in ("time", "event") if c in extra]),
                      on="patient_id", how="left")  # fmt: skip
    note = f"{args.endpoint} from ADTTE (PARAMCD {args.endpoint}; times in days)"
    return table_type(frame, tuple(rows), export.adtte.path, "time", "event", note,
                      tuple(sorted(codes.items())))  # fmt: skip
