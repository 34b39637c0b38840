"""Accounts: creation rules, passwords and the all-or-nothing executive import."""

from __future__ import annotations

import pytest
from sqlalchemy import func
from sqlmodel import select

from rotation.errors import Conflict, ImportRejected, Invalid, NotAllowed
from rotation.models import Executive, Role, User
from rotation.services import accounts


def test_an_email_can_hold_only_one_account(session, make_user):
    make_user(email="anna@example.com")
    with pytest.raises(Conflict) as err:
        accounts.create_user(
            session=session,
            actor=None,
            email="Anna@Example.com",
            name="A",
            password="long enough pw",
            roles={Role.EXECUTIVE},
        )
    assert err.value.field == "email"


def test_a_short_password_is_refused_on_its_field(session):
    with pytest.raises(Invalid) as err:
        accounts.create_user(
            session=session,
            actor=None,
            email="b@example.com",
            name="B",
            password="short",
            roles={Role.EXECUTIVE},
        )
    assert err.value.field == "password"


def test_only_a_program_manager_creates_accounts(session, make_user):
    lead = make_user(roles={Role.TEAM_LEAD})
    with pytest.raises(NotAllowed):
        accounts.create_user(
            session=session,
            actor=lead,
            email="c@example.com",
            name="C",
            password="long enough pw",
            roles={Role.EXECUTIVE},
        )


def test_passwords_are_stored_as_argon2_hashes(session, make_user):
    user = make_user(password="a secret of mine")
    assert user.password_hash.startswith("$argon2id$")
    assert "a secret of mine" not in user.password_hash
    assert (
        accounts.authenticate(session=session, email=user.email, password="a secret of mine")
        is user
    )


def _count(session, model) -> int:
    return session.exec(select(func.count()).select_from(model)).one()


def test_an_executive_import_with_bad_rows_imports_nothing_and_names_each_line(
    session, make_user, make_site
):
    manager = make_user(roles={Role.PROGRAM_MANAGER})
    make_site(name="Leipzig")
    users_before = _count(session, User)
    data = (
        b"email,name,title,department,languages,home_site,rotations_required\n"
        b"ok@example.com,Olga Kurz,CFO,Finance,de en,Leipzig,1\n"
        b"not-an-email,Bad Mail,CTO,IT,de,,1\n"
        b"x@example.com,Xaver,COO,Ops,deutsch,,1\n"
        b"y@example.com,Yvonne,CMO,Marketing,de,Atlantis,1\n"
        b"ok@example.com,Twice,CIO,IT,de,,two\n"
    )
    with pytest.raises(ImportRejected) as err:
        accounts.import_executives(session=session, actor=manager, data=data)
    session.rollback()
    lines = [line for line, _reason in err.value.problems]
    assert lines == [3, 4, 5, 6]
    reasons = dict(err.value.problems)
    assert "email" in reasons[3]
    assert "deutsch" in reasons[4]
    assert "Atlantis" in reasons[5]
    assert "twice" in reasons[6]
    assert _count(session, User) == users_before
    assert _count(session, Executive) == 0


def test_a_good_executive_import_creates_every_account_with_an_initial_password(session, make_user):
    manager = make_user(roles={Role.PROGRAM_MANAGER})
    data = (
        b"email;name;title;department;languages;home_site;rotations_required\n"
        b"a@example.com;Anna Alt;CEO;Board;de,en;;2\n"
        b"b@example.com;Bernd Berg;CFO;Finance;de;;\n"
    )
    created = accounts.import_executives(session=session, actor=manager, data=data)
    session.commit()
    assert [account.email for account in created] == ["a@example.com", "b@example.com"]
    anna = accounts.find_user_by_email(session, "a@example.com")
    assert (
        accounts.authenticate(
            session=session, email="a@example.com", password=created[0].initial_password
        )
        is anna
    )
    assert accounts.executive_of(session, anna).rotations_required == 2
    assert accounts.executive_of(session, anna).languages == ["de", "en"]


def test_a_file_that_is_not_utf8_is_refused_with_a_reason(session, make_user):
    manager = make_user(roles={Role.PROGRAM_MANAGER})
    with pytest.raises(ImportRejected) as err:
        accounts.import_executives(session=session, actor=manager, data=b"\xff\xfe\x00bad")
    assert err.value.problems[0][0] == 1
