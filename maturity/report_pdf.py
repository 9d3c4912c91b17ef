"""The report as an A4 PDF, printed by headless Chromium (Debian's ``chromium``).

The same offline HTML page the report writes is opened in Chromium with the network
off and printed with the page's A4 print stylesheet (:mod:`maturity.report`), whose page
margin boxes draw the running header with the company name and the page numbers at the foot,
as they do when the page is printed from a browser. Without Chromium the call fails with a
plain message (the CLI exits 2).
"""

from __future__ import annotations

import html
import os
import re
import shutil
import tempfile
from pathlib import Path

from value_chain.errors import InputError, Problem
from value_chain.safe_io import atomic_write

__all__ = ["find_chromium", "html_to_pdf"]

# an interactive landscape graph for the screen (report_landscape_figure.html.j2): its srcdoc
# is escaped, so the tag holds no ">". Print shows the static picture instead; the PDF leaves
# the graph out, or Chromium would run its 700 kB of script (page load 0.8 -> 0.3 s)
_SCREEN_ONLY_GRAPH = re.compile(r'<div class="screen-only"><iframe\b[^>]*></iframe></div>')

_HEADER = ('<div style="font-size:8px;width:100%;padding:0 12mm;color:#666;'
           'font-family:sans-serif">{name}</div>')
_FOOTER = ('<div style="font-size:8px;width:100%;text-align:center;color:#666;'
           'font-family:sans-serif"><span class="pageNumber"></span> / '
           '<span class="totalPages"></span></div>')


def find_chromium() -> str:
    """Path of the Chromium to print with (``$MATURITY_CHROMIUM``, else ``chromium`` on the
    PATH); raises :class:`~value_chain.errors.InputError` with a plain message otherwise."""
    found = os.environ.get("MATURITY_CHROMIUM") or shutil.which("chromium") or shutil.which(
        "chromium-browser")
    if not found or not Path(found).exists():
        raise InputError([Problem("--pdf", "", "a PDF needs the Chromium browser, which is not "
                                  "installed here (Debian/Ubuntu: apt-get install chromium); "
                                  "write the HTML report instead and print it from a browser")])
    try:
        import playwright  # noqa: F401
    except ImportError:
        raise InputError([Problem("--pdf", "", "a PDF needs the Python package playwright "
                                  "(pip install playwright)")]) from None
    return found


def html_to_pdf(page: str, output: str | Path, *, header: str = "", browser=None) -> Path:
    """Print an offline HTML page to an A4 PDF with headless Chromium; returns the path.
    The report's interactive graphs (shown on screen only) are left out before loading.

    The report's own stylesheet draws the running header and the page numbers; for a page
    without them, ``header`` (the company name) is printed at the top of every page and the
    page numbers at the foot. ``browser`` is a Playwright browser already running (a new
    headless Chromium is started otherwise).
    """
    # the report's stylesheet has page margin boxes (a <style> holds no escaped user text)
    own_margins = re.search(r"<style[^>]*>[^<]*@top-left", page) is not None
    page = _SCREEN_ONLY_GRAPH.sub("", page)  # hidden in print: not loaded at all
    with tempfile.TemporaryDirectory() as work:
        source = Path(work) / "report.html"
        source.write_text(page, encoding="utf-8")
        target = Path(work) / "report.pdf"
        if browser is not None:
            _print(browser, source, target, header, own_margins)
        else:
            from playwright.sync_api import sync_playwright

            chromium = find_chromium()
            with sync_playwright() as p:
                own = p.chromium.launch(
                    executable_path=chromium,
                    args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                          "--disable-component-update", "--no-first-run"])
                try:
                    _print(own, source, target, header, own_margins)
                finally:
                    own.close()
        pdf = target.read_bytes()
    return atomic_write(output, pdf)  # all or nothing: a failure keeps the old file


def _print(browser, source: Path, output: Path, header: str, own_margins: bool) -> None:
    context = browser.new_context(offline=True)
    try:
        tab = context.new_page()
        tab.goto(source.as_uri(), wait_until="load")
        tab.emulate_media(media="print")
        tab.pdf(path=str(output), format="A4", print_background=True, prefer_css_page_size=True,
                display_header_footer=not own_margins,
                header_template=_HEADER.format(name=html.escape(header)),
                footer_template=_FOOTER,
                margin={"top": "16mm", "bottom": "16mm", "left": "12mm", "right": "12mm"})
    finally:
        context.close()
