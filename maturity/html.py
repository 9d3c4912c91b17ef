"""HTML rendering from the package's jinja2 templates, with autoescape always on.

Every user-supplied string (enterprise, system and partner names, notes) goes
through a template and is escaped there.  :func:`check_offline` is the self-check
that a generated page loads nothing from the network; it reads only the markup the
package generates, never escaped user text (:mod:`value_chain.offline`).

Examples
--------
>>> render_string("<b>{{ name }}</b>", name="<script>x</script>")
'<b>&lt;script&gt;x&lt;/script&gt;</b>'
"""

from __future__ import annotations

from functools import cache

from jinja2 import Environment, PackageLoader, select_autoescape

from value_chain.offline import remote_references

__all__ = ["check_offline", "environment", "remote_references", "render", "render_string"]


@cache
def environment() -> Environment:
    """The jinja2 environment over ``maturity/templates`` (autoescape on for every file)."""
    env = Environment(
        loader=PackageLoader("maturity", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["num"] = _num
    env.filters["pct"] = _pct
    return env


def _pct(value) -> str:
    """Shares as percentages; counts and flags as they are."""
    if value is None:
        return "–"
    if isinstance(value, bool):
        return "✓" if value else "✗"
    if isinstance(value, float) and 0 <= value <= 1:
        return f"{value:.0%}"
    return str(value)


def _num(value, digits: int = 2) -> str:
    if value is None:
        return "–"
    if isinstance(value, int):
        return str(value)
    return f"{value:.{digits}f}"


def render(template: str, **context) -> str:
    """Render a template of ``maturity/templates`` with ``context``."""
    return environment().get_template(template).render(**context)


def render_string(source: str, **context) -> str:
    """Render a template given as a string (autoescaped too)."""
    return environment().from_string(source).render(**context)


def check_offline(page: str, what: str = "page") -> str:
    """Return ``page`` if its markup loads nothing remote; raise ``RuntimeError`` otherwise.

    A failure is a bug in the package (a template or library adding a remote resource),
    not bad input: user text is escaped and never looked at.

    >>> check_offline(render_string("<p>{{ n }}</p>", n="see href=//intranet/wiki"))
    '<p>see href=//intranet/wiki</p>'
    >>> check_offline('<img src="//x.example/a.png">', "report")
    Traceback (most recent call last):
    ...
    RuntimeError: report would load a remote resource: <img src=//x.example/a.png>
    """
    found = remote_references(page)
    if found:
        raise RuntimeError(f"{what} would load a remote resource: {found[0]}")
    return page
