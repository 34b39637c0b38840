"""CSV imports of buddy agents and executives: all or nothing, every bad row listed."""

from __future__ import annotations

import io
import json

from sqlalchemy import func
from sqlmodel import select
from werkzeug.datastructures import FileStorage, MultiDict

from rotation.forms.imports import MAX_CSV_BYTES, CsvUploadForm
from rotation.models import AuditEntry, BuddyAgent, Executive, Role, User
from rotation.services import accounts

from .conftest import csv_file


def _count(session, model) -> int:
    return session.exec(select(func.count()).select_from(model)).one()


def _upload(client, url: str, text: str, filename: str = "rows.csv"):
    return client.post(url, data=csv_file(text, filename), content_type="multipart/form-data")


def test_a_good_agent_csv_imports_every_row(client, manager, make_site, make_team, session):
    site = make_site(name="Leipzig")
    make_team(site=site, name="Billing")
    text = (
        "site,team,name,languages,active\n"
        "Leipzig,Billing,Aylin,de tr,yes\n"
        "Leipzig,Billing,Jonas,de,no\n"
    )
    response = _upload(client, "/agents/import", text)
    assert response.status_code == 302
    assert "2 buddy agents imported." in client.get("/agents/").get_data(as_text=True)
    assert _count(session, BuddyAgent) == 2


def test_an_agent_csv_with_one_bad_row_imports_nothing_and_names_line_and_reason(
    client, manager, make_site, make_team, session
):
    site = make_site(name="Leipzig")
    make_team(site=site, name="Billing")
    text = (
        "site,team,name,languages\n"
        "Leipzig,Billing,Aylin,de\n"
        "Leipzig,Nowhere,Jonas,de\n"
        "Leipzig,Billing,Mia,en\n"
    )
    response = _upload(client, "/agents/import", text)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "<td>3</td><td>team: no team &#39;Nowhere&#39; at site &#39;Leipzig&#39;</td>" in page
    assert _count(session, BuddyAgent) == 0


def test_an_agent_csv_lists_every_bad_row_not_only_the_first(
    client, manager, make_site, make_team, session
):
    make_team(site=make_site(name="Leipzig"), name="Billing")
    text = "site,team,name,languages\nLeipzig,Billing,Aylin,deutsch\nLeipzig,Billing,,de\n"
    page = _upload(client, "/agents/import", text).get_data(as_text=True)
    assert "<td>2</td><td>languages:" in page
    assert "<td>3</td><td>name: required</td>" in page


def test_a_file_without_the_csv_extension_is_refused(client, manager, session):
    response = _upload(client, "/agents/import", "site,team,name,languages\n", "rows.xlsx")
    assert response.status_code == 400
    assert "Only .csv files can be imported." in response.get_data(as_text=True)


def test_a_file_over_the_size_limit_is_refused_by_the_upload_form(app):
    # Checked on the form directly: a test request this large would be spooled to a temp file.
    upload = FileStorage(io.BytesIO(b"x" * (MAX_CSV_BYTES + 1)), filename="big.csv")
    with app.test_request_context(method="POST"):
        form = CsvUploadForm(formdata=MultiDict({"file": upload}))
        assert form.validate() is False
    assert form.file.errors == ["The file is larger than 2 MB."]


def test_a_team_lead_cannot_import_agents(client, login, make_user):
    login(make_user(roles={Role.TEAM_LEAD}))
    assert client.get("/agents/import").status_code == 403


EXECUTIVES_CSV = (
    "email,name,title,department,languages,home_site,rotations_required\n"
    "carla@example.com,Carla Chef,CFO,Finance,de en,Leipzig,2\n"
    "dirk@example.com,Dirk Direktor,COO,Operations,de,,\n"
)


def test_a_good_executive_csv_creates_accounts_and_shows_each_initial_password(
    client, manager, make_site, session
):
    make_site(name="Leipzig")
    response = _upload(client, "/executives/import", EXECUTIVES_CSV)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert _count(session, Executive) == 2
    for email in ("carla@example.com", "dirk@example.com"):
        password = page.split(f'<td>{email}</td><td><code class="secret">')[1].split("<")[0]
        assert accounts.authenticate(session=session, email=email, password=password) is not None


def test_imported_initial_passwords_are_neither_stored_readable_nor_shown_again(
    client, manager, make_site, session
):
    make_site(name="Leipzig")
    page = _upload(client, "/executives/import", EXECUTIVES_CSV).get_data(as_text=True)
    password = page.split('<code class="secret">')[1].split("<")[0]
    stored = [user.password_hash for user in session.exec(select(User))]
    audit = [json.dumps([e.before, e.after, e.reason]) for e in session.exec(select(AuditEntry))]
    assert not any(password in text for text in stored + audit)
    assert password not in client.get("/executives/").get_data(as_text=True)


def test_an_executive_csv_with_a_bad_row_imports_nothing_and_lists_line_and_reason(
    client, manager, make_site, session
):
    make_site(name="Leipzig")
    users_before = _count(session, User)
    text = EXECUTIVES_CSV + "erin@example.com,Erin,CEO,Board,de,Atlantis,1\n"
    response = _upload(client, "/executives/import", text)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "<td>4</td><td>home_site: unknown site &#39;Atlantis&#39;</td>" in page
    assert _count(session, Executive) == 0
    assert _count(session, User) == users_before


def test_the_upload_form_keeps_its_column_help_after_a_refused_file(client, manager):
    response = client.post(
        "/executives/import",
        data={"file": (io.BytesIO(b"email;name\n"), "x.csv")},
        content_type="multipart/form-data",
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "missing column: languages" in page
    assert "email,name,title,department,languages,home_site,rotations_required" in page
