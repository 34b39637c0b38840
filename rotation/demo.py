"""Demo data: a German, Austrian and Swiss contact-center group to try Headset with.

Four sites in three time zones, twelve teams, thirty buddy agents, forty executives,
program managers and team leads, slots for the next three months and rotations in every
status. A service-level module: it goes through the services where they exist and writes
rows directly only where they do not (program rules, cycle, rotations), keeping to the
rules those services keep (a place is taken by an UPDATE that checks the capacity).
The caller commits.
"""

from __future__ import annotations

import calendar
import random
import unicodedata
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlmodel import Session, select

from .models import (
    Booking,
    BookingDay,
    BookingStatus,
    BuddyAgent,
    Cycle,
    Executive,
    ProgramRules,
    Role,
    Site,
    Slot,
    SlotKind,
    Team,
    User,
)
from .services import accounts, audit, availability, capacity, sites
from .services.bookings import release_places, take_places, transition

DEMO_PASSWORD = "headset-demo"
DOMAIN = "headset.example"
SEED = 2027
HORIZON_MONTHS = 3
MIN_DAYS_BETWEEN = 30
MAX_PER_TEAM_DAY = 2


@dataclass(frozen=True)
class DemoSignIn:
    role: str
    name: str
    email: str


# --- the organisation --------------------------------------------------------------------


@dataclass(frozen=True)
class SiteSpec:
    key: str
    name: str
    timezone: str
    holiday_region: str
    address: str


SITES = (
    SiteSpec("leipzig", "Leipzig", "Europe/Berlin", "DE-SN", "Brühl 12, 04109 Leipzig"),
    SiteSpec("dortmund", "Dortmund", "Europe/Berlin", "DE-NW", "Rheinlanddamm 24, 44139 Dortmund"),
    SiteSpec("wien", "Wien", "Europe/Vienna", "AT-9", "Wienerbergstraße 11, 1100 Wien"),
    SiteSpec("zuerich", "Zürich", "Europe/Zurich", "CH-ZH", "Hardturmstrasse 161, 8005 Zürich"),
)


@dataclass(frozen=True)
class TeamSpec:
    site: str
    name: str
    topics: tuple[str, ...]
    languages: tuple[str, ...]
    places: int  # per slot, both kinds
    agents: tuple[tuple[str, tuple[str, ...]], ...]


