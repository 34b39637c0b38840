"""Solve a planning problem: greedy first, then term by term, never worse.

Stages, each given only the time left and accepted only when lexicographically at least as
good as the best plan so far:

1. greedy: a valid plan within seconds whatever the limit;
2. a flow relaxation over every candidate (when they number a few million at most): its
   optimum bounds coverage and preference, and its assignment, repaired and re-solved
   around what broke a relaxed rule, is offered as a plan;
3. CP-SAT on coverage * BIG + preference, hinted with the best plan;
4. max_team_load with those two held: an aggregated team-choice flow (which executive
   rotates at which team) and a day assignment, a flow relaxation with team limits for the
   bound, and CP-SAT when that falls short;
5. kept with the three others held.

Large problems have millions of candidates, so CP-SAT sees a pruned set; its proven bounds
are used only when its model holds every optimal plan. `bound` otherwise comes from
reasoning that holds for the unpruned problem (per-executive bounds in candidates.py, the
flow relaxations here), so a claimed optimum is always a real one.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace

import numpy as np
from ortools.graph.python import min_cost_flow
from ortools.sat.python import cp_model

from . import objective as terms
from .candidates import (
    Candidates,
    ExecutiveBounds,
    Index,
    all_candidates,
    build_index,
    candidates_for,
    count_all,
    executive_bounds,
    fixed_weight_and_count,
    load_bound,
    previous_pairs,
    pruned_candidates,
    simple_bounds,
)
from .constraints import add_all
from .explain import explain_unassigned, infeasibility_conflicts
from .greedy import Placer, greedy_pairs, rotations_of
from .plan import FEASIBLE, INFEASIBLE, OPTIMAL, Conflict, Plan, Terms, Unassigned
from .problem import Problem

# Model every candidate (so CP-SAT's bounds hold for the problem) up to this many.
FULL_MODEL_LIMIT = 30_000
# Solve the flow relaxation over every candidate up to this many.
FLOW_LIMIT = 4_000_000
# Flow solves at most, banning each time the assignments that broke a relaxed rule.
RELAXATION_ROUNDS = 12
# Seconds per candidate for one flow solve (with building the arcs), and per executive for
# the team-choice flows and the day assignment (measured on a busy 2-core machine).
FLOW_S_PER_CANDIDATE = 2.5e-6
DAY_ASSIGNMENT_S_PER_EXECUTIVE = 0.5e-3
# Share of the time left a CP-SAT stage takes while later terms still wait for theirs.
LATER_TERMS_SHARE = 0.75
# Beyond FLOW_LIMIT the relaxation routes a pruned set of about this many candidates:
# this many teams per executive and start days per team.
PRUNED_FLOW_TARGET = 1_500_000
PRUNED_FLOW_TEAMS = 12
PRUNED_FLOW_DAYS = 16
# Stop pruning at about this many candidates in a pruned model.
PRUNED_MODEL_TARGET = 40_000
# Seconds to build the model, per candidate (measured on a busy 2-core machine).
BUILD_S_PER_CANDIDATE = 40e-6
# CP-SAT gets a stage only when at least this much time is left.
MIN_STAGE_S = 0.3


@dataclass(frozen=True)
class Progress:
    phase: str
    elapsed_s: float
    objective: Terms | None
    bound: Terms | None
    message: str = ""


Pairs = np.ndarray  # (n, 2) rows of (executive, pattern)


@dataclass
class _Run:
    """The state of one solve: the best plan so far and what is proven about the optimum."""

    problem: Problem
    started: float
    deadline: float
    workers: int
    seed: int
    on_progress: Callable[[Progress], None] | None
    should_stop: Callable[[], bool] | None
    index: Index | None = None
    bounds: ExecutiveBounds | None = None
    best: Pairs = field(default_factory=lambda: np.zeros((0, 2), dtype=np.int64))
    best_terms: Terms = field(default_factory=Terms)
    bound: Terms = field(default_factory=Terms)
    stats: dict[str, object] = field(default_factory=dict)
    stage_seconds: dict[str, float] = field(default_factory=dict)
    every_candidate: Candidates | None = None
    # Pairs of promising plans (the relaxation's) that pruned models keep too.
    promising: Pairs = field(default_factory=lambda: np.zeros((0, 2), dtype=np.int64))

    def elapsed(self) -> float:
        return time.monotonic() - self.started

    def left(self) -> float:
        return self.deadline - time.monotonic()

    def stopped(self) -> bool:
        return bool(self.should_stop and self.should_stop())

    def report(self, phase: str, message: str = "") -> None:
        if self.on_progress:
            self.on_progress(
                Progress(
                    phase=phase,
                    elapsed_s=round(self.elapsed(), 3),
                    objective=self.best_terms,
                    bound=self.bound,
                    message=message,
                )
            )

    def offer(self, pairs: Pairs) -> bool:
        """Take the pairs as the best plan if they are lexicographically at least as good."""
        candidate = pair_terms(self.index, pairs)
        if candidate.as_tuple() >= self.best_terms.as_tuple():
            self.best, self.best_terms = pairs, candidate
            return True
        return False


def pair_terms(index: Index, pairs: Pairs) -> Terms:
    """The four terms of a plan given as (executive, pattern) pairs."""
    if len(pairs) == 0:
        return Terms()
    e, p = pairs[:, 0], pairs[:, 1]
    team = index.pattern_team[p]
    previous = previous_pairs(index)
    held = set(zip(e.tolist(), p.tolist(), strict=True))
    return Terms(
        coverage=len(pairs),
        preference=int(index.weight[e, team].sum()),
        max_team_load=int(np.bincount(team).max()),
        kept=sum(n for pair, n in previous.items() if pair in held),
    )


def _as_pairs(pairs: Sequence[tuple[int, int]]) -> Pairs:
    return np.array(pairs, dtype=np.int64).reshape(-1, 2)


# --- CP-SAT stages ------------------------------------------------------------------------


class _Watch(cp_model.CpSolverSolutionCallback):
    """Reports each solution and stops the search when the caller asks."""

    def __init__(self, run: _Run, phase: str) -> None:
        super().__init__()
        self.run = run
        self.phase = phase

    def on_solution_callback(self) -> None:
        self.run.report(
            self.phase,
            f"solution {self.objective_value:g}, bound {self.best_objective_bound:g}",
        )
        if self.run.stopped():
            self.stop_search()


@dataclass
class _Model:
    cands: Candidates
    model: cp_model.CpModel
    x: list[cp_model.IntVar]
    row_of: dict[int, int]
    is_full: bool

    def rows(self, index: Index, pairs: Pairs) -> list[int]:
        width = max(len(index.pattern_team), 1)
        return [self.row_of[int(e) * width + int(p)] for e, p in pairs]


def _time_for_seconds(run: _Run, seconds: float) -> bool:
    """Whether work estimated to take `seconds` fits in the time left."""
    return run.left() - _reserve(run) > seconds and not run.stopped()


def _time_for(run: _Run, cands: Candidates) -> bool:
    """Whether building and solving a model of these candidates fits in the time left."""
    needed = BUILD_S_PER_CANDIDATE * len(cands) + MIN_STAGE_S + _reserve(run)
    return run.left() > needed and not run.stopped()


def _build_model(run: _Run, cands: Candidates, *, is_full: bool) -> _Model:
    index = run.index
    model = cp_model.CpModel()
    x = [model.new_bool_var("") for _ in range(len(cands))]
    width = max(len(index.pattern_team), 1)
    keys = (cands.executive * width + cands.pattern).tolist()
    row_of = {k: i for i, k in enumerate(keys)}
    built = _Model(cands=cands, model=model, x=x, row_of=row_of, is_full=is_full)
    add_all(model, x, cands, index, built.rows(index, _as_pairs(index.fixed_pairs)))
    hint = np.zeros(len(cands), dtype=bool)
    hint[built.rows(index, run.best)] = True
    for var, value in zip(x, hint.tolist(), strict=True):
        model.add_hint(var, value)
    return built


def _run_solver(
    run: _Run, built: _Model, phase: str, *, share: float = 1.0
) -> tuple[str, Pairs | None, float]:
    """Solve in `share` of the time left; (status name, chosen pairs or None, proven
    objective bound)."""
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max((run.left() - _reserve(run)) * share, 0.05)
    solver.parameters.num_workers = max(run.workers, 1)
    solver.parameters.random_seed = run.seed
    done = threading.Event()

    def poll() -> None:
        # Solutions may be rare; poll the caller's stop request between them too.
        while not done.wait(0.1):
            if run.stopped():
                solver.stop_search()
                return

    watcher = threading.Thread(target=poll, daemon=True)
    watcher.start()
    try:
        status = solver.solve(built.model, _Watch(run, phase))
    finally:
        done.set()
        watcher.join()
    name = solver.status_name(status)
    run.stats.setdefault("cp_sat", []).append(  # type: ignore[union-attr]
        {
            "stage": phase,
            "status": name,
            "seconds": round(solver.wall_time, 3),
            "variables": len(built.x),
            "constraints": len(built.model.proto.constraints),
            "pruned": not built.is_full,
        }
    )
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return name, None, 0.0
    values = np.array(solver.response_proto.solution, dtype=np.int64)[: len(built.x)]
    rows = np.flatnonzero(values)
    cands = built.cands
    pairs = np.stack([cands.executive[rows], cands.pattern[rows]], axis=1)
    return name, pairs, float(solver.best_objective_bound)


def _reserve(run: _Run) -> float:
    """Time kept back for explaining and writing the plan."""
    return 0.1 + 0.0002 * len(run.problem.executives)


def _candidates(run: _Run, teams_mask: np.ndarray | None = None) -> tuple[Candidates, bool]:
    """Candidates for a CP-SAT model, and whether they include every optimal plan's.

    `teams_mask` may only exclude teams no optimal plan uses (best-weight teams once
    coverage and preference meet the per-executive bounds), so a small problem's model
    restricted to it still holds every optimal plan.
    """
    index = run.index
    if count_all(index) <= FULL_MODEL_LIMIT:
        cands = _every_candidate(run)
        if teams_mask is not None:
            rows = np.flatnonzero(teams_mask[cands.executive, cands.team])
            cands = candidates_for(index, cands.executive[rows], cands.pattern[rows])
        return cands, True
    keep = np.concatenate(
        [
            run.best,
            run.promising,
            _as_pairs(index.fixed_pairs),
            _as_pairs(list(previous_pairs(index))),
        ]
    ).tolist()
    days, teams = 6, 8
    while True:
        cands = pruned_candidates(
            index,
            keep=[tuple(k) for k in keep],
            days_per_team=days,
            teams_per_executive=teams,
            seed=run.seed,
            teams_mask=teams_mask,
        )
        if len(cands) <= PRUNED_MODEL_TARGET or days <= 2:
            return cands, False
        days, teams = max(days - 2, 2), max(teams - 2, 3)


def _stage_coverage_preference(run: _Run) -> None:
    index, best = run.index, run.best_terms
    if best.coverage >= run.bound.coverage and best.preference >= run.bound.preference:
        return
    started = time.monotonic()
    run.report("coverage", "modelling coverage and preference")
    cands, is_full = _candidates(run)
    if not _time_for(run, cands):
        return
    built = _build_model(run, cands, is_full=is_full)
    spread = int((index.rotations * np.abs(index.weight).max(axis=1, initial=0)).sum())
    big = 2 * spread + 1
    model, x = built.model, built.x
    model.maximize(big * terms.coverage(x) + terms.preference(x, cands))
    run.stats["candidates_stage_coverage"] = len(cands)
    run.stats["model_is_full"] = is_full
    if run.left() - _reserve(run) > MIN_STAGE_S and not run.stopped():
        # Later terms get a quarter of the time when they are not proven yet.
        later_open = (
            run.best_terms.max_team_load > run.bound.max_team_load
            or run.best_terms.kept < run.bound.kept
        )
        status, pairs, proven = _run_solver(
            run, built, "coverage", share=LATER_TERMS_SHARE if later_open else 1.0
        )
        if pairs is not None:
            run.offer(pairs)
        if is_full and pairs is not None:
            cover = min(run.bound.coverage, int(np.floor((proven + spread) / big)))
            run.bound = replace(run.bound, coverage=cover)
            if run.best_terms.coverage == cover:
                pref = min(run.bound.preference, int(np.floor(proven - big * cover)))
                run.bound = replace(run.bound, preference=pref)
    run.stage_seconds["coverage"] = round(time.monotonic() - started, 3)


def _stage_relaxation(run: _Run) -> None:
    """Coverage and preference of a flow relaxation over every candidate.

    Executives send up to their most rotations to patterns they may take; a pattern passes
    at most the smallest capacity of its slots and the team/day cap. Spacing, shared slots
    and team-days are relaxed, so the flow's lexicographic optimum (most flow, then least
    cost) bounds coverage, and preference at that coverage, for the unpruned problem. Its
    assignment, repaired into a valid plan, is offered as a plan too.
    """
    index, bounds = run.index, run.bounds
    best = run.best_terms
    if best.coverage >= run.bound.coverage and best.preference >= run.bound.preference:
        return
    count = count_all(index)
    is_whole = count <= FLOW_LIMIT
    if not is_whole:
        # Too many to route them all: the flow over a pruned set still finds a good plan,
        # but bounds nothing.
        count = min(count, PRUNED_FLOW_TARGET)
    if not _time_for_seconds(run, FLOW_S_PER_CANDIDATE * count):
        return
    started = time.monotonic()
    run.report("relaxation", "solving the flow relaxation")
    if is_whole:
        cands = _every_candidate(run)
    else:
        keep = np.concatenate(
            [run.best, _as_pairs(index.fixed_pairs), _as_pairs(list(previous_pairs(index)))]
        ).tolist()
        cands = pruned_candidates(
            index,
            keep=[tuple(k) for k in keep],
            days_per_team=PRUNED_FLOW_DAYS,
            teams_per_executive=PRUNED_FLOW_TEAMS,
            seed=run.seed,
        )
    n_exec, n_pattern = len(index.executive_ids), len(index.pattern_team)
    source, sink = n_exec + n_pattern, n_exec + n_pattern + 1
    pattern_cap = _pattern_capacity(index)
    previous = previous_pairs(index)
    scale = sum(previous.values()) + 1
    kept = terms.kept_counts(index, cands)
    flow = min_cost_flow.SimpleMinCostFlow()
    who = np.flatnonzero(bounds.max_rotations)
    tails = np.concatenate(
        [np.full(len(who), source), cands.executive, n_exec + np.arange(n_pattern)]
    )
    heads = np.concatenate([who, n_exec + cands.pattern, np.full(n_pattern, sink)])
    caps = np.concatenate([bounds.max_rotations[who], np.ones(len(cands)), pattern_cap])
    costs = np.concatenate(
        [np.zeros(len(who)), -(cands.weight * scale + kept), np.zeros(n_pattern)]
    )
    arcs = flow.add_arcs_with_capacity_and_unit_cost(
        tails.astype(np.int64),
        heads.astype(np.int64),
        caps.astype(np.int64),
        costs.astype(np.int64),
    )
    supply = int(bounds.max_rotations.sum())
    flow.set_nodes_supplies(np.array([source, sink]), np.array([supply, -supply]))
    run.stats["candidates_relaxation"] = len(cands)
    flow_arcs = arcs[len(who) : len(who) + len(cands)]
    for round_ in range(RELAXATION_ROUNDS):
        if flow.solve_max_flow_with_min_cost() != flow.OPTIMAL:
            break
        if round_ == 0 and is_whole:
            # A relaxation below the plan in hand would be a bug; never let it lower the bound.
            cover = int(flow.maximum_flow())
            if cover < run.best_terms.coverage:
                break
            run.bound = replace(run.bound, coverage=min(run.bound.coverage, cover))
            if cover == run.best_terms.coverage:
                pref = int(np.floor(-flow.optimal_cost() / scale))
                run.bound = replace(run.bound, preference=min(run.bound.preference, pref))
        used = np.flatnonzero(flow.flows(flow_arcs))
        pairs, refused = _repair(run, cands.executive[used], cands.pattern[used])
        if round_ == 0:
            run.promising = np.stack([cands.executive[used], cands.pattern[used]], axis=1)
        run.offer(pairs)
        run.stats["relaxation_rounds"] = round_ + 1
        if len(refused) == 0 or not _time_for_seconds(run, FLOW_S_PER_CANDIDATE * count):
            break
        # Ban what broke a relaxed rule and ask again: the next flow routes around it.
        flow.set_arc_capacities(flow_arcs[used[refused]], np.zeros(len(refused), dtype=np.int64))
    run.stage_seconds["relaxation"] = round(time.monotonic() - started, 3)


def _every_candidate(run: _Run) -> Candidates:
    if run.every_candidate is None:
        run.every_candidate = all_candidates(run.index)
    return run.every_candidate


def _pattern_capacity(index: Index) -> np.ndarray:
    """(P,) most executives a pattern can take: its smallest slot and the team/day cap."""
    capacity = index.slot_capacity[index.pattern_slots].min(axis=1, initial=1 << 30)
    if index.team_day_cap is not None:
        capacity = np.minimum(capacity, index.team_day_cap)
    return capacity


def _load_relaxation_allows(run: _Run, limit: int) -> bool:
    """Whether a flow relaxation routes the plan's coverage with at least its preference
    while no team takes more than `limit` rotations.

    Every plan with that coverage, that preference and max_team_load <= `limit` is such a
    flow, so when none exists every optimal plan (coverage and preference certified) has a
    larger max_team_load.
    """
    index, bounds = run.index, run.bounds
    cands = _every_candidate(run)
    n_exec, n_pattern, n_team = (
        len(index.executive_ids),
        len(index.pattern_team),
        len(index.team_ids),
    )
    source, sink = n_exec + n_pattern + n_team, n_exec + n_pattern + n_team + 1
    who = np.flatnonzero(bounds.max_rotations)
    flow = min_cost_flow.SimpleMinCostFlow()
    flow.add_arcs_with_capacity_and_unit_cost(
        np.concatenate(
            [
                np.full(len(who), source),
                cands.executive,
                n_exec + np.arange(n_pattern),
                n_exec + n_pattern + np.arange(n_team),
            ]
        ).astype(np.int64),
        np.concatenate(
            [
                who,
                n_exec + cands.pattern,
                n_exec + n_pattern + index.pattern_team,
                np.full(n_team, sink),
            ]
        ).astype(np.int64),
        np.concatenate(
            [
                bounds.max_rotations[who],
                np.ones(len(cands)),
                _pattern_capacity(index),
                np.full(n_team, limit),
            ]
        ).astype(np.int64),
        np.concatenate(
            [np.zeros(len(who)), -cands.weight, np.zeros(n_pattern), np.zeros(n_team)]
        ).astype(np.int64),
    )
    coverage = run.best_terms.coverage
    flow.set_nodes_supplies(np.array([source, sink]), np.array([coverage, -coverage]))
    if flow.solve() != flow.OPTIMAL:
        return False
    return -flow.optimal_cost() >= run.best_terms.preference


def _load_relaxation_bound(run: _Run, lower: int) -> int:
    """The smallest team limit `_load_relaxation_allows`, searched between `lower` and the
    plan's max_team_load while the time allows."""
    count = count_all(run.index)
    lo, hi = lower, run.best_terms.max_team_load
    while lo < hi:
        if count > FLOW_LIMIT or not _time_for_seconds(run, FLOW_S_PER_CANDIDATE * count):
            return lower
        mid = (lo + hi) // 2
        if _load_relaxation_allows(run, mid):
            hi = mid
        else:
            lo = mid + 1
    return lo


