"""The CSV import pages' shared flow: upload, all or nothing, every bad row listed."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

from flask import render_template
from sqlmodel import Session

from ..db import get_session
from ..errors import DomainError, ImportRejected
from ..forms.imports import CsvUploadForm
from .util import show_error

T = TypeVar("T")


def upload_page(
    form: CsvUploadForm,
    *,
    title: str,
    columns: Sequence[str],
    back_url: str,
    problems: list[tuple[int, str]] | None = None,
    status: int | None = None,
):
    """The upload form, with the table of bad rows when an import was refused."""
    status = status or (400 if form.errors else 200)
    page = render_template(
        "imports/upload.html",
        form=form,
        title=title,
        columns=columns,
        back_url=back_url,
        problems=problems or [],
    )
    return page, status


def run_import(
    form: CsvUploadForm,
    importer: Callable[[Session, bytes], list[T]],
    **page_args,
) -> tuple[list[T] | None, object]:
    """Import the uploaded file and commit; on any problem roll back and return the page.

    Returns (results, None) after a commit, or (None, response) when nothing was imported.
    """
    db = get_session()
    try:
        results = importer(db, form.file.data.read())
    except ImportRejected as err:
        db.rollback()
        form.form_errors.append(err.message)
        return None, upload_page(form, problems=err.problems, status=err.status, **page_args)
    except DomainError as err:
        db.rollback()
        show_error(form, err)
        return None, upload_page(form, status=err.status, **page_args)
    db.commit()
    return results, None
