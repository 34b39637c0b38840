"""Candidate rotations as numpy arrays, and per-executive bounds for the unpruned problem.

A *pattern* is one way a team can host a rotation: a start day and one slot per rotation day
(`rules.rotation[k]` on start + k), every slot inside the horizon with capacity > 0. A
*candidate* is an (executive, pattern) pair the executive may take: the hard constraints
that concern one executive and one rotation alone (language, unavailability, horizon,
forbidden pairs) are settled here, by the filters in constraints.py, so the model never sees
a candidate that breaks them.

At 2,000 executives, 100 teams and 250 days there are some ten million candidates, so the
full list is never materialised for large problems: `Index` keeps the factors (who speaks
with which team, who can start on which day, which patterns exist) as matrices, and
`candidates_for` builds rows only for the (executive, pattern) pairs asked for.
"""

from __future__ import annotations

import itertools
from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import cached_property

import numpy as np

from .constraints import (
    availability_matrix,
    forbidden_slot_sets,
    language_matrix,
    slot_days,
)
from .plan import Terms
from .problem import Problem

# Window of start days kept per (executive, team) when pruning, and teams per executive.
DAYS_PER_TEAM = 6
TEAMS_PER_EXECUTIVE = 8


@dataclass(frozen=True, eq=False)
class Index:
    """The problem as arrays: teams, slots, patterns and executives by position."""

    problem: Problem
    days: int  # horizon length in days
    length: int  # slots per rotation
    spacing: int  # least distance between two start days of one executive
    team_ids: tuple[str, ...]
    slot_ids: tuple[str, ...]
    executive_ids: tuple[str, ...]
    slot_team: np.ndarray  # (S,) team index
    slot_day: np.ndarray  # (S,) day index, -1 outside the horizon
    slot_capacity: np.ndarray  # (S,)
    pattern_team: np.ndarray  # (P,)
    pattern_day: np.ndarray  # (P,) start day
    pattern_slots: np.ndarray  # (P, length) slot indices
    speaks: np.ndarray  # (E, T) bool: shares a language (hard constraint 2)
    weight: np.ndarray  # (E, T) int64 preference weight of a rotation at the team
    starts: np.ndarray  # (E, D) bool: free on every day of a rotation starting then (1, 8)
    rotations: np.ndarray  # (E,) rotations asked for
    forbidden: dict[int, frozenset[int]]  # executive -> forbidden slot indices (6)
    pattern_of_slots: dict[tuple[int, ...], int]  # slot indices -> pattern
    team_day_cap: int | None
    fixed_pairs: tuple[tuple[int, int], ...]  # (executive, pattern) of each fixed rotation

    @cached_property
    def executive_index(self) -> dict[str, int]:
        return {eid: n for n, eid in enumerate(self.executive_ids)}

    @cached_property
    def slot_index(self) -> dict[str, int]:
        return {sid: n for n, sid in enumerate(self.slot_ids)}

    def patterns_of_team(self) -> list[np.ndarray]:
        """Pattern indices per team, each sorted by start day."""
        order = np.lexsort((self.pattern_day, self.pattern_team))
        bounds = np.searchsorted(self.pattern_team[order], np.arange(len(self.team_ids) + 1))
        return [order[bounds[t] : bounds[t + 1]] for t in range(len(self.team_ids))]

    def patterns_per_team_day(self) -> np.ndarray:
        """(T, D) count of patterns starting at each team on each day."""
        counts = np.zeros((len(self.team_ids), self.days), dtype=np.int64)
        np.add.at(counts, (self.pattern_team, self.pattern_day), 1)
        return counts

    def reachable_teams(self) -> np.ndarray:
        """(E, T) bool: teams where the executive has at least one candidate."""
        has_pattern = (self.patterns_per_team_day() > 0).astype(np.float32)
        reachable = (self.starts.astype(np.float32) @ has_pattern.T) > 0
        reachable &= self.speaks
        for e in self.forbidden:
            exact = np.zeros(len(self.team_ids), dtype=bool)
            exact[self.pattern_team[self.allowed_patterns(e)]] = True
            reachable[e] = exact
        return reachable

    def forbidden_patterns(self, executive: int) -> np.ndarray:
        """Bool (P,): patterns the executive may not take because of a forbidden pair."""
        slots = self.forbidden.get(executive)
        if not slots:
            return np.zeros(len(self.pattern_team), dtype=bool)
        return np.isin(self.pattern_slots, list(slots)).any(axis=1)

    @cached_property
    def previous_pairs(self) -> Counter[tuple[int, int]]:
        """(executive, pattern) -> number of `previous` entries naming that rotation; entries
        whose slots make no pattern (a slot of capacity 0, say) can never be kept."""
        executive_index = self.executive_index
        slot_index = self.slot_index
        pairs: Counter[tuple[int, int]] = Counter()
        for ref in self.problem.previous:
            if ref.executive not in executive_index or not all(s in slot_index for s in ref.slots):
                continue
            pattern = self.pattern_of_slots.get(tuple(slot_index[s] for s in ref.slots))
            if pattern is not None:
                pairs[(executive_index[ref.executive], pattern)] += 1
        return pairs

    @cached_property
    def team_pattern_range(self) -> np.ndarray:
        """(T + 1,) patterns are sorted by team: team t's are range[t] .. range[t + 1] - 1."""
        return np.searchsorted(self.pattern_team, np.arange(len(self.team_ids) + 1))

    @cached_property
    def _speaking_cache(self) -> dict[bytes, np.ndarray]:
        return {}

    def _patterns_speaking(self, speaks: bytes) -> np.ndarray:
        """Patterns at the teams of one row of `speaks`; executives share few such rows."""
        cache = self._speaking_cache
        if speaks not in cache:
            row = np.frombuffer(speaks, dtype=bool)
            cache[speaks] = np.flatnonzero(row[self.pattern_team])
        return cache[speaks]

    def candidate_patterns(self, executive: int) -> np.ndarray:
        """Sorted indices of the patterns the executive may take (their candidates)."""
        patterns = self._patterns_speaking(self.speaks[executive].tobytes())
        patterns = patterns[self.starts[executive][self.pattern_day[patterns]]]
        slots = self.forbidden.get(executive)
        if slots:
            bad = np.isin(self.pattern_slots[patterns], list(slots)).any(axis=1)
            patterns = patterns[~bad]
        return patterns

    def allows(self, executive: int, pattern: int) -> bool:
        """Whether the executive may take the pattern (it is one of their candidates)."""
        team, day = self.pattern_team[pattern], self.pattern_day[pattern]
        if not (self.speaks[executive, team] and self.starts[executive, day]):
            return False
        slots = self.forbidden.get(executive, frozenset())
        return not any(int(s) in slots for s in self.pattern_slots[pattern])

    def allowed_patterns(self, executive: int) -> np.ndarray:
        """Bool (P,): every pattern the executive may take (the executive's candidates)."""
        mask = self.speaks[executive][self.pattern_team] & self.starts[executive][self.pattern_day]
        if executive in self.forbidden:
            mask &= ~self.forbidden_patterns(executive)
        return mask


