"""The plan: frozen dataclasses in, JSON out (spec: "Plan").

Only this module and problem.py touch JSON. `parse_plan` checks the plan's shape (types and
required fields) and raises `PlanError` naming the field; whether the plan keeps the rules
is validate.py's question.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .jsonfields import Fields, got

FORMAT = "rotation-plan/1"
OPTIMAL = "OPTIMAL"
FEASIBLE = "FEASIBLE"
INFEASIBLE = "INFEASIBLE"
UNKNOWN = "UNKNOWN"
STATUSES = (OPTIMAL, FEASIBLE, INFEASIBLE, UNKNOWN)
TERMS = ("coverage", "preference", "max_team_load", "kept")


class PlanError(ValueError):
    """The plan file is unreadable or malformed; the message names the field."""


class PlanFileError(PlanError):
    """The plan file cannot be read at all, or is not JSON."""


_F = Fields(PlanError)


@dataclass(frozen=True)
class Rotation:
    executive: str
    team: str
    slots: tuple[str, ...]


@dataclass(frozen=True)
class Unassigned:
    executive: str
    missing: int
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class Terms:
    coverage: int = 0
    preference: int = 0
    max_team_load: int = 0
    kept: int = 0

    def as_tuple(self) -> tuple[int, int, int, int]:
        """The terms in priority order, signed so that larger is better."""
        return (self.coverage, self.preference, -self.max_team_load, self.kept)


@dataclass(frozen=True)
class Conflict:
    constraint: int
    executives: tuple[str, ...]
    slots: tuple[str, ...]
    message: str


@dataclass(frozen=True)
class Plan:
    status: str
    rotations: tuple[Rotation, ...]
    unassigned: tuple[Unassigned, ...]
    objective: Terms
    bound: Terms
    conflicts: tuple[Conflict, ...] = ()
    solve_seconds: float = 0.0
    solver: Mapping[str, object] | None = None


# --- writing ------------------------------------------------------------------------------


def _jsonable(value: object) -> object:
    """Solver statistics as plain JSON values (numpy scalars and tuples included)."""
    if isinstance(value, Mapping):
        return {str(key): _jsonable(item) for key, item in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_jsonable(item) for item in value]
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    item = getattr(value, "item", None)
    if callable(item):
        return _jsonable(item())
    return str(value)


def _terms_json(terms: Terms) -> dict[str, int]:
    return {name: int(getattr(terms, name)) for name in TERMS}


def plan_to_json(plan: Plan) -> dict[str, Any]:
    """The plan as a JSON-ready dict in the spec's layout."""
    data: dict[str, Any] = {
        "format": FORMAT,
        "status": plan.status,
        "rotations": [
            {"executive": rotation.executive, "team": rotation.team, "slots": list(rotation.slots)}
            for rotation in plan.rotations
        ],
        "unassigned": [
            {
                "executive": entry.executive,
                "missing": int(entry.missing),
                "reasons": list(entry.reasons),
            }
            for entry in plan.unassigned
        ],
        "objective": _terms_json(plan.objective),
        "bound": _terms_json(plan.bound),
    }
    if plan.conflicts:
        data["conflicts"] = [
            {
                "constraint": int(conflict.constraint),
                "executives": list(conflict.executives),
                "slots": list(conflict.slots),
                "message": conflict.message,
            }
            for conflict in plan.conflicts
        ]
    data["solve_seconds"] = float(plan.solve_seconds)
    if plan.solver is not None:
        data["solver"] = _jsonable(plan.solver)
    return data


