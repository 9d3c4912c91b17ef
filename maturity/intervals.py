"""Confidence intervals for shares (Wilson score, exact Clopper-Pearson).

Examples
--------
>>> [round(v, 3) for v in share_ci(0, 20, method="clopper-pearson")]
[0.0, 0.168]
"""

from __future__ import annotations

from typing import Literal

import numpy as np
from scipy import stats

from value_chain.errors import InputError, Problem

__all__ = ["share_ci"]


def share_ci(
    count: float, n: float, *, method: Literal["wilson", "clopper-pearson"] = "wilson",
    confidence_level: float = 0.95,
) -> tuple[float, float]:
    """Confidence interval of a share ``count / n`` (Wilson score or exact Clopper-Pearson).

    ``count`` and ``n`` may be fractional (weighted counts with Kish's
    effective sample size); the formulas are those of the integer case.

    Examples
    --------
    >>> [round(v, 4) for v in share_ci(8, 10)]                       # Wilson
    [0.4902, 0.9433]
    >>> [round(v, 4) for v in share_ci(8, 10, method="clopper-pearson")]
    [0.4439, 0.9748]
    """
    if not n > 0 or not 0 <= count <= n:
        raise InputError([Problem("<share>", "count, n",
                                  f"need 0 <= count <= n and n > 0; got {count}, {n}")])
    if method not in ("wilson", "clopper-pearson"):
        raise InputError([Problem("<share>", "method",
                                  f"{method!r} is not wilson or clopper-pearson")])
    alpha = 1 - confidence_level
    if method == "wilson":
        z = stats.norm.ppf(1 - alpha / 2)
        p = count / n
        centre = (p + z * z / (2 * n)) / (1 + z * z / n)
        half = z / (1 + z * z / n) * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
        return float(max(0.0, centre - half)), float(min(1.0, centre + half))
    low = 0.0 if count == 0 else stats.beta.ppf(alpha / 2, count, n - count + 1)
    high = 1.0 if count == n else stats.beta.ppf(1 - alpha / 2, count + 1, n - count)
    return float(low), float(high)
