"""``maturity demo``: the main job, end to end, on the bundled example enterprise.

The example is a fictional textile-machinery SME (``textile_machinery_sme``):
its answers to every bundled reference model and its IT/OT landscape ship in
``datasets/`` (the ``maturity.data`` package).
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from maturity.answers import Answers, read_answers
from maturity.reference_model import list_models, load_model

__all__ = [
    "EXAMPLE",
    "example_answer_paths",
    "example_answers",
    "example_landscape_path",
    "run_demo",
]

EXAMPLE = "textile_machinery_sme"
EXAMPLES = ("textile_machinery_sme", "apparel_c2b", "petrochemical_plant", "electronics_assembler")


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


def run_demo(*, lang: str = "en", out_dir: Path = Path("out")) -> int:
    """Print the example SME's assessment against every model, its landscape, the flags and
    the roadmap; write the offline HTML report to ``out_dir`` and print its path."""
    from maturity.cli import format_assessment, format_landscape
    from maturity.evidence import add_evidence
    from maturity.scoring import score
    from value_chain import landscape_metrics, read_landscape

    G = read_landscape(example_landscape_path())
    name = G.graph.get("enterprise", {}).get("name", EXAMPLE)
    rule = "=" * 78
    print(rule)
    print(f"Example enterprise: {name}" if lang == "en" else f"示例企业：{name}")
    print(rule)
    for model_id in list_models():
        model = load_model(model_id)
        assessment = add_evidence(score(model, example_answers(model_id)), G, lang=lang)
        print(format_assessment(assessment, lang))
        print()
    print(rule)
    print("IT/OT landscape" if lang == "en" else "IT/OT 系统架构")
    print(rule)
    print(format_landscape(G, landscape_metrics(G), lang))
    out_dir.mkdir(parents=True, exist_ok=True)
    from maturity.roadmap import plan_roadmap

    print(rule)
    print("Roadmap: 1,500,000 CNY per phase, 3 phases, balanced" if lang == "en"
          else "转型路线图：每阶段 1,500,000 元，3 个阶段，均衡推进")
    print(rule)
    cmmm = add_evidence(score(load_model("cmmm"), example_answers("cmmm")), G, lang=lang)
    print(plan_roadmap(cmmm, G, budget_per_phase=1_500_000, phases=3,
                       strategy="balanced").to_text(lang))
    print(rule)
    from maturity.report import build_report

    report = build_report(example_answer_paths(), out_dir / f"report_{EXAMPLE}_{lang}.html",
                          landscape=example_landscape_path(), budget=1_500_000, phases=3,
                          strategy="balanced", lang=lang)
    print(("Report written to " if lang == "en" else "报告已生成：") + str(report.resolve()))
    return 0