TEAMS = (
    TeamSpec(
        "leipzig",
        "Rechnung & Zahlung",
        ("billing", "payments"),
        ("de", "en"),
        2,
        (
            ("Mandy Schulze", ("de",)),
            ("Kevin Richter", ("de", "en")),
            ("Franziska Lehmann", ("de",)),
        ),
    ),
    TeamSpec(
        "leipzig",
        "Vertragsservice",
        ("contracts", "onboarding"),
        ("de",),
        2,
        (("Ronny Müller", ("de",)), ("Sandra Köhler", ("de",))),
    ),
    TeamSpec(
        "leipzig",
        "Technischer Support",
        ("technical support",),
        ("de", "en"),
        2,
        (
            ("Patrick Neumann", ("de", "en")),
            ("Jessica Wolf", ("de", "en")),
            ("Marcel Krüger", ("de",)),
        ),
    ),
    TeamSpec(
        "leipzig",
        "Beschwerdemanagement",
        ("complaints",),
        ("de",),
        1,
        (("Anja Seidel", ("de",)), ("Steffen Hofmann", ("de",))),
    ),
    TeamSpec(
        "dortmund",
        "Retouren",
        ("returns", "logistics"),
        ("de", "tr"),
        2,
        (
            ("Ayşe Yılmaz", ("de", "tr")),
            ("Murat Demir", ("de", "tr")),
            ("Nicole Schäfer", ("de",)),
        ),
    ),
    TeamSpec(
        "dortmund",
        "Neukundenservice",
        ("onboarding", "sales"),
        ("de",),
        1,
        (("Dennis Kowalski", ("de",)), ("Sabrina Becker", ("de",))),
    ),
    TeamSpec(
        "dortmund",
        "Technik-Hotline",
        ("technical support",),
        ("de", "en"),
        2,
        (
            ("Jan Wieczorek", ("de", "en")),
            ("Melanie Schmitz", ("de",)),
            ("Emre Aydın", ("de", "en", "tr")),
        ),
    ),
    TeamSpec(
        "wien",
        "Privatkunden",
        ("billing", "contracts"),
        ("de",),
        2,
        (
            ("Lukas Gruber", ("de",)),
            ("Katharina Huber", ("de",)),
            ("Florian Pichler", ("de", "en")),
        ),
    ),
    TeamSpec(
        "wien",
        "Reklamationen",
        ("complaints", "returns"),
        ("de", "en"),
        1,
        (("Elisabeth Steiner", ("de", "en")), ("Markus Moser", ("de",))),
    ),
    TeamSpec(
        "wien",
        "Geschäftskunden",
        ("business customers", "contracts"),
        ("de", "en"),
        1,
        (("Teresa Mayer", ("de", "en")), ("Bernhard Hofer", ("de",))),
    ),
    TeamSpec(
        "zuerich",
        "Service Romandie & Ticino",
        ("billing", "complaints"),
        ("de", "fr", "it"),
        1,
        (("Chiara Bernasconi", ("de", "fr", "it")), ("Luc Favre", ("de", "fr"))),
    ),
    TeamSpec(
        "zuerich",
        "Support Schweiz",
        ("technical support", "onboarding"),
        ("de", "en"),
        2,
        (
            ("Reto Meier", ("de", "en")),
            ("Nadine Keller", ("de",)),
            ("Jonas Brunner", ("de", "en")),
        ),
    ),
)

PROGRAM_MANAGERS = (("pm", "Katrin Vogel"), ("jana.krause", "Jana Krause"))

# (email local part, name, the team names they lead); the first of each site leads all of it.
TEAM_LEADS = (
    ("lead.leipzig", "Ines Hoffmann", ("leipzig", None)),
    ("lead.dortmund", "Kai Westermann", ("dortmund", None)),
    ("lead.wien", "Verena Holzer", ("wien", None)),
    ("lead.zuerich", "Corinne Widmer", ("zuerich", None)),
    ("robert.schulz", "Robert Schulz", ("leipzig", "Technischer Support")),
    ("derya.oeztuerk", "Derya Öztürk", ("dortmund", "Retouren")),
)


@dataclass(frozen=True)
class ExecutiveSpec:
    name: str
    title: str
    department: str
    languages: tuple[str, ...]
    home: str
    rotations: int = 1
    email: str | None = None  # local part; else first.last


