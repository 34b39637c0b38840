"""The solver-free judge of a plan: every rule of the spec the two files can show.

`validate(problem, plan)` returns one line per violation: rotation shape, hard constraints 1-8,
the objective recomputed term by term, `bound`, `status`, `unassigned`, `conflicts` and
`solve_seconds`. It shares no code with the solver modules on purpose: the solver is not its
own judge. `fixed_conflicts(problem)` is this module's own view of which hard constraints the
fixed rotations alone break (an `INFEASIBLE` problem).
"""

from __future__ import annotations

import math
import sys
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from pathlib import Path

from .plan import (
    FEASIBLE,
    INFEASIBLE,
    OPTIMAL,
    TERMS,
    UNKNOWN,
    Conflict,
    Plan,
    PlanError,
    PlanFileError,
    Terms,
    load_plan,
)
from .problem import Executive, Problem, ProblemError, Slot, load_problem

CONSTRAINTS = {
    1: "availability",
    2: "language",
    3: "capacity",
    4: "rotations per executive",
    5: "one slot per date",
    6: "fixed and forbidden",
    7: "executives per team and day",
    8: "horizon",
}

# A rotation as this module sees it: (executive id, slot ids), from the plan or from `fixed`.
Ref = tuple[str, tuple[str, ...]]


def _names(ids: Iterable[str]) -> str:
    return ", ".join(ids)


def _unique(ids: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(ids))


def _known_slots(problem: Problem, ref: Ref) -> list[Slot]:
    return [problem.slot_by_id[slot_id] for slot_id in ref[1] if slot_id in problem.slot_by_id]


def _conflict(constraint: int, refs: Sequence[Ref], message: str) -> Conflict:
    return Conflict(
        constraint=constraint,
        executives=_unique(executive for executive, _ in refs),
        slots=_unique(slot_id for _, slot_ids in refs for slot_id in slot_ids),
        message=message,
    )


# --- hard constraints, one function each, over any list of rotations ----------------------


def _unavailable(problem: Problem, refs: Sequence[Ref]) -> list[Conflict]:
    """Hard constraint 1: never on a date inside one of the executive's unavailable ranges."""
    conflicts = []
    for ref in refs:
        executive = problem.executive_by_id.get(ref[0])
        if executive is None:
            continue
        for slot in _known_slots(problem, ref):
            for first, last in executive.unavailable:
                if first <= slot.date <= last:
                    conflicts.append(
                        _conflict(
                            1,
                            [ref],
                            f"{executive.id} is unavailable on {slot.date} "
                            f"({first}..{last}) but holds slot {slot.id}",
                        )
                    )
                    break
    return conflicts


def _language(problem: Problem, refs: Sequence[Ref]) -> list[Conflict]:
    """Hard constraint 2: only at teams sharing at least one language with the executive."""
    conflicts = []
    for ref in refs:
        executive = problem.executive_by_id.get(ref[0])
        if executive is None:
            continue
        for team_id in _unique(slot.team for slot in _known_slots(problem, ref)):
            team = problem.team_by_id.get(team_id)
            if team is not None and not set(team.languages) & set(executive.languages):
                conflicts.append(
                    _conflict(
                        2,
                        [ref],
                        f"{executive.id} (speaks: {_names(executive.languages) or 'none'}) "
                        f"is placed at team {team.id}, which speaks "
                        f"{_names(team.languages) or 'none'}",
                    )
                )
    return conflicts


def _capacity(problem: Problem, refs: Sequence[Ref]) -> list[Conflict]:
    """Hard constraint 3: a slot never holds more executives than its capacity."""
    holders: dict[str, list[Ref]] = defaultdict(list)
    for ref in refs:
        for slot in _known_slots(problem, ref):
            holders[slot.id].append(ref)
    conflicts = []
    for slot in problem.slots:
        held = holders.get(slot.id, [])
        if len(held) > slot.capacity:
            conflicts.append(
                _conflict(
                    3,
                    held,
                    f"slot {slot.id} holds {len(held)} executive(s), capacity {slot.capacity}: "
                    f"{_names(executive for executive, _ in held)}",
                )
            )
    return conflicts


def _start(problem: Problem, ref: Ref) -> date | None:
    first = problem.slot_by_id.get(ref[1][0]) if ref[1] else None
    return None if first is None else first.date


