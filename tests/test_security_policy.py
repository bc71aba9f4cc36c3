"""Cookies, security headers, constant-time token checks, one-time sign-in links (issue 7 pt 4)."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from datetime import timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient

from survey import create_app, tokens
from survey.extensions import db
from tests.helpers_security import (
    build_security_world,
    csrf_of,
    new_sign_in_link,
    sign_in_hr,
    sign_in_subject,
    state_of,
)


def session_cookie_header(client: FlaskClient) -> str:
    """The Set-Cookie header of a sign-in, as the browser receives it."""
    from tests.helpers_security import HR_EMAIL, HR_PASSWORD

    data = {"csrf_token": csrf_of(client), "email": HR_EMAIL, "password": HR_PASSWORD}
    reply = client.post("/sign-in", data=data)
    assert reply.status_code == 302
    cookies = [v for k, v in reply.headers.items() if k == "Set-Cookie" and "session=" in v]
    assert cookies, "no session cookie set"
    return cookies[-1]


@pytest.fixture
def https_config(app_config: dict[str, object]) -> dict[str, object]:
    app_config["BASE_URL"] = "https://feedback.example.test"
    return app_config


def test_session_cookie_is_httponly_and_samesite(app: Flask, client: FlaskClient) -> None:
    build_security_world(app)
    header = session_cookie_header(client)
    assert "HttpOnly" in header
    assert "SameSite=Lax" in header


def test_https_site_sets_secure_cookies(https_config: dict[str, object], app: Flask) -> None:
    build_security_world(app)
    client = app.test_client()
    client.environ_base["wsgi.url_scheme"] = "https"
    header = session_cookie_header(client)
    assert "Secure" in header and "HttpOnly" in header and "SameSite=Lax" in header
    assert app.config["REMEMBER_COOKIE_SECURE"] is True


def test_production_sets_secure_cookies_whatever_the_base_url(
    app_config: dict[str, object], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SURVEY_ENV", "production")
    production = create_app({**app_config, "BASE_URL": "http://internal:8000"})
    assert production.config["SESSION_COOKIE_SECURE"] is True
    assert production.config["REMEMBER_COOKIE_SECURE"] is True
    monkeypatch.delenv("SURVEY_ENV")
    development = create_app({**app_config, "BASE_URL": "http://127.0.0.1:5000"})
    assert development.config["SESSION_COOKIE_SECURE"] is False


PAGES = ("/", "/sign-in", "/healthz", "/r/" + "A" * 32, "/no-such-page")


@pytest.mark.parametrize("path", PAGES)
def test_security_headers_on_every_kind_of_page(client: FlaskClient, path: str) -> None:
    reply = client.get(path)
    csp = dict(
        part.strip().split(" ", 1) for part in reply.headers["Content-Security-Policy"].split(";")
    )
    assert csp["script-src"] == "'self'"  # no inline script, no eval, no other host
    assert csp["default-src"] == "'self'"
    assert csp["object-src"] == "'none'" and csp["frame-ancestors"] == "'none'"
    assert reply.headers["X-Content-Type-Options"] == "nosniff"
    assert reply.headers["X-Frame-Options"] == "DENY"
    assert reply.headers["Referrer-Policy"] == "no-referrer"


def scripts_of(html: str) -> list[str]:
    return re.findall(r"<script\b([^>]*)>", html)


def test_pages_load_only_the_apps_own_scripts_plotly_included(app: Flask) -> None:
    world = build_security_world(app)
    client = app.test_client()
    sign_in_hr(client)
    pages = [
        f"/reports/{world.released}/{world.alice_subject}",
        f"/reports/organisation/{world.released}",
        f"/r/{world.rater_token}/{world.own_invitation}",
        "/admin/campaigns",
    ]
    seen = set()
    for page in pages:
        reply = client.get(page)
        assert reply.status_code == 200, page
        for attributes in scripts_of(reply.get_data(as_text=True)):
            if 'type="application/json"' in attributes:
                continue  # a data block, never executed
            source = re.search(r'src="([^"]+)"', attributes)
            assert source, f"inline script on {page}"
            assert source.group(1).startswith("/static/"), source.group(1)
            seen.add(source.group(1).split("?")[0])
    assert any("plotly" in src for src in seen), seen


def test_rater_and_report_pages_are_not_cached(app: Flask, client: FlaskClient) -> None:
    world = build_security_world(app)
    assert client.get(f"/r/{world.rater_token}").headers["Cache-Control"] == "no-store"


@pytest.fixture
def compare_calls(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[tuple[str, str]]]:
    calls: list[tuple[str, str]] = []
    original = tokens.hmac.compare_digest

    def spy(a: str, b: str) -> bool:
        calls.append((a, b))
        return original(a, b)

    monkeypatch.setattr(tokens.hmac, "compare_digest", spy)
    yield calls


def test_rater_and_sign_in_tokens_are_compared_in_constant_time(
    app: Flask, client: FlaskClient, compare_calls: list[tuple[str, str]]
) -> None:
    world = build_security_world(app)
    assert client.get(f"/r/{world.rater_token}").status_code == 200
    assert compare_calls, "rater link checked without hmac.compare_digest"
    compare_calls.clear()
    link = new_sign_in_link(app, world.alice_user)
    assert client.get(f"/link/{link}").status_code == 200
    assert compare_calls, "sign-in link checked without hmac.compare_digest"


def test_sign_in_link_works_once(app: Flask) -> None:
    world = build_security_world(app)
    token = new_sign_in_link(app, world.alice_user)
    first, second = app.test_client(), app.test_client()
    assert first.get(f"/link/{token}").status_code == 200  # GET (a mail scanner) uses nothing
    assert first.get(f"/link/{token}").status_code == 200
    csrf = csrf_of(first, f"/link/{token}")
    assert first.post(f"/link/{token}", data={"csrf_token": csrf}).status_code == 302
    assert first.get("/reports").status_code == 200
    assert second.get(f"/link/{token}").status_code == 404
    # signing in started a fresh session, so the form token from before is void too (400)
    assert first.post(f"/link/{token}", data={"csrf_token": csrf}).status_code == 400
    fresh = csrf_of(first, "/request-link")
    assert first.post(f"/link/{token}", data={"csrf_token": fresh}).status_code == 404


def test_sign_in_link_expires(app: Flask) -> None:
    world = build_security_world(app)
    assert app.config["SIGN_IN_LINK_MINUTES"] <= 60
    stale = new_sign_in_link(app, world.alice_user, minutes=-1)
    client = app.test_client()
    assert client.get(f"/link/{stale}").status_code == 404
    fresh = new_sign_in_link(app, world.alice_user)
    csrf = csrf_of(client, f"/link/{fresh}")
    before = state_of(app)
    assert client.post(f"/link/{stale}", data={"csrf_token": csrf}).status_code == 404
    assert client.get("/reports").status_code == 302  # still signed out
    assert state_of(app) == before


def test_sign_in_link_lifetime_is_the_configured_minutes(app: Flask) -> None:
    from survey.models import LoginToken, utcnow

    world = build_security_world(app)
    new_sign_in_link(app, world.alice_user)
    with app.app_context():
        record = db.session.scalars(db.select(LoginToken)).one()
        left = record.expires_at - utcnow()
    assert timedelta(minutes=59) < left <= timedelta(minutes=60)


def test_two_racing_uses_of_one_link_sign_in_once(app: Flask) -> None:
    world = build_security_world(app)
    token = new_sign_in_link(app, world.alice_user)
    clients = [app.test_client() for _ in range(2)]
    csrfs = [csrf_of(c, f"/link/{token}") for c in clients]
    statuses: list[int] = []
    start = threading.Barrier(2)

    def use(index: int) -> None:
        start.wait()
        reply = clients[index].post(f"/link/{token}", data={"csrf_token": csrfs[index]})
        statuses.append(reply.status_code)

    threads = [threading.Thread(target=use, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses) == [302, 404]


def test_subject_session_grants_no_hr_page(app: Flask) -> None:
    world = build_security_world(app)
    client = app.test_client()
    sign_in_subject(app, client, world.alice_user)
    assert client.get("/admin/campaigns").status_code == 403
