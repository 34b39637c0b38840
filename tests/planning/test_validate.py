"""The solver-free validator: valid plans pass, each broken rule is named (spec: whole document)."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from rotation.planning.plan import Conflict, load_plan, parse_plan
from rotation.planning.problem import load_problem, parse_problem
from rotation.planning.validate import fixed_conflicts, validate

EXAMPLES = Path(__file__).resolve().parent / "examples"
ROOT = Path(__file__).resolve().parents[2]


def example(name: str) -> dict:
    return json.loads((EXAMPLES / f"{name}.json").read_text())


def L(day: int, kind: str) -> str:  # noqa: N802 - reads like the slot id it builds
    return f"lej-billing-2027-01-{day:02d}-{kind}"


def V(day: int, kind: str) -> str:  # noqa: N802
    return f"vie-returns-2027-01-{day:02d}-{kind}"


def violations(problem: dict, plan: dict) -> list[str]:
    return validate(parse_problem(problem), parse_plan(plan))


def mentions(lines: list[str], *words: str) -> bool:
    return any(all(word in line for word in words) for line in lines)


def rotation(executive: str, team: str, *slots: str) -> dict:
    return {"executive": executive, "team": team, "slots": list(slots)}


def executive(problem: dict, executive_id: str) -> dict:
    return next(item for item in problem["executives"] if item["id"] == executive_id)


def slot(problem: dict, slot_id: str) -> dict:
    return next(item for item in problem["slots"] if item["id"] == slot_id)


@pytest.mark.parametrize("name", ["tiny", "infeasible"])
def test_the_spec_example_plans_are_valid(name):
    assert violations(example(f"{name}.problem"), example(f"{name}.plan")) == []


def test_the_fixed_conflicts_of_the_infeasible_example_are_the_ones_its_plan_lists():
    problem = load_problem(EXAMPLES / "infeasible.problem.json")
    plan = load_plan(EXAMPLES / "infeasible.plan.json")
    assert fixed_conflicts(problem) == list(plan.conflicts)


def test_a_problem_without_fixed_rotations_has_no_fixed_conflicts():
    assert fixed_conflicts(load_problem(EXAMPLES / "tiny.problem.json")) == []


# --- hard constraints ---------------------------------------------------------------------


def test_constraint_1_refuses_a_day_the_executive_is_unavailable():
    plan = example("tiny.plan")
    plan["rotations"][0]["slots"] = [L(4, "s"), L(5, "h")]
    assert mentions(violations(example("tiny.problem"), plan), "constraint 1", "cfo", "2027-01-04")


def test_constraint_2_refuses_a_team_without_a_shared_language():
    plan = example("tiny.plan")
    plan["rotations"].append(rotation("coo", "lej-billing", L(4, "s"), L(5, "h")))
    assert mentions(violations(example("tiny.problem"), plan), "constraint 2", "coo", "fr")


def test_constraint_3_refuses_more_executives_than_the_capacity():
    problem = example("tiny.problem")
    slot(problem, L(6, "s"))["capacity"] = 0
    lines = violations(problem, example("tiny.plan"))
    assert mentions(lines, "constraint 3", L(6, "s"), "capacity 0")


def test_constraint_4_refuses_more_rotations_than_the_executive_needs():
    problem = example("tiny.problem")
    problem["rules"]["min_days_between_rotations"] = None
    executive(problem, "cfo")["unavailable"] = []
    plan = example("tiny.plan")
    plan["rotations"].append(rotation("cfo", "vie-returns", V(4, "s"), V(5, "h")))
    assert mentions(violations(problem, plan), "constraint 4", "cfo", "at most 1")


def test_constraint_4_refuses_rotations_starting_closer_than_the_minimum_spacing():
    problem = example("tiny.problem")
    executive(problem, "cfo").update(unavailable=[], rotations=2)
    plan = example("tiny.plan")
    plan["rotations"].append(rotation("cfo", "vie-returns", V(4, "s"), V(5, "h")))
    lines = violations(problem, plan)
    assert mentions(lines, "constraint 4", "cfo", "2 day(s) apart", "at least 30")


def test_constraint_5_refuses_two_slots_on_one_date():
    problem = example("tiny.problem")
    problem["rules"]["min_days_between_rotations"] = None
    executive(problem, "cfo")["rotations"] = 2
    plan = example("tiny.plan")
    plan["rotations"].append(rotation("cfo", "vie-returns", V(5, "s"), V(6, "h")))
    assert mentions(violations(problem, plan), "constraint 5", "cfo", "2027-01-06")


def test_constraint_6_accepts_a_plan_holding_the_fixed_rotation():
    problem = example("tiny.problem")
    problem["fixed"] = [{"executive": "cfo", "slots": [L(6, "s"), L(7, "h")]}]
    assert violations(problem, example("tiny.plan")) == []


def test_constraint_6_refuses_a_plan_without_the_fixed_rotation():
    problem = example("tiny.problem")
    problem["fixed"] = [{"executive": "cfo", "slots": [L(6, "s"), L(7, "h")]}]
    plan = example("tiny.plan")
    plan["rotations"][0]["slots"] = [L(5, "s"), L(6, "h")]
    assert mentions(violations(problem, plan), "constraint 6", "fixed", "cfo")


def test_constraint_6_counts_a_twice_fixed_rotation_twice():
    problem = example("tiny.problem")
    problem["fixed"] = [{"executive": "cfo", "slots": [L(6, "s"), L(7, "h")]}] * 2
    lines = violations(problem, example("tiny.plan"))
    assert mentions(lines, "constraint 6", "not in the plan exactly as given")


def test_constraint_6_refuses_a_forbidden_pair():
    plan = example("tiny.plan")
    plan["rotations"][1]["slots"] = [V(4, "s"), V(5, "h")]
    lines = violations(example("tiny.problem"), plan)
    assert mentions(lines, "constraint 6", "forbidden", "cto", V(4, "s"))


def test_constraint_7_refuses_too_many_executives_at_one_team_on_one_day():
    problem = example("tiny.problem")
    for item in problem["slots"]:
        item["capacity"] = 2
    plan = example("tiny.plan")
    plan["rotations"][0] = rotation("cfo", "vie-returns", V(6, "s"), V(7, "h"))
    lines = violations(problem, plan)
    assert mentions(lines, "constraint 7", "vie-returns", "2027-01-06", "max 1")
    assert not mentions(lines, "constraint 3")


def test_constraint_7_counts_slot_kinds_together():
    problem = example("tiny.problem")
    problem["rules"]["max_executives_per_team_per_day"] = 1
    executive(problem, "cfo")["unavailable"] = []
    plan = example("tiny.plan")
    plan["rotations"][0] = rotation("cfo", "vie-returns", V(5, "s"), V(6, "h"))
    assert mentions(violations(problem, plan), "constraint 7", "2027-01-06", "cfo, cto")


def test_constraint_8_refuses_a_slot_outside_the_horizon():
    problem = example("tiny.problem")
    for day, kind in ((8, "s"), (9, "h")):
        problem["slots"].append(
            dict(slot(problem, L(7, kind)), id=L(day, kind), date=f"2027-01-{day:02d}")
        )
    plan = example("tiny.plan")
    plan["rotations"][0]["slots"] = [L(8, "s"), L(9, "h")]
    lines = violations(problem, plan)
    assert mentions(lines, "constraint 8", L(8, "s"), "outside the horizon")


# --- rotation shape -----------------------------------------------------------------------

SHAPES = [
    ([L(6, "h"), L(7, "s")], "rules.rotation[0]"),
    ([L(5, "s"), L(7, "h")], "consecutive days"),
    ([L(7, "s"), L(6, "h")], "consecutive days"),
    ([L(6, "s"), V(7, "h")], "one team"),
    ([L(6, "s")], "rotation shape: 1 slot(s)"),
    ([L(5, "s"), L(6, "h"), L(7, "s")], "rotation shape: 3 slot(s)"),
    ([L(6, "s"), "lej-billing-gone"], "unknown slot 'lej-billing-gone'"),
]


@pytest.mark.parametrize(("slots", "words"), SHAPES, ids=[row[1] for row in SHAPES])
def test_a_rotation_of_the_wrong_shape_is_refused(slots, words):
    plan = example("tiny.plan")
    plan["rotations"][0]["slots"] = slots
    assert mentions(violations(example("tiny.problem"), plan), "rotations[0]", words)


def test_a_rotation_naming_another_team_than_its_slots_is_refused():
    plan = example("tiny.plan")
    plan["rotations"][0]["team"] = "vie-returns"
    assert mentions(violations(example("tiny.problem"), plan), "rotations[0].team", "lej-billing")


def test_a_rotation_of_an_unknown_executive_is_refused():
    plan = example("tiny.plan")
    plan["rotations"][0]["executive"] = "ghost"
    assert mentions(violations(example("tiny.problem"), plan), "unknown executive 'ghost'")


# --- objective and bound ------------------------------------------------------------------


@pytest.mark.parametrize("term", ["coverage", "preference", "max_team_load", "kept"])
def test_a_wrong_objective_term_is_refused(term):
    plan = example("tiny.plan")
    plan["objective"][term] += 1
    plan["status"] = "FEASIBLE"
    lines = violations(example("tiny.problem"), plan)
    assert mentions(lines, f"objective.{term}", "recomputed")


def test_preference_counts_the_site_and_each_topic_of_the_team():
    problem = example("tiny.problem")
    executive(problem, "cfo")["preferences"]["topics"] = {"billing": 2, "contracts": -4}
    plan = example("tiny.plan")
    plan["objective"]["preference"] = plan["bound"]["preference"] = 2
    assert violations(problem, plan) == []


def test_a_coverage_bound_below_the_objective_is_refused():
    plan = example("tiny.plan")
    plan.update(status="FEASIBLE")
    plan["bound"]["coverage"] = 1
    assert mentions(violations(example("tiny.problem"), plan), "bound.coverage", "below")


def test_a_coverage_bound_above_the_sum_of_rotations_is_refused():
    plan = example("tiny.plan")
    plan.update(status="FEASIBLE")
    plan["bound"]["coverage"] = 5
    assert mentions(violations(example("tiny.problem"), plan), "bound.coverage", "trivially")


def test_a_kept_bound_above_the_previous_entries_is_refused():
    plan = example("tiny.plan")
    plan.update(status="FEASIBLE")
    plan["bound"]["kept"] = 3
    assert mentions(violations(example("tiny.problem"), plan), "bound.kept", "previous")


def test_a_negative_max_team_load_bound_is_refused():
    plan = example("tiny.plan")
    plan.update(status="FEASIBLE")
    plan["bound"]["max_team_load"] = -1
    assert mentions(violations(example("tiny.problem"), plan), "bound.max_team_load", "below 0")


def test_a_max_team_load_bound_above_the_plan_is_refused_once_earlier_terms_are_proven():
    plan = example("tiny.plan")
    plan.update(status="FEASIBLE")
    plan["bound"]["max_team_load"] = 2
    assert mentions(violations(example("tiny.problem"), plan), "bound.max_team_load", "above")


def test_later_bounds_are_free_while_an_earlier_term_is_unproven():
    # An optimal plan may cover more rotations with less preference: the bound on preference
    # says nothing about this plan's preference until its coverage is proven optimal.
    plan = example("tiny.plan")
    plan.update(status="FEASIBLE")
    plan["bound"] = {"coverage": 3, "preference": 0, "max_team_load": 2, "kept": 0}
    assert violations(example("tiny.problem"), plan) == []


def test_optimal_with_a_bound_other_than_the_objective_is_refused():
    plan = example("tiny.plan")
    plan["bound"]["kept"] = 2
    assert mentions(violations(example("tiny.problem"), plan), "status: OPTIMAL", "kept")


# --- unassigned ---------------------------------------------------------------------------


def test_an_executive_short_of_rotations_must_be_listed_as_unassigned():
    plan = example("tiny.plan")
    plan["unassigned"] = [entry for entry in plan["unassigned"] if entry["executive"] != "coo"]
    assert mentions(violations(example("tiny.problem"), plan), "unassigned", "coo", "not listed")


def test_an_executive_with_all_rotations_must_not_be_listed_as_unassigned():
    plan = example("tiny.plan")
    plan["unassigned"].append({"executive": "cfo", "missing": 1, "reasons": ["busy"]})
    assert mentions(violations(example("tiny.problem"), plan), "unassigned", "cfo", "not short")


def test_an_executive_is_listed_as_unassigned_only_once():
    plan = example("tiny.plan")
    plan["unassigned"].append(plan["unassigned"][1])
    assert mentions(violations(example("tiny.problem"), plan), "unassigned", "more than once")


def test_missing_must_be_the_shortfall():
    plan = example("tiny.plan")
    plan["unassigned"][1]["missing"] = 2
    lines = violations(example("tiny.problem"), plan)
    assert mentions(lines, "unassigned[1].missing", "short of 1")


@pytest.mark.parametrize("reasons", [[], [""], ["  "]])
def test_unassigned_needs_non_empty_reasons(reasons):
    plan = example("tiny.plan")
    plan["unassigned"][1]["reasons"] = reasons
    assert mentions(violations(example("tiny.problem"), plan), "unassigned[1].reasons")


# --- status and conflicts -----------------------------------------------------------------


def test_infeasible_is_refused_when_the_fixed_rotations_are_consistent():
    lines = violations(example("tiny.problem"), example("infeasible.plan"))
    assert mentions(lines, "status: INFEASIBLE", "break no hard constraint")


def test_a_feasible_plan_is_refused_when_the_fixed_rotations_conflict():
    problem = example("infeasible.problem")
    plan = example("tiny.plan")
    plan.update(
        status="FEASIBLE",
        rotations=[
            rotation("cfo", "vie-returns", V(5, "s"), V(6, "h")),
            rotation("cto", "vie-returns", V(5, "s"), V(6, "h")),
        ],
        objective={"coverage": 2, "preference": 1, "max_team_load": 2, "kept": 0},
        bound={"coverage": 2, "preference": 1, "max_team_load": 2, "kept": 0},
    )
    lines = violations(problem, plan)
    assert mentions(lines, "status: FEASIBLE", "constraint 3", "must be INFEASIBLE")


def test_an_infeasible_plan_lists_its_conflicts():
    plan = example("infeasible.plan")
    del plan["conflicts"]
    lines = violations(example("infeasible.problem"), plan)
    assert mentions(lines, "conflicts", "at least one conflict")


def test_infeasible_conflicts_name_a_broken_constraint_and_ids_from_fixed():
    plan = example("infeasible.plan")
    plan["conflicts"] = [
        {"constraint": 9, "executives": ["cfo"], "slots": [V(5, "s")], "message": "?"},
        {"constraint": 2, "executives": ["cfo"], "slots": [V(5, "s")], "message": "language"},
        {"constraint": 3, "executives": [], "slots": [L(4, "s")], "message": "full"},
        {"constraint": 3, "executives": ["coo"], "slots": [], "message": " "},
    ]
    lines = violations(example("infeasible.problem"), plan)
    assert mentions(lines, "conflicts[0].constraint", "1..8")
    assert mentions(lines, "conflicts[1].constraint", "do not break constraint 2")
    assert mentions(lines, "conflicts[2].executives", "at least one")
    assert mentions(lines, "conflicts[2].slots", L(4, "s"), "not in the fixed rotations")
    assert mentions(lines, "conflicts[3].executives", "coo", "not in the fixed rotations")
    assert mentions(lines, "conflicts[3].slots", "at least one")
    assert mentions(lines, "conflicts[3].message")


def test_an_infeasible_plan_has_no_rotations_and_zero_terms():
    plan = example("infeasible.plan")
    plan["rotations"] = [rotation("cmo", "lej-billing", L(4, "s"), L(5, "h"))]
    plan["bound"]["coverage"] = 1
    lines = violations(example("infeasible.problem"), plan)
    assert mentions(lines, "status: an INFEASIBLE plan has no rotations")
    assert mentions(lines, "status: an INFEASIBLE plan has bound 0")


def test_an_infeasible_plan_lists_every_executive_with_rotations_as_unassigned():
    plan = example("infeasible.plan")
    plan["unassigned"] = plan["unassigned"][:3]
    lines = violations(example("infeasible.problem"), plan)
    assert mentions(lines, "unassigned", "coo", "not listed")


def test_only_an_infeasible_plan_lists_conflicts():
    plan = example("tiny.plan")
    plan["conflicts"] = example("infeasible.plan")["conflicts"]
    assert mentions(violations(example("tiny.problem"), plan), "conflicts", "only an INFEASIBLE")


def test_an_unknown_plan_holds_exactly_the_fixed_rotations():
    plan = example("tiny.plan")
    plan.update(status="UNKNOWN")
    lines = violations(example("tiny.problem"), plan)
    assert mentions(lines, "status: an UNKNOWN plan holds exactly the fixed rotations")


def _fixed_only_plan(status: str) -> dict:
    return {
        "format": "rotation-plan/1",
        "status": status,
        "rotations": [rotation("cfo", "lej-billing", L(6, "s"), L(7, "h"))],
        "unassigned": [
            {"executive": executive_id, "missing": 1, "reasons": ["no time left"]}
            for executive_id in ("cto", "cmo", "coo")
        ],
        "objective": {"coverage": 1, "preference": 5, "max_team_load": 1, "kept": 1},
        "bound": {"coverage": 4, "preference": 100, "max_team_load": 0, "kept": 2},
        "solve_seconds": 0.0,
    }


def test_an_unknown_plan_of_the_fixed_rotations_is_valid():
    problem = example("tiny.problem")
    problem["fixed"] = [{"executive": "cfo", "slots": [L(6, "s"), L(7, "h")]}]
    assert violations(problem, _fixed_only_plan("UNKNOWN")) == []


def test_a_feasible_plan_is_never_worse_than_the_fixed_rotations_alone():
    problem = example("tiny.problem")
    problem["fixed"] = [{"executive": "cfo", "slots": [L(6, "s"), L(7, "h")]}]
    plan = _fixed_only_plan("FEASIBLE")
    plan.update(
        rotations=[],
        objective={"coverage": 0, "preference": 0, "max_team_load": 0, "kept": 0},
        unassigned=[*plan["unassigned"], {"executive": "cfo", "missing": 1, "reasons": ["?"]}],
    )
    lines = violations(problem, plan)
    assert mentions(lines, "status: FEASIBLE plan is worse than the plan of the fixed rotations")


def test_solve_seconds_is_never_negative():
    plan = example("tiny.plan")
    plan["solve_seconds"] = -0.5
    assert mentions(violations(example("tiny.problem"), plan), "solve_seconds", ">= 0")


# --- fixed conflicts ----------------------------------------------------------------------

FIXED = [
    ("language", [("coo", [L(4, "s"), L(5, "h")])], {2}),
    ("unavailable", [("cfo", [L(4, "s"), L(5, "h")])], {1}),
    ("forbidden", [("cto", [V(4, "s"), V(5, "h")])], {6}),
    (
        "count-spacing-date",
        [("cto", [V(5, "s"), V(6, "h")]), ("cto", [V(6, "s"), V(7, "h")])],
        {4, 5},
    ),
    ("twice", [("cfo", [L(6, "s"), L(7, "h")])] * 2, {3, 4, 5}),
]


@pytest.mark.parametrize(
    ("fixed", "broken"), [row[1:] for row in FIXED], ids=[row[0] for row in FIXED]
)
def test_fixed_conflicts_name_each_broken_constraint_with_ids_from_fixed(fixed, broken):
    problem = example("tiny.problem")
    problem["fixed"] = [{"executive": who, "slots": slots} for who, slots in fixed]
    conflicts = fixed_conflicts(parse_problem(problem))
    assert {conflict.constraint for conflict in conflicts} == broken
    for conflict in conflicts:
        assert isinstance(conflict, Conflict) and conflict.message
        assert set(conflict.executives) <= {who for who, _ in fixed}
        assert set(conflict.slots) <= {slot_id for _, slots in fixed for slot_id in slots}


# --- the check command --------------------------------------------------------------------


def _check(tmp_path: Path, problem: dict | str, plan: dict | str) -> subprocess.CompletedProcess:
    files = []
    for name, content in (("problem", problem), ("plan", plan)):
        path = tmp_path / f"{name}.json"
        path.write_text(content if isinstance(content, str) else json.dumps(content))
        files.append(str(path))
    return subprocess.run(
        [sys.executable, "-m", "rotation.planning", "check", *files],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )


Case = Callable[[], tuple[dict | str, dict | str]]


def _broken_plan() -> dict:
    plan = example("tiny.plan")
    plan["objective"]["coverage"] = 3
    return plan


CHECKS: list[tuple[str, Case, int, str]] = [
    ("valid", lambda: (example("tiny.problem"), example("tiny.plan")), 0, ""),
    ("violations", lambda: (example("tiny.problem"), _broken_plan()), 1, "objective.coverage"),
    (
        "plan-missing-a-field",
        lambda: (example("tiny.problem"), {"format": "rotation-plan/1", "status": "UNKNOWN"}),
        1,
        "rotations: required",
    ),
    ("malformed-problem", lambda: ({"format": "x"}, example("tiny.plan")), 2, "format"),
    ("plan-not-json", lambda: (example("tiny.problem"), "{"), 2, "not valid JSON"),
]


@pytest.mark.parametrize(
    ("case", "code", "words"), [row[1:] for row in CHECKS], ids=[row[0] for row in CHECKS]
)
def test_check_exits_0_valid_1_violations_2_unreadable(tmp_path, case, code, words):
    problem, plan = case()
    result = _check(tmp_path, problem, plan)
    assert result.returncode == code
    if code == 0:
        assert result.stdout == ""
    elif code == 1:
        assert words in result.stdout
    else:
        assert len(result.stderr.strip().splitlines()) == 1
        assert words in result.stderr