EXECUTIVES = (
    ExecutiveSpec("Dr. Stefanie Hartmann", "CFO", "Finance", ("de", "en"), "leipzig", 2, "cfo"),
    ExecutiveSpec("Thomas Brandner", "CEO", "Executive Board", ("de", "en"), "wien", 1, "ceo"),
    ExecutiveSpec("Michael Wagner", "COO", "Operations", ("de", "en"), "dortmund", 2, "coo"),
    ExecutiveSpec("Andreas Lindner", "CTO", "IT", ("de", "en"), "leipzig"),
    ExecutiveSpec("Sabine Roth", "CHRO", "Human Resources", ("de",), "dortmund"),
    ExecutiveSpec("Markus Aigner", "Head of Logistics", "Logistics", ("de",), "wien", 2),
    ExecutiveSpec("Julia Fischer", "VP Sales", "Sales", ("de", "en"), "dortmund"),
    ExecutiveSpec("Christian Weber", "VP Marketing", "Marketing", ("de", "en"), "leipzig"),
    ExecutiveSpec(
        "Claudia Baumann", "Chief Customer Officer", "Customer Service", ("de", "en"), "leipzig", 2
    ),
    ExecutiveSpec("Martin Hübner", "Head of Controlling", "Finance", ("de",), "leipzig"),
    ExecutiveSpec("Birgit Leitner", "Head of Procurement", "Procurement", ("de",), "wien"),
    ExecutiveSpec("Dr. Johannes Ebner", "General Counsel", "Legal", ("de", "en"), "wien"),
    ExecutiveSpec("Tobias Schreiber", "Head of IT Operations", "IT", ("de", "en"), "dortmund"),
    ExecutiveSpec("Nina Albrecht", "Head of Product", "Product", ("de", "en"), "leipzig"),
    ExecutiveSpec(
        "Petra Wimmer", "Head of Corporate Communications", "Communications", ("de", "en"), "wien"
    ),
    ExecutiveSpec("Frank Zimmermann", "Head of Billing", "Finance", ("de",), "dortmund", 2),
    ExecutiveSpec("Laura Schmid", "Head of Data & Analytics", "IT", ("de", "en"), "zuerich"),
    ExecutiveSpec("Stefan Egger", "Director Private Customers", "Sales", ("de",), "wien"),
    ExecutiveSpec(
        "Ursula Bachmann",
        "Country Manager Switzerland",
        "Executive Board",
        ("de", "fr", "it", "en"),
        "zuerich",
        2,
    ),
    ExecutiveSpec("Daniel Vogt", "Director Business Customers", "Sales", ("de", "en"), "dortmund"),
    ExecutiveSpec("Monika Haas", "Head of Risk Management", "Finance", ("de",), "wien"),
    ExecutiveSpec("Ralf Schuster", "Head of Internal Audit", "Finance", ("de",), "leipzig"),
    ExecutiveSpec("Karin Berger", "Head of Treasury", "Finance", ("de", "en"), "wien"),
    ExecutiveSpec(
        "Oliver Franke", "Head of HR Development", "Human Resources", ("de",), "dortmund"
    ),
    ExecutiveSpec(
        "Heike Schubert", "Head of Facility Management", "Operations", ("de",), "leipzig"
    ),
    ExecutiveSpec("James Whitfield", "VP Engineering", "IT", ("en",), "zuerich"),
    ExecutiveSpec("Selin Kaya", "Head of E-Commerce", "Sales", ("de", "en", "tr"), "dortmund"),
    ExecutiveSpec(
        "Matthias Reiter",
        "Head of Customer Experience",
        "Customer Service",
        ("de", "en"),
        "wien",
        2,
    ),
    ExecutiveSpec(
        "Gabriele Pointner", "Regional Director Austria", "Executive Board", ("de", "en"), "wien"
    ),
    ExecutiveSpec("Philipp Graf", "Head of Strategy", "Strategy", ("de", "en"), "zuerich"),
    ExecutiveSpec("Susanne Lorenz", "Head of Compliance", "Legal", ("de",), "leipzig"),
    ExecutiveSpec("Jürgen Kaiser", "Head of Accounting", "Finance", ("de",), "dortmund"),
    ExecutiveSpec("Alexandra Winkler", "Head of Pricing", "Sales", ("de", "en"), "wien"),
    ExecutiveSpec(
        "Benedikt Sommer", "Head of Partner Management", "Sales", ("de", "en"), "leipzig"
    ),
    ExecutiveSpec("Hannes Fuchs", "Head of Network Operations", "IT", ("de",), "wien"),
    ExecutiveSpec(
        "Vanessa Böhm", "Chief Information Security Officer", "IT", ("de", "en"), "dortmund"
    ),
    ExecutiveSpec("Dominik Stadler", "Head of Quality Management", "Operations", ("de",), "wien"),
    ExecutiveSpec(
        "Isabelle Rochat", "Head of Finance Switzerland", "Finance", ("fr", "de"), "zuerich"
    ),
    ExecutiveSpec("Werner Lang", "VP Operations", "Operations", ("de",), "leipzig", 2),
    ExecutiveSpec(
        "Elena Conti", "Head of Investor Relations", "Finance", ("de", "it", "en"), "zuerich"
    ),
)

