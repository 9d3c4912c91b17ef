"""The ``maturity`` command line.

Every subcommand turns bad input into a message on stderr that names the
file, the place and the reason, and exits with status 2 (never a traceback).

Examples
--------
>>> args = build_parser().parse_args(["score", "answers.json", "--json"])
>>> args.command, args.answers, args.json
('score', ['answers.json'], True)
>>> main(["score", "missing.json"])  # bad input: a message on stderr, status 2
2
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from maturity.actions import load_catalog
from maturity.answers import read_answers
from maturity.budget_sweep import budget_sweep, parse_money, parse_sweep, plot_sweep, sweep_text
from maturity.business_case import business_case
from maturity.client_catalog import merge_client_table
from maturity.collect import collect, write_assessments
from maturity.compare import (
    compare_responses,
    comparison_to_dict,
    format_comparison,
    read_responses,
)
from maturity.consolidate import consolidate, read_and_consolidate
from maturity.datasets import list_datasets
from maturity.demo import run_demo
from maturity.evidence import add_evidence
from maturity.form import write_form
from maturity.messages import msg
from maturity.plan_calendar import phase_months_problem
from maturity.priorities import load_priority_data
from maturity.progress import progress_from_files
from maturity.questionnaire import questionnaire_dict, workbook_lang, write_workbook
from maturity.reference_model import list_models, load_model, models_frame, read_model
from maturity.report import build_report
from maturity.roadmap import plan_roadmap
from maturity.scale import write_table
from maturity.scoring import score
from value_chain import landscape_html, landscape_metrics, read_landscape
from value_chain.errors import InputError, Problem
from value_chain.safe_io import LIMITS, atomic_write, check_output

__all__ = ["main"]

EXIT_INPUT = 2


def _cmd_questionnaire(args: argparse.Namespace) -> int:
    model = load_model(args.model)
    writers = {"xlsx": write_workbook, "html": write_form}
    if args.format in writers:
        if not args.output:
            raise InputError([_problem("-o", f"a {args.format} questionnaire needs -o FILE")])
        writers[args.format](model, args.output, lang=args.lang)
        print(f"wrote {args.output}", file=sys.stderr)
        return 0
    text = json.dumps(questionnaire_dict(model), ensure_ascii=False, indent=2)
    _emit(text, args.output)
    return 0


def _cmd_score(args: argparse.Namespace) -> int:
    args.lang = args.lang or _answers_lang(args.answers[0])
    if len(args.answers) > 1 or args.override:
        return _score_several(args)
    own_model = read_model(args.model_file) if args.model_file else None
    answers = read_answers(args.answers[0], own_model)
    model = own_model or load_model(answers.model, source=answers.source, where="model")
    assessment = score(model, answers, variant=args.variant)
    lang = args.lang
    if args.landscape:
        assessment = add_evidence(assessment, read_landscape(args.landscape), lang=lang)
    if args.json:
        _emit(assessment.to_json(lang, indent=2), args.output)
    else:
        _emit(assessment.to_text(lang), args.output)
    return 0


def _answers_lang(path: str) -> str:
    """The language a questionnaire workbook was written in (``en`` for other files)."""
    return workbook_lang(path) if str(path).lower().endswith(".xlsx") else "en"


def _cmd_models(args: argparse.Namespace) -> int:
    table = models_frame(args.lang)
    if args.json:
        text = json.dumps(table.reset_index().to_dict("records"), ensure_ascii=False, indent=2)
    else:
        text = table.drop(columns=["variants"]).to_string()
        text += "".join(f"\n{k}: {', '.join(v)}" for k, v in table["variants"].items() if v)
    _emit(text, None)
    return 0


def _score_several(args: argparse.Namespace) -> int:
    """Several respondents of one company round: consolidated result and disagreements."""
    if args.model_file:
        raise InputError([_problem("--model-file", "takes one answers file")])
    result = read_and_consolidate(args.answers, args.rule, args.override)
    if args.landscape:
        result.assessment = add_evidence(result.assessment, read_landscape(args.landscape))
    if args.json:
        _emit(json.dumps(result.to_dict(args.lang), ensure_ascii=False, indent=2), args.output)
    else:
        _emit(result.assessment.to_text(args.lang) + "\n" + result.to_text(args.lang),
              args.output)
    return 0


def _cmd_collect(args: argparse.Namespace) -> int:
    result = collect(args.folders)
    for note in result.notes:
        print(f"note: {note}", file=sys.stderr)
    if result.problems:
        print(f"error: {InputError(result.problems)}", file=sys.stderr)
    write_assessments(result.table, args.output)
    t = result.table
    rounds = len(t[["company", "model", "date"]].astype(str).drop_duplicates())
    used = int((result.files["status"] == "used").sum())
    print(msg("portfolio.collected", args.lang, files=used, companies=t["company"].nunique(),
              rounds=rounds, rows=len(t)), file=sys.stderr)
    if args.scores:
        write_assessments(consolidate(t, args.rule), args.scores)
    print(f"wrote {args.output}", file=sys.stderr)
    if result.problems:
        failed = int((result.files["status"] == "failed").sum())
        print(msg("portfolio.not_used", args.lang, n=failed), file=sys.stderr)
        return EXIT_INPUT
    return 0


def _cmd_progress(args: argparse.Namespace) -> int:
    result = progress_from_files(
        args.baseline, args.followup, landscape_before=args.landscape_before,
        landscape_after=args.landscape_after, budget=args.budget, phases=args.phases,
        strategy=args.strategy, rule=args.rule)
    text = result.to_json(args.lang, indent=2) if args.json else result.to_text(args.lang)
    _emit(text, None)
    if args.output:
        atomic_write(args.output, result.to_json(args.lang, indent=2) + "\n")
        print(f"wrote {args.output}", file=sys.stderr)
    return 0


def format_assessment(assessment, lang: str = "en") -> str:
    """Plain-text summary of an assessment, one line per dimension (``Assessment.to_text``)."""
    return assessment.to_text(lang)


def _cmd_landscape(args: argparse.Namespace) -> int:
    G = read_landscape(args.file)
    metrics = landscape_metrics(G)
    if args.html:
        atomic_write(args.html, landscape_html(G))
        print(f"wrote {args.html}", file=sys.stderr)
    if args.json:
        _emit(json.dumps(metrics, ensure_ascii=False, indent=2), args.output)
    else:
        _emit(format_landscape(G, metrics), args.output)
    return 0


def format_landscape(G, metrics: dict, lang: str = "en") -> str:
    """Plain-text summary of the landscape metrics, islands and single points of failure."""
    return metrics.to_text(lang)


def _cmd_report(args: argparse.Namespace) -> int:
    problems: list = []
    calendar = _calendar_args(args, problems)
    if args.phases is not None and args.budget is None and args.total_budget is None:
        problems.append(_problem("--budget", "--phases needs --budget (per phase) or "
                                 "--total-budget"))
    if problems:
        raise InputError(problems)
    output = Path(args.output).with_suffix(".pdf") if args.pdf else args.output
    out = build_report(args.answers, output, landscape=args.landscape, target=args.target,
                       budget=args.budget, phases=args.phases or 3, strategy=args.strategy,
                       lang=args.lang, generated=_generated_at(args),
                       baseline=args.baseline, total_budget=args.total_budget,
                       revenue=args.revenue, **calendar)
    print(out)
    return 0


def _cmd_demo(args: argparse.Namespace) -> int:
    return run_demo(lang=args.lang, out_dir=Path(args.out))


def _emit(text: str, output: str | None) -> None:
    if output:
        atomic_write(output, text + "\n")  # all or nothing; the old file stays on failure
        print(f"wrote {output}", file=sys.stderr)
    else:
        sys.stdout.write(text + "\n")


def _problem(where: str, message: str):
    return Problem("<command line>", where, message)


def _cmd_datasets(args: argparse.Namespace) -> int:
    table = list_datasets()
    text = table.to_json(orient="records", indent=2) if args.json else table.to_string(index=False)
    _emit(text, None)
    return 0


def _cmd_compare(args: argparse.Namespace) -> int:
    result = compare_responses(read_responses(args.responses), by=args.by, model=args.model)
    if args.scored:
        write_table(result["scored"], args.scored)
    if args.json:
        text = json.dumps(comparison_to_dict(result, args.by), ensure_ascii=False, indent=2)
    else:
        text = format_comparison(result, args.by)
    _emit(text, args.output)
    return 0


def _money_args(args: argparse.Namespace, problems: list, *names: str) -> None:
    """Read the sums of money given as text (1.5M, 150万 ...) in place."""
    for name in names:
        text = getattr(args, name)
        if text is None:
            continue
        try:
            setattr(args, name, parse_money(text))
        except ValueError as exc:
            setattr(args, name, None)
            problems.append(_problem("--" + name.replace("_", "-"), f"{exc}; it must be >= 0"))


def _calendar_args(args: argparse.Namespace, problems: list) -> dict[str, Any]:
    """The calendar and money flags shared by ``roadmap`` and ``report``, checked with the
    flags' own names: the keyword arguments of ``plan_roadmap`` they stand for."""
    _money_args(args, problems, "budget", "total_budget", "revenue")
    if args.revenue is not None and not args.revenue > 0:
        problems.append(_problem("--revenue", "the yearly revenue must be more than 0"))
    if (why := phase_months_problem(args.phase_months)) is not None:
        problems.append(_problem("--phase-months", why))
    cap = (args.max_concurrent or "size").strip().lower()
    if cap not in ("none", "size") and (not cap.isdigit() or int(cap) < 1):
        problems.append(_problem("--max-concurrent", f"{args.max_concurrent!r} is not a whole "
                                 "number >= 1, 'none' or 'size'"))
        cap = "size"
    return {"phase_months": args.phase_months, "carry_forward": args.carry_forward,
            "max_concurrent": None if cap == "none" else "by_size" if cap == "size"
            else int(cap)}