def _patterns(
    problem: Problem,
    slot_team: np.ndarray,
    slot_day: np.ndarray,
    slot_capacity: np.ndarray,
    n_team: int,
    days: int,
) -> np.ndarray:
    """Rows of (team * days + start day, slot of day 0, slot of day 1, ...), sorted.

    Usually a team has at most one slot of a kind per date; then every (team, start day)
    has at most one pattern and a dense lookup finds them all at once. Otherwise every
    combination of the slots on offer is a pattern of its own.
    """
    kinds = problem.rules.rotation
    length = len(kinds)
    kind_of = np.array([slot.kind for slot in problem.slots], dtype=object)
    usable = (slot_day >= 0) & (slot_capacity > 0)
    key = slot_team * days + slot_day
    width = n_team * days
    dense = []
    for kind in kinds:
        chosen = np.flatnonzero(usable & (kind_of == kind))
        if len(np.unique(key[chosen])) < len(chosen):
            return _patterns_with_choices(problem, slot_team, slot_day, usable, days)
        lookup = np.full(width, -1, dtype=np.int64)
        lookup[key[chosen]] = chosen
        dense.append(lookup.reshape(n_team, days))
    if days < length or width == 0:
        return np.zeros((0, length + 1), dtype=np.int64)
    span = days - length + 1
    per_day = np.stack([dense[k][:, k : k + span] for k in range(length)], axis=-1)
    team, start = np.nonzero((per_day >= 0).all(axis=-1))
    return np.column_stack([team * days + start, per_day[team, start]]).astype(np.int64)


