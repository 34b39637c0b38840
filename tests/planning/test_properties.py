"""Properties of the solver on small random problems: its plan is valid, never worse than the
greedy plan, and on tiny problems as good as an exhaustive search finds."""

from __future__ import annotations

import itertools
import math
from collections import Counter
from datetime import date, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rotation.planning.greedy import greedy_plan
from rotation.planning.plan import OPTIMAL, Plan
from rotation.planning.problem import Problem, parse_problem
from rotation.planning.solve import solve
from rotation.planning.validate import validate

START = date(2027, 1, 4)
KINDS = ("shadowing", "headset")
LANGUAGES = ("de", "en", "fr")
# Exhaustive search only where it stays quick: the product of each executive's choices.
BRUTE_FORCE_LIMIT = 20_000


@st.composite
def problems(draw: st.DrawFn) -> Problem:
    days = draw(st.integers(3, 6))
    team_count = draw(st.integers(1, 2))
    teams = [
        {
            "id": f"t{n}",
            "site": draw(st.sampled_from(["Leipzig", "Wien"])),
            "timezone": "Europe/Berlin",
            "languages": draw(st.lists(st.sampled_from(LANGUAGES[:2]), min_size=1, unique=True)),
            "topics": draw(
                st.lists(st.sampled_from(["billing", "returns"]), min_size=1, unique=True)
            ),
        }
        for n in range(team_count)
    ]
    slots = [
        {
            "id": f"t{n}-d{day}-{kind[0]}",
            "team": f"t{n}",
            "date": (START + timedelta(days=day)).isoformat(),
            "start": "09:00",
            "end": "13:00",
            "kind": kind,
            "capacity": draw(st.integers(0, 2)),
        }
        for n in range(team_count)
        for day in range(days)
        for kind in KINDS
    ]
    executives = []
    for n in range(draw(st.integers(2, 4))):
        away = draw(st.lists(st.integers(-1, days), max_size=2))
        executives.append(
            {
                "id": f"e{n}",
                "languages": draw(st.lists(st.sampled_from(LANGUAGES), min_size=1, unique=True)),
                "rotations": draw(st.integers(0, 2)),
                "unavailable": [
                    [
                        (START + timedelta(days=first)).isoformat(),
                        (START + timedelta(days=first + draw(st.integers(0, 1)))).isoformat(),
                    ]
                    for first in away
                ],
                "preferences": {
                    "sites": {"Leipzig": draw(st.integers(-1, 3)), "Wien": draw(st.integers(0, 3))},
                    "topics": {"billing": draw(st.integers(-1, 3))},
                },
            }
        )
    previous = []
    if draw(st.booleans()):
        for _ in range(draw(st.integers(1, 2))):
            n = draw(st.integers(0, team_count - 1))
            day = draw(st.integers(0, days - 2))
            previous.append(
                {
                    "executive": draw(st.sampled_from([e["id"] for e in executives])),
                    "slots": [f"t{n}-d{day}-s", f"t{n}-d{day + 1}-h"],
                }
            )
    forbidden = draw(
        st.lists(
            st.builds(
                lambda e, s: {"executive": e["id"], "slot": s["id"]},
                st.sampled_from(executives),
                st.sampled_from(slots),
            ),
            max_size=2,
        )
    )
    data = {
        "format": "rotation-problem/1",
        "horizon": {
            "start": START.isoformat(),
            "end": (START + timedelta(days=days - 1)).isoformat(),
        },
        "rules": {
            "rotation": list(KINDS),
            "min_days_between_rotations": draw(st.one_of(st.none(), st.integers(0, 3))),
            "max_executives_per_team_per_day": draw(st.one_of(st.none(), st.integers(1, 2))),
        },
        "teams": teams,
        "slots": slots,
        "executives": executives,
        "forbidden": forbidden,
        "previous": previous,
    }
    return parse_problem(data)


# --- an independent exhaustive search -----------------------------------------------------


