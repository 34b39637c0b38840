"""`python -m rotation.planning solve` end to end on the spec's examples, checked by `check`."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from rotation.planning.plan import load_plan
from rotation.planning.problem import load_problem
from rotation.planning.validate import validate

EXAMPLES = Path(__file__).resolve().parent / "examples"
ROOT = Path(__file__).resolve().parents[2]


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "rotation.planning", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )


def test_solve_writes_the_optimal_plan_of_the_tiny_example(tmp_path):
    plan_file = tmp_path / "plan.json"
    problem_file = EXAMPLES / "tiny.problem.json"
    result = run("solve", str(problem_file), "--out", str(plan_file), "--time-limit", "20")
    assert result.returncode == 0, result.stderr
    plan = load_plan(plan_file)
    assert validate(load_problem(problem_file), plan) == []
    expected = load_plan(EXAMPLES / "tiny.plan.json")
    assert (plan.status, plan.objective, plan.bound) == (
        "OPTIMAL",
        expected.objective,
        expected.bound,
    )
    assert plan.solve_seconds > 0
    assert run("check", str(problem_file), str(plan_file)).returncode == 0


def test_solve_writes_an_infeasible_plan_and_exits_0(tmp_path):
    plan_file = tmp_path / "plan.json"
    problem_file = EXAMPLES / "infeasible.problem.json"
    result = run(
        "solve", str(problem_file), "--out", str(plan_file), "--time-limit", "20", "--workers", "1"
    )
    assert result.returncode == 0, result.stderr
    plan = load_plan(plan_file)
    assert plan.status == "INFEASIBLE"
    assert validate(load_problem(problem_file), plan) == []
    assert json.loads(plan_file.read_text())["conflicts"]


def test_solve_with_no_time_left_still_writes_a_valid_plan(tmp_path):
    plan_file = tmp_path / "plan.json"
    problem_file = EXAMPLES / "tiny.problem.json"
    result = run("solve", str(problem_file), "--out", str(plan_file), "--time-limit", "0")
    assert result.returncode == 0, result.stderr
    assert validate(load_problem(problem_file), load_plan(plan_file)) == []
