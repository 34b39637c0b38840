"""Measure the planner on generated instances: greedy against solver, bounds, time and memory.

Every run is a fresh child process (the greedy through this script, the solver through the real
command line ``python -m rotation.planning solve``), so peak RSS is per run. Each plan is
checked with ``rotation.planning.validate.validate`` and the table puts the issue's target
beside each figure.

Run: .venv/bin/python bench/planning.py --sizes small,medium     (quick, about two minutes)
     .venv/bin/python bench/planning.py --sizes all              (everything, long)
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import random
import subprocess
import sys
import tempfile
import time as clock
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from rotation.planning.plan import Plan, load_plan, write_plan  # noqa: E402
from rotation.planning.problem import (  # noqa: E402
    Executive,
    Horizon,
    Problem,
    RotationRef,
    Rules,
    Slot,
    Team,
    load_problem,
    problem_to_json,
)
from rotation.planning.validate import validate  # noqa: E402

START = date(2027, 1, 4)  # a Monday
KINDS = ("shadowing", "headset")
TIMES = {"shadowing": ("09:00", "13:00"), "headset": ("13:30", "17:30")}
SITES = (
    ("Leipzig", "lej", "Europe/Berlin", ("de",)),
    ("Berlin", "ber", "Europe/Berlin", ("de",)),
    ("Hamburg", "ham", "Europe/Berlin", ("de",)),
    ("München", "muc", "Europe/Berlin", ("de",)),
    ("Köln", "cgn", "Europe/Berlin", ("de",)),
    ("Wien", "vie", "Europe/Vienna", ("de",)),
    ("Graz", "grz", "Europe/Vienna", ("de",)),
    ("Zürich", "zrh", "Europe/Zurich", ("de",)),
    ("Genève", "gva", "Europe/Zurich", ("fr", "de")),
    ("Lugano", "lug", "Europe/Zurich", ("it", "de")),
    ("Lisboa", "lis", "Europe/Lisbon", ("pt",)),
    ("Porto", "opo", "Europe/Lisbon", ("pt",)),
)
TOPICS = ("billing", "contracts", "returns", "sales", "tech", "moving", "fraud", "roaming")
# First language of an executive, roughly as a DACH company with a Lisbon hub would see it.
FIRST_LANGUAGES = (("de", 70), ("en", 12), ("fr", 6), ("it", 4), ("pt", 8))
SPACING_DAYS = 30
TEAM_DAY_CAP = 2


# --- instances ----------------------------------------------------------------------------


def working_days(count: int) -> list[date]:
    days: list[date] = []
    day = START
    while len(days) < count:
        if day.weekday() < 5:
            days.append(day)
        day += timedelta(days=1)
    return days


def make_teams(rng: random.Random, count: int) -> list[Team]:
    teams = []
    for n in range(count):
        site, code, zone, languages = SITES[n % len(SITES)] if n < len(SITES) else rng.choice(SITES)
        topics = tuple(rng.sample(TOPICS, rng.randint(1, 3)))
        if rng.random() < 0.4 and "en" not in languages:
            languages = (*languages, "en")
        teams.append(
            Team(
                id=f"{code}-{topics[0]}-{n}",
                site=site,
                timezone=zone,
                languages=languages,
                topics=topics,
            )
        )
    return teams


def make_executives(rng: random.Random, count: int, days: list[date]) -> list[Executive]:
    languages, weights = zip(*FIRST_LANGUAGES, strict=True)
    executives = []
    for n in range(count):
        speaks = [rng.choices(languages, weights)[0]]
        if rng.random() < 0.5:
            second = "en" if speaks[0] != "en" and rng.random() < 0.7 else rng.choice(languages)
            if second not in speaks:
                speaks.append(second)
        unavailable = []
        if rng.random() < 0.3:
            for _ in range(rng.randint(1, 3)):
                first = rng.choice(days) - timedelta(days=rng.randint(0, 3))
                unavailable.append((first, first + timedelta(days=rng.randint(4, 20))))
        sites = {site: rng.randint(0, 3) for site, *_ in rng.sample(SITES, rng.randint(1, 3))}
        topics = {topic: rng.randint(0, 3) for topic in rng.sample(TOPICS, rng.randint(1, 3))}
        executives.append(
            Executive(
                id=f"exec-{n:05d}",
                languages=tuple(speaks),
                rotations=2 if rng.random() < 0.1 else 1,
                unavailable=tuple(sorted(unavailable)),
                site_weights=sites,
                topic_weights=topics,
            )
        )
    return executives


def make_slot(team: Team, day: date, kind: str, capacity: int) -> Slot:
    start, end = TIMES[kind]
    return Slot(
        id=f"{team.id}-{day.isoformat()}-{kind[0]}",
        team=team.id,
        date=day,
        start=start,
        end=end,
        kind=kind,
        capacity=capacity,
    )


def loose_slots(rng: random.Random, teams: list[Team], days: list[date]) -> list[Slot]:
    """Every team offers both slots on every working day, 1 to 3 places each."""
    slots = []
    for team in teams:
        capacity = rng.randint(1, 3)
        slots.extend(make_slot(team, day, kind, capacity) for day in days for kind in KINDS)
    return slots


def tight_slots(rng: random.Random, teams: list[Team], days: list[date], demand: int) -> list[Slot]:
    """Some teams open some weeks, one place per slot: room for about 1.1 times the demand.

    An open week (both slots Monday to Friday, one place each, at most two executives a day)
    holds four rotations: Mon-Tue, Tue-Wed, Wed-Thu, Thu-Fri.
    """
    weeks: dict[int, list[date]] = {}
    for day in days:
        weeks.setdefault((day - START).days // 7, []).append(day)
    team_weeks = [(team, week) for team in teams for week in weeks]
    wanted = min(len(team_weeks), -(-int(1.1 * demand) // 4))
    slots = []
    for team, week in sorted(rng.sample(team_weeks, wanted), key=lambda tw: (tw[0].id, tw[1])):
        slots.extend(make_slot(team, day, kind, 1) for day in weeks[week] for kind in KINDS)
    return slots


def make_problem(regime: str, executives: int, teams: int, days: int, seed: int) -> Problem:
    rng = random.Random(f"{regime}-{executives}-{teams}-{days}-{seed}")
    calendar = working_days(days)
    team_list = make_teams(rng, teams)
    people = make_executives(rng, executives, calendar)
    if regime == "loose":
        slots = loose_slots(rng, team_list, calendar)
    else:
        demand = sum(person.rotations for person in people)
        slots = tight_slots(rng, team_list, calendar, demand)
    return Problem(
        horizon=Horizon(calendar[0], calendar[-1]),
        rules=Rules(
            rotation=KINDS,
            min_days_between_rotations=SPACING_DAYS,
            max_executives_per_team_per_day=TEAM_DAY_CAP,
        ),
        teams=tuple(team_list),
        slots=tuple(slots),
        executives=tuple(people),
    )


def with_broken_previous(
    problem: Problem, plan: Plan, share: float, seed: int
) -> tuple[Problem, int]:
    """Make the plan the problem's history, and send a share of those executives on vacation
    over their previous rotation, so that rotation no longer fits."""
    previous = [RotationRef(rotation.executive, rotation.slots) for rotation in plan.rotations]
    rng = random.Random(seed)
    broken = rng.sample(previous, round(share * len(previous)))
    away: dict[str, list[tuple[date, date]]] = {}
    for ref in broken:
        dates = [problem.slot_by_id[slot_id].date for slot_id in ref.slots]
        away.setdefault(ref.executive, []).append((min(dates), max(dates)))
    executives = tuple(
        dataclasses.replace(
            person, unavailable=tuple(sorted((*person.unavailable, *away[person.id])))
        )
        if person.id in away
        else person
        for person in problem.executives
    )
    return dataclasses.replace(problem, executives=executives, previous=tuple(previous)), len(
        broken
    )


# --- runs ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Instance:
    name: str
    regime: str
    executives: int
    teams: int
    days: int
    time_limit_s: float
    first_plan_limit_s: float
    with_previous: bool = False


SIZES: dict[str, list[Instance]] = {
    "small": [
        Instance("small loose 200/20/60", "loose", 200, 20, 60, 10, 2),
        Instance("small tight 100/10/60", "tight", 100, 10, 60, 10, 2),
    ],
    "medium": [
        Instance("medium loose 500/40/120", "loose", 500, 40, 120, 15, 2),
        Instance("medium tight 500/40/120", "tight", 500, 40, 120, 30, 2),
    ],
    "large": [
        Instance("large loose 2000/100/250", "loose", 2000, 100, 250, 15, 2),
        Instance("large loose 2000/100/250 +prev", "loose", 2000, 100, 250, 15, 2, True),
        Instance("large tight 2000/100/250", "tight", 2000, 100, 250, 60, 2),
    ],
    "huge": [
        Instance("huge loose 5000/200/250", "loose", 5000, 200, 250, 60, 5),
        Instance("huge tight 5000/200/250", "tight", 5000, 200, 250, 60, 5),
    ],
}


@dataclass
class Run:
    plan: Plan | None
    wall_s: float
    peak_rss_mb: float
    errors: list[str] = field(default_factory=list)
    exit_code: int = 0
    inner_s: float | None = None


def run_child(command: list[str], log: Path) -> tuple[int, float, float]:
    """Run one child; return its exit code, wall seconds and its own peak RSS in MB."""
    started = clock.perf_counter()
    with log.open("w") as out:
        child = subprocess.Popen(command, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT)
        # wait4 reports the usage of exactly this child (RUSAGE_CHILDREN would give the
        # maximum over every child so far).
        _, status, usage = os.wait4(child.pid, 0)
        child.returncode = os.waitstatus_to_exitcode(status)
    wall = clock.perf_counter() - started
    return child.returncode, wall, usage.ru_maxrss / 1024


def checked(problem: Problem, plan_path: Path, code: int, wall: float, rss: float) -> Run:
    if code != 0 or not plan_path.exists():
        return Run(None, wall, rss, [f"exit {code}, no plan"], code)
    plan = load_plan(plan_path)
    return Run(plan, wall, rss, validate(problem, plan), code)


def run_greedy(problem: Problem, problem_path: Path, work: Path, tag: str) -> Run:
    out = work / f"{tag}.greedy.plan.json"
    code, wall, rss = run_child(
        [
            sys.executable,
            str(Path(__file__).resolve()),
            "--child-greedy",
            str(problem_path),
            str(out),
        ],
        work / f"{tag}.greedy.log",
    )
    run = checked(problem, out, code, wall, rss)
    timing = work / f"{tag}.greedy.log"
    for line in timing.read_text().splitlines():
        if line.startswith("greedy_s="):
            run.inner_s = float(line.split("=", 1)[1])
    return run


def run_solver(
    problem: Problem, problem_path: Path, work: Path, tag: str, time_limit_s: float, workers: int
) -> Run:
    out = work / f"{tag}.plan.json"
    if out.exists():
        out.unlink()
    code, wall, rss = run_child(
        [
            sys.executable,
            "-m",
            "rotation.planning",
            "solve",
            str(problem_path),
            "--out",
            str(out),
            "--time-limit",
            f"{time_limit_s:g}",
            "--workers",
            str(workers),
        ],
        work / f"{tag}.log",
    )
    return checked(problem, out, code, wall, rss)


def child_greedy(problem_path: str, plan_path: str) -> None:
    from rotation.planning.greedy import greedy_plan

    problem = load_problem(problem_path)
    started = clock.perf_counter()
    plan = greedy_plan(problem)
    print(f"greedy_s={clock.perf_counter() - started:.3f}")
    write_plan(plan, plan_path)


# --- table --------------------------------------------------------------------------------


def terms(plan: Plan | None, which: str = "objective") -> str:
    if plan is None:
        return "-"
    t = getattr(plan, which)
    return f"{t.coverage}/{t.preference}/{t.max_team_load}/{t.kept}"


def lex(plan: Plan) -> tuple[int, int, int, int]:
    t = plan.objective
    return (t.coverage, t.preference, -t.max_team_load, t.kept)


def model_variables(plan: Plan | None) -> str:
    """The largest CP-SAT model's variable count, as far as the solver statistics tell."""
    if plan is None or not plan.solver:
        return "-"
    stats = plan.solver
    if stats.get("variables") is not None:
        return str(stats["variables"])
    stages = stats.get("cp_sat")
    if isinstance(stages, list):
        sizes = [s["variables"] for s in stages if isinstance(s, dict) and "variables" in s]
        if sizes:
            return str(max(sizes))
    # One boolean per candidate rotation kept in a stage's model.
    sizes = [
        value
        for name, value in stats.items()
        if name.startswith("candidates_stage_") and isinstance(value, int)
    ]
    return str(max(sizes)) if sizes else "-"


