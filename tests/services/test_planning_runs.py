"""Planning runs: export, solve in the background, cancel, crash, adjust and publish."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from datetime import date, timedelta
from datetime import time as clock
from pathlib import Path
from types import SimpleNamespace

import pytest
from sqlmodel import select

from rotation.errors import Conflict, Invalid, NotAllowed
from rotation.models import (
    Booking,
    BookingDay,
    BookingStatus,
    PlanRun,
    PlanRunStatus,
    Role,
    utcnow,
)
from rotation.services import bookings, planning_runs, plans

from ..conftest import IN_CI

ROOT = Path(__file__).resolve().parents[2]
START, END = date(2027, 3, 1), date(2027, 3, 14)
R = PlanRunStatus


# -- builders -----------------------------------------------------------------------------


@pytest.fixture
def manager(make_user):
    return make_user(roles={Role.PROGRAM_MANAGER}, name="Pat Manager")


@pytest.fixture
def world(session, make_team, make_slot, make_executive):
    """One German team with one place per slot for ten days, and three executives."""
    team = make_team(languages=("de",), name="Billing Leipzig")
    slots = {}
    for offset in range(10):
        day = START + timedelta(days=offset)
        slots[day, "shadowing"] = make_slot(team=team, day=day, kind="shadowing", capacity=1)
        slots[day, "headset"] = make_slot(
            team=team,
            day=day,
            kind="headset",
            start=clock(13, 30),
            end=clock(17, 30),
            capacity=1,
        )
    executives = [make_executive(languages=("de",)) for _ in range(3)]

    def pair(offset: int) -> list[int]:
        """The slot ids of the rotation starting `offset` days into the horizon."""
        day = START + timedelta(days=offset)
        return [slots[day, "shadowing"].id, slots[day + timedelta(days=1), "headset"].id]

    return SimpleNamespace(team=team, executives=executives, pair=pair)


def _book(session, executive, team, slot_ids, status) -> Booking:
    booking = Booking(executive_id=executive.id, team_id=team.id, status=status.value)
    booking.days = [
        BookingDay(day_index=index, slot_id=slot_id) for index, slot_id in enumerate(slot_ids)
    ]
    session.add(booking)
    session.commit()
    return booking


def _start(session, manager, *, time_limit_s=5, **overrides) -> PlanRun:
    run = planning_runs.start_run(
        session=session,
        actor=manager,
        start=overrides.pop("start", START),
        end=overrides.pop("end", END),
        site_ids=[],
        team_ids=[],
        time_limit_s=time_limit_s,
        **overrides,
    )
    session.commit()
    return run


def _finish_with(session, run: PlanRun, rotations: list[tuple[object, object, list[int]]]):
    """End a run as a solver would, with a hand-written plan of (executive, team, slot ids)."""
    entries = [
        {
            "executive": plans.executive_key(executive.id),
            "team": plans.team_key(team.id),
            "slots": [plans.slot_key(slot_id) for slot_id in slot_ids],
        }
        for executive, team, slot_ids in rotations
    ]
    terms = {"coverage": len(entries), "preference": 0, "max_team_load": len(entries), "kept": 0}
    run.plan_json = json.dumps(
        {
            "format": "rotation-plan/1",
            "status": "FEASIBLE",
            "rotations": entries,
            "unassigned": [],
            "objective": terms,
            "bound": terms,
            "solve_seconds": 0.1,
        }
    )
    run.status, run.plan_status = R.FINISHED.value, "FEASIBLE"
    run.objective = run.bound = terms
    session.commit()
    return run


def _reload(session, run: PlanRun) -> PlanRun:
    session.expire_all()
    return session.get(PlanRun, run.id)


def _wait_until(check: Callable[[], bool], *, timeout_s: float = 60) -> None:
    """Poll until check() holds; fail after timeout_s (a deadline, not a pause)."""
    deadline = time.monotonic() + timeout_s
    while not check():
        if time.monotonic() > deadline:
            pytest.fail("the condition did not hold in time")
        time.sleep(0.05)


def _passes_check(run: PlanRun, tmp_path: Path) -> subprocess.CompletedProcess:
    problem, plan = tmp_path / "problem.json", tmp_path / "plan.json"
    problem.write_text(run.problem_json)
    plan.write_text(run.plan_json)
    return subprocess.run(
        [sys.executable, "-m", "rotation.planning", "check", str(problem), str(plan)],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )


def _has_solver() -> bool:
    return (ROOT / "rotation" / "planning" / "solve.py").is_file()


needs_solver = pytest.mark.skipif(not _has_solver(), reason="rotation.planning.solve is missing")


# -- starting -----------------------------------------------------------------------------


def test_a_run_stores_the_exported_problem_and_waits_for_a_worker(session, manager, world):
    run = _start(session, manager)
    assert run.status == R.QUEUED
    problem = json.loads(run.problem_json)
    assert problem == plans.export_problem(session, start=START, end=END)
    assert len(problem["slots"]) == 20
    assert run.created_by_id == manager.id


def test_a_second_run_for_the_same_horizon_is_refused_while_one_is_active(session, manager, world):
    _start(session, manager)
    with pytest.raises(Conflict):
        _start(session, manager)
    other = _start(session, manager, end=END + timedelta(days=7))
    assert other.status == R.QUEUED


def test_only_program_managers_start_runs(session, make_user, world):
    lead = make_user(roles={Role.TEAM_LEAD})
    with pytest.raises(NotAllowed):
        _start(session, lead)


# -- running ------------------------------------------------------------------------------


@needs_solver
def test_a_run_finishes_with_a_draft_that_passes_the_planner_check(
    session, manager, world, database_url, tmp_path
):
    run = _start(session, manager)
    planning_runs.execute_run(database_url=database_url, run_id=run.id, workers=1)
    run = _reload(session, run)
    assert (run.status, run.message) == (R.FINISHED, "")
    assert run.plan_status in ("OPTIMAL", "FEASIBLE")
    assert run.objective["coverage"] == 3
    assert 1 <= len(run.progress) <= planning_runs.MAX_POINTS
    assert run.started_at <= run.finished_at
    check = _passes_check(run, tmp_path)
    assert check.returncode == 0, check.stdout + check.stderr


@needs_solver
def test_a_run_on_the_demo_data_finishes_with_a_valid_draft(
    session, manager, database_url, tmp_path
):
    demo = pytest.importorskip("rotation.demo")
    today = date(2027, 1, 4)
    demo.load_demo(session=session, today=today)
    session.commit()
    run = _start(session, manager, start=today, end=today + timedelta(days=90), time_limit_s=5)
    planning_runs.execute_run(database_url=database_url, run_id=run.id, workers=1)
    run = _reload(session, run)
    assert run.status == R.FINISHED, run.message
    assert run.plan_status in ("OPTIMAL", "FEASIBLE")
    check = _passes_check(run, tmp_path)
    assert check.returncode == 0, check.stdout + check.stderr


def test_a_run_cancelled_while_queued_never_runs(session, manager, world, database_url):
    run = _start(session, manager)
    planning_runs.cancel_run(session=session, actor=manager, run_id=run.id)
    session.commit()
    planning_runs.execute_run(database_url=database_url, run_id=run.id, workers=1)
    run = _reload(session, run)
    assert (run.status, run.started_at, run.plan_json) == (R.CANCELLED, None, None)


def test_a_run_asked_to_stop_before_the_worker_starts_ends_cancelled(
    session, manager, world, database_url
):
    run = _start(session, manager)
    run.status = R.CANCELLING.value  # as if cancelled in the instant the worker took it
    session.commit()
    planning_runs.execute_run(database_url=database_url, run_id=run.id, workers=1)
    run = _reload(session, run)
    assert (run.status, run.started_at) == (R.CANCELLED, None)


@needs_solver
def test_a_running_run_cancelled_stops_and_keeps_its_best_plan(
    session, manager, database_url, tmp_path
):
    run = _big_run(session, manager, time_limit_s=120)
    thread = planning_runs.dispatch(
        {"DATABASE_URL": database_url, "REDIS_URL": None, "PLAN_WORKERS": 1}, run.id
    )
    _wait_until(lambda: _reload(session, run).status == R.RUNNING)
    planning_runs.cancel_run(session=session, actor=manager, run_id=run.id)
    session.commit()
    thread.join()
    run = _reload(session, run)
    assert run.status == R.CANCELLED
    assert run.plan_json is not None
    check = _passes_check(run, tmp_path)
    assert check.returncode == 0, check.stdout + check.stderr


def test_a_run_whose_problem_cannot_be_read_fails_with_the_reason(
    session, manager, world, database_url
):
    run = _start(session, manager)
    run.problem_json = json.dumps({"format": "rotation-problem/1", "horizon": "soon"})
    session.commit()
    planning_runs.execute_run(database_url=database_url, run_id=run.id, workers=1)
    run = _reload(session, run)
    assert run.status == R.FAILED
    assert "horizon" in run.message
    assert "\n" not in run.message
    assert run.finished_at is not None


def test_a_run_whose_heartbeat_stopped_is_marked_failed(session, manager, world):
    run = _start(session, manager)
    beat = utcnow()
    run.status, run.started_at, run.heartbeat_at = R.RUNNING.value, beat, beat
    session.commit()
    assert planning_runs.fail_stale_runs(session=session, now=beat + timedelta(seconds=5)) == []
    failed = planning_runs.fail_stale_runs(session=session, now=beat + timedelta(seconds=31))
    assert [stale.id for stale in failed] == [run.id]
    run = _reload(session, run)
    assert run.status == R.FAILED
    assert "stopped responding" in run.message
    assert beat.strftime("%H:%M:%S") in run.message


def test_a_run_no_worker_picked_up_is_marked_failed_after_the_queue_timeout(
    session, manager, world
):
    run = _start(session, manager)
    later = run.created_at + timedelta(seconds=901)
    assert [stale.id for stale in planning_runs.fail_stale_runs(session=session, now=later)] == [
        run.id
    ]
    run = _reload(session, run)
    assert run.status == R.FAILED
    assert "No worker" in run.message
    # The horizon is free again.
    assert _start(session, manager).status == R.QUEUED


@needs_solver
def test_the_thread_back_end_solves_the_run_in_the_background(
    session, manager, world, database_url
):
    run = _start(session, manager)
    thread = planning_runs.dispatch(
        {"DATABASE_URL": database_url, "REDIS_URL": None, "PLAN_WORKERS": 1}, run.id
    )
    thread.join()
    run = _reload(session, run)
    assert (run.status, run.backend) == (R.FINISHED, "thread")
    payload = planning_runs.progress_json(run)
    assert payload["is_active"] is False
    assert payload["points"] == run.progress
    assert payload["status_label"] == "finished"


# -- the RQ back end ----------------------------------------------------------------------

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


def _redis_answers() -> bool:
    from redis import Redis

    try:
        return bool(Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping())
    except Exception:
        return False


@pytest.fixture
def rq_config(database_url):
    """Settings with REDIS_URL and a queue of this test's own, emptied afterwards."""
    if not _redis_answers():
        if IN_CI:
            pytest.fail("Redis must answer at 127.0.0.1:6379 when CI=true")
        pytest.skip("Redis does not answer at 127.0.0.1:6379")
    from redis import Redis
    from rq import Queue

    config = {
        "DATABASE_URL": database_url,
        "REDIS_URL": REDIS_URL,
        "PLAN_QUEUE": f"planning-test-{uuid.uuid4().hex[:10]}",
        "PLAN_WORKERS": 1,
    }
    yield config
    Queue(config["PLAN_QUEUE"], connection=Redis.from_url(REDIS_URL)).delete(delete_jobs=True)


