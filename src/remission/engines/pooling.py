"""Pooling across centres without sharing patient rows: count files and their pooling.

Each centre writes its count tables (:func:`write_counts`), under the disclosure
policy of :mod:`remission.engines.disclosure`, into one JSON file: per table the
endpoint or columns it counts, the group column, the causes and, per group and time,
the censorings and events per cause. :func:`read_counts` reads such files back and
:func:`pool_tables` adds the tables of the same name across centres
(:meth:`CountTable.pool`), group by group and time by time. Kaplan-Meier, the log-rank
family, cumulative incidence and reverse-KM follow-up are functions of the pooled table,
so they equal the numbers of the pooled rows exactly when no table was coarsened.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from remission.cohort.problems import InputError, Problem
from remission.engines.aggregate import reorder_groups, table_from_aggregate
from remission.engines.disclosure import Coarsened, apply_policy
from remission.stats.counts import CountTable
from remission.stats.frontend import sort_labels

__all__ = ["FORMAT", "SharedTable", "shared_table", "write_counts", "read_counts", "pool_tables"]

FORMAT = "remission-counts/1"


@dataclass(frozen=True, eq=False)
class SharedTable:
    """A count table as shared by one centre (after the disclosure policy)."""

    name: str
    table: CountTable
    meta: dict
    coarsened: tuple[Coarsened, ...] = ()
    withheld: tuple[str, ...] = ()
    centre: str = ""
    extra: dict = field(default_factory=dict)


def shared_table(name: str, table: CountTable, meta: dict, min_cell: int) -> SharedTable:
    """``table`` under the disclosure policy with minimum cell count ``min_cell``."""
    parts, coarse, withheld, labels = [], [], [], []
    for g, label in enumerate(table.group_labels):
        sub = table.subset(g)
        cells = np.column_stack([sub.n_censor, sub.n_event])
        done = apply_policy(str(label), sub.time, cells, min_cell)
        if done is None:
            withheld.append(str(label))
            continue
        t, c, spans = done
        coarse += spans
        parts.append((len(labels), t, c))
        labels.append(str(label))
    table_out = _table(parts, tuple(labels), table.causes)
    return SharedTable(name, table_out, dict(meta), tuple(coarse), tuple(withheld))


def _table(parts, labels, causes) -> CountTable:
    g, t, e, n = [], [], [], []
    for code, times, cells in parts:
        for j in range(cells.shape[1]):
            g.append(np.full(len(times), code))
            t.append(times)
            e.append(np.full(len(times), j))
            n.append(cells[:, j])
    cat = lambda xs: np.concatenate(xs) if xs else np.zeros(0)  # noqa: E731
    return table_from_aggregate(cat(g), cat(t), cat(e), cat(n), labels or ("all",), causes)


def _table_json(s: SharedTable) -> dict:
    t = s.table
    return {
        "name": s.name,
        **s.meta,
        "group_labels": list(t.group_labels),
        "causes": [int(c) if isinstance(c, int | np.integer) else str(c) for c in t.causes],
        "rows": {
            "group": t.group.tolist(),
            "time": t.time.tolist(),
            "n_censor": t.n_censor.tolist(),
            "n_event": t.n_event.tolist(),
        },
        "coarsened": [c.__dict__ for c in s.coarsened],
        "withheld_groups": list(s.withheld),
    }


def write_counts(
    path: str | Path, centre: str, tables: Sequence[SharedTable], policy: dict
) -> Path:
    """One centre's shared tables as one JSON file (written whole, then renamed)."""
    path = Path(path)
    doc = {
        "format": FORMAT,
        "centre": centre,
        "disclosure": policy,
        "coarsened_any": any(s.coarsened for s in tables),
        "tables": [_table_json(s) for s in tables],
    }
    tmp = path.with_name("." + path.name + ".tmp")
    tmp.write_text(json.dumps(doc, indent=1))
    os.replace(tmp, path)
    return path


def read_counts(path: str | Path) -> list[SharedTable]:
    """The shared tables of one count file."""
    name = str(path)
    try:
        doc = json.loads(Path(path).read_text())
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError([Problem(name, f"not a readable count file: {exc}")]) from None
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise InputError([Problem(name, "not a remission count file", expected=f"format {FORMAT}")])
    out = []
    try:
        for tab in doc["tables"]:
            rows = tab["rows"]
            ev = np.asarray(rows["n_event"], dtype=np.int64).reshape(len(rows["time"]), -1)
            cells = np.column_stack([np.asarray(rows["n_censor"], dtype=np.int64), ev])
            g = np.asarray(rows["group"], dtype=np.int64)
            parts = [(k, np.asarray(rows["time"], float)[g == k], cells[g == k])
                     for k in range(len(tab["group_labels"]))]  # fmt: skip
            causes = tuple(tab["causes"])
            table = _table(parts, tuple(tab["group_labels"]), causes)
            meta = {k: v for k, v in tab.items()
                    if k not in ("name", "rows", "coarsened", "withheld_groups", "group_labels", "causes")}  # fmt: skip
            coarse = tuple(Coarsened(**c) for c in tab.get("coarsened", []))
            out.append(SharedTable(tab["name"], table, meta, coarse,
                                   tuple(tab.get("withheld_groups", [])), str(doc.get("centre", ""))))  # fmt: skip
    except (KeyError, TypeError, ValueError) as exc:
        raise InputError([Problem(name, f"count file is malformed: {exc}")]) from None
    return out


@dataclass(frozen=True, eq=False)
class Pooled:
    """The tables of one name pooled over centres."""

    name: str
    table: CountTable
    meta: dict
    centres: tuple[str, ...]
    coarsened: tuple[tuple[str, Coarsened], ...]
    withheld: tuple[tuple[str, str], ...]

    @property
    def exact(self) -> bool:
        return not self.coarsened and not self.withheld


def pool_tables(shared: Sequence[SharedTable]) -> list[Pooled]:
    """Tables of the same name added over centres (in order of first appearance)."""
    names: list[str] = []
    for s in shared:
        if s.name not in names:
            names.append(s.name)
    out = []
    for name in names:
        parts = [s for s in shared if s.name == name]
        _check_same(name, parts)
        out.append(
            Pooled(
                name,
                sorted_groups(CountTable.pool([p.table for p in parts])),
                parts[0].meta,
                tuple(p.centre for p in parts),
                tuple((p.centre, c) for p in parts for c in p.coarsened),
                tuple((p.centre, g) for p in parts for g in p.withheld),
            )
        )
    return out


def sorted_groups(table: CountTable) -> CountTable:
    """The table with its groups in the order the in-memory front end sorts labels."""
    return reorder_groups(table, sort_labels({str(x) for x in table.group_labels}))


def _check_same(name: str, parts: Sequence[SharedTable]) -> None:
    first = parts[0].meta
    for p in parts[1:]:
        differ = [k for k in set(first) | set(p.meta) if first.get(k) != p.meta.get(k)]
        if differ:
            raise InputError(
                [Problem(p.centre or name, f"table {name!r} is not counted as at {parts[0].centre}",
                         value=", ".join(sorted(differ)), expected="the same definition at every centre")]
            )  # fmt: skip
    centres = [p.centre for p in parts]
    dup = sorted({c for c in centres if centres.count(c) > 1})
    if dup:
        raise InputError([Problem(name, "the same centre twice", value=", ".join(dup))])
