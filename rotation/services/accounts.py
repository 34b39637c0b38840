"""Users, roles, passwords, sessions and executive profiles."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from email_validator import EmailNotValidError, validate_email
from sqlalchemy import func, or_
from sqlmodel import Session, select

from ..errors import Conflict, Invalid, NotAllowed, NotFound
from ..i18n import _
from ..models import Booking, Executive, Role, Site, User, UserRole
from ..models.accounts import new_session_token
from . import audit
from .csvfiles import import_all, parse_languages, read_rows
from .paging import Page, paginate

_hasher = PasswordHasher()
# Verifying against this keeps the time of a sign-in for an unknown email like a known one's.
_DUMMY_HASH = _hasher.hash("not a password of anyone")


def configure_hashing(*, time_cost: int, memory_kib: int) -> None:
    """Set the argon2 cost; tests lower it, production keeps the library's defaults."""
    global _hasher, _DUMMY_HASH
    _hasher = PasswordHasher(time_cost=time_cost, memory_cost=memory_kib)
    _DUMMY_HASH = _hasher.hash("not a password of anyone")


MIN_PASSWORD_LENGTH = 10


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def normalise_email(email: str) -> str:
    try:
        return validate_email(email.strip(), check_deliverability=False).normalized.lower()
    except EmailNotValidError:
        raise Invalid(_("This is not a valid email address."), field="email") from None


def check_password_rules(password: str, *, field: str = "password") -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise Invalid(_("Use at least %(n)d characters.", n=MIN_PASSWORD_LENGTH), field=field)


def require_role(actor: User, *allowed: Role) -> None:
    if not actor.has_role(*allowed):
        raise NotAllowed(_("You are not allowed to do this."))


def get_user(session: Session, user_id: int) -> User:
    user = session.get(User, user_id)
    if user is None:
        raise NotFound(_("This user does not exist."))
    return user


def find_user_by_email(session: Session, email: str) -> User | None:
    return session.exec(select(User).where(User.email == email.strip().lower())).first()


def authenticate(*, session: Session, email: str, password: str) -> User | None:
    """Return the active user with this email and password, else None."""
    user = find_user_by_email(session, email)
    if user is None:
        _verify(_DUMMY_HASH, password)
        return None
    if not _verify(user.password_hash, password) or not user.is_active:
        return None
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    return user


def _verify(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def set_roles(session: Session, user: User, wanted: set[Role]) -> None:
    current = {Role(row.role): row for row in user.role_rows}
    for role, row in current.items():
        if role not in wanted:
            user.role_rows.remove(row)
    for role in wanted - set(current):
        user.role_rows.append(UserRole(role=role.value))


def create_user(
    *,
    session: Session,
    actor: User | None,
    email: str,
    name: str,
    password: str,
    roles: set[Role],
) -> User:
    """Create an account. Raises Invalid for a bad email or password, Conflict for a taken email.

    actor None means the system (demo data, first account from the command line).
    """
    if actor is not None:
        require_role(actor, Role.PROGRAM_MANAGER)
    email = normalise_email(email)
    check_password_rules(password)
    if not name.strip():
        raise Invalid(_("A name is required."), field="name")
    if find_user_by_email(session, email) is not None:
        raise Conflict(_("An account with this email exists already."), field="email")
    user = User(email=email, name=name.strip(), password_hash=hash_password(password))
    session.add(user)
    set_roles(session, user, roles)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="user.create",
        obj=user,
        after={"email": email, "roles": sorted(role.value for role in roles)},
    )
    return user


def update_user(
    *, session: Session, actor: User, user_id: int, name: str, email: str, roles: set[Role]
) -> User:
    """Change a user's name, email and roles; a role change applies on their next request."""
    require_role(actor, Role.PROGRAM_MANAGER)
    user = get_user(session, user_id)
    email = normalise_email(email)
    other = find_user_by_email(session, email)
    if other is not None and other.id != user.id:
        raise Conflict(_("An account with this email exists already."), field="email")
    if user.id == actor.id and Role.PROGRAM_MANAGER not in roles:
        raise Invalid(_("You cannot remove your own program manager role."), field="roles")
    before = audit.snapshot(user, ("name", "email", "roles"))
    user.name = name.strip()
    user.email = email
    set_roles(session, user, roles)
    session.flush()
    session.refresh(user)
    audit.record(
        session,
        actor=actor,
        action="user.update",
        obj=user,
        before=before,
        after=audit.snapshot(user, ("name", "email", "roles")),
    )
    return user


