"""The roadmap report: one offline HTML file built from a parameterised notebook.

``maturity report ANSWERS... [--landscape FILE] [--budget B --phases K --strategy S]
[--lang en|zh] -o report.html|report.pdf|report.docx`` checks the inputs cheaply
(:func:`check_report_inputs`: reading and validating the files, nothing computed),
then executes ``notebooks/10_roadmap_report.ipynb`` (shipped in the wheel as
``maturity.notebooks``) once with nbclient, the parameters injected after its
``parameters`` cell (the papermill convention); the kernel computes everything,
once. The notebook is exported with nbconvert, code hidden, through a template
that drops the CDN scripts of the stock ``lab`` template and adds an A4 print
stylesheet. The result is checked: no ``http(s)`` resource anywhere, including
inside the graph iframes. The same executed notebook gives the PDF (headless
Chromium, :mod:`maturity.report_pdf`) and the Word file (:mod:`maturity.report_docx`).

The notebook holds calls only. The kernel computes the report's content once
(:func:`~maturity.report_context.prepare_report`, a
:class:`~maturity.report_context.ReportContext`); the sections
(:mod:`maturity.report_views`) and figures (:mod:`maturity.report_figures`) are built
from it with jinja2 templates, autoescape on, so every enterprise, system and partner
name is escaped. Every word comes from the message catalogue
(``maturity/messages/report.yaml``) in the report's language. The keyword options of
every entry point are one record, :class:`~maturity.report_options.ReportOptions`.
Every name is importable from here.
"""

from __future__ import annotations

import contextlib
import copy
import datetime as _dt
import html as _html
import re
import sys
import tempfile
import threading
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from maturity.answers import Answers
from maturity.html import check_offline
from maturity.priorities import read_target
from maturity.reference_model import load_model
from maturity.report_context import ReportContext, as_answers, prepare_report
from maturity.report_docx import notebook_to_docx
from maturity.report_options import ReportOptions, with_report_options
from maturity.report_pdf import find_chromium, html_to_pdf
from maturity.report_progress import baseline_progress
from maturity.report_views import HTML
from maturity.scoring import score
from value_chain import read_landscape
from value_chain.errors import InputError, Problem
from value_chain.safe_io import atomic_write

__all__ = ["HTML", "ReportContext", "ReportOptions", "build_report", "check_report_inputs",
           "css_string", "execute_report", "prepare_report", "report_html",
           "report_notebook_path"]

REPORT_NOTEBOOK = "10_roadmap_report.ipynb"


@with_report_options
def check_report_inputs(
    answers: list[str | Path | Answers],
    landscape: str | Path | None = None,
    **options: Any,
) -> None:
    """Read and validate every input of a report without computing anything (but the
    baseline round's match with its model's answers: same company, earlier date);
    ``options`` are those of :class:`~maturity.report_options.ReportOptions`.

    Raises :class:`~value_chain.errors.InputError` listing every problem (file, place,
    reason), so bad input fails here with a clear message, never inside the kernel.

    >>> check_report_inputs([], lang="fr")
    Traceback (most recent call last):
    ...
    value_chain.errors.InputError: ...
    """
    opts = ReportOptions(**options)
    problems = opts.problems(answers)
    paths = [p for p in [*answers, *([landscape] if landscape else []),
                         *([opts.baseline] if opts.baseline else [])]
             if not isinstance(p, Answers)]
    if opts.target_file is not None:
        paths.append(opts.target_file)
    problems += [Problem(str(p), "", "file not found") for p in paths if not Path(p).is_file()]
    if problems:
        raise InputError(problems)
    for item in answers:
        a = as_answers(item)
        load_model(a.model, source=a.source or "<answers>", where="model")
    if landscape:
        read_landscape(landscape)
    if opts.target_file is not None:
        read_target(opts.target_file)
    if opts.baseline:
        base = as_answers(opts.baseline)
        same = [as_answers(a) for a in answers if as_answers(a).model == base.model]
        baseline_progress(base, [score(load_model(a.model), a) for a in same[:1]])



# ---- notebook execution and export ---------------------------------------------


