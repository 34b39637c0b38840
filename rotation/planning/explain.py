"""Plain-language reasons: why an executive stays unassigned, and which fixed rotations clash.

Pure computations on the problem and a plan's rotations; nothing here builds or runs a model,
so a reason never depends on how the solver got its plan. (The validator keeps its own
implementation of the fixed-rotation checks on purpose: the solver is not its own judge.)
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np

from .plan import Conflict, Rotation, Unassigned
from .problem import Executive, Problem, RotationRef

# Holders are named only when there are few of them; a longer list is noise.
_MAX_NAMED_HOLDERS = 2
# Per slot and per team-day, remember up to this many holders (enough to know "more than 2").
_HOLDER_COLUMNS = _MAX_NAMED_HOLDERS + 1


@dataclass(frozen=True)
class _Candidates:
    """Every rotation the rules allow in the horizon, ignoring who could take it.

    Arrays run in parallel: ``team[i]`` (team index), ``start[i]`` (day offset from the
    horizon start) and ``slots[i]`` (slot indices, one per rotation day).
    """

    team: np.ndarray
    start: np.ndarray
    slots: np.ndarray


def _day(problem: Problem, day: date) -> int:
    return (day - problem.horizon.start).days


def _horizon_days(problem: Problem) -> int:
    return (problem.horizon.end - problem.horizon.start).days + 1


def _build_candidates(problem: Problem, team_index: dict[str, int]) -> _Candidates:
    kinds = problem.rules.rotation
    length = len(kinds)
    last_day = _horizon_days(problem) - 1
    by_key: dict[tuple[int, int, str], list[int]] = defaultdict(list)
    for index, slot in enumerate(problem.slots):
        day = _day(problem, slot.date)
        if 0 <= day <= last_day:
            by_key[(team_index[slot.team], day, slot.kind)].append(index)
    teams: list[int] = []
    starts: list[int] = []
    slot_rows: list[tuple[int, ...]] = []
    for team, day, kind in sorted(by_key):
        if kind != kinds[0] or day + length - 1 > last_day:
            continue
        choices = [by_key.get((team, day + k, kinds[k])) for k in range(length)]
        if any(not choice for choice in choices):
            continue
        for row in itertools.product(*choices):
            teams.append(team)
            starts.append(day)
            slot_rows.append(row)
    return _Candidates(
        team=np.array(teams, dtype=np.int64),
        start=np.array(starts, dtype=np.int64),
        slots=np.array(slot_rows, dtype=np.int64).reshape(len(slot_rows), length),
    )


def _pair_noun(length: int, count: int) -> str:
    """What the spec's examples call a "slot pair", for any rotation length."""
    if length == 1:
        return "slot" if count == 1 else "slots"
    if length == 2:
        return "slot pair" if count == 1 else "slot pairs"
    return "slot sequence" if count == 1 else "slot sequences"


def _names(ids: Sequence[str]) -> str:
    if len(ids) <= 1:
        return "".join(ids)
    return ", ".join(ids[:-1]) + " and " + ids[-1]


