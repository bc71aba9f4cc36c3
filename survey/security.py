"""Sign-in plumbing and security headers applied to every response."""

from __future__ import annotations

from typing import Any

from flask import Flask, Request, Response, g, request
from flask_login import AnonymousUserMixin
from werkzeug.datastructures import ImmutableMultiDict
from werkzeug.routing import IntegerConverter
from werkzeug.utils import cached_property

from survey import sessions
from survey.extensions import login_manager


def init_app(app: Flask) -> None:
    """Bind Flask-Login, add the security headers (CSP: own scripts only), drop NUL from input,
    and keep `<int:…>` URL parts within what a database id can be."""
    app.request_class = NulFreeRequest
    app.url_map.converters["int"] = DatabaseIdConverter
    login_manager.init_app(app)
    login_manager.login_view = "auth.sign_in"
    login_manager.login_message = "Please sign in to see that page."
    login_manager.anonymous_user = AnonymousUserMixin
    login_manager.session_protection = "strong"
    login_manager.user_loader(sessions.load_user)
    app.after_request(_security_headers)


class DatabaseIdConverter(IntegerConverter):
    """`<int:…>` capped at the largest id a column can hold on every supported database
    (PostgreSQL's INTEGER: 2**31 - 1): a longer number is an unknown page (404), not an
    out-of-range error from the database driver (a 500)."""

    def __init__(self, map: Any, *args: Any, **kwargs: Any) -> None:  # noqa: A002 - werkzeug's name
        kwargs.setdefault("max", 2**31 - 1)
        super().__init__(map, *args, **kwargs)


CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self'; connect-src 'self'; frame-ancestors 'none'; "
    "base-uri 'self'; form-action 'self'; object-src 'none'"
)


STATIC_HEADERS = (
    ("X-Content-Type-Options", "nosniff"),
    ("X-Frame-Options", "DENY"),
    ("Referrer-Policy", "no-referrer"),
)


def _security_headers(response: Response) -> Response:
    headers = response.headers
    if "Content-Security-Policy" not in headers:
        headers["Content-Security-Policy"] = g.get("csp", CSP)
    for name, value in STATIC_HEADERS:
        if name not in headers:
            headers[name] = value
    path = request.path
    if path.startswith(("/r/", "/reports")) and "Cache-Control" not in headers:
        headers["Cache-Control"] = "no-store"
    return response


def _without_nul(pairs: Any) -> ImmutableMultiDict[str, str]:
    return ImmutableMultiDict(
        (key.replace("\x00", ""), value.replace("\x00", "")) for key, value in pairs
    )


class NulFreeRequest(Request):
    """Form fields and query arguments with NUL characters removed.

    NUL is never meaningful text, PostgreSQL refuses it in any text value (a 500 on a bare
    query), and SQLite would store it: removing it at the edge keeps both databases equal.
    """

    def _load_form_data(self) -> None:
        super()._load_form_data()
        form = self.__dict__.get("form")
        if form is not None:
            self.__dict__["form"] = _without_nul(form.items(multi=True))

    @cached_property
    def args(self) -> ImmutableMultiDict[str, str]:
        return _without_nul(super().args.items(multi=True))
