"""Reading planning problems: the spec's fields, unknown fields ignored, malformed files refused."""

from __future__ import annotations

import copy
import json
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from rotation.planning.problem import (
    ProblemError,
    load_problem,
    parse_problem,
    problem_to_json,
)

EXAMPLES = Path(__file__).resolve().parent / "examples"
ROOT = Path(__file__).resolve().parents[2]


def _slots(team: str, days: range) -> list[dict]:
    return [
        {
            "id": f"{team}-{day}-{kind[0]}",
            "team": team,
            "date": f"2027-01-{day:02d}",
            "start": "09:00" if kind == "shadowing" else "13:30",
            "end": "13:00" if kind == "shadowing" else "17:30",
            "kind": kind,
            "capacity": 1,
        }
        for day in days
        for kind in ("shadowing", "headset")
    ]


def valid() -> dict:
    """A small valid problem using every field; slots of lej on the 8th lie outside the horizon."""
    return {
        "format": "rotation-problem/1",
        "horizon": {"start": "2027-01-04", "end": "2027-01-07"},
        "rules": {
            "rotation": ["shadowing", "headset"],
            "min_days_between_rotations": 30,
            "max_executives_per_team_per_day": 1,
        },
        "teams": [
            {
                "id": "lej",
                "site": "Leipzig",
                "timezone": "Europe/Berlin",
                "languages": ["de"],
                "topics": ["billing"],
            },
            {
                "id": "vie",
                "site": "Wien",
                "timezone": "Europe/Vienna",
                "languages": ["en"],
                "topics": [],
            },
        ],
        "slots": _slots("lej", range(4, 9)) + _slots("vie", range(4, 8)),
        "executives": [
            {
                "id": "cfo",
                "languages": ["de"],
                "rotations": 1,
                "unavailable": [["2027-01-01", "2027-01-04"]],
                "preferences": {"sites": {"Leipzig": 3}, "topics": {"billing": -2}},
            },
            {"id": "cto", "languages": ["en"], "rotations": 2},
        ],
        "fixed": [{"executive": "cfo", "slots": ["lej-5-s", "lej-6-h"]}],
        "forbidden": [{"executive": "cto", "slot": "vie-4-s"}],
        "previous": [{"executive": "cto", "slots": ["vie-5-s", "vie-6-h"]}],
    }


def test_the_spec_examples_parse():
    tiny = load_problem(EXAMPLES / "tiny.problem.json")
    infeasible = load_problem(EXAMPLES / "infeasible.problem.json")
    assert len(tiny.slots) == 16
    assert tiny.rules.rotation == ("shadowing", "headset")
    assert tiny.executive_by_id["cfo"].unavailable == ((date(2027, 1, 4), date(2027, 1, 4)),)
    assert tiny.executive_by_id["cfo"].site_weights == {"Leipzig": 3}
    assert tiny.executive_by_id["coo"].topic_weights == {}
    assert len(tiny.previous) == 2
    assert len(infeasible.fixed) == 2
    assert tiny.warnings == infeasible.warnings == ()


def test_a_problem_survives_writing_and_reading_back():
    for name in ("tiny", "infeasible"):
        problem = load_problem(EXAMPLES / f"{name}.problem.json")
        assert parse_problem(json.loads(json.dumps(problem_to_json(problem)))) == problem
    problem = parse_problem(valid())
    assert parse_problem(problem_to_json(problem)) == problem


def test_optional_fields_may_be_absent_or_null():
    data = valid()
    for key in ("fixed", "forbidden", "previous"):
        del data[key]
    del data["executives"][0]["unavailable"]
    del data["executives"][0]["preferences"]["topics"]
    data["executives"][1]["preferences"] = {}
    data["rules"]["min_days_between_rotations"] = None
    del data["rules"]["max_executives_per_team_per_day"]
    problem = parse_problem(data)
    assert problem.fixed == problem.forbidden == problem.previous == ()
    assert problem.executive_by_id["cfo"].unavailable == ()
    assert problem.executive_by_id["cfo"].topic_weights == {}
    assert problem.rules.min_days_between_rotations is None
    assert problem.rules.max_executives_per_team_per_day is None


