"""Fixtures for the page tests: signed-in people and uploads."""

from __future__ import annotations

import io

import pytest

from rotation.models import Role

from ..conftest import PASSWORD


@pytest.fixture
def manager(make_user, login):
    """A program manager, signed in on the default client."""
    return login(make_user(roles={Role.PROGRAM_MANAGER}, name="Pia Manager"))


@pytest.fixture
def signed_in_client(app):
    """Another browser: a fresh test client signed in as user."""

    def sign_in(user, password: str = PASSWORD):
        other = app.test_client()
        response = other.post("/sign-in", data={"email": user.email, "password": password})
        assert response.status_code == 302
        return other

    return sign_in


def csv_file(text: str, filename: str = "rows.csv") -> dict:
    """Form data for the CSV upload field."""
    return {"file": (io.BytesIO(text.encode("utf-8")), filename)}
