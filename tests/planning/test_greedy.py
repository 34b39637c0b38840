"""The greedy plan: valid, quick to compute, respecting fixed rotations, keeping history."""

from __future__ import annotations

import pytest

from rotation.planning.greedy import greedy_plan
from rotation.planning.plan import OPTIMAL
from rotation.planning.validate import validate
from tests.planning.tiny import build, example, executive, random_problem, rotation


def test_greedy_solves_the_tiny_example_optimally():
    problem = example("tiny")
    plan = greedy_plan(problem)
    assert validate(problem, plan) == []
    assert plan.status == OPTIMAL
    assert (plan.objective.coverage, plan.objective.preference) == (2, 6)


@pytest.mark.parametrize("seed", range(6))
def test_greedy_plans_are_valid_on_random_problems(seed):
    problem = random_problem(seed, executives=25, teams=3, days=30)
    plan = greedy_plan(problem)
    assert validate(problem, plan) == []
    assert plan.objective.coverage > 0


def test_greedy_places_fixed_rotations_as_given():
    problem = build(executives=[executive("e1"), executive("e2")], fixed=[("e2", rotation("a", 1))])
    plan = greedy_plan(problem)
    assert validate(problem, plan) == []
    assert any(r.executive == "e2" and r.slots == rotation("a", 1) for r in plan.rotations)


def test_greedy_takes_the_best_weighted_team():
    problem = build(
        teams={"a": ["de"], "b": ["de"]},
        executives=[executive("e1", preferences={"topics": {"topic-b": 2}})],
    )
    (placed,) = greedy_plan(problem).rotations
    assert placed.team == "b"


def test_greedy_keeps_a_previous_rotation_that_still_fits():
    problem = build(days=6, previous=[("e1", rotation("a", 3))])
    plan = greedy_plan(problem)
    assert plan.objective.kept == 1
    assert plan.rotations[0].slots == rotation("a", 3)


def test_greedy_serves_the_executive_with_fewer_choices_first():
    # e1 would rather have b, the only team e2 can talk to; e1 comes first in the file.
    problem = build(
        days=2,
        teams={"a": ["de"], "b": ["de", "en"]},
        executives=[
            executive("e1", languages=("de",), preferences={"topics": {"topic-b": 1}}),
            executive("e2", languages=("en",)),
        ],
    )
    plan = greedy_plan(problem)
    assert validate(problem, plan) == []
    assert {(r.executive, r.team) for r in plan.rotations} == {("e1", "a"), ("e2", "b")}