def _patterns_with_choices(
    problem: Problem,
    slot_team: np.ndarray,
    slot_day: np.ndarray,
    usable: np.ndarray,
    days: int,
) -> np.ndarray:
    kinds = problem.rules.rotation
    length = len(kinds)
    by_key: dict[tuple[int, int, str], list[int]] = defaultdict(list)
    for n in np.flatnonzero(usable).tolist():
        by_key[(int(slot_team[n]), int(slot_day[n]), problem.slots[n].kind)].append(n)
    rows: list[tuple[int, ...]] = []
    for team, day, kind in sorted(by_key):
        if kind != kinds[0] or day + length > days:
            continue
        choices = [by_key.get((team, day + k, kinds[k])) for k in range(length)]
        if not all(choices):
            continue
        for row in itertools.product(*choices):
            rows.append((team * days + day, *row))
    return np.array(rows, dtype=np.int64).reshape(len(rows), length + 1)


def build_index(problem: Problem) -> Index:
    """Turn the problem into arrays and enumerate every pattern."""
    kinds = problem.rules.rotation
    length = len(kinds)
    days = (problem.horizon.end - problem.horizon.start).days + 1
    team_ids = tuple(team.id for team in problem.teams)
    team_index = {tid: n for n, tid in enumerate(team_ids)}
    slot_team = np.array([team_index[s.team] for s in problem.slots], dtype=np.int64)
    slot_day = slot_days(problem)
    slot_capacity = np.array([s.capacity for s in problem.slots], dtype=np.int64)

    rows = _patterns(problem, slot_team, slot_day, slot_capacity, len(team_ids), days)
    if problem.rules.max_executives_per_team_per_day == 0:
        rows = rows[:0]  # no team may host anyone on any day (hard constraint 7)
    pattern_slots = rows[:, 1:]
    teams, starts_of = rows[:, 0] // max(days, 1), rows[:, 0] % max(days, 1)

    speaks = language_matrix(problem)
    available = availability_matrix(problem)
    # A rotation starting on d needs the executive free on d .. d + length - 1.
    busy = np.concatenate(
        [np.zeros((available.shape[0], 1), dtype=np.int64), np.cumsum(~available, axis=1)],
        axis=1,
    )
    starts = np.zeros_like(available)
    if days >= length:
        starts[:, : days - length + 1] = (busy[:, length:] - busy[:, : days - length + 1]) == 0

    weight = np.zeros((len(problem.executives), len(team_ids)), dtype=np.int64)
    teams_at_site: dict[str, list[int]] = defaultdict(list)
    teams_with_topic: dict[str, list[int]] = defaultdict(list)
    for n, team in enumerate(problem.teams):
        teams_at_site[team.site].append(n)
        for topic in team.topics:
            teams_with_topic[topic].append(n)
    for e, executive in enumerate(problem.executives):
        for site, value in executive.site_weights.items():
            weight[e, teams_at_site.get(site, [])] += value
        for topic, value in executive.topic_weights.items():
            np.add.at(weight[e], teams_with_topic.get(topic, []), value)

    min_days = problem.rules.min_days_between_rotations or 0
    pattern_of_slots = {tuple(row): p for p, row in enumerate(pattern_slots.tolist())}
    executive_index = {ex.id: n for n, ex in enumerate(problem.executives)}
    slot_index = {slot.id: n for n, slot in enumerate(problem.slots)}
    fixed_pairs = []
    for ref in problem.fixed:
        pattern = pattern_of_slots.get(tuple(slot_index[s] for s in ref.slots))
        # A fixed rotation with no pattern uses a slot of capacity 0: explain.py reports it.
        if pattern is not None:
            fixed_pairs.append((executive_index[ref.executive], pattern))
    return Index(
        problem=problem,
        days=days,
        length=length,
        # Two rotations of one executive sharing a date would break hard constraint 5;
        # start days `length` apart never do, so the spacing used is the larger of both.
        spacing=max(min_days, length),
        team_ids=team_ids,
        slot_ids=tuple(s.id for s in problem.slots),
        executive_ids=tuple(e.id for e in problem.executives),
        slot_team=slot_team,
        slot_day=slot_day,
        slot_capacity=slot_capacity,
        pattern_team=teams.astype(np.int64),
        pattern_day=starts_of.astype(np.int64),
        pattern_slots=pattern_slots,
        speaks=speaks,
        weight=weight,
        starts=starts,
        rotations=np.array([e.rotations for e in problem.executives], dtype=np.int64),
        forbidden=forbidden_slot_sets(problem),
        pattern_of_slots=pattern_of_slots,
        team_day_cap=problem.rules.max_executives_per_team_per_day,
        fixed_pairs=tuple(fixed_pairs),
    )


