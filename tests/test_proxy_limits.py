"""Rate limits count each client, also behind the TLS proxy the README recommends (issue 20,
fix 3): `TRUSTED_PROXIES` makes the app read the client's address from X-Forwarded-For
(Werkzeug's ProxyFix); sign-in failures count per account *and* client; 429 says when to retry;
with `REDIS_URL` every worker shares the counts."""

from __future__ import annotations

import secrets
from collections.abc import Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient

from survey import create_app
from survey.extensions import db
from tests.conftest import reset_postgres
from tests.factories import make_hr_user
from tests.helpers_campaigns import PASSWORD, csrf_token
from tests.helpers_queue import REDIS_URL
from tests.helpers_rate import RaterActions, build_world

PROXY = "127.0.0.1"  # the proxy in front of the app: every request arrives from it
ATTACKER, COLLEAGUE = "203.0.113.9", "198.51.100.7"  # documentation addresses (RFC 5737)


@pytest.fixture(autouse=True)
def small_limits(app_config: dict[str, object]) -> None:
    """Fewer tries than the defaults (10 per account and client, 30 per client): each wrong
    password costs a deliberate hash."""
    app_config.update(SIGN_IN_LIMIT="3/minute", SIGN_IN_CLIENT_LIMIT="6/minute")


@pytest.fixture
def behind_proxy(app_config: dict[str, object]) -> dict[str, object]:
    app_config["TRUSTED_PROXIES"] = 1
    return app_config


def sign_in(client: FlaskClient, password: str, **environ: str) -> int:
    """One sign-in attempt as hr@example.test; returns the status code."""
    token = csrf_token(client.get("/sign-in", environ_base=environ))
    data = {"csrf_token": token, "email": "hr@example.test", "password": password}
    return client.post("/sign-in", data=data, environ_base=environ).status_code


