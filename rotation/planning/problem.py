"""The planning problem: JSON in, frozen dataclasses out (spec: "Problem").

Only this module and plan.py touch JSON. A malformed problem raises `ProblemError` whose
message is one line naming the field, e.g. ``slots[3].capacity: must be an integer >= 0
(got -1)``, before any model is built. Unknown fields are ignored at every level.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cached_property
from pathlib import Path
from types import MappingProxyType
from typing import Any

from .jsonfields import Fields, got, is_int, join

FORMAT = "rotation-problem/1"

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_TIME = re.compile(r"(?:[01]\d|2[0-3]):[0-5]\d")
_EMPTY: Mapping[str, int] = MappingProxyType({})


class ProblemError(ValueError):
    """The problem file is unreadable or malformed; the message names the field."""


_F = Fields(ProblemError)


@dataclass(frozen=True)
class Horizon:
    start: date
    end: date

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and self.start <= day <= self.end


@dataclass(frozen=True)
class Rules:
    rotation: tuple[str, ...]
    min_days_between_rotations: int | None = None
    max_executives_per_team_per_day: int | None = None


@dataclass(frozen=True)
class Team:
    id: str
    site: str
    timezone: str
    languages: tuple[str, ...]
    topics: tuple[str, ...]


@dataclass(frozen=True)
class Slot:
    id: str
    team: str
    date: date
    start: str
    end: str
    kind: str
    capacity: int


@dataclass(frozen=True)
class Executive:
    id: str
    languages: tuple[str, ...]
    rotations: int
    unavailable: tuple[tuple[date, date], ...] = ()
    site_weights: Mapping[str, int] = field(default_factory=dict)
    topic_weights: Mapping[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        # Weights are read-only views; a plain dict passed in is copied behind one.
        for name in ("site_weights", "topic_weights"):
            value = getattr(self, name)
            if not isinstance(value, MappingProxyType):
                object.__setattr__(self, name, MappingProxyType(dict(value)))

    def __reduce__(self) -> tuple[Any, ...]:
        # A mappingproxy does not pickle; rebuild from plain dicts instead.
        return (
            Executive,
            (
                self.id,
                self.languages,
                self.rotations,
                self.unavailable,
                dict(self.site_weights),
                dict(self.topic_weights),
            ),
        )


@dataclass(frozen=True)
class RotationRef:
    executive: str
    slots: tuple[str, ...]


@dataclass(frozen=True)
class ForbiddenPair:
    executive: str
    slot: str


@dataclass(frozen=True)
class Problem:
    horizon: Horizon
    rules: Rules
    teams: tuple[Team, ...]
    slots: tuple[Slot, ...]
    executives: tuple[Executive, ...]
    fixed: tuple[RotationRef, ...] = ()
    forbidden: tuple[ForbiddenPair, ...] = ()
    previous: tuple[RotationRef, ...] = ()
    # Entries of forbidden/previous naming unknown ids: dropped above, named here.
    warnings: tuple[str, ...] = field(default=(), compare=False)

    @cached_property
    def team_by_id(self) -> dict[str, Team]:
        return {team.id: team for team in self.teams}

    @cached_property
    def slot_by_id(self) -> dict[str, Slot]:
        return {slot.id: slot for slot in self.slots}

    @cached_property
    def executive_by_id(self) -> dict[str, Executive]:
        return {executive.id: executive for executive in self.executives}


# --- reading ------------------------------------------------------------------------------


def _count(value: object, path: str) -> int:
    if not is_int(value) or value < 0:  # type: ignore[operator]
        raise _F.fail(path, f"must be an integer >= 0 (got {got(value)})")
    return value  # type: ignore[return-value]


def _optional_count(obj: Mapping[str, Any], key: str, path: str) -> int | None:
    value = obj.get(key)
    return None if value is None else _count(value, join(path, key))


def _date(value: object, path: str) -> date:
    if isinstance(value, str) and _DATE.fullmatch(value):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise _F.fail(path, f"must be a calendar date YYYY-MM-DD (got {got(value)})")


def _time(value: object, path: str) -> str:
    if not isinstance(value, str) or not _TIME.fullmatch(value):
        raise _F.fail(path, f"must be a time HH:MM from 00:00 to 23:59 (got {got(value)})")
    return value


def _weights(value: object, path: str) -> Mapping[str, int]:
    weights = _F.object(value, path)
    for key, weight in weights.items():
        if not is_int(weight):
            raise _F.fail(f"{path}.{key}", f"must be an integer (got {got(weight)})")
    return MappingProxyType(dict(weights))


def _unique(seen: set[str], value: str, path: str) -> str:
    if value in seen:
        raise _F.fail(path, f"duplicate id {value!r}")
    seen.add(value)
    return value


def _horizon(value: object) -> Horizon:
    obj = _F.object(value, "horizon")
    start = _date(_F.required(obj, "start", "horizon"), "horizon.start")
    end = _date(_F.required(obj, "end", "horizon"), "horizon.end")
    if end < start:
        raise _F.fail("horizon", f"end {end} is before start {start}")
    return Horizon(start, end)


def _rules(value: object) -> Rules:
    obj = _F.object(value, "rules")
    rotation = _F.strings(_F.required(obj, "rotation", "rules"), "rules.rotation")
    if not rotation:
        raise _F.fail("rules.rotation", "must list at least one slot kind")
    return Rules(
        rotation=rotation,
        min_days_between_rotations=_optional_count(obj, "min_days_between_rotations", "rules"),
        max_executives_per_team_per_day=_optional_count(
            obj, "max_executives_per_team_per_day", "rules"
        ),
    )


def _teams(value: object) -> tuple[Team, ...]:
    teams: list[Team] = []
    seen: set[str] = set()
    for index, item in enumerate(_F.list(value, "teams")):
        path = f"teams[{index}]"
        obj = _F.object(item, path)
        teams.append(
            Team(
                id=_unique(
                    seen,
                    _F.string(_F.required(obj, "id", path), f"{path}.id", non_empty=True),
                    f"{path}.id",
                ),
                site=_F.string(_F.required(obj, "site", path), f"{path}.site"),
                timezone=_F.string(_F.required(obj, "timezone", path), f"{path}.timezone"),
                languages=_F.strings(_F.required(obj, "languages", path), f"{path}.languages"),
                topics=_F.strings(_F.required(obj, "topics", path), f"{path}.topics"),
            )
        )
    return tuple(teams)


def _slots(value: object, team_ids: set[str]) -> tuple[Slot, ...]:
    slots: list[Slot] = []
    seen: set[str] = set()
    for index, item in enumerate(_F.list(value, "slots")):
        path = f"slots[{index}]"
        obj = _F.object(item, path)
        slot_id = _F.string(_F.required(obj, "id", path), f"{path}.id", non_empty=True)
        _unique(seen, slot_id, f"{path}.id")
        team = _F.string(_F.required(obj, "team", path), f"{path}.team")
        if team not in team_ids:
            raise _F.fail(f"{path}.team", f"unknown team {team!r}")
        slots.append(
            Slot(
                id=slot_id,
                team=team,
                date=_date(_F.required(obj, "date", path), f"{path}.date"),
                start=_time(_F.required(obj, "start", path), f"{path}.start"),
                end=_time(_F.required(obj, "end", path), f"{path}.end"),
                kind=_F.string(_F.required(obj, "kind", path), f"{path}.kind"),
                capacity=_count(_F.required(obj, "capacity", path), f"{path}.capacity"),
            )
        )
    return tuple(slots)


def _unavailable(value: object, path: str) -> tuple[tuple[date, date], ...]:
    ranges: list[tuple[date, date]] = []
    for index, item in enumerate(_F.list(value, path)):
        item_path = f"{path}[{index}]"
        pair = _F.list(item, item_path)
        if len(pair) != 2:
            raise _F.fail(item_path, f"must be a pair [first, last] (got {got(pair)})")
        first = _date(pair[0], f"{item_path}[0]")
        last = _date(pair[1], f"{item_path}[1]")
        if last < first:
            raise _F.fail(item_path, f"last {last} is before first {first}")
        ranges.append((first, last))
    return tuple(ranges)


def _executives(value: object) -> tuple[Executive, ...]:
    executives: list[Executive] = []
    seen: set[str] = set()
    for index, item in enumerate(_F.list(value, "executives")):
        path = f"executives[{index}]"
        obj = _F.object(item, path)
        executive_id = _F.string(_F.required(obj, "id", path), f"{path}.id", non_empty=True)
        _unique(seen, executive_id, f"{path}.id")
        languages = _F.strings(_F.required(obj, "languages", path), f"{path}.languages")
        rotations = _count(_F.required(obj, "rotations", path), f"{path}.rotations")
        unavailable = obj.get("unavailable")
        preferences = obj.get("preferences")
        sites: Mapping[str, int] = _EMPTY
        topics: Mapping[str, int] = _EMPTY
        if preferences is not None:
            prefs = _F.object(preferences, f"{path}.preferences")
            if prefs.get("sites") is not None:
                sites = _weights(prefs["sites"], f"{path}.preferences.sites")
            if prefs.get("topics") is not None:
                topics = _weights(prefs["topics"], f"{path}.preferences.topics")
        executives.append(
            Executive(
                id=executive_id,
                languages=languages,
                rotations=rotations,
                unavailable=()
                if unavailable is None
                else _unavailable(unavailable, f"{path}.unavailable"),
                site_weights=sites,
                topic_weights=topics,
            )
        )
    return tuple(executives)


def _rotation_ref(item: object, path: str) -> RotationRef:
    obj = _F.object(item, path)
    return RotationRef(
        executive=_F.string(_F.required(obj, "executive", path), f"{path}.executive"),
        slots=_F.strings(_F.required(obj, "slots", path), f"{path}.slots"),
    )


def _check_fixed(
    ref: RotationRef,
    path: str,
    *,
    rules: Rules,
    horizon: Horizon,
    slot_by_id: Mapping[str, Slot],
    executive_ids: set[str],
) -> None:
    """A fixed entry must name known ids and be one rotation inside the horizon."""
    if ref.executive not in executive_ids:
        raise _F.fail(f"{path}.executive", f"unknown executive {ref.executive!r}")
    for index, slot_id in enumerate(ref.slots):
        if slot_id not in slot_by_id:
            raise _F.fail(f"{path}.slots[{index}]", f"unknown slot {slot_id!r}")
    if len(ref.slots) != len(rules.rotation):
        raise _F.fail(
            f"{path}.slots",
            f"a rotation has {len(rules.rotation)} slot(s), one per day (got {len(ref.slots)})",
        )
    first = slot_by_id[ref.slots[0]]
    for index, slot_id in enumerate(ref.slots):
        slot = slot_by_id[slot_id]
        slot_path = f"{path}.slots[{index}]"
        if slot.team != first.team:
            raise _F.fail(
                slot_path,
                f"slot {slot_id!r} is at team {slot.team!r}, not {first.team!r}: "
                "a rotation stays at one team",
            )
        expected = first.date + timedelta(days=index)
        if slot.date != expected:
            raise _F.fail(
                slot_path,
                f"slot {slot_id!r} is dated {slot.date}, expected {expected}: "
                "a rotation takes consecutive days in order",
            )
        if slot.kind != rules.rotation[index]:
            raise _F.fail(
                slot_path,
                f"slot {slot_id!r} has kind {slot.kind!r}, "
                f"expected {rules.rotation[index]!r} (rules.rotation[{index}])",
            )
        if slot.date not in horizon:
            raise _F.fail(
                slot_path,
                f"slot {slot_id!r} is dated {slot.date}, "
                f"outside the horizon {horizon.start}..{horizon.end}",
            )


def parse_problem(data: object) -> Problem:
    """Build a `Problem` from decoded JSON; raise `ProblemError` naming the bad field."""
    if not isinstance(data, Mapping):
        raise ProblemError(f"problem: must be a JSON object (got {got(data)})")
    fmt = _F.required(data, "format", "")
    if fmt != FORMAT:
        raise _F.fail("format", f"must be {FORMAT!r} (got {got(fmt)})")
    horizon = _horizon(_F.required(data, "horizon", ""))
    rules = _rules(_F.required(data, "rules", ""))
    teams = _teams(_F.required(data, "teams", ""))
    slots = _slots(_F.required(data, "slots", ""), {team.id for team in teams})
    executives = _executives(_F.required(data, "executives", ""))
    slot_by_id = {slot.id: slot for slot in slots}
    executive_ids = {executive.id for executive in executives}

    def optional_list(key: str) -> list[Any]:
        value = data.get(key)
        return [] if value is None else _F.list(value, key)

    fixed: list[RotationRef] = []
    for index, item in enumerate(optional_list("fixed")):
        path = f"fixed[{index}]"
        ref = _rotation_ref(item, path)
        _check_fixed(
            ref,
            path,
            rules=rules,
            horizon=horizon,
            slot_by_id=slot_by_id,
            executive_ids=executive_ids,
        )
        fixed.append(ref)

    warnings: list[str] = []

    def known(path: str, executive: str, slot_ids: tuple[str, ...]) -> bool:
        if executive not in executive_ids:
            warnings.append(f"{path}: unknown executive {executive!r}, ignored")
            return False
        unknown = [slot_id for slot_id in slot_ids if slot_id not in slot_by_id]
        if unknown:
            warnings.append(f"{path}: unknown slot {unknown[0]!r}, ignored")
            return False
        return True

    forbidden: list[ForbiddenPair] = []
    for index, item in enumerate(optional_list("forbidden")):
        path = f"forbidden[{index}]"
        obj = _F.object(item, path)
        pair = ForbiddenPair(
            executive=_F.string(_F.required(obj, "executive", path), f"{path}.executive"),
            slot=_F.string(_F.required(obj, "slot", path), f"{path}.slot"),
        )
        if known(path, pair.executive, (pair.slot,)):
            forbidden.append(pair)

    previous: list[RotationRef] = []
    for index, item in enumerate(optional_list("previous")):
        path = f"previous[{index}]"
        ref = _rotation_ref(item, path)
        if known(path, ref.executive, ref.slots):
            previous.append(ref)

    return Problem(
        horizon=horizon,
        rules=rules,
        teams=teams,
        slots=slots,
        executives=executives,
        fixed=tuple(fixed),
        forbidden=tuple(forbidden),
        previous=tuple(previous),
        warnings=tuple(warnings),
    )


def load_problem(path: str | Path) -> Problem:
    """Read and parse a problem file; unreadable or invalid JSON raises `ProblemError` too."""
    return parse_problem(_F.read_file(path))


# --- writing ------------------------------------------------------------------------------


def _rotation_ref_json(ref: RotationRef) -> dict[str, Any]:
    return {"executive": ref.executive, "slots": list(ref.slots)}


def problem_to_json(problem: Problem) -> dict[str, Any]:
    """The problem as a JSON-ready dict that `parse_problem` reads back unchanged."""
    return {
        "format": FORMAT,
        "horizon": {
            "start": problem.horizon.start.isoformat(),
            "end": problem.horizon.end.isoformat(),
        },
        "rules": {
            "rotation": list(problem.rules.rotation),
            "min_days_between_rotations": problem.rules.min_days_between_rotations,
            "max_executives_per_team_per_day": problem.rules.max_executives_per_team_per_day,
        },
        "teams": [
            {
                "id": team.id,
                "site": team.site,
                "timezone": team.timezone,
                "languages": list(team.languages),
                "topics": list(team.topics),
            }
            for team in problem.teams
        ],
        "slots": [
            {
                "id": slot.id,
                "team": slot.team,
                "date": slot.date.isoformat(),
                "start": slot.start,
                "end": slot.end,
                "kind": slot.kind,
                "capacity": slot.capacity,
            }
            for slot in problem.slots
        ],
        "executives": [
            {
                "id": executive.id,
                "languages": list(executive.languages),
                "rotations": executive.rotations,
                "unavailable": [
                    [first.isoformat(), last.isoformat()] for first, last in executive.unavailable
                ],
                "preferences": {
                    "sites": dict(executive.site_weights),
                    "topics": dict(executive.topic_weights),
                },
            }
            for executive in problem.executives
        ],
        "fixed": [_rotation_ref_json(ref) for ref in problem.fixed],
        "forbidden": [
            {"executive": pair.executive, "slot": pair.slot} for pair in problem.forbidden
        ],
        "previous": [_rotation_ref_json(ref) for ref in problem.previous],
    }
