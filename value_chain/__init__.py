"""The enterprise as a graph: IT/OT systems, partners and the links between them.

This is the lower layer of the project; it knows nothing of maturity models.
"""

from value_chain.errors import InputError, Problem

__all__ = ["InputError", "Problem"]
