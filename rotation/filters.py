"""Template filters: dates, times with their zone, statuses in words."""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from flask import Flask
from flask_babel import format_date, format_datetime, format_decimal, get_locale

from .i18n import _l
from .navigation import nav_items
from .services.bookings import STATUS_LABELS

KIND_LABELS = {"shadowing": _l("shadowing"), "headset": _l("on the headset")}
ROLE_LABELS = {
    "program_manager": _l("program manager"),
    "team_lead": _l("team lead"),
    "executive": _l("executive"),
}


def local_date(value: date | None, style: str = "medium") -> str:
    return format_date(value, style) if value else ""


def instant(value: datetime | None) -> str:
    """An aware UTC instant in the viewer's zone, with the zone named."""
    return format_datetime(value, "medium") if value else ""


def slot_time(day: date, start: time, end: time, zone: str) -> str:
    """A slot's local times labelled with its site's zone (09:00-13:00 Europe/Berlin)."""
    tz = ZoneInfo(zone)
    start_at = datetime.combine(day, start, tz)
    return f"{start:%H:%M}–{end:%H:%M} {start_at.tzname()}"


def viewer_slot_time(day: date, start: time, end: time, zone: str, viewer_zone: str | None) -> str:
    """The slot's times in the viewer's zone, labelled; empty when the zones agree."""
    if not viewer_zone or viewer_zone == zone:
        return ""
    try:
        viewer = ZoneInfo(viewer_zone)
    except (ValueError, KeyError):
        return ""
    site = ZoneInfo(zone)
    start_at = datetime.combine(day, start, site).astimezone(viewer)
    end_at = datetime.combine(day, end, site).astimezone(viewer)
    if start_at.utcoffset() == datetime.combine(day, start, site).utcoffset():
        return ""
    shown_day = "" if start_at.date() == day else f"{start_at:%Y-%m-%d} "
    return f"{shown_day}{start_at:%H:%M}–{end_at:%H:%M} {start_at.tzname()} ({viewer_zone})"


def one_decimal(value: float) -> str:
    """A number with one decimal in the reader's notation (3.1 in English, 3,1 in German)."""
    return format_decimal(value, format="#,##0.0")


def register(app: Flask) -> None:
    app.add_template_filter(local_date, "local_date")
    app.add_template_filter(one_decimal, "one_decimal")
    app.add_template_filter(instant, "instant")
    app.add_template_filter(lambda s: STATUS_LABELS.get(s, s), "status_label")
    app.add_template_filter(lambda s: KIND_LABELS.get(s, s), "kind_label")
    app.add_template_filter(lambda s: ROLE_LABELS.get(s, s), "role_label")
    app.add_template_global(slot_time, "slot_time")
    app.add_template_global(viewer_slot_time, "viewer_slot_time")
    app.add_template_global(get_locale_code, "current_locale")
    app.add_template_global(nav_items, "nav_items")


def get_locale_code() -> str:
    locale = get_locale()
    return locale.language if locale else "en"
