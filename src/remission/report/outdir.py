"""A report's output folder: written beside, moved into place, never over the user's files.

Rules (issue 11):

- Everything is written into a staging folder ``.NAME.tmp-<random>`` beside the destination
  ``NAME``; it holds a marker file (:data:`STAGING_MARK`) from its first moment, so a
  staging folder is recognisably remission's.
- When complete, the staging folder gets a manifest (:data:`MANIFEST`: every file
  written, with its SHA-256) and is renamed to the destination.
- An existing destination is replaced only if it is empty, or holds exactly the files of
  its manifest, unchanged. Anything else (a file remission did not write, a file changed
  since, a link, no manifest) is refused with :class:`OutputFolderError` and nothing is
  deleted.
- Staging folders left by an interrupted run (killed while writing) are removed at the
  next run for the same destination: only folders named ``.NAME.tmp-*`` or
  ``.NAME.old-*`` that carry the marker, or are empty, or hold a manifest-checked report.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from pathlib import Path

__all__ = [
    "MANIFEST",
    "STAGING_MARK",
    "OutputFolderError",
    "check_replaceable",
    "foreign_entries",
    "remove_stale_staging",
    "new_staging",
    "write_manifest",
    "move_into_place",
]

MANIFEST = ".remission-manifest.json"
STAGING_MARK = ".remission-staging"
_SHOWN = 5


class OutputFolderError(FileExistsError):
    """The destination holds something remission did not write; nothing was changed."""


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _entries(folder: Path) -> tuple[list[str], list[str]]:
    """(files, other entries: links, empty folders, ...) below ``folder``, as relative paths."""
    files, other = [], []
    for root, dirs, names in os.walk(folder, followlinks=False):
        base = Path(root)
        for d in dirs:
            p = base / d
            if p.is_symlink() or not any(p.iterdir()):
                other.append(p.relative_to(folder).as_posix() + ("" if p.is_symlink() else "/"))
        for n in names:
            p = base / n
            rel = p.relative_to(folder).as_posix()
            (other if p.is_symlink() or not p.is_file() else files).append(rel)
    return files, other


def foreign_entries(folder: Path) -> list[str]:
    """What in ``folder`` remission did not write (by its manifest); [] if it may be replaced."""
    files, other = _entries(folder)
    if not files and not other:
        return []
    try:
        listed = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))["files"]
    except (OSError, ValueError, KeyError, TypeError):
        return sorted(f for f in files + other if f != MANIFEST) or [MANIFEST]
    if not isinstance(listed, dict):
        return [MANIFEST]
    out = list(other)
    for rel in files:
        if rel == MANIFEST:
            continue
        if rel not in listed:
            out.append(rel)
        elif _sha256(folder / rel) != listed[rel]:
            out.append(f"{rel} (changed since remission wrote it)")
    return sorted(out)


def check_replaceable(out: Path) -> None:
    """:class:`OutputFolderError` unless ``out`` is absent, empty or a report left as written."""
    if not out.exists() and not out.is_symlink():
        return
    if out.is_symlink() or not out.is_dir():
        raise OutputFolderError(
            f"{out} exists and is not a folder; nothing was changed. Choose another folder with -o"
        )
    foreign = foreign_entries(out)
    if foreign:
        shown = ", ".join(foreign[:_SHOWN]) + (f" and {len(foreign) - _SHOWN} more"
                                               if len(foreign) > _SHOWN else "")  # fmt: skip
        raise OutputFolderError(
            f"{out} is not an earlier report left as remission wrote it: it holds {shown}; "
            "nothing was deleted. Choose another folder with -o, or move those files away"
        )


def remove_stale_staging(out: Path) -> list[Path]:
    """Remove staging folders of earlier interrupted runs for ``out``; return them."""
    removed = []
    if not out.parent.is_dir():
        return removed
    for prefix in (f".{out.name}.tmp-", f".{out.name}.old-"):
        for p in out.parent.glob(f"{glob_escape(prefix)}*"):
            if p.is_symlink() or not p.is_dir():
                continue
            if _is_ours(p):
                shutil.rmtree(p, ignore_errors=True)
                removed.append(p)
    return removed


def glob_escape(text: str) -> str:
    """``text`` with glob wildcards taken literally."""
    return "".join(f"[{c}]" if c in "*?[" else c for c in text)


def _is_ours(p: Path) -> bool:
    if not any(p.iterdir()) or (p / STAGING_MARK).is_file():
        return True
    inner = p / "report"  # an earlier report moved aside by move_into_place
    entries = list(p.iterdir())
    return entries == [inner] and inner.is_dir() and not foreign_entries(inner)


def new_staging(out: Path) -> Path:
    """A fresh staging folder beside ``out``, marked as remission's."""
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.tmp-", dir=out.parent))
    (tmp / STAGING_MARK).write_text("remission report being written\n", encoding="utf-8")
    return tmp


def write_manifest(tmp: Path) -> None:
    """List every file in the staging folder with its SHA-256; drop the staging marker."""
    (tmp / STAGING_MARK).unlink(missing_ok=True)
    files, _ = _entries(tmp)
    listed = {rel: _sha256(tmp / rel) for rel in sorted(files) if rel != MANIFEST}
    text = json.dumps({"written_by": "remission", "files": listed}, indent=1)
    (tmp / MANIFEST).write_text(text + "\n", encoding="utf-8")


def move_into_place(tmp: Path, out: Path) -> None:
    """Rename ``tmp`` to ``out``; an existing ``out`` (checked again) is removed only after."""
    check_replaceable(out)
    old = None
    if out.exists():
        old = Path(tempfile.mkdtemp(prefix=f".{out.name}.old-", dir=out.parent))
        os.replace(out, old / "report")
    try:
        os.replace(tmp, out)
    except BaseException:  # the earlier report goes back where it was
        if old is not None:
            os.replace(old / "report", out)
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