def _rotations_per_executive(problem: Problem, refs: Sequence[Ref]) -> list[Conflict]:
    """Hard constraint 4: at most `rotations` rotations, starts `min_days` apart."""
    by_executive: dict[str, list[Ref]] = defaultdict(list)
    for ref in refs:
        by_executive[ref[0]].append(ref)
    min_days = problem.rules.min_days_between_rotations
    conflicts = []
    for executive in problem.executives:
        held = by_executive.get(executive.id, [])
        if len(held) > executive.rotations:
            conflicts.append(
                _conflict(
                    4,
                    held,
                    f"{executive.id} has {len(held)} rotation(s), at most {executive.rotations}",
                )
            )
        if not min_days:
            continue
        dated = sorted(
            ((start, ref) for ref in held if (start := _start(problem, ref)) is not None),
            key=lambda pair: pair[0],
        )
        for (first, earlier), (second, later) in zip(dated, dated[1:], strict=False):
            gap = (second - first).days
            if gap < min_days:
                conflicts.append(
                    _conflict(
                        4,
                        [earlier, later],
                        f"{executive.id} has rotations starting {first} and {second}, "
                        f"{gap} day(s) apart, at least {min_days} required",
                    )
                )
    return conflicts


def _one_slot_per_date(problem: Problem, refs: Sequence[Ref]) -> list[Conflict]:
    """Hard constraint 5: an executive holds at most one slot per date."""
    held: dict[tuple[str, date], list[tuple[Ref, Slot]]] = defaultdict(list)
    for ref in refs:
        for slot in _known_slots(problem, ref):
            held[(ref[0], slot.date)].append((ref, slot))
    conflicts = []
    for (executive, day), placed in sorted(held.items(), key=lambda item: item[0]):
        if len(placed) > 1:
            conflicts.append(
                _conflict(
                    5,
                    _unique_refs(ref for ref, _ in placed),
                    f"{executive} holds {len(placed)} slots on {day}: "
                    f"{_names(slot.id for _, slot in placed)}",
                )
            )
    return conflicts


def _unique_refs(refs: Iterable[Ref]) -> list[Ref]:
    return list(dict.fromkeys(refs))


def _forbidden(problem: Problem, refs: Sequence[Ref]) -> list[Conflict]:
    """Hard constraint 6, second half: no forbidden (executive, slot) pair is used."""
    forbidden = {(pair.executive, pair.slot) for pair in problem.forbidden}
    conflicts = []
    for ref in refs:
        for slot_id in _unique(ref[1]):
            if (ref[0], slot_id) in forbidden:
                conflicts.append(
                    _conflict(6, [ref], f"{ref[0]} holds slot {slot_id}, a forbidden pair")
                )
    return conflicts


def _team_day_cap(problem: Problem, refs: Sequence[Ref]) -> list[Conflict]:
    """Hard constraint 7: at most `max_executives_per_team_per_day` executives per team and date."""
    cap = problem.rules.max_executives_per_team_per_day
    if cap is None:
        return []
    present: dict[tuple[str, date], list[Ref]] = defaultdict(list)
    for ref in refs:
        for slot in _known_slots(problem, ref):
            present[(slot.team, slot.date)].append(ref)
    conflicts = []
    for (team, day), held in sorted(present.items(), key=lambda item: item[0]):
        executives = _unique(executive for executive, _ in held)
        if len(executives) > cap:
            conflicts.append(
                _conflict(
                    7,
                    _unique_refs(held),
                    f"team {team} has {len(executives)} executives on {day}, max {cap}: "
                    f"{_names(executives)}",
                )
            )
    return conflicts


def _inside_horizon(problem: Problem, refs: Sequence[Ref]) -> list[Conflict]:
    """Hard constraint 8: every slot used lies inside the horizon."""
    conflicts = []
    for ref in refs:
        for slot in _known_slots(problem, ref):
            if not problem.horizon.start <= slot.date <= problem.horizon.end:
                conflicts.append(
                    _conflict(
                        8,
                        [ref],
                        f"slot {slot.id} is dated {slot.date}, outside the horizon "
                        f"{problem.horizon.start}..{problem.horizon.end}",
                    )
                )
    return conflicts


_HARD_CONSTRAINTS = (
    _unavailable,
    _language,
    _capacity,
    _rotations_per_executive,
    _one_slot_per_date,
    _forbidden,
    _team_day_cap,
    _inside_horizon,
)