@dataclass(frozen=True, eq=False)
class Candidates:
    """Rows in parallel: executive, pattern, team, start day, slots per day, weight."""

    executive: np.ndarray
    pattern: np.ndarray
    team: np.ndarray
    day: np.ndarray
    slots: np.ndarray
    weight: np.ndarray

    def __len__(self) -> int:
        return len(self.executive)


def candidates_for(index: Index, executive: np.ndarray, pattern: np.ndarray) -> Candidates:
    """Candidate rows for the given (executive, pattern) pairs, duplicates dropped."""
    pairs = np.unique(np.stack([executive, pattern], axis=1).astype(np.int64), axis=0)
    pairs = pairs.reshape(-1, 2)
    e, p = pairs[:, 0], pairs[:, 1]
    team = index.pattern_team[p]
    return Candidates(
        executive=e,
        pattern=p,
        team=team,
        day=index.pattern_day[p],
        slots=index.pattern_slots[p],
        weight=index.weight[e, team],
    )


def count_all(index: Index) -> int:
    """How many candidates the unpruned problem has (forbidden pairs not subtracted)."""
    # Float matrix products use BLAS; the counts stay far below 2**53, so they are exact.
    per_day = index.speaks.astype(np.float64) @ index.patterns_per_team_day().astype(np.float64)
    return int(round(float((per_day * index.starts).sum())))


def all_candidates(index: Index) -> Candidates:
    """Every candidate of the problem; only for problems small enough to model whole."""
    executives: list[np.ndarray] = []
    patterns: list[np.ndarray] = []
    for team, team_patterns in enumerate(index.patterns_of_team()):
        who = np.flatnonzero(index.speaks[:, team])
        if len(who) == 0 or len(team_patterns) == 0:
            continue
        mask = index.starts[who][:, index.pattern_day[team_patterns]]
        rows, cols = np.nonzero(mask)
        executives.append(who[rows])
        patterns.append(team_patterns[cols])
    return _without_forbidden(index, _concat(executives), _concat(patterns))


def _concat(parts: list[np.ndarray]) -> np.ndarray:
    return np.concatenate(parts) if parts else np.zeros(0, dtype=np.int64)


def _without_forbidden(index: Index, executive: np.ndarray, pattern: np.ndarray) -> Candidates:
    if index.forbidden and len(executive):
        keep = np.ones(len(executive), dtype=bool)
        for e, slots in index.forbidden.items():
            rows = np.flatnonzero(executive == e)
            bad = np.isin(index.pattern_slots[pattern[rows]], list(slots)).any(axis=1)
            keep[rows[bad]] = False
        executive, pattern = executive[keep], pattern[keep]
    return candidates_for(index, executive, pattern)


