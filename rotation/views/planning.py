"""Planning in the app: start a run, watch it, review the draft, adjust it and publish it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user
from werkzeug.routing import BuildError

from .. import navigation
from ..auth import PM, register_access, roles
from ..db import get_session
from ..errors import DomainError
from ..forms.planning import ActionForm, AdjustForm, RerunForm, StartRunForm
from ..i18n import _, _l, lazy_pgettext
from ..models import PlanRunStatus
from ..services import accounts, planning_runs, sites
from ..services.paging import Page
from .util import page_arg, per_page, show_error

bp = Blueprint("planning", __name__, url_prefix="/planning")

register_access(
    {
        "planning.index": roles(PM),
        "planning.start": roles(PM),
        "planning.run": roles(PM),
        "planning.progress": roles(PM),
        "planning.cancel": roles(PM),
        "planning.draft": roles(PM),
        "planning.pin": roles(PM),
        "planning.drop": roles(PM),
        "planning.rerun": roles(PM),
        "planning.publish": roles(PM),
        "planning.download": roles(PM),
    }
)
navigation.add("planning.index", _l("Plan"), before="executives.index")


# The planner's phases in words; a phase not listed shows as it is.
PHASE_LABELS = {
    "queued": _l("waiting for a worker"),
    "starting": _l("reading the problem"),
    "greedy": _l("a quick first plan"),
    "relaxation": _l("estimating the best possible"),
    "coverage": _l("placing as many rotations as possible"),
    "max_team_load": _l("spreading rotations evenly over the teams"),
    "kept": _l("keeping published rotations where it can"),
    "done": lazy_pgettext("planning phase", "done"),
    "cancelled": lazy_pgettext("planning run", "cancelled"),
    "failed": _l("failed"),
}


@bp.app_template_filter("run_phase_label")
def run_phase_label(phase: str) -> str:
    return str(PHASE_LABELS.get(phase, phase))


@bp.app_template_filter("run_status_label")
def run_status_label(status: str) -> str:
    return planning_runs.status_label(status)


# The diff tables list this many entries each; the count above them gives the rest.
DIFF_SHOWN = 100
DOWNLOADS = ("problem", "plan")


def _first_of_month(day: date, months_later: int) -> date:
    index = day.year * 12 + day.month - 1 + months_later
    return date(index // 12, index % 12 + 1, 1)


def _default_horizon(today: date) -> tuple[date, date]:
    """The next calendar quarter: what a program manager plans most often."""
    quarter = today.replace(month=(today.month - 1) // 3 * 3 + 1, day=1)
    start = _first_of_month(quarter, 3)
    return start, _first_of_month(start, 3) - timedelta(days=1)


def _start_form(db, formdata=True) -> StartRunForm:
    form = StartRunForm() if formdata else StartRunForm(formdata=None)
    form.site_ids.choices = [(site.id, site.name) for site in sites.all_sites(db)]
    form.team_ids.choices = [
        (team.id, f"{team.site.name} · {team.name}") for team in sites.all_teams(db)
    ]
    return form


def _index_page(db, form: StartRunForm, status: int = 200):
    runs = planning_runs.list_runs(
        session=db, actor=current_user, page=page_arg(), per_page=per_page()
    )
    return render_template(
        "planning/index.html",
        form=form,
        runs=runs,
        published=planning_runs.published_run(db),
        has_teams=bool(form.team_ids.choices),
        may_start=planning_runs.can_start(current_user),
    ), status


@bp.route("")
def index():
    db = get_session()
    form = _start_form(db, formdata=False)
    form.start.data, form.end.data = _default_horizon(date.today())
    return _index_page(db, form)


def _dispatch(run_id: int) -> None:
    thread = planning_runs.dispatch(current_app._get_current_object(), run_id)
    # PLAN_RUN_WAIT makes the request wait for a run in a thread (tests, scripts).
    if thread is not None and current_app.config.get("PLAN_RUN_WAIT"):
        thread.join()


@bp.route("/runs", methods=["POST"])
def start():
    db = get_session()
    form = _start_form(db)
    if not form.validate_on_submit():
        return _index_page(db, form, status=400)
    try:
        run = planning_runs.start_run(
            session=db,
            actor=current_user,
            start=form.start.data,
            end=form.end.data,
            site_ids=form.site_ids.data or [],
            team_ids=form.team_ids.data or [],
            time_limit_s=form.time_limit_s.data,
        )
    except DomainError as err:
        db.rollback()
        show_error(form, err)
        return _index_page(db, form, status=err.status)
    db.commit()
    _dispatch(run.id)
    return redirect(url_for("planning.run", run_id=run.id))


def _scope_names(db, run) -> tuple[list[str], list[str]]:
    site_names = {site.id: site.name for site in sites.all_sites(db)}
    team_names = {team.id: f"{team.site.name} · {team.name}" for team in sites.all_teams(db)}
    return (
        [site_names.get(site_id, f"#{site_id}") for site_id in run.site_ids],
        [team_names.get(team_id, f"#{team_id}") for team_id in run.team_ids],
    )


@bp.route("/runs/<int:run_id>")
def run(run_id: int):
    db = get_session()
    plan_run = planning_runs.get_run(db, run_id)
    site_names, team_names = _scope_names(db, plan_run)
    return render_template(
        "planning/run.html",
        run=plan_run,
        site_names=site_names,
        team_names=team_names,
        progress=_progress(plan_run),
        may_cancel=planning_runs.can_cancel(current_user, plan_run),
        action_form=ActionForm(formdata=None),
    )


def _progress(plan_run) -> dict:
    data = planning_runs.progress_json(plan_run)
    data["phase_label"] = run_phase_label(plan_run.phase)
    data["draft_url"] = (
        url_for("planning.draft", run_id=plan_run.id) if plan_run.plan_json is not None else None
    )
    return data


@bp.route("/runs/<int:run_id>/progress.json")
def progress(run_id: int):
    db = get_session()
    response = jsonify(_progress(planning_runs.get_run(db, run_id)))
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/runs/<int:run_id>/cancel", methods=["POST"])
def cancel(run_id: int):
    db = get_session()
    form = ActionForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        plan_run = planning_runs.cancel_run(session=db, actor=current_user, run_id=run_id)
    except DomainError as err:
        db.rollback()
        if err.status == 403:
            raise
        flash(err.message, "error")
        return redirect(url_for("planning.run", run_id=run_id))
    db.commit()
    if plan_run.status == PlanRunStatus.CANCELLED:
        flash(_("Run cancelled before the solver started."), "info")
    else:
        flash(
            _("The run is being cancelled; the best plan found so far stays as its draft."),
            "info",
        )
    return redirect(url_for("planning.run", run_id=run_id))


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    y: float
    width: float


@dataclass(frozen=True)
class BarChart:
    """Horizontal bars of rotations per team, sized in SVG user units."""

    bars: list[Bar]
    height: float
    fair_x: float
    fair_share: float
    scale_max: int

    LABEL_W = 260.0
    PLOT_W = 420.0
    ROW_H = 24.0
    TOP = 28.0

    @property
    def width(self) -> float:
        return self.LABEL_W + self.PLOT_W + 50


def bar_chart(team_loads, fair_share: float) -> BarChart:
    """Lay the per-team bars out; the scale leaves room for the fair-share line."""
    scale_max = max([1, *(load.rotations for load in team_loads), int(fair_share + 0.999)])
    per_unit = BarChart.PLOT_W / scale_max
    bars = [
        Bar(
            label=f"{load.site_name} · {load.team_name}",
            value=load.rotations,
            y=BarChart.TOP + index * BarChart.ROW_H,
            width=load.rotations * per_unit,
        )
        for index, load in enumerate(team_loads)
    ]
    return BarChart(
        bars=bars,
        height=BarChart.TOP + len(bars) * BarChart.ROW_H + 8,
        fair_x=BarChart.LABEL_W + fair_share * per_unit,
        fair_share=fair_share,
        scale_max=scale_max,
    )


def _fix_links(unassigned) -> list[list[tuple[str, str]]]:
    """(label, url) per fix link; a link whose page does not exist is left out."""
    result = []
    for item in unassigned:
        links = []
        for label, endpoint, kwargs in item.fix_links:
            try:
                links.append((label, url_for(endpoint, **kwargs)))
            except BuildError:
                continue
        result.append(links)
    return result


def _rotation_page(rotations, team_id: int | None) -> Page:
    chosen = [r for r in rotations if team_id is None or r.team_id == team_id]
    size = per_page()
    pages = max(1, -(-len(chosen) // size))
    number = min(page_arg(), pages)
    return Page(
        items=chosen[(number - 1) * size : number * size],
        number=number,
        per_page=size,
        total=len(chosen),
    )


def _draft_page(db, plan_run, *, rerun_form=None, status=200):
    draft = planning_runs.draft(session=db, actor=current_user, run_id=plan_run.id)
    team_id = request.args.get("team_id", type=int)
    rerun_form = rerun_form or RerunForm(formdata=None, time_limit_s=plan_run.time_limit_s)
    teams_with_rotations = sorted(
        {(r.team_id, r.team_name) for r in draft.rotations}, key=lambda pair: pair[1]
    )
    return render_template(
        "planning/draft.html",
        run=plan_run,
        draft=draft,
        chart=bar_chart(draft.team_loads, draft.fair_share),
        fix_links=_fix_links(draft.unassigned),
        rotations=_rotation_page(draft.rotations, team_id),
        team_id=team_id,
        teams_with_rotations=teams_with_rotations,
        diff_shown=DIFF_SHOWN,
        may_publish=planning_runs.can_publish(current_user, plan_run, draft),
        may_adjust=planning_runs.can_adjust(current_user, plan_run),
        published_by=(
            accounts.get_user(db, plan_run.published_by_id).name
            if plan_run.published_by_id
            else None
        ),
        may_start=planning_runs.can_start(current_user),
        action_form=ActionForm(formdata=None),
        rerun_form=rerun_form,
    ), status


@bp.route("/runs/<int:run_id>/draft")
def draft(run_id: int):
    db = get_session()
    plan_run = planning_runs.get_run(db, run_id)
    if plan_run.plan_json is None:
        flash(_("This run has no draft yet. Watch its progress here."), "info")
        return redirect(url_for("planning.run", run_id=run_id))
    return _draft_page(db, plan_run)


def _back_to_draft(run_id: int):
    # Back to the page and team the button was pressed on.
    query = {
        key: value for key, value in request.args.items() if key in ("page", "team_id") and value
    }
    return redirect(url_for("planning.draft", run_id=run_id, **query) + "#rotations")


def _adjust(run_id: int, change, done: str):
    db = get_session()
    form = AdjustForm()
    if not form.validate_on_submit():
        flash(_("That rotation could not be changed. Reload the draft and try again."), "error")
        return _back_to_draft(run_id)
    try:
        if form.clear.data:
            planning_runs.clear_adjustment(
                session=db,
                actor=current_user,
                run_id=run_id,
                executive_id=form.executive_id.data,
                slot_ids=form.slot_ids.data,
            )
            done = _("Adjustment removed.")
        else:
            change(
                session=db,
                actor=current_user,
                run_id=run_id,
                executive_id=form.executive_id.data,
                slot_ids=form.slot_ids.data,
            )
    except DomainError as err:
        db.rollback()
        if err.status == 403:
            raise
        flash(err.message, "error")
        return _back_to_draft(run_id)
    db.commit()
    flash(done, "success")
    return _back_to_draft(run_id)


@bp.route("/runs/<int:run_id>/pin", methods=["POST"])
def pin(run_id: int):
    return _adjust(
        run_id,
        planning_runs.pin,
        _("Rotation pinned: a re-run keeps it as it is."),
    )


@bp.route("/runs/<int:run_id>/drop", methods=["POST"])
def drop(run_id: int):
    return _adjust(
        run_id,
        planning_runs.drop,
        _("Rotation dropped: a re-run will not place this executive there again."),
    )


@bp.route("/runs/<int:run_id>/rerun", methods=["POST"])
def rerun(run_id: int):
    db = get_session()
    based_on = planning_runs.get_run(db, run_id)
    form = RerunForm()
    if not form.validate_on_submit():
        if based_on.plan_json is None:
            abort(400)
        return _draft_page(db, based_on, rerun_form=form, status=400)
    try:
        new_run = planning_runs.start_run(
            session=db,
            actor=current_user,
            start=based_on.horizon_start,
            end=based_on.horizon_end,
            site_ids=list(based_on.site_ids),
            team_ids=list(based_on.team_ids),
            time_limit_s=form.time_limit_s.data,
            based_on_id=based_on.id,
        )
    except DomainError as err:
        db.rollback()
        flash(err.message, "error")
        return redirect(url_for("planning.draft", run_id=run_id))
    db.commit()
    _dispatch(new_run.id)
    return redirect(url_for("planning.run", run_id=new_run.id))


@bp.route("/runs/<int:run_id>/publish", methods=["POST"])
def publish(run_id: int):
    db = get_session()
    form = ActionForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        report = planning_runs.publish(session=db, actor=current_user, run_id=run_id)
    except DomainError as err:
        db.rollback()
        if err.status == 403:
            raise
        flash(err.message, "error")
        return redirect(url_for("planning.draft", run_id=run_id))
    db.commit()
    flash(
        _(
            "Plan published. New proposals: %(created)d; rotations already agreed and kept: "
            "%(kept)d; older proposals withdrawn: %(superseded)d.",
            created=report.created,
            kept=report.kept,
            superseded=report.superseded,
        ),
        "success",
    )
    return redirect(url_for("planning.draft", run_id=run_id))


@bp.route("/runs/<int:run_id>/<which>.json")
def download(run_id: int, which: str):
    if which not in DOWNLOADS:
        abort(404)
    db = get_session()
    plan_run = planning_runs.get_run(db, run_id)
    if which == "plan" and plan_run.plan_json is None:
        abort(404)
    body = (
        planning_runs.problem_file(plan_run)
        if which == "problem"
        else planning_runs.plan_file(plan_run)
    )
    filename = (
        f"{which}-{plan_run.horizon_start.isoformat()}-{plan_run.horizon_end.isoformat()}"
        f"-run{plan_run.id}.json"
    )
    return Response(
        body,
        mimetype="application/json",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
