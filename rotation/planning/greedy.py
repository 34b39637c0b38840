"""A quick valid plan: fixed rotations first, then one executive at a time.

Executives with the fewest candidates go first; each takes a rotation at their best-weight
team (their `previous` rotation there when it is still open, else the least-loaded such
team), on the least contended open day, or the earliest when they need more rotations
later. Every placement keeps every hard constraint, so the plan is valid whatever happens
next; solve.py starts from it and never returns anything worse.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence

import numpy as np

from .candidates import (
    ExecutiveBounds,
    Index,
    build_index,
    executive_bounds,
    previous_pairs,
    simple_bounds,
)
from .explain import explain_unassigned
from .objective import terms_of
from .plan import FEASIBLE, OPTIMAL, Plan, Rotation
from .problem import Problem


class Placer:
    """Free places per slot and team-day, and which patterns are still open."""

    def __init__(self, index: Index) -> None:
        self.index = index
        n_patterns = len(index.pattern_team)
        self.slot_room = index.slot_capacity.copy()
        cap = index.team_day_cap
        self.team_day_room = np.full(
            (len(index.team_ids), index.days), np.iinfo(np.int64).max if cap is None else cap
        )
        self.open = np.ones(n_patterns, dtype=bool)
        self.team_load = np.zeros(len(index.team_ids), dtype=np.int64)
        self.starts: dict[int, list[int]] = {}
        self.placed: list[tuple[int, int]] = []
        flat = index.pattern_slots.ravel()
        order = np.argsort(flat, kind="stable")
        self._slot_patterns = order // max(index.length, 1)
        self._slot_cuts = np.searchsorted(flat[order], np.arange(len(index.slot_ids) + 1))
        self._team_patterns = index.patterns_of_team()
        self._team_pattern_days = [index.pattern_day[p] for p in self._team_patterns]

    def patterns_using(self, slot: int) -> np.ndarray:
        return self._slot_patterns[self._slot_cuts[slot] : self._slot_cuts[slot + 1]]

    def spacing_ok(self, executive: int) -> np.ndarray:
        """(D,) bool: start days far enough from the executive's placed rotations."""
        ok = np.ones(self.index.days, dtype=bool)
        spacing = self.index.spacing
        for day in self.starts.get(executive, ()):
            ok[max(day - spacing + 1, 0) : day + spacing] = False
        return ok

    def room_for(self, executive: int) -> bool:
        return len(self.starts.get(executive, ())) < self.index.rotations[executive]

    def options(self, executive: int, candidates: np.ndarray) -> np.ndarray:
        """Which of the executive's candidate patterns they can take now."""
        mask = self.open[candidates]
        if executive in self.starts:
            mask &= self.spacing_ok(executive)[self.index.pattern_day[candidates]]
        return candidates[mask]

    def fits(self, executive: int, pattern: int) -> bool:
        index = self.index
        return bool(
            self.open[pattern]
            and self.room_for(executive)
            and self.spacing_ok(executive)[index.pattern_day[pattern]]
            and index.allows(executive, pattern)
        )

    def place(self, executive: int, pattern: int) -> None:
        index = self.index
        team, day = int(index.pattern_team[pattern]), int(index.pattern_day[pattern])
        for slot in index.pattern_slots[pattern]:
            self.slot_room[slot] -= 1
            if self.slot_room[slot] <= 0:
                self.open[self.patterns_using(int(slot))] = False
        days = self._team_pattern_days[team]
        for date in range(day, day + index.length):
            self.team_day_room[team, date] -= 1
            if self.team_day_room[team, date] <= 0:
                lo = np.searchsorted(days, date - index.length + 1, side="left")
                hi = np.searchsorted(days, date, side="right")
                self.open[self._team_patterns[team][lo:hi]] = False
        self.team_load[team] += 1
        self.starts.setdefault(executive, []).append(day)
        self.placed.append((executive, pattern))


def candidate_counts(index: Index) -> np.ndarray:
    """(E,) number of candidates per executive (forbidden pairs not subtracted)."""
    per_day = index.speaks.astype(np.float32) @ index.patterns_per_team_day().astype(np.float32)
    return (per_day * index.starts).sum(axis=1)