def _add_calendar_flags(p: argparse.ArgumentParser) -> None:
    p.add_argument("--total-budget",
                   help="one budget for the whole plan, instead of --budget")
    p.add_argument("--phase-months", type=float, default=12.0,
                   help="months per phase (default 12: a budget year)")
    p.add_argument("--carry-forward", action="store_true",
                   help="money a phase leaves unspent is carried to the next")
    p.add_argument("--max-concurrent", metavar="N",
                   help="projects at once: a number, 'none', or 'size' (default: the "
                        "catalog's figure for the enterprise's size)")
    p.add_argument("--revenue",
                   help="yearly revenue, for a business case in money (else in relative terms)")


def _cmd_roadmap(args: argparse.Namespace) -> int:
    problems: list = []
    if args.phases < 1:
        problems.append(_problem("--phases", "must be 1 or more"))
    given = [f for f, v in (("--budget", args.budget), ("--total-budget", args.total_budget),
                            ("--sweep", args.sweep)) if v is not None]
    if len(given) != 1:
        problems.append(_problem("--budget", "give exactly one of --budget, --total-budget "
                                 f"and --sweep (got {', '.join(given) or 'none'})"))
    calendar = _calendar_args(args, problems)
    sweep = None
    if args.sweep is not None:
        try:
            sweep = parse_sweep(args.sweep)
        except ValueError as exc:
            problems.append(_problem("--sweep", str(exc)))
    if args.plot and not (args.sweep or args.business_case or args.revenue is not None):
        problems.append(_problem("--plot", "draws the sweep or the business case: give "
                                 "--sweep, --business-case or --revenue with it"))
    if problems:
        raise InputError(problems)
    answers = read_answers(args.answers)
    G = read_landscape(args.landscape)
    model = load_model(answers.model, source=answers.source, where="model")
    assessment = add_evidence(score(model, answers), G, lang=args.lang)
    lock = {}
    for item in args.lock or []:
        aid, _, phase = item.partition("=")
        if not phase.strip().isdigit():
            raise InputError([_problem("--lock", f"{item!r} is not ID=PHASE (e.g. erp_core=2)")])
        lock[aid.strip()] = int(phase)
    catalog = load_catalog()
    if args.costs:
        catalog = merge_client_table(catalog, args.costs)
    kw = {"target": args.target, "phases": args.phases, "strategy": args.strategy,
          "region": args.region, "force": args.force or [], "lock": lock,
          "exclude": args.exclude or [], **calendar}
    if sweep is not None:
        curve = budget_sweep(assessment, G, catalog, budgets=sweep, total=args.sweep_total, **kw)
        if args.json:
            text = json.dumps({"currency": curve.attrs["currency"],
                               "per": "total" if args.sweep_total else "phase",
                               "sweep": curve.to_dict(orient="records")},
                              ensure_ascii=False, indent=2)
        else:
            text = sweep_text(curve, args.lang)
        if args.plot:
            _save_plot(plot_sweep(curve, lang=args.lang), args.plot)
        _emit(text, args.output)
        return 0
    roadmap = plan_roadmap(assessment, G, catalog, budget_per_phase=args.budget,
                           total_budget=args.total_budget, **kw)
    case = None
    if args.business_case or args.revenue is not None:
        case = business_case(roadmap, revenue=args.revenue)
        if args.plot:
            _save_plot(case.plot(lang=args.lang), args.plot)
    if args.json:
        data = roadmap.to_dict(args.lang)
        if case is not None:
            data["business_case"] = case.to_dict(args.lang)
        text = json.dumps(data, ensure_ascii=False, indent=2)
    else:
        text = roadmap.to_text(args.lang)
        if case is not None:
            text += "\n\n" + case.to_text(args.lang)
    _emit(text, args.output)
    return 0


