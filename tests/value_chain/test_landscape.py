"""Reading, checking and writing landscapes (value_chain/landscape.py)."""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import pandas as pd
import pytest
import yaml

from value_chain import (
    InputError,
    landscape_from_dict,
    landscape_from_frames,
    landscape_to_dict,
    landscape_to_frames,
    load_system_types,
    read_landscape,
    write_landscape,
)

BROKEN = Path(__file__).parent / "broken"
DATASETS = Path(__file__).parents[2] / "datasets" / "landscapes"

SPINNING_MILL = {
    "enterprise": {
        "name": "纺纱厂 Spinning Mill",
        "sector": "textiles",
        "industry_type": "discrete",
        "size": 120,
        "notes": "two sites\nsecond line",
    },
    "systems": [
        {
            "id": "erp",
            "name": "ERP 系统 (用友 U8)",
            "type": "ERP",
            "vendor": "用友",
            "version": "13.0",
        },
        {"id": "001", "name": "MES 制造执行", "type": "mes", "deployment": "on-premise"},
        {
            "id": "plc",
            "name": "PLC <梳棉机>",
            "type": "PLC",
            "level": 2,
            "notes": "Profinet & Modbus",
        },
        {"id": "loom", "name": "Loom", "type": "machine", "stage": "production", "owner": "王工"},
    ],
    "partners": [
        {"id": "cotton", "name": "棉花供应商", "role": "supplier", "location": "新疆"},
        {"id": "shop", "name": "Customer", "role": "customer"},
    ],
    "links": [
        {"source": "001", "target": "erp", "mode": "batch", "protocol": "CSV"},
        {
            "source": "plc",
            "target": "001",
            "mode": "realtime",
            "id": "L-plc",
            "bidirectional": True,
        },
        {"source": "cotton", "target": "erp", "mode": "manual", "data": "订单 orders"},
        {"source": "001", "target": "erp", "mode": "manual", "notes": "shift report"},
    ],
}


@pytest.fixture
def spinning_mill() -> nx.MultiDiGraph:
    return landscape_from_dict(SPINNING_MILL)


def assert_same_landscape(G: nx.MultiDiGraph, H: nx.MultiDiGraph) -> None:
    assert list(H.nodes(data=True)) == list(G.nodes(data=True))
    assert sorted(H.edges(keys=True, data=True), key=repr) == sorted(
        G.edges(keys=True, data=True), key=repr
    )
    assert H.graph == G.graph
    assert landscape_to_dict(H) == landscape_to_dict(G)


# --------------------------------------------------------------------------- graph layout


def test_graph_layout_nodes_edges_and_defaults(spinning_mill):
    G = spinning_mill
    assert isinstance(G, nx.MultiDiGraph)
    assert list(G.nodes) == ["erp", "001", "plc", "loom", "cotton", "shop"]
    assert all(type(n) is str for n in G.nodes)
    # Defaults from the catalogue: MES is level 3, IT, production; "on-premise" normalised.
    assert G.nodes["001"] == {
        "kind": "system",
        "name": "MES 制造执行",
        "type": "MES",
        "level": 3,
        "domain": "IT",
        "stage": "production",
        "deployment": "on_premise",
    }
    # Level given, domain left out: level 2 means OT.
    assert (G.nodes["plc"]["level"], G.nodes["plc"]["domain"]) == (2, "OT")
    assert G.nodes["cotton"] == {
        "kind": "partner",
        "name": "棉花供应商",
        "role": "supplier",
        "location": "新疆",
    }
    # Keys: the link id when given, else the position in the list.
    assert sorted(G.edges(keys=True), key=repr) == sorted(
        [("001", "erp", 0), ("plc", "001", "L-plc"), ("cotton", "erp", 2), ("001", "erp", 3)],
        key=repr,
    )
    assert G.edges["plc", "001", "L-plc"] == {
        "mode": "realtime",
        "bidirectional": True,
        "id": "L-plc",
    }
    assert G.edges["001", "erp", 0] == {"mode": "batch", "protocol": "CSV", "bidirectional": False}
    assert G.graph["enterprise"]["size"] == "120"  # numbers in text fields become text


def test_level_given_at_3_makes_a_plc_it():
    G = landscape_from_dict({"systems": [{"id": "p", "name": "P", "type": "PLC", "level": 3}]})
    assert G.nodes["p"]["domain"] == "IT"