def write_plan(plan: Plan, path: str | os.PathLike[str]) -> None:
    """Write the plan file atomically: a temporary file beside it, then a rename."""
    target = Path(path)
    text = json.dumps(plan_to_json(plan), indent=1, ensure_ascii=False) + "\n"
    handle = tempfile.NamedTemporaryFile(
        "w",
        encoding="utf-8",
        dir=target.parent,
        prefix=f".{target.name}.",
        suffix=".tmp",
        delete=False,
    )
    try:
        with handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        # NamedTemporaryFile creates 0600; give the plan the mode a plain open() would.
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(handle.name, 0o666 & ~umask)
        os.replace(handle.name, target)
    except BaseException:
        try:
            os.unlink(handle.name)
        except FileNotFoundError:
            pass
        raise


# --- reading ------------------------------------------------------------------------------


def _terms(value: object, path: str) -> Terms:
    obj = _F.object(value, path)
    return Terms(
        **{name: _F.integer(_F.required(obj, name, path), f"{path}.{name}") for name in TERMS}
    )


def parse_plan(data: object) -> Plan:
    """Build a `Plan` from decoded JSON; raise `PlanError` naming the bad field."""
    if not isinstance(data, Mapping):
        raise PlanError(f"plan: must be a JSON object (got {got(data)})")
    fmt = _F.required(data, "format", "")
    if fmt != FORMAT:
        raise _F.fail("format", f"must be {FORMAT!r} (got {got(fmt)})")
    status = _F.required(data, "status", "")
    if status not in STATUSES:
        raise _F.fail("status", f"must be one of {', '.join(STATUSES)} (got {got(status)})")

    rotations: list[Rotation] = []
    for index, item in enumerate(_F.list(_F.required(data, "rotations", ""), "rotations")):
        path = f"rotations[{index}]"
        obj = _F.object(item, path)
        rotations.append(
            Rotation(
                executive=_F.string(_F.required(obj, "executive", path), f"{path}.executive"),
                team=_F.string(_F.required(obj, "team", path), f"{path}.team"),
                slots=_F.strings(_F.required(obj, "slots", path), f"{path}.slots"),
            )
        )

    unassigned: list[Unassigned] = []
    for index, item in enumerate(_F.list(_F.required(data, "unassigned", ""), "unassigned")):
        path = f"unassigned[{index}]"
        obj = _F.object(item, path)
        unassigned.append(
            Unassigned(
                executive=_F.string(_F.required(obj, "executive", path), f"{path}.executive"),
                missing=_F.integer(_F.required(obj, "missing", path), f"{path}.missing"),
                reasons=_F.strings(_F.required(obj, "reasons", path), f"{path}.reasons"),
            )
        )

    conflicts: list[Conflict] = []
    raw_conflicts = data.get("conflicts")
    for index, item in enumerate(
        [] if raw_conflicts is None else _F.list(raw_conflicts, "conflicts")
    ):
        path = f"conflicts[{index}]"
        obj = _F.object(item, path)
        conflicts.append(
            Conflict(
                constraint=_F.integer(_F.required(obj, "constraint", path), f"{path}.constraint"),
                executives=_F.strings(_F.required(obj, "executives", path), f"{path}.executives"),
                slots=_F.strings(_F.required(obj, "slots", path), f"{path}.slots"),
                message=_F.string(_F.required(obj, "message", path), f"{path}.message"),
            )
        )

    seconds = _F.required(data, "solve_seconds", "")
    if not isinstance(seconds, int | float) or isinstance(seconds, bool):
        raise _F.fail("solve_seconds", f"must be a number (got {got(seconds)})")
    solver = data.get("solver")
    if solver is not None:
        solver = _F.object(solver, "solver")

    return Plan(
        status=status,
        rotations=tuple(rotations),
        unassigned=tuple(unassigned),
        objective=_terms(_F.required(data, "objective", ""), "objective"),
        bound=_terms(_F.required(data, "bound", ""), "bound"),
        conflicts=tuple(conflicts),
        solve_seconds=float(seconds),
        solver=solver,
    )


def load_plan(path: str | os.PathLike[str]) -> Plan:
    """Read and parse a plan file; unreadable or invalid JSON raises `PlanFileError`."""
    return parse_plan(_F.read_file(path, PlanFileError))
