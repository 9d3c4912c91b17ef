"""Reliability of questionnaire items: Cronbach's alpha, McDonald's omega, first-eigenvalue share.

Functions take a numeric item table (one row per respondent, one column per
item; rows with a blank item are left out, listwise) or, through
:func:`reliability_table`, a model and its raw answers.

Examples
--------
>>> items = pd.DataFrame({"a": [1, 2, 3], "b": [1, 3, 2]})
>>> round(cronbach_alpha(items), 4)      # 2/1 * (1 - (1 + 1) / 3)
0.6667
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from maturity.reference_model import ReferenceModel
from value_chain.errors import InputError, Problem

__all__ = [
    "cronbach_alpha",
    "first_eigenvalue_share",
    "item_scores",
    "mcdonald_omega",
    "reliability_table",
]

_WHERE = "<items>"


def _matrix(items: pd.DataFrame | np.ndarray) -> np.ndarray:
    x = np.asarray(items, dtype=float)
    if x.ndim != 2 or x.shape[1] < 2:
        raise InputError([Problem(_WHERE, "columns", "needs at least two items")])
    x = x[~np.isnan(x).any(axis=1)]
    if len(x) < 3:
        raise InputError([Problem(_WHERE, "rows", "needs at least three complete rows")])
    return x


def cronbach_alpha(items: pd.DataFrame | np.ndarray) -> float:
    """Cronbach's alpha: k/(k-1) * (1 - sum of item variances / variance of the sum).

    Examples
    --------
    >>> round(cronbach_alpha(np.array([[1, 2], [2, 3], [3, 4], [4, 5]])), 6)
    1.0
    """
    x = _matrix(items)
    k = x.shape[1]
    total = x.sum(axis=1).var(ddof=1)
    if total == 0:
        return float("nan")
    return float(k / (k - 1) * (1 - x.var(axis=0, ddof=1).sum() / total))


def _correlation(x: np.ndarray) -> np.ndarray:
    sd = x.std(axis=0, ddof=1)
    keep = sd > 0
    return np.corrcoef(x[:, keep], rowvar=False)


def _one_factor(r: np.ndarray, *, max_iter: int = 500, tol: float = 1e-9) -> np.ndarray:
    """Loadings of one factor by iterated principal-axis factoring of a correlation matrix."""
    try:
        h2 = 1 - 1 / np.diag(np.linalg.inv(r))  # squared multiple correlations
    except np.linalg.LinAlgError:
        h2 = np.full(len(r), 0.5)
    h2 = np.clip(h2, 0.005, 0.995)
    loadings = np.sqrt(h2)
    for _ in range(max_iter):
        reduced = r.copy()
        np.fill_diagonal(reduced, h2)
        values, vectors = np.linalg.eigh(reduced)
        loadings = vectors[:, -1] * np.sqrt(max(values[-1], 0.0))
        new = np.clip(loadings**2, 0.0, 0.995)
        if np.max(np.abs(new - h2)) < tol:
            break
        h2 = new
    return loadings * np.sign(loadings.sum() or 1.0)


def mcdonald_omega(items: pd.DataFrame | np.ndarray) -> float:
    """McDonald's omega (total, one factor): (sum l)^2 / ((sum l)^2 + sum uniquenesses).

    The factor is fitted to the items' correlation matrix by iterated
    principal-axis factoring, so omega is on the standardised scale.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> f = rng.standard_normal(5000)
    >>> x = np.column_stack([f + rng.standard_normal(5000) for _ in range(4)])
    >>> round(mcdonald_omega(x), 2)          # four loadings of 0.707: 8 / (8 + 2)
    0.8
    """
    x = _matrix(items)
    lam = _one_factor(_correlation(x))
    s = lam.sum() ** 2
    return float(s / (s + (1 - lam**2).sum()))


def first_eigenvalue_share(items: pd.DataFrame | np.ndarray) -> float:
    """Share of the items' total variance (correlation scale) on the first principal component.

    1/k for unrelated items, 1 for one perfect factor.

    Examples
    --------
    >>> x = np.array([[1, 1], [2, 2], [3, 3.5]])
    >>> round(first_eigenvalue_share(x), 3)
    0.997
    """
    r = _correlation(_matrix(items))
    return float(np.linalg.eigvalsh(r)[-1] / len(r))


def item_scores(model: ReferenceModel, responses: pd.DataFrame) -> pd.DataFrame:
    """Answer values -> item scores (the options' scores), one column per item present.

    Examples
    --------
    >>> from maturity import load_model
    >>> m = load_model("cmmm")
    >>> item_scores(m, pd.DataFrame({"org_strategy.L1.1": ["fully", "partly", None]}))
       org_strategy.L1.1
    0                1.0
    1                0.5
    2                NaN
    """
    out = {}
    for it in model.items:
        if it.id in responses.columns:
            lookup = {str(o.value): float(o.score) for o in model.options(it)}
            col = responses[it.id]
            out[it.id] = col.astype(object).map(
                lambda v, lookup=lookup: lookup.get(str(v), np.nan) if pd.notna(v) else np.nan
            ).astype(float)
    if not out:
        raise InputError([Problem(_WHERE, "columns", f"no item of model {model.id}")])
    return pd.DataFrame(out, index=responses.index)


def reliability_table(model: ReferenceModel, responses: pd.DataFrame) -> pd.DataFrame:
    """Alpha and omega per dimension and over all items, with the first-eigenvalue share.

    Columns: ``scope`` (a dimension id, or ``"all items"``), ``items``,
    ``n`` (complete rows), ``alpha``, ``omega``, ``first_eigenvalue_share``.

    Examples
    --------
    >>> from maturity import load_model, generate_population
    >>> t = reliability_table(load_model("cmmm"), generate_population(300, seed=1))
    >>> t["scope"].iloc[-1], int(t["items"].iloc[-1])
    ('all items', 136)
    """
    scores = item_scores(model, responses)
    rows = []
    scopes = [(d.id, [it.id for it in model.items if it.dimension == d.id]) for d in
              model.dimensions]
    scopes.append(("all items", list(scores.columns)))
    for scope, ids in scopes:
        ids = [i for i in ids if i in scores.columns]
        if len(ids) < 2:
            continue
        x = scores[ids].dropna()
        rows.append({"scope": scope, "items": len(ids), "n": len(x),
                     "alpha": cronbach_alpha(x), "omega": mcdonald_omega(x),
                     "first_eigenvalue_share": first_eigenvalue_share(x)})
    return pd.DataFrame(rows)