class _Explainer:
    """Shared look-ups for explaining many executives against one plan."""

    def __init__(self, problem: Problem, rotations: Sequence[Rotation]) -> None:
        self.problem = problem
        self.length = len(problem.rules.rotation)
        self.days = _horizon_days(problem)
        self.team_index = {team.id: n for n, team in enumerate(problem.teams)}
        self.slot_index = {slot.id: n for n, slot in enumerate(problem.slots)}
        self.executive_index = {ex.id: n for n, ex in enumerate(problem.executives)}
        self.candidates = _build_candidates(problem, self.team_index)
        self.spacing = problem.rules.min_days_between_rotations or 0
        # Two rotations of one executive may not share a date (constraint 5) and must start
        # `spacing` days apart (constraint 4): the larger gap binds.
        self.gap = max(self.spacing, self.length)
        self._language_masks: dict[frozenset[str], np.ndarray] = {}
        self._index_plan(rotations)

    def _index_plan(self, rotations: Sequence[Rotation]) -> None:
        problem = self.problem
        n_slots = len(problem.slots)
        n_teams = len(problem.teams)
        self.plan_starts: dict[str, list[int]] = defaultdict(list)
        slot_holders = np.full((n_slots, _HOLDER_COLUMNS), -1, dtype=np.int64)
        slot_count = np.zeros(n_slots, dtype=np.int64)
        team_day_execs: dict[tuple[int, int], set[int]] = defaultdict(set)
        for rotation in rotations:
            executive = self.executive_index[rotation.executive]
            indices = [self.slot_index[slot_id] for slot_id in rotation.slots]
            self.plan_starts[rotation.executive].append(
                min(_day(problem, problem.slots[i].date) for i in indices)
            )
            for i in indices:
                if slot_count[i] < _HOLDER_COLUMNS:
                    slot_holders[i, slot_count[i]] = executive
                slot_count[i] += 1
                slot = problem.slots[i]
                team_day_execs[(self.team_index[slot.team], _day(problem, slot.date))].add(
                    executive
                )
        capacity = np.array([slot.capacity for slot in problem.slots], dtype=np.int64)
        self.slot_full = slot_count >= capacity
        self.slot_holders = slot_holders
        team_day_holders = np.full((n_teams, self.days, _HOLDER_COLUMNS), -1, dtype=np.int64)
        team_day_count = np.zeros((n_teams, self.days), dtype=np.int64)
        for (team, day), executives in team_day_execs.items():
            if 0 <= day < self.days:
                team_day_count[team, day] = len(executives)
                ordered = sorted(executives)[:_HOLDER_COLUMNS]
                team_day_holders[team, day, : len(ordered)] = ordered
        cap = problem.rules.max_executives_per_team_per_day
        if cap is None:
            self.team_day_full = np.zeros((n_teams, self.days), dtype=bool)
        else:
            self.team_day_full = team_day_count >= cap
        self.team_day_holders = team_day_holders
        cand = self.candidates
        # A rotation that does not share a date with the executive's own rotations is full
        # only through other executives, so one mask serves everybody.
        full = self.slot_full[cand.slots].any(axis=1)
        for k in range(self.length):
            full |= self.team_day_full[cand.team, cand.start + k]
        self.candidate_full = full

    def language_mask(self, executive: Executive) -> np.ndarray:
        """Which teams share a language with the executive (cached per language set)."""
        key = frozenset(executive.languages)
        mask = self._language_masks.get(key)
        if mask is None:
            mask = np.array([bool(key & set(team.languages)) for team in self.problem.teams])
            self._language_masks[key] = mask
        return mask

    def unavailable_days(self, executive: Executive) -> np.ndarray:
        bad = np.zeros(self.days, dtype=bool)
        for first, last in executive.unavailable:
            lo = max(_day(self.problem, first), 0)
            hi = min(_day(self.problem, last), self.days - 1)
            if lo <= hi:
                bad[lo : hi + 1] = True
        return bad

    def forbidden_slots(self) -> dict[str, set[int]]:
        forbidden: dict[str, set[int]] = defaultdict(set)
        for pair in self.problem.forbidden:
            if pair.slot in self.slot_index:
                forbidden[pair.executive].add(self.slot_index[pair.slot])
        return forbidden

    def max_spaced(self, starts: np.ndarray) -> int:
        """The most rotations one executive could hold on these start days, alone."""
        count = 0
        last = None
        for start in sorted(set(starts.tolist())):
            if last is None or start - last >= self.gap:
                count += 1
                last = start
        return count

    def holders(self, mask: np.ndarray) -> list[str]:
        """Executives holding the full slots and team-days of the masked candidates."""
        cand = self.candidates
        slot_rows = cand.slots[mask]
        full_slots = np.unique(slot_rows[self.slot_full[slot_rows]])
        found = [self.slot_holders[full_slots].ravel()]
        for k in range(self.length):
            teams = cand.team[mask]
            days = cand.start[mask] + k
            full = self.team_day_full[teams, days]
            found.append(self.team_day_holders[teams[full], days[full]].ravel())
        holders = np.unique(np.concatenate(found))
        holders = holders[holders >= 0]
        return [self.problem.executives[i].id for i in holders.tolist()]

    def spacing_reason(self, possible: int) -> str:
        if self.spacing >= self.length:
            return (
                f"the {self.spacing}-day spacing leaves room for only {possible} "
                "rotation(s) in the horizon"
            )
        return (
            f"their available days leave room for only {possible} non-overlapping "
            "rotation(s) in the horizon"
        )

    def reasons(self, executive: Executive, forbidden: set[int]) -> list[str]:
        """The first binding cause: language, absence, forbidden pairs, spacing, full pairs.

        Spacing is checked before fullness because it binds even with every slot empty; it
        can only bind for an executive who already holds a rotation.
        """
        cand = self.candidates
        length = self.length
        speaks = ", ".join(executive.languages) or "none"
        teams = self.language_mask(executive)
        if not teams.any():
            return [f"no team shares a language (speaks: {speaks})"]
        matching = teams[cand.team]
        n_matching = int(matching.sum())
        if n_matching == 0:
            return [
                f"no matching {_pair_noun(length, 2)} in the horizon at the "
                f"{int(teams.sum())} team(s) sharing a language (speaks: {speaks})"
            ]

        bad_days = self.unavailable_days(executive)
        blocked_by_absence = np.zeros(len(cand.team), dtype=bool)
        covered = np.zeros(self.days, dtype=bool)
        for k in range(length):
            blocked_by_absence |= bad_days[cand.start + k]
            covered[cand.start[matching] + k] = True
        available = matching & ~blocked_by_absence
        if not available.any():
            n_days = int(covered.sum())
            n_away = int((covered & bad_days).sum())
            return [
                f"unavailable on {n_away} of {n_days} days that have matching "
                f"{_pair_noun(length, 2)}, covering all {n_matching} matching "
                f"{_pair_noun(length, n_matching)} at teams sharing a language"
            ]

        allowed = available
        if forbidden:
            forbidden_mask = np.zeros(len(self.problem.slots), dtype=bool)
            forbidden_mask[list(forbidden)] = True
            allowed = available & ~forbidden_mask[cand.slots].any(axis=1)
            if not allowed.any():
                n_available = int(available.sum())
                return [
                    f"the forbidden list excludes all {n_available} available matching "
                    f"{_pair_noun(length, n_available)} ({len(forbidden)} forbidden slot(s))"
                ]

        starts = self.plan_starts.get(executive.id, [])
        if starts:
            possible = self.max_spaced(cand.start[allowed])
            if possible <= len(starts):
                return [self.spacing_reason(possible)]

        compatible = allowed.copy()
        for start in starts:
            compatible &= np.abs(cand.start - start) >= self.gap
        n_compatible = int(compatible.sum())
        if n_compatible == 0:
            n_allowed = int(allowed.sum())
            return [
                f"the remaining {n_allowed} matching {_pair_noun(length, n_allowed)} are needed "
                "for other executives' rotations (coverage and preference come first)"
            ]

        free = compatible & ~self.candidate_full
        if not free.any():
            holders = self.holders(compatible)
            noun = _pair_noun(length, n_compatible)
            text = (
                f"the only matching {noun} is full"
                if n_compatible == 1
                else f"all {n_compatible} matching {noun} are full"
            )
            if not holders:
                text += " (no places offered)"
            elif len(holders) <= _MAX_NAMED_HOLDERS:
                text += f" (held by {_names(holders)})"
            return [text]
        n_free = int(free.sum())
        verb = "is" if n_free == 1 else "are"
        return [
            f"{n_free} matching {_pair_noun(length, n_free)} {verb} still free, but the search "
            "stopped before placing them"
        ]


