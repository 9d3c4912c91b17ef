"""The report: computed once, one offline HTML file, plain words, both languages, Word.

Tests that build a report share one executed notebook per language (``demo_notebook``
in tests/conftest.py) and are marked ``report`` (``make test-fast`` leaves them out).
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser
from pathlib import Path

import matplotlib
import pytest

matplotlib.use("Agg")

from maturity.cli import main
from maturity.demo import example_answer_paths, example_landscape_path
from maturity.form import form_html
from maturity.messages import msg
from maturity.reference_model import list_models, load_model
from maturity.report import (
    ReportContext,
    build_report,
    check_report_inputs,
    execute_report,
    prepare_report,
)
from maturity.report_business import case_of
from value_chain import landscape_html, random_landscape, read_landscape
from value_chain.errors import InputError
from value_chain.pictures import label_boxes, plot_landscape

LANDSCAPES = Path(__file__).parents[2] / "datasets" / "landscapes"


def _references(page: str) -> list[str]:
    """Every src/href value of the page and of the pages inside its iframes' srcdoc."""
    refs = []
    for text in (page, html.unescape(page)):
        # attributes of tags (not script code); a reference ends at a quote, a space, ">"
        # or an escaped "&lt;"/"&gt;"
        refs += re.findall(r"""<[a-z]+\b[^<>]*?\s(?:src|href)\s*=\s*["']?([^"'\s>&]+)""",
                           text, re.I)
    return list(dict.fromkeys(refs))


def _loads_a_file(ref: str) -> bool:
    """True for a reference the browser would fetch (a URL or a file beside the page)."""
    return not ref.startswith(("data:", "#", "javascript:", "blob:", "about:"))


