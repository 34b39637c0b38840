"""Time the capacity grid: 100 teams over a quarter, in a temporary SQLite database.

Run: .venv/bin/python bench/capacity.py
"""

from __future__ import annotations

import random
import statistics
import sys
import tempfile
import time as clock
from datetime import date, time, timedelta
from pathlib import Path

from sqlalchemy import event

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app import create_app  # noqa: E402
from rotation import migrate  # noqa: E402
from rotation.db import engine  # noqa: E402
from rotation.models import (  # noqa: E402
    Booking,
    BookingDay,
    BookingStatus,
    Executive,
    Role,
    Site,
    Slot,
    Team,
    Unavailability,
    User,
    UserRole,
)

TEAMS = 100
START = date(2027, 1, 4)
END = date(2027, 3, 31)
RUNS = 5


def build(session) -> None:
    rng = random.Random(5)
    sites = [
        Site(name=f"Site {n}", timezone="Europe/Berlin", holiday_region="DE-SN") for n in range(10)
    ]
    session.add_all(sites)
    session.flush()
    teams = [
        Team(
            site_id=sites[n % 10].id,
            name=f"Team {n}",
            topics=[rng.choice(["billing", "sales", "returns"])],
            languages=[rng.choice(["de", "en"])],
        )
        for n in range(TEAMS)
    ]
    session.add_all(teams)
    session.flush()
    slots = []
    day = START
    while day <= END:
        if day.weekday() < 5:
            for team in teams:
                slots.append(
                    Slot(
                        team_id=team.id,
                        day=day,
                        kind="shadowing",
                        start_time=time(9),
                        end_time=time(13),
                        capacity=2,
                    )
                )
                slots.append(
                    Slot(
                        team_id=team.id,
                        day=day,
                        kind="headset",
                        start_time=time(13, 30),
                        end_time=time(17, 30),
                        capacity=2,
                    )
                )
        day += timedelta(days=1)
    session.add_all(slots)
    session.flush()
    executives = []
    for n in range(300):
        user = User(email=f"e{n}@example.com", name=f"Exec {n}", password_hash="x")
        session.add(user)
        session.flush()
        session.add(UserRole(user_id=user.id, role=Role.EXECUTIVE.value))
        executive = Executive(user_id=user.id, languages=["de", "en"], rotations_required=1)
        session.add(executive)
        executives.append(executive)
    session.flush()
    for executive in executives:
        first = START + timedelta(days=rng.randrange(80))
        session.add(
            Unavailability(
                executive_id=executive.id,
                start_date=first,
                end_date=first + timedelta(days=rng.randrange(14)),
            )
        )
    by_key = {(s.team_id, s.day, s.kind): s for s in slots}
    for executive in executives[:200]:
        team = rng.choice(teams)
        day = START + timedelta(days=rng.randrange(80))
        if day.weekday() >= 4:
            continue
        booking = Booking(
            executive_id=executive.id,
            team_id=team.id,
            status=rng.choice([BookingStatus.REQUESTED, BookingStatus.APPROVED]).value,
        )
        booking.days = [
            BookingDay(day_index=0, slot_id=by_key[(team.id, day, "shadowing")].id),
            BookingDay(
                day_index=1, slot_id=by_key[(team.id, day + timedelta(days=1), "headset")].id
            ),
        ]
        session.add(booking)
    session.commit()
    print(f"data: {TEAMS} teams, {len(slots)} slots, {len(executives)} executives")


def main() -> None:
    from flask import render_template  # noqa: F401
    from sqlmodel import Session

    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{folder}/bench.db"
        migrate.upgrade(url)
        app = create_app(
            {
                "DATABASE_URL": url,
                "TESTING": True,
                "WTF_CSRF_ENABLED": False,
                "RATELIMIT_ENABLED": False,
                "ARGON2_TIME_COST": 1,
                "ARGON2_MEMORY_KIB": 64,
            }
        )
        with app.app_context():
            with Session(engine()) as session:
                build(session)
                from rotation.services import accounts

                manager = accounts.create_user(
                    session=session,
                    actor=None,
                    email="pm@example.com",
                    name="PM",
                    password="bench password 1",
                    roles={Role.PROGRAM_MANAGER},
                )
                session.commit()
                del manager
            statements = []
            event.listen(
                engine(), "before_cursor_execute", lambda *args, **kwargs: statements.append(1)
            )
        query_times = []
        with app.test_request_context():
            from rotation.services import capacity

            with Session(engine()) as session:
                for _run in range(RUNS):
                    started = clock.perf_counter()
                    capacity.capacity_grid(session, start=START, end=END)
                    query_times.append(clock.perf_counter() - started)
        client = app.test_client()
        client.post("/sign-in", data={"email": "pm@example.com", "password": "bench password 1"})
        times = []
        counts = []
        for _run in range(RUNS):
            statements.clear()
            started = clock.perf_counter()
            response = client.get("/capacity/?month=2027-01&months=3")
            times.append(clock.perf_counter() - started)
            counts.append(len(statements))
            assert response.status_code == 200, response.status_code
        print()
        print(f"{'measure':<44} {'figure':>12}   target")
        print(f"{'-' * 44} {'-' * 12}   {'-' * 24}")
        print(
            f"{'grid page, 100 teams x a quarter (median)':<44} "
            f"{statistics.median(times) * 1000:>9.0f} ms   well under a second"
        )
        print(f"{'grid page, slowest of ' + str(RUNS):<44} {max(times) * 1000:>9.0f} ms")
        print(
            f"{'grid queries and counting only (median)':<44} "
            f"{statistics.median(query_times) * 1000:>9.0f} ms"
        )
        print(f"{'SQL statements per page':<44} {counts[-1]:>12}   a handful, not per cell")
        print(f"{'page size':<44} {len(response.data) / 1024:>9.0f} KB")


if __name__ == "__main__":
    main()
