"""Sign-in pages: HR password sign-in, one-time links (set password, subject sign-in)."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    Flask,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_limiter.util import get_remote_address
from flask_login import current_user, logout_user
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.wrappers import Response

from survey import sessions, tasks
from survey.domain.orgchart import normalise_email
from survey.errors import SurveyError
from survey.extensions import db, limiter
from survey.i18n import gettext, lazy_gettext, use_language
from survey.mail import QUEUE_NAME
from survey.models import LoginToken, utcnow
from survey.services import accounts
from survey.views.auth_forms import ConfirmLinkForm, RequestLinkForm, SetPasswordForm, SignInForm

bp = Blueprint("auth", __name__)
LINK_SENT = lazy_gettext(
    "If that address belongs to someone with a report, a sign-in link is on its way."
)


def _sign_in_limit() -> str:
    return str(current_app.config["SIGN_IN_LIMIT"])


def _sign_in_client_limit() -> str:
    return str(current_app.config["SIGN_IN_CLIENT_LIMIT"])


def _account_and_client() -> str:
    """The limit key of one account tried from one client: one client cannot lock the account
    out for everyone else. The e-mail is hashed so the limit store holds no address."""
    email = normalise_email(str(request.form.get("email", "")))
    digest = hashlib.sha256(email.encode()).hexdigest()[:32]
    return f"{digest}:{get_remote_address()}"


def _failed(response: Response) -> bool:
    return response.status_code != 302  # a successful sign-in redirects


@bp.route("/sign-in", methods=["GET", "POST"])
@limiter.limit(_sign_in_client_limit, methods=["POST"])
@limiter.limit(_sign_in_limit, methods=["POST"], key_func=_account_and_client, deduct_when=_failed)
def sign_in() -> str | Response:
    """HR signs in with e-mail and password."""
    form = SignInForm()
    if form.validate_on_submit():
        user = accounts.authenticate(form.email.data or "", form.password.data or "")
        if user is not None:
            next_page = _next_page()
            sessions.begin(user)
            return redirect(next_page or _home())
        form.password.errors = ["That e-mail and password do not match an account."]
    return render_template("auth/sign_in.html", form=form)


@bp.post("/sign-out")
def sign_out() -> Response:
    """Sign out (POST only, CSRF-checked): ends every session of the account, so a copy of
    this browser's cookie signs in nobody either."""
    if current_user.is_authenticated:
        accounts.end_sessions(current_user)
        db.session.commit()
    logout_user()
    session.clear()
    flash(gettext("You are signed out."), "success")
    return redirect(url_for("main.index"))


@bp.route("/link/<token>", methods=["GET", "POST"])
@limiter.limit("20 per minute", methods=["POST"])
def link(token: str) -> str | Response | tuple[str, int]:
    """A one-time link: GET only shows a button or form; POST uses the link up."""
    record = accounts.peek_link_token(token, utcnow())
    if record is None:
        return render_template("auth/link_invalid.html"), 404
    person = record.user.person
    if person is not None and person.language:  # the page speaks the e-mail's language
        use_language(person.language)
    if record.purpose == accounts.SET_PASSWORD:
        return _set_password(token, record)
    form = ConfirmLinkForm()
    if form.validate_on_submit():
        try:
            record = accounts.consume_link_token(token, utcnow())
        except accounts.InvalidLink:  # used by a request racing this one
            db.session.rollback()
            return render_template("auth/link_invalid.html"), 404
        db.session.commit()
        sessions.begin(record.user)
        return redirect(_home())
    return render_template("auth/link_confirm.html", form=form, user=record.user)


def _set_password(token: str, record: LoginToken) -> str | Response | tuple[str, int]:
    form = SetPasswordForm()
    if form.validate_on_submit():
        try:
            record = accounts.consume_link_token(token, utcnow())
        except accounts.InvalidLink:  # used by a request racing this one
            db.session.rollback()
            return render_template("auth/link_invalid.html"), 404
        accounts.set_password(record.user, form.password.data or "")
        db.session.commit()
        sessions.begin(record.user)
        flash(gettext("Your password is set."), "success")
        return redirect(_home())
    return render_template("auth/set_password.html", form=form, user=record.user)


@bp.route("/request-link", methods=["GET", "POST"])
@limiter.limit("5 per minute", methods=["POST"])
def request_link() -> str | Response:
    """Ask for a new sign-in link; the answer never says whether the e-mail is known."""
    form = RequestLinkForm()
    if form.validate_on_submit():
        flash(LINK_SENT, "success")
        response = redirect(url_for("auth.request_link"))
        # the same answer in the same time for every address: looking it up, storing a token
        # and sending the mail all happen once the answer has gone (or on the queue)
        response.call_on_close(_request_link_later(form.email.data or ""))
        return response
    return render_template("auth/request_link.html", form=form)


def _request_link_later(email: str) -> Callable[[], None]:
    app = current_app._get_current_object()  # type: ignore[attr-defined]

    def request_link_now() -> None:
        with app.app_context():
            redis_url = app.config.get("REDIS_URL")
            if redis_url:
                _enqueue_link_request(app, email, redis_url)
                return
            try:
                tasks.send_sign_in_link(email)
            except (SurveyError, SQLAlchemyError, OSError) as error:  # never the address
                db.session.rollback()
                app.logger.error("sign-in link request failed: %s", type(error).__name__)

    return request_link_now


def _enqueue_link_request(app: Flask, email: str, redis_url: str) -> None:
    from redis.exceptions import RedisError

    queue = app.config.get("MAIL_QUEUE") or QUEUE_NAME
    try:
        tasks.enqueue(tasks.send_sign_in_link, email, redis_url=redis_url, queue_name=queue)
    except RedisError as error:
        app.logger.error("sign-in link request not queued: %s", type(error).__name__)


def _home() -> str:
    endpoints = current_app.view_functions
    if current_user.is_authenticated and current_user.is_hr and "admin.campaigns" in endpoints:
        return url_for("admin.campaigns")
    if current_user.is_authenticated and not current_user.is_hr and "reports.mine" in endpoints:
        return url_for("reports.mine")
    return url_for("main.index")


def _next_page() -> str | None:
    """The `next` page Flask-Login asked for, only when it is a path on this site."""
    target = request.args.get("next", "")
    parts = urlsplit(target)
    if not target.startswith("/") or target.startswith("//") or parts.scheme or parts.netloc:
        return None
    return target
