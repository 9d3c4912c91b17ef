"""Pictures of group comparisons (seaborn): level shares, profiles, spreads, peers.

Each function draws on ``ax`` (or a new figure), returns the matplotlib
Axes, and takes ``lang="en"`` or ``"zh"``. Chinese labels need a CJK font;
without one the figure falls back to English (:func:`maturity.plotting.plot_lang`),
so there are never missing-glyph boxes.

Examples
--------
>>> from maturity.datasets import generate_population
>>> from maturity import load_model, score_frame
>>> scored = score_frame(load_model("cmmm"), generate_population(500, seed=3))
>>> ax = plot_level_shares(scored, by="size")
>>> ax.get_xlabel()
'Share of enterprises (%)'
>>> plot_level_shares(scored, by="size", lang="zh").get_xlabel() in {
...     "Share of enterprises (%)", "企业占比（%）"}
True
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib.axes import Axes

from maturity.compare import dimension_profiles, level_distribution, peer_percentile
from maturity.datasets import population_config
from maturity.plotting import figure_style, own_fonts, plot_lang
from maturity.reference_model import load_model

__all__ = [
    "plot_dimension_heatmap",
    "plot_level_shares",
    "plot_peer_position",
    "plot_score_by_group",
]

_TEXT = {
    "share": {"en": "Share of enterprises (%)", "zh": "企业占比（%）"},
    "level": {"en": "Level", "zh": "等级"},
    "score": {"en": "Maturity score", "zh": "成熟度得分"},
    "peers": {"en": "Peers", "zh": "同行企业"},
    "count": {"en": "Number of enterprises", "zh": "企业数量"},
    "you": {"en": "This enterprise", "zh": "本企业"},
    "pct": {"en": "percentile {p:.0f} among {n} peers",
            "zh": "在 {n} 家同行中位于第 {p:.0f} 百分位"},
    "levels_by": {"en": "Level shares by {by}", "zh": "按{by}的等级分布"},
    "heat": {"en": "Mean sub-domain score by {by}", "zh": "按{by}的能力子域平均得分"},
    "spread": {"en": "Score distribution by {by}", "zh": "按{by}的得分分布"},
    "none": {"en": "no level", "zh": "无等级"},
    "sector": {"en": "sector", "zh": "行业"},
    "size": {"en": "size class", "zh": "企业规模"},
    "region": {"en": "region", "zh": "地区"},
    "year": {"en": "year", "zh": "年份"},
}
_SYNTHETIC = {"en": " (synthetic data)", "zh": "（合成数据）"}


def _t(key: str, lang: str, **kw) -> str:
    return _TEXT[key][lang].format(**kw)


def _by_name(by: str, lang: str) -> str:
    return _TEXT[by][lang] if by in _TEXT else by


def _group_label(by: str, value, lang: str) -> str:
    """Readable name of a group value (from maturity/population.yaml where known)."""
    cfg = population_config()
    table = {"sector": cfg.sectors, "size": cfg.sizes, "region": cfg.regions}.get(by, {})
    return table[value].name[lang] if value in table else str(value)


def _suffix(scored: pd.DataFrame, lang: str) -> str:
    synthetic = "synthetic" in scored.columns and bool(scored["synthetic"].fillna(False).all())
    return _SYNTHETIC[lang] if synthetic else ""


def _level_names(model: str, lang: str) -> dict[int, str]:
    m = load_model(model)
    return {lv.value: f"{lv.value} {lv.name(lang)}" for lv in m.levels}


def _axes(ax: Axes | None, size=(8, 4.5)) -> Axes:
    if ax is None:
        _, ax = plt.subplots(figsize=size, layout="constrained")
    # ticks that seaborn makes later are given the current fonts too
    ax.tick_params(axis="both", which="both", labelfontfamily=plt.rcParams["font.family"])
    return ax


def plot_level_shares(
    scored: pd.DataFrame, by: str = "sector", *, model: str = "cmmm", lang: str = "en",
    ax: Axes | None = None,
) -> Axes:
    """Horizontal stacked bars: share of enterprises at each level, one bar per group."""
    lang = plot_lang(lang)
    dist = level_distribution(scored, by=by)
    wide = dist.pivot_table(index=by, columns="level", values="share", observed=True,
                            dropna=False, fill_value=0) * 100
    names = _level_names(model, lang)
    wide.columns = [names.get(int(c), str(c)) if pd.notna(c) else _t("none", lang)
                    for c in wide.columns]
    wide.index = [_group_label(by, g, lang) for g in wide.index]
    colors = sns.color_palette("crest", n_colors=len(wide.columns))
    with figure_style(lang):
        ax = _axes(ax)
        left = np.zeros(len(wide))
        for color, col in zip(colors, wide.columns, strict=True):
            ax.barh(wide.index, wide[col], left=left, color=color, label=col)
            left += wide[col].to_numpy()
        ax.set_xlim(0, 100)
        ax.set_xlabel(_t("share", lang))
        ax.set_ylabel("")
        ax.invert_yaxis()
        ax.legend(title=_t("level", lang), bbox_to_anchor=(1.01, 1), loc="upper left",
                  frameon=False)
        ax.set_title(_t("levels_by", lang, by=_by_name(by, lang)) + _suffix(scored, lang))
        own_fonts(ax)
    return ax


def plot_dimension_heatmap(
    scored: pd.DataFrame, by: str = "sector", *, model: str = "cmmm", lang: str = "en",
    ax: Axes | None = None,
) -> Axes:
    """Heatmap of the mean score of every dimension (columns) per group (rows)."""
    lang = plot_lang(lang)
    m = load_model(model)
    prof = dimension_profiles(scored, by=by)
    wide = prof.pivot_table(index=by, columns="dimension", values="mean", observed=True)
    order = [d.id for d in m.dimensions if d.id in wide.columns]
    wide = wide[order]
    wide.columns = [m.dimension(d).name(lang) for d in order]
    wide.index = [_group_label(by, g, lang) for g in wide.index]
    with figure_style(lang):
        ax = _axes(ax, size=(12, 0.45 * len(wide) + 3))
        sns.heatmap(wide, ax=ax, cmap="crest", annot=True, fmt=".1f", annot_kws={"size": 7},
                    cbar_kws={"label": _t("score", lang)})
        ax.set_xlabel("")
        ax.set_ylabel("")
        ax.tick_params(axis="x", labelrotation=60, labelsize=8)
        ax.tick_params(axis="y", labelrotation=0)
        for label in ax.get_xticklabels():
            label.set_horizontalalignment("right")
        ax.set_title(_t("heat", lang, by=_by_name(by, lang)) + _suffix(scored, lang))
        own_fonts(ax)
        if ax.collections and getattr(ax.collections[0], "colorbar", None) is not None:
            own_fonts(ax.collections[0].colorbar.ax)
    return ax


def plot_score_by_group(
    scored: pd.DataFrame, by: str = "size", *, lang: str = "en", ax: Axes | None = None,
) -> Axes:
    """Violin plots (with quartiles) of the overall score per group (default: size classes)."""
    lang = plot_lang(lang)
    def label(g) -> str:  # "Small (<100 employees)" -> two lines
        return _group_label(by, g, lang).replace(" (", "\n(")

    data = pd.DataFrame({
        "group": [label(g) for g in scored[by]],
        "score": scored["score"].astype(float).to_numpy(),
    })
    values = scored[by]
    cats = values.cat.categories if isinstance(values.dtype, pd.CategoricalDtype) else None
    present = set(values.dropna().unique())
    order = [label(g) for g in (cats if cats is not None else sorted(present)) if g in present]
    with figure_style(lang):
        ax = _axes(ax, size=(7, 4))
        sns.violinplot(data=data, x="group", y="score", order=order, hue="group",
                       hue_order=order, palette="crest", legend=False, ax=ax, cut=0,
                       inner="quart", density_norm="width")
        ax.set_xlabel("")
        ax.set_ylabel(_t("score", lang))
        ax.set_title(_t("spread", lang, by=_by_name(by, lang)) + _suffix(scored, lang))
        own_fonts(ax)
    return ax


def plot_peer_position(
    scored: pd.DataFrame, enterprise_score: float, *, sector: str | None = None,
    size: str | None = None, lang: str = "en", ax: Axes | None = None,
) -> Axes:
    """Histogram of the peers' scores with a line at one enterprise's score."""
    lang = plot_lang(lang)
    pct = peer_percentile(scored, enterprise_score, sector=sector, size=size)
    mask = pd.Series(True, index=scored.index)
    for col, want in (("sector", sector), ("size", size)):
        if want is not None:
            mask &= scored[col] == want
    peers = scored.loc[mask, "score"].astype(float).dropna()
    group = " / ".join(_group_label(c, v, lang) for c, v in (("sector", sector), ("size", size))
                       if v is not None)
    with figure_style(lang):
        ax = _axes(ax, size=(7, 4))
        sns.histplot(x=peers.to_numpy(), bins=np.arange(0, 5.25, 0.25), ax=ax,
                     color=sns.color_palette("crest")[1])
        ax.axvline(enterprise_score, color="#c0392b", linewidth=2, label=_t("you", lang))
        ax.set_xlabel(_t("score", lang))
        ax.set_ylabel(_t("count", lang))
        ax.legend(frameon=False)
        title = f"{_t('peers', lang)}: {group}" if group else _t("peers", lang)
        ax.set_title(title + _suffix(scored, lang) + "\n"
                     + _t("pct", lang, p=pct, n=len(peers)))
        own_fonts(ax)
    return ax
