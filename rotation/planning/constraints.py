"""The hard constraints of the spec, one function each.

Constraints that concern one executive and one rotation alone are settled when candidates
are generated (candidates.py); each has a pure filter here so it can be tested on its own:

- 1 (unavailable): `is_available`, `availability_matrix`
- 2 (language): `shares_language`, `language_matrix`
- 6, forbidden half: `is_forbidden`, `forbidden_slot_sets`
- 8 (horizon): `in_horizon`, `slot_days`
- 3, a slot of capacity 0: such slots are never part of a pattern.

The others link candidates and become CP-SAT constraints over one Boolean per candidate
(`x[i]` is candidate row i): `add_slot_capacity` (3), `add_rotation_count` and `add_spacing`
(4), `add_one_slot_per_date` (5), `add_fixed` (6, fixed half), `add_team_day_cap` (7).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import date
from typing import TYPE_CHECKING

import numpy as np
from ortools.sat.python import cp_model

from .problem import Executive, Problem, Slot, Team

if TYPE_CHECKING:
    from .candidates import Candidates, Index


# --- settled by candidate generation ------------------------------------------------------


def is_available(executive: Executive, day: date) -> bool:
    """Hard constraint 1: the day lies in none of the executive's unavailable ranges."""
    return not any(first <= day <= last for first, last in executive.unavailable)


def availability_matrix(problem: Problem) -> np.ndarray:
    """(E, D) bool: executive e is available on horizon day d (hard constraint 1)."""
    start = problem.horizon.start
    days = (problem.horizon.end - start).days + 1
    available = np.ones((len(problem.executives), days), dtype=bool)
    for e, executive in enumerate(problem.executives):
        for first, last in executive.unavailable:
            lo = max((first - start).days, 0)
            hi = min((last - start).days, days - 1)
            if lo <= hi:
                available[e, lo : hi + 1] = False
    return available


def shares_language(executive: Executive, team: Team) -> bool:
    """Hard constraint 2: the executive and the team have a language in common."""
    return bool(set(executive.languages) & set(team.languages))


def language_matrix(problem: Problem) -> np.ndarray:
    """(E, T) bool: executive e shares a language with team t (hard constraint 2)."""
    languages = sorted(
        {lang for ex in problem.executives for lang in ex.languages}
        | {lang for team in problem.teams for lang in team.languages}
    )
    position = {lang: n for n, lang in enumerate(languages)}
    spoken = np.zeros((len(problem.executives), len(languages)), dtype=np.int64)
    for e, executive in enumerate(problem.executives):
        spoken[e, [position[lang] for lang in executive.languages]] = 1
    offered = np.zeros((len(problem.teams), len(languages)), dtype=np.int64)
    for t, team in enumerate(problem.teams):
        offered[t, [position[lang] for lang in team.languages]] = 1
    return (spoken @ offered.T) > 0


def in_horizon(problem: Problem, slot: Slot) -> bool:
    """Hard constraint 8: the slot lies inside the horizon."""
    return slot.date in problem.horizon


def slot_days(problem: Problem) -> np.ndarray:
    """(S,) day index of each slot from the horizon start, -1 outside it (constraint 8)."""
    start = problem.horizon.start
    days = (problem.horizon.end - start).days + 1
    offsets = np.array([(slot.date - start).days for slot in problem.slots], dtype=np.int64)
    return np.where((offsets >= 0) & (offsets < days), offsets, -1)


def is_forbidden(problem: Problem, executive_id: str, slot_id: str) -> bool:
    """Hard constraint 6: the (executive, slot) pair is listed in `forbidden`."""
    return any(p.executive == executive_id and p.slot == slot_id for p in problem.forbidden)


def forbidden_slot_sets(problem: Problem) -> dict[int, frozenset[int]]:
    """Executive index -> indices of the slots the executive may not use (constraint 6)."""
    executive_index = {ex.id: n for n, ex in enumerate(problem.executives)}
    slot_index = {slot.id: n for n, slot in enumerate(problem.slots)}
    sets: dict[int, set[int]] = {}
    for pair in problem.forbidden:
        if pair.executive in executive_index and pair.slot in slot_index:
            sets.setdefault(executive_index[pair.executive], set()).add(slot_index[pair.slot])
    return {e: frozenset(slots) for e, slots in sets.items()}


# --- model constraints --------------------------------------------------------------------


def _groups(keys: np.ndarray, members: np.ndarray) -> Iterator[tuple[int, np.ndarray]]:
    """Yield (key, members with that key) for each distinct key."""
    if len(keys) == 0:
        return
    order = np.argsort(keys, kind="stable")
    keys, members = keys[order], members[order]
    cuts = np.flatnonzero(np.diff(keys)) + 1
    starts = np.concatenate([[0], cuts])
    ends = np.concatenate([cuts, [len(keys)]])
    for lo, hi in zip(starts, ends, strict=True):
        yield int(keys[lo]), members[lo:hi]


