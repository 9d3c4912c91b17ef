"""Generate the bundled portfolio example: twelve fictional companies, two rounds each.

A consultant's (or a regional programme's) portfolio: twelve fictional companies
in three sectors, assessed at a baseline and again about a year later against
CMMM (four of them against SIRI as well). Five companies answered with three
respondents each (plant manager, IT lead, quality manager), the others with
one (the general manager). Each company round also has its IT/OT landscape.

Everything is generated from fixed seeds, so running this script again writes
exactly the same files::

    python datasets/portfolio/make_portfolio.py            # rewrites answers/ and landscapes/
    python datasets/portfolio/make_portfolio.py OUT_DIR    # writes them under OUT_DIR

The answers come from a latent maturity per dimension (a company's base level
plus a profile), raised between the rounds by the company's progress, and
seen by each respondent with a bias of their own and a little noise per item:
the IT lead of 滨江电子 is much more optimistic about integration and data
than his colleagues, which the disagreement list shows.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

from maturity.answers import answers_from_mapping, write_answers
from maturity.reference_model import ReferenceModel, load_model
from value_chain import landscape_from_dict, landscape_to_dict, random_landscape, write_landscape

HERE = Path(__file__).parent
SEED = 20250

# slug, name, sector, size, region, base level, progress per year, rounds, three respondents?
COMPANIES = [
    ("jiangnan_gear", "江南齿轮有限公司", "general_machinery", "medium", "east", 2.1, 0.6,
     ("2024-04-16", "2025-04-22"), True),
    ("taihu_pump", "太湖泵业 (Taihu Pump Co.)", "general_machinery", "small", "east", 1.4, 0.4,
     ("2024-05-08", "2025-05-13"), False),
    ("yunhe_valve", "运河阀门有限公司", "general_machinery", "small", "east", 1.0, 0.0,
     ("2024-03-12", "2025-03-18"), False),
    ("beifang_machine_tools", "北方机床集团", "general_machinery", "large", "northeast", 2.7,
     0.5, ("2024-06-03", "2025-06-10"), True),
    ("xihu_silk", "西湖丝绸有限公司", "textiles", "small", "east", 1.2, 0.3,
     ("2024-04-02", "2025-04-09"), False),
    ("huaxia_dyeing", "华夏印染股份有限公司", "textiles", "medium", "east", 1.7, 0.7,
     ("2024-05-20", "2025-05-27"), True),
    ("zhongyuan_knit", "中原针织 (Zhongyuan Knitwear)", "textiles", "medium", "central", 1.3,
     -0.2, ("2024-07-01", "2025-07-08"), False),
    ("xibu_cotton", "西部棉纺有限公司", "textiles", "large", "west", 1.9, 0.3,
     ("2024-03-25", "2025-04-01"), False),
    ("binjiang_electronics", "滨江电子科技有限公司", "computers_electronics", "medium", "east",
     2.5, 0.6, ("2024-04-23", "2025-04-29"), True),
    ("nanhai_pcb", "南海电路板有限公司", "computers_electronics", "large", "east", 3.0, 0.4,
     ("2024-05-14", "2025-05-20"), True),
    ("gaoxin_sensors", "高新传感器 (Gaoxin Sensors)", "computers_electronics", "small",
     "central", 2.2, 0.9, ("2024-06-17", "2025-06-24"), False),
    ("changjiang_smt", "长江贴片加工厂", "computers_electronics", "micro", "central", 1.6, 0.2,
     ("2024-08-05", "2025-08-12"), False),
]
SIRI_TOO = {"jiangnan_gear", "huaxia_dyeing", "binjiang_electronics", "gaoxin_sensors"}
# who answers, and how they see the company (shift of the latent level)
TEAM = [("plant_manager", "厂长 (plant manager)", 0.0),
        ("it_lead", "信息化负责人 (IT lead)", 0.15),
        ("quality", "质量经理 (quality manager)", -0.1)]
ALONE = [("general_manager", "总经理 (general manager)", 0.1)]
FORMATS = {"plant_manager": "json", "it_lead": "json", "quality": "yaml",
           "general_manager": "yaml"}


def _fraction(model: ReferenceModel, item, m: float) -> float:
    """How far a company at latent level ``m`` fulfils ``item`` (0-1)."""
    if item.level is not None:
        return float(np.clip(m - (item.level - 1), 0.0, 1.0))
    top = max(lv.value for lv in model.levels)
    return float(np.clip(m / top, 0.0, 1.0))


def _answers(model: ReferenceModel, latent: dict[str, float], bias: dict[str, float],
             rng: np.random.Generator) -> dict[str, object]:
    out = {}
    # the parts of a requirement split since (issue 10) share its one draw: the files stay
    # what they were, with the old answer under each new id
    part_of = {part: sp.id for sp in model.split_items for part in sp.into}
    drawn: dict[str, object] = {}
    for item in model.items:
        key = part_of.get(item.id, item.id)
        if key not in drawn:
            m = latent[item.dimension] + bias.get(item.dimension, 0.0) + rng.normal(0, 0.12)
            options = sorted(model.options(item), key=lambda o: o.score)
            f = _fraction(model, item, m)
            drawn[key] = options[round(f * (len(options) - 1))].value
        out[item.id] = drawn[key]
    return out


def _landscape(slug: str, name: str, n: int, seed: int, fixed: int):
    """A small landscape; ``fixed`` manual links made automatic (the follow-up round)."""
    data = landscape_to_dict(random_landscape(n, links_per_system=1.6, site_size=n,
                                              partners_per_100=12, seed=seed))
    data["enterprise"] = {**data.get("enterprise", {}), "name": name}
    manual = [link for link in data["links"] if link.get("mode") == "manual"]
    for link in manual[:fixed]:
        link["mode"] = "batch"
    return landscape_from_dict(data, source=slug)


def make(out_dir: Path = HERE) -> list[Path]:
    """Write every answers and landscape file under ``out_dir``; return their paths."""
    rng = np.random.default_rng(SEED)
    answers_dir, land_dir = out_dir / "answers", out_dir / "landscapes"
    answers_dir.mkdir(parents=True, exist_ok=True)
    land_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    models = {m: load_model(m) for m in ("cmmm", "siri")}
    for k, (slug, name, sector, size, region, base, gain, dates, team) in enumerate(COMPANIES):
        profile = {}
        for model_id, model in models.items():
            profile[model_id] = {d.id: base + rng.normal(0, 0.45) for d in model.dimensions}
        growth = {d: gain * rng.uniform(0.3, 1.7) for p in profile.values() for d in p}
        n_systems = int(rng.integers(14, 26))
        for r, date in enumerate(dates):
            for model_id, model in models.items():
                if model_id == "siri" and slug not in SIRI_TOO:
                    continue
                latent = {d: float(np.clip(v + r * growth[d], 0.2, 4.8))
                          for d, v in profile[model_id].items()}
                people = TEAM if team and model_id == "cmmm" else ALONE
                for role, respondent, shift in people:
                    bias = {d: shift for d in latent}
                    if slug == "binjiang_electronics" and role == "it_lead":
                        bias.update({d: 1.3 for d in ("integration", "data", "info_security")})
                    data = {
                        "model": model_id, "respondent": respondent, "date": date,
                        "enterprise": {"name": name, "sector": sector, "size": size,
                                       "industry_type": "discrete", "region": region,
                                       "year": int(date[:4])},
                        "answers": _answers(model, latent, bias, rng),
                    }
                    fmt = "csv" if model_id == "siri" else FORMATS[role]
                    path = answers_dir / f"{slug}_{model_id}_{date}_{role}.{fmt}"
                    write_answers(answers_from_mapping(data, str(path)), path)
                    written.append(path)
            fixed = 0 if r == 0 else round(4 * max(gain, 0) + 1)
            G = _landscape(slug, name, n_systems, seed=SEED + k, fixed=fixed)
            path = land_dir / f"{slug}_{date}.yaml"
            write_landscape(G, path)
            written.append(path)
    return written


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else HERE
    print(f"wrote {len(make(target))} files under {target}")