def _save_plot(ax, path: str) -> None:
    ax.figure.savefig(path, bbox_inches="tight", dpi=150)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="maturity",
        description="Manufacturing digital-maturity assessment and transformation planning.",
    )
    sub = parser.add_subparsers(dest="command", required=True)
    # the models and the strategies are data: list what is bundled
    models = list_models()
    strategies = list(load_priority_data().strategies)

    p = sub.add_parser("questionnaire", help="write the questionnaire of a reference model")
    p.add_argument("model", help=", ".join(models))
    p.add_argument("--lang", choices=["en", "zh"], default="en")
    p.add_argument("--format", choices=["json", "xlsx", "html"], default="json")
    p.add_argument("-o", "--output", help="output file (stdout for json if omitted)")
    p.set_defaults(func=_cmd_questionnaire)

    p = sub.add_parser("score", help="score an answers file (json, yaml, csv or xlsx); several "
                                     "files of one company round are consolidated")
    p.add_argument("answers", nargs="+", help="answers file(s): several = several respondents")
    p.add_argument("--rule", choices=["median", "min", "mean", "consensus"], default="median",
                   help="how several respondents' answers are consolidated (default median)")
    p.add_argument("--override", help="the consultant's answers file that wins (rule consensus)")
    p.add_argument("--json", action="store_true", help="print the result as JSON")
    p.add_argument("--lang", choices=["en", "zh"], default=None,
                   help="language of the output (default: the workbook's, else en)")
    p.add_argument("--variant", help="a named variant of the model's rules (see `maturity "
                                     "models`), e.g. equal_weights")
    p.add_argument("--landscape", help="IT/OT landscape file: check the answers against it")
    p.add_argument("--model-file", help="score against your own reference-model YAML")
    p.add_argument("-o", "--output")
    p.set_defaults(func=_cmd_score)

    p = sub.add_parser("models", help="list the bundled reference models")
    p.add_argument("--json", action="store_true", help="print the list as JSON")
    p.add_argument("--lang", choices=["en", "zh"], default="en")
    p.set_defaults(func=_cmd_models)

    p = sub.add_parser("landscape", help="integration metrics of an IT/OT landscape file")
    p.add_argument("file", help="landscape as .yaml, .json, .xlsx or .graphml")
    p.add_argument("--json", action="store_true", help="print the metrics as JSON")
    p.add_argument("--html", help="also write the interactive offline graph to this file")
    p.add_argument("-o", "--output")
    p.set_defaults(func=_cmd_landscape)

    p = sub.add_parser("report", help="build the report (assessment, landscape, roadmap) as "
                                      "one offline HTML file, an A4 PDF or a Word file")
    p.add_argument("answers", nargs="+", help="answers files, one per model")
    p.add_argument("--landscape", help="IT/OT landscape file")
    p.add_argument("--baseline", metavar="FILE", help="answers file of an earlier round (same "
                   "company and model): adds the section \"progress since <date>\"")
    p.add_argument("--budget", help="budget per phase, e.g. 1500000, 1.5M or 150万 (adds the "
                                    "roadmap)")
    p.add_argument("--phases", type=int, help="number of phases (default 3)")
    _add_calendar_flags(p)
    p.add_argument("--strategy", default="balanced",
                   choices=strategies)
    p.add_argument("--target", default="next", help='"next" or a target-profile file')
    p.add_argument("--lang", choices=["en", "zh"], default="en")
    p.add_argument("-o", "--output", required=True,
                   help="the file to write: .html (offline page), .pdf (A4, needs Chromium) "
                   "or .docx (Word)")
    p.add_argument("--pdf", action="store_true",
                   help="write an A4 PDF (the output's suffix becomes .pdf); needs Chromium")
    p.add_argument("--generated-at", help="timestamp printed in the report, e.g. "
                   "'2025-06-30 09:00' (default: $SOURCE_DATE_EPOCH if set, else now), so "
                   "two builds of the same input are byte-identical")
    p.set_defaults(func=_cmd_report)

    p = sub.add_parser("demo", help="run everything on the bundled example enterprise")
    p.add_argument("--lang", choices=["en", "zh"], default="en")
    p.add_argument("--out", default="out", help="folder for the files the demo writes")
    p.set_defaults(func=_cmd_demo)

    p = sub.add_parser("datasets", help="list the bundled open and synthetic datasets")
    p.add_argument("--json", action="store_true", help="print the list as JSON")
    p.set_defaults(func=_cmd_datasets)

    p = sub.add_parser("compare", help="score a responses table and compare groups")
    p.add_argument("responses", help="responses table (.csv, .csv.gz or .parquet), one row "
                   "per respondent")
    p.add_argument("--by", default="sector", help="column to group by (sector, size, region...)")
    p.add_argument("--model", default="cmmm", help="reference model the answers belong to")
    p.add_argument("--json", action="store_true", help="print the result as JSON")
    p.add_argument("--scored", help="also write the scored rows (.parquet, .csv or .csv.gz)")
    p.add_argument("-o", "--output")
    p.set_defaults(func=_cmd_compare)

    p = sub.add_parser("roadmap", help="plan a budgeted transformation roadmap")
    p.add_argument("answers", help="answers file (json, yaml, csv or xlsx)")
    p.add_argument("--landscape", required=True, help="IT/OT landscape file")
    p.add_argument("--budget", help="budget per phase (e.g. 1500000, 1.5M or 150万)")
    p.add_argument("--phases", type=int, required=True, help="number of phases")
    _add_calendar_flags(p)
    p.add_argument("--sweep", metavar="LOW:HIGH[:N]",
                   help="plan at N budgets (default 10) from LOW to HIGH, e.g. 0.5M:10M, and "
                        "print the budget against the gap levels closed")
    p.add_argument("--sweep-total", action="store_true",
                   help="with --sweep: sweep the total budget instead of the budget per phase")
    p.add_argument("--business-case", action="store_true",
                   help="add the business case (capex, opex, NPV, payback, low/high range)")
    p.add_argument("--plot", metavar="FILE.png",
                   help="save the sweep curve or the business-case figure as a picture")
    p.add_argument("--strategy", default="balanced",
                   choices=strategies)
    p.add_argument("--target", default="next", help='"next" or a target-profile file')
    p.add_argument("--region", default=None,
                   help="price level of the costs: CN (CNY, default) or EU (EUR); the budget "
                        "is in that currency")
    p.add_argument("--force", action="append", metavar="ID",
                   help="an action the plan must hold (repeatable)")
    p.add_argument("--lock", action="append", metavar="ID=PHASE",
                   help="an action the plan must hold in this phase, 1-based (repeatable)")
    p.add_argument("--exclude", action="append", metavar="ID",
                   help="an action the plan must leave out (repeatable)")
    p.add_argument("--costs", metavar="FILE",
                   help="the client's costs, durations and extra actions (CSV or xlsx; "
                        "see maturity.client_catalog)")
    p.add_argument("--json", action="store_true", help="print the roadmap as JSON")
    p.add_argument("--lang", choices=["en", "zh"], default="en")
    p.add_argument("-o", "--output")
    p.set_defaults(func=_cmd_roadmap)

    p = sub.add_parser("collect", help="collect every answers file under folders into one "
                                       "table (company x respondent x round x item)")
    p.add_argument("folders", nargs="+", help="folders (searched recursively) or files")
    p.add_argument("-o", "--output", required=True, help="the table: .csv or .parquet")
    p.add_argument("--scores", help="also write the consolidated scores per company round")
    p.add_argument("--rule", choices=["median", "min", "mean"], default="median")
    p.add_argument("--lang", choices=["en", "zh"], default="en")
    p.set_defaults(func=_cmd_collect)

    p = sub.add_parser("progress", help="compare a baseline and a follow-up round of a company")
    p.add_argument("baseline", help="answers file or folder of respondents' files (earlier)")
    p.add_argument("followup", help="answers file or folder of respondents' files (later)")
    p.add_argument("--landscape-before", help="IT/OT landscape at the baseline")
    p.add_argument("--landscape-after", help="IT/OT landscape at the follow-up")
    p.add_argument("--budget", type=float,
                   help="budget per phase in CNY: plan the baseline roadmap (needs "
                        "--landscape-before) and check which actions show their effect")
    p.add_argument("--phases", type=int, default=3)
    p.add_argument("--strategy", default="balanced",
                   choices=strategies)
    p.add_argument("--rule", choices=["median", "min", "mean"], default="median")
    p.add_argument("--json", action="store_true", help="print the result as JSON")
    p.add_argument("--lang", choices=["en", "zh"], default="en")
    p.add_argument("-o", "--output", help="also write the result as JSON to this file")
    p.set_defaults(func=_cmd_progress)

    return parser


