"""The planning pages through the test client: start, progress, cancel, draft, adjust, publish."""

from __future__ import annotations

import json
import re
from datetime import date, time, timedelta

import pytest
from sqlmodel import select
from werkzeug.datastructures import MultiDict

from rotation.forms.planning import AdjustForm, StartRunForm
from rotation.models import Booking, BookingStatus, PlanRun, PlanRunStatus, Role
from rotation.services import planning_runs
from rotation.views import planning as planning_views

from ..conftest import PASSWORD, app_settings

MONDAY = date(2027, 3, 1)
HORIZON = {"start": "2027-03-01", "end": "2027-03-31"}


@pytest.fixture
def app_config(database_url, tmp_path):
    # Runs execute in the request that starts them, so each test sees the finished run.
    return app_settings(database_url, tmp_path, PLAN_RUN_WAIT=True)


@pytest.fixture
def world(session, make_site, make_team, make_slot, make_executive, make_user):
    """A German-speaking team with four Monday/Tuesday rotations in March 2027, two German
    speakers who fit, and one executive who speaks only French and cannot be placed."""
    site = make_site(name="Leipzig")
    team = make_team(site=site, name="Billing", languages=("de",))
    for week in range(4):
        monday = MONDAY + timedelta(weeks=week)
        make_slot(team=team, day=monday, kind="shadowing", capacity=1)
        make_slot(
            team=team,
            day=monday + timedelta(days=1),
            kind="headset",
            start=time(13),
            end=time(17),
            capacity=1,
        )
    anna = make_executive(user=make_user(name="Anna Berg"), languages=("de",))
    ben = make_executive(user=make_user(name="Ben Krause"), languages=("de", "en"))
    claire = make_executive(user=make_user(name="Claire Dubois"), languages=("fr",))
    return {"site": site, "team": team, "anna": anna, "ben": ben, "claire": claire}


def _start(client, **overrides):
    data = {**HORIZON, "time_limit_s": "5", **overrides}
    return client.post("/planning/runs", data=data)


def _run_id(response) -> int:
    match = re.fullmatch(r"/planning/runs/(\d+)", response.headers["Location"])
    assert match, response.headers.get("Location")
    return int(match.group(1))


def _queued_run(session, manager) -> PlanRun:
    """A run over March 2027 that no worker picks up, so it stays queued."""
    run = planning_runs.start_run(
        session=session,
        actor=manager,
        start=date(2027, 3, 1),
        end=date(2027, 3, 31),
        site_ids=[],
        team_ids=[],
        time_limit_s=5,
    )
    session.commit()
    return run


@pytest.fixture
def finished_run(client, manager, world) -> int:
    response = _start(client)
    assert response.status_code == 302
    return _run_id(response)


# The forms, without HTTP.


def _start_form(app, **data) -> StartRunForm:
    fields = {**HORIZON, "time_limit_s": "30", **data}
    with app.test_request_context(method="POST", data=fields):
        form = StartRunForm(formdata=MultiDict(fields))
        form.site_ids.choices = []
        form.team_ids.choices = []
        form.validate()
        return form


def test_the_start_form_accepts_a_quarter_with_the_default_time_limit(app):
    form = _start_form(app, start="2027-01-01", end="2027-03-31")
    assert form.errors == {}
    assert form.time_limit_s.data == 30


def test_the_start_form_refuses_an_end_before_the_start(app):
    form = _start_form(app, start="2027-03-31", end="2027-03-01")
    assert form.errors == {"end": ["The end must not be before the start."]}


def test_the_start_form_refuses_a_horizon_longer_than_a_year(app):
    form = _start_form(app, start="2027-01-01", end="2028-01-02")
    assert form.errors == {"end": ["A horizon spans at most one year."]}


@pytest.mark.parametrize("limit", ["4", "601", "thirty"])
def test_the_start_form_refuses_a_time_limit_outside_5_to_600_seconds(app, limit):
    form = _start_form(app, time_limit_s=limit)
    assert list(form.errors) == ["time_limit_s"]


def test_the_adjust_form_reads_the_slot_ids_of_a_rotation(app):
    with app.test_request_context(method="POST"):
        form = AdjustForm(formdata=MultiDict({"executive_id": "7", "slot_ids": "12, 13"}))
        assert form.validate()
        assert form.slot_ids.data == [12, 13]
        broken = AdjustForm(formdata=MultiDict({"executive_id": "7", "slot_ids": "12,x"}))
        assert not broken.validate()
        assert "slot_ids" in broken.errors


@pytest.mark.parametrize(
    ("today", "horizon"),
    [
        (date(2026, 12, 2), (date(2027, 1, 1), date(2027, 3, 31))),
        (date(2027, 2, 28), (date(2027, 4, 1), date(2027, 6, 30))),
        (date(2027, 7, 1), (date(2027, 10, 1), date(2027, 12, 31))),
    ],
)
def test_the_plan_page_suggests_the_next_quarter(today, horizon):
    assert planning_views._default_horizon(today) == horizon


