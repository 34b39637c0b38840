"""The planner is pure: importing any of its modules loads nothing of the web or the database."""

from __future__ import annotations

import json
import pkgutil
import subprocess
import sys
from pathlib import Path

import rotation.planning

ROOT = Path(__file__).resolve().parents[2]
FORBIDDEN = (
    "flask",
    "werkzeug",
    "jinja2",
    "sqlmodel",
    "sqlalchemy",
    "alembic",
    "icalendar",
    "rotation.models",
    "rotation.services",
    "rotation.views",
    "rotation.db",
)


def test_the_planning_modules_import_nothing_of_the_web_or_the_database():
    modules = ["rotation.planning"] + [
        f"rotation.planning.{info.name}"
        for info in pkgutil.iter_modules(rotation.planning.__path__)
    ]
    code = (
        "import importlib, json, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "print(json.dumps(sorted(sys.modules)))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    loaded = json.loads(result.stdout)
    assert "rotation.planning.validate" in loaded
    offending = [
        name
        for name in loaded
        if any(name == banned or name.startswith(f"{banned}.") for banned in FORBIDDEN)
    ]
    assert offending == []
