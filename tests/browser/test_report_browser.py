"""The demo report in headless Chromium with the network blocked: drawn, localised, printed."""

from __future__ import annotations

import re
import unicodedata

import pytest
import yaml

from maturity.demo import example_answer_paths, example_landscape_path
from maturity.reference_model import list_models, load_model
from value_chain import random_landscape
from value_chain.pictures import LABEL_PX, landscape_html

from .conftest import CHROMIUM, remote_requests

CANVAS_INK = """() => {
  const c = document.querySelector('canvas');
  if (!c) return -1;
  const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
  let n = 0;
  for (let i = 3; i < d.length; i += 4) { if (d[i] > 0) n++; }
  return n;
}"""

ALL_IN_VIEW = """() => {
  const c = document.querySelector('canvas'), w = c.clientWidth, h = c.clientHeight;
  return Object.values(network.getPositions()).every(p => {
    const d = network.canvasToDOM(p);
    return d.x >= 0 && d.x <= w && d.y >= 0 && d.y <= h;
  });
}"""

TEXT_NODES = """() => {
  const out = [];
  const walk = document.createTreeWalker(document.documentElement, NodeFilter.SHOW_TEXT);
  while (walk.nextNode()) {
    const n = walk.currentNode, p = n.parentElement;
    if (!p || ['SCRIPT', 'STYLE'].includes(p.tagName)) continue;
    const t = n.textContent.trim();
    if (t) out.push([p.tagName, t]);
  }
  for (const a of ['title', 'alt', 'placeholder', 'aria-label']) {
    document.querySelectorAll('[' + a + ']').forEach(e => out.push(['@' + a, e.getAttribute(a)]));
  }
  return out;
}"""

CJK = re.compile(r"[\u2e80-\u9fff\uf900-\uffef]+")
# standard codes are upper case (ERP, MES, GB/T, ISA-95, CAD/PDM, 5G, C2B ...); these few are not
MIXED_CASE_CODES = {"IPv6", "Wi-Fi", "Ecode", "Handle", "Mbit/s"}  # and one unit symbol


def _graph_frames(page):
    return [f for f in page.frames if f != page.main_frame]


# fields a user writes in their own words; codes (sector, size, type, mode ...) are not
FREE_TEXT = {"name", "vendor", "version", "notes", "protocol", "data", "site", "owner",
             "location", "region", "comments"}


def _strings(data, free: bool = False) -> list[str]:
    if isinstance(data, dict):
        return [s for k, v in data.items() for s in _strings(v, free or k in FREE_TEXT)]
    if isinstance(data, list):
        return [s for v in data for s in _strings(v, free)]
    return [str(data)] if free and isinstance(data, str) else []


def _user_strings() -> list[str]:
    """Everything the user wrote in free text: names, notes, protocols, comments..."""
    out = _strings(yaml.safe_load(example_landscape_path().read_text(encoding="utf-8")))
    for path in example_answer_paths():
        out += _strings(yaml.safe_load(path.read_text(encoding="utf-8")))
    return out


def _latin(text: str) -> set[str]:
    return set(re.findall(r"[A-Za-z0-9][A-Za-z0-9_/\-+.]*[A-Za-z0-9]|[A-Za-z]", text))


def _standard_code(word: str) -> bool:
    return word in MIXED_CASE_CODES or not re.search(r"[a-z]", word)


def _page_text(page) -> list[tuple[str, str]]:
    nodes = []
    for frame in page.frames:
        nodes += [tuple(n) for n in frame.evaluate(TEXT_NODES)]
    return nodes


@pytest.mark.slow
def test_demo_report_offline_no_errors_graphs_drawn_without_scrolling(demo_report, offline_page,
                                                                      artifacts):
    page = offline_page
    page.set_viewport_size({"width": 1400, "height": 900})
    page.goto(demo_report.as_uri())
    page.wait_for_load_state("load")
    iframes = page.locator("iframe")
    assert iframes.count() == 2
    frames = _graph_frames(page)
    assert len(frames) == 2
    for frame in frames:  # never scrolled into view: both below the first screen
        frame.wait_for_selector("canvas")
        ink, in_view = 0, False
        for _ in range(120):  # up to 30 s: the frames parse 700 kB of script on a busy machine
            ink, in_view = frame.evaluate(CANVAS_INK), frame.evaluate(ALL_IN_VIEW)
            if ink > 500 and in_view:  # drawn, and refitted once the report laid it out
                break
            page.wait_for_timeout(250)
        assert ink > 500, "a graph canvas stayed blank until scrolled into view"
        assert in_view, "the graph is not fitted to its frame"
        # labels drawn at least 11 px high on a 1,400 px wide screen
        assert frame.evaluate("() => network.getScale()") * LABEL_PX >= 11
    page.screenshot(path=str(artifacts / "report.png"), full_page=True)
    assert remote_requests(page) == []
    assert page.errors == []