# The plan page and starting a run.


def test_the_plan_page_says_how_to_begin_when_there_are_no_runs(client, manager, world):
    page = client.get("/planning").get_data(as_text=True)
    assert "Choose a horizon and start your first run." in page
    assert 'name="time_limit_s"' in page
    assert "Leipzig · Billing" in page


def test_the_plan_page_sends_to_capacity_when_there_are_no_teams(client, manager):
    page = client.get("/planning").get_data(as_text=True)
    assert "There are no teams to plan yet." in page
    assert 'href="/capacity/"' in page


def test_starting_with_the_end_before_the_start_shows_the_error_and_starts_nothing(
    client, session, manager, world
):
    response = _start(client, start="2027-03-31", end="2027-03-01")
    assert response.status_code == 400
    assert "The end must not be before the start." in response.get_data(as_text=True)
    assert session.exec(select(PlanRun)).all() == []


def test_starting_with_a_time_limit_out_of_range_shows_the_error_and_starts_nothing(
    client, session, manager, world
):
    response = _start(client, time_limit_s="900")
    assert response.status_code == 400
    assert "Number must be between 5 and 600." in response.get_data(as_text=True)
    assert session.exec(select(PlanRun)).all() == []


def test_starting_a_run_shows_its_progress_page(client, session, finished_run, world):
    page = client.get(f"/planning/runs/{finished_run}").get_data(as_text=True)
    assert 'id="progress-chart"' in page
    assert f'data-progress-url="/planning/runs/{finished_run}/progress.json"' in page
    assert 'src="/static/planning.js"' in page
    run = session.get(PlanRun, finished_run)
    assert (run.horizon_start, run.horizon_end) == (date(2027, 3, 1), date(2027, 3, 31))
    assert run.time_limit_s == 5


def test_a_second_run_over_an_active_horizon_is_refused_with_a_message(
    client, session, manager, world
):
    _queued_run(session, manager)
    response = _start(client)
    assert response.status_code == 409
    assert len(session.exec(select(PlanRun)).all()) == 1


def test_the_progress_json_tells_status_phase_elapsed_points_and_the_draft(client, finished_run):
    data = client.get(f"/planning/runs/{finished_run}/progress.json").get_json()
    assert data["id"] == finished_run
    assert data["status"] == "finished"
    assert data["is_active"] is False
    assert isinstance(data["status_label"], str) and data["status_label"]
    assert isinstance(data["elapsed_s"], int | float)
    assert data["draft_url"] == f"/planning/runs/{finished_run}/draft"
    assert data["points"], "a finished run reports at least its final point"
    assert set(data["points"][-1]) >= {
        "t",
        "phase",
        "coverage",
        "preference",
        "coverage_bound",
        "preference_bound",
    }


def test_a_run_is_cancelled_by_post_only(client, session, manager, world):
    run = _queued_run(session, manager)
    assert client.get(f"/planning/runs/{run.id}/cancel").status_code == 405
    response = client.post(f"/planning/runs/{run.id}/cancel", follow_redirects=True)
    assert "Run cancelled before the solver started." in response.get_data(as_text=True)
    session.expire_all()
    assert session.get(PlanRun, run.id).status == PlanRunStatus.CANCELLED


# The draft.


def test_the_draft_shows_the_terms_in_words(client, finished_run):
    page = client.get(f"/planning/runs/{finished_run}/draft").get_data(as_text=True)
    assert 'data-term="coverage"' in page
    assert 'data-term="preference"' in page
    assert "optimal" in page


def test_the_draft_names_the_executive_left_out_with_a_reason_and_a_fix(
    client, finished_run, world
):
    page = client.get(f"/planning/runs/{finished_run}/draft").get_data(as_text=True)
    unassigned = page.split('id="unassigned"')[1].split("</section>")[0]
    assert "Claire Dubois" in unassigned
    assert "Anna Berg" not in unassigned
    assert "<li>" in unassigned, "each left-out executive has a reason"
    assert f'data-executive="{world["claire"].id}"' in unassigned
    assert 'class="chip" href="/' in unassigned


def test_the_draft_charts_rotations_per_team_with_the_fair_share(client, finished_run):
    page = client.get(f"/planning/runs/{finished_run}/draft").get_data(as_text=True)
    chart = page.split('id="team-loads"')[1].split("</section>")[0]
    assert 'class="team-chart"' in chart
    assert "<title" in chart and "<desc" in chart
    assert 'class="fair-share"' in chart
    assert "Leipzig · Billing" in chart


