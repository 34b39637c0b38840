"""The planner's reasons for a left-out executive, shown in the reader's language."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from rotation.planning.explain import explain_unassigned
from rotation.planning.problem import parse_problem
from rotation.services.plan_reasons import translate_reason

TINY = Path(__file__).resolve().parents[1] / "planning" / "examples" / "tiny.problem.json"

# Sentence shapes of rotation/planning/explain.py that the tiny example does not produce.
OTHER_SHAPES = [
    "no matching slot pairs in the horizon at the 2 team(s) sharing a language (speaks: de)",
    "the forbidden list excludes all 3 available matching slot pairs (4 forbidden slot(s))",
    "the 30-day spacing leaves room for only 1 rotation(s) in the horizon",
    "their available days leave room for only 2 non-overlapping rotation(s) in the horizon",
    "the remaining 5 matching slot pairs are needed for other executives' rotations "
    "(coverage and preference come first)",
    "the only matching slot pair is full (held by Anna Berg)",
    "all 14 matching slot pairs are full (held by Anna Berg and Jonas Weber)",
    "all 2 matching slot pairs are full (no places offered)",
    "3 matching slot pairs are still free, but the search stopped before placing them",
    "problem infeasible",
]


def _tiny_reasons() -> list[str]:
    problem = parse_problem(json.loads(TINY.read_text()))
    return [reason for entry in explain_unassigned(problem, ()) for reason in entry.reasons]


def _in(app, language: str, text: str) -> str:
    with app.test_request_context(headers={"Accept-Language": language}):
        return translate_reason(text)


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_the_planners_own_reasons_read_in_german(app):
    reasons = _tiny_reasons()
    assert reasons, "the tiny example leaves executives out"
    for reason in reasons:
        german = _in(app, "de", reason)
        assert german != reason
        assert "matching" not in german and "language" not in german


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
@pytest.mark.parametrize("reason", OTHER_SHAPES)
def test_every_reason_shape_reads_in_german_with_its_numbers_and_names(app, reason):
    german = _in(app, "de", reason)
    assert german != reason
    for token in reason.replace("(", " ").replace(")", " ").split():
        if token.isdigit() or token in {"Anna", "Berg", "Jonas", "Weber"}:
            assert token in german


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
@pytest.mark.parametrize("reason", OTHER_SHAPES)
def test_english_reasons_keep_their_words_and_lose_the_bracketed_plurals(app, reason):
    english = _in(app, "en", reason)
    assert "(s)" not in english
    assert english.split()[:2] == reason.split()[:2] or reason == "problem infeasible"


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_a_reason_of_unknown_shape_is_shown_as_it_is(app):
    assert _in(app, "de", "a reason a newer planner gives") == "a reason a newer planner gives"