@pytest.mark.slow
@pytest.mark.parametrize("n", [60, 150])
def test_big_landscape_labels_stay_readable_at_1400_px(browser, tmp_path, n):
    path = tmp_path / "plant.html"
    path.write_text(landscape_html(random_landscape(n, seed=3)), encoding="utf-8")
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    page.goto(path.as_uri())
    page.wait_for_timeout(300)
    assert page.evaluate(CANVAS_INK) > 500
    assert page.evaluate("() => network.getScale()") * LABEL_PX >= 11
    assert page.evaluate(ALL_IN_VIEW)
    page.close()


@pytest.mark.slow
def test_hostile_names_run_nothing(hostile_report, offline_page):
    page = offline_page
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(hostile_report.as_uri())
    for i in range(page.locator("iframe").count()):
        page.locator("iframe").nth(i).scroll_into_view_if_needed()
        page.wait_for_timeout(300)
    for frame in page.frames:
        assert frame.evaluate("() => window.__pwned") is None
    assert dialogs == []
    # an <img src=x> would have tried to load file:///.../x: only the page itself may be a file
    loaded = [u for u in page.requests if not u.startswith(("data:", "blob:", "about:"))]
    assert loaded == [hostile_report.as_uri()]


@pytest.mark.slow
def test_chinese_report_has_no_latin_but_user_text_and_codes(demo_report_zh, offline_page):
    page = offline_page
    page.goto(demo_report_zh.as_uri())
    page.wait_for_load_state("load")
    user = set().union(*(_latin(s) for s in _user_strings()))
    stray = {}
    for tag, text in _page_text(page):
        for word in _latin(text) - user:
            if not _standard_code(word) and not re.fullmatch(r"[\d.,/%+-]+", word):
                stray.setdefault(word, f"{tag}: {text[:70]}")
    assert stray == {}


def test_latin_allow_list_catches_our_leftovers():
    user = set().union(*(_latin(s) for s in _user_strings()))
    found = {w for text in ("（cmmm，balanced，3 个阶段，milp）", "general_machinery · medium",
                            "score (0-100)", "ERP 与 MES", "装配车间 MES (TexMES)")
             for w in _latin(text) - user if not _standard_code(w)}
    assert found == {"cmmm", "balanced", "milp", "general_machinery", "medium", "score"}


@pytest.mark.slow
def test_english_report_has_no_chinese_but_user_text(demo_report, offline_page):
    page = offline_page
    page.goto(demo_report.as_uri())
    page.wait_for_load_state("load")
    allowed = set()
    for s in _user_strings():
        allowed |= set(CJK.findall(s))
    for model_id in list_models():  # model texts may name a Chinese term, e.g. (流程化管理)
        allowed |= set(CJK.findall(load_model(model_id).model_dump_json()))
    stray = {run: f"{tag}: {text[:70]}" for tag, text in _page_text(page)
             for run in CJK.findall(text) if run not in allowed
             and not any(run in a for a in allowed)}
    assert stray == {}


@pytest.mark.slow
def test_print_shows_the_static_landscape_instead_of_the_graph(demo_report, offline_page):
    page = offline_page
    page.goto(demo_report.as_uri())
    page.emulate_media(media="print")
    assert page.evaluate("""() => [...document.querySelectorAll('iframe')]
                             .every(f => f.getBoundingClientRect().height === 0)""")
    sizes = page.evaluate("""() => [...document.querySelectorAll('img.print-only')]
                             .map(i => [i.naturalWidth, i.getBoundingClientRect().height])""")
    assert len(sizes) == 2 and all(w > 200 and h > 100 for w, h in sizes)


