"""Planning runs: export the state, solve in the background, watch, adjust and publish.

A run lives in one row (`PlanRun`). The web process exports the problem and commits the
row; a worker (a thread in the app, or `flask worker` on an RQ queue when REDIS_URL is
set) solves it with `rotation.planning`, pushing progress points and a heartbeat into the
row. A run whose heartbeat stops is marked failed by `fail_stale_runs`, so no run stays
"running" after its worker died. The plan is a draft until `publish` turns it into
proposed rotations.
"""

from __future__ import annotations

import json
import logging
import re
import threading
from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, timedelta
from math import ceil
from typing import Any

from flask import current_app, has_app_context
from sqlalchemy import or_, update
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from ..db import make_engine
from ..errors import Conflict, Invalid, NotAllowed, NotFound
from ..i18n import _, ngettext, pgettext
from ..models import (
    ACTIVE_RUN_STATUSES,
    Booking,
    BookingDay,
    BookingStatus,
    Executive,
    PlanRun,
    PlanRunStatus,
    Role,
    Slot,
    Team,
    User,
    utcnow,
)
from ..planning.plan import Plan, parse_plan, plan_to_json
from ..planning.problem import parse_problem
from . import audit, plans
from .bookings import transition
from .paging import Page, paginate
from .plan_reasons import translate_reason

log = logging.getLogger(__name__)

R = PlanRunStatus
MIN_TIME_LIMIT_S = 5
MAX_TIME_LIMIT_S = 600
# Progress keeps a point per half second of solver time and at most MAX_POINTS of them.
PROGRESS_EVERY_S = 0.5
MAX_POINTS = 200
# How often the worker writes its heartbeat and looks for a cancel request.
REPORT_EVERY_S = 0.5
SUPERSEDED = "superseded by a newer plan"
DEFAULTS: dict[str, Any] = {
    "PLAN_WORKERS": 2,
    "PLAN_QUEUE": "planning",
    "PLAN_RUN_STALE_S": 30,
    "PLAN_RUN_QUEUE_TIMEOUT_S": 900,
}
# Set by run_worker: the settings of the `flask worker` process that runs queued jobs.
_worker_config: dict[str, Any] | None = None


def _setting(name: str) -> Any:
    """A planning setting of the running app, else its default (worker threads have no app)."""
    if has_app_context():
        return current_app.config.get(name, DEFAULTS[name])
    return DEFAULTS[name]


# -- who may act --------------------------------------------------------------------------


def can_start(actor: User | None) -> bool:
    return actor is not None and actor.has_role(Role.PROGRAM_MANAGER)


def can_cancel(actor: User | None, run: PlanRun) -> bool:
    return can_start(actor) and run.is_active and R(run.status) != R.CANCELLING


def can_publish(actor: User | None, run: PlanRun, draft: Draft | None = None) -> bool:
    if not can_start(actor):
        return False
    return draft.is_publishable if draft is not None else _is_publishable(run)


def can_adjust(actor: User | None, run: PlanRun) -> bool:
    return can_start(actor) and run.plan_json is not None and run.published_at is None


def _require_manager(actor: User | None) -> None:
    if not can_start(actor):
        raise NotAllowed(_("Only program managers plan rotations."))


def _is_publishable(run: PlanRun) -> bool:
    return (
        R(run.status) in (R.FINISHED, R.CANCELLED)
        and run.plan_json is not None
        and run.plan_status in ("OPTIMAL", "FEASIBLE")
        and run.published_at is None
    )


# -- starting, listing, cancelling --------------------------------------------------------


def get_run(session: Session, run_id: int) -> PlanRun:
    """The run; a run whose worker died is marked failed first.

    Raises NotFound.
    """
    fail_stale_runs(session=session)
    # A worker writes the row from elsewhere; never serve an older copy from the session.
    run = session.get(PlanRun, run_id, populate_existing=True)
    if run is None:
        raise NotFound(_("This planning run does not exist."))
    return run


def list_runs(*, session: Session, actor: User, page: int = 1, per_page: int = 25) -> Page:
    """The runs, newest first, a page at a time."""
    _require_manager(actor)
    fail_stale_runs(session=session)
    statement = select(PlanRun).order_by(PlanRun.created_at.desc(), PlanRun.id.desc())
    return paginate(session, statement, page=page, per_page=per_page)


def active_run(session: Session, *, start: date, end: date) -> PlanRun | None:
    return session.exec(
        select(PlanRun).where(
            PlanRun.horizon_start == start,
            PlanRun.horizon_end == end,
            PlanRun.status.in_([status.value for status in ACTIVE_RUN_STATUSES]),
        )
    ).first()


def published_run(session: Session) -> PlanRun | None:
    """The run published last, whatever its horizon."""
    return plans.latest_published_run(session)