def pruned_candidates(
    index: Index,
    *,
    keep: list[tuple[int, int]],
    days_per_team: int = DAYS_PER_TEAM,
    teams_per_executive: int = TEAMS_PER_EXECUTIVE,
    seed: int = 0,
    teams_mask: np.ndarray | None = None,
) -> Candidates:
    """Candidates that can matter: per executive the best teams, a spread of days at each.

    `keep` lists (executive, pattern) pairs that must stay (the greedy plan's, the previous
    plan's, the fixed rotations); `teams_mask` (E, T) limits the teams considered. Teams are
    ranked by weight, ties broken by a seeded shuffle so executives with equal tastes spread
    over teams. At each kept team, `days_per_team` start days evenly spread over the
    executive's free days are kept, with a per-executive offset.
    """
    rng = np.random.default_rng(seed)
    n_exec, n_team = index.speaks.shape
    reachable = index.reachable_teams()
    if teams_mask is not None:
        reachable &= teams_mask
    noise = rng.random((n_exec, n_team))
    score = np.where(reachable, index.weight + noise * 0.5, -np.inf)
    take = min(teams_per_executive, n_team)
    top = np.argpartition(-score, take - 1, axis=1)[:, :take] if take else np.zeros((n_exec, 0))
    chosen = np.zeros((n_exec, n_team), dtype=bool)
    rows = np.repeat(np.arange(n_exec), top.shape[1])
    chosen[rows, top.ravel().astype(np.int64)] = True
    chosen &= reachable
    executives: list[np.ndarray] = []
    patterns: list[np.ndarray] = []
    for team, team_patterns in enumerate(index.patterns_of_team()):
        who = np.flatnonzero(chosen[:, team])
        if len(who) == 0 or len(team_patterns) == 0:
            continue
        mask = index.starts[who][:, index.pattern_day[team_patterns]]
        rank = np.cumsum(mask, axis=1)
        total = rank[:, -1:].clip(min=1)
        offset = rng.integers(0, 1 << 30, size=(len(who), 1)) % total
        # Keep the rank r where floor((r*K + offset)/n) steps: K evenly spread of n.
        step = ((rank * days_per_team + offset) // total) != (
            ((rank - 1) * days_per_team + offset) // total
        )
        r, c = np.nonzero(mask & step)
        executives.append(who[r])
        patterns.append(team_patterns[c])
    if keep:
        extra = np.array(keep, dtype=np.int64).reshape(-1, 2)
        executives.append(extra[:, 0])
        patterns.append(extra[:, 1])
    return _without_forbidden(index, _concat(executives), _concat(patterns))


@dataclass(frozen=True)
class ExecutiveBounds:
    """Per executive, bounds that hold for every valid plan of the unpruned problem."""

    max_rotations: np.ndarray  # (E,) most rotations spacing, availability and demand allow
    best_weight: np.ndarray  # (E,) best weight among teams with a candidate (0 if none)
    has_candidate: np.ndarray  # (E,) bool


def candidate_start_days(index: Index) -> np.ndarray:
    """(E, D) bool: days on which the executive has at least one candidate."""
    has_pattern = (index.patterns_per_team_day() > 0).astype(np.float32)
    days = ((index.speaks.astype(np.float32) @ has_pattern) > 0) & index.starts
    for e in index.forbidden:
        allowed = index.allowed_patterns(e)
        exact = np.zeros(index.days, dtype=bool)
        exact[index.pattern_day[allowed]] = True
        days[e] = exact
    return days


def most_spaced(days: np.ndarray, spacing: int, limit: int) -> int:
    """Most start days pairwise `spacing` apart among sorted `days` (earliest first is best)."""
    count = 0
    last = None
    for day in days:
        if count >= limit:
            break
        if last is None or day - last >= spacing:
            count += 1
            last = day
    return count