def test_unknown_fields_are_ignored_at_every_level():
    data = valid()
    extra = {"x-note": {"anything": [1, 2]}}
    data.update(extra)
    for obj in (
        data["horizon"],
        data["rules"],
        *data["teams"],
        *data["slots"],
        *data["executives"],
        data["executives"][0]["preferences"],
        *data["fixed"],
        *data["forbidden"],
        *data["previous"],
    ):
        obj.update(extra)
    assert parse_problem(data) == parse_problem(valid())


def test_unknown_ids_in_forbidden_and_previous_are_dropped_with_a_warning():
    data = valid()
    data["forbidden"] += [
        {"executive": "ghost", "slot": "vie-4-s"},
        {"executive": "cto", "slot": "deleted-slot"},
    ]
    data["previous"] += [
        {"executive": "cto", "slots": ["vie-5-s", "deleted-slot"]},
        {"executive": "ghost", "slots": ["vie-5-s", "vie-6-h"]},
    ]
    problem = parse_problem(data)
    assert [pair.executive for pair in problem.forbidden] == ["cto"]
    assert len(problem.previous) == 1
    assert problem.warnings == (
        "forbidden[1]: unknown executive 'ghost', ignored",
        "forbidden[2]: unknown slot 'deleted-slot', ignored",
        "previous[1]: unknown slot 'deleted-slot', ignored",
        "previous[2]: unknown executive 'ghost', ignored",
    )


def test_a_known_problem_has_no_warnings():
    assert parse_problem(valid()).warnings == ()


def test_bool_weights_are_refused_and_negative_weights_kept():
    data = valid()
    assert parse_problem(data).executive_by_id["cfo"].topic_weights == {"billing": -2}
    data["executives"][0]["preferences"]["sites"]["Leipzig"] = True
    with pytest.raises(ProblemError, match=r"^executives\[0\]\.preferences\.sites\.Leipzig: "):
        parse_problem(data)


DELETE = object()


def _change(data: dict, path: tuple, value: object) -> dict:
    data = copy.deepcopy(data)
    target = data
    for key in path[:-1]:
        target = target[key]
    if value is DELETE:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    return data


def _path_text(path: tuple) -> str:
    text = ""
    for key in path:
        text += f"[{key}]" if isinstance(key, int) else (f".{key}" if text else key)
    return text


REQUIRED = [
    ("format",),
    ("horizon",),
    ("horizon", "start"),
    ("horizon", "end"),
    ("rules",),
    ("rules", "rotation"),
    ("teams",),
    *[("teams", 1, key) for key in ("id", "site", "timezone", "languages", "topics")],
    ("slots",),
    *[("slots", 2, key) for key in ("id", "team", "date", "start", "end", "kind", "capacity")],
    ("executives",),
    *[("executives", 1, key) for key in ("id", "languages", "rotations")],
    ("fixed", 0, "executive"),
    ("fixed", 0, "slots"),
    ("forbidden", 0, "executive"),
    ("forbidden", 0, "slot"),
    ("previous", 0, "executive"),
    ("previous", 0, "slots"),
]


@pytest.mark.parametrize("path", REQUIRED, ids=_path_text)
def test_a_missing_required_field_is_named(path):
    with pytest.raises(ProblemError) as err:
        parse_problem(_change(valid(), path, DELETE))
    assert str(err.value) == f"{_path_text(path)}: required"


