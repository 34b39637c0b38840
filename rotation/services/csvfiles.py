"""Reading uploaded CSV files row by row, all or nothing."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterable
from typing import TypeVar

from ..errors import ImportRejected
from ..i18n import _, ngettext

T = TypeVar("T")

MAX_ROWS = 5000
LANGUAGE = re.compile(r"^[a-z]{2}$")


def read_rows(data: bytes, *, required: Iterable[str]) -> list[tuple[int, dict[str, str]]]:
    """Decode a CSV upload into (line number, row) pairs with trimmed values.

    Raises ImportRejected for an unreadable file or missing columns.
    """
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportRejected(
            _("The file is not UTF-8 text."), problems=[(1, _("not UTF-8 encoded"))]
        ) from None
    sample = text[:4096]
    delimiter = ";" if sample.count(";") > sample.count(",") else ","
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    header = [name.strip().lower() for name in (reader.fieldnames or [])]
    missing = [name for name in required if name not in header]
    if missing:
        raise ImportRejected(
            _("The file lacks required columns."),
            problems=[
                (
                    1,
                    ngettext(
                        "missing column: %(names)s",
                        "missing columns: %(names)s",
                        len(missing),
                        names=", ".join(missing),
                    ),
                )
            ],
        )
    reader.fieldnames = header
    rows = []
    for row in reader:
        if reader.line_num > MAX_ROWS + 1:
            raise ImportRejected(
                _("The file is too long."),
                problems=[(reader.line_num, _("more than %(n)d rows", n=MAX_ROWS))],
            )
        if None in row:
            rows.append((reader.line_num, {"__extra__": "1"}))
            continue
        cleaned = {key: (value or "").strip() for key, value in row.items()}
        if not any(cleaned.values()):
            continue
        rows.append((reader.line_num, cleaned))
    if not rows:
        raise ImportRejected(_("The file has no rows."), problems=[(1, _("no data rows"))])
    return rows


def parse_languages(value: str) -> list[str]:
    """'de, en' or 'de en' -> ['de', 'en']; raises ValueError naming a bad code."""
    codes = [code.lower() for code in re.split(r"[\s,;/]+", value) if code]
    for code in codes:
        if not LANGUAGE.match(code):
            raise ValueError(_("'%(code)s' is not a two-letter language code", code=code))
    if not codes:
        raise ValueError(_("at least one language is required"))
    return sorted(set(codes))


def import_all(
    rows: list[tuple[int, dict[str, str]]],
    handle: Callable[[int, dict[str, str]], T],
) -> list[T]:
    """Apply handle to every row; if any row fails, raise with every failure and line number.

    handle raises ValueError with a message; the caller rolls the transaction back.
    """
    problems: list[tuple[int, str]] = []
    results: list[T] = []
    for line, row in rows:
        if "__extra__" in row:
            problems.append((line, _("more values than columns")))
            continue
        try:
            results.append(handle(line, row))
        except ValueError as err:
            problems.append((line, str(err)))
    if problems:
        raise ImportRejected(
            ngettext(
                "Nothing was imported: %(num)d row has problems.",
                "Nothing was imported: %(num)d rows have problems.",
                len(problems),
            ),
            problems=problems,
        )
    return results