def choose(
    index: Index,
    placer: Placer,
    executive: int,
    options: np.ndarray,
    *,
    teams: np.ndarray | None,
    kept: Iterable[int],
    demand: np.ndarray,
    earliest: bool,
) -> int:
    """Pick one of `options` (sorted): best weight (or only `teams`), kept rotation,
    least-loaded team, then the least contended day (the earliest if more must follow)."""
    present = np.zeros(len(index.team_ids), dtype=bool)
    present[index.pattern_team[options]] = True
    if teams is not None:
        allowed = np.zeros_like(present)
        allowed[teams] = True
        present &= allowed
    choice = np.flatnonzero(present)
    if teams is None:
        weights = index.weight[executive, choice]
        choice = choice[weights == weights.max()]
    for pattern in kept:
        at = np.searchsorted(options, pattern)
        if at < len(options) and options[at] == pattern:
            if index.pattern_team[pattern] in choice:
                return int(pattern)
    loads = placer.team_load[choice]
    team = int(choice[np.argmin(loads)])
    bounds = index.team_pattern_range
    lo, hi = np.searchsorted(options, [bounds[team], bounds[team + 1]])
    mine = options[lo:hi]
    days = index.pattern_day[mine]
    if earliest:
        return int(mine[np.argmin(days)])
    return int(mine[np.lexsort((days, demand[days]))[0]])


def greedy_pairs(
    index: Index,
    *,
    order: Sequence[int] | None = None,
    teams_of: dict[int, list[int]] | None = None,
    placer: Placer | None = None,
) -> list[tuple[int, int]]:
    """Place the fixed rotations, then as many more as the greedy finds; (executive,
    pattern) pairs. With `teams_of`, executive e takes one rotation at each listed team."""
    placer = placer or Placer(index)
    if not placer.placed:
        for e, p in index.fixed_pairs:
            placer.place(e, p)
    previous: dict[int, list[int]] = {}
    for e, p in previous_pairs(index):
        previous.setdefault(e, []).append(p)
    demand = index.starts.sum(axis=0)
    if order is None:
        order = np.argsort(candidate_counts(index), kind="stable").tolist()
    todo: dict[int, list[int | None]] = {}
    for e in order:
        wanted = int(index.rotations[e]) - len(placer.starts.get(e, ()))
        if wanted > 0:
            todo[e] = list(teams_of[e]) if teams_of is not None else [None] * wanted
    # First keep what the previous plan had, where it is still at a team the executive
    # would choose anyway, before anyone else takes its places.
    for e, teams in todo.items():
        for pattern in previous.get(e, ()):
            team = int(index.pattern_team[pattern])
            if not placer.fits(e, pattern):
                continue
            if teams_of is not None:
                if team not in teams:
                    continue
                teams.remove(team)
            else:
                candidates = index.candidate_patterns(e)
                if index.weight[e, team] < index.weight[e, index.pattern_team[candidates]].max():
                    continue
                teams.pop()
            placer.place(e, pattern)
    for e, teams in todo.items():
        if not teams:
            continue
        candidates = index.candidate_patterns(e)
        for n, team in enumerate(teams):
            if not placer.room_for(e):
                break
            options = placer.options(e, candidates)
            if len(options) == 0:
                break
            wanted_teams = None if team is None else np.array([team])
            if (
                wanted_teams is not None
                and not np.isin(index.pattern_team[options], wanted_teams).any()
            ):
                continue
            pattern = choose(
                index,
                placer,
                e,
                options,
                teams=wanted_teams,
                kept=previous.get(e, ()),
                demand=demand,
                earliest=n + 1 < len(teams),
            )
            placer.place(e, pattern)
    return placer.placed


def rotations_of(index: Index, pairs: Iterable[tuple[int, int]]) -> tuple[Rotation, ...]:
    return tuple(
        Rotation(
            executive=index.executive_ids[e],
            team=index.team_ids[index.pattern_team[p]],
            slots=tuple(index.slot_ids[s] for s in index.pattern_slots[p]),
        )
        for e, p in pairs
    )


def plan_of(
    index: Index,
    bounds: ExecutiveBounds,
    pairs: Sequence[tuple[int, int]],
    *,
    started: float,
    solver: dict[str, object] | None = None,
) -> Plan:
    """A FEASIBLE plan of the pairs, OPTIMAL when it meets the per-executive bounds."""
    rotations = rotations_of(index, pairs)
    objective = terms_of(index.problem, rotations)
    bound = simple_bounds(index, bounds, objective)
    return Plan(
        status=OPTIMAL if bound == objective else FEASIBLE,
        rotations=rotations,
        unassigned=explain_unassigned(index.problem, rotations),
        objective=objective,
        bound=bound,
        solve_seconds=round(time.monotonic() - started, 3),
        solver=solver,
    )


def greedy_plan(problem: Problem) -> Plan:
    """A valid plan within about a second for thousands of executives.

    Assumes the fixed rotations are consistent (solve.py checks that first).
    """
    started = time.monotonic()
    index = build_index(problem)
    bounds = executive_bounds(index)
    pairs = greedy_pairs(index)
    return plan_of(index, bounds, pairs, started=started, solver={"stage": "greedy"})