def fixed_conflicts(problem: Problem) -> list[Conflict]:
    """Every hard constraint the fixed rotations alone break, one `Conflict` each."""
    refs = [(ref.executive, tuple(ref.slots)) for ref in problem.fixed]
    conflicts = [conflict for check in _HARD_CONSTRAINTS for conflict in check(problem, refs)]
    return sorted(conflicts, key=lambda conflict: conflict.constraint)


# --- objective ----------------------------------------------------------------------------


def _team_of(problem: Problem, ref: Ref, team_field: str | None = None) -> str | None:
    slots = _known_slots(problem, ref)
    if slots:
        return slots[0].team
    return team_field


def _preference(executive: Executive | None, team_id: str | None, problem: Problem) -> int:
    team = problem.team_by_id.get(team_id) if team_id is not None else None
    if executive is None or team is None:
        return 0
    return executive.site_weights.get(team.site, 0) + sum(
        executive.topic_weights.get(topic, 0) for topic in team.topics
    )


def _terms_of(problem: Problem, refs: Sequence[Ref], teams: Sequence[str | None] = ()) -> Terms:
    """The four objective terms of a list of rotations, as the spec defines them."""
    team_ids = [
        _team_of(problem, ref, teams[index] if index < len(teams) else None)
        for index, ref in enumerate(refs)
    ]
    loads = Counter(team_id for team_id in team_ids if team_id is not None)
    held = set(refs)
    return Terms(
        coverage=len(refs),
        preference=sum(
            _preference(problem.executive_by_id.get(ref[0]), team_id, problem)
            for ref, team_id in zip(refs, team_ids, strict=True)
        ),
        max_team_load=max(loads.values(), default=0),
        kept=sum(1 for ref in problem.previous if (ref.executive, tuple(ref.slots)) in held),
    )


# --- the plan -----------------------------------------------------------------------------


def _shape(problem: Problem, plan: Plan) -> list[str]:
    """Each rotation: known executive and slots, rules.rotation's length, kinds and days."""
    lines = []
    pattern = problem.rules.rotation
    for index, rotation in enumerate(plan.rotations):
        path = f"rotations[{index}]"
        if rotation.executive not in problem.executive_by_id:
            lines.append(f"{path}.executive: unknown executive {rotation.executive!r}")
        unknown = [slot_id for slot_id in rotation.slots if slot_id not in problem.slot_by_id]
        for slot_id in unknown:
            lines.append(f"{path}.slots: unknown slot {slot_id!r}")
        if len(rotation.slots) != len(pattern):
            lines.append(
                f"{path}.slots: rotation shape: {len(rotation.slots)} slot(s), "
                f"rules.rotation asks for {len(pattern)}"
            )
        if unknown or not rotation.slots:
            if rotation.team not in problem.team_by_id:
                lines.append(f"{path}.team: unknown team {rotation.team!r}")
            continue
        slots = [problem.slot_by_id[slot_id] for slot_id in rotation.slots]
        teams = _unique(slot.team for slot in slots)
        if len(teams) > 1:
            lines.append(
                f"{path}.slots: rotation shape: slots at {len(teams)} teams ({_names(teams)}), "
                "a rotation stays at one team"
            )
        if rotation.team != slots[0].team:
            lines.append(
                f"{path}.team: {rotation.team!r}, but its first slot is at team {slots[0].team!r}"
            )
        for day, slot in enumerate(slots):
            expected = slots[0].date + timedelta(days=day)
            if slot.date != expected:
                lines.append(
                    f"{path}.slots[{day}]: rotation shape: slot {slot.id} is dated {slot.date}, "
                    f"expected {expected} (consecutive days in order)"
                )
            if day < len(pattern) and slot.kind != pattern[day]:
                lines.append(
                    f"{path}.slots[{day}]: rotation shape: slot {slot.id} has kind "
                    f"{slot.kind!r}, expected {pattern[day]!r} (rules.rotation[{day}])"
                )
    return lines


def _hard_constraints(problem: Problem, plan: Plan, refs: Sequence[Ref]) -> list[str]:
    lines = []
    for check in _HARD_CONSTRAINTS:
        for conflict in check(problem, refs):
            name = CONSTRAINTS[conflict.constraint]
            lines.append(f"constraint {conflict.constraint} ({name}): {conflict.message}")
    if plan.status != INFEASIBLE:
        held = Counter(refs)
        for ref, count in Counter((r.executive, tuple(r.slots)) for r in problem.fixed).items():
            if held[ref] < count:
                lines.append(
                    f"constraint 6 (fixed and forbidden): fixed rotation of {ref[0]} "
                    f"({_names(ref[1])}) is not in the plan exactly as given"
                )
    return lines


