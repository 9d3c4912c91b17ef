"""Several respondents, one company result: consolidated answers, disagreement, agreement.

Given the collected answers of a company round (:mod:`maturity.collect`), the
answer to each item is consolidated by a stated rule over the respondents'
*rated* answers (answers off the scale, such as "not applicable", are not
rated):

``median`` (default)
    the median step of the scale; with an even number of respondents the
    lower of the two middle answers (the cautious one), so that the result is
    always an answer of the scale;
``min``
    the lowest answer (the most cautious respondent decides);
``mean``
    the option whose score is nearest to the mean score (ties: the lower one);
``consensus``
    a consultant's override file wins for every item it answers; the other
    items by the median.

Disagreement: per item the spread (highest minus lowest step), and the items
where respondents differ by two or more steps: the agenda for the workshop.
Agreement: Krippendorff's alpha for ordinal data per dimension and over all
items (the units are the items, the coders the respondents, the values the
steps), from the maintained ``krippendorff`` package; it is undefined (NaN)
with fewer than two respondents or when no answer differs from another.

Examples
--------
>>> table = pd.DataFrame({
...     "company": "Acme", "model": "impuls", "date": "2025-03-01",
...     "respondent": ["a", "b", "c"], "source": ["a.json", "b.json", "c.json"],
...     "item": "employees.skill_sets", "dimension": "employees",
...     "value": ["1", "2", "4"], "step": [1, 2, 4], "score": [1.0, 2.0, 4.0]})
>>> answers = consolidated_answers(table)
>>> answers[["n", "spread", "value"]].to_dict("records")
[{'n': 3, 'spread': 3, 'value': '2'}]
>>> consolidated_answers(table, rule="mean")["value"].item()   # mean 2.33 -> nearest 2
'2'
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

import numpy as np
import pandas as pd

from maturity.answers import (
    Answers,
    answers_from_mapping,
    option_key,
    read_answers,
    validate_answers,
)
from maturity.collect import company_key, item_scales, table_from_answers
from maturity.messages import msg
from maturity.reference_model import ReferenceModel, load_model
from maturity.scoring import score, score_frame
from value_chain.errors import InputError, Problem

__all__ = [
    "RULES",
    "Consolidation",
    "agreement",
    "consolidate",
    "consolidate_answers",
    "consolidated_answers",
    "disagreements",
    "ordinal_alpha",
    "ordinal_alphas",
]

RULES = ("median", "min", "mean", "consensus")
ROUND = ["company", "model", "date"]
#: respondents whose answers differ by this many scale steps or more disagree
DISAGREEMENT_STEPS = 2


def _rounds(table: pd.DataFrame) -> pd.DataFrame:
    """The table with an undated round keyed as "" (groupby drops missing keys)."""
    if table.attrs.get("_rounds"):  # already done by the caller
        return table
    out = table.copy()
    for c in ("company", "model", "item", "dimension", "source", "respondent"):
        if c in out.columns:
            col = out[c]
            if isinstance(col.dtype, pd.CategoricalDtype):  # fast: one text per category
                cats = np.append(col.cat.categories.astype(str).to_numpy(dtype=object), None)
                out[c] = pd.Series(cats[col.cat.codes.to_numpy()], index=out.index, dtype=object)
            else:
                out[c] = col.astype(str)
    out["date"] = out["date"].astype(object).where(out["date"].notna(), "").astype(str)
    out["step"] = pd.to_numeric(out["step"], errors="coerce")
    out.attrs["_rounds"] = True
    return out


@cache
def _options(model_id: str) -> pd.DataFrame:
    """Per item of a model its options: ``item, step, score, value`` (steps by score)."""
    rows = [(item, step, score, key)
            for item, scale in item_scales(load_model(model_id)).items()
            for key, (step, score) in scale.steps.items()]
    return pd.DataFrame(rows, columns=["item", "step", "score", "value"])


def _check_rule(rule: str) -> None:
    if rule not in RULES:
        raise InputError([Problem("<rule>", "", f"unknown rule {rule!r}; use "
                                  + ", ".join(RULES))])


def consolidated_answers(table: pd.DataFrame, rule: str = "median",
                         overrides: pd.DataFrame | None = None) -> pd.DataFrame:
    """One consolidated answer per company round and item, with its spread.

    ``table`` is a collected table (:func:`maturity.collect.read_assessments`);
    ``overrides`` a collected table of the consultant's override files (rule
    ``consensus``; an override without a date applies to every round of its
    company and model). Columns: ``company, model, date, item, dimension, n``
    (rated answers), ``min_step, max_step, spread, step, score, value`` and
    ``overridden``. An item nobody rated has ``n`` 0 and no value, unless every
    respondent who answered gave the same answer off the scale (then that one).
    """
    _check_rule(rule)
    t = _rounds(table)
    keys = [*ROUND, "item"]
    base = t[[*keys, "dimension"]].drop_duplicates(keys)
    rated = t[t["step"].notna()]
    g = rated.groupby(keys, sort=False)["step"]
    stats = pd.DataFrame({"n": g.size(), "min_step": g.min(), "max_step": g.max()})
    if rule in ("median", "consensus"):
        stats["step"] = g.quantile(0.5, interpolation="lower")
    elif rule == "min":
        stats["step"] = stats["min_step"]
    else:
        stats["mean_score"] = rated.groupby(keys, sort=False)["score"].mean()
    out = base.merge(stats.reset_index(), on=keys, how="left")
    if rule == "mean":
        out["step"] = _nearest_step(out)
        out = out.drop(columns="mean_score")
    out["n"] = out["n"].fillna(0).astype(int)
    out["spread"] = (out["max_step"] - out["min_step"]).astype("Int64")
    for c in ("min_step", "max_step", "step"):
        out[c] = out[c].astype("Int64")
    out = _attach_options(out)
    out["value"] = out["value"].astype(object).where(out["value"].notna(), None)
    out = _off_scale(out, t)
    out["overridden"] = False
    if rule == "consensus" and overrides is not None:
        out = _apply_overrides(out, overrides)
    return out


def _nearest_step(out: pd.DataFrame) -> pd.Series:
    steps = pd.Series(pd.NA, index=out.index, dtype="Int64")
    for model_id, part in out[out["mean_score"].notna()].groupby("model"):
        opts = _options(model_id)
        for item, rows in part.groupby("item"):
            o = opts[opts["item"] == item].sort_values("step")
            dist = np.abs(rows["mean_score"].to_numpy()[:, None] - o["score"].to_numpy()[None, :])
            # round away floating noise so that an exact tie goes to the lower step
            steps.loc[rows.index] = o["step"].to_numpy()[np.argmin(np.round(dist, 9), axis=1)]
    return steps


def _attach_options(out: pd.DataFrame) -> pd.DataFrame:
    parts = [_options(m).assign(model=m) for m in out["model"].unique()]
    if not parts:  # nothing collected
        return out.assign(score=pd.Series(dtype=float), value=pd.Series(dtype=object))
    opts = pd.concat(parts, ignore_index=True)
    opts["step"] = opts["step"].astype("Int64")
    return out.merge(opts, on=["model", "item", "step"], how="left")


def _off_scale(out: pd.DataFrame, t: pd.DataFrame) -> pd.DataFrame:
    """Items nobody rated but every answering respondent marked the same way (e.g. n/a)."""
    off = t[t["step"].isna() & t["value"].notna()]
    if off.empty:
        return out
    keys = [*ROUND, "item"]
    same = off.groupby(keys)["value"].agg(lambda v: v.iloc[0] if v.nunique() == 1 else None)
    same = same.dropna().rename("off_value").reset_index()
    out = out.merge(same, on=keys, how="left")
    fill = out["value"].isna() & out["off_value"].notna()
    out.loc[fill, "value"] = out.loc[fill, "off_value"]
    return out.drop(columns="off_value")


def _apply_overrides(out: pd.DataFrame, overrides: pd.DataFrame) -> pd.DataFrame:
    o = _rounds(overrides)
    o = o[o["value"].notna()][[*ROUND, "item", "value", "step", "score"]]
    o = o.drop_duplicates([*ROUND, "item"], keep="last")
    dated = o[o["date"] != ""]
    undated = o[o["date"] == ""].drop(columns="date")
    for part, keys in ((undated, ["company", "model", "item"]), (dated, [*ROUND, "item"])):
        if part.empty:
            continue
        m = out[keys].merge(part, on=keys, how="left")
        hit = m["value"].notna().to_numpy()
        out.loc[hit, "value"] = m.loc[hit, "value"].to_numpy()
        out.loc[hit, "step"] = m.loc[hit, "step"].to_numpy()
        out.loc[hit, "score"] = m.loc[hit, "score"].to_numpy()
        out.loc[hit, "overridden"] = True
    return out


# ---- agreement ---------------------------------------------------------------------------


def ordinal_alpha(data: np.ndarray, n_steps: int | None = None) -> float:
    """Krippendorff's alpha for ordinal data; rows are respondents, columns items, NaN blank.

    ``n_steps`` is the number of steps of the scale (values ``0 .. n_steps-1``);
    by default the values seen. NaN when it is undefined: fewer than two
    respondents answered a common item, or no answer differs from another.

    Krippendorff's own worked example (*Computing Krippendorff's
    alpha-reliability*, 2011: 4 observers, 12 units, values 1-5) gives 0.815:

    >>> n = np.nan
    >>> data = np.array([[1, 2, 3, 3, 2, 1, 4, 1, 2, n, n, n],
    ...                  [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, n, 3],
    ...                  [n, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, n],
    ...                  [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, n]]) - 1
    >>> round(ordinal_alpha(data, 5), 3)
    0.815
    """
    import krippendorff

    data = np.asarray(data, dtype=float)
    if data.ndim != 2 or data.shape[0] < 2:
        return float("nan")
    pairable = (~np.isnan(data)).sum(axis=0) >= 2
    values = data[:, pairable]
    seen = np.unique(values[~np.isnan(values)])
    if len(seen) < 2:
        return float("nan")
    top = int(seen.max()) + 1 if n_steps is None else max(n_steps, int(seen.max()) + 1)
    return float(krippendorff.alpha(reliability_data=values, value_domain=list(range(top)),
                                    level_of_measurement="ordinal"))


def ordinal_alphas(units: np.ndarray, groups: np.ndarray, n_groups: int) -> np.ndarray:
    """Krippendorff's ordinal alpha of many groups of units at once.

    ``units`` holds the value counts of every unit (units x values: how many
    respondents gave each step), ``groups`` the group of every unit. The same
    computation as :func:`ordinal_alpha` (coincidences within units, ordinal
    distances from the marginal counts), vectorised so that thousands of
    company rounds take a fraction of a second; NaN where undefined.

    >>> units = np.array([[2, 0], [0, 2], [1, 1]])   # the hand-worked 4/9 example
    >>> ordinal_alphas(units, np.array([0, 0, 0]), 1).round(4)
    array([0.4444])
    """
    units = np.asarray(units, dtype=float)
    m = units.sum(axis=1)
    keep = m >= 2
    units, groups, m = units[keep], np.asarray(groups)[keep], m[keep]
    v = units.shape[1]
    coincide = units[:, :, None] * units[:, None, :]
    coincide[:, np.arange(v), np.arange(v)] -= units
    coincide /= (m - 1)[:, None, None]
    o = np.zeros((n_groups, v, v))
    np.add.at(o, groups, coincide)
    n_c = o.sum(axis=2)
    n = n_c.sum(axis=1)
    cum = np.cumsum(n_c, axis=1)
    c, k = np.meshgrid(np.arange(v), np.arange(v), indexing="ij")
    lo, hi = np.minimum(c, k), np.maximum(c, k)
    between = cum[:, hi] - cum[:, lo] + n_c[:, lo]  # sum of n_g for g from lo to hi
    delta2 = (between - (n_c[:, c] + n_c[:, k]) / 2) ** 2
    observed = (o * delta2).sum(axis=(1, 2))
    expected = (n_c[:, :, None] * n_c[:, None, :] * delta2).sum(axis=(1, 2))
    with np.errstate(divide="ignore", invalid="ignore"):
        alpha = 1 - (n - 1) * observed / expected
    return np.where(expected > 0, alpha, np.nan)


def agreement(table: pd.DataFrame) -> pd.DataFrame:
    """Agreement of the respondents of each company round, per dimension and overall.

    One row per company round and dimension, plus one with ``dimension``
    missing for all items together: ``alpha`` (Krippendorff's ordinal alpha),
    ``respondents`` and ``items`` (items rated by at least two respondents).
    """
    t = _rounds(table)
    cols = [*ROUND, "dimension", "alpha", "respondents", "items"]
    if t.empty:
        return pd.DataFrame(columns=cols)
    t = t.assign(round=t.groupby(ROUND, sort=False).ngroup())
    heads = t.drop_duplicates("round").set_index("round")[ROUND]
    respondents = t.groupby("round")["source"].nunique()
    # groups: per round, the whole (overall) and each dimension, in item order
    dims = t.drop_duplicates(["round", "dimension"])[["round", "dimension"]]
    dims = dims.assign(dimension_code=dims.groupby("round").cumcount() + 1)
    rated = t[t["step"].notna()].merge(dims, on=["round", "dimension"])
    unit = rated.groupby(["round", "item"], sort=False).ngroup().to_numpy()
    n_units = int(unit.max()) + 1 if len(unit) else 0
    v = int(rated["step"].max()) + 1 if len(rated) else 1
    counts = np.zeros((n_units, v))
    np.add.at(counts, (unit, rated["step"].to_numpy(dtype=int)), 1)
    first = rated.drop_duplicates(["round", "item"])  # one row per unit, in unit order
    n_dims = dims.groupby("round").size()
    offset = np.concatenate([[0], np.cumsum(n_dims.to_numpy() + 1)])[:-1]
    start = pd.Series(offset, index=n_dims.index)
    base = start.reindex(first["round"]).to_numpy()
    overall = ordinal_alphas(counts, base, int(offset[-1] + n_dims.iloc[-1] + 1))
    by_dim = ordinal_alphas(counts, base + first["dimension_code"].to_numpy(),
                            len(overall))
    alpha = np.where(np.isin(np.arange(len(overall)), offset), overall, by_dim)
    pairable = counts.sum(axis=1) >= 2
    items = np.zeros(len(overall), dtype=int)
    np.add.at(items, base, pairable)
    np.add.at(items, base + first["dimension_code"].to_numpy(), pairable)
    names = dims.groupby("round", sort=False)["dimension"].agg(list).to_dict()
    respondents = respondents.to_dict()
    h = heads.loc[n_dims.index]
    rows = []
    for r, o, company, model_id, date in zip(n_dims.index, offset, h["company"], h["model"],
                                              h["date"], strict=True):
        for j, dim in enumerate([None, *names[r]]):
            rows.append((company, model_id, date, dim, alpha[o + j], respondents[r],
                         int(items[o + j])))
    return pd.DataFrame(rows, columns=cols)


def disagreements(table: pd.DataFrame, steps: int = DISAGREEMENT_STEPS) -> pd.DataFrame:
    """The items where respondents differ by ``steps`` or more: one row per round and item,
    with every respondent's answer (columns ``answers``: ``{respondent: value}``)."""
    t = _rounds(table)
    rated = t[t["step"].notna()]
    keys = [*ROUND, "item"]
    g = rated.groupby(keys, sort=False)["step"]
    spread = (g.max() - g.min()).rename("spread")
    wide = spread[spread >= steps].reset_index()
    if wide.empty:
        return wide.assign(dimension=[], answers=[])
    sel = rated.merge(wide[keys], on=keys)
    answers = sel.groupby(keys, sort=False).apply(
        lambda p: dict(zip(p["respondent"], p["value"], strict=True)), include_groups=False
    ).rename("answers")
    dims = sel.drop_duplicates(keys).set_index(keys)["dimension"]
    return wide.join(dims, on=keys).join(answers, on=keys)


# ---- one row per company round -------------------------------------------------------


def consolidate(table: pd.DataFrame, rule: str = "median",
                overrides: pd.DataFrame | None = None) -> pd.DataFrame:
    """Consolidate and score every company round of a collected table.

    One row per company, model and round: ``respondents``, ``rule``, the
    enterprise fields, ``score``, ``level``, ``coverage`` and
    ``<dimension>.score`` / ``<dimension>.level`` (from
    :func:`maturity.score_frame` on the consolidated answers, so exactly what
    scoring the consolidated answers file gives), ``agreement`` (overall
    alpha) and ``disagreements`` (items two or more steps apart).
    """
    if table.empty:
        return pd.DataFrame(columns=[*ROUND, "rule", "respondents", "score", "level",
                                     "coverage", "agreement", "disagreements"])
    t = _rounds(table)
    answers = consolidated_answers(t, rule, overrides)
    ent_cols = [c for c in ("sector", "size", "industry_type", "region", "year")
                if c in t.columns]
    info = t.groupby(ROUND, sort=False).agg(
        respondents=("source", "nunique"),
        **{c: (c, "first") for c in ent_cols})
    alpha = agreement(t)
    alpha = alpha[alpha["dimension"].isna()].set_index(ROUND)["alpha"].rename("agreement")
    dis = answers[answers["spread"] >= DISAGREEMENT_STEPS].groupby(ROUND).size()
    frames = []
    for model_id, part in answers.groupby("model", sort=False):
        wide = part.pivot_table(index=ROUND, columns="item", values="value", aggfunc="first",
                                dropna=False, observed=True)
        wide = wide.reindex(index=pd.MultiIndex.from_frame(
            part[ROUND].drop_duplicates()), columns=wide.columns)
        meta = info.reindex(wide.index)
        responses = pd.concat([meta, wide], axis=1).reset_index()
        responses = responses.astype({c: object for c in wide.columns})
        scored = score_frame(load_model(model_id), responses)
        keep = [c for c in scored.columns if c not in set(wide.columns)]
        frames.append(scored[keep])
    out = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=ROUND)
    out = out.copy()  # one block: score_frame's many columns
    out.insert(3, "rule", rule)
    out = out.join(alpha, on=ROUND).join(dis.rename("disagreements"), on=ROUND)
    out["disagreements"] = out["disagreements"].fillna(0).astype(int)
    out["date"] = out["date"].replace("", None)
    return out