def test_catalogue_has_every_documented_type_with_consistent_defaults():
    types = load_system_types()
    expected = {
        "ERP", "MES", "SCADA", "DCS", "PLC", "HMI", "PLM", "CAD", "APS", "WMS", "QMS", "EAM",
        "CRM", "SRM", "historian", "iot_platform", "data_platform", "digital_twin", "machine",
        "sensor", "other",
    }  # fmt: skip
    assert set(types["type"]) == expected
    assert list(types.columns) == [
        "type", "name_en", "name_zh", "default_level", "default_domain", "default_stage", "source",
    ]  # fmt: skip
    assert types["source"].str.len().min() > 0
    row = types.set_index("type").loc["SCADA"]
    assert (row["default_level"], row["default_domain"]) == (2, "OT")


def test_type_names_match_loosely():
    G = landscape_from_dict(
        {
            "systems": [
                {"id": "a", "name": "A", "type": "IoT platform"},
                {"id": "b", "name": "B", "type": "erp"},
            ]
        }
    )
    assert G.nodes["a"]["type"] == "iot_platform"
    assert G.nodes["b"]["type"] == "ERP"


# --------------------------------------------------------------------------- round trips


@pytest.mark.parametrize("suffix", [".yaml", ".yml", ".json", ".xlsx", ".graphml"])
def test_round_trip_through_every_format_loses_nothing(spinning_mill, tmp_path, suffix):
    path = write_landscape(spinning_mill, tmp_path / f"mill{suffix}")
    assert_same_landscape(spinning_mill, read_landscape(path))


@pytest.mark.parametrize("suffix", [".yaml", ".json", ".xlsx", ".graphml"])
def test_round_trip_of_every_example(tmp_path, suffix):
    for example in sorted(DATASETS.glob("*.yaml")):
        G = read_landscape(example)
        assert_same_landscape(G, read_landscape(write_landscape(G, tmp_path / f"x{suffix}")))


def test_round_trip_through_frames(spinning_mill):
    systems, partners, links = landscape_to_frames(spinning_mill)
    assert list(systems.columns[:7]) == [
        "id",
        "name",
        "type",
        "level",
        "domain",
        "stage",
        "deployment",
    ]
    assert {"vendor", "version", "notes", "owner"} <= set(systems.columns)
    assert systems.loc[2, "name"] == "PLC <梳棉机>"
    assert links["id"].tolist()[1] == "L-plc"
    H = landscape_from_frames(systems, partners, links, spinning_mill.graph["enterprise"])
    assert_same_landscape(spinning_mill, H)


def test_written_yaml_is_readable_text(spinning_mill, tmp_path):
    path = write_landscape(spinning_mill, tmp_path / "mill.yaml")
    text = path.read_text(encoding="utf-8")
    assert "纺纱厂 Spinning Mill" in text  # not \u escapes
    assert yaml.safe_load(text)["links"][1]["id"] == "L-plc"


def test_link_order_survives_links_with_ids(tmp_path):
    doc = {
        "systems": [{"id": s, "name": s, "type": "MES"} for s in "abc"],
        "links": [
            {"source": "a", "target": "b", "mode": "batch"},
            {"source": "b", "target": "c", "mode": "batch", "id": "middle"},
            {"source": "c", "target": "a", "mode": "manual"},
        ],
    }
    G = landscape_from_dict(doc)
    assert [(link["source"], link.get("id")) for link in landscape_to_dict(G)["links"]] == [
        ("a", None),
        ("b", "middle"),
        ("c", None),
    ]
    H = read_landscape(write_landscape(G, tmp_path / "x.graphml"))
    assert set(H.edges(keys=True)) == {("a", "b", 0), ("b", "c", "middle"), ("c", "a", 2)}


def test_write_refuses_unknown_suffix(spinning_mill, tmp_path):
    with pytest.raises(ValueError, match=r"unknown landscape format '\.txt'"):
        write_landscape(spinning_mill, tmp_path / "x.txt")


# --------------------------------------------------------------------------- broken inputs


def problems_of(path: Path) -> list[str]:
    with pytest.raises(InputError) as info:
        read_landscape(path)
    return [str(p) for p in info.value.problems]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        (
            "duplicate_id.yaml",
            "partners[0].id (line 6): duplicate id 'erp' (already used at systems[0].id (line 3))",
        ),
        (
            "unknown_link_end.yaml",
            "links[0].target (line 5): unknown id 'wms': no system or partner has this id",
        ),
        ("level_7.yaml", "systems[1].level (line 7): ISA-95 level must be 0-4, got 7"),
        (
            "unknown_mode.yaml",
            "links[1].mode (line 7): unknown link mode 'fax'; "
            "expected one of: realtime, batch, manual",
        ),
        (
            "unknown_type.yaml",
            "systems[1].type (line 4): unknown system type 'mainframe'; expected one of: ERP,",
        ),
        ("self_loop.yaml", "links[0].target (line 5): self-loop: link from 'mes' to itself"),
        ("empty_systems.yaml", "systems (line 3): the landscape has no systems; list at least one"),
        ("bad_syntax.yaml", "line 5, column 6: invalid YAML: expected ',' or '}'"),
        ("alias_bomb.yaml", "line 8, column 12: more than 1,000,000 values once aliases"),
        ("deep_nesting.json", "line 1, column 62: nested more than 50 levels deep"),
        ("duplicate_key.yaml", "line 5: duplicate key 'name' (already on line 3)"),
    ],
)
def test_each_broken_file_fails_with_its_own_message(name, expected):
    path = BROKEN / name
    problems = problems_of(path)
    assert len(problems) == 1, problems
    assert problems[0].startswith(f"{path}: {expected}")