@pytest.fixture(scope="module")
def pdfs(demo_report, demo_report_zh, tmp_path_factory, browser):
    if CHROMIUM is None:
        pytest.skip("no chromium")
    from maturity.report_pdf import html_to_pdf

    out = tmp_path_factory.mktemp("pdf")
    return {lang: html_to_pdf(path.read_text(encoding="utf-8"), out / f"{lang}.pdf",
                              header="江南纺机有限公司", browser=browser)
            for lang, path in (("en", demo_report), ("zh", demo_report_zh))}


@pytest.mark.slow
@pytest.mark.report
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_pdf_is_a4_at_most_15_pages_with_the_summary_alone_on_page_1(pdfs, lang):
    from pypdf import PdfReader

    reader = PdfReader(str(pdfs[lang]))
    assert len(reader.pages) <= 15
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)  # A4 in points
    # NFKC: Chromium writes ligatures ("ﬁ" for "fi")
    first = unicodedata.normalize("NFKC", reader.pages[0].extract_text())
    second = unicodedata.normalize("NFKC", reader.pages[1].extract_text())
    summary, gaps, profile = {"en": ("Executive summary", "The three gaps that matter most",
                                     "Maturity profile"),
                              "zh": ("摘要", "最主要的三项差距", "成熟度画像")}[lang]
    assert summary in first and gaps in first
    assert "江南纺机有限公司" in first  # the running header (the report's own margin boxes)
    # page 2 begins with the profile (its text after the header and the page number)
    body = [line for line in second.splitlines()
            if "江南纺机有限公司" not in line and not re.fullmatch(r"\d+ / \d+", line.strip())]
    assert profile not in first and body[0].lstrip().startswith(profile)
    # page numbers on every page
    for i, p in enumerate(reader.pages, 1):
        assert f"{i} / {len(reader.pages)}" in p.extract_text()


def _print_from_browser(browser, page_html: str, tmp_path, name: str):
    """Print an HTML page as a person does with Ctrl+P: the page's own print stylesheet and
    page size, no header or footer templates of ours (not the --pdf path). Returns the PDF's
    pages as text (NFKC) and whether any script of the page ran ``window.__pwned``."""
    from pypdf import PdfReader

    source = tmp_path / f"{name}.html"
    source.write_text(page_html, encoding="utf-8")
    context = browser.new_context(offline=True)
    try:
        tab = context.new_page()
        tab.goto(source.as_uri(), wait_until="load")
        pwned = tab.evaluate("() => window.__pwned !== undefined")
        tab.emulate_media(media="print")
        tab.pdf(path=str(tmp_path / f"{name}.pdf"), prefer_css_page_size=True)
    finally:
        context.close()
    reader = PdfReader(str(tmp_path / f"{name}.pdf"))
    return [unicodedata.normalize("NFKC", p.extract_text()) for p in reader.pages], pwned


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_printed_from_the_browser_every_page_has_the_company_and_its_number(
        demo_notebook, browser, tmp_path, lang):
    from maturity.report import report_html

    pages, _ = _print_from_browser(browser, report_html(demo_notebook(lang)), tmp_path, lang)
    assert 8 <= len(pages) <= 15
    company = "江南纺机有限公司 (Jiangnan Textile Machinery Co.)"  # the answers files' name
    for i, text in enumerate(pages, 1):
        assert f"{i} / {len(pages)}" in text, f"page {i} has no page number"
        assert company in " ".join(text.split()), f"page {i} has no running header"


@pytest.mark.slow
def test_printed_header_is_text_whatever_the_company_is_called(demo_notebook, browser,
                                                              tmp_path):
    """A name with quotes, a backslash, CSS and an end-of-style tag stays one string in the
    stylesheet: printed as written, nothing else of the stylesheet or the page changes."""
    import copy
    import html

    from maturity.report import report_html

    evil = 'Evil "Co"; } body { display: none } \\ </style><script>window.__pwned=1</script>'
    nb = copy.deepcopy(demo_notebook("en"))
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            markup = out.get("data", {}).get("text/html", "")
            if "data-enterprise=" in markup:
                out["data"]["text/html"] = re.sub(
                    r'data-enterprise="[^"]*"',
                    lambda m: f'data-enterprise="{html.escape(evil)}"', markup)
    pages, pwned = _print_from_browser(browser, report_html(nb), tmp_path, "evil")
    assert not pwned
    assert len(pages) >= 8  # the body was not hidden by the name's CSS
    squeeze = "".join(pages[1].split())  # the header may wrap in its margin box
    assert "".join(evil.split()) in squeeze
    assert "Executive summary" in pages[0]