def explain_unassigned(problem: Problem, rotations: Sequence[Rotation]) -> tuple[Unassigned, ...]:
    """Name, for each executive short of rotations in the plan, why the plan has no more."""
    held: dict[str, int] = defaultdict(int)
    for rotation in rotations:
        held[rotation.executive] += 1
    short = [ex for ex in problem.executives if held[ex.id] < ex.rotations]
    if not short:
        return ()
    explainer = _Explainer(problem, rotations)
    forbidden = explainer.forbidden_slots()
    return tuple(
        Unassigned(
            executive=ex.id,
            missing=ex.rotations - held[ex.id],
            reasons=tuple(explainer.reasons(ex, forbidden.get(ex.id, set()))),
        )
        for ex in short
    )


def _slots_of(refs: Sequence[RotationRef]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(slot for ref in refs for slot in ref.slots))


def _executives_of(refs: Sequence[RotationRef]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(ref.executive for ref in refs))


def _conflict(constraint: int, refs: Sequence[RotationRef], message: str) -> Conflict:
    return Conflict(
        constraint=constraint,
        executives=_executives_of(refs),
        slots=_slots_of(refs),
        message=message,
    )


def _unavailable_conflicts(problem: Problem) -> list[Conflict]:
    conflicts = []
    for ref in problem.fixed:
        executive = problem.executive_by_id[ref.executive]
        for slot_id in ref.slots:
            day = problem.slot_by_id[slot_id].date
            if any(first <= day <= last for first, last in executive.unavailable):
                conflicts.append(
                    _conflict(
                        1,
                        [ref],
                        f"{ref.executive} is unavailable on {day.isoformat()} "
                        f"(fixed slot {slot_id})",
                    )
                )
    return conflicts


def _language_conflicts(problem: Problem) -> list[Conflict]:
    conflicts = []
    for ref in problem.fixed:
        executive = problem.executive_by_id[ref.executive]
        team = problem.team_by_id[problem.slot_by_id[ref.slots[0]].team]
        if not set(executive.languages) & set(team.languages):
            conflicts.append(
                _conflict(
                    2,
                    [ref],
                    f"team {team.id} shares no language with {ref.executive} "
                    f"(speaks: {', '.join(executive.languages) or 'none'}; "
                    f"team: {', '.join(team.languages) or 'none'})",
                )
            )
    return conflicts