def executive_bounds(index: Index) -> ExecutiveBounds:
    """Most rotations and best weight per executive, valid for the unpruned problem."""
    start_days = candidate_start_days(index)
    # One rotation needs one candidate day; only executives wanting more need the spacing.
    max_rotations = np.minimum(index.rotations, start_days.any(axis=1)).astype(np.int64)
    for e in np.flatnonzero(index.rotations > 1):
        days = np.flatnonzero(start_days[e])
        max_rotations[e] = most_spaced(days, index.spacing, int(index.rotations[e]))
    team_ok = index.reachable_teams()
    masked = np.where(team_ok, index.weight, np.iinfo(np.int64).min)
    has_candidate = team_ok.any(axis=1)
    best = np.where(has_candidate, masked.max(axis=1, initial=np.iinfo(np.int64).min), 0)
    return ExecutiveBounds(
        max_rotations=max_rotations, best_weight=best.astype(np.int64), has_candidate=has_candidate
    )


def previous_pairs(index: Index) -> Counter[tuple[int, int]]:
    """(executive, pattern) -> number of `previous` entries naming exactly that rotation."""
    return index.previous_pairs


def fixed_weight_and_count(index: Index) -> tuple[np.ndarray, np.ndarray]:
    """(E,) summed weight and number of each executive's fixed rotations."""
    n_exec = len(index.executive_ids)
    weight = np.zeros(n_exec, dtype=np.int64)
    count = np.zeros(n_exec, dtype=np.int64)
    for e, p in index.fixed_pairs:
        weight[e] += index.weight[e, index.pattern_team[p]]
        count[e] += 1
    return weight, count


def coverage_bound(bounds: ExecutiveBounds) -> int:
    """No plan holds more rotations than every executive's most."""
    return int(bounds.max_rotations.sum())


def preference_bound(index: Index, bounds: ExecutiveBounds, *, full_coverage: bool) -> int:
    """Preference in every lexicographically optimal plan is at most this.

    With `full_coverage` (a plan reached the coverage bound) every optimal plan gives each
    executive their most rotations, each worth at most their best weight. Otherwise an
    executive may hold fewer, so a negative best weight counts as 0.
    """
    fixed_weight, fixed_count = fixed_weight_and_count(index)
    free = np.maximum(bounds.max_rotations - fixed_count, 0)
    best = bounds.best_weight if full_coverage else np.maximum(bounds.best_weight, 0)
    return int((fixed_weight + free * best).sum())


def load_bound(index: Index, coverage: int) -> int:
    """Some team holds at least its fixed rotations, and at least the average share of a
    plan with `coverage` rotations (an optimal plan has no fewer) over teams with patterns."""
    teams = len(np.unique(index.pattern_team))
    fixed = Counter(int(index.pattern_team[p]) for _, p in index.fixed_pairs)
    average = -(-coverage // teams) if teams else 0
    return max(average, max(fixed.values(), default=0))


def kept_bound(index: Index, bounds: ExecutiveBounds, *, best_teams_only: bool) -> int:
    """Previous entries an optimal plan can keep: per executive those still allowed (at a
    best-weight team when every optimal plan uses only those), spaced, at most their most
    rotations."""
    per_executive: dict[int, list[tuple[int, int]]] = {}
    for (e, p), n in previous_pairs(index).items():
        team = index.pattern_team[p]
        if best_teams_only and index.weight[e, team] != bounds.best_weight[e]:
            continue
        if not index.allows(e, p):
            continue
        per_executive.setdefault(e, []).append((int(index.pattern_day[p]), n))
    total = 0
    for e, entries in per_executive.items():
        if all(n == 1 for _, n in entries):
            days = np.unique([day for day, _ in entries])
            total += most_spaced(days, index.spacing, int(bounds.max_rotations[e]))
        else:
            # A held rotation keeps each identical entry; at most their most rotations.
            counts = sorted((n for _, n in entries), reverse=True)
            total += sum(counts[: int(bounds.max_rotations[e])])
    return total


def simple_bounds(index: Index, bounds: ExecutiveBounds, achieved: Terms) -> Terms:
    """Bounds valid for the unpruned problem from per-executive reasoning alone."""
    cover = coverage_bound(bounds)
    full = achieved.coverage == cover
    pref = preference_bound(index, bounds, full_coverage=full)
    return Terms(
        coverage=cover,
        preference=pref,
        max_team_load=load_bound(index, achieved.coverage),
        kept=kept_bound(index, bounds, best_teams_only=full and achieved.preference == pref),
    )