def _repair(run: _Run, executive: np.ndarray, pattern: np.ndarray) -> tuple[Pairs, np.ndarray]:
    """A valid plan from an assignment that may break relaxed rules: fixed rotations, then
    the assignment's rotations that still fit (best weight first), then the greedy. Also
    the positions of the assignment's rotations that did not fit."""
    index = run.index
    placer = Placer(index)
    for e, p in index.fixed_pairs:
        placer.place(e, p)
    fixed = set(index.fixed_pairs)
    weights = index.weight[executive, index.pattern_team[pattern]]
    refused = []
    for k in np.argsort(-weights, kind="stable").tolist():
        e, p = int(executive[k]), int(pattern[k])
        if (e, p) in fixed:
            continue
        if placer.fits(e, p):
            placer.place(e, p)
        else:
            refused.append(k)
    return _as_pairs(greedy_pairs(index, placer=placer)), np.array(refused, dtype=np.int64)


def _fix_terms(built: _Model, target: Terms, *, load: bool) -> None:
    model, x, cands = built.model, built.x, built.cands
    model.add(terms.coverage(x) == target.coverage)
    model.add(terms.preference(x, cands) == target.preference)
    if load:
        team = cands.team
        for t in np.unique(team):
            rows = np.flatnonzero(team == t)
            model.add(cp_model.LinearExpr.sum([x[int(i)] for i in rows]) <= target.max_team_load)


