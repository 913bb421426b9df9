"""The fuzz suite (issue 11): every reader, fed malformed files, gives InputError or success.

Never another exception, and on success every row is accounted for: the rows the file
was written with (counted by the generator, not by remission) = rows loaded + rows
excluded with a reason. The committed corpus (``corpus/``) holds the nastiest cases
found so far; the hypothesis strategies (:mod:`fuzz_inputs`) make fresh ones.
"""

from __future__ import annotations

import os
import time
from collections import Counter
from pathlib import Path

import pytest
from fuzz_inputs import SETTINGS, Case, binary_cases, text_cases, yaml_cases
from hypothesis import given

from remission.cli import main
from remission.cohort.cohort import load_cohort
from remission.cohort.problems import InputError
from remission.cohort.study import load_study
from remission.mrd.runfile import read_run
from remission.report.claims import load_claims
from remission.toxicity.observations import read_observations

CORPUS = Path(__file__).parent / "corpus"
OUTCOMES: Counter = Counter()
SLOWEST: dict[str, float] = {}


def _cohort(path: Path) -> int:
    cohort = load_cohort(path, drop_invalid=True)
    return cohort.n + len(cohort.dropped)


def _observations(path: Path) -> int:
    return len(read_observations(path).observations)


def _run(path: Path) -> int:
    return len(read_run(path).wells)


def _study(path: Path) -> None:
    load_study(path)


def _claims(path: Path) -> None:
    load_claims(path)


# the command a user runs on the file: exit 0 or 2, never 3 ("internal error")
COMMANDS = {
    "observations": ["grade"],
    "run": ["mrd", "interpret"],
    "study": ["validate", "--study"],
}
READERS = {"cohort": _cohort, "observations": _observations, "run": _run,
           "study": _study, "claims": _claims}  # fmt: skip


def check(kind: str, case: Case, folder: Path) -> str:
    """Read ``case`` with the reader of ``kind``; fail on anything but the promise."""
    path = case.write(folder, f"{kind}-case")
    start = time.perf_counter()
    try:
        accounted = READERS[kind](path)
    except InputError as err:
        assert err.problems and all(str(p) for p in err.problems)
        outcome = "input error"
    else:
        outcome = "read"
        if case.truth is not None and accounted is not None:
            assert accounted == case.truth, (
                f"{kind}: the file was written with {case.truth} non-blank rows, the reader "
                f"accounted for {accounted} ({case.how})"
            )
    try:
        if kind in COMMANDS:
            code = main([*COMMANDS[kind], str(path)])
            assert code in (0, 2), f"{kind}: {' '.join(COMMANDS[kind])} exit {code} ({case.how})"
    finally:
        path.unlink(missing_ok=True)
    seconds = time.perf_counter() - start
    OUTCOMES[(kind, case.suffix, outcome)] += 1
    SLOWEST[kind] = max(SLOWEST.get(kind, 0.0), seconds)
    return outcome


@pytest.mark.parametrize("kind", ["cohort", "observations", "run"])
def test_text_tables(kind, tmp_path_factory):
    folder = tmp_path_factory.mktemp(f"fuzz-{kind}")

    @SETTINGS
    @given(case=text_cases(kind))
    def run(case):
        check(kind, case, folder)

    run()


@pytest.mark.parametrize("kind", ["cohort", "observations", "run"])
def test_xlsx_and_parquet_tables(kind, tmp_path_factory):
    folder = tmp_path_factory.mktemp(f"fuzz-bin-{kind}")

    @SETTINGS
    @given(case=binary_cases(kind))
    def run(case):
        if "unwritable" not in case.how:
            check(kind, case, folder)

    run()


@pytest.mark.parametrize("kind", ["study", "claims"])
def test_yaml_files(kind, tmp_path_factory):
    folder = tmp_path_factory.mktemp(f"fuzz-{kind}")

    @SETTINGS
    @given(case=yaml_cases(kind))
    def run(case):
        check(kind, case, folder)

    run()


def _corpus() -> list[Path]:
    return sorted(p for p in CORPUS.rglob("*") if p.is_file() and p.suffix != ".rows")


@pytest.mark.parametrize("path", _corpus(), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_corpus(path, tmp_path):
    kind = path.parent.name
    truth_file = path.with_name(path.name + ".rows")
    truth = int(truth_file.read_text()) if truth_file.exists() else None
    outcome = check(kind, Case(path.read_bytes(), path.suffix, truth, (path.name,)), tmp_path)
    assert outcome in ("input error", "read")


def teardown_module():
    """With REMISSION_FUZZ_REPORT=FILE (make fuzz), write the tally of outcomes there."""
    target = os.environ.get("REMISSION_FUZZ_REPORT")
    if not target:
        return
    lines = [f"{k:<14} {s:<9} {o:<12} {n}" for (k, s, o), n in sorted(OUTCOMES.items())]
    lines += [f"slowest {k}: {v:.2f} s" for k, v in sorted(SLOWEST.items())]
    lines.append(f"total files: {sum(OUTCOMES.values())}")
    Path(target).write_text("\n".join(lines) + "\n")
