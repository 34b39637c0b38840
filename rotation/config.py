"""Settings from the environment, with safe defaults. Standard library only."""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def instance_dir() -> Path:
    path = Path(os.environ.get("HEADSET_INSTANCE", PROJECT_ROOT / "instance"))
    path.mkdir(parents=True, exist_ok=True)
    return path


def secret_key(folder: Path) -> str:
    """Return SECRET_KEY from the environment, else one generated once and kept in folder."""
    if os.environ.get("SECRET_KEY"):
        return os.environ["SECRET_KEY"]
    key_file = folder / "secret_key"
    if not key_file.exists():
        # Created with 0600 so that the key is never readable by other accounts.
        fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_hex(32))
    return key_file.read_text().strip()


def is_development() -> bool:
    return os.environ.get("HEADSET_ENV", "production").lower() in {"development", "dev"}


def load() -> dict[str, object]:
    """Build the Flask config mapping from the environment."""
    folder = instance_dir()
    development = is_development()
    redis_url = os.environ.get("REDIS_URL") or None
    return {
        "SECRET_KEY": secret_key(folder),
        "DATABASE_URL": os.environ.get("DATABASE_URL") or f"sqlite:///{folder / 'headset.db'}",
        "REDIS_URL": redis_url,
        "DEVELOPMENT": development,
        # The __Host- prefix needs Secure; a plain-http development server cannot keep such a
        # cookie, so development uses an unprefixed name.
        "SESSION_COOKIE_NAME": "session" if development else "__Host-session",
        "SESSION_COOKIE_SECURE": not development,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_PATH": "/",
        "PERMANENT_SESSION_LIFETIME": timedelta(hours=int(os.environ.get("SESSION_HOURS", "8"))),
        "REMEMBER_COOKIE_NAME": "remember",
        "WTF_CSRF_TIME_LIMIT": None,
        "RATELIMIT_STORAGE_URI": redis_url or "memory://",
        "RATELIMIT_HEADERS_ENABLED": True,
        "SIGN_IN_LIMIT_PER_ADDRESS": os.environ.get("SIGN_IN_LIMIT_PER_ADDRESS", "20 per minute"),
        "SIGN_IN_LIMIT_PER_ACCOUNT": os.environ.get("SIGN_IN_LIMIT_PER_ACCOUNT", "5 per minute"),
        "BABEL_DEFAULT_LOCALE": "en",
        "BABEL_DEFAULT_TIMEZONE": "Europe/Berlin",
        "PAGE_SIZE": 25,
        "MAX_CONTENT_LENGTH": 5 * 1024 * 1024,
        # Reminders leave through the outbox; `flask send-mail` delivers them here.
        "SMTP_HOST": os.environ.get("SMTP_HOST", "127.0.0.1"),
        "SMTP_PORT": int(os.environ.get("SMTP_PORT", "25")),
        "MAIL_SENDER": os.environ.get("MAIL_SENDER", "headset@localhost"),
        # Planning runs: solver threads per run, the RQ queue `flask worker` serves, and when
        # a silent run counts as dead (no heartbeat for PLAN_RUN_STALE_S seconds, or still
        # queued after PLAN_RUN_QUEUE_TIMEOUT_S seconds).
        "PLAN_WORKERS": int(os.environ.get("PLAN_WORKERS", "2")),
        "PLAN_QUEUE": os.environ.get("PLAN_QUEUE", "planning"),
        "PLAN_RUN_STALE_S": int(os.environ.get("PLAN_RUN_STALE_S", "30")),
        "PLAN_RUN_QUEUE_TIMEOUT_S": int(os.environ.get("PLAN_RUN_QUEUE_TIMEOUT_S", "900")),
    }
