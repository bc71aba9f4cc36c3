"""HR pages through the client like a user: signed out, as HR, and as a subject (403)."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from werkzeug.test import TestResponse

from survey.extensions import db
from survey.models import (
    Campaign,
    CampaignStatus,
    Invitation,
    InvitationStatus,
    Rater,
    Subject,
    User,
    utcnow,
)
from survey.services.accounts import SIGN_IN, issue_link_token
from tests.factories import make_hr_user, make_person, make_subject_user
from tests.helpers_campaigns import (
    EXCEL_CSV,
    AuthActions,
    csrf_token,
    make_draft,
    make_org,
    read_outbox,
)


@pytest.fixture
def ids(app: Flask) -> Iterator[dict[str, int]]:
    # no app context stays open around the test: each request gets its own, as in a server
    # (a shared one keeps Flask-WTF's token on `g` across a sign-in's fresh session)
    with app.app_context():
        make_hr_user()
        make_subject_user(make_person("sam@example.test", "Sam Subject"))
        make_org()
        campaign_id = make_draft()
        subject = db.session.scalar(
            select(Subject).where(Subject.campaign_id == campaign_id, Subject.name == "Tina Lead")
        )
        assert subject is not None
        invitation = db.session.scalar(
            select(Invitation).where(Invitation.subject_id == subject.id)
        )
        assert invitation is not None
        found = {"c": campaign_id, "s": subject.id, "i": invitation.id}
    yield found


def get_pages(ids: dict[str, int]) -> dict[str, str]:
    c, s = ids["c"], ids["s"]
    return {
        "/admin/people": "Import the org chart",
        "/admin/campaigns": "Spring 360",
        "/admin/campaigns/new": "New campaign",
        f"/admin/campaigns/{c}": "Progress by subject",
        f"/admin/campaigns/{c}/edit": "Edit Spring 360",
        f"/admin/campaigns/{c}/subjects/{s}": "Raters (6)",
        f"/admin/campaigns/{c}/launch": "Launch “Spring 360”?",
        f"/admin/campaigns/{c}/remind": "Remind “Spring 360”?",
        f"/admin/campaigns/{c}/close": "Close “Spring 360”?",
        f"/admin/campaigns/{c}/release": "Release “Spring 360”?",
    }


def post_urls(ids: dict[str, int]) -> list[str]:
    c, s, i = ids["c"], ids["s"], ids["i"]
    return [
        "/admin/people",
        "/admin/campaigns/new",
        f"/admin/campaigns/{c}/edit",
        f"/admin/campaigns/{c}/subjects",
        f"/admin/campaigns/{c}/subjects/{s}/remove",
        f"/admin/campaigns/{c}/subjects/{s}/next-level",
        f"/admin/campaigns/{c}/subjects/{s}/raters",
        f"/admin/campaigns/{c}/invitations/{i}/remove",
        f"/admin/campaigns/{c}/launch",
    ]


def visit(client: FlaskClient, url: str, ids: dict[str, int]) -> TestResponse:
    """GET a page, or POST to an action with a valid CSRF token (so the guard is what answers)."""
    if url in get_pages(ids):
        return client.get(url)
    return client.post(url, data={"csrf_token": csrf_token(client.get("/sign-in"))})


def test_every_hr_page_signed_out_redirects_to_sign_in(
    client: FlaskClient, ids: dict[str, int]
) -> None:
    for url in [*get_pages(ids), *post_urls(ids)]:
        response = visit(client, url, ids)
        assert response.status_code == 302, url
        assert response.location.startswith("/sign-in?next="), url


def test_every_hr_page_for_hr(client: FlaskClient, ids: dict[str, int]) -> None:
    AuthActions(client).sign_in()
    for url, text in get_pages(ids).items():
        response = client.get(url)
        assert response.status_code == 200, url
        assert text in response.text, url
    assert client.get("/admin/").location == "/admin/campaigns"
    assert client.get("/admin/campaigns/999").status_code == 404


def test_every_hr_page_is_forbidden_to_a_subject(
    client: FlaskClient, ids: dict[str, int], app: Flask
) -> None:
    with app.app_context():
        user = db.session.scalar(select(User).filter_by(email="sam@example.test"))
        token = issue_link_token(user, SIGN_IN, utcnow())
        db.session.commit()
    page = client.get(f"/link/{token}")
    client.post(f"/link/{token}", data={"csrf_token": csrf_token(page)})
    for url in [*get_pages(ids), *post_urls(ids)]:
        response = visit(client, url, ids)
        assert response.status_code == 403, url
        assert "Not yours to see" in response.text


def test_upload_excel_csv(client: FlaskClient, ids: dict[str, int]) -> None:
    auth = AuthActions(client)
    auth.sign_in()
    token = csrf_token(client.get("/admin/people"))
    response = client.post(
        "/admin/people",
        data={"csrf_token": token, "file": (io.BytesIO(EXCEL_CSV.read_bytes()), "org.csv")},
        follow_redirects=True,
    )
    assert "Imported: 10 created, 0 updated, 0 unchanged." in response.text
    assert "Zoë Ångström" in response.text and "José Müller" in response.text


def test_upload_bad_csv_lists_every_bad_row(client: FlaskClient, ids: dict[str, int]) -> None:
    AuthActions(client).sign_in()
    bad = (
        b"email,name,level,manager_email,team\n"
        b"a@example.test,Al,boss,,T\n"
        b"b@example.test,Bo,team_leader,ghost@example.test,T\n"
    )
    token = csrf_token(client.get("/admin/people"))
    response = client.post(
        "/admin/people", data={"csrf_token": token, "file": (io.BytesIO(bad), "bad.csv")}
    )
    assert response.status_code == 422
    assert "Nothing imported: 2 problems in the file" in response.text
    assert '<td class="num">2</td><td>unknown level &#39;boss&#39;' in response.text
    assert '<td class="num">3</td><td>unknown manager ghost@example.test</td>' in response.text
    assert "a@example.test" not in client.get("/admin/people").text


def test_create_campaign_through_the_form(
    client: FlaskClient, ids: dict[str, int], app: Flask
) -> None:
    auth = AuthActions(client)
    auth.sign_in()
    form = {
        "name": "Autumn 360",
        "deadline": "2099-10-31",
        "timezone": "America/New_York",
        "min_raters": "3",
        "max_peers": "5",
        "levels": ["team_leader"],
        "emails": "ic1@acme.test, IC2@acme.test",
        "next_level": "ic1@acme.test",
    }
    response = auth.post_form("/admin/campaigns/new", "/admin/campaigns/new", form)
    assert response.status_code == 302
    page = client.get(response.location)
    assert (
        "Autumn 360" in page.text
        and "Saturday 31 October 2099, 23:59 (America/New_York)" in page.text
    )
    assert "Ian One" in page.text and "next level" in page.text
    with app.app_context():
        campaign = db.session.scalar(select(Campaign).filter_by(name="Autumn 360"))
        assert campaign is not None and len(campaign.subjects) == 5


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"timezone": "Mars/Base"}, "Not a valid choice."),
        ({"min_raters": "1"}, "Number must be between 2 and 50."),
        ({"deadline": "2001-01-01"}, "the deadline 2001-01-01 (Europe/Paris) has already passed"),
        ({"emails": "ghost@acme.test"}, "not in the org chart: ghost@acme.test"),
    ],
)
def test_campaign_form_errors(
    client: FlaskClient, ids: dict[str, int], change: dict[str, str], message: str
) -> None:
    auth = AuthActions(client)
    auth.sign_in()
    form = {
        "name": "Bad",
        "deadline": "2099-10-31",
        "timezone": "Europe/Paris",
        "min_raters": "3",
        "max_peers": "5",
        **change,
    }
    response = auth.post_form("/admin/campaigns/new", "/admin/campaigns/new", form)
    assert response.status_code == 200 and message in response.text


def test_dashboard_warns_and_hr_edits_raters(
    client: FlaskClient, ids: dict[str, int], app: Flask
) -> None:
    auth = AuthActions(client)
    auth.sign_in()
    c, s = ids["c"], ids["s"]
    dashboard = client.get(f"/admin/campaigns/{c}")
    assert "Tina Lead: 1 peer (Tom Lead), below k = 3" in dashboard.text
    assert "Launch campaign" in dashboard.text
    subject_page = f"/admin/campaigns/{c}/subjects/{s}"
    added = auth.post_form(
        subject_page, f"{subject_page}/raters", {"email": "ic5@acme.test", "group": "peers"}
    )
    assert added.location == subject_page
    page = client.get(subject_page)
    assert "Rater added." in page.text and "Ida Five" in page.text and "added by HR" in page.text
    duplicate = auth.post_form(
        subject_page, f"{subject_page}/raters", {"email": "ic5@acme.test", "group": "peers"}
    )
    assert "already rates Tina Lead" in client.get(duplicate.location).text
    with app.app_context():
        invitation = db.session.scalar(select(Invitation).where(Invitation.added_by_hr.is_(True)))
        assert invitation is not None
        invitation_id = invitation.id
    removed = auth.post_form(
        subject_page, f"/admin/campaigns/{c}/invitations/{invitation_id}/remove", {}
    )
    assert "Rater removed." in client.get(removed.location).text
    assert "Ida Five" not in client.get(subject_page).text
    toggled = auth.post_form(subject_page, f"{subject_page}/next-level", {})
    assert "Next-level questions added." in client.get(toggled.location).text
    added = auth.post_form(
        f"/admin/campaigns/{c}", f"/admin/campaigns/{c}/subjects", {"emails": "ic4@acme.test"}
    )
    assert "1 subject added with their default raters." in client.get(added.location).text


def test_launch_from_dashboard_then_progress_and_not_answered(
    client: FlaskClient, ids: dict[str, int], app: Flask, outbox: Path
) -> None:
    auth = AuthActions(client)
    auth.sign_in()
    c = ids["c"]
    response = auth.post_form(f"/admin/campaigns/{c}/launch", f"/admin/campaigns/{c}/launch", {})
    page = client.get(response.location)
    assert "Campaign launched: 15 invitations, 10 e-mails." in page.text
    assert len(read_outbox(outbox)) == 10
    with app.app_context():
        rater = db.session.scalar(select(Rater).join(Rater.person).filter_by(email="ic1@acme.test"))
        assert rater is not None
        for invitation in rater.invitations:
            invitation.status = InvitationStatus.SUBMITTED
        db.session.commit()
    page = client.get(f"/admin/campaigns/{c}")
    assert "Send reminders" in page.text and "Close early" in page.text
    assert "1/3" in page.text  # Tina's direct reports: 1 of 3 submitted
    assert "Ike Three" in page.text and "Ian One" not in page.text.split("Progress by subject")[1]
    assert "Tuesday 31 March 2099, 23:59 (Europe/Paris)" in page.text
    again = auth.post_form(f"/admin/campaigns/{c}/launch", f"/admin/campaigns/{c}/launch", {})
    assert "already launched: nothing sent" in client.get(again.location).text
    assert len(read_outbox(outbox)) == 10
    reminded = auth.post_form(f"/admin/campaigns/{c}/remind", f"/admin/campaigns/{c}/remind", {})
    assert "Reminded 9 raters (0 reminded recently)." in client.get(reminded.location).text
    closed = auth.post_form(f"/admin/campaigns/{c}/close", f"/admin/campaigns/{c}/close", {})
    assert "Campaign closed" in client.get(closed.location).text
    released = auth.post_form(f"/admin/campaigns/{c}/release", f"/admin/campaigns/{c}/release", {})
    assert "Campaign released: 3 subjects notified." in client.get(released.location).text
    with app.app_context():
        campaign = db.session.get(Campaign, c)
        assert campaign is not None and campaign.status is CampaignStatus.RELEASED


def test_action_without_csrf_token_changes_nothing(
    client: FlaskClient, ids: dict[str, int], app: Flask
) -> None:
    AuthActions(client).sign_in()
    response = client.post(f"/admin/campaigns/{ids['c']}/launch")
    assert response.status_code == 400 and "This form expired" in response.text
    with app.app_context():
        campaign = db.session.get(Campaign, ids["c"])
        assert campaign is not None and campaign.status is CampaignStatus.DRAFT