# (path changed, new value, field named in the message, words in the message)
MALFORMED = [
    (("format",), "rotation-problem/2", "format", "rotation-problem/1"),
    (("horizon", "start"), "2027-02-30", "horizon.start", "calendar date"),
    (("horizon", "start"), "2027-1-4", "horizon.start", "YYYY-MM-DD"),
    (("horizon", "end"), 20270107, "horizon.end", "calendar date"),
    (("horizon", "end"), "2027-01-03", "horizon", "before start"),
    (("rules", "rotation"), [], "rules.rotation", "at least one"),
    (("rules", "rotation"), ["shadowing", 2], "rules.rotation[1]", "string"),
    (("rules", "rotation"), "shadowing", "rules.rotation", "list"),
    (("rules", "min_days_between_rotations"), -1, "rules.min_days_between_rotations", ">= 0"),
    (
        ("rules", "max_executives_per_team_per_day"),
        True,
        "rules.max_executives_per_team_per_day",
        "integer",
    ),
    (
        ("rules", "max_executives_per_team_per_day"),
        1.5,
        "rules.max_executives_per_team_per_day",
        "integer",
    ),
    (("teams",), {"lej": {}}, "teams", "list"),
    (("teams", 1, "id"), "lej", "teams[1].id", "duplicate id 'lej'"),
    (("teams", 1, "id"), "", "teams[1].id", "empty"),
    (("teams", 1, "languages"), "en", "teams[1].languages", "list"),
    (("teams", 0), "lej", "teams[0]", "object"),
    (("slots", 2, "capacity"), -1, "slots[2].capacity", "integer >= 0 (got -1)"),
    (("slots", 2, "capacity"), True, "slots[2].capacity", "integer >= 0 (got true)"),
    (("slots", 2, "capacity"), "2", "slots[2].capacity", 'got "2"'),
    (("slots", 2, "team"), "ber", "slots[2].team", "unknown team 'ber'"),
    (("slots", 3, "id"), "lej-4-s", "slots[3].id", "duplicate id"),
    (("slots", 2, "date"), "2027-13-01", "slots[2].date", "calendar date"),
    (("slots", 2, "start"), "24:00", "slots[2].start", "00:00 to 23:59"),
    (("slots", 2, "end"), "9:00", "slots[2].end", "HH:MM"),
    (("slots", 2, "end"), "12:60", "slots[2].end", "HH:MM"),
    (("slots", 2, "kind"), None, "slots[2].kind", "string"),
    (("executives", 1, "id"), "cfo", "executives[1].id", "duplicate id 'cfo'"),
    (("executives", 1, "rotations"), "2", "executives[1].rotations", "integer >= 0"),
    (("executives", 1, "rotations"), False, "executives[1].rotations", "integer >= 0"),
    (("executives", 1, "rotations"), -3, "executives[1].rotations", "integer >= 0"),
    (("executives", 1, "languages"), [None], "executives[1].languages[0]", "string"),
    (
        ("executives", 0, "unavailable", 0),
        ["2027-02-01", "2027-01-01"],
        "executives[0].unavailable[0]",
        "last 2027-01-01 is before first 2027-02-01",
    ),
    (("executives", 0, "unavailable", 0), ["2027-02-01"], "executives[0].unavailable[0]", "pair"),
    (
        ("executives", 0, "unavailable", 0),
        ["2027-02-01", "soon"],
        "executives[0].unavailable[0][1]",
        "calendar date",
    ),
    (
        ("executives", 0, "preferences", "sites"),
        ["Leipzig"],
        "executives[0].preferences.sites",
        "object",
    ),
    (
        ("executives", 0, "preferences", "topics", "billing"),
        1.5,
        "executives[0].preferences.topics.billing",
        "integer",
    ),
    (("fixed",), {}, "fixed", "list"),
    (("fixed", 0, "executive"), "ghost", "fixed[0].executive", "unknown executive 'ghost'"),
    (("fixed", 0, "slots", 1), "nope", "fixed[0].slots[1]", "unknown slot 'nope'"),
    (("fixed", 0, "slots"), ["lej-5-s"], "fixed[0].slots", "2 slot(s)"),
    (("fixed", 0, "slots"), ["lej-5-s", "lej-6-h", "lej-7-s"], "fixed[0].slots", "2 slot(s)"),
    (("fixed", 0, "slots"), ["lej-5-s", "vie-6-h"], "fixed[0].slots[1]", "one team"),
    (("fixed", 0, "slots"), ["lej-5-s", "lej-7-h"], "fixed[0].slots[1]", "consecutive"),
    (("fixed", 0, "slots"), ["lej-5-s", "lej-6-s"], "fixed[0].slots[1]", "rules.rotation[1]"),
    (("fixed", 0, "slots"), ["lej-5-h", "lej-6-h"], "fixed[0].slots[0]", "rules.rotation[0]"),
    (("fixed", 0, "slots"), ["lej-7-s", "lej-8-h"], "fixed[0].slots[1]", "outside the horizon"),
    (("forbidden", 0, "slot"), 7, "forbidden[0].slot", "string"),
    (("previous", 0, "slots"), "vie-5-s", "previous[0].slots", "list"),
]


