"""Fixtures: a fresh database per test on SQLite and PostgreSQL, app, client, builders."""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from datetime import date, time, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlmodel import Session

from rotation import migrate

PG_ADMIN_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
PASSWORD = "correct horse battery"
IN_CI = os.environ.get("CI", "").lower() == "true"


def _postgres_answers() -> bool:
    try:
        engine = sa.create_engine(PG_ADMIN_URL, connect_args={"connect_timeout": 3})
        with engine.connect():
            pass
        engine.dispose()
        return True
    except Exception:
        return False


def _pg_url(name: str) -> str:
    return PG_ADMIN_URL.rsplit("/", 1)[0] + "/" + name


def _pg_execute(sql: str) -> None:
    engine = sa.create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(sa.text(sql))
    engine.dispose()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory) -> Path:
    """A SQLite file migrated to head once; each test copies it."""
    path = tmp_path_factory.mktemp("template") / "template.db"
    migrate.upgrade(f"sqlite:///{path}")
    return path


@pytest.fixture(scope="session")
def postgres_template() -> Iterator[str | None]:
    """A PostgreSQL database migrated to head once; each test clones it."""
    if not _postgres_answers():
        if IN_CI:
            pytest.fail("PostgreSQL must answer at 127.0.0.1:5432 when CI=true")
        yield None
        return
    name = f"headset_tpl_{uuid.uuid4().hex[:10]}"
    _pg_execute(f'CREATE DATABASE "{name}"')
    migrate.upgrade(_pg_url(name))
    yield name
    _pg_execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path) -> Iterator[str]:
    """A fresh, migrated database for one test, on each backend."""
    if request.param == "sqlite":
        template = request.getfixturevalue("sqlite_template")
        path = tmp_path / "headset.db"
        shutil.copyfile(template, path)
        yield f"sqlite:///{path}"
        return
    template = request.getfixturevalue("postgres_template")
    if template is None:
        pytest.skip("PostgreSQL does not answer at 127.0.0.1:5432")
    name = f"headset_t_{uuid.uuid4().hex[:12]}"
    _pg_execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    yield _pg_url(name)
    _pg_execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def app_settings(database_url: str, tmp_path: Path, **extra) -> dict:
    return {
        "TESTING": True,
        "DATABASE_URL": database_url,
        "WTF_CSRF_ENABLED": False,
        "ARGON2_TIME_COST": 1,
        "ARGON2_MEMORY_KIB": 64,
        "SERVER_NAME": None,
        **extra,
    }


@pytest.fixture
def app_config(database_url, tmp_path) -> dict:
    return app_settings(database_url, tmp_path)


@pytest.fixture
def app(app_config, monkeypatch, tmp_path):
    monkeypatch.setenv("HEADSET_INSTANCE", str(tmp_path / "instance"))
    from app import create_app
    from rotation.limits import limiter

    application = create_app(app_config)
    limiter.reset()
    yield application
    application.extensions["engine"].dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def session(app) -> Iterator[Session]:
    # No app context stays pushed: requests of the test client must get their own g.
    with Session(app.extensions["engine"], expire_on_commit=False) as db:
        yield db


@pytest.fixture
def login(client):
    """Sign a user in through the real sign-in form."""

    def sign_in(user, password: str = PASSWORD):
        response = client.post("/sign-in", data={"email": user.email, "password": password})
        assert response.status_code == 302, response.get_data(as_text=True)
        return user

    return sign_in


# Builders: each adds a valid row with sensible defaults, commits, and returns it.


@pytest.fixture
def make_user(session):
    from rotation.models import Role
    from rotation.services import accounts

    def build(
        *, roles=frozenset({Role.EXECUTIVE}), email=None, name="Test User", password=PASSWORD
    ):
        user = accounts.create_user(
            session=session,
            actor=None,
            email=email or f"u{uuid.uuid4().hex[:8]}@example.com",
            name=name,
            password=password,
            roles=set(roles),
        )
        session.commit()
        return user

    return build


@pytest.fixture
def make_site(session):
    from rotation.services import sites

    def build(*, name=None, timezone="Europe/Berlin", holiday_region="DE-SN", address=""):
        site = sites.create_site(
            session=session,
            actor=None,
            data=sites.SiteData(
                name=name or f"Site {uuid.uuid4().hex[:6]}",
                timezone=timezone,
                address=address,
                holiday_region=holiday_region,
            ),
        )
        session.commit()
        return site

    return build


@pytest.fixture
def make_team(session, make_site):
    from rotation.services import sites

    def build(*, site=None, name=None, topics=("billing",), languages=("de",), leads=()):
        site = site or make_site()
        team = sites.create_team(
            session=session,
            actor=None,
            data=sites.TeamData(
                site_id=site.id,
                name=name or f"Team {uuid.uuid4().hex[:6]}",
                topics=list(topics),
                languages=list(languages),
                lead_ids=[lead.id for lead in leads],
            ),
        )
        session.commit()
        return team

    return build


@pytest.fixture
def make_executive(session, make_user):
    from rotation.models import Role
    from rotation.services import accounts

    def build(
        *,
        user=None,
        languages=("de", "en"),
        rotations_required=1,
        title="CFO",
        department="Finance",
        home_site=None,
    ):
        user = user or make_user(roles={Role.EXECUTIVE})
        from rotation.models import Executive

        executive = Executive(
            user_id=user.id,
            title=title,
            department=department,
            languages=list(languages),
            rotations_required=rotations_required,
            home_site_id=home_site.id if home_site else None,
        )
        session.add(executive)
        session.commit()
        assert accounts.get_executive(session, executive.id) is executive
        return executive

    return build


@pytest.fixture
def make_slot(session, make_team):
    from rotation.models import Slot

    def build(
        *,
        team=None,
        day=None,
        kind="shadowing",
        start=time(9),
        end=time(13),
        capacity=2,
        taken=0,
        is_open=True,
    ):
        team = team or make_team()
        slot = Slot(
            team_id=team.id,
            day=day or date.today() + timedelta(days=14),
            kind=kind,
            start_time=start,
            end_time=end,
            capacity=capacity,
            taken=taken,
            is_open=is_open,
        )
        session.add(slot)
        session.commit()
        return slot

    return build


@pytest.fixture
def make_booking(session, make_executive, make_team, make_slot):
    from rotation.models import Booking, BookingDay, BookingStatus

    def build(*, executive=None, team=None, status=BookingStatus.REQUESTED, first_day=None):
        executive = executive or make_executive()
        team = team or make_team()
        first_day = first_day or date.today() + timedelta(days=14)
        day1 = make_slot(team=team, day=first_day, kind="shadowing")
        day2 = make_slot(
            team=team,
            day=first_day + timedelta(days=1),
            kind="headset",
            start=time(13, 30),
            end=time(17, 30),
        )
        booking = Booking(executive_id=executive.id, team_id=team.id, status=status.value)
        booking.days = [
            BookingDay(day_index=0, slot_id=day1.id),
            BookingDay(day_index=1, slot_id=day2.id),
        ]
        session.add(booking)
        session.commit()
        return booking

    return build
