"""The layers keep to their places: planner and calendar code know nothing of Flask or the
database, services never reach for the request."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FORBIDDEN_IN_PURE = ("flask", "sqlmodel", "sqlalchemy", "werkzeug", "jinja2", "flask_login")


PURE_MODULES = [
    module
    for module in ("rotation.planning", "rotation.ical")
    if (ROOT / module.replace(".", "/")).is_dir()
    or (ROOT / (module.replace(".", "/") + ".py")).is_file()
]


@pytest.mark.parametrize("module", PURE_MODULES)
def test_pure_modules_import_nothing_of_the_web_or_the_database(module):
    # A package is imported with every module in it, not just its __init__.
    code = (
        f"import importlib, json, pkgutil, sys; import {module} as m\n"
        f"for info in pkgutil.iter_modules(getattr(m, '__path__', [])):\n"
        f"    importlib.import_module('{module}.' + info.name)\n"
        "print(json.dumps(sorted(m for m in sys.modules)))"
    )
    loaded = json.loads(
        subprocess.run(
            [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
        ).stdout
    )
    offending = [
        name
        for name in loaded
        if name.split(".")[0] in FORBIDDEN_IN_PURE
        or (name.startswith("rotation.") and not name.startswith(module))
        and name not in {"rotation"}
    ]
    assert offending == []


def _imported_names(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            module = "." * node.level + (node.module or "")
            names.update(f"{module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
    return names


def test_services_never_use_the_request_g_or_current_user():
    for path in sorted((ROOT / "rotation" / "services").glob("*.py")):
        names = _imported_names(path)
        banned = {
            name
            for name in names
            if name in {"flask.request", "flask.g", "flask.session", "flask_login.current_user"}
            or "views" in name.split(".")
        }
        assert banned == set(), f"{path.name} imports {banned}"


def test_forms_never_query_the_database():
    for path in sorted((ROOT / "rotation" / "forms").glob("*.py")):
        names = _imported_names(path)
        assert not any(
            name.startswith(("sqlmodel", "sqlalchemy"))
            or "services" in name.split(".")
            or "db" in name.split(".")
            for name in names
        ), f"{path.name} touches the database"


def test_models_import_neither_services_nor_views():
    for path in sorted((ROOT / "rotation" / "models").glob("*.py")):
        names = _imported_names(path)
        assert not any("services" in name or "views" in name for name in names), path.name
