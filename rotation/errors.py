"""Domain errors: a translated message, an HTTP status and maybe a form field.

Standard library only; the message is translated where the error is raised.
"""

from __future__ import annotations


class DomainError(Exception):
    status = 400

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class NotFound(DomainError):
    status = 404


class NotAllowed(DomainError):
    status = 403


class Invalid(DomainError):
    status = 400


class Conflict(DomainError):
    """Someone else changed the row first, or a unique rule would break."""

    status = 409


class ImportRejected(DomainError):
    """A file import with bad rows; nothing was imported."""

    status = 400

    def __init__(self, message: str, *, problems: list[tuple[int, str]]) -> None:
        super().__init__(message)
        self.problems = problems
