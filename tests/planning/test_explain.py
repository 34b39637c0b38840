"""Why an executive stays unassigned, and which fixed rotations clash (planning/explain)."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

from rotation.planning.explain import explain_unassigned, infeasibility_conflicts
from rotation.planning.plan import Rotation
from rotation.planning.problem import load_problem, parse_problem

# Copies of the planning spec's examples (problem and plan files, format version 1).
EXAMPLES = Path(__file__).resolve().parent / "examples"

START = date(2027, 1, 4)


def _slot_id(team: str, day: int, kind: str) -> str:
    return f"{team}-{(START + timedelta(days=day)).isoformat()}-{kind[0]}"


def build(
    *,
    days: int = 4,
    teams: dict[str, list[str]] | None = None,
    capacity: int = 1,
    executives: list[dict] | None = None,
    spacing: int | None = None,
    cap: int | None = None,
    without_slots: tuple[str, ...] = (),
    **extra: object,
):
    """A problem with every team offering a shadowing and a headset slot on every day."""
    teams = teams or {"lej": ["de"]}
    data = {
        "format": "rotation-problem/1",
        "horizon": {
            "start": START.isoformat(),
            "end": (START + timedelta(days=days - 1)).isoformat(),
        },
        "rules": {
            "rotation": ["shadowing", "headset"],
            "min_days_between_rotations": spacing,
            "max_executives_per_team_per_day": cap,
        },
        "teams": [
            {
                "id": team,
                "site": team.title(),
                "timezone": "Europe/Berlin",
                "languages": languages,
                "topics": ["billing"],
            }
            for team, languages in teams.items()
        ],
        "slots": [
            {
                "id": _slot_id(team, day, kind),
                "team": team,
                "date": (START + timedelta(days=day)).isoformat(),
                "start": "09:00" if kind == "shadowing" else "13:30",
                "end": "13:00" if kind == "shadowing" else "17:30",
                "kind": kind,
                "capacity": capacity,
            }
            for team in teams
            if team not in without_slots
            for day in range(days)
            for kind in ("shadowing", "headset")
        ],
        "executives": executives or [],
        **extra,
    }
    return parse_problem(data)


def executive(name: str, *, languages=("de",), rotations: int = 1, **extra: object) -> dict:
    return {"id": name, "languages": list(languages), "rotations": rotations, **extra}


def rotation(name: str, team: str, day: int) -> Rotation:
    return Rotation(
        executive=name,
        team=team,
        slots=(_slot_id(team, day, "shadowing"), _slot_id(team, day + 1, "headset")),
    )


def reasons_of(problem, rotations) -> dict[str, tuple[int, tuple[str, ...]]]:
    return {
        entry.executive: (entry.missing, entry.reasons)
        for entry in explain_unassigned(problem, rotations)
    }


def test_an_executive_without_a_shared_language_is_told_what_they_speak():
    problem = build(executives=[executive("coo", languages=["fr"])])

    assert reasons_of(problem, []) == {"coo": (1, ("no team shares a language (speaks: fr)",))}


def test_a_language_team_without_any_slot_pair_is_named():
    problem = build(
        teams={"lej": ["de"], "lis": ["pt"]},
        without_slots=("lis",),
        executives=[executive("cio", languages=["pt"])],
    )

    assert reasons_of(problem, []) == {
        "cio": (
            1,
            (
                "no matching slot pairs in the horizon at the 1 team(s) sharing a language "
                "(speaks: pt)",
            ),
        )
    }


def test_an_executive_away_on_every_matching_day_gets_the_spec_wording():
    problem = load_problem(EXAMPLES / "tiny.problem.json")
    plan = json.loads((EXAMPLES / "tiny.plan.json").read_text())
    rotations = [
        Rotation(item["executive"], item["team"], tuple(item["slots"]))
        for item in plan["rotations"]
    ]

    assert reasons_of(problem, rotations)["cmo"] == (
        1,
        (
            "unavailable on 4 of 4 days that have matching slot pairs, covering all 6 "
            "matching slot pairs at teams sharing a language",
        ),
    )


def test_a_forbidden_list_that_removes_every_available_pair_is_the_reason():
    problem = build(
        days=3,
        executives=[executive("cfo")],
        forbidden=[
            {"executive": "cfo", "slot": _slot_id("lej", 1, "headset")},
            {"executive": "cfo", "slot": _slot_id("lej", 2, "headset")},
        ],
    )

    assert reasons_of(problem, []) == {
        "cfo": (
            1,
            (
                "the forbidden list excludes all 2 available matching slot pairs "
                "(2 forbidden slot(s))",
            ),
        )
    }


def test_full_slot_pairs_name_their_one_or_two_holders():
    problem = build(days=4, cap=1, executives=[executive(n) for n in ("cfo", "cto", "ceo")])
    rotations = [rotation("cfo", "lej", 0), rotation("cto", "lej", 2)]

    assert reasons_of(problem, rotations) == {
        "ceo": (1, ("all 3 matching slot pairs are full (held by cfo and cto)",))
    }


def test_a_reached_team_day_cap_counts_as_full():
    problem = build(days=2, capacity=5, cap=1, executives=[executive("cfo"), executive("ceo")])

    assert reasons_of(problem, [rotation("cfo", "lej", 0)]) == {
        "ceo": (1, ("the only matching slot pair is full (held by cfo)",))
    }


def test_full_slot_pairs_held_by_many_do_not_list_them():
    names = ("a", "b", "c", "d")
    problem = build(days=5, executives=[executive(n) for n in (*names, "ceo")])
    rotations = [rotation(name, "lej", day) for day, name in enumerate(names)]

    assert reasons_of(problem, rotations) == {"ceo": (1, ("all 4 matching slot pairs are full",))}


def test_slot_pairs_without_places_are_full_with_no_holder():
    problem = build(days=3, capacity=0, executives=[executive("cfo")])

    assert reasons_of(problem, []) == {
        "cfo": (1, ("all 2 matching slot pairs are full (no places offered)",))
    }


def test_the_spacing_rule_is_named_with_its_days_when_it_leaves_room_for_too_few():
    problem = build(days=20, spacing=30, executives=[executive("cfo", rotations=2)])

    assert reasons_of(problem, [rotation("cfo", "lej", 3)]) == {
        "cfo": (1, ("the 30-day spacing leaves room for only 1 rotation(s) in the horizon",))
    }


def test_an_own_rotation_in_the_way_falls_back_to_the_needs_of_others():
    # Starts 0 and 2 would give two rotations, but the plan put the first one on day 1.
    problem = build(days=4, spacing=2, executives=[executive("cfo", rotations=2)])

    assert reasons_of(problem, [rotation("cfo", "lej", 1)]) == {
        "cfo": (
            1,
            (
                "the remaining 3 matching slot pairs are needed for other executives' "
                "rotations (coverage and preference come first)",
            ),
        )
    }


def test_free_pairs_left_by_an_unfinished_search_are_counted():
    problem = build(days=3, executives=[executive("cfo")])

    assert reasons_of(problem, []) == {
        "cfo": (
            1,
            ("2 matching slot pairs are still free, but the search stopped before placing them",),
        )
    }


def test_executives_with_all_their_rotations_are_not_listed():
    problem = build(days=3, executives=[executive("cfo"), executive("cto", rotations=0)])

    assert explain_unassigned(problem, [rotation("cfo", "lej", 0)]) == ()


def test_the_infeasible_example_yields_its_capacity_and_team_day_conflicts():
    problem = load_problem(EXAMPLES / "infeasible.problem.json")
    expected = json.loads((EXAMPLES / "infeasible.plan.json").read_text())["conflicts"]

    conflicts = infeasibility_conflicts(problem)

    assert [
        {
            "constraint": c.constraint,
            "executives": list(c.executives),
            "slots": list(c.slots),
            "message": c.message,
        }
        for c in conflicts
    ] == expected


def test_consistent_fixed_rotations_have_no_conflicts():
    problem = build(
        days=4,
        capacity=1,
        cap=1,
        spacing=2,
        executives=[executive("cfo", rotations=2), executive("cto")],
        fixed=[
            {"executive": "cfo", "slots": list(rotation("cfo", "lej", 0).slots)},
            {"executive": "cfo", "slots": list(rotation("cfo", "lej", 2).slots)},
        ],
    )

    assert infeasibility_conflicts(problem) == []


def _fixed(name: str, day: int, team: str = "lej") -> dict:
    return {"executive": name, "slots": list(rotation(name, team, day).slots)}


def test_a_fixed_rotation_on_an_unavailable_day_breaks_constraint_1():
    problem = build(
        executives=[executive("cfo", unavailable=[["2027-01-05", "2027-01-05"]])],
        fixed=[_fixed("cfo", 0)],
    )

    assert [(c.constraint, c.executives) for c in infeasibility_conflicts(problem)] == [
        (1, ("cfo",))
    ]


def test_a_fixed_rotation_at_a_team_without_a_shared_language_breaks_constraint_2():
    problem = build(executives=[executive("coo", languages=["fr"])], fixed=[_fixed("coo", 0)])

    assert [c.constraint for c in infeasibility_conflicts(problem)] == [2]


def test_too_many_or_too_close_fixed_rotations_break_constraint_4():
    problem = build(
        days=6,
        spacing=30,
        executives=[executive("cfo")],
        fixed=[_fixed("cfo", 0), _fixed("cfo", 2)],
    )

    messages = [(c.constraint, c.message) for c in infeasibility_conflicts(problem)]

    assert messages == [
        (4, "cfo has 2 fixed rotations, allowed 1"),
        (4, "cfo's fixed rotations start 2027-01-04 and 2027-01-06, 2 day(s) apart, min 30"),
    ]


def test_overlapping_fixed_rotations_of_one_executive_break_constraint_5():
    problem = build(
        days=3,
        capacity=2,
        teams={"lej": ["de"], "vie": ["de"]},
        executives=[executive("cfo", rotations=2)],
        fixed=[_fixed("cfo", 0), _fixed("cfo", 1, team="vie")],
    )

    assert [(c.constraint, c.slots) for c in infeasibility_conflicts(problem)] == [
        (
            5,
            (
                "lej-2027-01-04-s",
                "lej-2027-01-05-h",
                "vie-2027-01-05-s",
                "vie-2027-01-06-h",
            ),
        )
    ]


def test_a_fixed_rotation_on_a_forbidden_slot_breaks_constraint_6():
    problem = build(
        executives=[executive("cfo")],
        fixed=[_fixed("cfo", 0)],
        forbidden=[{"executive": "cfo", "slot": "lej-2027-01-05-h"}],
    )

    assert [(c.constraint, c.message) for c in infeasibility_conflicts(problem)] == [
        (6, "cfo's fixed rotation uses forbidden slot lej-2027-01-05-h")
    ]
