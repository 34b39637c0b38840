"""The solver: optimal on the spec's example, INFEASIBLE as a status, stable on re-plans,
never worse than the greedy, and always returning a valid plan."""

from __future__ import annotations

import pytest

from rotation.planning.greedy import greedy_plan
from rotation.planning.plan import FEASIBLE, INFEASIBLE, OPTIMAL, Terms
from rotation.planning.solve import Progress, solve
from rotation.planning.validate import validate
from tests.planning.tiny import build, day, example, executive, random_problem, rotation


def _solve(problem, **options):
    plan = solve(problem, time_limit_s=options.pop("time_limit_s", 10), workers=2, **options)
    assert validate(problem, plan) == []
    return plan


def test_tiny_example_solves_to_the_spec_plan():
    plan = _solve(example("tiny"))
    assert plan.status == OPTIMAL
    assert plan.objective == Terms(coverage=2, preference=6, max_team_load=1, kept=1)
    assert plan.bound == plan.objective
    assert {u.executive: u.missing for u in plan.unassigned} == {"cmo": 1, "coo": 1}


def test_infeasible_example_is_a_status_with_conflicts():
    plan = _solve(example("infeasible"))
    assert plan.status == INFEASIBLE
    assert plan.rotations == ()
    assert plan.objective == plan.bound == Terms()
    assert {c.constraint for c in plan.conflicts} == {3, 7}
    assert all(u.reasons == ("problem infeasible",) for u in plan.unassigned)


def test_solver_beats_a_greedy_choice_that_blocks_a_better_pair():
    # The greedy sends e1 (first, equal choices) to a; the best plan sends e1 to b.
    problem = build(
        days=2,
        teams={"a": ["de"], "b": ["de"]},
        executives=[
            executive("e1", preferences={"topics": {"topic-a": 2, "topic-b": 1}}),
            executive("e2", preferences={"topics": {"topic-a": 3}}),
        ],
    )
    assert greedy_plan(problem).objective.preference < 4
    plan = _solve(problem)
    assert plan.status == OPTIMAL
    assert plan.objective.preference == 4


def test_max_team_load_is_spread_when_preferences_allow():
    problem = build(
        days=2,
        capacity=2,
        teams={"a": ["de"], "b": ["de"]},
        executives=[executive("e1"), executive("e2")],
    )
    plan = _solve(problem)
    assert plan.status == OPTIMAL
    assert plan.objective.max_team_load == 1


def _stable_problem(previous=(), unavailable_e0=()):
    people = [
        executive(
            f"e{n}",
            languages=("de", "en") if n % 2 else ("de",),
            preferences={"topics": {f"topic-t{n % 3}": 1 + n % 2}},
            unavailable=list(unavailable_e0) if n == 0 else [],
        )
        for n in range(8)
    ]
    return build(
        days=12,
        teams={"t0": ["de"], "t1": ["de", "en"], "t2": ["de"]},
        capacity=1,
        executives=people,
        cap=1,
        previous=list(previous),
    )


def test_replanning_after_a_new_vacation_moves_only_that_executive():
    first = _solve(_stable_problem())
    previous = [(r.executive, r.slots) for r in first.rotations]
    moved = next(r for r in first.rotations if r.executive == "e0")
    away = moved.slots[0].split("-d")[1].split("-")[0]
    vacation = [[day(int(away)), day(int(away))]]
    second = _solve(_stable_problem(previous=previous, unavailable_e0=vacation))
    assert second.objective.coverage == first.objective.coverage
    assert second.objective.kept == len(previous) - 1
    before = {(r.executive, r.slots) for r in first.rotations}
    after = {(r.executive, r.slots) for r in second.rotations}
    assert {e for e, _ in before ^ after} == {"e0"}


@pytest.mark.parametrize("seed", range(4))
def test_solver_is_never_worse_than_the_greedy(seed):
    problem = random_problem(seed, executives=20, teams=3, days=20)
    plan = _solve(problem, time_limit_s=3)
    assert plan.objective.as_tuple() >= greedy_plan(problem).objective.as_tuple()
    assert plan.status in (OPTIMAL, FEASIBLE)


def test_a_time_limit_of_almost_zero_still_returns_a_valid_plan():
    problem = random_problem(11, executives=20, teams=3, days=20)
    plan = _solve(problem, time_limit_s=0.001)
    assert plan.status in (OPTIMAL, FEASIBLE)
    assert plan.objective.coverage > 0


def test_a_stop_request_returns_the_best_plan_so_far():
    problem = random_problem(12, executives=20, teams=3, days=20)
    plan = _solve(problem, time_limit_s=30, should_stop=lambda: True)
    assert plan.status in (OPTIMAL, FEASIBLE)
    assert plan.objective.as_tuple() >= greedy_plan(problem).objective.as_tuple()


def test_progress_is_reported_from_the_greedy_on():
    seen: list[Progress] = []
    _solve(example("tiny"), on_progress=seen.append)
    assert seen[0].phase == "greedy"
    assert seen[0].objective is not None
    assert seen[-1].phase == "done"


def test_solver_statistics_travel_with_the_plan():
    plan = _solve(random_problem(13, executives=10, teams=2, days=10))
    assert plan.solver is not None
    assert "stage_seconds" in plan.solver


def test_bound_never_claims_less_than_the_plan_holds():
    for seed in range(3):
        plan = _solve(random_problem(20 + seed, executives=15, teams=3, days=15), time_limit_s=3)
        held = plan.objective
        assert plan.bound.coverage >= held.coverage
        assert plan.bound.preference >= held.preference
        assert plan.bound.max_team_load <= held.max_team_load
        assert plan.bound.kept >= held.kept


def test_a_fixed_rotation_does_not_hide_a_previous_one_at_the_same_team():
    problem = build(
        days=10,
        min_days=4,
        capacity=1,
        teams={"a": ["de"], "b": ["de"]},
        executives=[executive("e1", rotations=2), executive("e2"), executive("e3")],
        fixed=[("e1", rotation("a", 0))],
        previous=[("e1", rotation("a", 6))],
    )
    plan = _solve(problem)
    assert plan.objective.kept == 1
    assert plan.status == OPTIMAL
