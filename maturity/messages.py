"""The bilingual message catalogue, with the words of ``maturity`` added.

Each domain keeps its words in its own file of ``maturity/messages/`` (``report.yaml``,
``roadmap.yaml``, ``evidence.yaml``...); keys are unique across all of them and those of
``value_chain``.  See :mod:`value_chain.messages` for the format.

Examples
--------
>>> msg("landscape.islands", "zh", n=2)
'2 个信息孤岛'
"""

import unicodedata

from value_chain.messages import LANGS, catalogue, catalogue_problems, msg, register

register("maturity")

__all__ = ["LANGS", "catalogue", "catalogue_problems", "columns", "msg", "pad"]


def columns(text: str) -> int:
    """Columns ``text`` takes in a terminal: Chinese characters take two.

    >>> columns("MES"), columns("打通 MES")
    (3, 8)
    """
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def pad(text: str, width: int) -> str:
    """``text`` padded with spaces to ``width`` terminal columns (see :func:`columns`).

    >>> pad("阶段", 6) + "|", pad("phase", 6) + "|"
    ('阶段  |', 'phase |')
    """
    return text + " " * max(width - columns(text), 0)