def _sum(x: Sequence[cp_model.IntVar], rows: np.ndarray) -> cp_model.LinearExprT:
    return cp_model.LinearExpr.sum([x[int(i)] for i in rows])


def add_slot_capacity(
    model: cp_model.CpModel, x: Sequence[cp_model.IntVar], cands: Candidates, index: Index
) -> None:
    """Hard constraint 3: a slot never holds more executives than its capacity."""
    length = cands.slots.shape[1]
    rows = np.tile(np.arange(len(cands)), length)
    for slot, members in _groups(cands.slots.T.ravel(), rows):
        capacity = int(index.slot_capacity[slot])
        if len(members) > capacity:
            model.add(_sum(x, members) <= capacity)


def add_rotation_count(
    model: cp_model.CpModel, x: Sequence[cp_model.IntVar], cands: Candidates, index: Index
) -> None:
    """Hard constraint 4, first half: an executive gets at most `rotations` rotations."""
    for executive, members in _groups(cands.executive, np.arange(len(cands))):
        wanted = int(index.rotations[executive])
        if len(members) <= wanted:
            continue
        if wanted == 1:
            model.add_at_most_one([x[int(i)] for i in members])
        else:
            model.add(_sum(x, members) <= wanted)


def _add_start_windows(
    model: cp_model.CpModel,
    x: Sequence[cp_model.IntVar],
    cands: Candidates,
    index: Index,
    width: int,
) -> None:
    """At most one rotation per executive starts within any `width` consecutive days."""
    # An executive with at most one rotation is covered by `add_rotation_count`.
    several = index.rotations[cands.executive] > 1
    if width <= 1 or not several.any():
        return
    order = np.flatnonzero(several)
    order = order[np.lexsort((cands.day[order], cands.executive[order]))]
    executive, day = cands.executive[order], cands.day[order]
    # Window i holds rows i .. end[i]-1: same executive, start day < day[i] + width.
    key = executive * (int(day.max()) + width + 1) + day
    end = np.searchsorted(key, key + width, side="left")
    previous_end = -1
    for i in range(len(order)):
        # A window ending where the one before ended is contained in it: skip it.
        if end[i] - i > 1 and end[i] != previous_end:
            model.add_at_most_one([x[int(r)] for r in order[i : end[i]]])
        previous_end = int(end[i])


def add_spacing(
    model: cp_model.CpModel, x: Sequence[cp_model.IntVar], cands: Candidates, index: Index
) -> None:
    """Hard constraint 4, second half: start days of one executive's rotations are at least
    `min_days_between_rotations` apart."""
    _add_start_windows(model, x, cands, index, index.problem.rules.min_days_between_rotations or 0)


def add_one_slot_per_date(
    model: cp_model.CpModel, x: Sequence[cp_model.IntVar], cands: Candidates, index: Index
) -> None:
    """Hard constraint 5: an executive holds at most one slot per date.

    Two rotations of one executive share a date exactly when their start days are less than
    the rotation length apart; with spacing at least that long the windows of `add_spacing`
    already say so.
    """
    if (index.problem.rules.min_days_between_rotations or 0) < index.length:
        _add_start_windows(model, x, cands, index, index.length)


def add_team_day_cap(
    model: cp_model.CpModel, x: Sequence[cp_model.IntVar], cands: Candidates, index: Index
) -> None:
    """Hard constraint 7: at most `max_executives_per_team_per_day` executives hold a slot
    of one team on one date (an executive holds one slot per date, so rotations count)."""
    cap = index.team_day_cap
    if cap is None:
        return
    length = index.length
    rows = np.tile(np.arange(len(cands)), length)
    dates = (cands.day[None, :] + np.arange(length)[:, None]).ravel()
    keys = np.tile(cands.team, length) * (index.days + length) + dates
    for _, members in _groups(keys, rows):
        if len(members) > cap:
            model.add(_sum(x, members) <= cap)


def add_fixed(
    model: cp_model.CpModel, x: Sequence[cp_model.IntVar], fixed_rows: Sequence[int]
) -> None:
    """Hard constraint 6, first half: every fixed rotation is in the plan as given."""
    for row in fixed_rows:
        model.add(x[int(row)] == 1)


def add_all(
    model: cp_model.CpModel,
    x: Sequence[cp_model.IntVar],
    cands: Candidates,
    index: Index,
    fixed_rows: Sequence[int],
) -> None:
    """Every hard constraint not already settled by the candidates."""
    add_slot_capacity(model, x, cands, index)
    add_rotation_count(model, x, cands, index)
    add_spacing(model, x, cands, index)
    add_one_slot_per_date(model, x, cands, index)
    add_team_day_cap(model, x, cands, index)
    add_fixed(model, x, fixed_rows)
