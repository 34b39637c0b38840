"""The objective terms: a plan's values as the spec defines them, and the model's kept term."""

from __future__ import annotations

import numpy as np

from rotation.planning.candidates import all_candidates, build_index
from rotation.planning.objective import kept_counts, terms_of, weight_of
from rotation.planning.plan import Rotation, Terms
from tests.planning.tiny import build, example, executive, rotation


def test_terms_of_the_spec_plan_match_its_objective():
    problem = example("tiny")
    rotations = [
        Rotation("cfo", "lej-billing", ("lej-billing-2027-01-06-s", "lej-billing-2027-01-07-h")),
        Rotation("cto", "vie-returns", ("vie-returns-2027-01-06-s", "vie-returns-2027-01-07-h")),
    ]
    assert terms_of(problem, rotations) == Terms(coverage=2, preference=6, max_team_load=1, kept=1)


def test_terms_of_no_rotations_are_zero():
    assert terms_of(example("tiny"), []) == Terms()


def test_weight_adds_the_site_and_every_topic_of_the_team():
    problem = example("tiny")
    assert weight_of(problem, "cfo", "lej-billing") == 3 + 2
    assert weight_of(problem, "cfo", "vie-returns") == 0


def test_kept_counts_each_previous_entry_naming_the_candidate():
    problem = build(
        days=6,
        executives=[executive("e1"), executive("e2")],
        previous=[("e1", rotation("a", 2)), ("e1", rotation("a", 2)), ("e2", rotation("a", 0))],
    )
    index = build_index(problem)
    cands = all_candidates(index)
    counts = kept_counts(index, cands)
    named = {
        (index.executive_ids[e], tuple(index.slot_ids[s] for s in slots)): int(n)
        for e, slots, n in zip(cands.executive, cands.slots, counts, strict=True)
        if n
    }
    assert named == {("e1", rotation("a", 2)): 2, ("e2", rotation("a", 0)): 1}
    assert int(np.sum(counts)) == 3