def _capacity_conflicts(problem: Problem) -> list[Conflict]:
    users: dict[str, list[RotationRef]] = defaultdict(list)
    for ref in problem.fixed:
        for slot_id in ref.slots:
            users[slot_id].append(ref)
    conflicts = []
    for slot in problem.slots:
        refs = users.get(slot.id, [])
        if len(refs) > slot.capacity:
            conflicts.append(
                _conflict(
                    3,
                    refs,
                    f"slot {slot.id} holds {len(refs)} executive(s), capacity {slot.capacity}: "
                    f"{', '.join(_executives_of(refs))}",
                )
            )
    return conflicts


def _fixed_by_executive(problem: Problem) -> dict[str, list[RotationRef]]:
    by_executive: dict[str, list[RotationRef]] = defaultdict(list)
    for ref in problem.fixed:
        by_executive[ref.executive].append(ref)
    return by_executive


def _start(problem: Problem, ref: RotationRef) -> date:
    return min(problem.slot_by_id[slot_id].date for slot_id in ref.slots)


def _count_and_spacing_conflicts(problem: Problem) -> list[Conflict]:
    spacing = problem.rules.min_days_between_rotations or 0
    conflicts = []
    for executive_id, refs in _fixed_by_executive(problem).items():
        allowed = problem.executive_by_id[executive_id].rotations
        if len(refs) > allowed:
            conflicts.append(
                _conflict(
                    4, refs, f"{executive_id} has {len(refs)} fixed rotations, allowed {allowed}"
                )
            )
        for first, second in itertools.combinations(refs, 2):
            days = sorted([_start(problem, first), _start(problem, second)])
            apart = (days[1] - days[0]).days
            if apart < spacing:
                conflicts.append(
                    _conflict(
                        4,
                        [first, second],
                        f"{executive_id}'s fixed rotations start {days[0].isoformat()} and "
                        f"{days[1].isoformat()}, {apart} day(s) apart, min {spacing}",
                    )
                )
    return conflicts


def _one_slot_per_date_conflicts(problem: Problem) -> list[Conflict]:
    conflicts = []
    for executive_id, refs in _fixed_by_executive(problem).items():
        by_day: dict[date, list[tuple[RotationRef, str]]] = defaultdict(list)
        for ref in refs:
            for slot_id in ref.slots:
                by_day[problem.slot_by_id[slot_id].date].append((ref, slot_id))
        for day in sorted(by_day):
            held = by_day[day]
            if len(held) > 1:
                involved = list(dict.fromkeys(ref for ref, _ in held))
                conflicts.append(
                    _conflict(
                        5,
                        involved,
                        f"{executive_id} holds {len(held)} slots on {day.isoformat()}: "
                        f"{', '.join(slot_id for _, slot_id in held)}",
                    )
                )
    return conflicts


def _forbidden_conflicts(problem: Problem) -> list[Conflict]:
    forbidden = {(pair.executive, pair.slot) for pair in problem.forbidden}
    conflicts = []
    for ref in problem.fixed:
        for slot_id in ref.slots:
            if (ref.executive, slot_id) in forbidden:
                conflicts.append(
                    _conflict(
                        6,
                        [ref],
                        f"{ref.executive}'s fixed rotation uses forbidden slot {slot_id}",
                    )
                )
    return conflicts


def _team_day_conflicts(problem: Problem) -> list[Conflict]:
    cap = problem.rules.max_executives_per_team_per_day
    if cap is None:
        return []
    present: dict[tuple[str, date], list[RotationRef]] = defaultdict(list)
    for ref in problem.fixed:
        for slot_id in ref.slots:
            slot = problem.slot_by_id[slot_id]
            present[(slot.team, slot.date)].append(ref)
    conflicts = []
    for team, day in sorted(present):
        refs = present[(team, day)]
        executives = _executives_of(refs)
        if len(executives) > cap:
            conflicts.append(
                _conflict(
                    7,
                    refs,
                    f"team {team} has {len(executives)} executives on {day.isoformat()}, "
                    f"max {cap}: {', '.join(executives)}",
                )
            )
    return conflicts


def infeasibility_conflicts(problem: Problem) -> list[Conflict]:
    """List every hard constraint the fixed rotations alone break; [] when they fit together."""
    return [
        *_unavailable_conflicts(problem),
        *_language_conflicts(problem),
        *_capacity_conflicts(problem),
        *_count_and_spacing_conflicts(problem),
        *_one_slot_per_date_conflicts(problem),
        *_forbidden_conflicts(problem),
        *_team_day_conflicts(problem),
    ]
