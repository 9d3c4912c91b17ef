"""What integration means, one function per measure, as an IT/OT architect reads it.

Every measure follows *automatic* links only (mode ``realtime`` or ``batch``) between
systems that count (systems not marked ``isolated: true``); a link goes from
``source`` to ``target``, and both ways when ``bidirectional``.  Shares are counted
over *functions* (see :mod:`value_chain._link_table`): a function drawn as twelve
nodes weighs what it weighs drawn as one.  Each function below takes the columns of
a landscape (:class:`~value_chain._link_table.LinkTable`) and the flow matrices
built once (:class:`Flows`), and returns plain values ready for JSON.  To measure one
figure alone: ``information_islands(Flows.of(link_table(G)))``.

- **Information islands**: groups of systems joined by automatic links (either
  direction).  The count adds up, per group, the largest share of one function in
  it, so ten unlinked analysers of one cell are one island, not ten.  Systems marked
  ``isolated`` are listed last, each alone, and never counted.  The unlinked pieces of one
  function (three lone PLCs of one press line) are listed together, as they count.
- **Vertical integration**, per ISA-95 level that exists below the top one: a
  shop-floor system's (levels 0-2) data flows *up* when an automatic path runs from
  it, through systems no higher than level 3, to a level-3 system (MES) whose own
  data reaches the top level (ERP); orders flow *down* the same way.  Where the
  landscape has no level 3, the top level takes its place.  A level-3 system is
  integrated when orders come down from the top and its confirmations go up; a
  shop-floor system when its data goes up (how far orders come down is reported
  beside).  The headline figure is the mean over the levels of the share of
  integrated functions.
- **Horizontal integration**: the value-chain stages present (design, procurement,
  production, logistics, sales, service; a stage is present with a system or a
  partner of its role: suppliers for procurement, customers and platforms for
  sales, logistics partners, service providers), each neighbouring pair of them
  linked when an automatic path runs between them either way, through any systems
  (the ERP as a hub) and including EDI with partners.
- **IT/OT convergence**: the share of OT functions whose data reaches an IT system
  along an automatic path.
- **Digital thread**: automatic paths join design to production and production on
  to service (a service system or a service partner); each step counts when the
  path runs either way (a portal that looks up as-built data is often drawn towards
  the MES).
- **Points of failure**: systems and single links whose failure splits an island,
  ranked by the functions they cut off from the business level; a link or system
  that cuts off just one device is not listed.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy import sparse
from scipy.sparse import csgraph

from value_chain._link_table import LinkTable, link_table
from value_chain._reach import (
    contains,
    failure_points,
    reach,
    reach_with_path,
    undirected_simple,
    within,
)
from value_chain.landscape import ROLES, STAGES

__all__ = [
    "PARTNER_STAGE",
    "VALUE_CHAIN",
    "Flows",
    "digital_thread",
    "horizontal_integration",
    "information_islands",
    "it_ot_convergence",
    "link_table",
    "points_of_failure",
    "vertical_integration",
]

VALUE_CHAIN: tuple[str, ...] = tuple(s for s in STAGES if s != "management")
"""Value-chain stages in order; horizontal integration looks at neighbours in it."""

PARTNER_STAGE: dict[str, str] = {
    "supplier": "procurement",
    "customer": "sales",
    "platform": "sales",
    "logistics": "logistics",
    "service_provider": "service",
}
"""The value-chain stage a partner of each role stands for."""

LEADERS = 20
"""Points of failure listed with what they cut off (the rest are counted)."""


@dataclass(frozen=True, eq=False)
class Flows:
    """The automatic links of a landscape as matrices, built once.

    ``down`` holds the links source -> target, ``up`` the same reversed; ``simple``
    is the undirected simple graph (``lo, hi, count``: its pairs and their links);
    ``partner_in``/``partner_out``: automatic links partner -> system and
    system -> partner (node numbers), bidirectional ones in both.
    """

    table: LinkTable
    down: sparse.csr_matrix
    up: sparse.csr_matrix
    simple: sparse.csr_matrix
    lo: np.ndarray
    hi: np.ndarray
    count: np.ndarray
    partner_in: tuple[np.ndarray, np.ndarray]
    partner_out: tuple[np.ndarray, np.ndarray]

    @classmethod
    def of(cls, t: LinkTable) -> Flows:
        auto = t.automatic()
        down = t.flow_matrix(auto)
        simple, lo, hi, count = undirected_simple(t.n, t.src[auto], t.dst[auto])
        any_auto = t.automatic(systems_only=False)
        counted = t.counted
        partner = ~t.is_system
        s, d, both = t.src[any_auto], t.dst[any_auto], t.both[any_auto]
        into = partner[s] & counted[d]
        out_of = counted[s] & partner[d]
        partner_in = (np.concatenate([s[into], d[out_of & both]]),
                      np.concatenate([d[into], s[out_of & both]]))
        partner_out = (np.concatenate([s[out_of], d[into & both]]),
                       np.concatenate([d[out_of], s[into & both]]))
        return cls(t, down, down.T.tocsr(), simple, lo, hi, count, partner_in, partner_out)


def _share(values: np.ndarray, weight: np.ndarray) -> float | None:
    total = float(weight.sum())
    return float((weight * values).sum() / total) if total > 0 else None


def _round(x: float | None) -> float | None:
    return None if x is None else round(x, 6)


def information_islands(f: Flows) -> dict[str, Any]:
    """Islands (lists of ids, largest first, ties in landscape order) and their count.

    An island is a group of systems joined by automatic links; the unlinked pieces of one
    function (lone PLCs of one cell, ERP modules not linked to each other) are listed as
    one island, as they are counted.

    >>> from value_chain._link_table import link_table
    >>> from value_chain.landscape import landscape_from_dict
    >>> G = landscape_from_dict({"systems": [
    ...     {"id": "dcs", "name": "DCS", "type": "DCS"},
    ...     {"id": "a1", "name": "Analyser 1", "type": "sensor", "cell": "lab"},
    ...     {"id": "a2", "name": "Analyser 2", "type": "sensor", "cell": "lab"}]})
    >>> islands = information_islands(Flows.of(link_table(G)))
    >>> islands["islands"], islands["island_count"]  # the lab's analysers: one island
    ([['a1', 'a2'], ['dcs']], 2)
    """
    t = f.table
    counted = np.flatnonzero(t.counted)
    if counted.size == 0:
        return {"islands": [[t.ids[i]] for i in np.flatnonzero(t.isolated).tolist()],
                "island_count": 0, "functions": 0}
    _, label = csgraph.connected_components(f.simple, directed=False)
    comp = label[counted]
    present = np.zeros(int(label.max()) + 1, dtype=bool)
    present[comp] = True
    comp = (np.cumsum(present) - 1)[comp]  # groups numbered 0..k-1
    k = int(comp.max()) + 1
    unit = t.unit[counted]
    shares = sparse.csr_matrix((t.weight[counted], (comp, unit)),
                               shape=(k, int(unit.max()) + 1))  # repeated entries add up
    # Count: per group, the largest share of one function in it.
    best = shares.max(axis=1).toarray().ravel()
    count = max(1, int(np.floor(best.sum() + 0.5)))
    # Listed islands: the groups, with the unlinked pieces of one function (three lone
    # PLCs of one press line) listed together, as they are counted.
    single = np.diff(shares.indptr) == 1
    lead = np.full(k, counted.size)
    np.minimum.at(lead, comp, np.arange(counted.size))
    first_unit = unit[lead]  # the function of each group's first system
    entry = np.where(single, k + first_unit, np.arange(k))
    _, entry = np.unique(entry, return_inverse=True)
    island = entry[comp]
    m = int(island.max()) + 1
    size = np.bincount(island, minlength=m)
    first = np.full(m, counted.size)
    np.minimum.at(first, island, np.arange(counted.size))
    rank = np.empty(m, dtype=np.int64)
    rank[np.lexsort((first, -size))] = np.arange(m)
    ordered = counted[np.argsort(rank[island], kind="stable")]  # by rank, then landscape order
    bounds = np.concatenate([[0], np.cumsum(size[np.argsort(rank)])]).tolist()
    flat = t.id_array[ordered].tolist()
    islands = [flat[a:b] for a, b in itertools.pairwise(bounds)]
    # Isolated systems follow, each alone, so that a drawing places every system; they
    # are not islands and are not counted.
    islands += [[x] for x in t.id_array[t.isolated].tolist()]
    return {"islands": islands, "island_count": count,
            "functions": int(np.count_nonzero(np.bincount(unit)))}


def vertical_integration(f: Flows) -> dict[str, Any]:
    """Per level below the top one: shares of functions whose data flows up, whose
    orders flow down, and that are integrated; the mean of the last as the headline.

    A level's *gateway* is the level its data must pass through: the top level for
    level 3 (MES to ERP), level 3 for the shop floor when it exists (so a PLC wired
    straight to the ERP past an existing MES does not count), the top level otherwise.
    Data flows up from a system when an automatic path runs from it to a gateway system
    whose own data flows up, through systems no higher than the gateway; orders flow
    down likewise.  Level 3 needs both; the shop floor (levels 0-2) needs its data up.
    """
    t = f.table
    counted = t.counted
    levels = sorted({int(x) for x in np.unique(t.level[counted]) if x >= 0}, reverse=True)
    if len(levels) < 2:
        reason = "no_systems" if not counted.any() else "one_level"
        return {"vertical_integration": None, "vertical_by_level": [], "vertical_reason": reason}
    top = levels[0]
    up_at = {top: counted & (t.level == top)}
    down_at = dict(up_at)
    below: dict[int, tuple[Any, Any]] = {}
    rows = []
    for level in levels[1:]:
        gateway = 3 if (level < 3 and 3 in levels and top > 3) else top
        gateway = levels[levels.index(level) - 1] if level >= 3 else gateway
        here = counted & (t.level == level)
        if gateway not in below:  # the links among systems no higher than the gateway
            allowed = t.level <= gateway
            below[gateway] = (within(f.up, allowed), within(f.down, allowed))
        up = reach(below[gateway][0], up_at[gateway]) & here
        down = reach(below[gateway][1], down_at[gateway]) & here
        up_at[level], down_at[level] = up, down
        integrated = up & down if level >= 3 else up
        w = t.weight[here]
        rows.append({
            "level": level,
            "systems": int(here.sum()),
            "functions": round(float(w.sum()), 2),
            "up": _round(_share(up[here], w)),
            "down": _round(_share(down[here], w)),
            "integrated": _round(_share(integrated[here], w)),
            "not_integrated": [t.ids[i] for i in np.flatnonzero(here & ~integrated)[:5]],
        })
    headline = float(np.mean([r["integrated"] for r in rows]))
    return {"vertical_integration": _round(headline), "vertical_by_level": rows,
            "vertical_reason": None}


def _stage_sets(f: Flows) -> dict[str, tuple[np.ndarray, np.ndarray, bool]]:
    """Per stage: where its data enters the systems, where it leaves them, presence."""
    t = f.table
    counted = t.counted
    p_in_src, p_in_dst = f.partner_in
    p_out_src, p_out_dst = f.partner_out
    out = {}
    for stage in VALUE_CHAIN:
        code = STAGES.index(stage)
        roles = [ROLES.index(r) for r, s in PARTNER_STAGE.items() if s == stage]
        is_partner = np.isin(t.role, roles) & ~t.is_system
        entry = counted & (t.stage == code)
        leave = entry.copy()
        entry[p_in_dst[is_partner[p_in_src]]] = True
        leave[p_out_src[is_partner[p_out_dst]]] = True
        present = bool((counted & (t.stage == code)).any() or is_partner.any())
        out[stage] = (entry, leave, present)
    return out


def horizontal_integration(f: Flows) -> dict[str, Any]:
    """Share of neighbouring present value-chain stages joined by an automatic path."""
    sets = _stage_sets(f)
    present = [s for s in VALUE_CHAIN if sets[s][2]]
    missing = [s for s in VALUE_CHAIN if not sets[s][2]]
    reached = {s: reach(f.down, sets[s][0]) for s in present}
    pairs = []
    for a, b in itertools.pairwise(present):
        linked = bool((reached[a] & sets[b][1]).any() or (reached[b] & sets[a][1]).any())
        pairs.append({"from": a, "to": b, "present": True, "linked": linked})
    if not pairs:
        return {"horizontal_integration": None, "stage_pairs": [], "stages_missing": missing,
                "horizontal_reason": "one_stage"}
    share = sum(p["linked"] for p in pairs) / len(pairs)
    return {"horizontal_integration": _round(share), "stage_pairs": pairs,
            "stages_missing": missing, "horizontal_reason": None}


def it_ot_convergence(f: Flows) -> dict[str, Any]:
    """Share of OT functions whose data reaches an IT system automatically."""
    t = f.table
    ot = t.counted & t.ot
    if not ot.any():
        return {"it_ot_convergence": None, "it_ot_reason": "no_ot", "ot_not_reaching_it": []}
    reaches_it = reach(f.up, t.counted & t.it) & ot
    share = _share(reaches_it[ot], t.weight[ot])
    cut = [t.ids[i] for i in np.flatnonzero(ot & ~reaches_it)[:5]]
    return {"it_ot_convergence": _round(share), "it_ot_reason": None, "ot_not_reaching_it": cut}


def _walk(pred: np.ndarray, end: int) -> list[int]:
    chain = [end]
    while pred[chain[-1]] >= 0:
        chain.append(int(pred[chain[-1]]))
    return chain[::-1]


def _step(f: Flows, sources: np.ndarray, targets: np.ndarray,
          allowed: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Targets joined to the sources by an automatic path, data flowing from the sources
    or, failing that, towards them (a service portal that looks serial numbers up in
    the MES is drawn portal -> MES, yet carries as-built data back); with predecessors."""
    down, up = (f.down, f.up) if allowed is None else (within(f.down, allowed),
                                                       within(f.up, allowed))
    seen, pred = reach_with_path(down, sources)
    if (seen & targets).any():
        return seen & targets, pred
    seen, pred = reach_with_path(up, sources)
    return seen & targets, pred