def _skip_iri_grammars() -> None:
    """Import jsonschema (which nbformat, nbclient and nbconvert validate notebooks with)
    without ``rfc3987_syntax``: when installed, jsonschema imports it eagerly and it compiles
    about 40 Earley grammars on import, 2 s of CPU per report (jsonschema issue #1428). The
    notebook schema uses no ``iri`` format, so nothing is lost here; the block is lifted
    again at once, and a process that imported either before keeps it as it was."""
    if "jsonschema" in sys.modules or "rfc3987_syntax" in sys.modules:
        return
    sys.modules["rfc3987_syntax"] = None  # type: ignore[assignment]  # import -> ImportError
    try:
        import jsonschema  # noqa: F401
    finally:
        del sys.modules["rfc3987_syntax"]


def report_notebook_path() -> Path:
    """Path of the report template notebook shipped with the package."""
    with resources.as_file(resources.files("maturity.notebooks") / REPORT_NOTEBOOK) as p:
        return Path(p)


def _inject(nb, params: dict[str, Any]):
    """Insert a cell with the parameters after the ``parameters`` cell (papermill style)."""
    import nbformat

    nb = copy.deepcopy(nb)
    index = next((i for i, c in enumerate(nb.cells)
                  if "parameters" in c.get("metadata", {}).get("tags", [])), None)
    if index is None:
        raise InputError([Problem(REPORT_NOTEBOOK, "", "no cell tagged 'parameters'")])
    source = "# Parameters injected by maturity report\n" + "\n".join(
        f"{k} = {v!r}" for k, v in params.items())
    cell = nbformat.v4.new_code_cell(source)
    cell.id = "injected-parameters"
    cell.metadata["tags"] = ["injected-parameters"]
    nb.cells.insert(index + 1, cell)
    return nb


@cache
def _exporter():
    """The HTML exporter, made once per process (its templates compile on first use)."""
    from nbconvert import HTMLExporter

    base = resources.files("maturity") / "templates" / "nbconvert"
    exporter = HTMLExporter(
        extra_template_basedirs=[str(base)],
        template_name="offline",
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        embed_images=True,
    )
    return exporter


_EXPORT = threading.Lock()  # one export at a time through the shared exporter


def _warm_exporter() -> None:
    """Import nbconvert and compile the export templates (0.4 s) on a second thread while
    the kernel computes: the calling process only waits for the kernel then."""
    import nbformat

    # a warm-up only: the real export reports any error
    with contextlib.suppress(Exception), _EXPORT:
        _exporter().from_notebook_node(nbformat.v4.new_notebook())


@with_report_options
def execute_report(
    answers: list[str | Path],
    *,
    landscape: str | Path | None = None,
    timeout: int = 600,
    word_pictures: bool = True,
    **options: Any,
):
    """Check the inputs, then execute the report notebook once; returns the notebook.
    ``options`` are those of :class:`~maturity.report_options.ReportOptions`;
    ``word_pictures=False`` leaves out the PNG copies of the landscape pictures that only
    the Word export reads (an HTML or PDF build draws them for nothing)."""
    _skip_iri_grammars()
    import nbformat
    from nbclient import NotebookClient
    from traitlets.config import Config

    opts = ReportOptions(**options)
    check_report_inputs(list(answers), landscape, **options)
    params = {
        "answers": [str(Path(p).resolve()) for p in answers],
        "landscape": str(Path(landscape).resolve()) if landscape else None,
        "target": str(Path(opts.target_file).resolve()) if opts.target_file else "next",
        "budget": opts.budget,
        "phases": opts.phases,
        "strategy": opts.strategy,
        "lang": opts.lang,
        "generated": opts.generated or _dt.datetime.now().strftime("%Y-%m-%d %H:%M"),
        "baseline": str(Path(opts.baseline).resolve()) if opts.baseline else None,
        "word_pictures": word_pictures,
        "total_budget": opts.total_budget,
        "phase_months": opts.phase_months,
        "carry_forward": opts.carry_forward,
        "max_concurrent": opts.max_concurrent,
        "revenue": opts.revenue,
    }
    nb = _inject(nbformat.read(report_notebook_path(), as_version=4), params)
    warm = threading.Thread(target=_warm_exporter, name="report-export-warm-up", daemon=True)
    warm.start()
    with tempfile.TemporaryDirectory(prefix="mmr") as work:
        # local IPC sockets instead of TCP: nothing listens on the network, and the kernel
        # has no reason to warn about unencrypted TCP on every run
        config = Config()
        config.KernelManager.transport = "ipc"
        config.KernelManager.ip = str(Path(work) / "kernel")
        # the kernel is done when the last cell is: stop it at once (a graceful shutdown
        # waited 1.5 s for nothing) and keep its cells out of the user's IPython history
        NotebookClient(nb, timeout=timeout, kernel_name="python3", config=config,
                       shutdown_kernel="immediate",
                       extra_arguments=["--HistoryManager.enabled=False"],
                       resources={"metadata": {"path": work}}).execute()
    warm.join()
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])
              if o.get("output_type") == "error"]
    if errors:  # pragma: no cover - a bug in the report, not in the input
        raise RuntimeError(f"the report notebook failed: {errors[0].get('evalue')}")
    for c in nb.cells:  # library warnings and log lines are for developers, not readers
        if c.cell_type == "code":
            c.outputs = [o for o in c.get("outputs", []) if o.get("output_type") != "stream"]
    return nb


