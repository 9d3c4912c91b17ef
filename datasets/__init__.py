"""Bundled data, shipped in the wheel as ``maturity.data``: example enterprises,
real open datasets with their licences, and published aggregate figures.

Read them through :mod:`maturity.datasets` rather than by path.
"""