def test_the_fair_share_reads_with_a_decimal_comma_in_german(client, finished_run):
    page = client.get(
        f"/planning/runs/{finished_run}/draft", headers={"Accept-Language": "de"}
    ).get_data(as_text=True)
    chart = page.split('id="team-loads"')[1].split("</section>")[0]
    assert re.search(r"fairer Anteil \d+,\d", chart)


def test_the_draft_lists_every_rotation_as_added_when_nothing_is_published(
    client, finished_run, world
):
    page = client.get(f"/planning/runs/{finished_run}/draft").get_data(as_text=True)
    rotations = page.split('id="rotations"')[1]
    assert "Anna Berg" in rotations and "Ben Krause" in rotations


def test_publishing_by_post_turns_the_draft_into_proposals(
    client, session, manager, finished_run, world
):
    assert client.get(f"/planning/runs/{finished_run}/publish").status_code == 405
    response = client.post(f"/planning/runs/{finished_run}/publish", follow_redirects=True)
    assert response.status_code == 200
    assert "Plan published" in response.get_data(as_text=True)
    assert "by Pia Manager" in response.get_data(as_text=True)
    bookings = session.exec(select(Booking)).all()
    assert {b.executive_id for b in bookings} == {world["anna"].id, world["ben"].id}
    assert {b.status for b in bookings} == {BookingStatus.PROPOSED}
    run = session.get(PlanRun, finished_run)
    session.refresh(run)
    assert run.published_by_id == manager.id
    assert run.published_at is not None


def test_a_second_run_shows_what_it_changes_against_the_published_plan(
    client, session, manager, finished_run, world
):
    client.post(f"/planning/runs/{finished_run}/publish")
    again = _run_id(_start(client))
    page = client.get(f"/planning/runs/{again}/draft").get_data(as_text=True)
    diff = page.split('id="diff"')[1].split("</section>")[0]
    assert "No differences to the published plan." in diff or 'id="moved-count"' in diff


@pytest.mark.parametrize("which", ["problem", "plan"])
def test_the_run_files_download_as_json_attachments(client, finished_run, which):
    response = client.get(f"/planning/runs/{finished_run}/{which}.json")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment;") and f'filename="{which}-2027-03-01' in disposition
    assert isinstance(json.loads(response.get_data(as_text=True)), dict)


def test_an_unknown_download_is_not_found(client, finished_run):
    assert client.get(f"/planning/runs/{finished_run}/secrets.json").status_code == 404


# Adjustments.


def _first_rotation_form(page: str) -> dict:
    form = re.search(
        r'action="(/planning/runs/\d+/pin[^"]*)".*?name="executive_id" value="(\d+)"'
        r'.*?name="slot_ids" value="([\d,]+)"',
        page,
        re.S,
    )
    assert form, "the draft offers a pin button"
    return {"action": form.group(1), "executive_id": form.group(2), "slot_ids": form.group(3)}


def test_a_pinned_rotation_is_fixed_in_the_re_run(client, session, finished_run):
    page = client.get(f"/planning/runs/{finished_run}/draft").get_data(as_text=True)
    pin = _first_rotation_form(page)
    response = client.post(
        pin["action"].replace("&amp;", "&"),
        data={"executive_id": pin["executive_id"], "slot_ids": pin["slot_ids"]},
    )
    assert response.status_code == 302
    session.expire_all()
    run = session.get(PlanRun, finished_run)
    assert run.pins == [
        {
            "executive_id": int(pin["executive_id"]),
            "slot_ids": [int(s) for s in pin["slot_ids"].split(",")],
        }
    ]
    rerun = client.post(f"/planning/runs/{finished_run}/rerun", data={"time_limit_s": "5"})
    assert rerun.status_code == 302
    new_run = session.get(PlanRun, _run_id(rerun))
    assert new_run.based_on_id == finished_run
    problem = json.loads(new_run.problem_json)
    assert len(problem["fixed"]) == 1
    again = client.get(f"/planning/runs/{new_run.id}/draft").get_data(as_text=True)
    row = again.split(f'data-executive="{pin["executive_id"]}"')[1].split("</tr>")[0]
    assert "pinned" in row and "agreed" not in row


def test_a_dropped_rotation_is_forbidden_in_the_re_run(client, session, finished_run):
    page = client.get(f"/planning/runs/{finished_run}/draft").get_data(as_text=True)
    rotation = _first_rotation_form(page)
    response = client.post(
        f"/planning/runs/{finished_run}/drop",
        data={"executive_id": rotation["executive_id"], "slot_ids": rotation["slot_ids"]},
    )
    assert response.status_code == 302
    rerun = client.post(f"/planning/runs/{finished_run}/rerun", data={"time_limit_s": "5"})
    problem = json.loads(session.get(PlanRun, _run_id(rerun)).problem_json)
    assert {pair["executive"] for pair in problem["forbidden"]} == {
        f"exec-{rotation['executive_id']}"
    }