@needs_solver
def test_the_rq_back_end_solves_the_run_in_a_worker(session, manager, world, rq_config):
    from rq import SimpleWorker

    run = _start(session, manager)
    assert planning_runs.dispatch(rq_config, run.id) is None
    run = _reload(session, run)
    assert (run.backend, run.job_id, run.status) == ("rq", f"plan-run-{run.id}", R.QUEUED)
    planning_runs.run_worker(rq_config, burst=True, worker_class=SimpleWorker)
    run = _reload(session, run)
    assert run.status == R.FINISHED, run.message
    assert run.plan_status in ("OPTIMAL", "FEASIBLE")


def test_cancelling_a_queued_rq_run_takes_its_job_off_the_queue(
    app, session, manager, world, rq_config
):
    from redis import Redis
    from rq import Queue

    run = _start(session, manager)
    planning_runs.dispatch(rq_config, run.id)
    queue = Queue(rq_config["PLAN_QUEUE"], connection=Redis.from_url(REDIS_URL))
    assert queue.count == 1
    app.config.update(REDIS_URL=REDIS_URL)
    with app.app_context():
        planning_runs.cancel_run(session=session, actor=manager, run_id=run.id)
    session.commit()
    assert queue.count == 0
    assert _reload(session, run).status == R.CANCELLED