def _objective(plan: Plan, actual: Terms) -> list[str]:
    return [
        f"objective.{name}: {getattr(plan.objective, name)} in the plan, "
        f"{getattr(actual, name)} recomputed from its rotations"
        for name in TERMS
        if getattr(plan.objective, name) != getattr(actual, name)
    ]


def _bound(problem: Problem, plan: Plan, actual: Terms) -> list[str]:
    """The bound's direction against the plan, where the earlier terms make it provable.

    A valid plan shows the optimum's coverage is at least its own. Its preference says
    something about the optimum only once coverage is proven optimal (bound == value), and
    so on down the priorities: a later term never buys a worse earlier one.
    """
    bound = plan.bound
    lines = []
    total = sum(executive.rotations for executive in problem.executives)
    if bound.coverage > total:
        lines.append(
            f"bound.coverage: {bound.coverage} is above the sum of rotations {total}, "
            "the trivially valid bound"
        )
    if bound.kept > len(problem.previous):
        lines.append(
            f"bound.kept: {bound.kept} is above the number of previous entries "
            f"{len(problem.previous)}, the trivially valid bound"
        )
    if bound.max_team_load < 0:
        lines.append(
            f"bound.max_team_load: {bound.max_team_load} is below 0, the trivially valid bound"
        )
    directions = (
        ("coverage", bound.coverage >= actual.coverage, "below"),
        ("preference", bound.preference >= actual.preference, "below"),
        ("max_team_load", bound.max_team_load <= actual.max_team_load, "above"),
        ("kept", bound.kept >= actual.kept, "below"),
    )
    for name, holds, side in directions:
        if not holds:
            lines.append(
                f"bound.{name}: {getattr(bound, name)} is {side} the plan's own "
                f"{name} {getattr(actual, name)}, so it bounds nothing"
            )
        if getattr(bound, name) != getattr(actual, name):
            break  # later terms are only comparable once this one is proven optimal
    return lines


def _unassigned(problem: Problem, plan: Plan, refs: Sequence[Ref]) -> list[str]:
    held = Counter(executive for executive, _ in refs)
    short = {
        executive.id: executive.rotations - held[executive.id]
        for executive in problem.executives
        if held[executive.id] < executive.rotations
    }
    lines = []
    listed: set[str] = set()
    for index, entry in enumerate(plan.unassigned):
        path = f"unassigned[{index}]"
        if entry.executive in listed:
            lines.append(f"{path}: {entry.executive} is listed in unassigned more than once")
            continue
        listed.add(entry.executive)
        if entry.executive not in problem.executive_by_id:
            lines.append(f"{path}: unassigned names unknown executive {entry.executive!r}")
        elif entry.executive not in short:
            lines.append(
                f"{path}: unassigned lists {entry.executive}, who is not short of rotations"
            )
        elif entry.missing != short[entry.executive]:
            lines.append(
                f"{path}.missing: {entry.missing}, but {entry.executive} is short of "
                f"{short[entry.executive]} rotation(s)"
            )
        if not entry.reasons or not all(reason.strip() for reason in entry.reasons):
            lines.append(f"{path}.reasons: unassigned needs non-empty reasons")
    for executive, missing in short.items():
        if executive not in listed:
            lines.append(
                f"unassigned: {executive} is short of {missing} rotation(s) but not listed"
            )
    return lines


