"""The peer packages of the cross-check tests (lifelines, statsmodels, scikit-survival).

They pin pandas < 3, so the main test environment usually lacks them and their tests
skip there. ``make peers`` (run by ``.ci/run``) installs them in ``.venv-bench`` and runs
the tests marked ``peer`` with ``REMISSION_PEERS=1``: then a missing peer is an error,
not a skip, so the cross-checks guard something in CI.
"""

from __future__ import annotations

import importlib
import os
from types import ModuleType

import pytest


def peer(module: str) -> ModuleType:
    """Import a peer module; skip the test when it is absent, unless peers are required."""
    if os.environ.get("REMISSION_PEERS") == "1":
        return importlib.import_module(module)
    return pytest.importorskip(module)
