"""Writing and reading plan files (spec: "Plan")."""

from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np
import pytest

from rotation.planning.plan import (
    Conflict,
    Plan,
    PlanError,
    PlanFileError,
    Rotation,
    Terms,
    Unassigned,
    load_plan,
    parse_plan,
    plan_to_json,
    write_plan,
)

EXAMPLES = Path(__file__).resolve().parent / "examples"


def a_plan(**changes: object) -> Plan:
    fields: dict[str, object] = {
        "status": "FEASIBLE",
        "rotations": (Rotation("cfo", "lej", ("lej-5-s", "lej-6-h")),),
        "unassigned": (Unassigned("cto", 1, ("no team shares a language (speaks: fr)",)),),
        "objective": Terms(coverage=1, preference=-2, max_team_load=1, kept=0),
        "bound": Terms(coverage=2, preference=5, max_team_load=0, kept=1),
        "solve_seconds": 1.25,
    }
    fields.update(changes)
    return Plan(**fields)  # type: ignore[arg-type]


@pytest.mark.parametrize("name", ["tiny", "infeasible"])
def test_the_spec_example_plans_read_and_write_back_unchanged(name):
    text = (EXAMPLES / f"{name}.plan.json").read_text()
    assert plan_to_json(load_plan(EXAMPLES / f"{name}.plan.json")) == json.loads(text)


def test_a_written_plan_reads_back_equal(tmp_path):
    plan = a_plan()
    write_plan(plan, tmp_path / "plan.json")
    assert load_plan(tmp_path / "plan.json") == plan


def test_conflicts_are_written_only_when_there_are_some():
    assert "conflicts" not in plan_to_json(a_plan())
    conflict = Conflict(3, ("cfo", "cto"), ("s1", "s2"), "slot s1 holds 2 executive(s)")
    written = plan_to_json(a_plan(status="INFEASIBLE", rotations=(), conflicts=(conflict,)))
    assert written["conflicts"] == [
        {
            "constraint": 3,
            "executives": ["cfo", "cto"],
            "slots": ["s1", "s2"],
            "message": "slot s1 holds 2 executive(s)",
        }
    ]


def test_solver_statistics_are_written_only_when_given_and_as_plain_json():
    assert "solver" not in plan_to_json(a_plan())
    stats = {
        "branches": np.int64(12),
        "stages": ("coverage", "preference"),
        "wall": np.float64(0.5),
    }
    written = json.loads(json.dumps(plan_to_json(a_plan(solver=stats))))
    assert written["solver"] == {"branches": 12, "stages": ["coverage", "preference"], "wall": 0.5}


def test_the_plan_keys_follow_the_spec():
    assert list(plan_to_json(a_plan())) == [
        "format",
        "status",
        "rotations",
        "unassigned",
        "objective",
        "bound",
        "solve_seconds",
    ]
    assert plan_to_json(a_plan())["format"] == "rotation-plan/1"


def test_writing_replaces_the_file_and_leaves_no_temporary_file(tmp_path):
    target = tmp_path / "plan.json"
    target.write_text("old")
    write_plan(a_plan(), target)
    assert [path.name for path in tmp_path.iterdir()] == ["plan.json"]
    assert json.loads(target.read_text())["status"] == "FEASIBLE"


def test_the_written_plan_gets_the_usual_file_mode(tmp_path):
    umask = os.umask(0o022)
    try:
        write_plan(a_plan(), tmp_path / "plan.json")
    finally:
        os.umask(umask)
    assert (tmp_path / "plan.json").stat().st_mode & 0o777 == 0o644


def test_a_failed_write_leaves_no_temporary_file(tmp_path):
    blocker = tmp_path / "plan.json"
    blocker.mkdir()
    (blocker / "keep").write_text("x")
    with pytest.raises(OSError):
        write_plan(a_plan(), blocker)
    assert [path.name for path in tmp_path.iterdir()] == ["plan.json"]
    assert [path.name for path in blocker.iterdir()] == ["keep"]


def _valid_json() -> dict:
    return plan_to_json(a_plan(solver={"stage": "coverage"}))


# (change to a valid plan, field named in the message)
BROKEN = [
    (lambda d: d.pop("format"), "format: required"),
    (lambda d: d.update(format="rotation-plan/2"), "format: must be 'rotation-plan/1'"),
    (lambda d: d.update(status="DONE"), "status: must be one of"),
    (lambda d: d.pop("rotations"), "rotations: required"),
    (lambda d: d["rotations"][0].update(slots="lej-5-s"), "rotations[0].slots: must be a list"),
    (lambda d: d["rotations"][0].pop("team"), "rotations[0].team: required"),
    (lambda d: d["unassigned"][0].update(missing="1"), "unassigned[0].missing: must be an integer"),
    (
        lambda d: d["unassigned"][0].update(reasons=[3]),
        "unassigned[0].reasons[0]: must be a string",
    ),
    (lambda d: d["objective"].pop("kept"), "objective.kept: required"),
    (lambda d: d["bound"].update(coverage=True), "bound.coverage: must be an integer"),
    (lambda d: d.update(conflicts={}), "conflicts: must be a list"),
    (lambda d: d.update(conflicts=[{"constraint": 3}]), "conflicts[0].executives: required"),
    (lambda d: d.update(solve_seconds="fast"), "solve_seconds: must be a number"),
    (lambda d: d.update(solver=[1]), "solver: must be an object"),
]


@pytest.mark.parametrize(("change", "message"), BROKEN, ids=[row[1] for row in BROKEN])
def test_a_malformed_plan_is_refused_naming_the_field(change, message):
    data = _valid_json()
    change(data)
    with pytest.raises(PlanError) as err:
        parse_plan(data)
    assert str(err.value).startswith(message)


def test_a_plan_that_is_not_an_object_is_refused():
    with pytest.raises(PlanError, match=r"^plan: must be a JSON object"):
        parse_plan(["rotation-plan/1"])


def test_unknown_plan_fields_are_ignored():
    data = _valid_json()
    data["x-note"] = 1
    data["rotations"][0]["x-note"] = 2
    data["objective"]["x-note"] = 3
    assert parse_plan(data) == parse_plan(_valid_json())


def test_a_plan_file_that_is_not_json_or_missing_is_a_file_error(tmp_path):
    (tmp_path / "plan.json").write_text("{")
    with pytest.raises(PlanFileError, match="not valid JSON"):
        load_plan(tmp_path / "plan.json")
    with pytest.raises(PlanFileError, match="cannot read the file"):
        load_plan(tmp_path / "missing.json")