class _Text(HTMLParser):
    """The text a person reads: text nodes outside script/style, iframe pages included,
    with the tag each one sits in."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.nodes: list[tuple[str, str]] = []

    def handle_starttag(self, tag, attrs):
        if tag == "iframe":
            srcdoc = dict(attrs).get("srcdoc")
            if srcdoc:
                inner = _Text()
                inner.feed(srcdoc)
                self.nodes += inner.nodes
        if tag not in ("br", "img", "meta", "link", "input", "hr"):
            self.stack.append(tag)

    def handle_endtag(self, tag):
        while self.stack and self.stack.pop() != tag:
            pass

    def handle_data(self, data):
        if data.strip() and not {"script", "style"} & set(self.stack):
            self.nodes.append((self.stack[-1] if self.stack else "", data.strip()))


def visible_text(page: str) -> list[tuple[str, str]]:
    parser = _Text()
    parser.feed(page)
    return parser.nodes


# ---- output hygiene ------------------------------------------------------------------

LEFTOVERS = re.compile(r"object at 0x|built-in method|bound method|Traceback|\bnan\b|\bNaN\b|"
                       r"\bNone\b|\bundefined\b|\{\{|\{%")


def _option_labels() -> list[str]:
    """Answer labels of the bundled models ("None", "None used"...): words, not leftovers."""
    labels = set()
    for model_id in list_models():
        model = load_model(model_id)
        for it in model.items:
            for o in model.options(it):
                labels |= {o.label("en"), o.label("zh")}
    return sorted(labels, key=len, reverse=True)


def leftovers(texts: list[str], allowed: list[str] = ()) -> list[str]:
    out = []
    for t in texts:
        clean = t
        for label in allowed:
            clean = clean.replace(label, "")
        if LEFTOVERS.search(clean):
            out.append(t)
    return out


def _graph_texts(page: str) -> list[str]:
    """Labels and tooltips of a landscape page (the vis-network data a person reads)."""
    found = re.findall(r'"(?:label|tip)": "((?:[^"\\]|\\.)*)"', page)
    return [bytes(t, "utf-8").decode("unicode_escape", errors="replace") for t in found]


def test_hygiene_scan_catches_each_leftover():
    bad = ["<built-in method clear of dict object at 0x7f>", "score nan", "None", "{{ ui.x }}",
           "undefined", "Traceback (most recent call last)", "{% if %}", "<bound method X>"]
    assert leftovers(bad) == bad
    assert leftovers(["Nanjing", "nano", "none of them", "undefinedness"]) == []
    assert leftovers(["Answer: None"], ["None"]) == []  # an answer labelled "None" is a word


@pytest.mark.report
def test_every_page_the_package_writes_is_free_of_leftovers(demo_report, demo_report_zh,
                                                            demo_docx, demo_docx_zh):
    from docx import Document

    pages = {"report en": demo_report.read_text(encoding="utf-8"),
             "report zh": demo_report_zh.read_text(encoding="utf-8")}
    for model_id in list_models():
        for lang in ("en", "zh"):
            pages[f"form {model_id} {lang}"] = form_html(load_model(model_id), lang=lang)
    G = read_landscape(example_landscape_path())
    pages["landscape en"] = landscape_html(G)
    pages["landscape zh"] = landscape_html(G, lang="zh")
    found = {}
    allowed = _option_labels()
    for name, page in pages.items():
        texts = [t for _, t in visible_text(page)]
        texts += [a for a in re.findall(r'(?:title|placeholder|alt|aria-label)="([^"]*)"', page)]
        if name.startswith("landscape"):
            texts += _graph_texts(page)
        bad = leftovers(texts, allowed)
        if bad:
            found[name] = bad[:3]
    for name, path in (("docx en", demo_docx), ("docx zh", demo_docx_zh)):
        doc = Document(str(path))
        texts = [p.text for p in doc.paragraphs]
        texts += [c.text for t in doc.tables for row in t.rows for c in row.cells]
        bad = leftovers(texts, allowed)
        if bad:
            found[name] = bad[:3]
    assert found == {}


# ---- computed once, from the domain modules ---------------------------------------------


def test_inputs_are_checked_cheaply_with_every_problem_listed(tmp_path):
    with pytest.raises(InputError) as err:
        check_report_inputs([tmp_path / "nope.json"], tmp_path / "plant.yaml", lang="fr",
                            strategy="fastest", phases=0, budget=-1)
    text = str(err.value)
    for part in ("nope.json", "plant.yaml", "'fr'", "'fastest'", "phases", "budget"):
        assert part in text
    check_report_inputs(example_answer_paths(), example_landscape_path(), budget=1e6)


def test_build_report_scores_and_plans_only_in_the_kernel(monkeypatch, tmp_path):
    """The process that calls build_report validates; it never scores or plans."""
    import nbclient

    import maturity.report as report
    import maturity.report_context as report_context

    def boom(*a, **k):
        raise AssertionError("computed in-process")

    for name in ("score", "add_evidence", "prepare_report", "plan_roadmap"):
        monkeypatch.setattr(report_context, name, boom)
    monkeypatch.setattr(report, "prepare_report", boom)
    import maturity.roadmap as roadmap_module

    monkeypatch.setattr(roadmap_module, "plan_roadmap", boom, raising=False)
    executed = []
    monkeypatch.setattr(nbclient.NotebookClient, "execute",
                        lambda self, **k: executed.append(self.nb) or self.nb)
    nb = execute_report(example_answer_paths(), landscape=example_landscape_path(),
                        budget=1_500_000)
    assert executed == [nb]
    injected = next(c for c in nb.cells if "injected-parameters" in c.metadata.get("tags", []))
    assert "budget = 1500000" in injected.source


def _ctx(answers: dict, target, lang="en") -> ReportContext:
    from maturity.scoring import score

    a = score(load_model("cmmm"), answers)
    return ReportContext(lang=lang, assessments=[a], roadmap_model="cmmm",
                         params={"target": target})


def test_top_gaps_follow_the_priority_rules_also_for_unanswered_dimensions():
    # Level 1 everywhere except "data", which is not answered at all: the priority rules
    # count it at the lowest level (0); a target of 2 for data is the only gap (2 levels).
    model = load_model("cmmm")
    answers = {it.id: "fully" for it in model.items
               if ".L1." in it.id and it.dimension != "data"}
    gaps = _ctx(answers, {"data": 2}).top_gaps()
    assert [(g["dimension"], g["current"], g["target"]) for g in gaps] == [("data", 0, 2)]
    assert "2 levels below the target" in gaps[0]["why"]


def test_landscape_after_the_roadmap_is_asked_of_the_roadmap():
    after = object()

    class Plan:
        def landscape_at(self, G, phase=None):
            return after if G == "G" and phase is None else None

    ctx = ReportContext(lang="en", assessments=[], G="G", roadmap=Plan())
    assert ctx.landscape_after() is after


@pytest.mark.report
def test_the_kernel_does_not_warn_about_tcp(capfd, tmp_path):
    out = build_report(example_answer_paths()[:1], tmp_path / "r.html")
    assert out.is_file()
    assert "without encryption" not in capfd.readouterr().err


# ---- the HTML report -----------------------------------------------------------------


def test_the_offline_check_sees_remote_and_local_files():
    page = '<img src="data:image/png;base64,AA"><iframe srcdoc="&lt;script src=//cdn.x/a.js&gt;">'
    assert [r for r in _references(page) if _loads_a_file(r)] == ["//cdn.x/a.js"]
    assert [r for r in _references("<img src=x>") if _loads_a_file(r)] == ["x"]


@pytest.mark.report
def test_report_is_one_offline_file(demo_report):
    page = demo_report.read_text(encoding="utf-8")
    refs = _references(page)
    assert any(r.startswith("data:image/") for r in refs)  # the figures are inline
    assert [r for r in refs if _loads_a_file(r)] == []
    assert "require.js" not in page and "MathJax.js" not in page
    assert page.count("<iframe") == 2  # landscape before and after
    assert 'loading="lazy"' not in page  # lazy frames stay blank until scrolled to
    size = demo_report.stat().st_size
    assert size < 5 * 1024 * 1024, f"report is {size / 1e6:.1f} MB"


@pytest.mark.report
def test_report_content(demo_report):
    page = demo_report.read_text(encoding="utf-8")
    headings = re.findall(r"<h2[^>]*>([^<]*)</h2>", page)
    assert headings == ["Executive summary", "Maturity profile", "IT/OT landscape",
                        "Self-assessment against the evidence", "Transformation roadmap",
                        "Landscape before and after the roadmap", "Appendix: every answer"]
    assert "13 information islands remain" in page
    assert "江南纺机有限公司" in page
    assert "def " not in page and "prepare_report(" not in page  # code is hidden
    # radar, profiles, Gantt, trajectory, business case as PNG; the two landscapes as SVG
    # (PNG for Word)
    assert len(re.findall(r'<img[^>]+src="data:image/png;base64', page)) == 5
    assert len(re.findall(r'<img[^>]+src="data:image/svg\+xml;base64', page)) == 2
    captions = re.findall(r"<figcaption>([^<]*)</figcaption>", page)
    assert "Figure: the IT/OT landscape today (before the roadmap)." in captions
    assert "Figure: the IT/OT landscape after phase 3 (the whole roadmap)." in captions
    assert len(captions) == 6
    assert "Business case" in re.findall(r"<h3[^>]*>([^<]*)</h3>", page)


@pytest.mark.report
def test_the_summary_comes_first_in_plain_words(demo_report):
    page = demo_report.read_text(encoding="utf-8")
    summary = page[page.index('id="summary"'):page.index('id="profile"')]
    words = " ".join(t for _, t in visible_text(summary))
    # one headline per model on its own scale, with what the level means
    assert "CMMM (GB/T 39116): level 1 of 5 (Planning)." in words
    assert "EU Digital Maturity Assessment: 31 of 100 points" in words
    assert words.count("The actions that close it") + words.count("levels below") >= 3
    assert re.search(r"\d+ actions in 3 phases, about [\d,]+ CNY and \d+ months in total", words)
    assert "Information islands: 13 now" in words
    # no solver terms, no snake_case identifiers
    for term in ("milp", "greedy", "objective", "solver", "HiGHS"):
        assert term.lower() not in words.lower()
    assert not re.findall(r"\b[a-z]+_[a-z_]+\b", words)
    # nothing said twice
    items = re.findall(r"<li>(.*?)</li>", summary, re.S)
    assert len(items) == len(set(items))


def test_headline_states_the_level_on_the_model_scale():
    from maturity.scoring import score

    model = load_model("cmmm")
    a = score(model, {it.id: "fully" for it in model.items if ".L1." in it.id or ".L2." in it.id})
    ctx = ReportContext(lang="zh", assessments=[a])
    level = next(lv for lv in model.levels if lv.value == a.level)
    assert a.coverage < 1
    # blanks above level 2 could all be met: provisional 2-5, said inside the level
    assert a.provisional and tuple(a.level_range) == (2, 5)
    assert ctx.headline(a) == (f"智能制造能力成熟度（GB/T 39116）：等级 {a.level}/5（"
                               f"{level.name.zh}；暂定：2-5；已答 {a.coverage:.0%}）。"
                               f"{level.description.zh}")


def test_same_inputs_same_report_apart_from_timestamp(demo_report, tmp_path):
    again = build_report(example_answer_paths(), tmp_path / "again.html",
                         landscape=example_landscape_path(), budget=1_500_000, phases=3,
                         generated="2027-12-31 23:59")
    a = demo_report.read_text(encoding="utf-8").replace("2026-01-01 00:00", "TIME")
    b = again.read_text(encoding="utf-8").replace("2027-12-31 23:59", "TIME")
    # the shared demo notebook also serves the Word tests: it carries the PNG copies of
    # the landscape pictures, which an HTML build leaves out
    assert a.count(" data-docx=") == 2 and " data-docx=" not in b
    assert re.sub(r' data-docx="[^"]*"', "", a) == b


def test_user_text_is_escaped_everywhere(hostile_report):
    page = hostile_report.read_text(encoding="utf-8")
    # outside the iframes: the fragment appears only escaped
    outer = re.sub(r'<iframe srcdoc="[^"]*"', "<iframe", page)
    assert "<script>window.__pwned" not in outer and "<img src=x" not in outer
    assert "&lt;script&gt;window.__pwned=1&lt;/script&gt;" in outer
    # inside the iframes (srcdoc is itself escaped once): still never raw markup
    for srcdoc in re.findall(r'<iframe srcdoc="([^"]*)"', page):
        inner = html.unescape(srcdoc)
        assert "<script>window.__pwned" not in inner
        assert "<img src=x" not in inner


@pytest.mark.report
def test_chinese_report(demo_report_zh):
    page = demo_report_zh.read_text(encoding="utf-8")
    headings = re.findall(r"<h2[^>]*>([^<]*)</h2>", page)
    assert headings[:2] == ["摘要", "成熟度画像"]
    assert "阶段合计" in page and "附录：全部答卷" in page
    ctx = prepare_report(example_answer_paths()[:1], lang="zh")
    assert str(ctx.note("no_roadmap")) == ('<div class="report"><p class="muted">'
                                           "未提供预算，路线图从略。</p></div>")


def test_prepare_report_without_landscape_or_budget():
    ctx = prepare_report(example_answer_paths()[:1])
    assert ctx.G is None and ctx.roadmap is None
    summary = ctx.summary().markup
    assert "Executive summary" not in summary  # headings come separately
    # one headline per model and the three gaps that matter most; no plan, no findings
    assert summary.count("<li>") == 1 + 3
    assert "stage 1 of 6 (Computerisation)" in summary or "stage 1 of 5" in summary


# ---- figures: localised, integer levels, no overlaps ------------------------------------

_STANDARD = {"GB/T", "ISA-95", "ERP", "MES", "IT", "OT", "IT/OT", "PLC", "PLM", "WMS", "SCADA",
             "CNC", "CAD", "APS", "OEE", "L0", "L1", "L2", "L3", "L4", "SIRI", "CMMM"}


def _latin_words(text: str) -> set[str]:
    return set(re.findall(r"[A-Za-z][A-Za-z0-9/\-]*", text))


def _figure_texts(fig) -> list[str]:
    from matplotlib.text import Text

    fig.canvas.draw()
    return [t.get_text() for t in fig.findobj(Text) if t.get_text().strip()]


@pytest.mark.slow  # plans a roadmap in-process
def test_chinese_figures_have_only_chinese_labels_and_user_names():
    from maturity.plotting import cjk_font

    if cjk_font() is None:
        pytest.skip("no CJK font: figures fall back to English")
    ctx = prepare_report(example_answer_paths(), example_landscape_path(), budget=1_500_000,
                         lang="zh", generated="2026-01-01 00:00")
    G = ctx.G
    user = set()
    for _, attrs in G.nodes(data=True):
        user |= _latin_words(str(attrs.get("name", "")))
    user |= _latin_words(str(G.graph.get("enterprise", {}).get("name", "")))
    for action in ctx.roadmap.actions:
        user |= _latin_words(action.name("zh"))  # catalogue names keep their codes (ERP ...)
    figures = {"radar": ctx.plot_radar(), "profiles": ctx.plot_profiles(),
               "gantt": ctx.plot_gantt(), "trajectory": ctx.plot_trajectory(),
               "business case": case_of(ctx).plot(lang="zh").figure,
               "landscape": plot_landscape(G, lang="zh").figure}
    stray = {}
    for name, fig in figures.items():
        words = set().union(*(_latin_words(t) for t in _figure_texts(fig))) - user - _STANDARD
        words = {w for w in words if not re.fullmatch(r"[\d.,%/-]+", w)}
        if words:
            stray[name] = sorted(words)
    assert stray == {}


@pytest.mark.slow  # plans a roadmap in-process
def test_english_figures_have_no_chinese_but_user_names():
    ctx = prepare_report(example_answer_paths(), example_landscape_path(), budget=1_500_000,
                         generated="2026-01-01 00:00")
    G = ctx.G
    cjk = re.compile(r"[\u2e80-\u9fff\uf900-\uffef]+")
    user = set()
    for _, attrs in G.nodes(data=True):
        user |= set(cjk.findall(str(attrs.get("name", ""))))
    user |= set(cjk.findall(str(G.graph.get("enterprise", {}).get("name", ""))))
    figures = {"radar": ctx.plot_radar(), "profiles": ctx.plot_profiles(),
               "gantt": ctx.plot_gantt(), "trajectory": ctx.plot_trajectory(),
               "business case": case_of(ctx).plot().figure,
               "landscape": plot_landscape(G).figure}
    stray = {name: runs for name, fig in figures.items()
             if (runs := {r for t in _figure_texts(fig) for r in cjk.findall(t)} - user)}
    assert stray == {}


@pytest.mark.slow  # plans a roadmap in-process
def test_trajectory_draws_whole_levels():
    ctx = prepare_report(example_answer_paths()[1:2], example_landscape_path(),
                         budget=1_500_000)
    fig = ctx.plot_trajectory()
    values = [v for ax in fig.axes for line in ax.lines for v in line.get_ydata()
              if line.get_marker() == "o"]
    assert values and all(float(v).is_integer() for v in values)
    traj = ctx.roadmap.trajectory()
    moving = traj[traj[traj.columns[-2]] > traj[0]]
    assert len([ax for ax in fig.axes if ax.lines]) == len(moving)


def test_profile_shows_target_and_sector_median():
    ctx = prepare_report(example_answer_paths()[1:2])  # cmmm only
    fig = ctx.plot_profiles()
    labels = [t.get_text() for ax in fig.axes if ax.get_legend()
              for t in ax.get_legend().get_texts()]
    assert sorted(labels) == ["current", "sector median", "target"]
    titles = [ax.get_title(loc="left") for ax in fig.axes if ax.get_visible()]
    assert titles == ["CMMM (GB/T 39116)"]


@pytest.mark.parametrize("source", [*sorted(p.name for p in LANDSCAPES.glob("*.yaml")),
                                    "random-60", "random-150"])
def test_landscape_labels_never_overlap(source):
    G = (random_landscape(int(source.split("-")[1]), seed=3) if source.startswith("random")
         else read_landscape(LANDSCAPES / source))
    boxes = list(label_boxes(G).values())
    overlaps = [(a, b) for i, a in enumerate(boxes) for b in boxes[i + 1:]
                if a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]]
    assert overlaps == []


def test_label_check_sees_an_overlap(monkeypatch):
    import value_chain.picture_layout as pictures  # where label_boxes reads SLOT_PX

    G = random_landscape(20, seed=3)
    monkeypatch.setattr(pictures, "SLOT_PX", 30)  # places narrower than the names
    boxes = list(pictures.label_boxes(G).values())
    assert any(a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]
               for i, a in enumerate(boxes) for b in boxes[i + 1:])


def test_legends_list_what_is_drawn_and_nothing_else():
    from value_chain import landscape_from_dict

    G = landscape_from_dict({"systems": [{"id": "erp", "name": "ERP", "type": "ERP"},
                                         {"id": "crm", "name": "CRM", "type": "CRM"}],
                             "links": [{"source": "erp", "target": "crm", "mode": "batch"}]})
    ax = plot_landscape(G)
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["IT system", "batch link"]
    legend = re.search(r'<div class="vc-legend"[^>]*>(.*?)</div>', landscape_html(G)).group(1)
    assert "IT system" in legend and "batch link" in legend
    for absent in ("OT system", "partner", "real-time", "manual", "single point"):
        assert absent not in legend


def test_partners_have_their_own_row_and_names_stay_in_any_language():
    G = read_landscape(example_landscape_path())
    ax = plot_landscape(G, lang="zh")
    drawn = "".join(t.get_text() for t in ax.texts).replace("\n", "").replace(" ", "")
    for _, attrs in G.nodes(data=True):  # every name as the user wrote it (wrapped)
        assert attrs["name"].replace(" ", "") in drawn
    assert msg("picture.lane.partners", "zh") == ax.get_yticklabels()[0].get_text()
    assert "江南纺机有限公司" in ax.get_title()


# ---- Word -----------------------------------------------------------------------------


@pytest.mark.report
def test_word_file_holds_summary_roadmap_and_every_figure(demo_docx, demo_report):
    from docx import Document

    doc = Document(str(demo_docx))
    heads = [p.text for p in doc.paragraphs if p.style.name == "Heading 1"]
    assert heads == ["Executive summary", "Maturity profile", "IT/OT landscape",
                     "Self-assessment against the evidence", "Transformation roadmap",
                     "Landscape before and after the roadmap", "Appendix: every answer"]
    assert [p.text for p in doc.paragraphs if p.style.name == "Title"] == [
        "Digital maturity and transformation roadmap"]
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "The three gaps that matter most" in text and "CMMM (GB/T 39116): level 1 of 5" in text
    roadmap = next(t for t in doc.tables if t.rows[0].cells[1].text == "Action")
    assert [c.text for c in roadmap.rows[0].cells] == [
        "Phase", "Action", "Focus", "Cost (CNY)", "Months", "What it does"]
    page = demo_report.read_text(encoding="utf-8")
    # the radar, profiles, Gantt, trajectory, business case, 2 maps
    figures = len(re.findall(r"<figure", page))
    assert len(doc.inline_shapes) == figures == 7
    case = next(t for t in doc.tables if t.rows[0].cells[0].text == "Case")
    assert [r.cells[0].text for r in case.rows[1:]] == ["Low case", "Mid case", "High case"]


def test_cli_report_bad_input(tmp_path, capsys):
    assert main(["report", "nope.json", "-o", str(tmp_path / "r.html")]) == 2
    assert "nope.json" in capsys.readouterr().err
    assert main(["report", str(example_answer_paths()[0]), "--phases", "2",
                 "-o", str(tmp_path / "r.html")]) == 2
    assert "--phases needs --budget" in capsys.readouterr().err


def test_cli_pdf_without_chromium_says_so(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))  # no chromium on this PATH
    monkeypatch.delenv("MATURITY_CHROMIUM", raising=False)
    assert main(["report", str(example_answer_paths()[0]), "--pdf",
                 "-o", str(tmp_path / "r.html")]) == 2
    err = capsys.readouterr().err
    assert "Chromium" in err and "apt-get install chromium" in err
    assert not (tmp_path / "r.pdf").exists()


def _hand_made_cmmm(tmp_path: Path) -> Path:
    """CMMM answers: levels 1-2 fully everywhere, one level-3 item fully, the other
    level-3+ items blank (provisional), and customer service's level-1 item "not" while
    its level-2 item is "fully" (gated at level 1)."""
    import yaml

    model = load_model("cmmm")
    answers = {it.id: "fully" for it in model.items if ".L1." in it.id or ".L2." in it.id}
    answers["org_strategy.L3.1"] = "fully"
    answers["customer_service.L1.1"] = "not"
    data = {"model": "cmmm", "enterprise": {"name": "Hand <made> Co.", "size": "small",
                                            "industry_type": "discrete"},
            "answers": answers}
    path = tmp_path / "cmmm_hand.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_provisional_level_and_gated_dimension_are_said_in_the_report(tmp_path, lang):
    ctx = prepare_report([_hand_made_cmmm(tmp_path)], lang=lang)
    a = ctx.assessments[0]
    # hand-worked: levels 1-2 met (customer service aside, which only weighs in its
    # score), level 3 blank but for one item -> level 2 if the blanks fail, 5 if they pass
    assert (a.level, a.provisional, tuple(a.level_range)) == (2, True, (2, 5))
    share = f"{a.coverage:.0%}"
    summary = str(ctx.summary())
    if lang == "en":
        assert f"level 2 of 5 (Standardised; provisional: 2-5; {share} answered)" in summary
    else:
        assert f"等级 2/5（规范级；暂定：2-5；已答 {share}）" in summary
    if lang == "zh":
        assert "provisional" not in summary
    profile = str(ctx.profile_table())
    notes = re.findall(r"<li>(.*?)</li>", profile)
    assert len(notes) == 1  # customer service only
    if lang == "en":
        assert "Customer service: level 0 because level 1 is not met" in notes[0]
    else:
        assert "客户服务：等级为 0，原因是第 1 级要求未满足" in notes[0]


def test_a_complete_answer_has_no_provisional_words_nor_notes():
    ctx = prepare_report(example_answer_paths()[1:2])  # cmmm, fully answered, no gating
    a = ctx.assessments[0]
    assert not a.provisional and not any(d.reason for d in a.dimensions)
    assert "provisional" not in str(ctx.summary())
    assert "dimension-notes" not in str(ctx.profile_table())


@pytest.mark.slow  # plans a roadmap in-process
def test_roadmap_html_has_no_solver_words():
    from maturity.roadmap import plan_roadmap

    ctx = prepare_report(example_answer_paths()[1:2], example_landscape_path(),
                         budget=1_500_000, phases=2)
    r = ctx.roadmap or plan_roadmap(ctx.assessments[0], read_landscape(
        example_landscape_path()), budget_per_phase=1_500_000, phases=2)
    for lang in ("en", "zh"):
        page = r.to_html(lang)
        assert "<table>" in page
        for word in ("milp", "greedy", "objective", "目标值", "贪心", r.solver):
            assert word not in page, word


def _baseline_cmmm(tmp_path: Path) -> Path:
    """The example CMMM answers one round earlier (dated 2024-03-01): every data item
    "not"; the rest as now."""
    import yaml

    src = next(p for p in example_answer_paths() if p.stem == "cmmm")
    data = yaml.safe_load(src.read_text(encoding="utf-8"))
    data["date"] = "2024-03-01"
    data["answers"] = {k: ("not" if k.startswith("data.") else v)
                       for k, v in data["answers"].items()}
    path = tmp_path / "cmmm_2024.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def _progress_rows(page: str, name: str) -> list[str]:
    row = re.search(rf"<tr><td>{re.escape(html.escape(name))}</td>(.*?)</tr>", page)
    return re.findall(r"<td>(.*?)</td>", row.group(1))


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_progress_section_from_a_baseline_round(tmp_path, lang):
    now = next(p for p in example_answer_paths() if p.stem == "cmmm")
    ctx = prepare_report([now], baseline=_baseline_cmmm(tmp_path), lang=lang)
    page = str(ctx.progress_section())
    heading = re.findall(r"<h2[^>]*>([^<]*)</h2>", page)
    assert heading == (["Progress since 2024-03-01"] if lang == "en"
                       else ["自 2024-03-01 以来的进展"])
    # hand-worked, data: then every item "not" -> level 0, score 0; now L1.1 fully and
    # L2.1/L2.2 partly -> level 1, score 1.5 (1 + the two halves of level 2 averaged)
    name = "Data" if lang == "en" else "数据"
    assert load_model("cmmm").dimension("data").name(lang) == name
    assert _progress_rows(page, name) == ["0", "1", "+1", "0.00", "1.50", "+1.50"]
    # unchanged answers, unchanged rows
    other = load_model("cmmm").dimension("org_strategy").name(lang)
    before, after, change = _progress_rows(page, other)[:3]
    assert before == after and change == "0"
    assert prepare_report([now], lang=lang).progress is None


def test_baseline_of_another_company_is_refused_before_the_kernel(tmp_path):
    import yaml

    path = _baseline_cmmm(tmp_path)
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["enterprise"]["name"] = "Another Co."
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    now = next(p for p in example_answer_paths() if p.stem == "cmmm")
    with pytest.raises(InputError, match="not the same company"):
        build_report([now], tmp_path / "r.html", baseline=path)
    with pytest.raises(InputError, match="file not found"):
        build_report([now], tmp_path / "r.html", baseline=tmp_path / "missing.yaml")


@pytest.mark.report
def test_cli_report_with_baseline_has_the_progress_section(tmp_path, capsys):
    # one small build: one model, no landscape, no roadmap. Without --baseline the
    # section is absent (test_report_content checks the demo report's headings).
    now = next(p for p in example_answer_paths() if p.stem == "cmmm")
    out = tmp_path / "r.html"
    assert main(["report", str(now), "--baseline", str(_baseline_cmmm(tmp_path)),
                 "-o", str(out), "--generated-at", "2026-01-01 00:00"]) == 0
    page = out.read_text(encoding="utf-8")
    assert "Progress since 2024-03-01" in re.findall(r"<h2[^>]*>([^<]*)</h2>", page)
    assert _progress_rows(page, "Data") == ["0", "1", "+1", "0.00", "1.50", "+1.50"]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_not_applicable_dimension_is_noted_under_the_profile(lang):
    from maturity.scoring import score

    model = load_model("cmmm")
    answers = {it.id: ("not_applicable" if it.dimension == "product_service" else "fully")
               for it in model.items}
    a = score(model, {"model": "cmmm", "enterprise": {"name": "X", "industry_type": "discrete"},
                      "answers": answers})
    ctx = ReportContext(lang=lang, assessments=[a])
    # everything else fully met: level 5, not provisional, one note (product service)
    assert (a.level, a.provisional) == (5, False)
    notes = re.findall(r"<li>(.*?)</li>", str(ctx.profile_table()))
    name = model.dimension("product_service").name(lang)
    word = "not applicable" if lang == "en" else "不适用"
    assert len(notes) == 1 and name in notes[0] and word in notes[0]


def test_only_a_word_export_draws_the_png_copies_of_the_landscape(monkeypatch, tmp_path):
    """The PNG copy of each landscape picture is read by the Word export only: the kernel
    draws it for .docx, not for .html or .pdf (it costs what the SVG costs)."""
    import nbclient

    from maturity.report import build_report

    injected = []
    monkeypatch.setattr(nbclient.NotebookClient, "execute",
                        lambda self, **k: injected.append(next(
                            c.source for c in self.nb.cells
                            if "injected-parameters" in c.metadata.get("tags", []))) or self.nb)
    for suffix in (".html", ".docx"):
        build_report(example_answer_paths()[:1], tmp_path / f"r{suffix}", budget=1_500_000)
    assert ["word_pictures = False" in s for s in injected] == [True, False]
    assert "word_pictures = True" in injected[1]
    answers = example_answer_paths()[:1]
    for word in (True, False):
        ctx = prepare_report(answers, example_landscape_path(), word_pictures=word)
        markup = str(ctx.landscape_graph())
        assert ('data-docx="data:image/png;base64,' in markup) is word
        assert 'src="data:image/svg+xml;base64,' in markup