def digital_thread(f: Flows) -> dict[str, Any]:
    """Whether an automatic path runs design -> production -> service, and one such path."""
    t = f.table
    counted = t.counted
    design = counted & (t.stage == STAGES.index("design"))
    production = counted & (t.stage == STAGES.index("production"))
    sets = _stage_sets(f)
    service_leave = sets["service"][1]
    for missing, mask in (("no_design", design), ("no_production", production),
                          ("no_service", service_leave)):
        if not mask.any():
            return {"digital_thread": False, "digital_thread_path": None,
                    "digital_thread_reason": missing}
    made, pred1 = _step(f, design, production)
    if not made.any():
        return {"digital_thread": False, "digital_thread_path": None,
                "digital_thread_reason": "design_to_production"}
    served, pred2 = _step(f, made, service_leave, ~design)  # on, not back through design
    ends = np.flatnonzero(served)
    if ends.size == 0:
        return {"digital_thread": False, "digital_thread_path": None,
                "digital_thread_reason": "production_to_service"}
    end = int(ends[0])
    second = _walk(pred2, end)
    first = _walk(pred1, second[0])
    path = [t.ids[i] for i in first + second[1:]]
    if t.stage[end] != STAGES.index("service"):
        # The path leaves through a link to a service partner: name the partner.
        src, dst = f.partner_out
        service_role = ROLES.index("service_provider")
        partner = dst[(src == end) & (t.role[dst] == service_role)]
        if partner.size:
            path.append(t.ids[int(partner[0])])
    return {"digital_thread": True, "digital_thread_path": path, "digital_thread_reason": None}