def start_run(
    *,
    session: Session,
    actor: User,
    start: date,
    end: date,
    site_ids: list[int],
    team_ids: list[int],
    time_limit_s: int,
    based_on_id: int | None = None,
    now: datetime | None = None,
) -> PlanRun:
    """Export the current state for the horizon and queue a run on it.

    Empty site_ids or team_ids mean all. A run based on a draft takes over its pins (as
    `fixed`) and drops (as `forbidden`). The caller commits, then calls dispatch.
    Raises NotAllowed, Invalid (horizon, time limit) and Conflict (a run for the horizon
    is still active).
    """
    _require_manager(actor)
    if not MIN_TIME_LIMIT_S <= time_limit_s <= MAX_TIME_LIMIT_S:
        raise Invalid(
            _(
                "The time limit must be between %(low)d and %(high)d seconds.",
                low=MIN_TIME_LIMIT_S,
                high=MAX_TIME_LIMIT_S,
            ),
            field="time_limit_s",
        )
    now = now or utcnow()
    fail_stale_runs(session=session, now=now)
    if active_run(session, start=start, end=end) is not None:
        raise Conflict(_("A run for this horizon is still going; wait for it or cancel it."))
    based_on = get_run(session, based_on_id) if based_on_id is not None else None
    problem = plans.export_problem(
        session, start=start, end=end, site_ids=site_ids or None, team_ids=team_ids or None
    )
    pins = [dict(pin) for pin in based_on.pins] if based_on else []
    drops = [dict(drop) for drop in based_on.drops] if based_on else []
    apply_adjustments(problem, pins=pins, drops=drops)
    run = PlanRun(
        horizon_start=start,
        horizon_end=end,
        site_ids=sorted(site_ids),
        team_ids=sorted(team_ids),
        time_limit_s=time_limit_s,
        status=R.QUEUED.value,
        phase="queued",
        problem_json=json.dumps(problem, ensure_ascii=False),
        pins=pins,
        drops=drops,
        based_on_id=based_on.id if based_on else None,
        created_by_id=actor.id,
        created_at=now,
    )
    try:
        with session.begin_nested():
            session.add(run)
            session.flush()
    except IntegrityError:
        # Another request started a run for the horizon between our check and our insert.
        raise Conflict(
            _("A run for this horizon is still going; wait for it or cancel it.")
        ) from None
    audit.record(
        session,
        actor=actor,
        action="plan_run.start",
        obj=run,
        after={"horizon": [start.isoformat(), end.isoformat()], "time_limit_s": time_limit_s},
    )
    return run


def apply_adjustments(problem: dict, *, pins: list[dict], drops: list[dict]) -> None:
    """Put pinned rotations into `fixed` and dropped ones into `forbidden`, in place.

    Pins whose executive or slots are no longer in the export are left out, since the
    planner refuses unknown ids in `fixed`.
    """
    slot_keys = {slot["id"] for slot in problem["slots"]}
    executives = {executive["id"]: executive for executive in problem["executives"]}
    fixed: list[dict] = problem["fixed"]
    seen = {(entry["executive"], tuple(entry["slots"])) for entry in fixed}
    for pin in pins:
        executive = plans.executive_key(pin["executive_id"])
        slots = tuple(plans.slot_key(slot_id) for slot_id in pin["slot_ids"])
        if executive not in executives or not set(slots) <= slot_keys or (executive, slots) in seen:
            continue
        fixed.append({"executive": executive, "slots": list(slots)})
        seen.add((executive, slots))
    # Rule 4 caps an executive's rotations; a pin must never make the problem infeasible.
    for executive, count in Counter(entry["executive"] for entry in fixed).items():
        executives[executive]["rotations"] = max(executives[executive]["rotations"], count)
    fixed_pairs = {(entry["executive"], slot) for entry in fixed for slot in entry["slots"]}
    forbidden: list[dict] = problem["forbidden"]
    pairs = {(entry["executive"], entry["slot"]) for entry in forbidden}
    for drop in drops:
        executive = plans.executive_key(drop["executive_id"])
        for slot_id in drop["slot_ids"]:
            pair = (executive, plans.slot_key(slot_id))
            if pair in pairs or pair in fixed_pairs or pair[1] not in slot_keys:
                continue
            if executive in executives:
                forbidden.append({"executive": pair[0], "slot": pair[1]})
                pairs.add(pair)


def cancel_run(
    *, session: Session, actor: User, run_id: int, now: datetime | None = None
) -> PlanRun:
    """Stop a run: a queued one ends at once, a running one is asked to stop.

    A run asked to stop keeps the best plan found so far as its draft.
    Raises NotAllowed, and Invalid when the run has already ended.
    """
    _require_manager(actor)
    now = now or utcnow()
    run = get_run(session, run_id)
    for _attempt in range(3):
        status = R(run.status)
        if status == R.CANCELLING:
            return run
        if status == R.QUEUED:
            target = {
                "status": R.CANCELLED.value,
                "finished_at": now,
                "phase": "cancelled",
                "message": _("Cancelled before the solver started."),
            }
        elif status == R.RUNNING:
            target = {"status": R.CANCELLING.value}
        else:
            raise Invalid(_("This run has already ended."))
        moved = session.execute(
            update(PlanRun)
            .where(PlanRun.id == run.id, PlanRun.status == status.value)
            .values(**target)
            .execution_options(synchronize_session=False)
        )
        session.refresh(run)
        if moved.rowcount == 1:
            break
        # The worker moved the run meanwhile (queued -> running); decide again.
    if R(run.status) == R.CANCELLED and run.backend == "rq" and run.job_id:
        _cancel_queued_job(run.job_id)
    audit.record(
        session,
        actor=actor,
        action="plan_run.cancel",
        obj=run,
        after={"status": run.status},
    )
    return run


def _cancel_queued_job(job_id: str) -> None:
    """Take a job off the queue; a worker that picks it up anyway finds the run cancelled."""
    redis_url = current_app.config.get("REDIS_URL") if has_app_context() else None
    if not redis_url:
        return
    from redis import Redis
    from rq.exceptions import NoSuchJobError
    from rq.job import Job, JobStatus

    try:
        connection = Redis.from_url(redis_url)
        job = Job.fetch(job_id, connection=connection)
        if job.get_status() in (JobStatus.QUEUED, JobStatus.DEFERRED, JobStatus.SCHEDULED):
            job.cancel()
    except NoSuchJobError:
        return
    except Exception:  # the queue is a convenience here; the database decides
        log.warning("could not cancel queued job %s", job_id, exc_info=True)