# Topics an executive of a department would like to see first.
DEPARTMENT_TOPICS = {
    "Finance": ("billing", "payments", "complaints"),
    "Operations": ("returns", "logistics", "technical support"),
    "IT": ("technical support", "onboarding"),
    "Sales": ("onboarding", "sales", "business customers", "contracts"),
    "Marketing": ("complaints", "onboarding"),
    "Customer Service": ("complaints", "returns", "billing"),
    "Logistics": ("returns", "logistics"),
    "Legal": ("contracts", "complaints"),
    "Executive Board": ("complaints", "billing", "business customers"),
}

UNAVAILABLE_REASONS = (
    "Vacation",
    "Board meeting week",
    "Trade fair",
    "Conference",
    "Budget planning",
    "Business trip",
)


@dataclass(frozen=True)
class RotationSpec:
    """A demo rotation: who, where, which status, and weeks from today (negative: past)."""

    executive: str  # email local part
    team: str
    status: BookingStatus
    weeks: int
    reason: str = ""


S = BookingStatus
ROTATIONS = (
    RotationSpec("cfo", "Rechnung & Zahlung", S.COMPLETED, -6),
    RotationSpec("coo", "Technik-Hotline", S.COMPLETED, -5),
    RotationSpec("ursula.bachmann", "Service Romandie & Ticino", S.COMPLETED, -4),
    RotationSpec("frank.zimmermann", "Privatkunden", S.NO_SHOW, -3),
    RotationSpec("ceo", "Reklamationen", S.APPROVED, 1),
    RotationSpec("andreas.lindner", "Technischer Support", S.APPROVED, 1),
    RotationSpec("laura.schmid", "Support Schweiz", S.APPROVED, 2),
    RotationSpec("werner.lang", "Vertragsservice", S.APPROVED, 3),
    RotationSpec("julia.fischer", "Neukundenservice", S.REQUESTED, 2),
    RotationSpec("christian.weber", "Technischer Support", S.REQUESTED, 3),
    RotationSpec("selin.kaya", "Retouren", S.REQUESTED, 3),
    RotationSpec("nina.albrecht", "Rechnung & Zahlung", S.REQUESTED, 4),
    RotationSpec(
        "martin.huebner",
        "Rechnung & Zahlung",
        S.DECLINED,
        1,
        "Two new colleagues start that week; please pick another date.",
    ),
    RotationSpec(
        "tobias.schreiber",
        "Technik-Hotline",
        S.DECLINED,
        2,
        "Release weekend follow-up: the team is fully on the phones.",
    ),
    RotationSpec(
        "petra.wimmer", "Privatkunden", S.CANCELLED, 2, "Moved: the supervisory board meets then."
    ),
    RotationSpec("matthias.reiter", "Reklamationen", S.CANCELLED, 4, "Sick leave."),
    RotationSpec("cfo", "Geschäftskunden", S.PROPOSED, 5),
    RotationSpec("claudia.baumann", "Beschwerdemanagement", S.PROPOSED, 6),
    RotationSpec("markus.aigner", "Retouren", S.PROPOSED, 7),
)


# --- helpers -----------------------------------------------------------------------------