def count_candidates(problem: Problem) -> int:
    """(executive, rotation) pairs allowed by language, availability and horizon alone."""
    days = (problem.horizon.end - problem.horizon.start).days + 1
    length = len(problem.rules.rotation)
    team_at = {team.id: n for n, team in enumerate(problem.teams)}
    offered = np.zeros((len(problem.teams), days, length), dtype=np.int64)
    for slot in problem.slots:
        day = (slot.date - problem.horizon.start).days
        for k, kind in enumerate(problem.rules.rotation):
            if kind == slot.kind and 0 <= day - k < days:
                offered[team_at[slot.team], day - k, k] += 1
    starts = offered.prod(axis=2)  # teams x start days: slot combinations per rotation
    starts[:, days - length + 1 :] = 0
    speaks = np.array(
        [
            [bool(set(ex.languages) & set(team.languages)) for team in problem.teams]
            for ex in problem.executives
        ],
        dtype=np.int64,
    )
    free = np.ones((len(problem.executives), days), dtype=bool)
    for row, ex in enumerate(problem.executives):
        for first, last in ex.unavailable:
            lo = max((first - problem.horizon.start).days, 0)
            hi = min((last - problem.horizon.start).days, days - 1)
            if lo <= hi:
                free[row, lo : hi + 1] = False
    window = free.copy()
    for k in range(1, length):
        window[:, : days - k] &= free[:, k:]
    return int(((speaks @ starts) * window).sum())