def _conflicts(problem: Problem, plan: Plan, expected: Sequence[Conflict]) -> list[str]:
    """An INFEASIBLE plan's conflicts: non-empty, each naming a broken constraint and fixed ids."""
    if not plan.conflicts:
        return ["conflicts: an INFEASIBLE plan lists at least one conflict"]
    fixed_executives = {ref.executive for ref in problem.fixed}
    fixed_slots = {slot_id for ref in problem.fixed for slot_id in ref.slots}
    broken = {conflict.constraint for conflict in expected}
    lines = []
    for index, conflict in enumerate(plan.conflicts):
        path = f"conflicts[{index}]"
        if conflict.constraint not in CONSTRAINTS:
            lines.append(f"{path}.constraint: {conflict.constraint} is not a hard constraint 1..8")
        elif broken and conflict.constraint not in broken:
            lines.append(
                f"{path}.constraint: the fixed rotations do not break constraint "
                f"{conflict.constraint}"
            )
        for name, ids, known in (
            ("executives", conflict.executives, fixed_executives),
            ("slots", conflict.slots, fixed_slots),
        ):
            if not ids:
                lines.append(f"{path}.{name}: a conflict names at least one")
            strangers = [item for item in ids if item not in known]
            if strangers:
                lines.append(
                    f"{path}.{name}: {_names(strangers)} not in the fixed rotations "
                    "(a conflict names ids from fixed)"
                )
        if not conflict.message.strip():
            lines.append(f"{path}.message: a conflict needs a message")
    return lines


def _status(
    problem: Problem, plan: Plan, refs: Sequence[Ref], actual: Terms, expected: list[Conflict]
) -> list[str]:
    lines = []
    if plan.status == INFEASIBLE:
        if not expected:
            lines.append(
                "status: INFEASIBLE, but the fixed rotations alone break no hard constraint"
            )
        if plan.rotations:
            lines.append(f"status: an INFEASIBLE plan has no rotations (has {len(refs)})")
        for name in ("objective", "bound"):
            if getattr(plan, name) != Terms():
                lines.append(f"status: an INFEASIBLE plan has {name} 0 on all four terms")
        lines.extend(_conflicts(problem, plan, expected))
        return lines
    if expected:
        first = expected[0]
        lines.append(
            f"status: {plan.status}, but the fixed rotations alone break constraint "
            f"{first.constraint} ({first.message}), so the status must be INFEASIBLE"
        )
    if plan.conflicts:
        lines.append(f"conflicts: only an INFEASIBLE plan lists conflicts (status {plan.status})")
    if plan.status == OPTIMAL and plan.bound != plan.objective:
        differing = [
            name for name in TERMS if getattr(plan.bound, name) != getattr(plan.objective, name)
        ]
        lines.append(f"status: OPTIMAL, but bound differs from objective on {_names(differing)}")
    fixed = Counter((ref.executive, tuple(ref.slots)) for ref in problem.fixed)
    if plan.status == UNKNOWN and Counter(refs) != fixed:
        lines.append("status: an UNKNOWN plan holds exactly the fixed rotations")
    if plan.status in (OPTIMAL, FEASIBLE) and not expected:
        fixed_only = _terms_of(problem, list(fixed.elements()))
        if actual.as_tuple() < fixed_only.as_tuple():
            lines.append(
                f"status: {plan.status} plan is worse than the plan of the fixed rotations "
                f"only (terms {_terms_text(actual)} against {_terms_text(fixed_only)})"
            )
    return lines


def _terms_text(terms: Terms) -> str:
    return ", ".join(f"{name} {getattr(terms, name)}" for name in TERMS)


def validate(problem: Problem, plan: Plan) -> list[str]:
    """Every violation of the spec the problem and the plan show, one line each; [] if valid."""
    refs = [(rotation.executive, tuple(rotation.slots)) for rotation in plan.rotations]
    actual = _terms_of(problem, refs, [rotation.team for rotation in plan.rotations])
    expected = fixed_conflicts(problem)
    lines = _shape(problem, plan)
    lines += _hard_constraints(problem, plan, refs)
    lines += _objective(plan, actual)
    lines += _bound(problem, plan, actual)
    lines += _status(problem, plan, refs, actual, expected)
    lines += _unassigned(problem, plan, refs)
    if not (math.isfinite(plan.solve_seconds) and plan.solve_seconds >= 0):
        lines.append(f"solve_seconds: must be a number >= 0 (got {plan.solve_seconds})")
    return lines


def cli_check(problem_path: str | Path, plan_path: str | Path) -> int:
    """`check`: print each violation on stdout; 0 valid, 1 violations, 2 unreadable input."""
    try:
        problem = load_problem(problem_path)
    except ProblemError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    try:
        plan = load_plan(plan_path)
    except PlanFileError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    except PlanError as err:
        # A plan that is JSON but not shaped like a plan is a violation, not an unreadable file.
        print(err)
        return 1
    for warning in problem.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    lines = validate(problem, plan)
    for line in lines:
        print(line)
    return 1 if lines else 0