def change_password(
    *, session: Session, actor: User, current_password: str, new_password: str
) -> User:
    """Set a new password and end every other session of the user.

    Raises Invalid on a wrong current password or a too short new one.
    """
    if not _verify(actor.password_hash, current_password):
        raise Invalid(_("The current password is not right."), field="current_password")
    check_password_rules(new_password, field="new_password")
    actor.password_hash = hash_password(new_password)
    actor.session_token = new_session_token()
    audit.record(session, actor=actor, action="user.password", obj=actor)
    return actor


def set_password(*, session: Session, actor: User, user_id: int, new_password: str) -> User:
    """A program manager sets someone's password; their sessions end."""
    require_role(actor, Role.PROGRAM_MANAGER)
    user = get_user(session, user_id)
    check_password_rules(new_password)
    user.password_hash = hash_password(new_password)
    user.session_token = new_session_token()
    audit.record(session, actor=actor, action="user.set_password", obj=user)
    return user


def end_all_sessions(*, session: Session, actor: User) -> User:
    """Sign the user out on every device by replacing their session token."""
    actor.session_token = new_session_token()
    audit.record(session, actor=actor, action="user.sign_out_everywhere", obj=actor)
    return actor


def can_deactivate(actor: User, user: User) -> bool:
    """A program manager may deactivate any active account but their own."""
    return actor.has_role(Role.PROGRAM_MANAGER) and user.is_active and user.id != actor.id


def set_active(*, session: Session, actor: User, user_id: int, is_active: bool) -> User:
    """Deactivate (ending every session) or reactivate an account."""
    require_role(actor, Role.PROGRAM_MANAGER)
    user = get_user(session, user_id)
    if user.id == actor.id and not is_active:
        raise Invalid(_("You cannot deactivate your own account."))
    user.is_active = is_active
    if not is_active:
        user.session_token = new_session_token()
    audit.record(
        session,
        actor=actor,
        action="user.activate" if is_active else "user.deactivate",
        obj=user,
    )
    return user


def list_users(session: Session, *, query: str = "", page: int = 1, per_page: int = 25) -> Page:
    statement = select(User).order_by(User.name, User.id)
    if query:
        pattern = f"%{query.lower()}%"
        statement = statement.where(
            or_(func.lower(User.name).like(pattern), func.lower(User.email).like(pattern))
        )
    return paginate(session, statement, page=page, per_page=per_page)


# Executives -------------------------------------------------------------------------------


def get_executive(session: Session, executive_id: int) -> Executive:
    executive = session.get(Executive, executive_id)
    if executive is None:
        raise NotFound(_("This executive does not exist."))
    return executive


def executive_of(session: Session, user: User) -> Executive | None:
    return session.exec(select(Executive).where(Executive.user_id == user.id)).first()


def list_executives(
    session: Session, *, query: str = "", department: str = "", page: int = 1, per_page: int = 25
) -> Page:
    statement = select(Executive).join(User).order_by(User.name, Executive.id)
    if query:
        pattern = f"%{query.lower()}%"
        statement = statement.where(
            or_(
                func.lower(User.name).like(pattern),
                func.lower(User.email).like(pattern),
                func.lower(Executive.title).like(pattern),
            )
        )
    if department:
        statement = statement.where(Executive.department == department)
    return paginate(session, statement, page=page, per_page=per_page)


@dataclass(frozen=True)
class ExecutiveProfile:
    """What a program manager edits of an executive."""

    title: str
    department: str
    languages: list[str]
    home_site_id: int | None
    rotations_required: int


def _check_profile(session: Session, profile: ExecutiveProfile) -> None:
    if not profile.languages:
        raise Invalid(_("At least one language is required."), field="languages")
    if profile.rotations_required < 0:
        raise Invalid(_("Must be 0 or more."), field="rotations_required")
    if profile.home_site_id is not None and session.get(Site, profile.home_site_id) is None:
        raise Invalid(_("This site does not exist."), field="home_site_id")