def _per_executive_exact(run: _Run) -> bool:
    """Coverage and preference meet the per-executive bounds, so every optimal plan gives
    each executive their most rotations, all at best-weight teams."""
    simple = simple_bounds(run.index, run.bounds, run.best_terms)
    return (
        run.best_terms.coverage == simple.coverage
        and run.best_terms.preference == simple.preference
    )


def _best_team_mask(run: _Run) -> np.ndarray:
    index, bounds = run.index, run.bounds
    team_ok = index.reachable_teams()
    return team_ok & (index.weight == bounds.best_weight[:, None])


def _team_flow(
    run: _Run, best_teams: np.ndarray, limit: int
) -> tuple[int, dict[int, list[int]]] | None:
    """Rotations per (executive, team) with every team at most `limit` (fixed included),
    each executive's free rotations at best-weight teams, as many as possible kept.
    None when no such choice exists; else (kept potential, teams per executive)."""
    index, bounds = run.index, run.bounds
    _, fixed_count = fixed_weight_and_count(index)
    need = np.maximum(bounds.max_rotations - fixed_count, 0)
    base = np.bincount(
        [int(index.pattern_team[p]) for _, p in index.fixed_pairs], minlength=len(index.team_ids)
    )
    if (base > limit).any():
        return None
    n_exec, n_team = best_teams.shape
    source, sink = n_exec + n_team, n_exec + n_team + 1
    keepable = np.zeros((n_exec, n_team), dtype=np.int64)
    fixed = set(index.fixed_pairs)
    for (e, p), n in previous_pairs(index).items():
        t = int(index.pattern_team[p])
        # A fixed rotation that was planned before is kept anyway; the caller adds it.
        if (e, p) not in fixed and best_teams[e, t] and index.allows(e, p):
            keepable[e, t] += n
    who = np.flatnonzero(need)
    e_idx, t_idx = np.nonzero(best_teams[who])
    e_idx = who[e_idx]
    tails = [np.full(len(who), source), e_idx, e_idx, n_exec + np.arange(n_team)]
    heads = [who, n_exec + t_idx, n_exec + t_idx, np.full(n_team, sink)]
    caps = [
        need[who],
        np.minimum(keepable[e_idx, t_idx], need[e_idx]),
        need[e_idx],
        np.maximum(limit - base, 0),
    ]
    costs = [
        np.zeros(len(who)),
        np.full(len(e_idx), -1),
        np.zeros(len(e_idx)),
        np.zeros(n_team),
    ]
    flow = min_cost_flow.SimpleMinCostFlow()
    arcs = flow.add_arcs_with_capacity_and_unit_cost(
        np.concatenate(tails).astype(np.int64),
        np.concatenate(heads).astype(np.int64),
        np.concatenate(caps).astype(np.int64),
        np.concatenate(costs).astype(np.int64),
    )
    total = int(need.sum())
    flow.set_nodes_supplies(np.array([source, sink]), np.array([total, -total]))
    if flow.solve_max_flow_with_min_cost() != flow.OPTIMAL or flow.maximum_flow() < total:
        return None
    flows = flow.flows(arcs)
    n_who = len(who)
    first = flows[n_who : n_who + len(e_idx)]
    second = flows[n_who + len(e_idx) : n_who + 2 * len(e_idx)]
    teams_of: dict[int, list[int]] = {}
    for k in np.flatnonzero(first + second):
        teams_of.setdefault(int(e_idx[k]), []).extend([int(t_idx[k])] * int(first[k] + second[k]))
    return int(first.sum()), teams_of


