"""A folder given where a file is expected: a REDCap export or an ADaM pair.

- A REDCap export: exactly one data dictionary CSV (its first header is ``Variable /
  Field Name``) and exactly one other CSV, the raw data (:mod:`remission.cohort.redcap`).
- CDISC ADaM: ``adsl.xpt`` and optionally ``adtte.xpt`` (any case) (:mod:`remission.cohort.adam`).

Anything else is an InputError saying what the folder should hold. The digest of a
folder is the SHA-256 over the names and bytes of the files it is read from, so a
cohort's source records exactly what was read.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from remission.cohort.problems import InputError, Problem

__all__ = ["FolderInput", "describe_folder", "read_folder", "source_digest"]

_EXPECTED = (
    "a REDCap export (the raw data CSV and its data dictionary CSV) or an ADaM "
    "adsl.xpt (with adtte.xpt)"
)


@dataclass(frozen=True)
class FolderInput:
    """What a folder holds: ``kind`` is ``"redcap"`` or ``"adam"``; the files it uses."""

    kind: str
    files: tuple[Path, ...]


def describe_folder(path: str | Path) -> FolderInput:
    """Which format a folder holds, or InputError saying what it should hold."""
    from remission.cohort.redcap import is_dictionary

    p = Path(path)
    files = sorted(f for f in p.iterdir() if f.is_file() and not f.name.startswith("."))
    xpt = {f.name.lower(): f for f in files if f.suffix.lower() == ".xpt"}
    if "adsl.xpt" in xpt:
        return FolderInput("adam", tuple(f for f in (xpt["adsl.xpt"], xpt.get("adtte.xpt")) if f))
    csvs = [f for f in files if f.suffix.lower() == ".csv"]
    dicts = [f for f in csvs if is_dictionary(f)]
    data = [f for f in csvs if f not in dicts]
    if len(dicts) == 1 and len(data) == 1:
        return FolderInput("redcap", (data[0], dicts[0]))
    found = ", ".join(f.name for f in files) or "no files"
    why = "is a folder, not a file"
    if len(dicts) == 1:
        why = f"REDCap export folder needs exactly one data CSV besides the dictionary ({len(data)} found)"
    elif len(dicts) > 1:
        why = f"holds {len(dicts)} REDCap data dictionaries"
    raise InputError([Problem(str(path), f"{why} (found: {found})", expected=_EXPECTED)])


def read_folder(path: str | Path):
    """The patient rows of a REDCap or ADaM folder, as a RawTable."""
    found = describe_folder(path)
    if found.kind == "redcap":
        from remission.cohort.redcap import read_redcap

        return read_redcap(*found.files).table
    from remission.cohort.adam import read_adam

    return read_adam(*found.files).adsl


def source_digest(path: str | Path) -> str:
    """SHA-256 of a file's bytes; of a folder, over the name and bytes of each file read."""
    p = Path(path)
    if not p.is_dir():
        return hashlib.sha256(p.read_bytes()).hexdigest()
    h = hashlib.sha256()
    for f in describe_folder(p).files:
        h.update(f.name.encode() + b"\0" + f.read_bytes())
    return h.hexdigest()
