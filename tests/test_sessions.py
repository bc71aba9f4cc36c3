"""Signed-in sessions end when they should (issue 20, fix 2 and 5): sign-out, a new password
and "sign out everywhere" end every copy of a session; HR sessions end after 8 idle hours and
7 days; signing in starts a fresh session."""

from __future__ import annotations

import time

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner

from survey.extensions import db
from survey.models import User, utcnow
from survey.services import accounts
from tests.factories import make_hr_user
from tests.helpers_campaigns import PASSWORD, AuthActions, csrf_token

HR_PAGE = "/admin/campaigns"


@pytest.fixture
def hr_id(app: Flask) -> int:
    with app.app_context():
        user = make_hr_user("hr@example.test", PASSWORD)
        db.session.commit()
        return user.id


def copy_of(client: FlaskClient, app: Flask) -> FlaskClient:
    """Another browser holding a copy of `client`'s session cookie."""
    cookie = client.get_cookie("session")
    assert cookie is not None
    thief = app.test_client()
    thief.set_cookie("session", cookie.value)
    return thief


def signed_in(client: FlaskClient) -> bool:
    return client.get(HR_PAGE).status_code == 200


def test_a_cookie_copied_before_sign_out_opens_nothing_after(app: Flask, hr_id: int) -> None:
    """The review: an HR cookie copied before sign-out still opened /admin/campaigns."""
    client = app.test_client()
    auth = AuthActions(client)
    auth.sign_in()
    thief = copy_of(client, app)
    assert signed_in(thief)
    auth.sign_out()
    assert not signed_in(client)
    response = thief.get(HR_PAGE)
    assert response.status_code == 302 and "/sign-in" in response.location


def test_a_new_password_ends_the_other_sessions(app: Flask, hr_id: int) -> None:
    other_device = app.test_client()
    AuthActions(other_device).sign_in()
    with app.app_context():
        user = db.session.get(User, hr_id)
        assert user is not None
        token = accounts.issue_link_token(user, accounts.SET_PASSWORD, utcnow())
        db.session.commit()
    client = app.test_client()
    page = client.get(f"/link/{token}")
    data = {"csrf_token": csrf_token(page), "password": "a new long password",
            "confirm": "a new long password"}  # fmt: skip
    assert client.post(f"/link/{token}", data=data).status_code == 302
    assert signed_in(client)  # the device that set it stays signed in
    assert not signed_in(other_device)


def test_sign_out_everywhere_from_the_command_line(
    app: Flask, runner: FlaskCliRunner, hr_id: int
) -> None:
    client = app.test_client()
    AuthActions(client).sign_in()
    result = runner.invoke(args=["sign-out-everywhere", "HR@example.test"])
    assert result.exit_code == 0, result.output
    assert result.output.strip().splitlines()[-1] == "signed out hr@example.test everywhere"
    assert not signed_in(client)
    unknown = runner.invoke(args=["sign-out-everywhere", "nobody@example.test"])
    assert unknown.exit_code == 1 and "no account for nobody@example.test" in unknown.output


def test_signing_in_again_after_sign_out_works(app: Flask, hr_id: int) -> None:
    client = app.test_client()
    auth = AuthActions(client)
    auth.sign_in()
    auth.sign_out()
    auth.sign_in()
    assert signed_in(client)


def age_session(client: FlaskClient, *, idle: float, since_sign_in: float) -> None:
    now = int(time.time())
    with client.session_transaction() as session:
        session["seen_at"] = now - int(idle)
        session["signed_in_at"] = now - int(since_sign_in)


@pytest.mark.parametrize(
    ("idle_hours", "signed_in_hours", "still_in"),
    [
        (7.9, 7.9, True),
        (8.1, 8.1, False),  # idle for more than 8 hours
        (1, 6 * 24, True),
        (1, 7 * 24 + 1, False),  # busy, but signed in more than 7 days ago
    ],
)
def test_hr_sessions_end_when_idle_or_old(
    app: Flask, hr_id: int, idle_hours: float, signed_in_hours: float, still_in: bool
) -> None:
    client = app.test_client()
    AuthActions(client).sign_in()
    age_session(client, idle=idle_hours * 3600, since_sign_in=signed_in_hours * 3600)
    assert signed_in(client) is still_in


def test_each_request_keeps_an_hr_session_alive(app: Flask, hr_id: int) -> None:
    client = app.test_client()
    AuthActions(client).sign_in()
    age_session(client, idle=7 * 3600, since_sign_in=7 * 3600)
    assert signed_in(client)  # noted as a visit now
    with client.session_transaction() as session:
        assert time.time() - session["seen_at"] < 60


def test_signing_in_starts_a_fresh_session(app: Flask, hr_id: int) -> None:
    """The review: the session was not regenerated at sign-in, so whatever was planted in it
    before (session fixation) came along into the signed-in session."""
    client = app.test_client()
    form_before = csrf_token(client.get("/sign-in"))
    with client.session_transaction() as session:
        session["planted"] = "by someone else"
    AuthActions(client).sign_in()
    with client.session_transaction() as session:
        assert "planted" not in session
    assert csrf_token(client.get("/admin/campaigns/new")) != form_before