def create_executive(
    *,
    session: Session,
    actor: User | None,
    email: str,
    name: str,
    password: str,
    profile: ExecutiveProfile,
) -> Executive:
    """Create an executive together with their account."""
    _check_profile(session, profile)
    user = create_user(
        session=session,
        actor=actor,
        email=email,
        name=name,
        password=password,
        roles={Role.EXECUTIVE},
    )
    executive = Executive(user_id=user.id, **profile.__dict__)
    session.add(executive)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="executive.create",
        obj=executive,
        after=audit.snapshot(executive, PROFILE_FIELDS),
    )
    return executive


PROFILE_FIELDS = ("title", "department", "languages", "home_site_id", "rotations_required")


def update_executive(
    *, session: Session, actor: User, executive_id: int, profile: ExecutiveProfile
) -> Executive:
    """Change an executive's profile."""
    require_role(actor, Role.PROGRAM_MANAGER)
    executive = get_executive(session, executive_id)
    _check_profile(session, profile)
    before = audit.snapshot(executive, PROFILE_FIELDS)
    for key, value in profile.__dict__.items():
        setattr(executive, key, value)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="executive.update",
        obj=executive,
        before=before,
        after=audit.snapshot(executive, PROFILE_FIELDS),
    )
    return executive


def rotations_of(session: Session, executive: Executive) -> list[Booking]:
    """The executive's rotations, newest first."""
    return list(
        session.exec(
            select(Booking)
            .where(Booking.executive_id == executive.id)
            .order_by(Booking.created_at.desc(), Booking.id.desc())
        ).unique()
    )


def departments(session: Session) -> list[str]:
    return list(
        session.exec(
            select(Executive.department)
            .where(Executive.department != "")
            .distinct()
            .order_by(Executive.department)
        )
    )


EXECUTIVE_COLUMNS = (
    "email",
    "name",
    "title",
    "department",
    "languages",
    "home_site",
    "rotations_required",
)


@dataclass(frozen=True)
class ImportedAccount:
    email: str
    name: str
    initial_password: str


def import_executives(*, session: Session, actor: User, data: bytes) -> list[ImportedAccount]:
    """Create an executive per CSV row; any bad row imports nothing.

    Columns: email, name, title, department, languages, home_site (a site name or empty),
    rotations_required (empty: 1). Every new account gets a random initial password, returned
    once so that the program manager can hand it over.
    Raises ImportRejected listing every bad row with its line number.
    """
    require_role(actor, Role.PROGRAM_MANAGER)
    rows = read_rows(data, required=("email", "name", "languages"))
    sites = {site.name.lower(): site for site in session.exec(select(Site))}
    existing = set(session.exec(select(User.email)))
    seen: set[str] = set()

    def handle(_line: int, row: dict[str, str]) -> ImportedAccount:
        try:
            email = normalise_email(row.get("email", ""))
        except Invalid as err:
            raise ValueError(f"email: {err.message}") from None
        if email in existing:
            raise ValueError(_("email: an account with %(email)s exists already", email=email))
        if email in seen:
            raise ValueError(_("email: %(email)s appears twice in the file", email=email))
        seen.add(email)
        name = row.get("name", "")
        if not name:
            raise ValueError(_("name: required"))
        try:
            languages = parse_languages(row.get("languages", ""))
        except ValueError as err:
            raise ValueError(f"languages: {err}") from None
        site_name = row.get("home_site", "")
        site = sites.get(site_name.lower()) if site_name else None
        if site_name and site is None:
            raise ValueError(_("home_site: unknown site '%(name)s'", name=site_name))
        required_text = row.get("rotations_required", "") or "1"
        if not required_text.isdigit() or int(required_text) > 12:
            raise ValueError(_("rotations_required: a whole number from 0 to 12"))
        password = secrets.token_urlsafe(12)
        profile = ExecutiveProfile(
            title=row.get("title", "")[:120],
            department=row.get("department", "")[:120],
            languages=languages,
            home_site_id=site.id if site else None,
            rotations_required=int(required_text),
        )
        create_executive(
            session=session,
            actor=actor,
            email=email,
            name=name[:120],
            password=password,
            profile=profile,
        )
        return ImportedAccount(email=email, name=name, initial_password=password)

    return import_all(rows, handle)