def test_every_problem_is_listed_at_once():
    path = BROKEN / "many_problems.json"
    with pytest.raises(InputError) as info:
        read_landscape(path)
    where = [(p.source, p.location) for p in info.value.problems]
    assert where == [
        (str(path), "enterprise.industry_type"),
        (str(path), "systems[0].stage"),
        (str(path), "systems[1].domain"),
        (str(path), "systems[1].colour"),
        (str(path), "partners[0].role"),
        (str(path), "links[0].bidirectional"),
    ]
    messages = [p.message for p in info.value.problems]
    assert messages[0] == "unknown industry type 'hybrid'; expected one of: discrete, process"
    assert messages[2] == "unknown domain 'XT'; expected one of: IT, OT"
    assert messages[3] == "unknown field (check the spelling)"
    assert messages[4].startswith("unknown partner role 'friend'")
    assert str(info.value).startswith(f"6 problems in {path}:")


def test_missing_file_and_unknown_format(tmp_path):
    assert problems_of(tmp_path / "nowhere.xlsx") == [
        f"{tmp_path / 'nowhere.xlsx'}: file not found"
    ]
    (tmp_path / "plant.txt").write_text("x", encoding="utf-8")
    assert "unknown format '.txt'" in problems_of(tmp_path / "plant.txt")[0]


def test_file_that_is_not_a_mapping(tmp_path):
    (tmp_path / "list.yaml").write_text("- a\n- b\n", encoding="utf-8")
    (tmp_path / "empty.yaml").write_text("# nothing\n", encoding="utf-8")
    assert "got a list" in problems_of(tmp_path / "list.yaml")[0]
    assert "got empty file" in problems_of(tmp_path / "empty.yaml")[0]


def test_missing_required_fields_are_named():
    with pytest.raises(InputError) as info:
        landscape_from_dict({"systems": [{"id": "a", "type": "ERP"}], "links": [{"source": "a"}]})
    assert [str(p) for p in info.value.problems] == [
        "<data>: systems[0].name: required field is missing",
        "<data>: links[0].target: required field is missing",
        "<data>: links[0].mode: required field is missing",
    ]


def test_xlsx_with_bad_rows_names_sheet_row_and_column(tmp_path):
    path = tmp_path / "plant.xlsx"
    systems = pd.DataFrame(
        {
            "id": ["erp", "mes", "loom"],
            "name": ["ERP", "MES", "Loom"],
            "type": ["ERP", "MES", "machine"],
            "level": [4, None, 9],
        }
    )
    links = pd.DataFrame(
        {"source": ["mes", "loom"], "target": ["erp", "wms"], "mode": ["batch", "pigeon"]}
    )
    with pd.ExcelWriter(path) as writer:
        systems.to_excel(writer, sheet_name="systems", index=False)
        links.to_excel(writer, sheet_name="links", index=False)
    assert problems_of(path) == [
        f"{path}: sheet systems, row 4, column level: ISA-95 level must be 0-4, got 9",
        f"{path}: sheet links, row 3, column mode: unknown link mode 'pigeon'; "
        "expected one of: realtime, batch, manual",
        f"{path}: sheet links, row 3, column target: "
        "unknown id 'wms': no system or partner has this id",
    ]


def test_xlsx_without_systems_sheet(tmp_path):
    path = tmp_path / "plant.xlsx"
    pd.DataFrame({"a": [1]}).to_excel(path, sheet_name="machines", index=False)
    assert problems_of(path) == [f"{path}: sheet systems is missing (sheets found: machines)"]


def test_frames_problems_name_table_row_and_column():
    systems = pd.DataFrame(
        {"id": ["a", "a"], "name": ["A", "B"], "type": ["ERP", "MES"]}, index=[10, 11]
    )
    with pytest.raises(InputError) as info:
        landscape_from_frames(systems)
    assert [p.location for p in info.value.problems] == ["table systems, row 11, column id"]
    assert (
        info.value.problems[0].message
        == "duplicate id 'a' (already used at table systems, row 10, column id)"
    )