def email_local(name: str) -> str:
    """'Dr. Jürgen Kaiser' -> 'juergen.kaiser'."""
    name = name.removeprefix("Dr. ").lower()
    for umlaut, spelled in (("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("ß", "ss")):
        name = name.replace(umlaut, spelled)
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return ".".join(ascii_name.split())


def add_months(day: date, months: int) -> date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _at(day: date, hour: int = 9) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=UTC)


def _next_weekday(day: date, weekday: int) -> date:
    return day + timedelta(days=(weekday - day.weekday()) % 7)


class _Loader:
    """Builds the demo step by step; one instance per load."""

    def __init__(self, session: Session, today: date) -> None:
        self.session = session
        self.today = today
        self.horizon_end = add_months(today, HORIZON_MONTHS)
        self.random = random.Random(SEED)
        # One hash for every account: argon2 per user would take seconds.
        self.password_hash = accounts.hash_password(DEMO_PASSWORD)
        self.sites: dict[str, Site] = {}
        self.teams: dict[str, Team] = {}
        self.agents: dict[int, list[BuddyAgent]] = {}
        self.users: dict[str, User] = {}
        self.executives: dict[str, Executive] = {}
        self.leads_of: dict[int, list[User]] = {}
        # Dates each executive is out visiting, and executives per (team, date).
        self.busy: dict[int, set[date]] = {}
        self.starts: dict[int, list[date]] = {}
        self.visitors: dict[tuple[int, date], set[int]] = {}

    # accounts

    def user(self, local: str, name: str, roles: set[Role], timezone: str | None = None) -> User:
        email = f"{local}@{DOMAIN}"
        user = User(email=email, name=name, password_hash=self.password_hash, timezone=timezone)
        self.session.add(user)
        accounts.set_roles(self.session, user, roles)
        self.session.flush()
        audit.record(
            self.session,
            actor=None,
            action="user.create",
            obj=user,
            after={"email": email, "roles": sorted(role.value for role in roles)},
        )
        self.users[local] = user
        return user

    @property
    def pm(self) -> User:
        return self.users["pm"]

    # organisation

    def load_sites_and_teams(self) -> None:
        for local, name in PROGRAM_MANAGERS:
            self.user(local, name, {Role.PROGRAM_MANAGER})
        for spec in SITES:
            self.sites[spec.key] = sites.create_site(
                session=self.session,
                actor=self.pm,
                data=sites.SiteData(
                    name=spec.name,
                    timezone=spec.timezone,
                    address=spec.address,
                    holiday_region=capacity.check_holiday_region(spec.holiday_region),
                ),
            )
        lead_ids: dict[str, list[int]] = {}
        for local, name, (site_key, team_name) in TEAM_LEADS:
            lead = self.user(local, name, {Role.TEAM_LEAD}, self.sites[site_key].timezone)
            for team in TEAMS:
                if team.site == site_key and team_name in (None, team.name):
                    lead_ids.setdefault(team.name, []).append(lead.id)
        for spec in TEAMS:
            team = sites.create_team(
                session=self.session,
                actor=self.pm,
                data=sites.TeamData(
                    site_id=self.sites[spec.site].id,
                    name=spec.name,
                    topics=list(spec.topics),
                    languages=list(spec.languages),
                    lead_ids=lead_ids[spec.name],
                ),
            )
            self.teams[spec.name] = team
            self.leads_of[team.id] = [self.session.get(User, i) for i in lead_ids[spec.name]]
            self.agents[team.id] = [
                sites.create_agent(
                    session=self.session,
                    actor=self.pm,
                    data=sites.AgentData(
                        team_id=team.id, name=name, languages=list(languages), is_active=True
                    ),
                )
                for name, languages in spec.agents
            ]

    def load_executives(self) -> None:
        for spec in EXECUTIVES:
            local = spec.email or email_local(spec.name)
            home = self.sites[spec.home]
            user = self.user(local, spec.name, {Role.EXECUTIVE}, home.timezone)
            executive = Executive(
                user_id=user.id,
                title=spec.title,
                department=spec.department,
                languages=list(spec.languages),
                home_site_id=home.id,
                rotations_required=spec.rotations,
            )
            self.session.add(executive)
            self.session.flush()
            self.executives[local] = executive
            self.busy[executive.id] = set()
            self.starts[executive.id] = []

    def load_preferences(self) -> None:
        site_ids = [site.id for site in self.sites.values()]
        for index, executive in enumerate(self.executives.values()):
            if index % 5 == 4:
                continue  # some have not said what they would like
            wished_sites = self.random.sample(site_ids, self.random.randint(1, 2))
            topics = DEPARTMENT_TOPICS.get(executive.department, ("complaints", "billing"))
            wished_topics = self.random.sample(topics, min(len(topics), self.random.randint(1, 3)))
            availability.save_preferences(
                session=self.session,
                actor=self.pm,
                executive_id=executive.id,
                preferences=availability.Preferences(
                    languages=list(executive.languages),
                    sites={site_id: self.random.randint(1, 3) for site_id in wished_sites},
                    topics={topic: self.random.randint(1, 3) for topic in wished_topics},
                ),
            )

    def load_program(self) -> None:
        self.session.add(
            ProgramRules(
                rotation_pattern=[SlotKind.SHADOWING.value, SlotKind.HEADSET.value],
                min_days_between_rotations=MIN_DAYS_BETWEEN,
                max_executives_per_team_per_day=MAX_PER_TEAM_DAY,
            )
        )
        start = self.today - timedelta(weeks=9)
        self.session.add(
            Cycle(
                name=f"Rotations {start:%b %Y} – {self.horizon_end:%b %Y}",
                start_date=start,
                end_date=self.horizon_end,
                book_by=self.today + timedelta(weeks=4),
            )
        )
        self.session.flush()

    # capacity

    def load_templates(self) -> None:
        for spec in TEAMS:
            team = self.teams[spec.name]
            for kind, start, end in (
                (SlotKind.SHADOWING, time(9), time(13)),
                (SlotKind.HEADSET, time(13, 30), time(17, 30)),
            ):
                capacity.save_template(
                    session=self.session,
                    actor=self.pm,
                    team_id=team.id,
                    data=capacity.TemplateData(
                        weekdays=[0, 1, 2, 3, 4],
                        start_time=start,
                        end_time=end,
                        kind=kind.value,
                        capacity=spec.places,
                    ),
                )

    def load_blackouts(self) -> None:
        billing = self.teams["Rechnung & Zahlung"]
        month = self.today.replace(day=1)
        while month <= self.horizon_end:
            # The billing team runs the month-end invoices on the last three working days.
            day = add_months(month, 1) - timedelta(days=1)
            working_days: list[date] = []
            while len(working_days) < 3:
                if day.weekday() < 5:
                    working_days.append(day)
                day -= timedelta(days=1)
            first, last = working_days[-1], working_days[0]
            if first > self.today and last <= self.horizon_end:
                self.blackout(first, last, "Month-end billing run", team=billing)
            month = add_months(month, 1)
        for year in {self.today.year, self.horizon_end.year}:
            start, end = date(year, 12, 24), date(year, 12, 31)
            if start <= self.horizon_end and end >= self.today:
                for site in self.sites.values():
                    self.blackout(start, end, "Christmas week: skeleton crew only", site=site)
        training = _next_weekday(self.today + timedelta(days=17), 2)
        self.blackout(training, training, "Training day: new CRM release", site=self.sites["wien"])
        peak = _next_weekday(self.today + timedelta(weeks=8), 0)
        self.blackout(
            peak,
            peak + timedelta(days=13),
            "Peak season: returns after the sale campaign",
            team=self.teams["Retouren"],
        )
        assembly = _next_weekday(self.today + timedelta(weeks=10), 4)
        self.blackout(assembly, assembly, "Staff assembly", site=self.sites["zuerich"])

    def blackout(
        self,
        start: date,
        end: date,
        reason: str,
        *,
        site: Site | None = None,
        team: Team | None = None,
    ) -> None:
        capacity.add_blackout(
            session=self.session,
            actor=self.pm,
            data=capacity.BlackoutData(
                start_date=start,
                end_date=end,
                reason=reason,
                site_id=site.id if site else None,
                team_id=team.id if team else None,
            ),
        )

    def generate(self, team: Team, start: date, end: date) -> None:
        capacity.generate_slots(
            session=self.session, actor=self.pm, team_id=team.id, start=start, end=end
        )

    def load_slots(self) -> None:
        for team in self.teams.values():
            self.generate(team, self.today, self.horizon_end)

    # rotations

    def past_pair(self, team: Team, weeks: int, executive: Executive) -> tuple[Slot, Slot]:
        """Generate a past day pair's slots (Monday to Thursday, no holiday) and return them."""
        day = self.today + timedelta(weeks=weeks)
        while True:
            day -= timedelta(days=1)
            closed = capacity.holidays_in(team.site.holiday_region, day, day + timedelta(days=1))
            if day.weekday() <= 3 and not closed and day + timedelta(days=1) < self.today:
                break
        self.generate(team, day, day + timedelta(days=1))
        return self.pair_from(team, day, executive)

    def pair_from(self, team: Team, earliest: date, executive: Executive) -> tuple[Slot, Slot]:
        """The first shadowing and next-day headset slots from earliest on that keep the
        program rules: room in both, at most two visitors a team-day, the executive free
        and 30 days from their other rotations."""
        slots = {
            (slot.day, slot.kind): slot
            for slot in self.session.exec(
                select(Slot).where(Slot.team_id == team.id, Slot.day >= earliest)
            ).unique()
        }
        for day in sorted({day for day, _kind in slots}):
            shadowing = slots.get((day, SlotKind.SHADOWING.value))
            headset = slots.get((day + timedelta(days=1), SlotKind.HEADSET.value))
            if shadowing is None or headset is None:
                continue
            spaced = all(
                abs((day - start).days) >= MIN_DAYS_BETWEEN for start in self.starts[executive.id]
            )
            if spaced and all(
                slot.free_places > 0
                and len(self.visitors.get((team.id, slot.day), ())) < MAX_PER_TEAM_DAY
                for slot in (shadowing, headset)
            ):
                return shadowing, headset
        raise RuntimeError(f"no free day pair at {team.name} from {earliest}")  # pragma: no cover

    def load_rotations(self) -> None:
        for spec in ROTATIONS:
            executive = self.executives[spec.executive]
            team = self.teams[spec.team]
            if spec.weeks < 0:
                first, second = self.past_pair(team, spec.weeks, executive)
            else:
                first, second = self.pair_from(
                    team, self.today + timedelta(weeks=spec.weeks), executive
                )
            self.rotation(spec, executive, team, first, second)

    def rotation(
        self, spec: RotationSpec, executive: Executive, team: Team, first: Slot, second: Slot
    ) -> Booking:
        asked = min(first.day, self.today) - timedelta(days=self.random.randint(10, 20))
        decided = asked + timedelta(days=self.random.randint(1, 5))
        buddies = [
            agent
            for agent in self.agents[team.id]
            if set(agent.languages) & set(executive.languages)
        ] or self.agents[team.id]
        with_buddies = spec.status in (S.APPROVED, S.COMPLETED, S.NO_SHOW)
        booking = Booking(
            executive_id=executive.id,
            team_id=team.id,
            status=(S.PROPOSED if spec.status == S.PROPOSED else S.REQUESTED).value,
            created_at=_at(asked),
        )
        booking.days = [
            BookingDay(
                day_index=index,
                slot_id=slot.id,
                buddy_id=buddies[index % len(buddies)].id if with_buddies else None,
            )
            for index, slot in enumerate((first, second))
        ]
        self.session.add(booking)
        self.session.flush()
        audit.record(
            self.session,
            actor=self.pm if spec.status == S.PROPOSED else executive.user,
            action="booking.create",
            obj=booking,
            after={"status": booking.status},
        )
        if booking.status == S.REQUESTED:
            take_places(self.session, booking)
        lead = self.leads_of[team.id][0]
        path: dict[BookingStatus, list[tuple[BookingStatus, User, str]]] = {
            S.APPROVED: [(S.APPROVED, lead, "")],
            S.DECLINED: [(S.DECLINED, lead, spec.reason)],
            S.CANCELLED: [(S.APPROVED, lead, ""), (S.CANCELLED, self.pm, spec.reason)],
            S.COMPLETED: [(S.APPROVED, lead, ""), (S.COMPLETED, lead, "")],
            S.NO_SHOW: [(S.APPROVED, lead, ""), (S.NO_SHOW, lead, "Did not come; no message.")],
        }
        for to, actor, reason in path.get(spec.status, []):
            transition(self.session, booking, to, actor=actor, reason=reason, now=_at(decided))
        if booking.status not in {S.PROPOSED, S.REQUESTED, S.APPROVED, S.COMPLETED}:
            release_places(self.session, booking)
        if booking.status in {S.PROPOSED, S.REQUESTED, S.APPROVED, S.COMPLETED}:
            self.starts[executive.id].append(first.day)
            for slot in (first, second):
                self.busy[executive.id].add(slot.day)
                self.visitors.setdefault((team.id, slot.day), set()).add(executive.id)
        return booking

    def load_unavailability(self) -> None:
        on_leave = self.executives["monika.haas"]
        others = [executive for executive in self.executives.values() if executive is not on_leave]
        away = self.random.sample(others, 14)
        for executive in away:
            for _range in range(self.random.randint(1, 2)):
                start = self.today + timedelta(days=self.random.randint(3, 80))
                end = start + timedelta(days=self.random.randint(2, 12))
                if any(start <= day <= end for day in self.busy[executive.id]):
                    continue
                availability.add_unavailability(
                    session=self.session,
                    actor=self.pm,
                    executive_id=executive.id,
                    start=start,
                    end=end,
                    reason=self.random.choice(UNAVAILABLE_REASONS),
                )
        # Away for the whole quarter: the planner has to explain why she gets no rotation.
        availability.add_unavailability(
            session=self.session,
            actor=self.pm,
            executive_id=on_leave.id,
            start=self.today,
            end=self.horizon_end,
            reason="Parental leave",
        )

    def sign_ins(self) -> list[DemoSignIn]:
        return demo_sign_ins(self.session)


# The accounts worth trying first, one or more per role: (label, email local part).
SIGN_INS = (
    ("Program manager", "pm"),
    ("Team lead (Leipzig)", "lead.leipzig"),
    ("Team lead (Dortmund)", "lead.dortmund"),
    ("Team lead (Wien)", "lead.wien"),
    ("Team lead (Zürich)", "lead.zuerich"),
    ("Executive (CFO)", "cfo"),
    ("Executive (CEO)", "ceo"),
)


def demo_sign_ins(session: Session) -> list[DemoSignIn]:
    """The demo's sign-ins whose accounts exist in this database."""
    emails = [f"{local}@{DOMAIN}" for _label, local in SIGN_INS]
    users = {user.email: user for user in session.exec(select(User).where(User.email.in_(emails)))}
    return [
        DemoSignIn(role=label, name=users[email].name, email=email)
        for (label, _local), email in zip(SIGN_INS, emails, strict=True)
        if email in users
    ]


def load_demo(*, session: Session, today: date) -> list[DemoSignIn]:
    """Load the demo organisation into an empty database; the caller commits.

    Every account's password is DEMO_PASSWORD. Returns the sign-ins worth trying, one or
    more per role. The same `today` gives the same data (the choices are seeded).
    """
    loader = _Loader(session, today)
    loader.load_sites_and_teams()
    loader.load_executives()
    loader.load_preferences()
    loader.load_program()
    loader.load_templates()
    loader.load_blackouts()
    loader.load_slots()
    loader.load_rotations()
    loader.load_unavailability()
    session.flush()
    return loader.sign_ins()