def _bridge_links(t: LinkTable, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """The automatic link joining each pair ``a[i] - b[i]`` (any order), as a link number.

    Each pair is a bridge, joined by exactly one automatic link."""
    if a.size == 0:
        return np.zeros(0, dtype=np.int64)
    n = t.n
    auto = np.flatnonzero(t.automatic())
    s, d = t.src[auto], t.dst[auto]
    codes = np.minimum(s, d) * n + np.maximum(s, d)
    wanted = np.minimum(a, b) * n + np.maximum(a, b)
    hit = auto[contains(np.sort(wanted), codes)]
    hit_codes = np.minimum(t.src[hit], t.dst[hit]) * n + np.maximum(t.src[hit], t.dst[hit])
    order = np.argsort(hit_codes)
    return hit[order[np.searchsorted(hit_codes[order], wanted)]]


def points_of_failure(f: Flows) -> dict[str, Any]:
    """Systems and single links whose failure splits an island, ranked by what they
    cut off (functions, then systems, then landscape order)."""
    t = f.table
    counted = t.counted
    levels = t.level[counted]
    top_level = int(levels.max()) if levels.size else 4
    top = counted & (t.level == top_level)
    fp = failure_points(f.simple, f.lo, f.hi, f.count, t.weight, top, t.level)
    device = np.zeros(fp.systems.size, dtype=bool)
    one = fp.systems == 1
    device[one] = t.level[fp.single[one]] <= 1  # a leaf device: its own loss, nothing more
    kept = np.flatnonzero((fp.systems > 0) & ~device)
    is_link = fp.system[kept] < 0
    position = np.where(is_link, np.minimum(fp.link_a[kept], fp.link_b[kept]), fp.system[kept])
    ranked = kept[np.lexsort((position, -fp.systems[kept], -np.round(fp.functions[kept], 6)))]
    link_rows = kept[is_link]
    link_of = np.full(fp.system.size, -1, dtype=np.int64)  # candidate -> its link number
    link_of[link_rows] = _bridge_links(t, fp.link_a[link_rows], fp.link_b[link_rows])
    ids = t.ids

    def links(rows: np.ndarray) -> list[dict[str, Any]]:
        e = link_of[rows]
        return [{"source": u, "target": v, "key": k} for u, v, k in zip(
            t.id_array[t.src[e]].tolist(), t.id_array[t.dst[e]].tolist(),
            t.key_array[e].tolist(), strict=True)]

    systems = np.sort(fp.system[kept[~is_link]])
    e = link_of[link_rows]  # bridges in the order of their link's ends, then candidates
    bridges = link_rows[np.lexsort((link_rows, t.dst[e], t.src[e]))]
    leaders = []
    for i in ranked[:LEADERS].tolist():
        system = int(fp.system[i])
        leaders.append({
            "system": None if system < 0 else ids[system],
            "link": links(np.array([i]))[0] if system < 0 else None,
            "cuts_off": int(fp.systems[i]),
            "functions": round(float(fp.functions[i]), 2),
            "examples": [ids[x] for x in np.sort(fp.members(i))[:5].tolist()],
        })
    return {
        "single_points_of_failure": {"systems": t.id_array[systems].tolist(),
                                     "links": links(bridges)},
        "points_of_failure": leaders,
        "failure_point_count": int(kept.size),
    }
