"""The offline self-check of generated HTML: which remote resources would the page load?

Reports and landscape pages must work with no network.  The check reads the *markup* the
package generates (tags and their attributes, CSS, and pages inside ``<iframe srcdoc>``) and
never the text between tags or inside scripts, where escaped user text lives; a system
called ``see href=//intranet/wiki`` is therefore no false alarm.

Examples
--------
>>> remote_references('<link rel="stylesheet" href="//cdn.example/a.css"><p>href=//x</p>')
['<link href=//cdn.example/a.css>']
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

__all__ = ["remote_references"]


_RESOURCE_ATTRS = {
    "src", "href", "srcset", "action", "formaction", "data", "poster", "background",
    "xlink:href", "manifest", "codebase", "cite", "longdesc", "icon", "ping",
}  # fmt: skip
_REMOTE_URL = re.compile(r"^\s*(?:[a-z][a-z0-9+.\-]*:)?//", re.I)
_CSS_URL = re.compile(
    r"""(?:url\(\s*["']?|@import\s+["'])\s*((?:[a-z][a-z0-9+.\-]*:)?//[^"')\s]*)""", re.I
)


class _Markup(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._in_style = tag == "style"
        for name, value in attrs:
            if value is None:
                continue
            if name in _RESOURCE_ATTRS:
                urls = value.split(",") if name in ("srcset", "ping") else [value]
                self.found += [f"<{tag} {name}={u.strip()[:80]}>" for u in urls
                               if _REMOTE_URL.match(u)]
            elif name == "style":
                self.found += [f"<{tag} style> {m.group(1)[:80]}" for m in _CSS_URL.finditer(value)]
            elif name == "srcdoc":
                self.found += [f"<{tag} srcdoc> {x}" for x in remote_references(value)]
            elif name == "http-equiv" and value.lower() == "refresh":
                content = dict(attrs).get("content") or ""
                if "url=" in content.lower():
                    self.found.append(f"<meta refresh {content[:80]}>")

    handle_startendtag = handle_starttag

    def handle_endtag(self, tag: str) -> None:
        if tag == "style":
            self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self.found += [f"<style> {m.group(1)[:80]}" for m in _CSS_URL.finditer(data)]


def remote_references(page: str) -> list[str]:
    """Every remote resource the generated markup would load: resource attributes of tags,
    CSS ``url(...)``/``@import``, and the same inside ``<iframe srcdoc>``.

    Text between tags (escaped user text) and script bodies are not markup and are not
    looked at, so a company called ``see href=//intranet`` is no false alarm.

    >>> remote_references('<p>see href=//intranet/wiki</p><img src="data:image/png;base64,AA">')
    []
    >>> remote_references('<script src="//cdn.example/x.js"></script>')
    ['<script src=//cdn.example/x.js>']
    """
    parser = _Markup()
    parser.feed(page)
    parser.close()
    return parser.found
