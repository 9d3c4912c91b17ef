"""Landscapes: the enterprise's systems, partners and links, read, checked and written.

A *landscape* file lists the IT/OT systems of one enterprise (with their ISA-95
level, IT or OT domain and value-chain stage), its partners (suppliers,
customers, logistics, service providers, platforms) and the links between them
(realtime, batch or manual).  It is read into a :class:`networkx.MultiDiGraph` (a
:class:`~value_chain.landscape_graph.LandscapeGraph`, which counts its changes so that
its metrics' columns are built once):

- nodes are system and partner ids (plain ``str``); node attributes are
  ``kind`` (``"system"`` or ``"partner"``) plus every field given in the file
  (``name``, ``type``, ``level``, ``domain``, ``stage`` ...; the id is the node
  itself, fields left empty are not stored);
- one edge per link, from ``source`` to ``target``, keyed by the link's ``id``
  when it has one and by its position in the list of links otherwise; edge
  attributes are ``mode``, ``bidirectional`` and the optional fields given
  (``protocol``, ``data``, ``notes``, ``id``);
- ``G.graph["enterprise"]`` holds the enterprise description (a dict).

Formats: YAML, JSON, an Excel workbook (sheets ``systems``, ``partners``,
``links`` and optionally ``enterprise`` with columns ``field`` and ``value``)
and GraphML.  Every reader checks the whole file and raises one
:class:`~value_chain.errors.InputError` listing every problem, each with its
file and place (YAML path and line, or sheet, row and column).

The records of a file and the catalogue of system types are in
:mod:`value_chain.landscape_schema`, the checks in :mod:`value_chain.landscape_checks`;
this module reads, builds and writes (and every earlier name stays importable here).

Examples
--------
>>> G = landscape_from_dict({
...     "enterprise": {"name": "Demo 示例", "industry_type": "discrete"},
...     "systems": [{"id": "erp", "name": "ERP 系统", "type": "ERP"},
...                 {"id": "plc1", "name": "PLC line 1", "type": "PLC"}],
...     "links": [{"source": "plc1", "target": "erp", "mode": "manual"}],
... })
>>> G.nodes["plc1"]["level"], G.nodes["plc1"]["domain"], G.nodes["plc1"]["stage"]
(1, 'OT', 'production')
>>> list(G.edges(keys=True, data="mode"))
[('plc1', 'erp', 0, 'manual')]
"""

from __future__ import annotations

import contextlib
import io
import json
import math
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import networkx as nx
import pandas as pd

from value_chain.errors import InputError, Problem, format_location
from value_chain.landscape_checks import (
    SECTIONS,
    Loc,
    Locate,
    check_landscape,
    table_locator,
    yaml_locator,
)
from value_chain.landscape_graph import LandscapeGraph
from value_chain.landscape_schema import (  # the records, re-exported here
    Enterprise,
    Landscape,
    Link,
    Partner,
    System,
    load_system_types,
)
from value_chain.safe_io import (
    LIMITS,
    atomic_write,
    check_workbook,
    clean_text,
    dump_yaml,
    open_workbook,
    preview,
    read_bytes,
    read_mapping,
    set_cell,
)
from value_chain.vocabulary import (  # the vocabularies, stated once
    DEPLOYMENTS,
    DOMAINS,
    INDUSTRY_TYPES,
    LEVELS,
    MODES,
    ROLES,
    STAGES,
)

__all__ = [
    "DEPLOYMENTS",
    "DOMAINS",
    "INDUSTRY_TYPES",
    "LEVELS",
    "MODES",
    "ROLES",
    "SECTIONS",
    "STAGES",
    "Enterprise",
    "Landscape",
    "Link",
    "Partner",
    "System",
    "landscape_from_dict",
    "landscape_from_frames",
    "landscape_to_dict",
    "landscape_to_frames",
    "load_system_types",
    "read_landscape",
    "write_landscape",
]


# --------------------------------------------------------------------------- building


def _graph_from_spec(spec: Landscape) -> LandscapeGraph:
    enterprise = spec.enterprise.model_dump(exclude_none=True) if spec.enterprise else {}
    G = LandscapeGraph(enterprise=enterprise)  # a MultiDiGraph that counts its changes
    for system in spec.systems:
        G.add_node(system.id, kind="system", **system.model_dump(exclude={"id"}, exclude_none=True))
    for partner in spec.partners:
        G.add_node(
            partner.id, kind="partner", **partner.model_dump(exclude={"id"}, exclude_none=True)
        )
    for i, link in enumerate(spec.links):
        attrs = link.model_dump(exclude={"source", "target"}, exclude_none=True)
        G.add_edge(link.source, link.target, key=link.id if link.id is not None else i, **attrs)
    return G


