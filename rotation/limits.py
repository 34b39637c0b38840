"""Rate limits: in memory for one process, Redis when several workers share REDIS_URL."""

from __future__ import annotations

from flask import request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address

limiter = Limiter(key_func=get_remote_address, default_limits=[])


def sign_in_account_key() -> str:
    """Limit sign-in attempts per account, whichever address they come from."""
    return "account:" + (request.form.get("email") or "").strip().lower()[:254]
