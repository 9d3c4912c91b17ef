"""The notebooks, shipped in the wheel as ``maturity.notebooks`` (the report template)."""