def consolidated_answers_file(rows: pd.DataFrame, model: ReferenceModel, **fields) -> Answers:
    """The consolidated answers of one round as an :class:`~maturity.answers.Answers`."""
    answers = {r.item: r.value for r in rows.itertuples() if r.value is not None}
    data = {"model": model.id, "answers": answers, **fields}
    return answers_from_mapping(data, "<consolidated>")


def check_one_company_round(answers: Sequence[Answers]) -> list[Problem]:
    """Problems of files that should be one company round: other models, other companies."""
    problems: list[Problem] = []
    models = {a.model for a in answers}
    if len(models) > 1:
        listing = "; ".join(f"{a.source} ({a.model})" for a in answers)
        problems += [Problem(a.source, "model", f"files of different models in one company "
                             f"round: {listing}; give the files of one model") for a in answers]
    names = {company_key(a.enterprise.name or "") for a in answers}
    if len(names) > 1:
        listing = "; ".join(f"{a.source} ({a.enterprise.name or '?'})" for a in answers)
        problems += [Problem(a.source, "enterprise.name", f"files of different companies: "
                             f"{listing}") for a in answers]
    return problems


# ---- one company round, in full ------------------------------------------------------


@dataclass
class Consolidation:
    """The consolidated result of one company round answered by several respondents.

    Made by :func:`consolidate_answers`. ``items`` holds every item's
    consolidated answer and spread, ``agreement`` alpha per dimension (and
    overall, ``dimension`` missing), ``disagreements`` the items two or more
    steps apart with each respondent's answer, ``assessment`` the consolidated
    answers scored by the model's normal rules.
    """

    model: ReferenceModel
    rule: str
    respondents: list[str]
    sources: list[str]
    items: pd.DataFrame
    agreement: pd.DataFrame
    disagreements: pd.DataFrame
    assessment: Any  # maturity.assessment.Assessment

    @property
    def overall_agreement(self) -> float:
        row = self.agreement[self.agreement["dimension"].isna()]
        return float(row["alpha"].iloc[0]) if len(row) else float("nan")

    def _item_text(self, item_id: str, lang: str) -> str:
        item = next(it for it in self.model.items if it.id == item_id)
        return item.text(lang)

    def _label(self, item_id: str, value: Any, lang: str) -> str:
        item = next(it for it in self.model.items if it.id == item_id)
        for o in self.model.options(item):
            if option_key(o.value) == option_key(value):
                return o.label(lang)
        return str(value)

    def to_dict(self, lang: str = "en") -> dict[str, Any]:
        """JSON-ready: ``rule``, ``respondents``, ``sources``, ``consolidated`` (the
        assessment's dict), ``agreement`` (overall and per dimension, null when undefined) and
        ``disagreements`` (item, dimension, spread, answers by respondent)."""
        def num(x: float) -> float | None:
            return None if x is None or pd.isna(x) else round(float(x), 6)

        dims = self.agreement[self.agreement["dimension"].notna()]
        return {
            "rule": self.rule,
            "respondents": self.respondents,
            "sources": self.sources,
            "consolidated": self.assessment.to_dict(lang),
            "agreement": {
                "overall": num(self.overall_agreement),
                "dimensions": {r.dimension: num(r.alpha) for r in dims.itertuples()},
            },
            "disagreements": [
                {"item": r.item, "dimension": r.dimension, "text": self._item_text(r.item, lang),
                 "spread": int(r.spread), "answers": r.answers}
                for r in self.disagreements.itertuples()
            ],
        }

    def to_text(self, lang: str = "en") -> str:
        """Who was consolidated by which rule, their agreement and the workshop agenda, in
        plain text (the consolidated assessment shows itself: ``assessment``)."""
        alpha = self.overall_agreement
        lines = [
            msg("portfolio.consolidated_from", lang, n=len(self.respondents),
                rule=msg(f"portfolio.rule.{self.rule}", lang),
                who=msg("portfolio.list_sep", lang).join(self.respondents)),
            msg("portfolio.agreement_overall", lang,
                alpha=msg("portfolio.undefined", lang) if pd.isna(alpha) else f"{alpha:.2f}"),
        ]
        if self.disagreements.empty:
            lines.append(msg("portfolio.no_disagreement", lang))
        else:
            lines.append(msg("portfolio.disagreement_head", lang, n=len(self.disagreements)))
            for r in self.disagreements.itertuples():
                answers = msg("portfolio.list_sep", lang).join(
                    msg("portfolio.who_said", lang, who=who, answer=self._label(r.item, v, lang))
                    for who, v in r.answers.items())
                lines.append(f"  - {self.model.dimension(r.dimension).name(lang)}: "
                             f"{self._item_text(r.item, lang)} — {answers}")
        return "\n".join(lines)

    def __repr__(self) -> str:
        return self.to_text("en")