def landscape_from_dict(data: Mapping[str, Any], *, source: str = "<data>") -> nx.MultiDiGraph:
    """Check a landscape document (as read from YAML or JSON) and build its graph.

    Parameters
    ----------
    data
        Mapping with ``systems`` (required), ``partners``, ``links`` and
        ``enterprise``.
    source
        Name used in problem reports.

    Raises
    ------
    InputError
        Listing every problem, with paths such as ``links[2].mode``.

    Examples
    --------
    >>> landscape_from_dict({"systems": [{"id": "m1", "name": "Loom", "type": "machine",
    ...                                   "level": 7}]})
    Traceback (most recent call last):
    ...
    value_chain.errors.InputError: 1 problem in <data>:
      - systems[0].level: ISA-95 level must be 0-4, got 7
    """
    return _graph_from_spec(check_landscape(data, source, yaml_locator(None)))


def _clean(value: Any) -> Any:
    """Plain Python value, or None for a missing cell."""
    if hasattr(value, "item") and not isinstance(value, (list, dict, tuple, str)):
        with contextlib.suppress(ValueError, AttributeError):
            value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, str) and not value.strip():
        return None
    return value


def _records(frame: pd.DataFrame | None) -> tuple[list[dict[str, Any]], list[Any]]:
    """Non-empty rows of a frame as dicts without missing cells, and their labels."""
    if frame is None:
        return [], []
    records, labels = [], []
    columns = [str(c).strip().lower() for c in frame.columns]
    for label, row in zip(frame.index, frame.itertuples(index=False, name=None), strict=True):
        rec = {col: v for col, v in zip(columns, map(_clean, row), strict=True) if v is not None}
        if rec:
            records.append(rec)
            labels.append(label)
    return records, labels


def landscape_from_frames(
    systems: pd.DataFrame,
    partners: pd.DataFrame | None = None,
    links: pd.DataFrame | None = None,
    enterprise: Mapping[str, Any] | None = None,
    *,
    source: str = "<data>",
) -> nx.MultiDiGraph:
    """Build a landscape graph from tables (one row per system, partner, link).

    Columns are the field names of the file format; empty cells are left out.
    Problems are reported as ``table links, row <index label>, column mode``.

    Examples
    --------
    >>> import pandas as pd
    >>> systems = pd.DataFrame({"id": ["erp", "mes"], "name": ["ERP", "MES"],
    ...                         "type": ["ERP", "MES"]})
    >>> links = pd.DataFrame({"source": ["mes"], "target": ["erp"], "mode": ["batch"]})
    >>> G = landscape_from_frames(systems, links=links, enterprise={"name": "Demo"})
    >>> G.number_of_nodes(), G.number_of_edges(), G.graph["enterprise"]
    (2, 1, {'name': 'Demo'})
    """
    data: dict[str, Any] = {}
    rows: dict[str, Any] = {}
    for section, frame in (("systems", systems), ("partners", partners), ("links", links)):
        data[section], rows[section] = _records(frame)
    if enterprise:
        data["enterprise"] = {
            k: v for k, v in ((k, _clean(v)) for k, v in enterprise.items()) if v is not None
        }
    spec = check_landscape(data, source, table_locator("table", rows))
    return _graph_from_spec(spec)


# --------------------------------------------------------------------------- to records

_SYSTEM_COLUMNS = ("id", "name", "type", "level", "domain", "stage", "deployment")
_PARTNER_COLUMNS = ("id", "name", "role")
_LINK_COLUMNS = ("source", "target", "mode", "protocol", "bidirectional")


def _link_order(G: nx.MultiDiGraph) -> list[tuple[Any, Any, Any, dict[str, Any]]]:
    """Edges in file order: a link keyed by its index goes back to that position."""
    edges = list(G.edges(keys=True, data=True))
    n = len(edges)
    slots: list[Any] = [None] * n
    rest = []
    for edge in edges:
        key = edge[2]
        if (
            isinstance(key, int)
            and not isinstance(key, bool)
            and 0 <= key < n
            and slots[key] is None
        ):
            slots[key] = edge
        else:
            rest.append(edge)
    free = iter(i for i, e in enumerate(slots) if e is None)
    for edge in rest:
        slots[next(free)] = edge
    return slots


