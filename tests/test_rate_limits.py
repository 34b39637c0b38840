"""Sign-in rate limits, in memory and in Redis."""

from __future__ import annotations

import os

import pytest

from .conftest import PASSWORD, app_settings


def _sign_in(client, email, password=PASSWORD):
    return client.post("/sign-in", data={"email": email, "password": password})


@pytest.fixture
def executive_user(make_user):
    from rotation.models import Role

    return make_user(roles={Role.EXECUTIVE}, email="erika@example.com", name="Erika")


@pytest.fixture
def app_config(database_url, tmp_path):
    return app_settings(
        database_url,
        tmp_path,
        SIGN_IN_LIMIT_PER_ACCOUNT="3 per minute",
        SIGN_IN_LIMIT_PER_ADDRESS="5 per minute",
    )


def test_sign_in_is_limited_per_account_with_a_clear_answer(client, executive_user):
    for _ in range(3):
        assert _sign_in(client, executive_user.email, "guess").status_code == 401
    response = _sign_in(client, executive_user.email, PASSWORD)
    assert response.status_code == 429
    assert b"Too many attempts" in response.data


def test_sign_in_is_limited_per_address_across_accounts(client):
    statuses = [_sign_in(client, f"nobody{n}@example.com", "guess").status_code for n in range(6)]
    assert statuses == [401] * 5 + [429]


def test_sign_in_limits_hold_in_redis_for_several_workers(database_url, tmp_path, monkeypatch):
    import redis

    try:
        redis.Redis.from_url("redis://127.0.0.1:6379/0").ping()
    except redis.ConnectionError:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("Redis must answer at 127.0.0.1:6379 when CI=true")
        pytest.skip("Redis does not answer at 127.0.0.1:6379")
    monkeypatch.setenv("HEADSET_INSTANCE", str(tmp_path / "instance"))
    from app import create_app
    from rotation.limits import limiter

    config = app_settings(
        database_url,
        tmp_path,
        SIGN_IN_LIMIT_PER_ACCOUNT="2 per minute",
        RATELIMIT_STORAGE_URI="redis://127.0.0.1:6379/0",
        RATELIMIT_KEY_PREFIX=f"test-{tmp_path.name}",
    )
    application = create_app(config)
    limiter.reset()
    client = application.test_client()
    email = "shared@example.com"
    assert [_sign_in(client, email, "guess").status_code for _ in range(3)] == [401, 401, 429]
    application.extensions["engine"].dispose()