def via_proxy(client_address: str) -> dict[str, str]:
    return {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": client_address}


def make_hr(app: Flask) -> None:
    with app.app_context():
        make_hr_user("hr@example.test", PASSWORD)
        db.session.commit()


def test_behind_the_proxy_wrong_passwords_from_one_client_do_not_lock_out_hr(
    behind_proxy: dict[str, object], app: Flask
) -> None:
    """The review: 10 wrong HR passwords from anyone locked out the right one, because every
    request came from the proxy's address."""
    make_hr(app)
    attacker, colleague = app.test_client(), app.test_client()
    tries = [sign_in(attacker, "wrong password!", **via_proxy(ATTACKER)) for _ in range(4)]
    assert tries[-1] == 429
    assert sign_in(colleague, PASSWORD, **via_proxy(COLLEAGUE)) == 302


def test_without_trusted_proxies_a_forged_forwarded_for_changes_nothing(app: Flask) -> None:
    make_hr(app)
    client = app.test_client()
    tries = [
        sign_in(client, "wrong password!", **via_proxy(f"192.0.2.{number}")) for number in range(4)
    ]
    assert tries[-1] == 429  # each try claimed another address; all came from one peer


def test_one_client_cannot_lock_an_account_out_for_another(app: Flask) -> None:
    make_hr(app)
    attacker, colleague = app.test_client(), app.test_client()
    tries = [sign_in(attacker, "wrong password!", REMOTE_ADDR=ATTACKER) for _ in range(4)]
    assert tries[-1] == 429
    assert sign_in(colleague, PASSWORD, REMOTE_ADDR=COLLEAGUE) == 302


def test_one_client_trying_many_accounts_is_limited_too(app: Flask) -> None:
    client = app.test_client()
    token = csrf_token(client.get("/sign-in"))
    statuses = [
        client.post(
            "/sign-in",
            data={"csrf_token": token, "email": f"u{n}@example.test", "password": "guess guess"},
        ).status_code
        for n in range(7)
    ]
    assert statuses == [200] * 6 + [429]


def test_a_refused_attempt_says_when_to_retry(app: Flask) -> None:
    make_hr(app)
    client = app.test_client()
    for _ in range(3):
        sign_in(client, "wrong password!")
    token = csrf_token(client.get("/sign-in"))
    data = {"csrf_token": token, "email": "hr@example.test", "password": "wrong password!"}
    refused = client.post("/sign-in", data=data)
    assert refused.status_code == 429
    assert 1 <= int(refused.headers["Retry-After"]) <= 61  # a minute, reset on a whole second
    assert "Too many attempts" in refused.text


def test_behind_the_proxy_bad_rater_links_from_one_client_do_not_lock_out_raters(
    behind_proxy: dict[str, object], app: Flask
) -> None:
    """The review: ~20 bad rater links a minute from anyone locked out every rater."""
    world = build_world(app)
    prober = app.test_client()
    statuses = [
        prober.get(f"/r/{secrets.token_urlsafe(24)}", environ_base=via_proxy(ATTACKER)).status_code
        for _ in range(21)
    ]
    assert (
        statuses[-1] == 429
        and "Retry-After" in prober.get("/r/x", environ_base=via_proxy(ATTACKER)).headers
    )
    rater = RaterActions(app.test_client(), world.peer_token)
    rater.client.environ_base.update(via_proxy(COLLEAGUE))
    assert rater.home().status_code == 200


def test_https_behind_the_proxy_signs_in_without_a_referrer(
    behind_proxy: dict[str, object], app: Flask
) -> None:
    """Pages send `Referrer-Policy: no-referrer`, so Flask-WTF's https referrer check could
    never pass: every form behind a TLS proxy (which gunicorn or ProxyFix mark https) answered
    400."""
    make_hr(app)
    client = app.test_client()
    environ = {**via_proxy(COLLEAGUE), "HTTP_X_FORWARDED_PROTO": "https"}
    assert sign_in(client, PASSWORD, **environ) == 302
    direct = app.test_client()  # gunicorn itself sets the scheme from the proxy's header
    token = csrf_token(direct.get("/sign-in", base_url="https://localhost"))
    data = {"csrf_token": token, "email": "hr@example.test", "password": PASSWORD}
    assert direct.post("/sign-in", data=data, base_url="https://localhost").status_code == 302


@pytest.fixture
def redis_prefix() -> Iterator[str]:
    redis = pytest.importorskip("redis")
    connection = redis.Redis.from_url(REDIS_URL)
    try:
        connection.ping()
    except redis.exceptions.ConnectionError:
        pytest.fail("Redis on 127.0.0.1:6379 is not running")
    prefix = f"survey-test-{secrets.token_hex(4)}"
    yield prefix
    for key in connection.scan_iter(f"*{prefix}*"):
        connection.delete(key)
    connection.close()


def test_with_redis_every_worker_shares_the_sign_in_counts(
    app_config: dict[str, object], redis_prefix: str
) -> None:
    """Two app processes (as two gunicorn workers) on one Redis: failures on one count on the
    other, so more workers do not mean more guesses."""
    config = {**app_config, "REDIS_URL": REDIS_URL, "RATELIMIT_KEY_PREFIX": redis_prefix}
    uri = str(config["SQLALCHEMY_DATABASE_URI"])
    if uri.startswith("postgres"):
        reset_postgres(uri)
    first, second = create_app(config), create_app(config)
    try:
        assert first.config["RATELIMIT_STORAGE_URI"] == REDIS_URL
        with first.app_context():
            db.create_all()
        make_hr(first)
        for _ in range(3):
            sign_in(first.test_client(), "wrong password!")
        assert sign_in(second.test_client(), "wrong password!") == 429
    finally:
        for application in (first, second):
            with application.app_context():
                db.session.remove()
                db.engine.dispose()


def test_an_explicit_limit_store_wins_over_redis_url(app_config: dict[str, object]) -> None:
    config = {**app_config, "REDIS_URL": REDIS_URL, "RATELIMIT_STORAGE_URI": "memory://"}
    assert create_app(config).config["RATELIMIT_STORAGE_URI"] == "memory://"