def _fields(
    attrs: Mapping[str, Any], first: Sequence[str], skip: Iterable[str] = ()
) -> dict[str, Any]:
    skip = set(skip)
    out = {k: attrs[k] for k in first if attrs.get(k) is not None}
    out.update({k: v for k, v in attrs.items() if k not in out and k not in skip and v is not None})
    return out


def landscape_to_dict(G: nx.MultiDiGraph) -> dict[str, Any]:
    """The landscape as a document (the YAML/JSON layout), links in file order.

    Examples
    --------
    >>> G = landscape_from_dict({"systems": [{"id": "erp", "name": "ERP", "type": "ERP"}]})
    >>> landscape_to_dict(G)["systems"]
    [{'id': 'erp', 'name': 'ERP', 'type': 'ERP', 'level': 4, 'domain': 'IT', 'stage': 'management'}]
    """
    doc: dict[str, Any] = {}
    if G.graph.get("enterprise"):
        doc["enterprise"] = dict(G.graph["enterprise"])
    doc["systems"] = []
    doc["partners"] = []
    for node, attrs in G.nodes(data=True):
        kind = attrs.get("kind", "system")
        if kind == "system":
            doc["systems"].append(_fields({"id": node, **attrs}, _SYSTEM_COLUMNS, skip={"kind"}))
        else:
            doc["partners"].append(_fields({"id": node, **attrs}, _PARTNER_COLUMNS, skip={"kind"}))
    doc["links"] = [
        _fields({"source": u, "target": v, **attrs}, _LINK_COLUMNS)
        for u, v, _, attrs in _link_order(G)
    ]
    return doc


def _frame(records: list[dict[str, Any]], first: Sequence[str]) -> pd.DataFrame:
    columns = list(first)
    for rec in records:
        columns += [k for k in rec if k not in columns]
    return pd.DataFrame(records, columns=columns)


def landscape_to_frames(G: nx.MultiDiGraph) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """The landscape as three tables: systems, partners and links.

    Optional fields appear as columns only when at least one row has them.

    Examples
    --------
    >>> G = landscape_from_dict({"systems": [{"id": "erp", "name": "ERP", "type": "ERP"},
    ...                                      {"id": "mes", "name": "MES", "type": "MES"}],
    ...                          "links": [{"source": "mes", "target": "erp", "mode": "batch"}]})
    >>> systems, partners, links = landscape_to_frames(G)
    >>> systems[["id", "level", "domain"]].values.tolist()
    [['erp', 4, 'IT'], ['mes', 3, 'IT']]
    >>> links.columns.tolist(), len(partners)
    (['source', 'target', 'mode', 'protocol', 'bidirectional'], 0)
    """
    doc = landscape_to_dict(G)
    return (
        _frame(doc["systems"], _SYSTEM_COLUMNS),
        _frame(doc["partners"], _PARTNER_COLUMNS),
        _frame(doc["links"], _LINK_COLUMNS),
    )


# --------------------------------------------------------------------------- reading


def _sheet_records(
    ws: Any, name: str, source: str, problems: list[Problem]
) -> tuple[list[dict[str, Any]], list[int]]:
    """Non-empty rows of a sheet as dicts, with their 1-based row numbers.

    Formula cells, over-long texts, repeated column names (read without case) and values
    under no column name are reported in ``problems``, never dropped or merged.
    """
    from openpyxl.utils import get_column_letter

    if (ws.max_row or 0) > LIMITS.records + 1:
        raise InputError(
            [Problem(source, f"sheet {name}", f"{ws.max_row:,} rows; the limit is "
                     f"{LIMITS.records:,} plus the header")]
        )
    rows = ws.iter_rows()
    header = next(rows, ())
    columns: list[str | None] = []
    first: dict[str, str] = {}
    for c, cell in enumerate(header, start=1):
        value = cell.value
        col = str(value).strip().lower() if value is not None and str(value).strip() else None
        letter = get_column_letter(c)
        if col is not None and col in first:
            problems.append(Problem(source, f"sheet {name}, row 1, column {letter}",
                                    f"column {preview(str(value))} repeats column {first[col]} "
                                    "(names are read without case)"))
        elif col is not None:
            first[col] = letter
        columns.append(col)
    records, labels = [], []
    for r, row in enumerate(rows, start=2):
        if r > LIMITS.records + 1:
            raise InputError([Problem(source, f"sheet {name}, row {r}",
                                      f"more than {LIMITS.records:,} rows")])
        rec: dict[str, Any] = {}
        for c, cell in enumerate(row, start=1):
            value = cell.value
            if value is None or (isinstance(value, str) and not value.strip()):
                continue
            where = f"sheet {name}, row {r}, column {get_column_letter(c)}"
            if getattr(cell, "data_type", None) == "f":
                problems.append(Problem(source, where, f"a formula ({preview(str(value))}) is "
                                        "not read; type the value instead"))
                continue
            if isinstance(value, str) and len(value) > LIMITS.text_chars:
                problems.append(Problem(source, where, f"a text of {len(value):,} characters; "
                                        f"the limit is {LIMITS.text_chars:,}"))
                continue
            col = columns[c - 1] if c <= len(columns) else None
            if col is None:
                problems.append(Problem(source, where, "a value under no column name (row 1)"))
                continue
            rec.setdefault(col, _clean(value))
        if rec:
            records.append(rec)
            labels.append(r)
    return records, labels


