"""Readable error pages: never a traceback for a user; a failed request rolls back."""

from __future__ import annotations

import math
import time

from flask import Flask, render_template
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import HTTPException

from survey.extensions import db

MESSAGES = {
    400: ("Something in that request was not right", "Go back, check the page and try again."),
    403: ("Not yours to see", "You do not have access to this page."),
    404: ("Page not found", "The address may be mistyped, or the page no longer exists."),
    405: ("Not allowed", "That action is not available here."),
    413: ("Too large", "What you sent is larger than this site accepts."),
    429: ("Too many attempts", "Please wait a minute before trying again."),
    500: ("Something went wrong on our side", "Nothing you did caused this. Please try again."),
    503: (
        "Please retry in a moment",
        "The service is briefly unavailable. Nothing you entered has been lost.",
    ),
}


def init_app(app: Flask) -> None:
    """Install handlers for HTTP errors, database outages and unexpected errors."""
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(OperationalError, _database_unavailable)
    app.register_error_handler(500, _server_error)


def render_error(code: int, title: str | None = None, detail: str | None = None) -> tuple[str, int]:
    """Render the shared error page with a status code."""
    default_title, default_detail = MESSAGES.get(code, MESSAGES[400])
    return (
        render_template(
            "error.html", code=code, title=title or default_title, detail=detail or default_detail
        ),
        code,
    )


def _http_error(
    error: HTTPException,
) -> tuple[str, int] | tuple[str, int, dict[str, str]] | HTTPException:
    if error.code is None or error.code < 400:
        return error
    page, code = render_error(error.code, detail=_description(error))
    if code == 429:
        return page, code, {"Retry-After": str(_retry_after())}
    return page, code


def _retry_after() -> int:
    """Seconds until the limit this request broke lets the client in again (RFC 9110 §10.2.3);
    a minute when Flask-Limiter cannot tell."""
    from survey.extensions import limiter

    current = limiter.current_limit
    if current is None or not current.reset_at:
        return 60
    return max(1, math.ceil(current.reset_at - time.time()))


def _description(error: HTTPException) -> str | None:
    # Flask-WTF's CSRF error and our own abort(…, description) carry a readable reason.
    if error.code == 400 and error.description and "CSRF" in error.description:
        return "This form expired or was sent twice. Reload the page and try again."
    return None


def _database_unavailable(error: OperationalError) -> tuple[str, int]:
    db.session.rollback()
    return render_error(503)


def _server_error(error: Exception) -> tuple[str, int]:
    db.session.rollback()
    return render_error(500)
