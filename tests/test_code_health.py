"""The shape of the code, read from its source (no imports): no import cycles between the
package's own modules, ``value_chain`` never imports ``maturity``, imports of the package's own
modules at the top of the module, and modules and classes of a readable size.

The allow-lists below name what is known and being worked on; shrink them as it is fixed,
never grow them (a new entry needs a reason in the comment beside it). A failure prints
every offender.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from pathlib import Path

import networkx as nx

ROOT = Path(__file__).parents[1]
PACKAGES = ("maturity", "value_chain")
MAX_MODULE_LINES = 800
MAX_CLASS_LINES = 200

# Modules over MAX_MODULE_LINES that are being split (issue 9 and the issues built on it).
MODULES_BEING_SPLIT: set[str] = set()
# Classes over MAX_CLASS_LINES that are being taken apart.
CLASSES_BEING_SPLIT: set[str] = set()
# Heavy or optional dependencies that may be imported inside a function (only when a picture,
# an interactive graph, a notebook run, a statistic or a report is asked for).
LAZY_OK = {"matplotlib", "seaborn", "pyvis", "nbclient", "nbconvert", "nbformat", "jupyter_client",
           "ipykernel", "playwright", "openpyxl", "scipy", "IPython", "pyarrow", "dask",
           "statsmodels", "krippendorff", "docx", "traitlets",
           "jsonschema"}  # imported before nbformat by the report, without its 2 s IRI grammars
# Imports inside functions still to be moved to the top (module: what it imports there).
OWN_LAZY_IMPORTS_LEFT: dict[str, set[str]] = {}
OTHER_LAZY_IMPORTS_LEFT: dict[str, set[str]] = {}


@dataclass
class Module:
    name: str
    path: Path
    tree: ast.Module
    imports: set[str] = field(default_factory=set)  # own modules, anywhere but TYPE_CHECKING
    lazy: set[str] = field(default_factory=set)  # own modules imported inside a function
    lazy_other: set[str] = field(default_factory=set)  # other top-level packages, same


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _resolve(name: str, known: set[str]) -> str | None:
    """The own module a dotted name refers to (``maturity.x.f`` -> ``maturity.x``)."""
    while name:
        if name in known:
            return name
        name = name.rpartition(".")[0]
    return None


def _is_type_checking(node: ast.AST) -> bool:
    return isinstance(node, ast.If) and (
        (isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING")
        or (isinstance(node.test, ast.Attribute) and node.test.attr == "TYPE_CHECKING"))


def _imports(module: Module, known: set[str]) -> None:
    package = module.name if module.path.name == "__init__.py" else module.name.rpartition(".")[0]

    def visit(node: ast.AST, in_function: bool) -> None:
        if _is_type_checking(node):
            return
        if isinstance(node, ast.Import | ast.ImportFrom):
            targets = []
            if isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            else:
                base = node.module or ""
                if node.level:
                    anchor = package.split(".")
                    anchor = anchor[: len(anchor) - node.level + 1]
                    base = ".".join([*anchor, base] if base else anchor)
                # ``from pkg import sub`` imports the module pkg.sub when there is one
                targets = [f"{base}.{a.name}" if f"{base}.{a.name}" in known else base
                           for a in node.names]
            for target in targets:
                own = _resolve(target, known)
                if own is not None and own != module.name:
                    module.imports.add(own)
                    if in_function:
                        module.lazy.add(own)
                elif own is None and in_function:
                    module.lazy_other.add(target.split(".")[0])
        for child in ast.iter_child_nodes(node):
            visit(child, in_function or isinstance(
                node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda))

    visit(module.tree, False)


def _modules() -> dict[str, Module]:
    paths = [p for pkg in PACKAGES for p in sorted((ROOT / pkg).rglob("*.py"))
             if "__pycache__" not in p.parts]
    modules = {}
    for path in paths:
        name = _module_name(path)
        modules[name] = Module(name, path, ast.parse(path.read_text(encoding="utf-8"), str(path)))
    for module in modules.values():
        _imports(module, set(modules))
    return modules


MODULES = _modules()


def import_graph(modules: dict[str, Module]) -> nx.DiGraph:
    """Own module -> own module it imports. A package's ``__init__`` importing its modules is
    left out: Python runs it before any of them, so it cannot close a cycle on its own."""
    G = nx.DiGraph()
    G.add_nodes_from(modules)
    for m in modules.values():
        G.add_edges_from((m.name, t) for t in m.imports
                         if not (m.path.name == "__init__.py" and t.startswith(m.name + ".")))
    return G


def import_cycles(modules: dict[str, Module]) -> list[list[str]]:
    """Each group of modules that import one another, smallest cycle shown."""
    G = import_graph(modules)
    out = []
    for group in nx.strongly_connected_components(G):
        if len(group) > 1:
            out.append(sorted(group))
    return sorted(out)


def test_the_scan_sees_the_imports():
    # a hand-checked fact, so an empty scan cannot pass the tests below
    assert "value_chain.errors" in MODULES["maturity.cli"].imports
    assert len(MODULES) > 20


def test_the_cycle_check_finds_a_cycle():
    def fake(name: str, source: str) -> Module:
        return Module(name, ROOT / "maturity" / f"{name.split('.')[-1]}.py", ast.parse(source))

    modules = {"maturity.a": fake("maturity.a", "def f():\n    from maturity.b import g\n"),
               "maturity.b": fake("maturity.b", "from maturity import a\n"),
               "maturity.c": fake("maturity.c", "import maturity.a\n")}
    for m in modules.values():
        _imports(m, set(modules))
    assert modules["maturity.a"].lazy == {"maturity.b"}
    assert import_cycles(modules) == [["maturity.a", "maturity.b"]]


def test_no_import_cycles():
    assert import_cycles(MODULES) == []


def test_value_chain_never_imports_maturity():
    upward = {m.name: sorted(t for t in m.imports if t.startswith("maturity"))
              for m in MODULES.values() if m.name.startswith("value_chain")}
    assert {k: v for k, v in upward.items() if v} == {}


def test_own_modules_are_imported_at_the_top():
    lazy = {m.name: m.lazy - OWN_LAZY_IMPORTS_LEFT.get(m.name, set())
            for m in MODULES.values()}
    assert {k: sorted(v) for k, v in lazy.items() if v} == {}


def test_lazy_imports_are_heavy_optional_dependencies():
    lazy = {m.name: sorted(m.lazy_other - LAZY_OK - OTHER_LAZY_IMPORTS_LEFT.get(m.name, set()))
            for m in MODULES.values()}
    assert {k: v for k, v in lazy.items() if v} == {}


def _lines(path: Path) -> int:
    return len(path.read_text(encoding="utf-8").splitlines())


def test_modules_are_not_too_long():
    long = {m.name: _lines(m.path) for m in MODULES.values()
            if _lines(m.path) > MAX_MODULE_LINES}
    assert set(long) - MODULES_BEING_SPLIT == set(), long


def test_classes_are_not_too_long():
    long = {}
    for m in MODULES.values():
        for node in ast.walk(m.tree):
            if isinstance(node, ast.ClassDef):
                size = node.end_lineno - node.lineno + 1
                if size > MAX_CLASS_LINES:
                    long[f"{m.name}.{node.name}"] = size
    assert set(long) - CLASSES_BEING_SPLIT == set(), long