@pytest.mark.parametrize(
    ("path", "value", "field", "words"),
    MALFORMED,
    ids=[f"{row[2]}={json.dumps(row[1])}" for row in MALFORMED],
)
def test_a_malformed_field_is_refused_in_one_line_naming_it(path, value, field, words):
    with pytest.raises(ProblemError) as err:
        parse_problem(_change(valid(), path, value))
    message = str(err.value)
    assert message.startswith(f"{field}: ")
    assert words in message
    assert "\n" not in message


@pytest.mark.parametrize("data", [[], "problem", None, 3])
def test_a_problem_that_is_not_an_object_is_refused(data):
    with pytest.raises(ProblemError, match=r"^problem: must be a JSON object"):
        parse_problem(data)


def _solve(problem_file: Path, plan_file: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "rotation.planning",
            "solve",
            str(problem_file),
            "--out",
            str(plan_file),
            "--time-limit",
            "5",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )


# A representative handful through the real command; the table above covers the rest.
CLI_ROWS = [
    ("capacity", _change(valid(), ("slots", 2, "capacity"), -1), "slots[2].capacity"),
    ("unknown-team", _change(valid(), ("slots", 2, "team"), "ber"), "slots[2].team"),
    ("bad-time", _change(valid(), ("slots", 2, "start"), "24:00"), "slots[2].start"),
    (
        "missing",
        _change(valid(), ("executives", 1, "rotations"), DELETE),
        "executives[1].rotations",
    ),
    ("fixed", _change(valid(), ("fixed", 0, "slots"), ["lej-7-s", "lej-8-h"]), "fixed[0].slots[1]"),
    ("not-an-object", ["rotation-problem/1"], "problem"),
]


@pytest.mark.parametrize(
    ("data", "field"), [row[1:] for row in CLI_ROWS], ids=[row[0] for row in CLI_ROWS]
)
def test_solve_refuses_a_malformed_problem_without_writing_a_plan(tmp_path, data, field):
    problem_file, plan_file = tmp_path / "problem.json", tmp_path / "plan.json"
    problem_file.write_text(json.dumps(data))
    result = _solve(problem_file, plan_file)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith(f"error: {field}: ")
    assert list(tmp_path.iterdir()) == [problem_file]


def test_solve_refuses_a_file_that_is_not_json(tmp_path):
    problem_file, plan_file = tmp_path / "problem.json", tmp_path / "plan.json"
    problem_file.write_text('{"format": "rotation-problem/1",')
    result = _solve(problem_file, plan_file)
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        f"error: {problem_file}: not valid JSON (Expecting property name enclosed in double "
        "quotes at line 1 column 33)"
    ]
    assert not plan_file.exists()


def test_solve_refuses_an_unreadable_file(tmp_path):
    missing, plan_file = tmp_path / "missing.json", tmp_path / "plan.json"
    result = _solve(missing, plan_file)
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        f"error: {missing}: cannot read the file (No such file or directory)"
    ]
    assert not plan_file.exists()


def test_solve_refuses_invalid_arguments_with_exit_code_2(tmp_path):
    problem_file = tmp_path / "problem.json"
    problem_file.write_text(json.dumps(valid()))
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "rotation.planning",
            "solve",
            str(problem_file),
            "--out",
            str(tmp_path / "plan.json"),
            "--workers",
            "0",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2
    assert "--workers" in result.stderr
    assert not (tmp_path / "plan.json").exists()
