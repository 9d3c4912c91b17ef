"""Print a pip constraints file that pins every dependency of pyproject.toml to its declared
minimum (``pkg>=1.2`` -> ``pkg==1.2``), for the minimum-versions run of ``.ci/run``.

pip cannot resolve to the lowest versions by itself; this makes the declared minimums a
claim that CI checks. Usage: python .ci/min_constraints.py > constraints.txt (the
dependencies and every optional extra).
"""

from __future__ import annotations

import re
import sys
import tomllib
from pathlib import Path

project = tomllib.loads((Path(__file__).parents[1] / "pyproject.toml").read_text("utf-8"))
requirements = list(project["project"]["dependencies"])
for extra in project["project"].get("optional-dependencies", {}).values():
    requirements += extra
for requirement in requirements:
    m = re.match(r"^\s*([A-Za-z0-9_.\-]+)(?:\[[^\]]*\])?\s*(.*)$", requirement)
    name, spec = m.group(1), m.group(2)
    low = re.search(r"(?:>=|==|~=)\s*([0-9][^,;\s]*)", spec)
    if low is None:
        sys.exit(f"{name}: no minimum version declared in pyproject.toml")
    print(f"{name}=={low.group(1)}")
