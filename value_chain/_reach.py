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
    return _searchable(indices, indptr, n + 1, A.has_canonical_format)


def _searchable(indices: np.ndarray, indptr: np.ndarray, size: int,
                canonical: bool) -> sparse.csr_matrix:
    """A matrix ``scipy.sparse.csgraph`` searches as it is: float64 data (no converted
    copy) in canonical form (sorted, no duplicates), which it is already when built from
    a canonical matrix with rows appended in order (``canonical``; the flag is cached on
    the matrix it comes from, so it is checked once)."""
    M = sparse.csr_matrix((np.ones(indices.size), indices, indptr), shape=(size, size))
    if canonical:
        M.has_canonical_format = True
    else:
        M.sum_duplicates()  # as the search's own conversion would
    return M


def within(A: sparse.csr_matrix, allowed: np.ndarray) -> sparse.csr_matrix:
    """``A`` keeping only the links between allowed nodes (entries filtered in place
    of a product with a diagonal matrix: one pass, rows keep their order)."""
    n = A.shape[0]
    rows = np.repeat(np.arange(n), np.diff(A.indptr))
    keep = allowed[rows] & allowed[A.indices]
    indptr = np.zeros(n + 1, dtype=A.indptr.dtype)
    np.cumsum(np.bincount(rows[keep], minlength=n), out=indptr[1:])
    out = sparse.csr_matrix((A.data[keep], A.indices[keep], indptr), shape=A.shape)
    out.eliminate_zeros()  # as the product did
    return out


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
    _kind: np.ndarray  # per candidate: 0 system, 1 link between core nodes, 2 link to a leaf
    _cut_part: np.ndarray  # per candidate link: the far part (subtree or leaf) is cut off
    _cut_rest: np.ndarray  # per candidate: the rest of the island is cut off
    _cut_kid: np.ndarray  # per node: its part is cut off when its parent (anchor) fails
    _sep: np.ndarray  # per core node: separated from its parent when the parent fails
    _order: np.ndarray  # core nodes in depth-first preorder
    _pre: np.ndarray
    _run: np.ndarray  # core nodes in each core subtree
    _parent: np.ndarray
    _island_root: np.ndarray  # per node: the root of its island's search
    _leaves: np.ndarray  # nodes with one neighbour, hung on their anchor
    _anchor: np.ndarray  # per leaf (same order): the node it hangs on

    def _with_leaves(self, nodes: np.ndarray) -> np.ndarray:
        inside = np.zeros(self._pre.size, dtype=bool)
        inside[nodes] = True
        return np.concatenate([nodes, self._leaves[inside[self._anchor]]])

    def _subtree(self, v: int) -> np.ndarray:
        a = int(self._pre[v])
        return self._with_leaves(self._order[a : a + int(self._run[v])])

    def members(self, i: int) -> np.ndarray:
        """Node numbers candidate ``i`` cuts off."""
        kind = int(self._kind[i])
        if kind == 0:
            v = int(self.system[i])
            a = int(self._pre[v])
            kids = self._order[a + 1 : a + int(self._run[v])]
            kids = kids[(self._parent[kids] == v) & self._sep[kids]]
            hung = self._leaves[self._anchor == v]
            parts = [self._subtree(int(c)) for c in kids] + [np.array([x]) for x in hung]
            flags = [bool(self._cut_kid[c]) for c in kids] + [bool(self._cut_kid[x])
                                                                for x in hung]
            removed = [v]
        else:
            far = int(self.link_b[i])
            parts = [self._subtree(far) if kind == 1 else np.array([far])]
            flags = [bool(self._cut_part[i])]
            removed = []
        chunks = [p for p, cut in zip(parts, flags, strict=True) if cut]
        if self._cut_rest[i]:
            rest = self._subtree(int(self._island_root[removed[0] if removed else far]))
            out = np.zeros(self._pre.size, dtype=bool)
            out[rest] = True
            for p in parts:
                out[p] = False
            out[removed] = False
            chunks.append(np.flatnonzero(out))
        return np.concatenate(chunks) if chunks else np.zeros(0, dtype=np.int64)