def consolidate_answers(answers: Sequence[Answers], rule: str = "median",
                        override: Answers | None = None) -> Consolidation:
    """Consolidate the answers files of several respondents of one company round.

    Every problem is reported at once, naming the files: files of different
    models or companies, two files of one respondent with different answers.
    ``override`` is the consultant's answers file (rule ``consensus``: it wins
    for every item it answers).
    """
    _check_rule(rule)
    answers = list(answers)
    if override is not None and rule != "consensus":
        raise InputError([Problem(override.source, "", "an override file needs the rule "
                                                        "consensus")])
    problems = check_one_company_round(answers + ([override] if override else []))
    if problems:
        raise InputError(problems)
    table, problems = table_from_answers(answers)
    if problems:
        raise InputError(problems)
    over = table_from_answers([override])[0] if override is not None else None
    if over is not None:  # the override belongs to the round whatever its date
        over["date"] = table["date"].iloc[0]
    table["date"] = table["date"].iloc[0]  # one round, even if respondents answered on other days
    model = load_model(answers[0].model)
    items = consolidated_answers(table, rule, over)
    first = answers[0]
    dates = sorted({a.date for a in answers if a.date})
    fields = {"enterprise": first.enterprise.model_dump(exclude_none=True),
              "targets": first.targets, "respondent": None,
              "date": dates[-1].isoformat() if dates else None}
    consolidated = consolidated_answers_file(items, model, **fields)
    migrated = {old: new for a in [*answers, *([override] if override else [])]
                for old, new in a.migrated.items()}  # old ids of split items: said once
    consolidated = consolidated.model_copy(update={"migrated": migrated})
    respondents = list(dict.fromkeys(table["respondent"].astype(str)))
    return Consolidation(
        model=model, rule=rule, respondents=respondents,
        sources=list(dict.fromkeys(table["source"].astype(str))),
        items=items, agreement=agreement(table), disagreements=disagreements(table),
        assessment=score(model, consolidated))


def read_and_consolidate(paths: Sequence[str], rule: str = "median",
                         override: str | None = None) -> Consolidation:
    """Read the answers files of one company round (``maturity score A B C``) and consolidate
    them; every unreadable file is reported at once."""
    answers, problems = [], []
    for path in [*paths, *([override] if override else [])]:
        try:
            a = read_answers(path)
            model = load_model(a.model, source=str(path), where="model")
            answers.append(validate_answers(model, a))
        except InputError as exc:
            problems.extend(exc.problems)
    if problems:
        raise InputError(problems)
    over = answers.pop() if override else None
    return consolidate_answers(answers, rule, over)