# options that name files a command writes, and those that name files it reads
_OUTPUT_OPTIONS = {"output": "-o", "html": "--html", "scores": "--scores",
                   "scored": "--scored"}
_INPUT_OPTIONS = ("answers", "file", "landscape", "model_file", "responses", "target",
                  "override", "baseline", "followup", "folders", "landscape_before",
                  "landscape_after")


def _check_arguments(args: argparse.Namespace) -> None:
    """Refuse bad outputs and limits before any work (a report runs for half a minute).

    Every output must be a file in an existing, writable folder, and none may be one of
    the command's inputs or another output; ``--phases`` must be 1 to the limit.
    """
    inputs: list[str] = []
    for name in _INPUT_OPTIONS:
        value = getattr(args, name, None)
        values = value if isinstance(value, list) else [value]
        inputs += [str(v) for v in values if isinstance(v, str | Path) and Path(v).is_file()]
    outputs = []
    for name, option in _OUTPUT_OPTIONS.items():
        value = getattr(args, name, None)
        if isinstance(value, str | Path):
            check_output(value, inputs=inputs + outputs, option=option)
            outputs.append(str(value))
    phases = getattr(args, "phases", None)
    if phases is not None and not 1 <= phases <= LIMITS.phases:
        raise InputError([_problem("--phases", f"must be 1 to {LIMITS.phases}, got {phases}")])