def _rotations_allowed_alone(problem: Problem, executive) -> list[tuple[str, date, tuple]]:
    """(team, start, slots) the executive may take by the rules of one rotation alone."""
    forbidden = {pair.slot for pair in problem.forbidden if pair.executive == executive.id}
    found = []
    for team in problem.teams:
        if not set(team.languages) & set(executive.languages):
            continue
        day = problem.horizon.start
        while day <= problem.horizon.end:
            options = []
            for k, kind in enumerate(problem.rules.rotation):
                on = day + timedelta(days=k)
                options.append(
                    [
                        slot
                        for slot in problem.slots
                        if slot.team == team.id
                        and slot.date == on
                        and slot.kind == kind
                        and on <= problem.horizon.end
                        and slot.id not in forbidden
                        and not any(a <= on <= b for a, b in executive.unavailable)
                    ]
                )
            for combo in itertools.product(*options):
                found.append((team.id, day, tuple(slot.id for slot in combo)))
            day += timedelta(days=1)
    return found


def _choices(problem: Problem, executive) -> list[tuple]:
    """Every set of up to `rotations` rotations one executive could hold together."""
    single = _rotations_allowed_alone(problem, executive)
    spacing = problem.rules.min_days_between_rotations or 0
    length = len(problem.rules.rotation)
    sets = []
    for size in range(executive.rotations + 1):
        for combo in itertools.combinations(single, size):
            starts = [start for _, start, _ in combo]
            if all(
                abs((a - b).days) >= max(spacing, length)
                for a, b in itertools.combinations(starts, 2)
            ):
                sets.append(combo)
    return sets


def _terms(problem: Problem, chosen: list[tuple[str, tuple]]) -> tuple[int, int, int, int]:
    """(coverage, preference, -max_team_load, kept): larger is better, term by term."""
    teams = problem.team_by_id
    preference = 0
    for executive_id, (team_id, _, _) in chosen:
        executive = problem.executive_by_id[executive_id]
        team = teams[team_id]
        preference += executive.site_weights.get(team.site, 0)
        preference += sum(executive.topic_weights.get(topic, 0) for topic in team.topics)
    loads = Counter(team_id for _, (team_id, _, _) in chosen)
    held = {(executive_id, slots) for executive_id, (_, _, slots) in chosen}
    kept = sum((ref.executive, ref.slots) in held for ref in problem.previous)
    return (len(chosen), preference, -max(loads.values(), default=0), kept)


def brute_force_best(problem: Problem) -> tuple[int, int, int, int] | None:
    """The lexicographic optimum by trying every combination; None when there are too many."""
    per_executive = [(ex.id, _choices(problem, ex)) for ex in problem.executives]
    if math.prod(len(choices) for _, choices in per_executive) > BRUTE_FORCE_LIMIT:
        return None
    cap = problem.rules.max_executives_per_team_per_day
    slots = problem.slot_by_id
    best = None
    for picks in itertools.product(*(choices for _, choices in per_executive)):
        used: Counter[str] = Counter()
        present: dict[tuple[str, date], set[str]] = {}
        chosen = []
        for (executive_id, _), combo in zip(per_executive, picks, strict=True):
            for rotation in combo:
                chosen.append((executive_id, rotation))
                for slot_id in rotation[2]:
                    used[slot_id] += 1
                    slot = slots[slot_id]
                    present.setdefault((slot.team, slot.date), set()).add(executive_id)
        if any(count > slots[slot_id].capacity for slot_id, count in used.items()):
            continue
        if cap is not None and any(len(people) > cap for people in present.values()):
            continue
        terms = _terms(problem, chosen)
        if best is None or terms > best:
            best = terms
    return best


def _key(plan: Plan) -> tuple[int, int, int, int]:
    return plan.objective.as_tuple()


@settings(
    max_examples=100,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(problems())
def test_the_solver_plan_is_valid_no_worse_than_greedy_and_optimal_when_checkable(problem):
    plan = solve(problem, time_limit_s=20, workers=1)
    greedy = greedy_plan(problem)

    assert validate(problem, plan) == []
    assert validate(problem, greedy) == []
    assert _key(plan) >= _key(greedy)
    best = brute_force_best(problem)
    if best is not None:
        assert plan.status == OPTIMAL
        assert _key(plan) == best
