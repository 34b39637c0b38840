"""Places on slots are taken and given back one booking at a time."""

from __future__ import annotations

import pytest

from rotation.errors import Conflict
from rotation.models import Slot
from rotation.services.bookings import release_places, take_places


def test_taking_places_counts_one_on_each_slot_and_releasing_gives_them_back(session, make_booking):
    booking = make_booking()
    take_places(session, booking)
    assert [session.get(Slot, day.slot_id).taken for day in booking.days] == [1, 1]
    release_places(session, booking)
    assert [session.get(Slot, day.slot_id).taken for day in booking.days] == [0, 0]


def test_a_full_slot_refuses_another_booking(session, make_booking):
    booking = make_booking()
    slot = session.get(Slot, booking.days[0].slot_id)
    slot.capacity = slot.taken = 1
    session.commit()
    with pytest.raises(Conflict):
        take_places(session, booking)
