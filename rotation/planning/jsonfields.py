"""Typed reading of decoded JSON with errors naming the field, for problem.py and plan.py.

Each file format has its own error class; a `Fields` reader raises it with one line
``<field path>: <what is wrong> (got <value>)``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any


def got(value: object) -> str:
    """A value as it reads in the file, cut short to keep the message on one line."""
    try:
        text = json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError):
        text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def is_int(value: object) -> bool:
    """JSON integers only: true and false are not numbers here, 2.0 is not an integer."""
    return isinstance(value, int) and not isinstance(value, bool)


class Fields:
    """Readers of one format's fields, raising `error` (a ValueError subclass)."""

    def __init__(self, error: type[ValueError]) -> None:
        self.error = error

    def fail(self, path: str, message: str) -> ValueError:
        return self.error(f"{path}: {message}")

    def object(self, value: object, path: str) -> Mapping[str, Any]:
        if not isinstance(value, Mapping):
            raise self.fail(path, f"must be an object (got {got(value)})")
        return value

    def required(self, obj: Mapping[str, Any], key: str, path: str) -> Any:
        if key not in obj:
            raise self.fail(join(path, key), "required")
        return obj[key]

    def list(self, value: object, path: str) -> list[Any]:
        if not isinstance(value, list):
            raise self.fail(path, f"must be a list (got {got(value)})")
        return value

    def string(self, value: object, path: str, *, non_empty: bool = False) -> str:
        if not isinstance(value, str):
            raise self.fail(path, f"must be a string (got {got(value)})")
        if non_empty and not value:
            raise self.fail(path, "must not be empty")
        return value

    def strings(self, value: object, path: str) -> tuple[str, ...]:
        return tuple(
            self.string(item, f"{path}[{index}]")
            for index, item in enumerate(self.list(value, path))
        )

    def integer(self, value: object, path: str) -> int:
        if not is_int(value):
            raise self.fail(path, f"must be an integer (got {got(value)})")
        return value  # type: ignore[return-value]

    def read_file(self, path: str | Path, error: type[ValueError] | None = None) -> object:
        """Decoded JSON of a file; unreadable or invalid JSON raises `error` (default: ours)."""
        error = error or self.error
        try:
            text = Path(path).read_text(encoding="utf-8")
        except OSError as err:
            raise error(f"{path}: cannot read the file ({err.strerror or err})") from err
        except UnicodeDecodeError as err:
            raise error(f"{path}: not UTF-8 text ({err.reason})") from err
        try:
            return json.loads(text)
        except json.JSONDecodeError as err:
            raise error(
                f"{path}: not valid JSON ({err.msg} at line {err.lineno} column {err.colno})"
            ) from err
        except RecursionError as err:
            raise error(f"{path}: not valid JSON (nested too deeply)") from err
