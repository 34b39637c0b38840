"""Slot times are labelled with the site's zone and, where it differs, the viewer's."""

from __future__ import annotations

from datetime import date, time

from rotation.filters import slot_time, viewer_slot_time


def test_a_berlin_slot_keeps_nine_local_and_changes_its_label_across_dst():
    before = slot_time(date(2027, 3, 25), time(9), time(13), "Europe/Berlin")
    after = slot_time(date(2027, 3, 30), time(9), time(13), "Europe/Berlin")
    assert before == "09:00–13:00 CET"
    assert after == "09:00–13:00 CEST"


def test_a_new_york_viewer_sees_the_slot_moved_by_the_changing_offset():
    before = viewer_slot_time(
        date(2027, 3, 25), time(9), time(13), "Europe/Berlin", "America/New_York"
    )
    after = viewer_slot_time(
        date(2027, 3, 30), time(9), time(13), "Europe/Berlin", "America/New_York"
    )
    assert before == "04:00–08:00 EDT (America/New_York)"
    assert after == "03:00–07:00 EDT (America/New_York)"


def test_a_viewer_in_the_sites_offset_gets_no_second_time():
    assert (
        viewer_slot_time(date(2027, 3, 30), time(9), time(13), "Europe/Berlin", "Europe/Vienna")
        == ""
    )
    assert viewer_slot_time(date(2027, 3, 30), time(9), time(13), "Europe/Berlin", None) == ""
