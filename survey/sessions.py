"""Signed-in sessions: a fresh session at each sign-in, the account's session version, and
idle and absolute lifetimes for HR.

Sessions are signed cookies, so the server cannot delete one; instead each session's user id
carries the account's `session_version` (`User.get_id`), and raising that version in the
database (sign-out, a new password, "sign out everywhere") makes every earlier cookie sign in
nobody. HR sessions also end after `HR_SESSION_IDLE_MINUTES` without a request and
`HR_SESSION_MAX_HOURS` after signing in, whatever happens in between.
"""

from __future__ import annotations

import time

from flask import current_app, session
from flask_login import login_user

from survey.extensions import db
from survey.models import User

SIGNED_IN_AT, SEEN_AT = "signed_in_at", "seen_at"


def begin(user: User) -> None:
    """Sign `user` in on a new session: nothing from the session before sign-in survives
    (session fixation), and its lifetimes start now."""
    session.clear()
    login_user(user)
    now = int(time.time())
    session[SIGNED_IN_AT] = now
    session[SEEN_AT] = now


def load_user(session_id: str) -> User | None:
    """Flask-Login's user loader: the active account whose id and session version match, and
    for HR only while the session is within its lifetimes (the visit is then noted)."""
    user_id, _, version = session_id.partition(":")
    if not (user_id.isdigit() and version.isdigit()):
        return None  # a cookie from before session versions, or forged
    user = db.session.get(User, int(user_id))
    if user is None or not user.active or user.session_version != int(version):
        return None
    if user.is_hr and not _within_lifetimes():
        session.clear()
        return None
    if user.is_hr and time.time() - session[SEEN_AT] >= 60:  # a new cookie once a minute
        session[SEEN_AT] = int(time.time())
    return user


def _within_lifetimes() -> bool:
    config, now = current_app.config, time.time()
    signed_in_at, seen_at = session.get(SIGNED_IN_AT), session.get(SEEN_AT)
    if not isinstance(signed_in_at, int) or not isinstance(seen_at, int):
        return False
    idle = 60 * int(config["HR_SESSION_IDLE_MINUTES"])
    longest = 3600 * int(config["HR_SESSION_MAX_HOURS"])
    return now - seen_at <= idle and now - signed_in_at <= longest