def _generated_at(args: argparse.Namespace) -> str | None:
    """The report's timestamp: ``--generated-at``, else ``$SOURCE_DATE_EPOCH`` (UTC), else None.

    >>> import argparse, os
    >>> _generated_at(argparse.Namespace(generated_at="2025-06-30 09:00"))
    '2025-06-30 09:00'
    """
    given = getattr(args, "generated_at", None)
    if given:
        try:
            return dt.datetime.fromisoformat(given).strftime("%Y-%m-%d %H:%M")
        except ValueError:
            raise InputError([_problem("--generated-at", "expected a date and time such as "
                                       "'2025-06-30 09:00'")]) from None
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        try:
            moment = dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC)
        except (ValueError, OverflowError, OSError):
            raise InputError([_problem("SOURCE_DATE_EPOCH", "must be whole seconds since "
                                       "1970-01-01 UTC")]) from None
        return moment.strftime("%Y-%m-%d %H:%M")
    return None


def _warning(message, category, filename, lineno, line=None) -> str:
    return f"warning: {message}\n"


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    warnings.formatwarning = _warning  # one plain line on stderr, no source line
    try:
        _check_arguments(args)
        return args.func(args)
    except InputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_INPUT
    except RecursionError:  # a reader that missed a limit: still no traceback
        print("error: the input is nested too deeply to read", file=sys.stderr)
        return EXIT_INPUT
    except BrokenPipeError:  # pragma: no cover - e.g. piped into head
        return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