def fail_stale_runs(
    *,
    session: Session,
    now: datetime | None = None,
    stale_s: float | None = None,
    queue_timeout_s: float | None = None,
) -> list[PlanRun]:
    """Mark failed every active run whose worker stopped answering; return them.

    A started run is stale when its heartbeat is older than PLAN_RUN_STALE_S seconds; a
    queued run when no worker picked it up within PLAN_RUN_QUEUE_TIMEOUT_S. The change is
    committed in a transaction of its own, since it holds whatever the caller does next.
    """
    now = now or utcnow()
    stale = timedelta(seconds=stale_s if stale_s is not None else _setting("PLAN_RUN_STALE_S"))
    waited = timedelta(
        seconds=queue_timeout_s
        if queue_timeout_s is not None
        else _setting("PLAN_RUN_QUEUE_TIMEOUT_S")
    )
    active = [status.value for status in ACTIVE_RUN_STATUSES]
    failed_ids: list[int] = []
    with Session(session.get_bind(), expire_on_commit=False) as own:
        candidates = own.exec(
            select(PlanRun).where(
                PlanRun.status.in_(active),
                or_(
                    PlanRun.heartbeat_at < now - stale,
                    PlanRun.heartbeat_at.is_(None) & (PlanRun.created_at < now - waited),
                ),
            )
        ).all()
        for run in candidates:
            if run.heartbeat_at is not None:
                reason = _(
                    "The worker stopped responding (last sign of life at %(at)s UTC).",
                    at=run.heartbeat_at.strftime("%Y-%m-%d %H:%M:%S"),
                )
                still_stale = PlanRun.heartbeat_at == run.heartbeat_at
            else:
                reason = _(
                    "No worker picked the run up within %(n)d seconds; "
                    "is the planning worker running?",
                    n=int(waited.total_seconds()),
                )
                still_stale = PlanRun.heartbeat_at.is_(None)
            moved = own.execute(
                update(PlanRun)
                .where(PlanRun.id == run.id, PlanRun.status.in_(active), still_stale)
                .values(status=R.FAILED.value, message=reason, finished_at=now, phase="failed")
                .execution_options(synchronize_session=False)
            )
            if moved.rowcount == 1:
                failed_ids.append(run.id)
        own.commit()
    result = []
    for run_id in failed_ids:
        run = session.get(PlanRun, run_id)
        if run is not None:
            session.refresh(run)
            result.append(run)
    return result


# -- running ------------------------------------------------------------------------------


def dispatch(app_or_config: Any, run_id: int) -> threading.Thread | None:
    """Hand a committed, queued run to a worker.

    Without REDIS_URL a daemon thread of this process solves it (returned, so a caller
    may join it); with REDIS_URL the run goes to the RQ queue PLAN_QUEUE that
    `flask --app app worker` serves.
    """
    flask_app = app_or_config if hasattr(app_or_config, "config") else None
    config: Mapping[str, Any] = flask_app.config if flask_app is not None else app_or_config
    database_url = str(config["DATABASE_URL"])
    workers = int(config.get("PLAN_WORKERS", DEFAULTS["PLAN_WORKERS"]))
    redis_url = config.get("REDIS_URL")
    if not redis_url:
        thread = threading.Thread(
            target=execute_run,
            kwargs={"database_url": database_url, "run_id": run_id, "workers": workers},
            name=f"plan-run-{run_id}",
            daemon=True,
        )
        thread.start()
        return thread

    engine = flask_app.extensions["engine"] if flask_app is not None else make_engine(database_url)
    job_id = f"plan-run-{run_id}"
    try:
        with Session(engine) as session:
            run = session.get(PlanRun, run_id)
            if run is None:
                raise NotFound(_("This planning run does not exist."))
            run.backend, run.job_id = "rq", job_id
            time_limit_s = run.time_limit_s
            session.commit()
        try:
            from redis import Redis
            from rq import Queue

            queue = Queue(
                str(config.get("PLAN_QUEUE", DEFAULTS["PLAN_QUEUE"])),
                connection=Redis.from_url(str(redis_url)),
            )
            queue.enqueue(
                execute_run_job,
                run_id,
                job_id=job_id,
                job_timeout=time_limit_s + 120,
                description=f"planning run {run_id}",
            )
        except Exception as err:
            _mark_failed(engine, run_id, _("The run could not be queued: %(why)s", why=_line(err)))
    finally:
        if flask_app is None:
            engine.dispose()
    return None


def execute_run_job(run_id: int) -> None:
    """The RQ job: solve the run with the database of the worker's own settings."""
    config = _job_config()
    execute_run(
        database_url=str(config["DATABASE_URL"]),
        run_id=run_id,
        workers=int(config.get("PLAN_WORKERS", DEFAULTS["PLAN_WORKERS"])),
    )


def _job_config() -> Mapping[str, Any]:
    if _worker_config is not None:
        return _worker_config
    if has_app_context():
        return current_app.config
    from .. import config

    return config.load()


