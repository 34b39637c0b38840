"""Tiny planning problems for the optimizer's tests, and a check of one placement."""

from __future__ import annotations

import random
from datetime import date, timedelta
from pathlib import Path

import numpy as np
from ortools.sat.python import cp_model

from rotation.planning.candidates import all_candidates, build_index
from rotation.planning.constraints import add_all
from rotation.planning.problem import Problem, load_problem, parse_problem

EXAMPLES = Path(__file__).resolve().parent / "examples"
START = date(2027, 1, 4)
KINDS = ("shadowing", "headset")


def example(name: str) -> Problem:
    return load_problem(EXAMPLES / f"{name}.problem.json")


def slot_id(team: str, day: int, kind: str) -> str:
    return f"{team}-d{day}-{kind[0]}"


def rotation(team: str, start: int) -> tuple[str, str]:
    """The slot ids of a two-day rotation at the team starting on horizon day `start`."""
    return (slot_id(team, start, "shadowing"), slot_id(team, start + 1, "headset"))


def day(n: int) -> str:
    return (START + timedelta(days=n)).isoformat()


def executive(eid: str, *, languages: tuple[str, ...] = ("de",), rotations: int = 1, **more):
    return {"id": eid, "languages": list(languages), "rotations": rotations, **more}


def build(
    *,
    days: int = 4,
    teams: dict[str, list[str]] | None = None,
    capacity: int = 1,
    executives: list[dict] | None = None,
    min_days: int | None = None,
    cap: int | None = None,
    sites: dict[str, str] | None = None,
    extra_slots: list[dict] | None = None,
    **lists: object,
) -> Problem:
    """Every team offers a shadowing and a headset slot of `capacity` on every day.

    `fixed`, `previous` take (executive, slots) pairs, `forbidden` (executive, slot) pairs.
    """
    teams = teams or {"a": ["de"]}
    sites = sites or {}
    data: dict[str, object] = {
        "format": "rotation-problem/1",
        "horizon": {"start": day(0), "end": day(days - 1)},
        "rules": {
            "rotation": list(KINDS),
            "min_days_between_rotations": min_days,
            "max_executives_per_team_per_day": cap,
        },
        "teams": [
            {
                "id": tid,
                "site": sites.get(tid, f"site-{tid}"),
                "timezone": "Europe/Berlin",
                "languages": langs,
                "topics": [f"topic-{tid}"],
            }
            for tid, langs in teams.items()
        ],
        "slots": [
            {
                "id": slot_id(tid, n, kind),
                "team": tid,
                "date": day(n),
                "start": "09:00" if kind == "shadowing" else "13:30",
                "end": "13:00" if kind == "shadowing" else "17:30",
                "kind": kind,
                "capacity": capacity,
            }
            for tid in teams
            for n in range(days)
            for kind in KINDS
        ]
        + (extra_slots or []),
        "executives": executives or [executive("e1")],
    }
    for key, value in lists.items():
        if key == "forbidden":
            data[key] = [{"executive": e, "slot": s} for e, s in value]  # type: ignore[attr-defined]
        else:
            data[key] = [{"executive": e, "slots": list(s)} for e, s in value]  # type: ignore[attr-defined]
    return parse_problem(data)


def allows(problem: Problem, placements: list[tuple[str, tuple[str, ...]]]) -> bool:
    """Whether the hard constraints let every given (executive, slots) rotation be placed
    together: each must be a candidate, and the model with all of them pinned is feasible."""
    index = build_index(problem)
    cands = all_candidates(index)
    executive_index = index.executive_index
    slot_index = index.slot_index
    rows = []
    for eid, slots in placements:
        pattern = index.pattern_of_slots.get(tuple(slot_index[s] for s in slots))
        if pattern is None:
            return False
        match = np.flatnonzero(
            (cands.executive == executive_index[eid]) & (cands.pattern == pattern)
        )
        if len(match) == 0:
            return False
        rows.append(int(match[0]))
    model = cp_model.CpModel()
    x = [model.new_bool_var("") for _ in range(len(cands))]
    fixed_rows = [
        int(np.flatnonzero((cands.executive == e) & (cands.pattern == p))[0])
        for e, p in index.fixed_pairs
    ]
    add_all(model, x, cands, index, fixed_rows)
    for row in rows:
        model.add(x[row] == 1)
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = 5
    solver.parameters.num_workers = 1
    solver.parameters.random_seed = 0
    return solver.solve(model) in (cp_model.OPTIMAL, cp_model.FEASIBLE)


def random_problem(
    seed: int, *, executives: int = 12, teams: int = 3, days: int = 14, capacity: int = 1
) -> Problem:
    """A small random problem: languages, vacations, weights, some executives wanting two."""
    rng = random.Random(seed)
    team_langs = {f"t{n}": rng.sample(["de", "en"], rng.choice([1, 2])) for n in range(teams)}
    people = []
    for n in range(executives):
        away = rng.randrange(days)
        people.append(
            executive(
                f"e{n}",
                languages=tuple(rng.sample(["de", "en", "fr"], rng.choice([1, 2]))),
                rotations=2 if rng.random() < 0.2 else 1,
                unavailable=[[day(away), day(away + rng.randrange(4))]],
                preferences={"topics": {f"topic-t{rng.randrange(teams)}": rng.randint(-1, 3)}},
            )
        )
    return build(
        days=days,
        teams=team_langs,
        capacity=capacity,
        executives=people,
        min_days=5,
        cap=1,
    )