def _read_xlsx(path: Path) -> tuple[dict[str, Any], Locate]:
    source = str(path)
    check_workbook(path)
    problems: list[Problem] = []
    try:
        wb = open_workbook(path, read_only=True, data_only=False)
    except Exception as exc:  # openpyxl raises many kinds of errors for broken files
        reason = preview(str(exc), 120)
        raise InputError([Problem(source, "", f"cannot read the workbook: {reason}")]) from None
    try:
        sheets = {str(ws.title).strip().lower(): ws for ws in wb.worksheets}
        if "systems" not in sheets:
            found = ", ".join(sheets) or "none"  # sheet names have at most 31 characters
            raise InputError([Problem(source, "", f"sheet systems is missing (sheets found: "
                                      f"{found})")])
        data: dict[str, Any] = {}
        rows: dict[str, Any] = {}
        for section in ("systems", "partners", "links"):
            if section in sheets:
                data[section], rows[section] = _sheet_records(
                    sheets[section], section, source, problems)
            else:
                data[section], rows[section] = [], []
        if "enterprise" in sheets:
            records, labels = _sheet_records(sheets["enterprise"], "enterprise", source, problems)
            enterprise, field_rows = {}, {}
            for rec, label in zip(records, labels, strict=True):
                if "field" not in rec:
                    continue
                field = str(rec["field"]).strip()
                if field in field_rows:
                    problems.append(Problem(source, f"sheet enterprise, row {label}",
                                            f"field {preview(field)} repeats row "
                                            f"{field_rows[field]}"))
                    continue
                enterprise[field] = rec.get("value")
                field_rows[field] = label
            enterprise = {k: v for k, v in enterprise.items() if v is not None}
            if enterprise:
                data["enterprise"] = enterprise
            rows["enterprise_fields"] = field_rows
    except InputError:
        raise
    except Exception as exc:  # a damaged part of the zip shows up only while reading
        reason = preview(str(exc), 120)
        raise InputError([Problem(source, "", f"cannot read the workbook: {reason}")]) from None
    finally:
        wb.close()
    if problems:
        raise InputError(problems)
    return data, table_locator("sheet", rows)


_GRAPHML_ENTERPRISE = "enterprise."
_GRAPHML_ORDER = "link_index"
_GRAPHML_LINK_ID = "link_id"


_GRAPHML_TYPES = ("boolean", "int", "long", "float", "double", "string")
_KINDS = ("system", "partner")


def _graphml_problems(raw: bytes, source: str) -> list[Problem]:
    """What networkx would merge or misread silently: repeated node ids, unknown types."""
    problems: list[Problem] = []
    nodes: set[str] = set()
    count = 0
    try:
        for _, element in ET.iterparse(io.BytesIO(raw), events=("start",)):
            tag = element.tag.rsplit("}", 1)[-1]
            if tag == "key":
                kind = element.get("attr.type", "string")
                if kind not in _GRAPHML_TYPES:
                    problems.append(Problem(
                        source, f"key {preview(element.get('id', ''))}",
                        f"attr.type {preview(kind)} is not one of {', '.join(_GRAPHML_TYPES)}"))
            elif tag in ("node", "edge"):
                count += 1
                if count > 3 * LIMITS.records:
                    raise InputError([Problem(source, f"{tag} {count:,}",
                                              f"more than {LIMITS.records:,} {tag}s")])
                node = element.get("id")
                if tag == "node" and node is not None:
                    if node in nodes:
                        problems.append(Problem(source, f"node {preview(node)}",
                                                "duplicate node id (the two would be merged)"))
                    nodes.add(node)
    except ET.ParseError as exc:
        line, column = exc.position
        raise InputError([Problem(source, f"line {line}, column {column + 1}",
                                  f"invalid GraphML: {preview(str(exc), 120)}")]) from None
    return problems


