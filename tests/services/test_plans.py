"""The planning-problem export, per shared/spec/planning-format.md."""

from __future__ import annotations

import importlib.util
import json
from datetime import date, time

import pytest

from rotation.models import BookingStatus, ProgramRules, SitePreference, Unavailability
from rotation.services import plans

START, END = date(2027, 6, 7), date(2027, 6, 20)


def test_the_export_has_the_shape_of_the_spec(
    session, make_site, make_team, make_slot, make_executive
):
    site = make_site(name="Leipzig", timezone="Europe/Berlin")
    team = make_team(site=site, topics=("billing",), languages=("de",))
    slot = make_slot(team=team, day=date(2027, 6, 7), capacity=2)
    make_slot(team=team, day=date(2027, 6, 8), is_open=False)
    make_slot(team=team, day=date(2027, 7, 8))
    executive = make_executive(languages=("de", "en"), rotations_required=1)
    session.add(
        Unavailability(
            executive_id=executive.id, start_date=date(2027, 6, 1), end_date=date(2027, 6, 9)
        )
    )
    session.add(SitePreference(executive_id=executive.id, site_id=site.id, weight=3))
    session.add(ProgramRules(min_days_between_rotations=None, max_executives_per_team_per_day=2))
    session.commit()
    problem = plans.export_problem(session, start=START, end=END)
    assert json.loads(json.dumps(problem)) == problem
    assert problem["format"] == "rotation-problem/1"
    assert problem["horizon"] == {"start": "2027-06-07", "end": "2027-06-20"}
    assert problem["rules"] == {
        "rotation": ["shadowing", "headset"],
        "min_days_between_rotations": None,
        "max_executives_per_team_per_day": 2,
    }
    assert problem["teams"] == [
        {
            "id": f"team-{team.id}",
            "site": "Leipzig",
            "timezone": "Europe/Berlin",
            "languages": ["de"],
            "topics": ["billing"],
        }
    ]
    assert problem["slots"] == [
        {
            "id": f"slot-{slot.id}",
            "team": f"team-{team.id}",
            "date": "2027-06-07",
            "start": "09:00",
            "end": "13:00",
            "kind": "shadowing",
            "capacity": 2,
        }
    ]
    assert problem["executives"] == [
        {
            "id": f"exec-{executive.id}",
            "languages": ["de", "en"],
            "rotations": 1,
            "unavailable": [["2027-06-01", "2027-06-09"]],
            "preferences": {"sites": {"Leipzig": 3}, "topics": {}},
        }
    ]
    assert (problem["fixed"], problem["forbidden"], problem["previous"]) == ([], [], [])


def test_approved_rotations_are_fixed_and_keep_their_places(
    session, make_team, make_slot, make_booking
):
    team = make_team()
    approved = make_booking(team=team, status=BookingStatus.APPROVED, first_day=date(2027, 6, 7))
    requested = make_booking(team=team, status=BookingStatus.REQUESTED, first_day=date(2027, 6, 9))
    declined = make_booking(team=team, status=BookingStatus.DECLINED, first_day=date(2027, 6, 14))
    proposed = make_booking(team=team, status=BookingStatus.PROPOSED, first_day=date(2027, 6, 16))
    for booking in (approved, requested):
        for day in booking.days:
            day.slot.taken = 1
    session.commit()
    problem = plans.export_problem(session, start=START, end=END)
    capacity = {slot["id"]: slot["capacity"] for slot in problem["slots"]}
    ids = lambda booking: [f"slot-{day.slot_id}" for day in booking.days]  # noqa: E731
    assert problem["fixed"] == [
        {"executive": f"exec-{approved.executive_id}", "slots": ids(approved)}
    ]
    assert [capacity[key] for key in ids(approved)] == [2, 2]
    assert [capacity[key] for key in ids(requested)] == [1, 1]
    assert problem["forbidden"] == [
        {"executive": f"exec-{declined.executive_id}", "slot": key} for key in ids(declined)
    ]
    assert problem["previous"] == [
        {"executive": f"exec-{proposed.executive_id}", "slots": ids(proposed)}
    ]
    owed = {e["id"]: e["rotations"] for e in problem["executives"]}
    assert owed[f"exec-{approved.executive_id}"] == 1
    assert owed[f"exec-{requested.executive_id}"] == 0


def test_slot_ids_are_stable_between_exports(session, make_slot):
    make_slot(day=date(2027, 6, 7))
    first = plans.export_problem(session, start=START, end=END)
    second = plans.export_problem(session, start=START, end=END)
    assert first == second


def test_the_export_problem_command_writes_the_file(app, session, make_slot, tmp_path):
    make_slot(day=date(2027, 6, 7), start=time(9))
    target = tmp_path / "problem.json"
    result = app.test_cli_runner().invoke(
        args=["export-problem", str(target), "--from", "2027-06-07", "--to", "2027-06-20"]
    )
    assert result.exit_code == 0, result.output
    assert json.loads(target.read_text())["horizon"]["end"] == "2027-06-20"


planner = pytest.mark.skipif(
    importlib.util.find_spec("rotation.planning.solve") is None,
    reason="the planner is merged from its own branch",
)


@planner
def test_an_exported_problem_solves_into_a_plan_that_check_accepts(
    session, make_team, make_slot, make_executive, make_booking, tmp_path
):
    import subprocess
    import sys

    team = make_team(languages=("de",))
    for offset in range(7, 12):
        make_slot(team=team, day=date(2027, 6, offset), kind="shadowing")
        make_slot(
            team=team,
            day=date(2027, 6, offset),
            kind="headset",
            start=time(13, 30),
            end=time(17, 30),
        )
    make_executive(languages=("de",), rotations_required=1)
    make_executive(languages=("fr",), rotations_required=1)
    make_booking(status=BookingStatus.APPROVED, first_day=date(2027, 6, 14))
    problem_file, plan_file = tmp_path / "problem.json", tmp_path / "plan.json"
    problem = plans.export_problem(session, start=START, end=END)
    from rotation.planning.problem import parse_problem

    assert parse_problem(problem).warnings == ()
    problem_file.write_text(json.dumps(problem))
    solve = subprocess.run(
        [
            sys.executable,
            "-m",
            "rotation.planning",
            "solve",
            str(problem_file),
            "--out",
            str(plan_file),
            "--time-limit",
            "20",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert solve.returncode == 0, solve.stderr
    check = subprocess.run(
        [sys.executable, "-m", "rotation.planning", "check", str(problem_file), str(plan_file)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert check.returncode == 0, check.stdout + check.stderr
    plan = json.loads(plan_file.read_text())
    assert plan["objective"]["coverage"] == 2
