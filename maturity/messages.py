"""The bilingual message catalogue, with the words of ``maturity`` added.

Each domain keeps its words in its own file of ``maturity/messages/`` (``report.yaml``,
``roadmap.yaml``, ``evidence.yaml``...); keys are unique across all of them and those of
``value_chain``.  See :mod:`value_chain.messages` for the format.

Examples
--------
>>> msg("landscape.islands", "zh", n=2)
'2 个信息孤岛'
"""

from value_chain.messages import LANGS, catalogue, catalogue_problems, msg, register

register("maturity")

__all__ = ["LANGS", "catalogue", "catalogue_problems", "msg"]