def _load_by_cp_sat(run: _Run, cands: Candidates, *, is_full: bool, certified: bool) -> None:
    """Minimize max_team_load with coverage and preference held at the best plan's."""
    if not _time_for(run, cands):
        return
    built = _build_model(run, cands, is_full=is_full)
    _fix_terms(built, run.best_terms, load=False)
    load = terms.max_team_load(built.model, built.x, cands, run.index)
    if certified:
        # Proven for every plan with these coverage and preference: lets CP-SAT stop there.
        built.model.add(load >= run.bound.max_team_load)
    built.model.minimize(load)
    run.stats["candidates_stage_load"] = len(cands)
    kept_open = run.best_terms.kept < run.bound.kept
    _, pairs, proven = _run_solver(
        run, built, "max_team_load", share=LATER_TERMS_SHARE if kept_open else 1.0
    )
    if pairs is not None:
        run.offer(pairs)
        if is_full and certified:
            proven_load = int(np.ceil(proven - 1e-6))
            run.bound = replace(run.bound, max_team_load=max(run.bound.max_team_load, proven_load))


def _stage_team_load(run: _Run) -> None:
    index = run.index
    started = time.monotonic()
    run.report("max_team_load", "choosing teams")
    lower = load_bound(index, run.best_terms.coverage)
    day_assignment_s = DAY_ASSIGNMENT_S_PER_EXECUTIVE * len(index.executive_ids)
    exact = _per_executive_exact(run) and _time_for_seconds(run, day_assignment_s)
    best_teams = _best_team_mask(run) if exact else None
    kept_potential = None
    if exact and run.best_terms.max_team_load > lower:
        # Smallest team limit the aggregated team choice allows: a bound for every optimal
        # plan, since each of them is such a choice.
        lo, hi = lower, run.best_terms.max_team_load
        found = _team_flow(run, best_teams, hi)
        while lo < hi and found is not None:
            mid = (lo + hi) // 2
            attempt = _team_flow(run, best_teams, mid)
            if attempt is None:
                lo = mid + 1
            else:
                hi, found = mid, attempt
        lower = max(lower, lo)
        if found is not None:
            kept_potential, teams_of = found
            placer = Placer(index)
            order = sorted(teams_of, key=lambda e: len(teams_of[e]), reverse=True)
            pairs = greedy_pairs(index, order=order, teams_of=teams_of, placer=placer)
            # Anyone the day assignment left short takes any open best-weight rotation.
            pairs = greedy_pairs(index, placer=placer)
            run.offer(_as_pairs(pairs))
    elif exact:
        found = _team_flow(run, best_teams, run.best_terms.max_team_load)
        kept_potential = found[0] if found else None
    certified = run.bound.coverage == run.best_terms.coverage and (
        run.bound.preference == run.best_terms.preference
    )
    if certified and not exact and run.best_terms.max_team_load > lower:
        lower = _load_relaxation_bound(run, lower)
    run.bound = replace(run.bound, max_team_load=max(run.bound.max_team_load, lower))
    if (
        run.best_terms.max_team_load > lower
        and run.left() - _reserve(run) > MIN_STAGE_S
        and not run.stopped()
    ):
        cands, is_full = _candidates(run, teams_mask=best_teams)
        _load_by_cp_sat(run, cands, is_full=is_full, certified=certified)
    if (
        kept_potential is not None
        and run.bound.max_team_load == run.best_terms.max_team_load
        and not any(n > 1 for n in previous_pairs(index).values())
    ):
        fixed_kept = sum(previous_pairs(index).get(pair, 0) for pair in set(index.fixed_pairs))
        run.bound = replace(run.bound, kept=min(run.bound.kept, kept_potential + fixed_kept))
    run.stage_seconds["max_team_load"] = round(time.monotonic() - started, 3)