def run_worker(
    config: Mapping[str, Any], *, burst: bool = False, worker_class: type | None = None
) -> bool:
    """Serve the planning queue with the given settings until stopped (or empty, in burst)."""
    from redis import Redis
    from rq import Queue, Worker

    global _worker_config
    _worker_config = dict(config)
    try:
        connection = Redis.from_url(str(config["REDIS_URL"]))
        queue = Queue(str(config.get("PLAN_QUEUE", DEFAULTS["PLAN_QUEUE"])), connection=connection)
        worker = (worker_class or Worker)([queue], connection=connection)
        return worker.work(burst=burst, with_scheduler=False)
    finally:
        _worker_config = None


def execute_run(*, database_url: str, run_id: int, workers: int = 2) -> None:
    """Solve one run in this thread with an engine of its own; the body of both back ends.

    Whatever happens, the run ends finished, cancelled or failed with a reason.
    """
    engine = make_engine(database_url)
    try:
        _execute(engine, run_id, workers)
    finally:
        engine.dispose()


def _execute(engine: Engine, run_id: int, workers: int) -> None:
    now = utcnow()
    with Session(engine, expire_on_commit=False) as session:
        started = session.execute(
            update(PlanRun)
            .where(PlanRun.id == run_id, PlanRun.status == R.QUEUED.value)
            .values(status=R.RUNNING.value, started_at=now, heartbeat_at=now, phase="starting")
            .execution_options(synchronize_session=False)
        )
        if started.rowcount != 1:
            # Cancelled (or failed as never picked up) before a worker got to it.
            session.execute(
                update(PlanRun)
                .where(PlanRun.id == run_id, PlanRun.status == R.CANCELLING.value)
                .values(
                    status=R.CANCELLED.value,
                    finished_at=now,
                    phase="cancelled",
                    message=_("Cancelled before the solver started."),
                )
                .execution_options(synchronize_session=False)
            )
            session.commit()
            return
        session.commit()
        run = session.get(PlanRun, run_id)
        assert run is not None
        problem_text, time_limit_s = run.problem_json, run.time_limit_s

    reporter = _Reporter(engine, run_id)
    reporter.start()
    try:
        from ..planning.solve import solve
        from ..planning.validate import validate

        problem = parse_problem(json.loads(problem_text))
        plan = solve(
            problem,
            time_limit_s=time_limit_s,
            workers=workers,
            on_progress=reporter.progress,
            should_stop=reporter.should_stop,
        )
        violations = validate(problem, plan)
    except BaseException as err:
        reporter.stop()
        _mark_failed(engine, run_id, _("The run failed: %(why)s", why=_line(err)))
        if not isinstance(err, Exception):
            raise
        log.exception("planning run %s failed", run_id)
        return
    reporter.stop()
    if violations:
        _mark_failed(
            engine,
            run_id,
            ngettext(
                "The solver's plan breaks %(num)d rule, so it was not kept: %(rules)s",
                "The solver's plan breaks %(num)d rules, so it was not kept: %(rules)s",
                len(violations),
                rules="; ".join(violations[:5]),
            ),
        )
        return
    _save_plan(engine, run_id, plan, reporter.points())


def _save_plan(engine: Engine, run_id: int, plan: Plan, points: list[dict]) -> None:
    now = utcnow()
    values = {
        "plan_json": json.dumps(plan_to_json(plan), ensure_ascii=False),
        "objective": asdict(plan.objective),
        "bound": asdict(plan.bound),
        "plan_status": plan.status,
        "finished_at": now,
        "heartbeat_at": now,
        "phase": "done",
        "progress": points,
    }
    with Session(engine) as session:
        finished = session.execute(
            update(PlanRun)
            .where(PlanRun.id == run_id, PlanRun.status == R.RUNNING.value)
            .values(status=R.FINISHED.value, **values)
            .execution_options(synchronize_session=False)
        )
        if finished.rowcount != 1:
            session.execute(
                update(PlanRun)
                .where(PlanRun.id == run_id, PlanRun.status == R.CANCELLING.value)
                .values(
                    status=R.CANCELLED.value,
                    message=_("Cancelled; the best plan found so far is kept as the draft."),
                    **values,
                )
                .execution_options(synchronize_session=False)
            )
        session.commit()


def _mark_failed(engine: Engine, run_id: int, reason: str) -> None:
    now = utcnow()
    with Session(engine) as session:
        session.execute(
            update(PlanRun)
            .where(
                PlanRun.id == run_id,
                PlanRun.status.in_([status.value for status in ACTIVE_RUN_STATUSES]),
            )
            .values(status=R.FAILED.value, message=reason[:2000], finished_at=now, phase="failed")
            .execution_options(synchronize_session=False)
        )
        session.commit()


def _line(err: BaseException) -> str:
    text = str(err).strip().splitlines()
    first = text[0] if text else ""
    return f"{type(err).__name__}: {first}"[:500] if first else type(err).__name__


