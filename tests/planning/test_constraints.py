"""Each hard constraint on a tiny problem: one placement it must allow, one it must forbid."""

from __future__ import annotations

from datetime import date

from rotation.planning.constraints import (
    in_horizon,
    is_available,
    is_forbidden,
    shares_language,
)
from tests.planning.tiny import allows as placeable
from tests.planning.tiny import build, day, executive, rotation, slot_id

TWO = [executive("e1"), executive("e2")]


# --- 1: unavailable -----------------------------------------------------------------------


def test_unavailable_range_refuses_a_rotation_touching_it():
    problem = build(executives=[executive("e1", unavailable=[[day(1), day(1)]])])
    assert not placeable(problem, [("e1", rotation("a", 0))])
    assert not placeable(problem, [("e1", rotation("a", 1))])


def test_unavailable_range_allows_a_rotation_after_it():
    problem = build(executives=[executive("e1", unavailable=[[day(1), day(1)]])])
    assert placeable(problem, [("e1", rotation("a", 2))])


def test_is_available_reads_inclusive_ranges():
    person = build(executives=[executive("e1", unavailable=[[day(1), day(2)]])]).executives[0]
    assert is_available(person, date(2027, 1, 4))
    assert not is_available(person, date(2027, 1, 6))


# --- 2: language --------------------------------------------------------------------------


def test_language_refuses_a_team_without_a_shared_language():
    problem = build(teams={"a": ["de"], "b": ["fr"]})
    assert not placeable(problem, [("e1", rotation("b", 0))])
    assert not shares_language(problem.executives[0], problem.teams[1])


def test_language_allows_a_team_sharing_one_language():
    problem = build(teams={"a": ["de", "en"]}, executives=[executive("e1", languages=("en",))])
    assert placeable(problem, [("e1", rotation("a", 0))])
    assert shares_language(problem.executives[0], problem.teams[0])


# --- 3: capacity --------------------------------------------------------------------------


def test_capacity_refuses_a_second_executive_in_a_one_place_slot():
    problem = build(executives=TWO, capacity=1)
    assert not placeable(problem, [("e1", rotation("a", 0)), ("e2", rotation("a", 0))])


def test_capacity_allows_a_second_executive_in_a_two_place_slot():
    problem = build(executives=TWO, capacity=2)
    assert placeable(problem, [("e1", rotation("a", 0)), ("e2", rotation("a", 0))])


def test_capacity_zero_refuses_every_executive():
    problem = build(capacity=0)
    assert not placeable(problem, [("e1", rotation("a", 0))])


# --- 4: rotations and spacing -------------------------------------------------------------


def test_rotation_count_refuses_a_second_rotation_to_an_executive_wanting_one():
    problem = build(days=8, teams={"a": ["de"], "b": ["de"]})
    assert not placeable(problem, [("e1", rotation("a", 0)), ("e1", rotation("b", 4))])


def test_rotation_count_allows_two_rotations_to_an_executive_wanting_two():
    problem = build(days=8, executives=[executive("e1", rotations=2)])
    assert placeable(problem, [("e1", rotation("a", 0)), ("e1", rotation("a", 4))])


def test_spacing_refuses_start_days_closer_than_the_minimum():
    problem = build(days=8, min_days=5, executives=[executive("e1", rotations=2)])
    assert not placeable(problem, [("e1", rotation("a", 0)), ("e1", rotation("a", 4))])


def test_spacing_allows_start_days_exactly_the_minimum_apart():
    problem = build(days=8, min_days=5, executives=[executive("e1", rotations=2)])
    assert placeable(problem, [("e1", rotation("a", 0)), ("e1", rotation("a", 5))])


# --- 5: one slot per date -----------------------------------------------------------------


def test_one_slot_per_date_refuses_overlapping_rotations_at_two_teams():
    problem = build(
        days=4, teams={"a": ["de"], "b": ["de"]}, executives=[executive("e1", rotations=2)]
    )
    assert not placeable(problem, [("e1", rotation("a", 0)), ("e1", rotation("b", 1))])
    assert not placeable(problem, [("e1", rotation("a", 0)), ("e1", rotation("b", 0))])


def test_one_slot_per_date_allows_back_to_back_rotations_without_spacing():
    problem = build(days=4, executives=[executive("e1", rotations=2)])
    assert placeable(problem, [("e1", rotation("a", 0)), ("e1", rotation("a", 2))])


# --- 6: fixed and forbidden ---------------------------------------------------------------


def test_fixed_rotation_refuses_another_rotation_in_its_place():
    problem = build(fixed=[("e1", rotation("a", 2))])
    assert not placeable(problem, [("e1", rotation("a", 0))])


def test_fixed_rotation_allows_itself():
    problem = build(fixed=[("e1", rotation("a", 2))])
    assert placeable(problem, [("e1", rotation("a", 2))])


def test_fixed_rotation_takes_its_place_from_others():
    problem = build(executives=TWO, fixed=[("e1", rotation("a", 0))])
    assert not placeable(problem, [("e2", rotation("a", 0))])


def test_forbidden_pair_refuses_a_rotation_using_that_slot():
    problem = build(forbidden=[("e1", slot_id("a", 1, "headset"))])
    assert not placeable(problem, [("e1", rotation("a", 0))])
    assert is_forbidden(problem, "e1", slot_id("a", 1, "headset"))


def test_forbidden_pair_allows_the_same_slot_to_another_executive():
    problem = build(executives=TWO, forbidden=[("e1", slot_id("a", 1, "headset"))])
    assert placeable(problem, [("e2", rotation("a", 0))])
    assert placeable(problem, [("e1", rotation("a", 1))])


# --- 7: executives per team and day -------------------------------------------------------


def test_team_day_cap_refuses_a_second_executive_at_a_team_on_one_date():
    problem = build(executives=TWO, capacity=2, cap=1)
    # e1 holds the headset slot of day 1, e2 the shadowing slot of the same day.
    assert not placeable(problem, [("e1", rotation("a", 0)), ("e2", rotation("a", 1))])


def test_team_day_cap_allows_as_many_executives_as_it_says():
    problem = build(executives=TWO, capacity=2, cap=2)
    assert placeable(problem, [("e1", rotation("a", 0)), ("e2", rotation("a", 1))])


# --- 8: horizon ---------------------------------------------------------------------------


def test_horizon_refuses_slots_dated_outside_it():
    outside = [
        {
            "id": f"late-{kind}",
            "team": "a",
            "date": day(4 + n),
            "start": "09:00",
            "end": "13:00",
            "kind": kind,
            "capacity": 1,
        }
        for n, kind in enumerate(("shadowing", "headset"))
    ]
    problem = build(days=4, extra_slots=outside)
    assert not placeable(problem, [("e1", ("late-shadowing", "late-headset"))])
    assert not in_horizon(problem, problem.slot_by_id["late-shadowing"])


def test_horizon_allows_a_rotation_ending_on_its_last_day():
    problem = build(days=4)
    assert placeable(problem, [("e1", rotation("a", 2))])
    assert in_horizon(problem, problem.slot_by_id[slot_id("a", 3, "headset")])
