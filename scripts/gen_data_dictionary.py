"""Write docs/data-dictionary.md from the core data dictionary and the seed study file.

Usage: python scripts/gen_data_dictionary.py [--check]
With --check, exit 1 if the committed document differs from the generated one.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from remission.cohort.dictionary import render_data_dictionary  # noqa: E402
from remission.cohort.study import load_study  # noqa: E402
from remission.datasets import seed_study_path  # noqa: E402

DOC = ROOT / "docs" / "data-dictionary.md"


def seed_data_dictionary() -> str:
    """The document: core columns plus the bundled seed study's own."""
    study = load_study(seed_study_path())
    return render_data_dictionary(study, "seed study, src/remission/datasets/seed_study.yaml")


def main(argv: list[str]) -> int:
    text = seed_data_dictionary()
    if "--check" in argv:
        current = DOC.read_text(encoding="utf-8") if DOC.exists() else ""
        if current != text:
            print(f"{DOC} is out of date: run python scripts/gen_data_dictionary.py")
            return 1
        return 0
    DOC.parent.mkdir(parents=True, exist_ok=True)
    DOC.write_text(text, encoding="utf-8")
    print(f"wrote {DOC}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