class _Reporter:
    """Carries progress from the solver's callbacks into the run's row, off the solver.

    Callbacks only touch memory; a thread of its own writes the points and the heartbeat
    every REPORT_EVERY_S and reads whether someone asked the run to stop.
    """

    def __init__(self, engine: Engine, run_id: int) -> None:
        self._engine = engine
        self._run_id = run_id
        self._lock = threading.Lock()
        self._points: list[dict] = []
        self._phase = "solving"
        self._dirty = False
        self._done = threading.Event()
        self._stop_requested = threading.Event()
        self._thread = threading.Thread(
            target=self._loop, name=f"plan-run-{run_id}-report", daemon=True
        )

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._done.set()
        self._thread.join()

    def should_stop(self) -> bool:
        return self._stop_requested.is_set()

    def points(self) -> list[dict]:
        with self._lock:
            return list(self._points)

    def progress(self, progress: Any) -> None:
        objective, bound = progress.objective, progress.bound
        point = {
            "t": round(float(progress.elapsed_s), 2),
            "phase": progress.phase,
            "coverage": objective.coverage if objective is not None else None,
            "preference": objective.preference if objective is not None else None,
            "coverage_bound": bound.coverage if bound is not None else None,
            "preference_bound": bound.preference if bound is not None else None,
        }
        with self._lock:
            self._phase = progress.phase
            self._dirty = True
            points = self._points
            # A point per PROGRESS_EVERY_S of solver time is enough for the chart.
            if (
                points
                and point["t"] - points[-1]["t"] < PROGRESS_EVERY_S
                and points[-1]["phase"] == point["phase"]
            ):
                return
            points.append(point)
            if len(points) > MAX_POINTS:
                self._points = [points[0], *points[1:-1:2], points[-1]]

    def _loop(self) -> None:
        while not self._done.wait(REPORT_EVERY_S):
            self._report()
        self._report()

    def _report(self) -> None:
        with self._lock:
            values: dict[str, Any] = {"heartbeat_at": utcnow()}
            if self._dirty:
                values.update(progress=list(self._points), phase=self._phase[:60])
                self._dirty = False
        try:
            with Session(self._engine) as session:
                session.execute(
                    update(PlanRun)
                    .where(
                        PlanRun.id == self._run_id,
                        PlanRun.status.in_([R.RUNNING.value, R.CANCELLING.value]),
                    )
                    .values(**values)
                    .execution_options(synchronize_session=False)
                )
                session.commit()
                status = session.exec(select(PlanRun.status).where(PlanRun.id == self._run_id))
                current = status.first()
        except Exception:
            # A busy database skips one beat; a dead one ends in the stale check.
            log.warning("planning run %s: progress not written", self._run_id, exc_info=True)
            return
        if current != R.RUNNING.value:
            self._stop_requested.set()


# -- progress as JSON ---------------------------------------------------------------------


def status_label(status: str) -> str:
    labels = {
        R.QUEUED: _("waiting for a worker"),
        R.RUNNING: _("running"),
        R.CANCELLING: _("stopping"),
        R.CANCELLED: pgettext("planning run", "cancelled"),
        R.FAILED: _("failed"),
        R.FINISHED: _("finished"),
    }
    return labels[R(status)]


def progress_json(run: PlanRun, *, now: datetime | None = None) -> dict:
    """What the progress page polls: status, phase, elapsed time and the chart's points."""
    now = now or utcnow()
    if run.started_at is None:
        elapsed = 0.0
    else:
        elapsed = ((run.finished_at or now) - run.started_at).total_seconds()
    return {
        "id": run.id,
        "status": run.status,
        "status_label": status_label(run.status),
        "phase": run.phase,
        "elapsed_s": round(max(elapsed, 0.0), 1),
        "time_limit_s": run.time_limit_s,
        "message": run.message,
        "points": list(run.progress),
        "objective": run.objective,
        "bound": run.bound,
        "plan_status": run.plan_status,
        "is_active": run.is_active,
        "draft_url": None,
    }


# -- the draft ----------------------------------------------------------------------------


@dataclass(frozen=True)
class TermView:
    name: str
    label: str
    objective: int
    bound: int
    words: str


@dataclass(frozen=True)
class TeamLoad:
    team_id: int
    team_name: str
    site_name: str
    rotations: int


@dataclass(frozen=True)
class UnassignedView:
    executive_id: int
    executive_name: str
    missing: int
    reasons: list[str]
    # (label, endpoint, url arguments) of the pages where the cause can be fixed.
    fix_links: list[tuple[str, str, dict]]


@dataclass(frozen=True)
class RotationView:
    key: str
    executive_id: int
    executive_name: str
    team_id: int
    team_name: str
    days: list[tuple[date, str]]
    slot_ids: list[int]
    is_fixed: bool = False
    is_pinned: bool = False
    is_dropped: bool = False


@dataclass(frozen=True)
class Diff:
    added: list[RotationView] = field(default_factory=list)
    moved: list[tuple[RotationView, RotationView]] = field(default_factory=list)
    dropped: list[RotationView] = field(default_factory=list)


@dataclass(frozen=True)
class Draft:
    run: PlanRun
    plan_status: str
    status_words: str
    terms: list[TermView]
    team_loads: list[TeamLoad]
    fair_share: float
    unassigned: list[UnassignedView]
    rotations: list[RotationView]
    diff: Diff
    published: PlanRun | None
    is_publishable: bool
    # Why an INFEASIBLE plan is impossible: the clashing fixed rotations, in plain words.
    conflicts: list[str] = field(default_factory=list)


def _key_id(key: str) -> int:
    return int(key.rsplit("-", 1)[1])


def rotation_key(executive_id: int, slot_ids: list[int]) -> str:
    return f"{executive_id}:" + "-".join(str(slot_id) for slot_id in slot_ids)


def _term_words(name: str, objective: int, bound: int) -> str:
    if objective == bound:
        return _("optimal")
    gap = abs(bound - objective)
    if bound != 0:
        percent = max(1, ceil(gap * 100 / abs(bound)))
        return _("within %(percent)d %% of the best possible", percent=percent)
    return _("at most %(gap)d from the best possible", gap=gap)