def _stage_kept(run: _Run) -> None:
    index = run.index
    if run.best_terms.kept >= run.bound.kept or not previous_pairs(index):
        return
    if run.left() - _reserve(run) <= MIN_STAGE_S or run.stopped():
        return
    started = time.monotonic()
    run.report("kept", "keeping previous rotations")
    best_teams = _best_team_mask(run) if _per_executive_exact(run) else None
    cands, is_full = _candidates(run, teams_mask=best_teams)
    if not _time_for(run, cands):
        return
    built = _build_model(run, cands, is_full=is_full)
    _fix_terms(built, run.best_terms, load=True)
    counts = terms.kept_counts(index, cands)
    built.model.maximize(terms.kept(built.x, cands, counts))
    run.stats["candidates_stage_kept"] = len(cands)
    _, pairs, proven = _run_solver(run, built, "kept")
    if pairs is not None:
        run.offer(pairs)
        certified = (
            run.bound.coverage == run.best_terms.coverage
            and run.bound.preference == run.best_terms.preference
            and run.bound.max_team_load == run.best_terms.max_team_load
        )
        if is_full and certified:
            run.bound = replace(run.bound, kept=min(run.bound.kept, int(np.floor(proven + 1e-6))))
    run.stage_seconds["kept"] = round(time.monotonic() - started, 3)