def _big_run(session, manager, *, time_limit_s: int) -> PlanRun:
    """A queued run on a generated problem that keeps the solver busy for a while."""
    run = _start(session, manager, time_limit_s=time_limit_s)
    run.problem_json = json.dumps(_big_problem())
    session.commit()
    return run


def _big_problem(teams: int = 30, days: int = 60, executives: int = 300) -> dict:
    start = START
    slots = []
    for team in range(teams):
        for offset in range(days):
            day = (start + timedelta(days=offset)).isoformat()
            for kind, hours in (("shadowing", ("09:00", "13:00")), ("headset", ("13:30", "17:30"))):
                slots.append(
                    {
                        "id": f"t{team}-{offset}-{kind[0]}",
                        "team": f"t{team}",
                        "date": day,
                        "start": hours[0],
                        "end": hours[1],
                        "kind": kind,
                        "capacity": 1 + (team + offset) % 2,
                    }
                )
    return {
        "format": "rotation-problem/1",
        "horizon": {"start": start.isoformat(), "end": (start + timedelta(days=days)).isoformat()},
        "rules": {
            "rotation": ["shadowing", "headset"],
            "min_days_between_rotations": 14,
            "max_executives_per_team_per_day": 2,
        },
        "teams": [
            {
                "id": f"t{team}",
                "site": f"Site {team % 5}",
                "timezone": "Europe/Berlin",
                "languages": ["de", "en"][: 1 + team % 2],
                "topics": [f"topic{team % 7}", f"topic{team % 3}"],
            }
            for team in range(teams)
        ],
        "slots": slots,
        "executives": [
            {
                "id": f"e{index}",
                "languages": ["de"] if index % 3 else ["en"],
                "rotations": 2,
                "preferences": {
                    "sites": {f"Site {index % 5}": 1 + index % 4, f"Site {(index + 2) % 5}": -1},
                    "topics": {f"topic{index % 7}": 2, f"topic{(index * 3) % 7}": 1},
                },
            }
            for index in range(executives)
        ],
    }


