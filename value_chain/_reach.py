"""Graph searches on sparse matrices, each linear in the size of the landscape.

:func:`reach` answers "which nodes does data from these nodes reach?" with one
breadth-first search (``scipy.sparse.csgraph``) from a virtual node linked to all
the sources.  :func:`failure_points` finds the systems and links whose failure
splits an island (articulation points and bridges, Hopcroft-Tarjan low points on a
depth-first order) and what each one cuts off.

Examples
--------
>>> import numpy as np
>>> from scipy import sparse
>>> A = sparse.csr_matrix((np.ones(2), ([0, 1], [1, 2])), shape=(4, 4))  # 0 -> 1 -> 2, 3
>>> reach(A, np.array([True, False, False, False])).tolist()
[True, True, True, False]
>>> reach(A.T.tocsr(), np.array([False, False, True, False])).tolist()  # who reaches 2
[True, True, True, False]
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import sparse
from scipy.sparse import csgraph

__all__ = [
    "FailurePoints",
    "contains",
    "failure_points",
    "reach",
    "reach_with_path",
    "undirected_simple",
    "unique_counts",
    "within",
]


def unique_counts(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Sorted distinct values and how often each occurs (one sort, no hashing)."""
    ordered = np.sort(values)
    new = np.ones(ordered.size, dtype=bool)
    new[1:] = ordered[1:] != ordered[:-1]
    starts = np.flatnonzero(new)
    return ordered[starts], np.diff(np.append(starts, ordered.size))


def contains(sorted_values: np.ndarray, query: np.ndarray) -> np.ndarray:
    """Mask of the ``query`` values found in ``sorted_values`` (binary search)."""
    if sorted_values.size == 0:
        return np.zeros(query.size, dtype=bool)
    at = np.minimum(np.searchsorted(sorted_values, query), sorted_values.size - 1)
    return sorted_values[at] == query


def _with_source(A: sparse.csr_matrix, sources: np.ndarray) -> sparse.csr_matrix:
    """``A`` with one more node (the last) that has a link to every source."""
    n = A.shape[0]
    targets = np.flatnonzero(sources).astype(A.indices.dtype)
    indptr = np.append(A.indptr, A.indptr[-1] + targets.size)
    indices = np.concatenate([A.indices, targets])
    data = np.ones(indices.size, dtype=np.int8)
    return sparse.csr_matrix((data, indices, indptr), shape=(n + 1, n + 1))


def within(A: sparse.csr_matrix, allowed: np.ndarray) -> sparse.csr_matrix:
    """``A`` keeping only the links between allowed nodes."""
    D = sparse.diags_array(allowed.astype(np.int8), dtype=np.int8)
    return (D @ A @ D).tocsr()


def reach(A: sparse.csr_matrix, sources: np.ndarray) -> np.ndarray:
    """Mask of the nodes reachable from any source along the directed links of ``A``
    (the sources themselves included)."""
    n = A.shape[0]
    out = np.zeros(n, dtype=bool)
    if not sources.any():
        return out
    order = csgraph.breadth_first_order(
        _with_source(A, sources), n, directed=True, return_predecessors=False
    )
    out[order[1:]] = True
    return out