def _term_labels() -> dict[str, str]:
    return {
        "coverage": _("Rotations placed"),
        "preference": _("Preference score"),
        "max_team_load": _("Most rotations at one team"),
        "kept": _("Kept from the published plan"),
    }


def _plan_status_words(status: str) -> str:
    return {
        "OPTIMAL": _("optimal: no better plan exists"),
        "FEASIBLE": _("a valid plan, not proven the best"),
        "INFEASIBLE": _("impossible: the fixed rotations break a rule"),
        "UNKNOWN": _("no plan found within the time limit"),
    }.get(status, status)


class _Names:
    """Names of the executives, teams and sites a plan's ids point to (missing: the id)."""

    def __init__(self, session: Session, problem: dict) -> None:
        self.executives = {
            executive.id: executive.user.name
            for executive in session.exec(
                select(Executive).where(
                    Executive.id.in_([_key_id(e["id"]) for e in problem["executives"]])
                )
            ).unique()
        }
        self.teams = {
            team.id: team
            for team in session.exec(
                select(Team).where(Team.id.in_([_key_id(t["id"]) for t in problem["teams"]]))
            ).unique()
        }

    def executive(self, executive_id: int) -> str:
        return self.executives.get(executive_id, plans.executive_key(executive_id))

    def team(self, team_id: int) -> str:
        team = self.teams.get(team_id)
        return team.name if team is not None else plans.team_key(team_id)

    def site(self, team_id: int, fallback: str) -> str:
        team = self.teams.get(team_id)
        return team.site.name if team is not None else fallback

    def humanize(self, text: str) -> str:
        """A planner reason with names in place of exec-7 and team-3."""
        text = re.sub(r"\bexec-(\d+)\b", lambda m: self.executive(int(m[1])), text)
        return re.sub(r"\bteam-(\d+)\b", lambda m: self.team(int(m[1])), text)


def _rotation_views(
    rotations: list[tuple[str, list[str]]], problem: dict, names: _Names, run: PlanRun | None
) -> list[RotationView]:
    slots = {slot["id"]: slot for slot in problem["slots"]}
    fixed = {(entry["executive"], tuple(entry["slots"])) for entry in problem.get("fixed", [])}
    pinned = {
        rotation_key(pin["executive_id"], pin["slot_ids"]) for pin in (run.pins if run else [])
    }
    dropped = {
        rotation_key(drop["executive_id"], drop["slot_ids"]) for drop in (run.drops if run else [])
    }
    views = []
    for executive_key, slot_keys in rotations:
        known = [slots[key] for key in slot_keys if key in slots]
        if not known:
            continue
        executive_id = _key_id(executive_key)
        slot_ids = [_key_id(key) for key in slot_keys]
        team_id = _key_id(known[0]["team"])
        key = rotation_key(executive_id, slot_ids)
        views.append(
            RotationView(
                key=key,
                executive_id=executive_id,
                executive_name=names.executive(executive_id),
                team_id=team_id,
                team_name=names.team(team_id),
                days=[(date.fromisoformat(slot["date"]), slot["kind"]) for slot in known],
                slot_ids=slot_ids,
                is_fixed=(executive_key, tuple(slot_keys)) in fixed,
                is_pinned=key in pinned,
                is_dropped=key in dropped,
            )
        )
    views.sort(key=lambda view: (view.days[0][0], view.team_name, view.executive_name))
    return views


def _fix_links(
    executive_id: int, reasons: list[str], problem: dict, names: _Names
) -> list[tuple[str, str, dict]]:
    text = " ".join(reasons)
    links: list[tuple[str, str, dict]] = []
    if "language" in text:
        links.append((_("Languages"), "executives.edit", {"executive_id": executive_id}))
    links.append((_("Availability"), "availability.edit", {"executive_id": executive_id}))
    if any(word in text for word in ("full", "needed for other", "no matching", "still free")):
        executive = next(
            (e for e in problem["executives"] if _key_id(e["id"]) == executive_id), None
        )
        speaks = set(executive["languages"]) if executive else set()
        teams = [team for team in problem["teams"] if speaks & set(team["languages"])]
        for team in teams[:3]:
            team_id = _key_id(team["id"])
            links.append(
                (
                    _("Capacity of %(team)s", team=names.team(team_id)),
                    "capacity.slots",
                    {"team_id": team_id},
                )
            )
    return links


def _published_rotations(
    session: Session, run: PlanRun, problem: dict
) -> tuple[PlanRun | None, list[tuple[str, list[str]]], dict]:
    """The published plan's rotations that fall in this run's horizon and teams."""
    published = plans.latest_published_run(session, start=run.horizon_start, end=run.horizon_end)
    if published is None or published.plan_json is None:
        return None, [], {}
    published_problem = json.loads(published.problem_json)
    teams = {team["id"] for team in problem["teams"]}
    slots = {
        slot["id"]: slot
        for slot in published_problem["slots"]
        if slot["team"] in teams
        and run.horizon_start <= date.fromisoformat(slot["date"]) <= run.horizon_end
    }
    rotations = [
        (entry["executive"], list(entry["slots"]))
        for entry in json.loads(published.plan_json)["rotations"]
        if all(key in slots for key in entry["slots"])
    ]
    return published, rotations, published_problem