def _read_graphml(path: Path) -> tuple[dict[str, Any], Locate]:
    source = str(path)
    raw = read_bytes(path)
    problems = _graphml_problems(raw, source)
    if problems:
        raise InputError(problems)
    try:
        H = nx.read_graphml(io.BytesIO(raw), force_multigraph=True)
    except Exception as exc:  # ElementTree and networkx raise several kinds
        reason = preview(str(exc), 120)
        raise InputError([Problem(source, "", f"cannot read GraphML: {reason}")]) from None
    data: dict[str, Any] = {"systems": [], "partners": [], "links": []}
    names: dict[str, list[str]] = {"systems": [], "partners": [], "links": []}
    enterprise = {
        k[len(_GRAPHML_ENTERPRISE) :]: v
        for k, v in H.graph.items()
        if k.startswith(_GRAPHML_ENTERPRISE)
    }
    if enterprise:
        data["enterprise"] = enterprise
    for node, attrs in H.nodes(data=True):
        attrs = dict(attrs)
        kind = attrs.pop("kind", "system")
        if kind not in _KINDS:
            problems.append(Problem(source, f"node {preview(node)}, attribute kind",
                                    f"unknown kind {preview(kind)}; use system or partner"))
        section = "partners" if kind == "partner" else "systems"
        data[section].append({"id": node, **attrs})
        names[section].append(f"node {preview(node)}")
    edges = list(H.edges(data=True))
    for u, v, attrs in edges:
        order = attrs.get(_GRAPHML_ORDER, math.inf)
        if order is not math.inf and (isinstance(order, bool) or not isinstance(order, int)):
            try:
                attrs[_GRAPHML_ORDER] = int(str(order))
            except ValueError:
                problems.append(Problem(source, f"edge {preview(u)} -> {preview(v)}, attribute "
                                        f"{_GRAPHML_ORDER}", f"{preview(order)} is not a whole "
                                        "number"))
                attrs[_GRAPHML_ORDER] = math.inf
    if problems:
        raise InputError(problems)
    edges.sort(key=lambda e: e[2].get(_GRAPHML_ORDER, math.inf))
    for u, v, attrs in edges:
        attrs = dict(attrs)
        attrs.pop(_GRAPHML_ORDER, None)
        if _GRAPHML_LINK_ID in attrs:
            attrs["id"] = attrs.pop(_GRAPHML_LINK_ID)
        data["links"].append({"source": u, "target": v, **attrs})
        names["links"].append(f"edge {preview(u)} -> {preview(v)}")

    def locate(loc: Loc) -> str:
        if not loc:
            return ""
        if loc[0] == "enterprise":
            return "graph attribute " + _GRAPHML_ENTERPRISE + format_location(loc[1:])
        parts = [loc[0]]
        if len(loc) > 1 and isinstance(loc[1], int) and loc[1] < len(names[loc[0]]):
            parts = [names[loc[0]][loc[1]]]
        if len(loc) > 2:
            parts.append(f"attribute {format_location(loc[2:])}")
        return ", ".join(parts)

    return data, locate


