"""Availability: an executive's own page, the program manager's editing, ledger, import."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import ngettext
from flask_login import current_user

from .. import navigation
from ..auth import EX, PM, register_access, roles
from ..db import get_session
from ..errors import DomainError
from ..forms.availability import RangeForm, preferences_form
from ..forms.imports import CsvUploadForm
from ..i18n import _, _l
from ..services import availability, sites
from ..services.availability import UNAVAILABILITY_COLUMNS
from .uploads import run_import, upload_page
from .util import show_error

bp = Blueprint("availability", __name__, url_prefix="/availability")

register_access(
    {
        "availability.mine": roles(EX),
        "availability.add_mine": roles(EX),
        "availability.preferences_mine": roles(EX),
        "availability.edit": roles(PM),
        "availability.add_for": roles(PM),
        "availability.preferences_for": roles(PM),
        "availability.remove_range": roles(PM, EX),
        "availability.ledger": roles(PM),
        "availability.remind": roles(PM),
        "availability.import_csv": roles(PM),
    }
)
navigation.add("availability.mine", _l("My availability"))
navigation.add("availability.ledger", _l("Ledger"), before="users.index")


def _known_topics(db) -> list[str]:
    return sorted({topic for team in sites.all_teams(db) for topic in team.topics})


def _preferences_form(db, executive, formdata=True):
    site_list = sites.all_sites(db)
    topics = _known_topics(db)
    saved = availability.preferences_of(db, executive)
    extra = [topic for topic in saved.topics if topic not in topics]
    kwargs = {} if formdata else {"formdata": None}
    form = preferences_form([(site.id, site.name) for site in site_list], topics + extra, **kwargs)
    if not formdata:
        form.languages.data = saved.languages
        for site_id, f in form.site_fields:
            f.data = saved.sites.get(site_id, 0)
        for topic, f in form.topic_fields:
            f.data = saved.topics.get(topic, 0)
    return form


def _page(executive_id, *, range_form=None, prefs_form=None, status=200):
    db = get_session()
    executive = availability.executive_for(
        session=db, actor=current_user, executive_id=executive_id
    )
    return render_template(
        "availability/page.html",
        executive=executive,
        is_own=executive_id is None,
        ranges=availability.unavailable_ranges(db, executive),
        program=availability.program_status(db, executive),
        range_form=range_form or RangeForm(formdata=None),
        prefs_form=prefs_form or _preferences_form(db, executive, formdata=False),
        add_url=url_for("availability.add_mine")
        if executive_id is None
        else url_for("availability.add_for", executive_id=executive.id),
        prefs_url=url_for("availability.preferences_mine")
        if executive_id is None
        else url_for("availability.preferences_for", executive_id=executive.id),
    ), status


def _back(executive_id):
    if executive_id is None:
        return redirect(url_for("availability.mine"))
    return redirect(url_for("availability.edit", executive_id=executive_id))


def _add_range(executive_id):
    db = get_session()
    form = RangeForm()
    if not form.validate_on_submit():
        return _page(executive_id, range_form=form, status=400)
    try:
        availability.add_unavailability(
            session=db,
            actor=current_user,
            executive_id=executive_id,
            start=form.start_date.data,
            end=form.end_date.data,
            reason=form.reason.data or "",
        )
    except DomainError as err:
        db.rollback()
        if err.status in (403, 404):
            raise
        show_error(form, err)
        return _page(executive_id, range_form=form, status=err.status)
    db.commit()
    flash(_("Unavailable days saved."), "success")
    return _back(executive_id)


def _save_preferences(executive_id):
    db = get_session()
    executive = availability.executive_for(
        session=db, actor=current_user, executive_id=executive_id
    )
    form = _preferences_form(db, executive)
    if not form.validate_on_submit():
        return _page(executive_id, prefs_form=form, status=400)
    try:
        availability.save_preferences(
            session=db,
            actor=current_user,
            executive_id=executive_id,
            preferences=availability.Preferences(
                languages=form.languages.data or [],
                sites={site_id: f.data for site_id, f in form.site_fields},
                topics={topic: f.data for topic, f in form.topic_fields},
            ),
        )
    except DomainError as err:
        db.rollback()
        if err.status in (403, 404):
            raise
        show_error(form, err)
        return _page(executive_id, prefs_form=form, status=err.status)
    db.commit()
    flash(_("Languages and preferences saved."), "success")
    return _back(executive_id)


@bp.route("/")
def mine():
    return _page(None)


@bp.route("/ranges", methods=["POST"])
def add_mine():
    return _add_range(None)


@bp.route("/preferences", methods=["POST"])
def preferences_mine():
    return _save_preferences(None)


@bp.route("/executives/<int:executive_id>")
def edit(executive_id: int):
    return _page(executive_id)


@bp.route("/executives/<int:executive_id>/ranges", methods=["POST"])
def add_for(executive_id: int):
    return _add_range(executive_id)


@bp.route("/executives/<int:executive_id>/preferences", methods=["POST"])
def preferences_for(executive_id: int):
    return _save_preferences(executive_id)


@bp.route("/ranges/<int:range_id>/delete", methods=["POST"])
def remove_range(range_id: int):
    db = get_session()
    availability.remove_unavailability(session=db, actor=current_user, range_id=range_id)
    db.commit()
    flash(_("Range removed."), "success")
    return redirect(
        url_for("availability.mine")
        if current_user.has_role(EX) and not current_user.has_role(PM)
        else url_for("availability.ledger")
    )


@bp.route("/ledger")
def ledger():
    db = get_session()
    return render_template(
        "availability/ledger.html",
        ledger=availability.behind_ledger(session=db, actor=current_user),
        cycle=availability.current_cycle(db),
    )


@bp.route("/executives/<int:executive_id>/remind", methods=["POST"])
def remind(executive_id: int):
    db = get_session()
    try:
        availability.send_reminder(session=db, actor=current_user, executive_id=executive_id)
    except DomainError as err:
        db.rollback()
        if err.status in (403, 404):
            raise
        flash(err.message, "error")
        return redirect(url_for("availability.ledger"))
    db.commit()
    flash(_("Reminder queued; it is sent with the next mail run."), "success")
    return redirect(url_for("availability.ledger"))


@bp.route("/import", methods=["GET", "POST"])
def import_csv():
    form = CsvUploadForm()
    page_args = {
        "title": _("Import unavailability"),
        "columns": UNAVAILABILITY_COLUMNS,
        "back_url": url_for("availability.ledger"),
    }
    if form.validate_on_submit():
        ranges, refused = run_import(
            form,
            lambda db, data: availability.import_unavailability(
                session=db, actor=current_user, data=data
            ),
            **page_args,
        )
        if refused:
            return refused
        flash(
            ngettext("%(num)d range imported.", "%(num)d ranges imported.", len(ranges)),
            "success",
        )
        return redirect(url_for("availability.ledger"))
    return upload_page(form, **page_args)
