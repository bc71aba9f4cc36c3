"""Sign-in: HR password, one-time links (GET never uses them), subject links, new-link page."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from survey.extensions import db
from survey.models import LoginToken, utcnow
from survey.services.accounts import (
    SET_PASSWORD,
    SIGN_IN,
    authenticate,
    create_hr_user,
    issue_link_token,
)
from tests.factories import make_hr_user, make_person, make_subject_user
from tests.helpers_campaigns import PASSWORD, AuthActions, csrf_token, read_outbox, text_of
from tests.helpers_queue import private_queue, queued, work_queue


def test_hr_signs_in_and_out(app: Flask, client: FlaskClient) -> None:
    with app.app_context():
        make_hr_user()
        db.session.commit()
    auth = AuthActions(client)
    response = auth.sign_in()
    assert response.status_code == 302 and response.location == "/admin/campaigns"
    assert client.get("/admin/campaigns").status_code == 200
    assert client.get("/sign-out").status_code == 405  # GET never signs out
    assert auth.sign_out().status_code == 302
    assert client.get("/admin/campaigns").status_code == 302


def test_wrong_password_keeps_you_out(app: Flask, client: FlaskClient) -> None:
    with app.app_context():
        make_hr_user()
        db.session.commit()
    response = AuthActions(client).sign_in(password="wrong password!")
    assert response.status_code == 200
    assert "That e-mail and password do not match an account." in response.text
    assert AuthActions(client).sign_in(email="nobody@example.test").status_code == 200


def test_sign_in_without_csrf_token_is_refused(app: Flask, client: FlaskClient) -> None:
    with app.app_context():
        make_hr_user()
        db.session.commit()
    response = client.post("/sign-in", data={"email": "hr@example.test", "password": PASSWORD})
    assert response.status_code == 400 and "This form expired" in response.text


def test_sign_in_returns_to_the_page_asked_for_but_never_off_site(
    app: Flask, client: FlaskClient
) -> None:
    with app.app_context():
        make_hr_user()
        db.session.commit()
    page = client.get("/admin/people")
    assert page.status_code == 302 and page.location.startswith("/sign-in?next=")
    token = csrf_token(client.get(page.location))
    data = {"csrf_token": token, "email": "hr@example.test", "password": PASSWORD}
    assert client.post(page.location, data=data).location == "/admin/people"
    AuthActions(client).sign_out()
    token = csrf_token(client.get("/sign-in"))
    evil = client.post("/sign-in?next=//evil.example/x", data={**data, "csrf_token": token})
    assert evil.location == "/admin/campaigns"


def test_set_password_link_get_does_not_use_it(app: Flask, client: FlaskClient) -> None:
    with app.app_context():
        user = create_hr_user("new@example.test")
        token = issue_link_token(user, SET_PASSWORD, utcnow())
        db.session.commit()
    url = f"/link/{token}"
    assert client.get(url).status_code == 200
    page = client.get(url)  # still valid after two GETs (mail scanners prefetch)
    assert "Set your password" in page.text
    short = client.post(
        url, data={"csrf_token": csrf_token(page), "password": "short", "confirm": "short"}
    )
    assert "Field must be between 10 and 500 characters long." in short.text
    done = client.post(
        url,
        data={
            "csrf_token": csrf_token(page),
            "password": "a long passphrase",
            "confirm": "a long passphrase",
        },
    )
    assert done.status_code == 302
    assert client.get("/admin/campaigns").status_code == 200
    assert client.get(url).status_code == 404  # used
    with app.app_context():
        assert authenticate("NEW@example.test", "a long passphrase") is not None


def test_subject_sign_in_link_is_used_once_on_post(app: Flask, client: FlaskClient) -> None:
    with app.app_context():
        user = make_subject_user(make_person("ana@example.test", "Ana"))
        token = issue_link_token(user, SIGN_IN, utcnow())
        db.session.commit()
    url = f"/link/{token}"
    page = client.get(url)
    assert page.status_code == 200 and "ana@example.test" in page.text
    assert client.head(url).status_code == 200
    response = client.post(url, data={"csrf_token": csrf_token(page)})
    assert response.status_code == 302
    assert client.get("/admin/campaigns").status_code == 403  # signed in, but not HR
    AuthActions(client).sign_out()
    assert client.get(url).status_code == 404


def test_expired_unknown_and_used_links_look_the_same(app: Flask, client: FlaskClient) -> None:
    with app.app_context():
        user = make_subject_user(make_person("ana@example.test", "Ana"))
        expired = issue_link_token(user, SIGN_IN, utcnow() - timedelta(hours=2), minutes=60)
        db.session.commit()
    pages = [
        client.get(f"/link/{expired}"),
        client.get("/link/" + "x" * 32),
        client.get("/link/short"),
    ]
    assert {p.status_code for p in pages} == {404}
    assert len({p.text for p in pages}) == 1
    assert "This link is not valid any more" in pages[0].text


def test_request_link_never_reveals_who_has_an_account(
    app: Flask, client: FlaskClient, outbox: Path
) -> None:
    with app.app_context():
        make_subject_user(make_person("ana@example.test", "Ana Alves"))
        make_hr_user()
        db.session.commit()
    texts = []
    for email in ("ANA@example.test", "nobody@example.test", "hr@example.test"):
        token = csrf_token(client.get("/request-link"))
        response = client.post(
            "/request-link", data={"csrf_token": token, "email": email}, follow_redirects=True
        )
        texts.append(re.sub(r'value="[^"]+"', "", response.text))
    assert len(set(texts)) == 1
    assert "If that address belongs to someone with a report" in texts[0]
    messages = read_outbox(outbox)
    assert [m["To"] for m in messages] == ["ana@example.test"]
    link = re.search(r"http://localhost(/link/\S+)", text_of(messages[0]))
    assert link and client.get(link.group(1)).status_code == 200


def test_request_link_answers_before_looking_the_address_up(
    app: Flask, client: FlaskClient, outbox: Path
) -> None:
    """The review: a known address was answered in 2.7 ms, an unknown one in 1.4 ms (inline
    SMTP made the gap a whole SMTP round trip). Now the answer is the same work for both: the
    look-up, the token and the mail come once the answer has gone."""
    with app.app_context():
        make_subject_user(make_person("ana@example.test", "Ana Alves"))
        db.session.commit()
    answers = []
    for email in ("nobody@example.test", "ana@example.test"):
        token = csrf_token(client.get("/request-link"))
        answer = client.post("/request-link", data={"csrf_token": token, "email": email})
        answers.append((answer.status_code, answer.location, answer.get_data()))
        with app.app_context():  # answered, and nothing looked up or stored yet
            assert db.session.scalar(select(func.count()).select_from(LoginToken)) == 0
        assert read_outbox(outbox) == []
        answer.close()  # the server has sent the answer
    assert answers[0] == answers[1]
    assert [m["To"] for m in read_outbox(outbox)] == ["ana@example.test"]


def test_with_redis_every_link_request_is_one_job_whoever_asks(
    app: Flask, client: FlaskClient, outbox: Path
) -> None:
    with app.app_context():
        make_subject_user(make_person("ana@example.test", "Ana Alves"))
        db.session.commit()
    with private_queue(app, "test-link") as name, app.app_context():
        for email in ("nobody@example.test", "ana@example.test"):
            token = csrf_token(client.get("/request-link"))
            client.post("/request-link", data={"csrf_token": token, "email": email}).close()
        assert queued(name) == 2 and read_outbox(outbox) == []
        work_queue(name)
    assert [m["To"] for m in read_outbox(outbox)] == ["ana@example.test"]
