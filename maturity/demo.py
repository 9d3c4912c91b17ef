"""``maturity demo``: the main job, end to end, on the bundled example enterprise.

The example is a fictional textile-machinery SME (``textile_machinery_sme``):
its answers to every bundled reference model and its IT/OT landscape ship in
``datasets/`` (the ``maturity.data`` package).
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from maturity.answers import Answers, read_answers
from maturity.evidence import add_evidence
from maturity.messages import msg
from maturity.planner import plan_roadmap
from maturity.priorities import load_priority_data
from maturity.reference_model import list_models, load_model
from maturity.report import build_report
from maturity.scoring import score
from value_chain import landscape_metrics, read_landscape

__all__ = [
    "EXAMPLE",
    "example_answer_paths",
    "example_answers",
    "example_landscape_path",
    "run_demo",
]

EXAMPLE = "textile_machinery_sme"
EXAMPLES = ("textile_machinery_sme", "apparel_c2b", "petrochemical_plant", "electronics_assembler",
            "auto_parts_stamping")


def _data():
    return resources.files("maturity.data")


def example_answers(model_id: str, enterprise: str = EXAMPLE) -> Answers:
    """The bundled answers of an example enterprise to one model.

    >>> example_answers("siri").enterprise.industry_type
    'discrete'
    """
    with resources.as_file(_data() / "answers" / enterprise / f"{model_id}.yaml") as path:
        return read_answers(path)


def example_answer_paths(enterprise: str = EXAMPLE) -> list[Path]:
    """Paths of the bundled answers files of an example enterprise, one per model."""
    paths = []
    for model_id in list_models():
        with resources.as_file(_data() / "answers" / enterprise / f"{model_id}.yaml") as path:
            paths.append(Path(path))
    return paths


def example_landscape_path(enterprise: str = EXAMPLE) -> Path:
    """Path of the bundled landscape file of an example enterprise."""
    with resources.as_file(_data() / "landscapes" / f"{enterprise}.yaml") as path:
        return Path(path)


BUDGET = 1_500_000  # CNY per phase
PHASES = 3
STRATEGY = "balanced"


def run_demo(*, lang: str = "en", out_dir: Path = Path("out")) -> int:
    """Print the example SME's assessment against every model, its landscape, the flags and
    the roadmap; write the offline HTML report to ``out_dir`` and print its path."""
    G = read_landscape(example_landscape_path())
    name = G.graph.get("enterprise", {}).get("name", EXAMPLE)
    rule = "=" * 78
    print(rule)
    print(msg("demo.example_enterprise", lang, name=name))
    print(rule)
    for model_id in list_models():
        model = load_model(model_id)
        assessment = add_evidence(score(model, example_answers(model_id)), G, lang=lang)
        print(assessment.to_text(lang))
        print()
    print(rule)
    print(msg("demo.landscape", lang))
    print(rule)
    print(landscape_metrics(G).to_text(lang))
    out_dir.mkdir(parents=True, exist_ok=True)
    print(rule)
    strategy = load_priority_data().strategies[STRATEGY].name(lang)
    print(msg("demo.roadmap", lang, budget=f"{BUDGET:,}", phases=PHASES, strategy=strategy))
    print(rule)
    cmmm = add_evidence(score(load_model("cmmm"), example_answers("cmmm")), G, lang=lang)
    print(plan_roadmap(cmmm, G, budget_per_phase=BUDGET, phases=PHASES,
                       strategy=STRATEGY).to_text(lang))
    print(msg("portfolio.demo_hint", lang))  # several respondents, rounds, a portfolio
    print(rule)
    report = build_report(example_answer_paths(), out_dir / f"report_{EXAMPLE}_{lang}.html",
                          landscape=example_landscape_path(), budget=BUDGET, phases=PHASES,
                          strategy=STRATEGY, lang=lang)
    print(msg("demo.report_written", lang, path=report.resolve()))
    return 0