def _decide(part_w, part_size, part_top, part_lv, owner, k, v_top, rest_size, rest_w,
            rest_top, rest_lv):
    """Per candidate (``owner`` of each part in 0..k-1): which parts are cut off.

    The heaviest part is the one with most functions, then most systems, then the highest
    sum of ISA-95 levels (a SCADA stays, the lone sensor goes), whatever the search order.
    Returns the cut flag per part and per candidate rest, and the totals cut off."""
    n_top = np.bincount(owner, weights=(part_top > 0), minlength=k) + (rest_top > 0) * (
        rest_size > 0)
    n_parts = np.bincount(owner, minlength=k) + (rest_size > 0)
    # The heaviest part (children first, then the rest), ties by size.
    order = np.lexsort((-part_lv, -part_size, -part_w, owner))
    first = np.ones(order.size, dtype=bool)
    first[1:] = owner[order][1:] != owner[order][:-1]
    best_child = np.full(k, -1)
    best_child[owner[order][first]] = order[first]
    best_w = np.where(best_child >= 0, part_w[np.maximum(best_child, 0)], -1.0)
    best_s = np.where(best_child >= 0, part_size[np.maximum(best_child, 0)], -1)
    best_l = np.where(best_child >= 0, part_lv[np.maximum(best_child, 0)], -1)
    rest_heaviest = (rest_size > 0) & (
        (rest_w > best_w) | ((rest_w == best_w) & (
            (rest_size > best_s) | ((rest_size == best_s) & (rest_lv > best_l)))))
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
        # deepest first, ties in search order: a stable sort of small whole numbers
        # (16-bit keys: a radix sort, linear)
        by_depth = order[np.argsort((deepest - depth[order]).astype(np.int16), kind="stable")]
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


def _chained(C: sparse.csr_matrix, roots: np.ndarray) -> sparse.csr_matrix:
    """``C`` with virtual nodes ``n .. n+k-1``: node ``n+i`` links to ``roots[i]`` and to
    node ``n+i+1``.  A depth-first search from node ``n`` visits every island in turn,
    and no node has more than two children to come back to (scipy's search rescans a
    node's list each time it returns to it)."""
    n, k = C.shape[0], roots.size
    extra = np.stack([roots, np.arange(n + 1, n + k + 1)], axis=1).ravel()[:-1]
    indptr = np.concatenate([C.indptr, C.indptr[-1] + np.minimum(
        np.arange(1, k + 1) * 2, 2 * k - 1)])
    indices = np.concatenate([C.indices, extra]).astype(np.int64)
    return _searchable(indices, indptr, n + k, C.has_canonical_format)