def read_landscape(path: str | Path) -> nx.MultiDiGraph:
    """Read and check a landscape file: YAML, JSON, Excel (.xlsx) or GraphML.

    Parameters
    ----------
    path
        The file; its suffix picks the format.

    Returns
    -------
    networkx.MultiDiGraph
        Systems and partners as nodes, links as edges (see the module notes).

    Raises
    ------
    InputError
        Listing every problem of the file at once, each with its place
        (``systems[3].level (line 14)`` or ``sheet links, row 5, column mode``).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "plant.yaml").write_text(
    ...     "systems:\\n"
    ...     "  - {id: erp, name: ERP, type: ERP}\\n"
    ...     "  - {id: erp, name: MES, type: MES}\\n"
    ...     "links:\\n"
    ...     "  - {source: erp, target: wms, mode: fax}\\n", encoding="utf-8")
    >>> read_landscape(folder / "plant.yaml")
    Traceback (most recent call last):
    ...
    value_chain.errors.InputError: 3 problems in .../plant.yaml:
      - systems[1].id (line 3): duplicate id 'erp' (already used at systems[0].id (line 2))
      - links[0].mode (line 5): unknown link mode 'fax'; expected one of: realtime, batch, manual
      - links[0].target (line 5): unknown id 'wms': no system or partner has this id
    """
    path = Path(path)
    source = str(path)
    suffix = path.suffix.lower()
    if suffix in (".yaml", ".yml", ".json"):
        data, node = read_mapping(path)
        locate = yaml_locator(node)
    elif suffix in (".xlsx", ".xlsm"):
        if not path.is_file():
            raise InputError([Problem(source, "", "file not found")])
        data, locate = _read_xlsx(path)
    elif suffix == ".graphml":
        if not path.is_file():
            raise InputError([Problem(source, "", "file not found")])
        data, locate = _read_graphml(path)
    else:
        raise InputError(
            [Problem(source, "", f"unknown format {suffix!r}; use .yaml, .json, .xlsx or .graphml")]
        )
    return _graph_from_spec(check_landscape(data, source, locate))


# --------------------------------------------------------------------------- writing


def _graphml_copy(G: nx.MultiDiGraph) -> nx.MultiDiGraph:
    doc = landscape_to_dict(G)
    H = nx.MultiDiGraph()
    for k, v in doc.get("enterprise", {}).items():
        H.graph[_GRAPHML_ENTERPRISE + k] = clean_text(v)
    for kind, section in (("system", "systems"), ("partner", "partners")):
        for rec in doc[section]:
            rec = {k: clean_text(v) for k, v in rec.items()}  # XML cannot hold control chars
            H.add_node(str(rec.pop("id")), kind=kind, **rec)
    for i, rec in enumerate(doc["links"]):
        rec = {k: clean_text(v) for k, v in rec.items()}
        u, v = rec.pop("source"), rec.pop("target")
        if "id" in rec:
            rec[_GRAPHML_LINK_ID] = rec.pop("id")
        H.add_edge(u, v, key=i, **{_GRAPHML_ORDER: i}, **rec)
    return H


def write_landscape(G: nx.MultiDiGraph, path: str | Path) -> Path:
    """Write a landscape; the suffix picks YAML, JSON, Excel (.xlsx) or GraphML.

    Reading the file back with :func:`read_landscape` gives an equal graph
    (same nodes, attributes, edge keys and enterprise).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> G = landscape_from_dict({"systems": [{"id": "erp", "name": "ERP 系统", "type": "ERP"}]})
    >>> path = write_landscape(G, pathlib.Path(tempfile.mkdtemp()) / "plant.json")
    >>> dict(read_landscape(path).nodes(data="name"))
    {'erp': 'ERP 系统'}
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix in (".yaml", ".yml"):
        atomic_write(path, dump_yaml(landscape_to_dict(G)))
    elif suffix == ".json":
        atomic_write(path, json.dumps(landscape_to_dict(G), ensure_ascii=False, indent=2) + "\n")
    elif suffix == ".xlsx":
        atomic_write(path, lambda tmp: _workbook(G).save(tmp))
    elif suffix == ".graphml":
        H = _graphml_copy(G)
        atomic_write(path, lambda tmp: nx.write_graphml(H, tmp, encoding="utf-8"))
    else:
        raise InputError(
            [
                Problem(
                    str(path),
                    "",
                    f"unknown landscape format {preview(suffix)}; use .yaml, .json, .xlsx or "
                    ".graphml",
                )
            ]
        )
    return path


def _workbook(G: nx.MultiDiGraph) -> Any:
    """The landscape as an openpyxl workbook: text stays text (never a formula), control
    characters removed (with a warning)."""
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    systems, partners, links = landscape_to_frames(G)
    enterprise = list(G.graph.get("enterprise", {}).items())
    tables = {
        "enterprise": (["field", "value"], [list(row) for row in enterprise]),
        "systems": (list(systems.columns), systems.astype(object).values.tolist()),
        "partners": (list(partners.columns), partners.astype(object).values.tolist()),
        "links": (list(links.columns), links.astype(object).values.tolist()),
    }
    for name, (header, rows) in tables.items():
        ws = wb.create_sheet(name)
        for r, row in enumerate([header, *rows], start=1):
            for c, value in enumerate(row, start=1):
                set_cell(ws, r, c, _clean(value))
    return wb
