"""Command line: ``python -m rotation.planning solve|check`` (spec: "Command line").

    solve PROBLEM.json --out PLAN.json [--time-limit SECONDS] [--workers N]
    check PROBLEM.json PLAN.json

`solve` exits 0 when a plan was written (INFEASIBLE included) and 2 with one line on stderr
when the problem is unreadable or malformed; then no plan file is written at all.
`--time-limit` bounds the whole run, so the solver gets what reading left, minus a reserve
for writing. `check` exits 0 valid, 1 violations (one per line on stdout), 2 unreadable.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from .plan import Terms, write_plan
from .problem import ProblemError, load_problem

if TYPE_CHECKING:
    from .solve import Progress

DEFAULT_TIME_LIMIT_S = 60.0
MAX_DEFAULT_WORKERS = 8


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of seconds: {text!r}") from None
    if not value >= 0 or value == float("inf"):
        raise argparse.ArgumentTypeError(f"must be a number of seconds >= 0 (got {text})")
    return value


def _workers(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1 (got {value})")
    return value


def default_workers() -> int:
    return min(os.cpu_count() or 1, MAX_DEFAULT_WORKERS)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m rotation.planning",
        description="Solve and check rotation planning problems (format rotation-problem/1).",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    solve = commands.add_parser("solve", help="solve PROBLEM.json into a plan file")
    solve.add_argument("problem", metavar="PROBLEM.json")
    solve.add_argument("--out", required=True, metavar="PLAN.json", help="plan file to write")
    solve.add_argument(
        "--time-limit",
        type=_seconds,
        default=DEFAULT_TIME_LIMIT_S,
        metavar="SECONDS",
        help=f"wall-clock limit of the whole run (default {DEFAULT_TIME_LIMIT_S:g})",
    )
    solve.add_argument(
        "--workers",
        type=_workers,
        default=None,
        metavar="N",
        help=f"solver threads (default: CPU count, at most {MAX_DEFAULT_WORKERS})",
    )
    check = commands.add_parser("check", help="check PLAN.json against PROBLEM.json")
    check.add_argument("problem", metavar="PROBLEM.json")
    check.add_argument("plan", metavar="PLAN.json")
    return parser


def _writing_reserve_s(limit_s: float) -> float:
    """Time kept back from the solver for building the plan and writing the file."""
    return min(0.5, 0.1 * limit_s)


def _terms_text(terms: Terms | None) -> str:
    if terms is None:
        return "-"
    return (
        f"coverage {terms.coverage}, preference {terms.preference}, "
        f"max_team_load {terms.max_team_load}, kept {terms.kept}"
    )


def run_solve(problem_path: str, out: str, time_limit_s: float, workers: int) -> int:
    started = time.monotonic()
    try:
        problem = load_problem(problem_path)
    except ProblemError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    target = Path(out)
    if not target.parent.is_dir():
        print(f"error: --out: directory {target.parent} does not exist", file=sys.stderr)
        return 2
    for warning in problem.warnings:
        print(f"warning: {warning}", file=sys.stderr)

    # Imported only now: a malformed problem is refused without loading the solver.
    from .solve import solve

    def report(progress: Progress) -> None:
        message = f" {progress.message}" if progress.message else ""
        print(
            f"[{time.monotonic() - started:7.2f}s] {progress.phase}: "
            f"objective {_terms_text(progress.objective)}; "
            f"bound {_terms_text(progress.bound)}{message}",
            file=sys.stderr,
            flush=True,
        )

    elapsed = time.monotonic() - started
    plan = solve(
        problem,
        time_limit_s=max(0.0, time_limit_s - elapsed - _writing_reserve_s(time_limit_s)),
        workers=workers,
        on_progress=report,
    )
    plan = dataclasses.replace(plan, solve_seconds=round(time.monotonic() - started, 3))
    try:
        write_plan(plan, target)
    except OSError as err:
        print(f"error: --out: cannot write {target} ({err.strerror or err})", file=sys.stderr)
        return 2
    print(
        f"{plan.status}: {len(plan.rotations)} rotation(s), {len(plan.unassigned)} "
        f"executive(s) unassigned, written to {target} in {plan.solve_seconds:.2f}s",
        file=sys.stderr,
    )
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "solve":
        workers = args.workers if args.workers is not None else default_workers()
        return run_solve(args.problem, args.out, args.time_limit, workers)
    from .validate import cli_check

    return cli_check(args.problem, args.plan)


if __name__ == "__main__":
    sys.exit(main())
