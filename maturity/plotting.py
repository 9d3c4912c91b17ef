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

from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache

from matplotlib import font_manager
from matplotlib import pyplot as plt

__all__ = ["cjk_font", "figure_style", "plot_lang"]

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
    names = {f.name for f in font_manager.fontManager.ttflist}
    for family in _CJK_FAMILIES:
        if family in names:
            return family
    return None


def plot_lang(lang: str) -> str:
    """The language a figure can be labelled in: ``lang``, or ``"en"`` without a CJK font."""
    return "zh" if lang == "zh" and cjk_font() else "en"


@contextmanager
def figure_style(lang: str = "en") -> Iterator[None]:
    """Matplotlib settings for our figures; puts the CJK font first when drawing Chinese."""
    rc = {"axes.spines.top": False, "axes.spines.right": False}
    font = cjk_font()
    if plot_lang(lang) == "zh" and font:
        rc["font.sans-serif"] = [font, *plt.rcParams["font.sans-serif"]]
        rc["font.family"] = "sans-serif"
        rc["axes.unicode_minus"] = False
    with plt.rc_context(rc):
        yield
