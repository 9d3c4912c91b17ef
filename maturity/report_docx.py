"""The report as an editable Word file (python-docx), from the same executed notebook.

Each HTML fragment the report notebook displays (:mod:`maturity.report`) is turned into
Word content: ``h1`` into the title, ``h2``/``h3`` into Word's *Heading 1*/*Heading 2*
styles (so a consultant can restyle or renumber them), paragraphs, bulleted and numbered
lists, tables in the *Table Grid* style, and figures as pictures with a *Caption*. The
interactive landscape graphs become their static picture. Text is added as text, never
as markup, so user names stay plain.
"""

from __future__ import annotations

import base64
import io
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from value_chain.safe_io import atomic_write

__all__ = ["fragments_to_docx", "notebook_to_docx"]

_WIDTH_CM = 16.0


class _Builder(HTMLParser):
    """Streams one HTML fragment of the report into a python-docx document."""

    def __init__(self, doc: Any):
        super().__init__(convert_charrefs=True)
        self.doc = doc
        self.par = None  # current paragraph
        self.bold = self.italic = 0
        self.lists: list[str] = []  # "ul" / "ol"
        self.table: list[list[tuple[str, bool]]] | None = None
        self.cell: list[str] | None = None
        self.cell_head = False
        self.skip = 0  # inside an element whose text is not content (style, script)
        self.heading: int | None = None
        self.new_page = False

    # ---- paragraphs -------------------------------------------------------------
    def _paragraph(self, style: str | None = None):
        self.par = self.doc.add_paragraph(style=style)
        return self.par

    def _text(self, text: str) -> None:
        if self.cell is not None:
            self.cell.append(text)
            return
        if not text.strip() and self.par is None:
            return
        if self.par is None:
            self._paragraph()
        run = self.par.add_run(text)
        run.bold = bool(self.bold) or None
        run.italic = bool(self.italic) or None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag in ("style", "script", "iframe"):
            self.skip += 1
        elif tag == "h1":
            self.par = self.doc.add_heading(level=0)
        elif tag in ("h2", "h3"):
            level = 1 if tag == "h2" else 2
            if level == 1 and "section" in (a.get("class") or "") and len(self.doc.paragraphs):
                self.doc.add_page_break()
            self.par = self.doc.add_heading(level=level)
        elif tag == "p":
            self._paragraph()
        elif tag in ("ul", "ol"):
            self.lists.append(tag)
        elif tag == "li":
            style = "List Number" if self.lists and self.lists[-1] == "ol" else "List Bullet"
            self._paragraph(style)
        elif tag in ("strong", "b"):
            self.bold += 1
        elif tag in ("em", "i"):
            self.italic += 1
        elif tag == "br":
            self._text("\n")
        elif tag == "table":
            self.table = []
        elif tag == "tr" and self.table is not None:
            self.table.append([])
        elif tag in ("td", "th") and self.table is not None:
            self.cell = []
            self.cell_head = tag == "th"
        elif tag == "img":
            self._image(a)
        elif tag == "figcaption":
            self._paragraph("Caption")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("style", "script", "iframe"):
            self.skip = max(0, self.skip - 1)
        elif tag in ("h1", "h2", "h3", "p", "li", "figcaption"):
            self.par = None
        elif tag in ("ul", "ol") and self.lists:
            self.lists.pop()
        elif tag in ("strong", "b"):
            self.bold = max(0, self.bold - 1)
        elif tag in ("em", "i"):
            self.italic = max(0, self.italic - 1)
        elif tag in ("td", "th") and self.cell is not None and self.table:
            self.table[-1].append((" ".join("".join(self.cell).split()), self.cell_head))
            self.cell = None
        elif tag == "table" and self.table is not None:
            self._flush_table()

    def handle_data(self, data: str) -> None:
        if self.skip:
            return
        if self.cell is None and self.par is None and not data.strip():
            return
        self._text(data if self.cell is not None else " ".join(data.split(" ")))

    # ---- tables and pictures ------------------------------------------------------
    def _flush_table(self) -> None:
        rows = [r for r in (self.table or []) if r]
        self.table = None
        if not rows:
            return
        cols = max(len(r) for r in rows)
        table = self.doc.add_table(rows=len(rows), cols=cols)
        table.style = "Table Grid"
        for i, row in enumerate(rows):
            for j, (text, head) in enumerate(row):
                cell = table.cell(i, j)
                cell.text = ""
                run = cell.paragraphs[0].add_run(text)
                run.bold = head or None
        self.par = None

    def _image(self, attrs: dict[str, str | None]) -> None:
        src = attrs.get("data-docx") or attrs.get("src") or ""
        if not src.startswith("data:image/png;base64,"):
            return  # SVG (print-only copies carry a PNG in data-docx) or anything else
        from docx.shared import Cm

        data = base64.b64decode(src.split(",", 1)[1])
        self.doc.add_picture(io.BytesIO(data), width=Cm(_WIDTH_CM))
        self.par = None


def fragments_to_docx(fragments: list[str], output: str | Path, *, lang: str = "en") -> Path:
    """Write HTML fragments of the report (in order) to a Word file; returns its path."""
    from docx import Document
    from docx.oxml.ns import qn
    from docx.shared import Pt

    doc = Document()
    normal = doc.styles["Normal"]
    normal.font.size = Pt(10)
    if lang == "zh":  # East Asian text: a Chinese font Word has on every Chinese Windows
        normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"),
                                                                 "Microsoft YaHei")
    for fragment in fragments:
        builder = _Builder(doc)
        builder.feed(fragment)
        builder.close()
    return atomic_write(output, lambda tmp: doc.save(str(tmp)))  # all or nothing


def notebook_to_docx(nb: Any, output: str | Path, *, lang: str = "en") -> Path:
    """The executed report notebook as a Word file: every HTML output in order."""
    fragments = []
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            data = out.get("data", {})
            if "text/html" in data:
                fragments.append(data["text/html"])
            elif "image/png" in data:
                fragments.append(f'<img src="data:image/png;base64,{data["image/png"]}">')
    return fragments_to_docx(fragments, output, lang=lang)