def first_seconds(first: Run) -> str:
    """The short run's own whole-run seconds, and in brackets the wall time with start-up."""
    if first.plan is None or first.errors:
        return f"X ({first.wall_s:.1f})"
    return f"{first.plan.solve_seconds:.1f} ({first.wall_s:.1f})"


def percent(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f}"


def verdict(checks: list[tuple[str, bool]]) -> str:
    """Every target of the row with its outcome, so the figures stand beside the goals."""
    return "; ".join(f"{text}: {'met' if ok else 'MISSED'}" for text, ok in checks)


def targets(
    instance: Instance,
    greedy: Run,
    solver: Run,
    first: Run,
    kept_share: float | None,
) -> str:
    plan = solver.plan
    checks: list[tuple[str, bool]] = [
        ("both plans valid", not greedy.errors and not solver.errors and plan is not None),
    ]
    if plan is None or greedy.plan is None:
        return verdict(checks)
    obj, bound = plan.objective, plan.bound
    checks.append(("solver >= greedy", lex(plan) >= lex(greedy.plan)))
    big = instance.executives >= 2000
    if big:
        checks.append(
            (
                f"valid plan <= {instance.first_plan_limit_s:g} s (got {first_seconds(first)})",
                first.plan is not None
                and not first.errors
                and first.plan.solve_seconds <= instance.first_plan_limit_s,
            )
        )
    key = (instance.regime, instance.executives)
    if key == ("loose", 2000) and not instance.with_previous:
        checks += [
            (
                f"cov/pref/load proven <= 15 s (got {plan.solve_seconds:.1f} s)",
                (obj.coverage, obj.preference, obj.max_team_load)
                == (bound.coverage, bound.preference, bound.max_team_load)
                and plan.solve_seconds <= 15,
            ),
            (f"RSS <= 1.5 GB (got {solver.peak_rss_mb:.0f} MB)", solver.peak_rss_mb <= 1536),
        ]
    if instance.with_previous:
        checks.append(
            (
                f"kept >= 95 % of unaffected (got {percent(kept_share)} %)",
                kept_share is not None and kept_share >= 95,
            )
        )
    if key == ("loose", 5000):
        checks += [
            (
                f"cov/pref proven <= 60 s (got {plan.solve_seconds:.1f} s)",
                (obj.coverage, obj.preference) == (bound.coverage, bound.preference)
                and plan.solve_seconds <= 60,
            ),
            (f"RSS <= 3 GB (got {solver.peak_rss_mb:.0f} MB)", solver.peak_rss_mb <= 3072),
        ]
    if key == ("tight", 500):
        gap = bound.preference - obj.preference
        checks.append(
            (
                f"pref within 1 % of proven bound <= 30 s (got {gap} below "
                f"{bound.preference} in {plan.solve_seconds:.1f} s)",
                obj.coverage == bound.coverage
                and gap <= 0.01 * abs(bound.preference)
                and plan.solve_seconds <= 30,
            )
        )
    if key == ("tight", 2000):
        gain = preference_gain(greedy.plan, plan)
        checks.append(
            (
                f"pref >= 2 % above greedy <= 60 s (got {percent(gain)} %)",
                gain is not None and gain >= 2 and plan.solve_seconds <= 60,
            )
        )
    return verdict(checks)