def failure_points(
    A: sparse.csr_matrix,
    lo: np.ndarray,
    hi: np.ndarray,
    count: np.ndarray,
    weight: np.ndarray,
    top: np.ndarray,
    level: np.ndarray,
) -> FailurePoints:
    """Articulation points and bridges of the simple undirected graph ``A`` with what
    each cuts off.

    ``lo, hi, count`` give the distinct pairs and their number of links (a pair joined
    by two links is never a bridge).  A failure splits an island into parts; what it
    *cuts off* is the parts without a ``top`` node (the business level); when the
    failed system is the island's only top node, every part; when no part or every
    part keeps one, every part but the heaviest.

    Nodes with one neighbour (a star of ten thousand sensors on one platform) are hung
    on that neighbour and never searched, so the work stays linear.
    """
    n = A.shape[0]
    big = np.iinfo(np.int64).max
    degree = np.diff(A.indptr)
    # Leaves: one neighbour; of two leaves joined to each other the lower one stays.
    leaf = degree == 1
    cand = np.flatnonzero(leaf)
    anchor_all = np.full(n, -1)
    anchor_all[cand] = A.indices[A.indptr[cand]]
    leaf[cand[leaf[anchor_all[cand]] & (cand < anchor_all[cand])]] = False
    leaves = np.flatnonzero(leaf)
    anchor = anchor_all[leaves]
    core = (degree > 0) & ~leaf
    hang = np.bincount(anchor, minlength=n)
    size0 = core.astype(np.int64) + hang
    w0 = np.where(core, weight, 0.0) + np.bincount(anchor, weights=weight[leaves], minlength=n)
    t0 = np.where(core, top, 0).astype(np.int64) + np.bincount(
        anchor, weights=top[leaves], minlength=n).astype(np.int64)
    level = np.maximum(level, 0).astype(np.int64)
    l0 = np.where(core, level, 0) + np.bincount(
        anchor, weights=level[leaves], minlength=n).astype(np.int64)
    # Depth-first order of the core of every island.
    C = within(A, core)
    cdeg = np.diff(C.indptr)
    _, label = csgraph.connected_components(C, directed=False)
    core_nodes = np.flatnonzero(core)
    first = np.full(int(label.max()) + 1, -1)
    first[label[core_nodes][::-1]] = core_nodes[::-1]  # the last write (first node) stays
    roots = first[first >= 0]
    if roots.size == 0:
        empty = np.zeros(0, dtype=np.int64)
        none = np.zeros(n, dtype=bool)
        return FailurePoints(empty, empty, empty, empty, np.zeros(0), empty, empty,
                             np.zeros(0, bool), np.zeros(0, bool), none, none, empty,
                             np.full(n, -1), np.zeros(n, np.int64), np.full(n, -1),
                             np.full(n, -1), empty, empty)
    order, pred = csgraph.depth_first_order(_chained(C, roots), n, directed=True,
                                            return_predecessors=True)
    order = order[order < n].astype(np.int64)
    pre = np.full(n, -1, dtype=np.int64)
    pre[order] = np.arange(order.size)
    parent = pred[:n].astype(np.int64)
    parent[(parent >= n) | (parent < 0)] = -1
    # Lowest preorder number reachable by one non-tree edge from each core node.
    rows = np.repeat(np.arange(n), cdeg)
    cols = C.indices.astype(np.int64)
    low = pre.copy()
    np.minimum.at(low, rows, np.where(cols == parent[rows], big, pre[cols]))
    run, low = _subtree_sums(order, parent, low)
    # Prefix sums over the preorder: a core subtree is a contiguous run of it.
    def cum(values):
        return np.concatenate([[0], np.cumsum(values[order])])
    s_cum, w_cum, t_cum, l_cum = cum(size0), cum(w0), cum(t0), cum(l0)
    start = np.maximum(pre, 0)
    end = start + run
    sub_s = s_cum[end] - s_cum[start]
    sub_w = w_cum[end] - w_cum[start]
    sub_t = t_cum[end] - t_cum[start]
    sub_l = l_cum[end] - l_cum[start]
    island_root = np.full(n, -1)
    island_root[core_nodes] = first[label[core_nodes]]
    island_root[leaves] = island_root[anchor]
    tot_s, tot_w, tot_t, tot_l = (x[island_root] for x in (sub_s, sub_w, sub_t, sub_l))

    children = np.flatnonzero(core & (parent >= 0))
    sep = np.zeros(n, dtype=bool)
    sep[children] = low[children] >= pre[parent[children]]
    kids_sep = children[sep[children]]
    n_parts = np.bincount(parent[kids_sep], minlength=n) + hang
    is_root = core & (parent < 0)
    owners = np.flatnonzero(core & np.where(is_root, n_parts >= 2, n_parts >= 1))
    slot = np.full(n, -1)
    slot[owners] = np.arange(owners.size)
    k = owners.size
    kids = kids_sep[slot[parent[kids_sep]] >= 0]
    hung = slot[anchor] >= 0
    part_node = np.concatenate([kids, leaves[hung]])
    part_s = np.concatenate([sub_s[kids], np.ones(int(hung.sum()), dtype=np.int64)])
    part_w = np.concatenate([sub_w[kids], weight[leaves[hung]]])
    part_t = np.concatenate([sub_t[kids], top[leaves[hung]].astype(np.int64)])
    part_l = np.concatenate([sub_l[kids], level[leaves[hung]]])
    owner = np.concatenate([slot[parent[kids]], slot[anchor[hung]]])
    has_rest = parent[owners] >= 0
    in_parts = np.bincount(owner, weights=part_s, minlength=k)
    rest_s = np.where(has_rest, tot_s[owners] - 1 - in_parts, 0).astype(np.int64)
    rest_w = np.where(has_rest, tot_w[owners] - weight[owners]
                      - np.bincount(owner, weights=part_w, minlength=k), 0.0)
    rest_t = np.where(has_rest, tot_t[owners] - top[owners]
                      - np.bincount(owner, weights=part_t, minlength=k), 0)
    rest_l = np.where(has_rest, tot_l[owners] - level[owners]
                      - np.bincount(owner, weights=part_l, minlength=k), 0)
    cut_p, rest_a, sys_a, fun_a = _decide(part_w, part_s, part_t, part_l, owner, k,
                                          top[owners].astype(np.int64), rest_s, rest_w, rest_t,
                                          rest_l)
    cut_kid = np.zeros(n, dtype=bool)
    cut_kid[part_node] = cut_p
    single_a = np.full(k, -1)
    one = cut_p & (part_s == 1)
    single_a[owner[one]] = part_node[one]
    single_a = np.where(rest_a & (rest_s == 1), parent[owners], single_a)

    # Bridges: core tree edges (p, c) with low[c] > pre[p], and links to leaves; each
    # only when a single link joins the pair.
    singles = np.sort(lo[count == 1] * n + hi[count == 1])
    bridge = children[low[children] > pre[parent[children]]]
    bp = parent[bridge]
    bridge = bridge[contains(singles, np.minimum(bp, bridge) * n + np.maximum(bp, bridge))]
    lb = contains(singles, np.minimum(leaves, anchor) * n + np.maximum(leaves, anchor))
    far = np.concatenate([bridge, leaves[lb]])
    near = np.concatenate([parent[bridge], anchor[lb]])
    f_s = np.concatenate([sub_s[bridge], np.ones(int(lb.sum()), dtype=np.int64)])
    f_w = np.concatenate([sub_w[bridge], weight[leaves[lb]]])
    f_t = np.concatenate([sub_t[bridge], top[leaves[lb]].astype(np.int64)])
    f_l = np.concatenate([sub_l[bridge], level[leaves[lb]]])
    kb = far.size
    cut_f, rest_b, sys_b, fun_b = _decide(
        f_w, f_s, f_t, f_l, np.arange(kb), kb, np.zeros(kb, np.int64),
        tot_s[far] - f_s, tot_w[far] - f_w, tot_t[far] - f_t, tot_l[far] - f_l)
    single_b = np.where(cut_f & (f_s == 1), far, -1)
    single_b = np.where(rest_b & (tot_s[far] - f_s == 1), near, single_b)
    kind_b = np.concatenate([np.ones(bridge.size, np.int64), np.full(int(lb.sum()), 2)])

    return FailurePoints(
        system=np.concatenate([owners, np.full(kb, -1)]),
        link_a=np.concatenate([np.full(k, -1), near]),
        link_b=np.concatenate([np.full(k, -1), far]),
        systems=np.concatenate([sys_a, sys_b]),
        functions=np.concatenate([fun_a, fun_b]),
        single=np.concatenate([single_a, single_b]),
        _kind=np.concatenate([np.zeros(k, np.int64), kind_b]),
        _cut_part=np.concatenate([np.zeros(k, dtype=bool), cut_f]),
        _cut_rest=np.concatenate([rest_a, rest_b]),
        _cut_kid=cut_kid,
        _sep=sep,
        _order=order,
        _pre=pre,
        _run=run,
        _parent=parent,
        _island_root=island_root,
        _leaves=leaves,
        _anchor=anchor,
    )
