"""Which worksheet of a workbook was read, said when it may not be the one meant."""

from __future__ import annotations

from pathlib import Path


def sheet_hint(file: str | None, sheet: str | None) -> str:
    """For an ``.xlsx`` FILE read without ``--sheet`` whose workbook has several
    worksheets: a line naming the one read (the first) and the others; else ``""``."""
    if not file or sheet or Path(file).suffix.lower() not in (".xlsx", ".xlsm"):
        return ""
    try:
        from openpyxl import load_workbook

        wb = load_workbook(file, read_only=True)
        names = list(wb.sheetnames)
        wb.close()
    except Exception:  # an unreadable workbook has had its own located error already
        return ""
    if len(names) < 2:
        return ""
    return (f"note: {Path(file).name} has {len(names)} worksheets ({', '.join(names)}); the "
            f"first, {names[0]!r}, was read: choose another with --sheet NAME")  # fmt: skip