@needs_solver
def test_a_killed_worker_leaves_its_run_failed_not_running(
    session, manager, world, rq_config, database_url, tmp_path
):
    run = _big_run(session, manager, time_limit_s=300)
    planning_runs.dispatch(rq_config, run.id)
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "REDIS_URL": REDIS_URL,
        "PLAN_QUEUE": rq_config["PLAN_QUEUE"],
        "PLAN_WORKERS": "1",
        "HEADSET_INSTANCE": str(tmp_path / "instance"),
    }
    worker = subprocess.Popen(
        [sys.executable, "-m", "flask", "--app", "app", "worker"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # its own process group: the job's work horse dies with it
    )
    try:
        _wait_until(lambda: _reload(session, run).status == R.RUNNING, timeout_s=120)
    finally:
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait()
    run = _reload(session, run)
    assert run.status == R.RUNNING  # nobody is left to say otherwise
    later = run.heartbeat_at + timedelta(seconds=31)
    assert [r.id for r in planning_runs.fail_stale_runs(session=session, now=later)] == [run.id]
    run = _reload(session, run)
    assert run.status == R.FAILED
    assert "stopped responding" in run.message


# -- adjusting and publishing -------------------------------------------------------------


def test_pins_become_fixed_and_drops_forbidden_in_the_next_run(session, manager, world):
    first, second, _third = world.executives
    run = _start(session, manager)
    _finish_with(
        session,
        run,
        [(first, world.team, world.pair(0)), (second, world.team, world.pair(2))],
    )
    planning_runs.pin(
        session=session, actor=manager, run_id=run.id, executive_id=first.id,
        slot_ids=world.pair(0),
    )  # fmt: skip
    planning_runs.drop(
        session=session, actor=manager, run_id=run.id, executive_id=second.id,
        slot_ids=world.pair(2),
    )  # fmt: skip
    session.commit()
    rerun = _start(session, manager, based_on_id=run.id)
    problem = json.loads(rerun.problem_json)
    assert {"executive": f"exec-{first.id}", "slots": [f"slot-{i}" for i in world.pair(0)]} in (
        problem["fixed"]
    )
    forbidden = {(entry["executive"], entry["slot"]) for entry in problem["forbidden"]}
    assert {(f"exec-{second.id}", f"slot-{i}") for i in world.pair(2)} <= forbidden
    assert (rerun.based_on_id, rerun.pins, rerun.drops) == (run.id, run.pins, run.drops)
    rotations = {view.key: view for view in planning_runs.draft(
        session=session, actor=manager, run_id=run.id).rotations}  # fmt: skip
    assert rotations[planning_runs.rotation_key(first.id, world.pair(0))].is_pinned


def test_publishing_proposes_the_draft_and_keeps_an_approved_rotation(session, manager, world):
    first, second, _third = world.executives
    approved = _book(session, first, world.team, world.pair(0), BookingStatus.APPROVED)
    run = _start(session, manager)
    assert json.loads(run.problem_json)["fixed"] == [
        {"executive": f"exec-{first.id}", "slots": [f"slot-{i}" for i in world.pair(0)]}
    ]
    _finish_with(
        session,
        run,
        [(first, world.team, world.pair(0)), (second, world.team, world.pair(2))],
    )
    report = planning_runs.publish(session=session, actor=manager, run_id=run.id)
    session.commit()
    assert (report.created, report.kept, report.superseded) == (1, 1, 0)
    rows = session.exec(select(Booking).order_by(Booking.id)).all()
    assert [(row.executive_id, row.status) for row in rows] == [
        (first.id, BookingStatus.APPROVED),
        (second.id, BookingStatus.PROPOSED),
    ]
    assert approved.version == 1
    run = _reload(session, run)
    assert (run.published_by_id, run.published_at is not None) == (manager.id, True)


def test_publishing_the_same_run_twice_changes_nothing(session, manager, world):
    first, *_ = world.executives
    run = _finish_with(session, _start(session, manager), [(first, world.team, world.pair(0))])
    planning_runs.publish(session=session, actor=manager, run_id=run.id)
    session.commit()
    published_at = _reload(session, run).published_at
    again = planning_runs.publish(session=session, actor=manager, run_id=run.id)
    session.commit()
    assert (again.created, again.superseded) == (0, 0)
    assert len(session.exec(select(Booking)).all()) == 1
    assert _reload(session, run).published_at == published_at


def _publish_first_plan(session, manager, world) -> PlanRun:
    """Publish the first and second executive on the days 0 and 2."""
    first, second, _third = world.executives
    old = _finish_with(
        session,
        _start(session, manager),
        [(first, world.team, world.pair(0)), (second, world.team, world.pair(2))],
    )
    planning_runs.publish(session=session, actor=manager, run_id=old.id)
    session.commit()
    return old


def test_a_newer_plan_supersedes_untouched_proposals_but_not_requested_ones(
    session, manager, world
):
    first, second, third = world.executives
    _publish_first_plan(session, manager, world)
    requested = session.exec(select(Booking).where(Booking.executive_id == second.id)).one()
    bookings.transition(session, requested, BookingStatus.REQUESTED, actor=None)
    session.commit()

    new = _finish_with(
        session,
        _start(session, manager),
        [(first, world.team, world.pair(4)), (third, world.team, world.pair(6))],
    )
    report = planning_runs.publish(session=session, actor=manager, run_id=new.id)
    session.commit()
    assert (report.created, report.superseded) == (2, 1)
    by_executive = {
        (row.executive_id, tuple(day.slot_id for day in row.days)): (
            row.status,
            row.decision_reason,
        )
        for row in session.exec(select(Booking)).all()
    }
    assert by_executive == {
        (first.id, tuple(world.pair(0))): (BookingStatus.CANCELLED, planning_runs.SUPERSEDED),
        (second.id, tuple(world.pair(2))): (BookingStatus.REQUESTED, ""),
        (first.id, tuple(world.pair(4))): (BookingStatus.PROPOSED, ""),
        (third.id, tuple(world.pair(6))): (BookingStatus.PROPOSED, ""),
    }


def test_the_published_plan_is_the_previous_plan_of_the_next_export(session, manager, world):
    first, second, third = world.executives
    _book(session, third, world.team, world.pair(6), BookingStatus.PROPOSED)
    assert [entry["executive"] for entry in plans.export_problem(
        session, start=START, end=END)["previous"]] == [f"exec-{third.id}"]  # fmt: skip
    run = _finish_with(session, _start(session, manager), [(first, world.team, world.pair(0))])
    planning_runs.publish(session=session, actor=manager, run_id=run.id)
    session.commit()
    problem = plans.export_problem(session, start=START, end=END)
    assert problem["previous"] == [
        {"executive": f"exec-{first.id}", "slots": [f"slot-{i}" for i in world.pair(0)]}
    ]


def test_the_draft_shows_the_difference_to_the_published_plan(session, manager, world):
    first, second, third = world.executives
    _publish_first_plan(session, manager, world)
    new = _finish_with(
        session,
        _start(session, manager),
        [(first, world.team, world.pair(4)), (third, world.team, world.pair(6))],
    )
    draft = planning_runs.draft(session=session, actor=manager, run_id=new.id)
    assert [view.executive_id for view in draft.diff.added] == [third.id]
    assert [(a.slot_ids, b.slot_ids) for a, b in draft.diff.moved] == [
        (world.pair(0), world.pair(4))
    ]
    assert [view.executive_id for view in draft.diff.dropped] == [second.id]
    assert [(load.team_id, load.rotations) for load in draft.team_loads] == [(world.team.id, 2)]
    assert draft.fair_share == 2
    assert [term.words for term in draft.terms] == ["optimal"] * 4
    assert draft.is_publishable


@needs_solver
def test_the_draft_says_why_an_executive_is_left_out_and_where_to_fix_it(
    session, manager, world, make_executive, database_url
):
    french = make_executive(languages=("fr",))
    run = _start(session, manager)
    planning_runs.execute_run(database_url=database_url, run_id=run.id, workers=1)
    draft = planning_runs.draft(session=session, actor=manager, run_id=run.id)
    [left_out] = draft.unassigned
    assert (left_out.executive_id, left_out.missing) == (french.id, 1)
    assert any("fr" in reason for reason in left_out.reasons)
    assert ("executives.edit", {"executive_id": french.id}) in [
        (endpoint, arguments) for _label, endpoint, arguments in left_out.fix_links
    ]
    assert len(draft.rotations) == 3


def test_progress_keeps_a_point_per_half_second_and_at_most_two_hundred():
    reporter = planning_runs._Reporter(engine=None, run_id=0)
    terms = SimpleNamespace(coverage=1, preference=2)
    for step in range(20_000):
        reporter.progress(
            SimpleNamespace(phase="search", elapsed_s=step / 100, objective=terms, bound=terms)
        )
    points = reporter.points()
    assert len(points) <= planning_runs.MAX_POINTS
    assert points[-1]["t"] >= 199.5
    gaps = [later["t"] - earlier["t"] for earlier, later in zip(points, points[1:], strict=False)]
    assert min(gaps) >= planning_runs.PROGRESS_EVERY_S


def test_a_finished_run_cannot_be_cancelled_and_an_unfinished_one_not_published(
    session, manager, world
):
    run = _start(session, manager)
    with pytest.raises(Invalid):
        planning_runs.publish(session=session, actor=manager, run_id=run.id)
    session.rollback()
    _finish_with(session, run, [])
    with pytest.raises(Invalid):
        planning_runs.cancel_run(session=session, actor=manager, run_id=run.id)


def test_the_worker_command_needs_a_redis_url(app):
    app.config["REDIS_URL"] = None
    result = app.test_cli_runner().invoke(args=["worker", "--burst"])
    assert result.exit_code != 0
    assert "REDIS_URL" in result.output


@needs_solver
def test_a_draft_of_impossible_pins_names_the_clash(session, manager, world, database_url):
    first, second, _third = world.executives
    run = _finish_with(
        session,
        _start(session, manager),
        [(first, world.team, world.pair(0)), (second, world.team, world.pair(2))],
    )
    run.pins = [
        {"executive_id": first.id, "slot_ids": world.pair(0)},
        {"executive_id": second.id, "slot_ids": world.pair(0)},  # one place, two pins
    ]
    session.commit()
    rerun = _start(session, manager, based_on_id=run.id)
    planning_runs.execute_run(database_url=database_url, run_id=rerun.id, workers=1)
    draft = planning_runs.draft(session=session, actor=manager, run_id=rerun.id)
    assert draft.plan_status == "INFEASIBLE"
    assert draft.conflicts
    assert not draft.is_publishable