def _diff(new: list[RotationView], old: list[RotationView]) -> Diff:
    new_keys = {view.key for view in new}
    old_keys = {view.key for view in old}
    added: dict[int, list[RotationView]] = defaultdict(list)
    dropped: dict[int, list[RotationView]] = defaultdict(list)
    for view in new:
        if view.key not in old_keys:
            added[view.executive_id].append(view)
    for view in old:
        if view.key not in new_keys:
            dropped[view.executive_id].append(view)
    diff = Diff()
    for executive_id in sorted(set(added) | set(dropped)):
        gained, lost = added.get(executive_id, []), dropped.get(executive_id, [])
        pairs = min(len(gained), len(lost))
        diff.moved.extend(zip(lost[:pairs], gained[:pairs], strict=True))
        diff.added.extend(gained[pairs:])
        diff.dropped.extend(lost[pairs:])
    return diff


def draft(*, session: Session, actor: User, run_id: int) -> Draft:
    """The run's plan for review: terms, loads, who is left out and why, and the change.

    Raises NotAllowed, NotFound (no such run, or no plan yet).
    """
    _require_manager(actor)
    run = get_run(session, run_id)
    if run.plan_json is None:
        raise NotFound(_("This run has no draft yet."))
    problem = json.loads(run.problem_json)
    plan = parse_plan(json.loads(run.plan_json))
    names = _Names(session, problem)

    labels = _term_labels()
    terms = []
    for name, label in labels.items():
        objective, bound = getattr(plan.objective, name), getattr(plan.bound, name)
        if plan.status in ("INFEASIBLE", "UNKNOWN"):
            words = _plan_status_words(plan.status)
        else:
            words = _term_words(name, objective, bound)
        terms.append(TermView(name, label, objective, bound, words))

    rotations = _rotation_views(
        [(rotation.executive, list(rotation.slots)) for rotation in plan.rotations],
        problem,
        names,
        run,
    )
    teams_with_slots = {slot["team"] for slot in problem["slots"]}
    loads = Counter(view.team_id for view in rotations)
    team_loads = [
        TeamLoad(
            team_id=_key_id(team["id"]),
            team_name=names.team(_key_id(team["id"])),
            site_name=names.site(_key_id(team["id"]), team["site"]),
            rotations=loads[_key_id(team["id"])],
        )
        for team in problem["teams"]
        if team["id"] in teams_with_slots
    ]
    team_loads.sort(key=lambda load: (load.site_name, load.team_name))
    fair_share = len(rotations) / len(team_loads) if team_loads else 0.0

    unassigned = []
    for entry in plan.unassigned:
        executive_id = _key_id(entry.executive)
        reasons = [translate_reason(names.humanize(reason)) for reason in entry.reasons]
        unassigned.append(
            UnassignedView(
                executive_id=executive_id,
                executive_name=names.executive(executive_id),
                missing=entry.missing,
                reasons=reasons,
                fix_links=_fix_links(executive_id, list(entry.reasons), problem, names),
            )
        )
    unassigned.sort(key=lambda view: view.executive_name)

    published, old_rotations, old_problem = _published_rotations(session, run, problem)
    if published is None or published.id == run.id:
        diff = Diff()
    else:
        old_names = _Names(session, old_problem)
        diff = _diff(rotations, _rotation_views(old_rotations, old_problem, old_names, None))
    return Draft(
        run=run,
        plan_status=plan.status,
        status_words=_plan_status_words(plan.status),
        terms=terms,
        team_loads=team_loads,
        fair_share=fair_share,
        unassigned=unassigned,
        rotations=rotations,
        diff=diff,
        published=published,
        is_publishable=_is_publishable(run),
        conflicts=[names.humanize(conflict.message) for conflict in plan.conflicts],
    )


# -- manual adjustments -------------------------------------------------------------------


def _adjustable_run(session: Session, actor: User, run_id: int) -> PlanRun:
    _require_manager(actor)
    run = get_run(session, run_id)
    if not can_adjust(actor, run):
        raise Invalid(_("Only an unpublished draft can be adjusted."))
    return run


def _draft_rotation(run: PlanRun, executive_id: int, slot_ids: list[int]) -> dict:
    wanted = (plans.executive_key(executive_id), [plans.slot_key(slot) for slot in slot_ids])
    for rotation in json.loads(run.plan_json or "{}").get("rotations", []):
        if (rotation["executive"], rotation["slots"]) == wanted:
            return {"executive_id": executive_id, "slot_ids": list(slot_ids)}
    raise Invalid(_("This rotation is not in the draft."))


def _adjust(run: PlanRun, entry: dict, *, pinned: bool, dropped: bool) -> PlanRun:
    """Set whether the rotation `entry` is pinned or dropped (never both)."""
    pins = [other for other in run.pins if other != entry]
    drops = [other for other in run.drops if other != entry]
    # New lists, not changed ones: the JSON columns notice assignment only.
    run.pins = [*pins, entry] if pinned else pins
    run.drops = [*drops, entry] if dropped else drops
    return run


def pin(
    *, session: Session, actor: User, run_id: int, executive_id: int, slot_ids: list[int]
) -> PlanRun:
    """Keep a draft rotation as fixed in the next run based on this draft."""
    run = _adjustable_run(session, actor, run_id)
    _adjust(run, _draft_rotation(run, executive_id, slot_ids), pinned=True, dropped=False)
    session.flush()
    return run


def drop(
    *, session: Session, actor: User, run_id: int, executive_id: int, slot_ids: list[int]
) -> PlanRun:
    """Forbid a draft rotation's slots to its executive in the next run based on this draft."""
    run = _adjustable_run(session, actor, run_id)
    _adjust(run, _draft_rotation(run, executive_id, slot_ids), pinned=False, dropped=True)
    session.flush()
    return run


