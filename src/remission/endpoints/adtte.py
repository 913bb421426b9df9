"""Derived endpoints and the cohort as CDISC ADaM data sets (ADTTE, ADSL) in ``.xpt``.

:func:`write_adtte` writes one ADTTE row per patient and endpoint (CDISC ADaM Basic Data
Structure for Time-to-Event Analyses, version 1.0): ``STUDYID``, ``USUBJID``,
``PARAMCD`` (the endpoint, e.g. ``OS``), ``PARAM``, ``STARTDT`` (the origin date),
``ADT`` (event or censoring date), ``AVAL`` = ``ADT - STARTDT`` in days, ``AVALU`` =
``DAYS``, ``CNSR`` (0 = event, 1 = censored; 2 = the competing event of a competing-risks endpoint
such as CIR and NRM) and ``EVNTDESC`` (what the row's date is). A study file's own
endpoints are written the same way, ``PARAM`` being their name. Read back with
:func:`remission.cohort.adam.adtte_endpoint`, each parameter gives the same ``time`` and
``event`` as the derivation it came from.

:func:`write_adsl` writes the cohort, one row per patient, ``USUBJID`` and every column
under its data-dictionary name (SAS transport version 8, which allows names longer than
eight characters); MRD results are written as text (``<0.005``), dates as SAS dates.

Both write to a temporary file beside the target and rename it into place, so a failure
leaves no partial file. Writing uses pyreadstat (the ReadStat library).
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from remission.cohort.adam import COMPETING_CNSR
from remission.cohort.mrdvalue import MRDValue
from remission.endpoints.derive import ORIGINS, EndpointData

__all__ = ["adtte_frame", "adsl_frame", "write_adtte", "write_adsl", "PARAMS"]

PARAMS = {"EFS": "Event-free survival", "OS": "Overall survival",
          "CIR": "Cumulative incidence of relapse", "NRM": "Non-relapse mortality"}  # fmt: skip
_LABELS = {"STUDYID": "Study Identifier", "USUBJID": "Unique Subject Identifier",
           "PARAMCD": "Parameter Code", "PARAM": "Parameter", "STARTDT": "Time-to-Event Origin Date",
           "ADT": "Analysis Date", "AVAL": "Analysis Value", "AVALU": "Analysis Value Unit",
           "CNSR": "Censor", "EVNTDESC": "Event or Censoring Description"}  # fmt: skip


def _cnsr(code: int) -> int:
    return {0: 1, 1: 0}.get(code, COMPETING_CNSR)


def adtte_frame(endpoints: Sequence[EndpointData], study_id: str) -> pd.DataFrame:
    """The ADTTE rows of ``endpoints`` (one per patient and endpoint)."""
    parts = []
    for ep in endpoints:
        f = ep.frame
        start = pd.to_datetime(f[ep.origin_column or ORIGINS.get(ep.origin, ep.origin)])
        adt = start + pd.to_timedelta(f["time"].to_numpy(dtype=float), unit="D")
        labels = ep.event_codes
        parts.append(pd.DataFrame({
            "STUDYID": study_id,
            "USUBJID": f["patient_id"].astype(str).to_numpy(),
            "PARAMCD": ep.endpoint,
            "PARAM": PARAMS.get(ep.endpoint, ep.endpoint),
            "STARTDT": [d.date() for d in start],
            "ADT": [d.date() for d in adt],
            "AVAL": f["time"].to_numpy(dtype=float),
            "AVALU": "DAYS",
            "CNSR": [float(_cnsr(int(e))) for e in f["event"]],
            "EVNTDESC": [labels[int(e)] for e in f["event"]],
        }))  # fmt: skip
    return pd.concat(parts, ignore_index=True)


def _cell(v: object) -> object:
    if isinstance(v, MRDValue):
        return v.to_text()
    if isinstance(v, pd.Timestamp):
        return None if pd.isna(v) else v.date()
    return v


def adsl_frame(frame: pd.DataFrame, study_id: str) -> pd.DataFrame:
    """ADSL rows from a cohort frame: STUDYID, USUBJID, then the cohort's columns."""
    out = {"STUDYID": [study_id] * len(frame), "USUBJID": frame["patient_id"].astype(str).tolist()}
    for c in frame.columns:
        if c == "patient_id":
            continue
        values = [_cell(v) for v in frame[c]]
        if any(isinstance(v, str) for v in values):
            values = [None if v is None or v is pd.NaT else str(v) for v in values]
        elif pd.api.types.is_datetime64_any_dtype(frame[c]):
            values = [v if isinstance(v, dt.date) else None for v in values]
        out[c] = values
    return pd.DataFrame(out)


def _write(df: pd.DataFrame, path: str | Path, table: str, version: int, labels=None) -> Path:
    import pyreadstat

    target = Path(path)
    fd, tmp = tempfile.mkstemp(suffix=".xpt", dir=target.parent)
    os.close(fd)
    try:
        pyreadstat.write_xport(df, tmp, table_name=table, file_format_version=version,
                               column_labels=labels)  # fmt: skip
        os.replace(tmp, target)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return target


def write_adtte(endpoints: Sequence[EndpointData], path: str | Path, study_id: str) -> Path:
    """Write ``endpoints`` as an ADTTE ``.xpt`` (SAS transport version 5)."""
    df = adtte_frame(endpoints, study_id)
    return _write(df, path, "ADTTE", 5, [_LABELS[c] for c in df.columns])


def write_adsl(frame: pd.DataFrame, path: str | Path, study_id: str) -> Path:
    """Write a cohort frame as an ADSL ``.xpt`` (SAS transport version 8: long names)."""
    return _write(adsl_frame(frame, study_id), path, "ADSL", 8)
