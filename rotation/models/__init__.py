"""All tables; importing this package registers them on SQLModel.metadata."""

from .accounts import Role, User, UserRole
from .audit import AuditEntry
from .base import UTCDateTime, utcnow
from .bookings import ALLOWED, HOLDS_PLACES, Booking, BookingDay, BookingStatus
from .capacity import Slot, SlotKind
from .executives import Executive, SitePreference, TopicPreference, Unavailability
from .outbox import OutboxMessage
from .planning import ACTIVE_RUN_STATUSES, PlanRun, PlanRunStatus
from .program import Cycle, ProgramRules
from .sites import Blackout, BuddyAgent, Site, Team, TeamLead
from .templates import SlotTemplate

__all__ = [
    "ACTIVE_RUN_STATUSES",
    "ALLOWED",
    "HOLDS_PLACES",
    "AuditEntry",
    "Blackout",
    "Booking",
    "BookingDay",
    "BookingStatus",
    "BuddyAgent",
    "Cycle",
    "Executive",
    "OutboxMessage",
    "PlanRun",
    "PlanRunStatus",
    "ProgramRules",
    "Role",
    "Site",
    "SitePreference",
    "Slot",
    "SlotKind",
    "SlotTemplate",
    "Team",
    "TeamLead",
    "TopicPreference",
    "UTCDateTime",
    "Unavailability",
    "User",
    "UserRole",
    "utcnow",
]