# CSRF.


def test_the_planning_forms_refuse_a_post_without_the_csrf_token(
    database_url, tmp_path, monkeypatch, make_user
):
    from app import create_app

    monkeypatch.setenv("HEADSET_INSTANCE", str(tmp_path / "instance-csrf"))
    app = create_app(app_settings(database_url, tmp_path, WTF_CSRF_ENABLED=True))
    try:
        client = app.test_client()
        user = make_user(roles={Role.PROGRAM_MANAGER})
        sign_in_page = client.get("/sign-in").get_data(as_text=True)
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', sign_in_page)
        token = token or re.search(r'name="csrf_token" value="([^"]+)"', sign_in_page)
        signed_in = client.post(
            "/sign-in",
            data={"email": user.email, "password": PASSWORD, "csrf_token": token.group(1)},
        )
        assert signed_in.status_code == 302
        refused = client.post("/planning/runs", data={**HORIZON, "time_limit_s": "5"})
        assert refused.status_code == 400
        assert "The form had expired" in refused.get_data(as_text=True)
        assert "csrf_token" in client.get("/planning").get_data(as_text=True)
    finally:
        app.extensions["engine"].dispose()


def test_cancelling_a_finished_run_says_it_has_ended(client, finished_run):
    response = client.post(f"/planning/runs/{finished_run}/cancel", follow_redirects=True)
    assert response.status_code == 200
    assert "This run has already ended." in response.get_data(as_text=True)


def test_a_failed_run_shows_its_reason_on_its_page_and_in_the_progress(
    client, session, manager, world
):
    run = _queued_run(session, manager)
    run.status = PlanRunStatus.FAILED.value
    run.message = "The worker stopped responding (last sign of life at 2027-02-01 10:00:00 UTC)."
    session.commit()
    page = client.get(f"/planning/runs/{run.id}").get_data(as_text=True)
    assert "The worker stopped responding" in page
    assert 'id="cancel-form"' not in page
    data = client.get(f"/planning/runs/{run.id}/progress.json").get_json()
    assert (data["status"], data["is_active"]) == ("failed", False)
    assert data["message"].startswith("The worker stopped responding")
    assert data["draft_url"] is None


def test_a_running_run_offers_to_cancel_and_names_its_phase_in_words(
    client, session, manager, world
):
    run = _queued_run(session, manager)
    page = client.get(f"/planning/runs/{run.id}").get_data(as_text=True)
    assert 'id="cancel-form"' in page
    assert "waiting for a worker" in page
    assert client.get(f"/planning/runs/{run.id}/progress.json").get_json()["phase_label"] == (
        "waiting for a worker"
    )


def test_an_impossible_draft_names_the_clashing_rotations_and_offers_no_publishing(
    client, manager, world, make_booking
):
    # Two agreed rotations a week apart break the 30 days between an executive's rotations.
    for first_day in (date(2027, 3, 3), date(2027, 3, 10)):
        make_booking(
            executive=world["anna"],
            team=world["team"],
            status=BookingStatus.APPROVED,
            first_day=first_day,
        )
    run_id = _run_id(_start(client))
    page = client.get(f"/planning/runs/{run_id}/draft").get_data(as_text=True)
    conflicts = page.split('id="conflicts"')[1].split("</section>")[0]
    assert "Anna Berg" in conflicts
    assert "Publish as proposals" not in page


def test_a_pinned_rotation_shows_as_pinned_and_can_be_unpinned(client, session, finished_run):
    page = client.get(f"/planning/runs/{finished_run}/draft").get_data(as_text=True)
    rotation = _first_rotation_form(page)
    data = {"executive_id": rotation["executive_id"], "slot_ids": rotation["slot_ids"]}
    pinned = client.post(f"/planning/runs/{finished_run}/pin", data=data, follow_redirects=True)
    assert "Rotation pinned" in pinned.get_data(as_text=True)
    assert "Unpin" in pinned.get_data(as_text=True)
    unpinned = client.post(
        f"/planning/runs/{finished_run}/pin", data={**data, "clear": "y"}, follow_redirects=True
    )
    assert "Adjustment removed." in unpinned.get_data(as_text=True)
    session.expire_all()
    assert session.get(PlanRun, finished_run).pins == []


def test_a_published_draft_offers_no_adjustments(client, finished_run):
    client.post(f"/planning/runs/{finished_run}/publish")
    page = client.get(f"/planning/runs/{finished_run}/draft").get_data(as_text=True)
    assert 'id="published-note"' in page
    assert "/pin" not in page and "/rerun" not in page
    refused = client.post(
        f"/planning/runs/{finished_run}/drop",
        data={"executive_id": "1", "slot_ids": "1,2"},
        follow_redirects=True,
    )
    assert "Only an unpublished draft can be adjusted." in refused.get_data(as_text=True)