def preference_gain(greedy: Plan | None, solver: Plan | None) -> float | None:
    if greedy is None or solver is None:
        return None
    base = greedy.objective.preference
    return 100.0 * (solver.objective.preference - base) / max(abs(base), 1)


def print_table(rows: list[dict[str, str]]) -> None:
    columns = list(rows[0])
    widths = {c: max(len(c), *(len(row[c]) for row in rows)) for c in columns if c != "target"}
    print(" | ".join(c.ljust(widths.get(c, 0)) for c in columns))
    print("-+-".join("-" * widths.get(c, 6) for c in columns))
    for row in rows:
        print(" | ".join(row[c].ljust(widths.get(c, 0)) for c in columns))


# --- main ---------------------------------------------------------------------------------


def bench(instance: Instance, work: Path, args, plans: dict[tuple, Plan]) -> dict[str, str]:
    tag = instance.name.replace(" ", "_").replace("/", "-").replace("+", "")
    problem = make_problem(instance.regime, instance.executives, instance.teams, instance.days, 1)
    time_limit = args.time_limit or instance.time_limit_s
    broken = 0
    if instance.with_previous:
        base_key = (instance.regime, instance.executives, instance.teams, instance.days)
        base = plans.get(base_key)
        if base is None:  # the plain instance was not run: solve it first for its history
            base_path = work / f"{tag}.base.problem.json"
            base_path.write_text(json.dumps(problem_to_json(problem)))
            base = run_solver(problem, base_path, work, f"{tag}.base", time_limit, args.workers)
            base = base.plan
        if base is None:
            print(
                f"{instance.name}: no plan of the plain instance to use as history", file=sys.stderr
            )
        else:
            problem, broken = with_broken_previous(problem, base, 0.05, seed=7)
    problem_path = work / f"{tag}.problem.json"
    problem_path.write_text(json.dumps(problem_to_json(problem)))
    print(f"{instance.name}: {len(problem.slots)} slots ...", file=sys.stderr, flush=True)
    greedy = run_greedy(problem, problem_path, work, tag)
    solver = run_solver(problem, problem_path, work, tag, time_limit, args.workers)
    first = run_solver(
        problem, problem_path, work, f"{tag}.first", instance.first_plan_limit_s, args.workers
    )
    if solver.plan is not None and not instance.with_previous:
        plans[(instance.regime, instance.executives, instance.teams, instance.days)] = solver.plan
    kept_share = None
    if instance.with_previous and solver.plan is not None and problem.previous:
        unaffected = len(problem.previous) - broken
        kept_share = 100.0 * solver.plan.objective.kept / max(unaffected, 1)
    for label, run in (("greedy", greedy), ("solver", solver), ("first plan", first)):
        for error in run.errors[:5]:
            print(f"{instance.name} {label}: {error}", file=sys.stderr)
    plan = solver.plan
    return {
        "instance": instance.name,
        "candidates": str(count_candidates(problem)),
        "variables": model_variables(plan),
        "greedy c/p/l/k": terms(greedy.plan),
        "greedy s": f"{greedy.inner_s:.2f}" if greedy.inner_s is not None else "-",
        "solver c/p/l/k": terms(plan),
        "bound c/p/l/k": terms(plan, "bound"),
        "status": plan.status if plan else f"exit {solver.exit_code}",
        "solver s": (
            f"{plan.solve_seconds:.1f} ({solver.wall_s:.1f})/{time_limit:g}"
            if plan
            else f"- ({solver.wall_s:.1f})/{time_limit:g}"
        ),
        "peak RSS MB": f"{solver.peak_rss_mb:.0f}",
        "first plan s": first_seconds(first),
        "pref gain %": percent(preference_gain(greedy.plan, plan)),
        "kept %": percent(kept_share),
        "target": targets(instance, greedy, solver, first, kept_share),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="small,medium", help="small,medium,large,huge or all")
    parser.add_argument("--time-limit", type=float, default=None, help="override every limit")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--keep", type=Path, default=None, help="keep problem and plan files")
    parser.add_argument("--child-greedy", nargs=2, metavar=("PROBLEM", "PLAN"), help="internal")
    args = parser.parse_args()
    if args.child_greedy:
        child_greedy(*args.child_greedy)
        return
    names = list(SIZES) if args.sizes == "all" else args.sizes.split(",")
    unknown = [name for name in names if name not in SIZES]
    if unknown:
        parser.error(f"unknown size(s): {', '.join(unknown)}")
    instances = [instance for name in names for instance in SIZES[name]]
    with tempfile.TemporaryDirectory(prefix="bench-planning-") as tmp:
        work = args.keep or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        plans: dict[tuple, Plan] = {}
        rows = [bench(instance, work, args, plans) for instance in instances]
    print(
        f"Planner bench: workers={args.workers}, solver via `python -m rotation.planning solve`;"
        " c/p/l/k = coverage/preference/max_team_load/kept; solver s = solve_seconds (wall)/limit;"
        " first plan s = solve_seconds (wall incl. interpreter start) of a run with a 2 s"
        " (5 s at 5,000) limit, X = no valid plan; variables = booleans of the largest"
        " CP-SAT model."
    )
    print_table(rows)


if __name__ == "__main__":
    main()
