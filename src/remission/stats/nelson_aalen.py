"""Nelson-Aalen cumulative hazard on a count table's rows.

``H(t) = sum_{t_j <= t} d_j / n_j`` with variance ``sum_{t_j <= t} d_j / n_j**2``
(Aalen 1978; the Poisson-type variance that R's ``survfit`` reports as ``std.chaz``
for ``ctype = 1``: Therneau & Grambsch 2000, section 2.1.2).
"""

from __future__ import annotations

import numpy as np

__all__ = ["nelson_aalen"]


def nelson_aalen(n_risk: np.ndarray, n_event: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Cumulative hazard and its standard error at each row of one group.

    ``n_risk`` and ``n_event`` are the rows of one group in time order (``n_risk > 0``).
    Returns ``(cumhaz, std_chaz)``.
    """
    n = np.asarray(n_risk, dtype=np.float64)
    d = np.asarray(n_event, dtype=np.float64)
    cumhaz = np.cumsum(d / n)
    std_chaz = np.sqrt(np.cumsum(d / (n * n)))
    return cumhaz, std_chaz