# --- the whole run ------------------------------------------------------------------------


def _infeasible_plan(problem: Problem, conflicts: list[Conflict], started: float) -> Plan:
    return Plan(
        status=INFEASIBLE,
        rotations=(),
        unassigned=tuple(
            Unassigned(executive=ex.id, missing=ex.rotations, reasons=("problem infeasible",))
            for ex in problem.executives
            if ex.rotations > 0
        ),
        objective=Terms(),
        bound=Terms(),
        conflicts=tuple(conflicts),
        solve_seconds=round(time.monotonic() - started, 3),
    )


def _final_plan(run: _Run, status: str | None = None) -> Plan:
    index = run.index
    rotations = rotations_of(index, [tuple(pair) for pair in run.best.tolist()])
    objective = terms.terms_of(run.problem, rotations)
    bound = run.bound
    if status is None:
        status = OPTIMAL if bound == objective else FEASIBLE
    run.stats["stage_seconds"] = run.stage_seconds
    return Plan(
        status=status,
        rotations=rotations,
        unassigned=explain_unassigned(run.problem, rotations),
        objective=objective,
        bound=bound,
        solve_seconds=round(run.elapsed(), 3),
        solver=dict(run.stats),
    )


def solve(
    problem: Problem,
    *,
    time_limit_s: float,
    workers: int,
    seed: int = 0,
    on_progress: Callable[[Progress], None] | None = None,
    should_stop: Callable[[], bool] | None = None,
    started: float | None = None,
) -> Plan:
    """Find a lexicographically best plan within `time_limit_s` seconds (counted from
    `started`, a `time.monotonic()` reading, when the caller's clock began earlier).

    Returns an INFEASIBLE plan, never raises, when the fixed rotations break a rule.
    """
    started = time.monotonic() if started is None else started
    run = _Run(
        problem=problem,
        started=started,
        deadline=started + max(time_limit_s, 0.0),
        workers=workers,
        seed=seed,
        on_progress=on_progress,
        should_stop=should_stop,
    )
    conflicts = infeasibility_conflicts(problem)
    if conflicts:
        return _infeasible_plan(problem, conflicts, started)
    run.index = build_index(problem)
    run.bounds = executive_bounds(run.index)
    greedy_started = time.monotonic()
    run.best = _as_pairs(greedy_pairs(run.index))
    run.best_terms = pair_terms(run.index, run.best)
    run.bound = simple_bounds(run.index, run.bounds, run.best_terms)
    run.stage_seconds["greedy"] = round(time.monotonic() - greedy_started, 3)
    run.stats["patterns"] = len(run.index.pattern_team)
    run.report("greedy", "greedy plan ready")
    for stage in (
        _stage_relaxation,
        _stage_coverage_preference,
        _stage_team_load,
        _stage_kept,
    ):
        if run.stopped() or run.left() <= _reserve(run):
            break
        stage(run)
        if run.best_terms == run.bound:
            break
    # A later stage may have proven more about earlier terms; recompute what follows.
    simple = simple_bounds(run.index, run.bounds, run.best_terms)
    run.bound = Terms(
        coverage=min(run.bound.coverage, simple.coverage),
        preference=min(run.bound.preference, simple.preference),
        max_team_load=max(run.bound.max_team_load, simple.max_team_load),
        kept=min(run.bound.kept, simple.kept),
    )
    run.report("done")
    return _final_plan(run)


__all__ = ["Progress", "solve"]
