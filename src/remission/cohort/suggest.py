"""Did-you-mean hints for unknown names (columns, categories, study-file keys).

One rule everywhere: the closest candidate by :func:`difflib.get_close_matches` with a
similarity ratio of at least 0.6 (difflib's default), after folding case, hyphens and
runs of white space; nothing is suggested when no candidate is that close.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable

__all__ = ["closest", "did_you_mean"]

_CUTOFF = 0.6


def _fold(name: str) -> str:
    return "_".join(name.strip().lower().replace("-", " ").split())


def closest(name: str, choices: Iterable[str], cutoff: float = _CUTOFF) -> str | None:
    """The choice ``name`` most likely means, or ``None``.

    A choice equal to ``name`` after folding case, hyphens and spaces to underscores is
    returned as such (``"Patient ID"`` -> ``"patient_id"``); otherwise the closest by
    difflib ratio >= ``cutoff`` (0.6).
    """
    options = list(choices)
    folded = {_fold(c): c for c in options}
    key = _fold(name)
    if key in folded:
        return folded[key]
    close = difflib.get_close_matches(key, list(folded), n=1, cutoff=cutoff)
    return folded[close[0]] if close else None


def did_you_mean(name: str, choices: Iterable[str]) -> str:
    """``"; did you mean 'x'?"`` for the :func:`closest` choice, or ``""`` when none."""
    hint = closest(name, choices)
    return f"; did you mean {hint!r}?" if hint is not None else ""
