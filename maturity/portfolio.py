"""A consultant's portfolio: many client companies, several rounds, at a glance.

Built on the consolidated scores of :func:`maturity.consolidate.consolidate`
(one row per company, model and round):

* :func:`levels_table`: companies x models, the level (or score) of the latest round;
* :func:`plot_heatmap`: companies x dimensions, the scores of the latest round;
* :func:`movers`: who moved between the first and the latest round;
* :func:`peer_positions`: where each company stands among its sector peers;
* :func:`evidence_gaps`: the companies whose self-assessment and landscape evidence
  disagree most (with :func:`landscapes_by_round` to find the landscape files);
* :func:`round_assessment`: the consolidated :class:`~maturity.assessment.Assessment` of
  one company round.

Examples
--------
>>> scores = pd.DataFrame({"company": ["A", "A", "B"], "model": "impuls",
...                        "date": ["2024-03-01", "2025-03-01", "2025-02-01"],
...                        "sector": ["textiles", "textiles", "textiles"],
...                        "score": [1.0, 1.75, 2.5], "level": [1, 1, 2]})
>>> movers(scores)[["company", "score_before", "score_after", "score_change"]]
  company  score_before  score_after  score_change
0       A           1.0         1.75          0.75
1       B           2.5         2.50          0.00
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from importlib import resources
from pathlib import Path

import pandas as pd

from maturity.collect import company_key
from maturity.compare import peer_percentile
from maturity.consolidate import consolidated_answers, consolidated_answers_file
from maturity.evidence import add_evidence
from maturity.messages import msg
from maturity.plotting import figure_style, own_fonts, plot_lang
from maturity.reference_model import load_model
from maturity.scoring import score
from value_chain import landscape_metrics, read_landscape

__all__ = [
    "bundled_portfolio",
    "evidence_gaps",
    "landscapes_by_round",
    "levels_table",
    "movers",
    "peer_positions",
    "plot_heatmap",
    "round_assessment",
]

_DATE = re.compile(r"(\d{4}-\d{2}-\d{2})")


def bundled_portfolio() -> tuple[Path, Path]:
    """The folders of the bundled example portfolio: (answers, landscapes)."""
    root = resources.files("maturity.data") / "portfolio"
    with resources.as_file(root) as path:
        return Path(path) / "answers", Path(path) / "landscapes"


def _latest(scores: pd.DataFrame) -> pd.DataFrame:
    s = scores.assign(date=scores["date"].fillna(""))
    return s.sort_values("date").groupby(["company", "model"], sort=False).tail(1)


def levels_table(scores: pd.DataFrame) -> pd.DataFrame:
    """Companies (rows) x models (columns): the level of the latest round, or for a model
    without an overall level (SIRI) its score, rounded to 0.1."""
    latest = _latest(scores).copy()
    no_level = latest.groupby("model")["level"].transform(lambda x: x.isna().all())
    latest["shown"] = latest["level"].astype(float).where(~no_level,
                                                          latest["score"].astype(float).round(1))
    return latest.pivot_table(index="company", columns="model", values="shown",
                              aggfunc="first", observed=True).sort_index()


def plot_heatmap(scores: pd.DataFrame, model: str = "cmmm", *, lang: str = "en", ax=None):
    """Heatmap of the dimension scores (columns) of every company (rows), latest round."""
    import matplotlib.pyplot as plt
    import seaborn as sns

    lang = plot_lang(lang)
    m = load_model(model)
    latest = _latest(scores[scores["model"] == model]).set_index("company").sort_index()
    dims = [d.id for d in m.dimensions if f"{d.id}.score" in latest.columns]
    wide = latest[[f"{d}.score" for d in dims]].astype(float)
    wide.columns = [m.dimension(d).name(lang) for d in dims]
    # company names are the user's words: Chinese ones need the CJK font in English figures too
    names_cjk = not all(str(c).isascii() for c in wide.index)
    with figure_style("zh" if names_cjk and plot_lang("zh") == "zh" else lang):
        if ax is None:
            _, ax = plt.subplots(figsize=(12, 0.45 * len(wide) + 3))
        sns.heatmap(wide, ax=ax, cmap="crest", annot=True, fmt=".1f", annot_kws={"size": 7},
                    cbar_kws={"label": msg("portfolio.score", lang)})
        ax.set_xlabel("")
        ax.set_ylabel("")
        ax.tick_params(axis="x", labelrotation=60, labelsize=8)
        for label in ax.get_xticklabels():
            label.set_horizontalalignment("right")
        ax.set_title(msg("portfolio.heatmap_title", lang, title=m.title(lang)))
        own_fonts(ax)
        if ax.collections and getattr(ax.collections[0], "colorbar", None) is not None:
            own_fonts(ax.collections[0].colorbar.ax)
    return ax


def movers(scores: pd.DataFrame) -> pd.DataFrame:
    """Per company and model, the first and the latest round: dates, score and level before
    and after, and the change; the biggest gain first."""
    s = scores.assign(date=scores["date"].fillna("")).sort_values("date")
    g = s.groupby(["company", "model"], sort=False, observed=True)
    first, last = g.head(1).set_index(["company", "model"]), g.tail(1).set_index(
        ["company", "model"])
    out = pd.DataFrame({
        "date_before": first["date"], "date_after": last["date"],
        "score_before": first["score"].astype(float), "score_after": last["score"].astype(float),
        "level_before": first["level"], "level_after": last["level"],
    })
    out["score_change"] = (out["score_after"] - out["score_before"]).round(10)
    out["level_change"] = out["level_after"] - out["level_before"]
    return out.sort_values("score_change", ascending=False).reset_index()


def peer_positions(scores: pd.DataFrame, model: str = "cmmm") -> pd.DataFrame:
    """Latest round of every company: its score and percentile (0-100) among the companies of
    its sector in the portfolio (:func:`maturity.compare.peer_percentile`)."""
    latest = _latest(scores[scores["model"] == model])
    rows = latest[["company", "sector", "score"]].copy()
    rows["peers"] = rows.groupby("sector")["company"].transform("size")
    rows["percentile"] = [peer_percentile(latest, s, sector=sec)
                          for s, sec in zip(rows["score"], rows["sector"], strict=True)]
    return rows.sort_values(["sector", "score"], ascending=[True, False]).reset_index(drop=True)


def round_assessment(table: pd.DataFrame, company: str, model: str, date: str | None = None,
                     rule: str = "median"):
    """The consolidated assessment of one company round of a collected ``table`` (the latest
    round when ``date`` is not given)."""
    part = table[(table["company"].astype(str) == company) & (table["model"].astype(str)
                                                              == model)]
    dates = sorted(part["date"].dropna().astype(str).unique())
    when = date if date is not None else (dates[-1] if dates else None)
    if when is not None:
        part = part[part["date"].astype(str) == when]
    m = load_model(model)
    rows = consolidated_answers(part, rule)
    first = part.iloc[0]
    enterprise = {k: first[k] for k in ("sector", "size", "industry_type", "region")
                  if k in part.columns and pd.notna(first[k])}
    answers = consolidated_answers_file(rows, m, enterprise={"name": company, **enterprise},
                                        date=when)
    return score(m, answers)


def landscapes_by_round(folder: str | Path) -> dict[tuple[str, str | None], Path]:
    """Landscape files of a folder by (company, round date): the company from the landscape's
    ``enterprise.name``, the date from an ISO date in the file name (``acme_2025-03-01.yaml``).
    """
    out: dict[tuple[str, str | None], Path] = {}
    for path in sorted(Path(folder).glob("*")):
        if path.suffix.lower() not in (".yaml", ".yml", ".json", ".xlsx", ".graphml"):
            continue
        G = read_landscape(path)
        name = (G.graph.get("enterprise") or {}).get("name")
        found = _DATE.search(path.name)
        if name:
            out[(company_key(name), found.group(1) if found else None)] = path
    return out


def evidence_gaps(table: pd.DataFrame, landscapes: Mapping[tuple[str, str | None], Path],
                  model: str = "cmmm", rule: str = "median") -> pd.DataFrame:
    """Per company round with a landscape: how far the self-assessment claims more than the
    landscape supports. ``flags`` counts the flagged checks, ``gap`` sums the levels claimed
    beyond what is supported, ``islands`` counts the information islands; largest gap first."""
    rows = []
    for (company, date), path in landscapes.items():
        part = table[(table["company"].astype(str) == company)
                     & (table["model"].astype(str) == model)]
        if date is not None:
            part = part[part["date"].astype(str) == date]
        if part.empty:
            continue
        G = read_landscape(path)
        a = add_evidence(round_assessment(part, company, model, date, rule), G)
        flagged = [e for e in a.evidence if e.get("flag")]
        gap = sum(max(0, (e.get("claimed") or 0) - (e.get("supported") or 0)) for e in flagged)
        rows.append({"company": company, "date": date, "level": a.level,
                     "flags": len(flagged), "gap": gap,
                     "islands": landscape_metrics(G)["island_count"]})
    out = pd.DataFrame(rows, columns=["company", "date", "level", "flags", "gap", "islands"])
    return out.sort_values(["gap", "flags"], ascending=False).reset_index(drop=True)
