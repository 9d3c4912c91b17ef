"""Shared plotting helpers: a Chinese-capable font, or a clean fall-back to English.

Figures must never show "tofu" boxes. When Chinese labels are asked for and
no CJK font is installed (``apt-get install fonts-wqy-microhei`` or
``fonts-noto-cjk`` gives one), :func:`plot_lang` answers ``"en"`` so the
figure is drawn with English labels instead.

Examples
--------
>>> plot_lang("en")
'en'
>>> plot_lang("zh") in {"zh", "en"}
True
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache

from matplotlib import font_manager
from matplotlib import pyplot as plt
from matplotlib.axes import Axes
from matplotlib.text import Text

__all__ = ["cjk_font", "figure_style", "own_fonts", "plot_lang"]

_CJK_FAMILIES = (
    "Noto Sans CJK SC",
    "Noto Sans SC",
    "Source Han Sans SC",
    "WenQuanYi Micro Hei",
    "WenQuanYi Zen Hei",
    "Microsoft YaHei",
    "SimHei",
    "PingFang SC",
    "Heiti SC",
    "Noto Sans CJK JP",
)


@cache
def cjk_font() -> str | None:
    """Name of an installed font family that draws Chinese, or None."""
    found = _first_cjk()
    if found is None:
        # matplotlib's font cache may predate a font installed later (e.g. by apt):
        # register the system's CJK font files and look again
        for path in font_manager.findSystemFonts():
            if any(k in path.lower() for k in ("wqy", "cjk", "sourcehan", "simhei", "msyh")):
                with contextlib.suppress(Exception):
                    font_manager.fontManager.addfont(path)
        found = _first_cjk()
    return found


def _first_cjk() -> str | None:
    names = {f.name for f in font_manager.fontManager.ttflist}
    return next((family for family in _CJK_FAMILIES if family in names), None)


def plot_lang(lang: str) -> str:
    """The language a figure can be labelled in: ``lang``, or ``"en"`` without a CJK font."""
    return "zh" if lang == "zh" and cjk_font() else "en"


@contextmanager
def figure_style(lang: str = "en") -> Iterator[None]:
    """Matplotlib settings for our figures; puts the CJK font first when drawing Chinese."""
    rc: dict = {"axes.spines.top": False, "axes.spines.right": False}
    font = cjk_font()
    if font and plot_lang(lang) == "zh":
        # Text is matched to a font when the figure is drawn, which may happen after this
        # context (inline display, savefig), and tick labels are only made then. Matplotlib
        # falls back glyph by glyph only between families named in font.family, so: the CJK
        # font first for our texts, and behind the user's font in the global list for ticks.
        family = plt.rcParams["font.family"]
        if font not in family:
            base = font_manager.get_font(
                font_manager.findfont(font_manager.FontProperties(family=family))
            ).family_name
            plt.rcParams["font.family"] = [base, font]
        rc["font.family"] = [font, plt.rcParams["font.family"][0]]
        rc["axes.unicode_minus"] = False
    with plt.rc_context(rc):
        yield


def own_fonts(ax: Axes) -> None:
    """Give every non-ASCII text of ``ax`` the current font family.

    Texts keep the fonts of the moment they were created; an ``ax`` made
    before :func:`figure_style` (e.g. by ``plt.subplots`` in a notebook) would
    otherwise draw Chinese labels with a Latin-only font. Call it inside
    :func:`figure_style`, after drawing.
    """
    family = plt.rcParams["font.family"]
    ax.tick_params(axis="both", which="both", labelfontfamily=family)
    for text in ax.findobj(Text):
        if not text.get_text().isascii():
            text.set_fontfamily(family)
    legend = ax.get_legend()
    if legend is not None:
        for text in [legend.get_title(), *legend.get_texts()]:
            text.set_fontfamily(family)
