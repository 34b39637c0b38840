"""Availability: ranges, preferences, program status, the ledger, reminders and imports."""

from __future__ import annotations

import socket
from datetime import date

import pytest
from aiosmtpd.controller import Controller
from sqlmodel import select

from rotation.errors import ImportRejected, Invalid, NotAllowed
from rotation.models import (
    AuditEntry,
    BookingStatus,
    Cycle,
    OutboxMessage,
    Role,
    Unavailability,
)
from rotation.services import availability, outbox


@pytest.fixture
def manager(make_user):
    return make_user(roles={Role.PROGRAM_MANAGER})


def test_an_executive_adds_a_range_to_their_own_availability(session, make_executive):
    executive = make_executive()
    availability.add_unavailability(
        session=session,
        actor=executive.user,
        executive_id=None,
        start=date(2027, 2, 1),
        end=date(2027, 2, 14),
        reason="Board week",
    )
    ranges = availability.unavailable_ranges(session, executive)
    assert [(r.start_date, r.end_date, r.reason) for r in ranges] == [
        (date(2027, 2, 1), date(2027, 2, 14), "Board week")
    ]


def test_a_range_ending_before_it_starts_is_refused_on_its_field(session, make_executive):
    executive = make_executive()
    with pytest.raises(Invalid) as err:
        availability.add_unavailability(
            session=session,
            actor=executive.user,
            executive_id=None,
            start=date(2027, 2, 14),
            end=date(2027, 2, 1),
        )
    assert err.value.field == "end_date"


def test_overlapping_and_touching_ranges_merge_into_one(session, make_executive):
    executive = make_executive()
    for start, end in (
        (date(2027, 2, 1), date(2027, 2, 10)),
        (date(2027, 2, 11), date(2027, 2, 12)),
        (date(2027, 1, 25), date(2027, 2, 3)),
    ):
        availability.add_unavailability(
            session=session, actor=executive.user, executive_id=None, start=start, end=end
        )
    ranges = availability.unavailable_ranges(session, executive)
    assert [(r.start_date, r.end_date) for r in ranges] == [(date(2027, 1, 25), date(2027, 2, 12))]


def test_an_executive_cannot_edit_another_executives_availability(session, make_executive):
    mine, theirs = make_executive(), make_executive()
    with pytest.raises(NotAllowed):
        availability.add_unavailability(
            session=session,
            actor=mine.user,
            executive_id=theirs.id,
            start=date(2027, 2, 1),
            end=date(2027, 2, 2),
        )


def test_a_program_manager_edits_anyones_preferences(session, manager, make_executive, make_site):
    executive, site = make_executive(), make_site()
    availability.save_preferences(
        session=session,
        actor=manager,
        executive_id=executive.id,
        preferences=availability.Preferences(
            languages=["en", "fr"], sites={site.id: 3}, topics={"billing": 2, "sales": 0}
        ),
    )
    saved = availability.preferences_of(session, executive)
    assert saved == availability.Preferences(
        languages=["en", "fr"], sites={site.id: 3}, topics={"billing": 2}
    )


def test_a_weight_above_three_is_refused(session, make_executive):
    executive = make_executive()
    with pytest.raises(Invalid):
        availability.save_preferences(
            session=session,
            actor=executive.user,
            executive_id=None,
            preferences=availability.Preferences(languages=["de"], sites={}, topics={"x": 4}),
        )


def test_program_status_counts_this_cycles_rotations_and_shows_the_book_by_date(
    session, make_executive, make_booking
):
    session.add(
        Cycle(
            name="2027",
            start_date=date(2027, 1, 1),
            end_date=date(2027, 12, 31),
            book_by=date(2027, 3, 31),
        )
    )
    executive = make_executive(rotations_required=3)
    make_booking(executive=executive, status=BookingStatus.REQUESTED, first_day=date(2027, 2, 1))
    make_booking(executive=executive, status=BookingStatus.APPROVED, first_day=date(2027, 4, 1))
    make_booking(executive=executive, status=BookingStatus.APPROVED, first_day=date(2026, 4, 1))
    status = availability.program_status(session, executive, today=date(2027, 1, 10))
    assert (status.required, status.requested, status.approved, status.done) == (3, 1, 1, 0)
    assert status.book_by == date(2027, 3, 31)
    assert status.missing == 1


def test_the_ledger_lists_executives_behind_by_department(
    session, manager, make_executive, make_booking
):
    behind = make_executive(department="Finance", rotations_required=1)
    on_track = make_executive(department="Finance", rotations_required=1)
    make_booking(executive=on_track, status=BookingStatus.APPROVED)
    make_executive(department="Sales", rotations_required=0)
    ledger = availability.behind_ledger(session=session, actor=manager)
    assert list(ledger) == ["Finance"]
    assert [status.executive.id for status in ledger["Finance"]] == [behind.id]


def test_a_reminder_writes_an_outbox_row_and_an_audit_row(session, manager, make_executive):
    executive = make_executive(rotations_required=1)
    availability.send_reminder(session=session, actor=manager, executive_id=executive.id)
    message = session.exec(select(OutboxMessage)).one()
    assert message.recipient == executive.user.email and message.sent_at is None
    assert (
        session.exec(select(AuditEntry).where(AuditEntry.action == "executive.remind"))
        .one()
        .object_id
        == executive.id
    )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's hook name)
        self.messages.append(envelope)
        return "250 OK"


def test_pending_reminders_are_delivered_over_smtp_and_marked_sent(
    session, manager, make_executive
):
    executive = make_executive(rotations_required=1)
    availability.send_reminder(session=session, actor=manager, executive_id=executive.id)
    session.commit()
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        sent = outbox.deliver_pending(session, host="127.0.0.1", port=controller.port)
    finally:
        controller.stop()
    assert sent == 1
    assert [envelope.rcpt_tos for envelope in inbox.messages] == [[executive.user.email]]
    assert b"rotation" in inbox.messages[0].content
    assert outbox.pending(session) == []


def test_the_send_mail_command_delivers_the_outbox(app, session, manager, make_executive):
    executive = make_executive(rotations_required=1)
    availability.send_reminder(session=session, actor=manager, executive_id=executive.id)
    session.commit()
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=controller.port)
    try:
        result = app.test_cli_runner().invoke(args=["send-mail"])
    finally:
        controller.stop()
    assert result.exit_code == 0, result.output
    assert "sent 1" in result.output
    assert len(inbox.messages) == 1


def test_an_unavailability_import_with_a_bad_row_imports_nothing(session, manager, make_executive):
    executive = make_executive()
    data = (
        "email,start,end,reason\n"
        f"{executive.user.email},2027-02-01,2027-02-05,Board week\n"
        f"{executive.user.email},2027-03-10,2027-03-01,Backwards\n"
        "nobody@example.com,2027-04-01,2027-04-02,\n"
    ).encode()
    with pytest.raises(ImportRejected) as err:
        availability.import_unavailability(session=session, actor=manager, data=data)
    session.rollback()
    assert [line for line, _message in err.value.problems] == [3, 4]
    assert session.exec(select(Unavailability)).all() == []


def test_an_unavailability_import_adds_every_row(session, manager, make_executive):
    executive = make_executive()
    data = f"email,start,end,reason\n{executive.user.email.upper()},2027-02-01,2027-02-05,x\n"
    imported = availability.import_unavailability(
        session=session, actor=manager, data=data.encode()
    )
    assert [(r.executive_id, r.start_date) for r in imported] == [(executive.id, date(2027, 2, 1))]
