"""Candidate rotations and the per-executive bounds that hold for the unpruned problem."""

from __future__ import annotations

import numpy as np

from rotation.planning.candidates import (
    all_candidates,
    build_index,
    count_all,
    executive_bounds,
    most_spaced,
    pruned_candidates,
)
from tests.planning.tiny import build, day, example, executive, random_problem, rotation


def test_tiny_example_has_a_candidate_only_where_the_rules_allow_one():
    index = build_index(example("tiny"))
    cands = all_candidates(index)
    held = {
        (index.executive_ids[e], tuple(index.slot_ids[s] for s in slots))
        for e, slots in zip(cands.executive, cands.slots, strict=True)
    }
    # cfo (away on day 0): three starts at lej, two at vie; cto (en, vie only, day 0's
    # shadowing slot forbidden): two starts; cmo is away all horizon, coo speaks French.
    assert {e for e, _ in held} == {"cfo", "cto"}
    assert len(held) == 2 + 2 + 2
    assert ("cto", ("vie-returns-2027-01-04-s", "vie-returns-2027-01-05-h")) not in held
    assert ("cfo", ("lej-billing-2027-01-05-s", "lej-billing-2027-01-06-h")) in held


def test_candidate_weight_adds_site_and_topic_preferences():
    index = build_index(example("tiny"))
    cands = all_candidates(index)
    cfo_at_lej = (cands.executive == index.executive_index["cfo"]) & (
        cands.team == index.team_ids.index("lej-billing")
    )
    assert set(cands.weight[cfo_at_lej].tolist()) == {5}


def test_count_all_matches_the_enumeration_without_forbidden_pairs():
    index = build_index(random_problem(3, executives=20, days=20))
    assert count_all(index) == len(all_candidates(index))


def test_most_spaced_counts_greedy_earliest_starts():
    assert most_spaced(np.array([0, 1, 2, 5, 9, 10]), 5, 10) == 3
    assert most_spaced(np.array([0, 1, 2, 4, 8]), 5, 10) == 2
    assert most_spaced(np.array([0, 5, 10]), 5, 2) == 2


def test_max_rotations_respect_spacing_and_availability():
    problem = build(
        days=10,
        min_days=4,
        executives=[
            executive("spaced", rotations=3),
            executive("away", rotations=2, unavailable=[[day(3), day(9)]]),
            executive("mute", languages=("fr",)),
        ],
    )
    bounds = executive_bounds(build_index(problem))
    # Starts 0..8 four apart: 0, 4, 8. Away from day 3: only starts 0 and 1, overlapping.
    assert bounds.max_rotations.tolist() == [3, 1, 0]
    assert bounds.has_candidate.tolist() == [True, True, False]


def test_best_weight_ignores_teams_the_executive_cannot_reach():
    problem = build(
        teams={"a": ["de"], "b": ["fr"]},
        executives=[executive("e1", preferences={"topics": {"topic-a": 1, "topic-b": 9}})],
    )
    assert executive_bounds(build_index(problem)).best_weight.tolist() == [1]


def test_pruning_keeps_the_pairs_it_is_told_to_keep():
    index = build_index(random_problem(5, executives=30, days=30))
    cands = all_candidates(index)
    keep = [(int(e), int(p)) for e, p in zip(cands.executive[::7], cands.pattern[::7], strict=True)]
    pruned = pruned_candidates(index, keep=keep, days_per_team=1, teams_per_executive=1)
    kept = set(zip(pruned.executive.tolist(), pruned.pattern.tolist(), strict=True))
    assert set(keep) <= kept
    assert len(pruned) < len(cands)


def test_pruned_candidates_are_all_real_candidates():
    index = build_index(random_problem(6, executives=30, days=30))
    everything = all_candidates(index)
    real = set(zip(everything.executive.tolist(), everything.pattern.tolist(), strict=True))
    pruned = pruned_candidates(index, keep=[], days_per_team=2, teams_per_executive=2)
    assert set(zip(pruned.executive.tolist(), pruned.pattern.tolist(), strict=True)) <= real


def test_fixed_rotations_map_to_their_pattern():
    problem = build(fixed=[("e1", rotation("a", 1))])
    index = build_index(problem)
    ((e, p),) = index.fixed_pairs
    assert index.executive_ids[e] == "e1"
    assert tuple(index.slot_ids[s] for s in index.pattern_slots[p]) == rotation("a", 1)


def test_two_slots_of_one_kind_on_a_day_make_two_patterns():
    second = {
        "id": "a-d0-s2",
        "team": "a",
        "date": day(0),
        "start": "14:00",
        "end": "17:00",
        "kind": "shadowing",
        "capacity": 1,
    }
    index = build_index(build(days=2, extra_slots=[second]))
    patterns = {tuple(index.slot_ids[s] for s in row) for row in index.pattern_slots}
    assert patterns == {rotation("a", 0), ("a-d0-s2", "a-d1-h")}


def test_a_team_day_cap_of_zero_leaves_no_pattern():
    index = build_index(build(cap=0))
    assert len(index.pattern_team) == 0
    assert executive_bounds(index).max_rotations.tolist() == [0]