def reach_with_path(A: sparse.csr_matrix, sources: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Like :func:`reach`, with the breadth-first predecessor of each node
    (-1 for the sources and for nodes not reached)."""
    n = A.shape[0]
    if not sources.any():
        return np.zeros(n, dtype=bool), np.full(n, -1)
    order, pred = csgraph.breadth_first_order(
        _with_source(A, sources), n, directed=True, return_predecessors=True
    )
    out = np.zeros(n, dtype=bool)
    out[order[1:]] = True
    pred = pred[:n].astype(np.int64)
    pred[(pred == n) | (pred < 0)] = -1
    return out, pred


def undirected_simple(
    n: int, a: np.ndarray, b: np.ndarray
) -> tuple[sparse.csr_matrix, np.ndarray, np.ndarray, np.ndarray]:
    """The simple undirected graph of the links ``a[i] - b[i]`` (no self-loops).

    Returns the symmetric adjacency and, per distinct pair ``lo < hi``, the pair and
    how many links join it.
    """
    lo, hi = np.minimum(a, b), np.maximum(a, b)
    keep = lo != hi
    code = lo[keep] * n + hi[keep]
    pairs, count = unique_counts(code)
    plo, phi = pairs // n, pairs % n
    data = np.ones(2 * pairs.size, dtype=np.int8)
    A = sparse.csr_matrix(
        (data, (np.concatenate([plo, phi]), np.concatenate([phi, plo]))), shape=(n, n)
    )
    return A, plo, phi, count


@dataclass(frozen=True, eq=False)
class FailurePoints:
    """Every articulation point and bridge, with what its failure cuts off.

    Candidate ``i`` is the system ``system[i]`` (``link_a[i] = -1``) or the link
    ``link_a[i] - link_b[i]`` (``system[i] = -1``); it cuts off ``systems[i]``
    systems weighing ``functions[i]``; ``single[i]`` is the one node cut off when
    ``systems[i] == 1``.  :meth:`members` lists what candidate ``i`` cuts off.
    """

    system: np.ndarray
    link_a: np.ndarray
    link_b: np.ndarray
    systems: np.ndarray
    functions: np.ndarray
    single: np.ndarray
    _order: np.ndarray
    _pre: np.ndarray
    _size: np.ndarray
    _parent: np.ndarray
    _island: np.ndarray  # preorder run (start, end) of each candidate's island
    _sep: np.ndarray  # per node: separated from its parent when the parent fails
    _cut_child: np.ndarray  # per node: its subtree is cut off by its parent's failure
    _cut_link: np.ndarray  # per candidate link: the far side (the child's subtree) is cut off
    _cut_rest: np.ndarray  # per candidate: the rest of the island is cut off

    def members(self, i: int) -> np.ndarray:
        """Node numbers candidate ``i`` cuts off."""
        o, pre, size = self._order, self._pre, self._size
        if self.system[i] >= 0:
            v = int(self.system[i])
            kids = o[pre[v] + 1 : pre[v] + size[v]]
            kids = kids[self._parent[kids] == v]
            separated = kids[self._sep[kids]]
            holes = [(int(pre[c]), int(pre[c] + size[c])) for c in separated]
            cut = [(a, b) for (a, b), c in zip(holes, separated, strict=True)
                   if self._cut_child[c]]
            skip = v
        else:
            c = int(self.link_b[i])
            holes = [(int(pre[c]), int(pre[c] + size[c]))]
            cut = holes if self._cut_link[i] else []
            skip = None
        chunks = [o[a:b] for a, b in cut]
        if self._cut_rest[i]:
            a, b = self._island[i]
            keep = np.ones(b - a, dtype=bool)
            for ha, hb in holes:
                keep[ha - a : hb - a] = False
            part = o[a:b][keep]
            chunks.append(part[part != skip] if skip is not None else part)
        return np.concatenate(chunks) if chunks else np.zeros(0, dtype=np.int64)


def _decide(part_w, part_size, part_top, owner, k, v_top, rest_size, rest_w, rest_top):
    """Per candidate (``owner`` of each part in 0..k-1): which parts are cut off.

    Returns the cut flag per part and per candidate rest, and the totals cut off."""
    n_top = np.bincount(owner, weights=(part_top > 0), minlength=k) + (rest_top > 0) * (
        rest_size > 0)
    n_parts = np.bincount(owner, minlength=k) + (rest_size > 0)
    # The heaviest part (children first, then the rest), ties by size.
    order = np.lexsort((-part_size, -part_w, owner))
    first = np.ones(order.size, dtype=bool)
    first[1:] = owner[order][1:] != owner[order][:-1]
    best_child = np.full(k, -1)
    best_child[owner[order][first]] = order[first]
    best_w = np.where(best_child >= 0, part_w[np.maximum(best_child, 0)], -1.0)
    best_s = np.where(best_child >= 0, part_size[np.maximum(best_child, 0)], -1)
    rest_heaviest = (rest_size > 0) & ((rest_w > best_w) | ((rest_w == best_w) &
                                                          (rest_size > best_s)))
    rule_top = (n_top > 0) & (n_top < n_parts)
    rule_all = ~rule_top & (v_top > 0) & (n_top == 0)
    rule_heavy = ~rule_top & ~rule_all
    is_best = np.zeros(part_w.size, dtype=bool)
    is_best[best_child[best_child >= 0]] = True
    is_best &= ~rest_heaviest[owner]
    cut_part = np.where(rule_top[owner], part_top == 0,
                        np.where(rule_all[owner], True, ~is_best))
    cut_rest = (rest_size > 0) & np.where(rule_top, rest_top == 0,
                                          np.where(rule_all, True, ~rest_heaviest))
    cut_rest &= rule_top | rule_all | rule_heavy
    systems = np.bincount(owner, weights=part_size * cut_part, minlength=k) + rest_size * cut_rest
    functions = np.bincount(owner, weights=part_w * cut_part, minlength=k) + rest_w * cut_rest
    return cut_part, cut_rest, systems.astype(np.int64), functions


def _depths(parent: np.ndarray) -> np.ndarray:
    """Depth of every node of a forest given by ``parent`` (-1 at roots), by pointer
    jumping: log2(depth) rounds of whole-array steps."""
    depth = (parent >= 0).astype(np.int64)
    up = parent.copy()
    live = np.flatnonzero(up >= 0)
    while live.size:
        above = up[live]
        depth[live] += depth[above]  # right-hand sides are read before the writes
        up[live] = up[above]
        live = live[up[live] >= 0]
    return depth


DEEP = 5_000
"""Deeper search trees are summed node by node instead of level by level."""


def _subtree_sums(order: np.ndarray, parent: np.ndarray,
                  low: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Subtree sizes and subtree minima of ``low``, children before parents: level by
    level from the deepest (whole-array steps), or node by node for very deep trees."""
    n = parent.size
    size = np.ones(n, dtype=np.int64)
    low = low.copy()
    depth = _depths(parent)
    deepest = int(depth.max()) if n else 0
    if deepest <= DEEP:
        by_depth = order[np.argsort(-depth[order], kind="stable")]
        counts = np.bincount(depth[by_depth], minlength=deepest + 1)[::-1]
        start = 0
        for count in counts[:-1].tolist():  # every level but the roots
            level = by_depth[start : start + count]
            start += count
            np.add.at(size, parent[level], size[level])
            np.minimum.at(low, parent[level], low[level])
        return size, low
    size_l, low_l, par_l = size.tolist(), low.tolist(), parent.tolist()
    for v in reversed(order.tolist()):
        p = par_l[v]
        if p >= 0:
            size_l[p] += size_l[v]
            if low_l[v] < low_l[p]:
                low_l[p] = low_l[v]
    return np.asarray(size_l, dtype=np.int64), np.asarray(low_l, dtype=np.int64)


def failure_points(
    A: sparse.csr_matrix,
    lo: np.ndarray,
    hi: np.ndarray,
    count: np.ndarray,
    weight: np.ndarray,
    top: np.ndarray,
) -> FailurePoints:
    """Articulation points and bridges of the simple undirected graph ``A`` with what
    each cuts off.

    ``lo, hi, count`` give the distinct pairs and their number of links (a pair joined
    by two links is never a bridge).  A failure splits an island into parts; what it
    *cuts off* is the parts without a ``top`` node (the business level); when the
    failed system is the island's only top node, every part; when no part or every
    part keeps one, every part but the heaviest.
    """
    n = A.shape[0]
    degree = np.diff(A.indptr)
    nodes = np.flatnonzero(degree > 0)
    empty = np.zeros(0, dtype=np.int64)
    if nodes.size == 0:
        return FailurePoints(empty, empty, empty, empty, np.zeros(0), empty, empty, empty,
                             empty, empty, np.zeros((0, 2), dtype=np.int64),
                             np.zeros(n, dtype=bool), np.zeros(n, dtype=bool),
                             np.zeros(0, dtype=bool), np.zeros(0, dtype=bool))
    # Depth-first order of every island, from a virtual root joined to one node of each.
    _, label = csgraph.connected_components(A, directed=False)
    first = np.full(int(label.max()) + 1, -1)
    first[label[nodes][::-1]] = nodes[::-1]  # repeated writes: the last (first node) stays
    roots = first[first >= 0]
    is_root = np.zeros(n, dtype=bool)
    is_root[roots] = True
    order, pred = csgraph.depth_first_order(
        _with_source(A, is_root), n, directed=True, return_predecessors=True
    )
    order = order[1:].astype(np.int64)
    pre = np.full(n, -1, dtype=np.int64)
    pre[order] = np.arange(order.size)
    parent = pred[:n].astype(np.int64)
    parent[(parent == n) | (parent < 0)] = -1
    # Lowest preorder number reachable by one non-tree edge from each node.
    rows = np.repeat(np.arange(n), degree)
    cols = A.indices.astype(np.int64)
    value = np.where(cols == parent[rows], np.iinfo(np.int64).max, pre[cols])
    low = pre.copy()
    np.minimum.at(low, rows, value)
    size, low = _subtree_sums(order, parent, low)
    # Prefix sums over the preorder: a subtree is a contiguous run of it.
    w_cum = np.concatenate([[0.0], np.cumsum(weight[order])])
    t_cum = np.concatenate([[0], np.cumsum(top[order].astype(np.int64))])
    start = np.maximum(pre, 0)
    sub_w = w_cum[start + size] - w_cum[start]
    sub_t = t_cum[start + size] - t_cum[start]
    root_of = np.full(int(label.max()) + 1, -1)
    root_of[label[roots]] = roots
    isl_root = root_of[label]  # per node: the root of its island

    children = np.flatnonzero(parent >= 0)
    sep = np.zeros(n, dtype=bool)
    sep[children] = low[children] >= pre[parent[children]]
    tree_kids = np.bincount(parent[children], minlength=n)

    # Articulation points: v with a separated child (a root: with two subtrees).
    is_owner = np.zeros(n, dtype=bool)
    is_owner[parent[children[sep[children]]]] = True
    owners = np.flatnonzero(is_owner)
    owners = owners[(parent[owners] >= 0) | (tree_kids[owners] >= 2)]
    slot = np.full(n, -1)
    slot[owners] = np.arange(owners.size)
    kids = children[sep[children] & (slot[parent[children]] >= 0)]
    owner = slot[parent[kids]]
    k = owners.size
    r = isl_root[owners]
    has_rest = parent[owners] >= 0
    kid_size = np.bincount(owner, weights=size[kids], minlength=k)
    kid_w = np.bincount(owner, weights=sub_w[kids], minlength=k)
    kid_t = np.bincount(owner, weights=sub_t[kids], minlength=k)
    rest_size = np.where(has_rest, size[r] - 1 - kid_size, 0).astype(np.int64)
    rest_w = np.where(has_rest, sub_w[r] - weight[owners] - kid_w, 0.0)
    rest_t = np.where(has_rest, sub_t[r] - top[owners] - kid_t, 0)
    cut_kid, cut_rest_a, sys_a, fun_a = _decide(
        sub_w[kids], size[kids], sub_t[kids], owner, k, top[owners].astype(np.int64),
        rest_size, rest_w, rest_t)
    single_a = np.full(k, -1)
    one = cut_kid & (size[kids] == 1)
    single_a[owner[one]] = kids[one]
    single_a = np.where(cut_rest_a & (rest_size == 1), parent[owners], single_a)

    # Bridges: tree edge (p, c) with low[c] > pre[p], joined by one link only.
    bridge = children[low[children] > pre[parent[children]]]
    bp = parent[bridge]
    codes = np.minimum(bp, bridge) * n + np.maximum(bp, bridge)
    bridge = bridge[contains(lo[count == 1] * n + hi[count == 1], codes)]
    bp = parent[bridge]
    kb = bridge.size
    rb = isl_root[bridge]
    cut_c, cut_rest_b, sys_b, fun_b = _decide(
        sub_w[bridge], size[bridge], sub_t[bridge], np.arange(kb), kb, np.zeros(kb, np.int64),
        size[rb] - size[bridge], sub_w[rb] - sub_w[bridge], sub_t[rb] - sub_t[bridge])
    single_b = np.where(cut_c & (size[bridge] == 1), bridge, -1)
    single_b = np.where(cut_rest_b & (size[rb] - size[bridge] == 1), bp, single_b)

    cut_child = np.zeros(n, dtype=bool)
    cut_child[kids] = cut_kid
    runs = np.stack([pre[np.concatenate([r, rb])],
                     pre[np.concatenate([r, rb])] + size[np.concatenate([r, rb])]], axis=1)
    out = FailurePoints(
        system=np.concatenate([owners, np.full(kb, -1)]),
        link_a=np.concatenate([np.full(k, -1), bp]),
        link_b=np.concatenate([np.full(k, -1), bridge]),
        systems=np.concatenate([sys_a, sys_b]),
        functions=np.concatenate([fun_a, fun_b]),
        single=np.concatenate([single_a, single_b]),
        _order=order, _pre=pre, _size=size, _parent=parent, _island=runs, _sep=sep,
        _cut_child=cut_child, _cut_link=np.concatenate([np.zeros(k, dtype=bool), cut_c]),
        _cut_rest=np.concatenate([cut_rest_a, cut_rest_b]),
    )
    return out
