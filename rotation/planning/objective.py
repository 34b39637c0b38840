"""The four objective terms: one function per term builds its CP-SAT expression, and
`terms_of` computes a plan's values straight from the spec's definitions."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
from ortools.sat.python import cp_model

from .candidates import previous_pairs
from .plan import Rotation, Terms
from .problem import Problem

if TYPE_CHECKING:
    from .candidates import Candidates, Index


def coverage(x: Sequence[cp_model.IntVar]) -> cp_model.LinearExprT:
    """Term 1: the number of rotations in the plan, fixed ones included."""
    return cp_model.LinearExpr.sum(list(x))


def preference(x: Sequence[cp_model.IntVar], cands: Candidates) -> cp_model.LinearExprT:
    """Term 2: the sum of the executives' weights for the teams of their rotations."""
    rows = np.flatnonzero(cands.weight)
    return cp_model.LinearExpr.weighted_sum(
        [x[int(i)] for i in rows], [int(w) for w in cands.weight[rows]]
    )


def max_team_load(
    model: cp_model.CpModel, x: Sequence[cp_model.IntVar], cands: Candidates, index: Index
) -> cp_model.IntVar:
    """Term 3: a variable at least the number of rotations at every team (minimize it)."""
    load = model.new_int_var(0, max(len(cands), 0), "max_team_load")
    order = np.argsort(cands.team, kind="stable")
    teams = cands.team[order]
    cuts = np.flatnonzero(np.diff(teams)) + 1
    for rows in np.split(order, cuts):
        if len(rows):
            model.add(cp_model.LinearExpr.sum([x[int(i)] for i in rows]) <= load)
    return load


def kept_counts(index: Index, cands: Candidates) -> np.ndarray:
    """(N,) how many `previous` entries each candidate row would keep."""
    wanted = previous_pairs(index)
    counts = np.zeros(len(cands), dtype=np.int64)
    if not wanted:
        return counts
    width = max(len(index.pattern_team), 1)
    wanted_keys = np.array([e * width + p for e, p in wanted], dtype=np.int64)
    wanted_counts = np.array(list(wanted.values()), dtype=np.int64)
    order = np.argsort(wanted_keys)
    wanted_keys, wanted_counts = wanted_keys[order], wanted_counts[order]
    key = cands.executive * width + cands.pattern
    at = np.minimum(np.searchsorted(wanted_keys, key), len(wanted_keys) - 1)
    hit = wanted_keys[at] == key
    counts[hit] = wanted_counts[at[hit]]
    return counts


def kept(
    x: Sequence[cp_model.IntVar], cands: Candidates, counts: np.ndarray
) -> cp_model.LinearExprT:
    """Term 4: the number of `previous` entries the plan holds exactly."""
    rows = np.flatnonzero(counts)
    return cp_model.LinearExpr.weighted_sum(
        [x[int(i)] for i in rows], [int(c) for c in counts[rows]]
    )


def weight_of(problem: Problem, executive_id: str, team_id: str) -> int:
    """The preference weight of one rotation of the executive at the team."""
    executive = problem.executive_by_id[executive_id]
    team = problem.team_by_id[team_id]
    return executive.site_weights.get(team.site, 0) + sum(
        executive.topic_weights.get(topic, 0) for topic in team.topics
    )


def terms_of(problem: Problem, rotations: Sequence[Rotation]) -> Terms:
    """The plan's four terms, computed as the spec defines them."""
    loads = Counter(rotation.team for rotation in rotations)
    held = {(rotation.executive, tuple(rotation.slots)) for rotation in rotations}
    return Terms(
        coverage=len(rotations),
        preference=sum(weight_of(problem, r.executive, r.team) for r in rotations),
        max_team_load=max(loads.values(), default=0),
        kept=sum((ref.executive, tuple(ref.slots)) in held for ref in problem.previous),
    )
