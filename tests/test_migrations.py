"""Migrations reach the models' schema on both databases and go back to nothing."""

from __future__ import annotations

import uuid

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlmodel import SQLModel

import rotation.models  # noqa: F401
from rotation import migrate

from .conftest import IN_CI, _pg_execute, _pg_url, _postgres_answers


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_database(request, tmp_path):
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'empty.db'}"
        return
    if not _postgres_answers():
        if IN_CI:
            pytest.fail("PostgreSQL must answer when CI=true")
        pytest.skip("PostgreSQL does not answer at 127.0.0.1:5432")
    name = f"headset_m_{uuid.uuid4().hex[:12]}"
    _pg_execute(f'CREATE DATABASE "{name}"')
    yield _pg_url(name)
    _pg_execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _differences(url: str) -> list:
    engine = sa.create_engine(url)
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        diff = compare_metadata(context, SQLModel.metadata)
    engine.dispose()
    return diff


def _tables(url: str) -> set[str]:
    engine = sa.create_engine(url)
    names = set(sa.inspect(engine).get_table_names())
    engine.dispose()
    return names


def test_upgrade_to_head_gives_exactly_the_schema_of_the_models(empty_database):
    migrate.upgrade(empty_database)
    assert _differences(empty_database) == []
    assert set(SQLModel.metadata.tables) <= _tables(empty_database)


def test_downgrade_to_base_removes_every_table(empty_database):
    migrate.upgrade(empty_database)
    migrate.downgrade(empty_database, "base")
    assert _tables(empty_database) <= {"alembic_version"}


def test_upgrade_after_downgrade_works_again(empty_database):
    migrate.upgrade(empty_database)
    migrate.downgrade(empty_database, "base")
    migrate.upgrade(empty_database)
    assert _differences(empty_database) == []
