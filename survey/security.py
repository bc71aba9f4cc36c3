"""Sign-in plumbing and security headers applied to every response."""

from __future__ import annotations

from flask import Flask, Response, g, request
from flask_login import AnonymousUserMixin

from survey.extensions import db, login_manager


def init_app(app: Flask) -> None:
    """Bind Flask-Login and add the security headers (CSP: own scripts only)."""
    login_manager.init_app(app)
    login_manager.login_view = "auth.sign_in"
    login_manager.login_message = "Please sign in to see that page."
    login_manager.anonymous_user = AnonymousUserMixin
    login_manager.session_protection = "strong"
    login_manager.user_loader(_load_user)
    app.after_request(_security_headers)


def _load_user(user_id: str) -> object | None:
    from survey.models import User

    if not user_id.isdigit():
        return None
    user = db.session.get(User, int(user_id))
    return user if user is not None and user.active else None


CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; "
    "form-action 'self'; object-src 'none'"
)


def _security_headers(response: Response) -> Response:
    response.headers.setdefault("Content-Security-Policy", g.get("csp", CSP))
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Referrer-Policy", "no-referrer")
    if request.path.startswith("/r/") or request.path.startswith("/reports"):
        response.headers.setdefault("Cache-Control", "no-store")
    return response