def clear_adjustment(
    *, session: Session, actor: User, run_id: int, executive_id: int, slot_ids: list[int]
) -> PlanRun:
    """Undo a pin or a drop."""
    run = _adjustable_run(session, actor, run_id)
    entry = {"executive_id": executive_id, "slot_ids": list(slot_ids)}
    _adjust(run, entry, pinned=False, dropped=False)
    session.flush()
    return run


# -- publishing ---------------------------------------------------------------------------


@dataclass(frozen=True)
class PublishReport:
    created: int = 0  # new proposed rotations
    kept: int = 0  # already requested, approved or completed: left as they are
    superseded: int = 0  # earlier proposals no one acted on, now cancelled
    unchanged: int = 0  # proposals of an earlier publish that this plan repeats
    skipped: int = 0  # rotations whose slots were deleted since the run


_LIVE = (
    BookingStatus.PROPOSED,
    BookingStatus.REQUESTED,
    BookingStatus.APPROVED,
    BookingStatus.COMPLETED,
)


def publish(
    *, session: Session, actor: User, run_id: int, now: datetime | None = None
) -> PublishReport:
    """Turn the draft into proposed rotations; what was already agreed stays as it is.

    Proposals of earlier plans in the run's horizon and teams that nobody acted on and
    this plan leaves out are cancelled as superseded. Publishing a run again changes
    nothing. Raises NotAllowed, and Invalid when the run has no valid plan to publish.
    """
    _require_manager(actor)
    now = now or utcnow()
    run = get_run(session, run_id)
    plan_rotations = json.loads(run.plan_json)["rotations"] if run.plan_json else []
    if run.published_at is not None:
        return PublishReport(unchanged=len(plan_rotations))
    if not _is_publishable(run):
        raise Invalid(_("Only a finished run with a valid plan can be published."))
    problem = json.loads(run.problem_json)
    scope = [_key_id(slot["id"]) for slot in problem["slots"]]
    wanted_slot_ids = {_key_id(key) for rotation in plan_rotations for key in rotation["slots"]}
    existing_slots = set(
        session.exec(select(Slot.id).where(Slot.id.in_(list(wanted_slot_ids | set(scope)))))
    )
    in_scope = set(
        session.exec(
            select(BookingDay.booking_id)
            .join(Booking, Booking.id == BookingDay.booking_id)
            .where(
                BookingDay.slot_id.in_(scope),
                Booking.status.in_([status.value for status in _LIVE]),
            )
        )
    )
    wanted_executives = {_key_id(rotation["executive"]) for rotation in plan_rotations}
    bookings = session.exec(
        select(Booking).where(
            Booking.status.in_([status.value for status in _LIVE]),
            or_(Booking.id.in_(in_scope), Booking.executive_id.in_(wanted_executives)),
        )
    ).unique()
    live: dict[tuple[int, tuple[int, ...]], Booking] = {}
    for booking in bookings:
        live.setdefault((booking.executive_id, tuple(day.slot_id for day in booking.days)), booking)

    created = kept = unchanged = skipped = 0
    wanted: set[tuple[int, tuple[int, ...]]] = set()
    slot_team = {_key_id(slot["id"]): _key_id(slot["team"]) for slot in problem["slots"]}
    for rotation in plan_rotations:
        executive_id = _key_id(rotation["executive"])
        slot_ids = tuple(_key_id(key) for key in rotation["slots"])
        wanted.add((executive_id, slot_ids))
        booking = live.get((executive_id, slot_ids))
        if booking is not None:
            if BookingStatus(booking.status) == BookingStatus.PROPOSED:
                unchanged += 1
            else:
                kept += 1
            continue
        if not set(slot_ids) <= existing_slots:
            skipped += 1
            continue
        booking = Booking(
            executive_id=executive_id,
            team_id=slot_team[slot_ids[0]],
            status=BookingStatus.PROPOSED.value,
            created_at=now,
        )
        booking.days = [
            BookingDay(day_index=index, slot_id=slot_id) for index, slot_id in enumerate(slot_ids)
        ]
        session.add(booking)
        session.flush()
        audit.record(
            session,
            actor=actor,
            action="booking.propose",
            obj=booking,
            after={"status": booking.status, "plan_run_id": run.id},
        )
        live[(executive_id, slot_ids)] = booking
        created += 1

    superseded = 0
    for key, booking in sorted(live.items(), key=lambda item: item[1].id or 0):
        if (
            key not in wanted
            and booking.id in in_scope
            and BookingStatus(booking.status) == BookingStatus.PROPOSED
        ):
            transition(
                session, booking, BookingStatus.CANCELLED, actor=actor, reason=SUPERSEDED, now=now
            )
            superseded += 1

    run.published_at = now
    run.published_by_id = actor.id
    session.flush()
    report = PublishReport(
        created=created, kept=kept, superseded=superseded, unchanged=unchanged, skipped=skipped
    )
    audit.record(session, actor=actor, action="plan_run.publish", obj=run, after=asdict(report))
    return report


def problem_file(run: PlanRun) -> str:
    """The run's problem as a file body (spec format)."""
    return json.dumps(json.loads(run.problem_json), indent=2, ensure_ascii=False) + "\n"


def plan_file(run: PlanRun) -> str:
    """The run's plan as a file body (spec format). Raises NotFound without a plan."""
    if run.plan_json is None:
        raise NotFound(_("This run has no plan yet."))
    return json.dumps(json.loads(run.plan_json), indent=2, ensure_ascii=False) + "\n"
