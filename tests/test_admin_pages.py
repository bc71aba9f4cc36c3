"""HR pages as HR reads them: results links once closed, draft wording, counts, banners."""

from __future__ import annotations

import io
import re

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from survey.extensions import db
from survey.models import CampaignStatus, InvitationStatus, Person, Subject
from tests.factories import add_subject, invite, make_campaign, make_hr_user
from tests.helpers_campaigns import AuthActions, csrf_token, make_draft, make_org


def words(html: str) -> str:
    """The page's visible words on one line."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def person(email: str) -> Person:
    found = db.session.scalar(select(Person).filter_by(email=email))
    assert found is not None
    return found


def one_subject_campaign(status: CampaignStatus) -> tuple[int, int]:
    """Tina Lead rated by her manager and 2 peers (k = 3, so peers are below k)."""
    campaign = make_campaign(name="Pulse", status=status, min_raters=3)
    subject = add_subject(campaign, person("tl1@acme.test"))
    done = (
        InvitationStatus.PENDING if status is CampaignStatus.DRAFT else InvitationStatus.SUBMITTED
    )
    invite(subject, person("ceo@acme.test"), "manager", done)
    invite(subject, person("tl2@acme.test"), "peers", done)
    invite(subject, person("tl3@acme.test"), "peers")
    db.session.commit()
    return campaign.id, subject.id


@pytest.fixture
def hr(client: FlaskClient, app: Flask) -> AuthActions:
    with app.app_context():
        make_hr_user()
        make_org()
    auth = AuthActions(client)
    auth.sign_in()
    return auth


def campaign_with(app: Flask, status: CampaignStatus) -> tuple[int, int]:
    with app.app_context():
        return one_subject_campaign(status)


@pytest.mark.parametrize("status", [CampaignStatus.CLOSED, CampaignStatus.RELEASED])
def test_a_finished_campaign_links_to_its_results(
    client: FlaskClient, app: Flask, hr: AuthActions, status: CampaignStatus
) -> None:
    c, s = campaign_with(app, status)
    dashboard = client.get(f"/admin/campaigns/{c}").text
    for link in (
        f'href="/reports/organisation/{c}"',
        f'action="/reports/organisation/{c}/export.csv"',
        f'href="/reports/organisation/{c}/export.xlsx"',
        f'href="/reports/{c}/{s}"',
    ):
        assert link in dashboard
    assert "Organisation view" in dashboard and "Download Excel" in dashboard
    subject_page = client.get(f"/admin/campaigns/{c}/subjects/{s}").text
    assert f'href="/reports/{c}/{s}"' in subject_page
    assert "Read Tina Lead's report" in subject_page
    assert client.get(f"/reports/{c}/{s}").status_code == 200  # the link leads somewhere


@pytest.mark.parametrize("status", [CampaignStatus.DRAFT, CampaignStatus.OPEN])
def test_no_results_links_before_close(
    client: FlaskClient, app: Flask, hr: AuthActions, status: CampaignStatus
) -> None:
    c, s = campaign_with(app, status)
    for page in (f"/admin/campaigns/{c}", f"/admin/campaigns/{c}/subjects/{s}"):
        html = client.get(page).text
        assert "/reports/" not in html.split("</nav>", 1)[1]  # the nav's Organisation link aside
        for label in (">Report<", "Organisation view", "Download CSV", "Read Tina Lead's report"):
            assert label not in html


def test_a_draft_says_not_launched_instead_of_rates(
    client: FlaskClient, app: Flask, hr: AuthActions
) -> None:
    c, s = campaign_with(app, CampaignStatus.DRAFT)
    dashboard = words(client.get(f"/admin/campaigns/{c}").text)
    assert "Response rate Not launched yet 3 invitations to send at launch" in dashboard
    assert "0 %" not in dashboard and "waiting" not in dashboard
    assert "Not answered" not in dashboard
    listing = words(client.get("/admin/campaigns").text)
    assert "not launched yet" in listing and "0 %" not in listing
    raters = words(client.get(f"/admin/campaigns/{c}/subjects/{s}").text)
    assert raters.count("not invited yet") == 3 and "pending" not in raters


def test_an_open_campaign_shows_rates_and_who_is_waiting(
    client: FlaskClient, app: Flask, hr: AuthActions
) -> None:
    c, _ = campaign_with(app, CampaignStatus.OPEN)
    dashboard = words(client.get(f"/admin/campaigns/{c}").text)
    assert "67 %" in dashboard  # 2 of 3 submitted
    assert "1 waiting" in dashboard


def test_a_group_below_k_is_marked_in_words_not_only_colour(
    client: FlaskClient, app: Flask, hr: AuthActions
) -> None:
    c, _ = campaign_with(app, CampaignStatus.OPEN)
    html = client.get(f"/admin/campaigns/{c}").text
    peers_cell = re.search(r'data-label="Peers">(.*?)</td>', html, re.S)
    assert peers_cell is not None
    assert "1/2 below k" in words(peers_cell.group(1)).strip()  # 1 of 2 peers answered, k = 3
    assert "Orange" not in html
    assert "below k an anonymous group with fewer than k = 3 raters" in words(html)


@pytest.mark.parametrize(
    ("subjects", "invitations", "expected"),
    [(1, 1, "1 subject · 1 invitation"), (1, 3, "1 subject · 3 invitations")],
)
def test_confirm_page_counts_agree_with_their_nouns(
    client: FlaskClient,
    app: Flask,
    hr: AuthActions,
    subjects: int,
    invitations: int,
    expected: str,
) -> None:
    with app.app_context():
        campaign = make_campaign(status=CampaignStatus.DRAFT)
        subject = add_subject(campaign, person("tl1@acme.test"))
        for email in ("ceo@acme.test", "tl2@acme.test", "tl3@acme.test")[:invitations]:
            invite(subject, person(email), "peers")
        db.session.commit()
        c = campaign.id
    page = words(client.get(f"/admin/campaigns/{c}/launch").text)
    assert expected in page
    assert "submitted" not in page  # nothing can be submitted before launch


def test_confirm_page_counts_many_subjects(
    client: FlaskClient, app: Flask, hr: AuthActions
) -> None:
    with app.app_context():
        c = make_draft()  # the 3 team leaders and their default raters
        invited = sum(
            len(s.invitations) for s in db.session.scalars(select(Subject).filter_by(campaign_id=c))
        )
    page = words(client.get(f"/admin/campaigns/{c}/launch").text)
    assert f"3 subjects · {invited} invitations" in page


def test_import_error_banner_starts_with_a_capital(client: FlaskClient, hr: AuthActions) -> None:
    bad = b"email,name,level,manager_email,team\na@example.test,Al,boss,,T\n"
    token = csrf_token(client.get("/admin/people"))
    page = client.post(
        "/admin/people", data={"csrf_token": token, "file": (io.BytesIO(bad), "bad.csv")}
    )
    assert "Nothing imported: 1 problem in the file" in page.text


def test_service_errors_reach_the_banner_capitalised(
    client: FlaskClient, app: Flask, hr: AuthActions
) -> None:
    c, _ = campaign_with(app, CampaignStatus.RELEASED)
    back = hr.post_form(f"/admin/campaigns/{c}", f"/admin/campaigns/{c}/close", {})
    banner = re.search(r'class="flash flash-error"[^>]*>([^<]+)<', client.get(back.location).text)
    assert banner is not None and banner.group(1)[0].isupper(), banner