def report_html(nb) -> str:
    """The executed report notebook as one offline HTML page."""
    title, name = _cover(nb)
    nb.metadata["title"] = f"{title} — {name}" if name else title  # the page's <title>
    nb.metadata["report_header_css"] = css_string(name or title)  # the printed header
    with _EXPORT:
        body, _ = _exporter().from_notebook_node(nb)
    return _offline(body)


@with_report_options
def build_report(
    answers: list[str | Path],
    output: str | Path,
    *,
    landscape: str | Path | None = None,
    timeout: int = 600,
    **options: Any,
) -> Path:
    """Execute the report notebook once with these parameters and write the report.

    The format follows the output's suffix: ``.html`` (one offline file), ``.pdf`` (A4,
    through headless Chromium) or ``.docx`` (Word, headings as heading styles).
    ``options`` are those of :class:`~maturity.report_options.ReportOptions`; ``baseline``
    (an earlier round's answers file, same company and model as one of ``answers``) adds
    the section "Progress since <date>".
    """
    output = Path(output)
    suffix = output.suffix.lower()
    if suffix == ".pdf":
        find_chromium()  # fail before the slow part when there is no browser
    nb = execute_report(answers, landscape=landscape, timeout=timeout,
                        word_pictures=suffix == ".docx", **options)
    if suffix == ".docx":
        return notebook_to_docx(nb, output, lang=ReportOptions(**options).lang)
    page = report_html(nb)
    if suffix == ".pdf":
        return html_to_pdf(page, output, header=_enterprise_name(nb))
    atomic_write(output, page)  # all or nothing: a failure keeps the old file
    return output


def css_string(text: str) -> str:
    r"""``text`` as a quoted CSS string that nothing in it can end: every character but
    letters, digits and spaces written as a CSS escape (``\HHHHHH``), so a name holding
    ``"``, ``\``, ``;`` or ``</style>`` stays text in the page's stylesheet.

    >>> print(css_string('ACME "A" </style>'))
    "ACME \000022A\000022 \00003c\00002fstyle\00003e"
    >>> print(css_string("江南纺机（苏州）"))
    "江南纺机\00ff08苏州\00ff09"
    """
    def keep(ch: str) -> bool:
        return ch == " " or (ch.isalnum() and (ch.isascii() or ch.isprintable()))

    return '"' + "".join(ch if keep(ch) else f"\\{ord(ch):06x}" for ch in text) + '"'


def _cover(nb) -> tuple[str, str]:
    """The report's title and enterprise name, read from the cover block it displays."""
    for c in nb.cells:
        for o in c.get("outputs", []):
            markup = o.get("data", {}).get("text/html", "")
            found = re.search(r'data-enterprise="([^"]*)">\s*<h1>([^<]*)</h1>', markup)
            if found:
                return _html.unescape(found.group(2)), _html.unescape(found.group(1))
    return "", ""


def _enterprise_name(nb) -> str:
    return _cover(nb)[1]


def _offline(page: str) -> str:
    """Check the exported page loads nothing from the network (iframes included): its
    markup only, never escaped user text (:func:`maturity.html.check_offline`)."""
    return check_offline(page, "report")
