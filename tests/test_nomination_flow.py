"""Rater nomination through the pages, as HR, a subject and their manager do it (SPEC §13)."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select, text

from survey.extensions import db
from survey.models import Campaign
from survey.models_nomination import Nomination, NominationStatus
from tests.factories import make_hr_user
from tests.helpers_campaigns import AuthActions, csrf_token, read_outbox
from tests.helpers_nomination import (
    LinkVisitor,
    links_to,
    make_nomination_campaign,
    make_nomination_org,
    raters_by_group,
    subjects_of,
)

CHOSEN = ["sa1@acme.test", "sa2@acme.test", "xe1@acme.test"]
UNKNOWN = "/n/" + "A" * 32


@pytest.fixture
def hr(app: Flask, client: FlaskClient) -> AuthActions:
    """HR signed in, with the org imported."""
    with app.app_context():
        make_hr_user()
        make_nomination_org()
    auth = AuthActions(client)
    auth.sign_in()
    return auth


def create_with_nomination(hr: AuthActions, **fields: object) -> int:
    """HR's campaign form with the nomination step, Tina Lead as subject; returns the id."""
    data = {
        "name": "Spring 360",
        "deadline": "2099-03-31",
        "timezone": "Europe/Paris",
        "min_raters": "3",
        "max_peers": "",
        "nomination": "y",
        "nomination_deadline": "2099-03-01",
        "min_peers": "3",
        "max_requests_per_rater": "8",
        "reminder_days": "7, 2",
        "release_after_days": "",
        "emails": "tl1@acme.test",
        **fields,
    }
    page = hr.post_form("/admin/campaigns/new", "/admin/campaigns/new", data)
    assert page.status_code == 302, page.text
    return int(page.headers["Location"].rsplit("/", 1)[1])


def send_nomination_mails(hr: AuthActions, campaign_id: int) -> None:
    url = f"/admin/campaigns/{campaign_id}/nominate"
    confirm = hr.client.get(url)
    assert "Send nomination e-mails" in confirm.text
    done = hr.post_form(url, url, {})
    assert done.status_code == 302


def nomination_rows(app: Flask) -> list[tuple[object, ...]]:
    with app.app_context():
        rows = []
        for table in ("nomination", "nomination_peer", "nomination_link", "invitation"):
            rows += [(table, *r) for r in db.session.execute(text(f"SELECT * FROM {table}"))]
        return sorted(rows, key=repr)


def test_subject_proposes_three_manager_approves_launch_invites_exactly_them(
    app: Flask, client: FlaskClient, hr: AuthActions, outbox: Path
) -> None:
    campaign_id = create_with_nomination(hr)
    with app.app_context():
        campaign = db.session.get(Campaign, campaign_id)
        assert campaign is not None
        assert (campaign.nomination, campaign.max_peers, campaign.reminder_days) == (
            True,
            8,
            [7, 2],
        )
    send_nomination_mails(hr, campaign_id)
    [subject_link] = links_to(outbox, "tl1@acme.test")

    tina = LinkVisitor(app.test_client(), subject_link)
    page = tina.open()
    assert page.status_code == 200
    assert "Choose who gives you feedback" in page.text
    assert "choose 3 to 8" in page.text and "Carla Ceo approves your list" in page.text
    assert "Tom Lead" in page.text  # suggested: same manager, same level
    assert "Ian One" not in page.text  # her direct reports are asked anyway

    sent = tina.propose(CHOSEN)
    assert sent.status_code == 303
    again = tina.open()
    assert "Your list is with Carla Ceo for approval" in again.text
    assert all(name in again.text for name in ("Sana Aalto", "Sami Berg", "Xena Extra"))

    [manager_link] = links_to(outbox, "ceo@acme.test")
    carla = LinkVisitor(app.test_client(), manager_link)
    review = carla.open()
    assert "Review Tina Lead's raters" in review.text
    assert "Xena Extra" in review.text
    decided = carla.approve(CHOSEN)
    assert decided.status_code == 303
    thanks = carla.client.get(decided.headers["Location"])
    assert "List approved" in thanks.text and "3 colleagues" in thanks.text
    assert carla.client.get(decided.headers["Location"]).status_code == 404  # said once
    assert carla.open().status_code == 404  # decided: the link is used
    assert tina.open().status_code == 404  # approved: nothing left to do on it
    assert any("approved" in s for s in subjects_of(outbox, "tl1@acme.test"))

    dashboard = hr.client.get(f"/admin/campaigns/{campaign_id}")
    assert "Approved (1):" in dashboard.text
    launched = hr.post_form(
        f"/admin/campaigns/{campaign_id}/launch", f"/admin/campaigns/{campaign_id}/launch", {}
    )
    assert launched.status_code == 302
    assert raters_by_group(app, campaign_id, "tl1@acme.test") == {
        "self": {"tl1@acme.test"},
        "manager": {"ceo@acme.test"},
        "direct_reports": {"ic1@acme.test", "ic2@acme.test", "ic3@acme.test"},
        "peers": set(CHOSEN),
    }


def test_a_subject_who_never_nominated_keeps_defaults_and_hr_is_warned(
    app: Flask, hr: AuthActions, outbox: Path
) -> None:
    with app.app_context():
        campaign_id = make_nomination_campaign(("tl1@acme.test", "tl2@acme.test"))
    send_nomination_mails(hr, campaign_id)
    defaults = raters_by_group(app, campaign_id, "tl2@acme.test")["peers"]
    assert defaults == {"tl1@acme.test", "tl3@acme.test", "tl4@acme.test"}
    [tina_link] = links_to(outbox, "tl1@acme.test")
    assert LinkVisitor(app.test_client(), tina_link).propose(CHOSEN).status_code == 303

    launch = hr.client.get(f"/admin/campaigns/{campaign_id}/launch")
    assert "2 subjects without an approved list keep their default raters: " in launch.text
    assert "Tina Lead (proposed), Tom Lead (not started)" in launch.text
    hr.post_form(
        f"/admin/campaigns/{campaign_id}/launch", f"/admin/campaigns/{campaign_id}/launch", {}
    )
    assert raters_by_group(app, campaign_id, "tl2@acme.test")["peers"] == defaults
    # Tina's list was never approved: she keeps her defaults too.
    assert "sa1@acme.test" not in raters_by_group(app, campaign_id, "tl1@acme.test")["peers"]
    assert LinkVisitor(app.test_client(), tina_link).open().status_code == 404


def test_nomination_at_the_cap_is_refused_with_the_persons_name(
    app: Flask, hr: AuthActions, outbox: Path
) -> None:
    # Cap 3: three team leaders propose Xena; the fourth cannot.
    with app.app_context():
        campaign_id = make_nomination_campaign(
            ("tl1@acme.test", "tl2@acme.test", "tl3@acme.test", "tl4@acme.test"),
            max_requests=3,
            min_peers=1,
        )
    send_nomination_mails(hr, campaign_id)
    for email in ("tl1@acme.test", "tl2@acme.test", "tl3@acme.test"):
        [link] = links_to(outbox, email)
        assert LinkVisitor(app.test_client(), link).propose(["xe1@acme.test"]).status_code == 303
    [theo_link] = links_to(outbox, "tl4@acme.test")
    theo = LinkVisitor(app.test_client(), theo_link)
    refused = theo.propose(["xe1@acme.test", "sa1@acme.test"])
    assert refused.status_code == 422
    assert (
        "Xena Extra is already asked for feedback 3 times in this campaign, the most anyone is "
        "asked; choose someone else." in refused.text
    )
    assert 'value="sa1@acme.test" checked' in refused.text  # the rest of the list is kept
    with app.app_context():
        theo_state = db.session.scalars(select(Nomination.status)).all()
    assert sorted(s.value for s in theo_state) == [
        "not_started",
        "proposed",
        "proposed",
        "proposed",
    ]
    assert theo.propose(["sa1@acme.test"]).status_code == 303


def test_hr_adding_a_rater_at_the_cap_is_refused_with_the_name(app: Flask, hr: AuthActions) -> None:
    with app.app_context():
        campaign_id = make_nomination_campaign(("tl1@acme.test", "tl2@acme.test"), max_requests=1)
        subject_id = db.session.get(Campaign, campaign_id).subjects[1].id  # type: ignore[union-attr]
    # Tina and Tom rate themselves; Tara and Theo became Tina's default peers, so Tom has none
    page = f"/admin/campaigns/{campaign_id}/subjects/{subject_id}"
    added = hr.post_form(page, f"{page}/raters", {"email": "sa1@acme.test", "group": "peers"})
    assert "Rater added." in hr.client.get(added.headers["Location"]).text
    refused = hr.post_form(page, f"{page}/raters", {"email": "tl3@acme.test", "group": "peers"})
    follow = hr.client.get(refused.headers["Location"])
    assert "Tara Lead is already asked for feedback once in this campaign" in follow.text


def test_manager_edits_the_list_or_sends_it_back_with_a_note(
    app: Flask, hr: AuthActions, outbox: Path
) -> None:
    with app.app_context():
        campaign_id = make_nomination_campaign()
    send_nomination_mails(hr, campaign_id)
    [tina_link] = links_to(outbox, "tl1@acme.test")
    tina = LinkVisitor(app.test_client(), tina_link)
    tina.propose(CHOSEN)
    [carla_link] = links_to(outbox, "ceo@acme.test")
    carla = LinkVisitor(app.test_client(), carla_link)

    too_few = carla.approve(["sa1@acme.test"])
    assert too_few.status_code == 422
    assert "Choose at least 3 people (the list has 1)." in too_few.text
    searched = carla.post(CHOSEN, action="search", q="sten")
    assert searched.status_code == 200 and "Sten Frost" in searched.text
    assert 'value="sa6@acme.test" checked' not in searched.text

    back = carla.send_back("Please add someone from Ops.")
    assert back.status_code == 303
    assert "List sent back" in carla.client.get(back.headers["Location"]).text
    [_, tina_again] = links_to(outbox, "tl1@acme.test")
    returned = LinkVisitor(app.test_client(), tina_again).open()
    assert "Carla Ceo sent your list back" in returned.text
    assert "Please add someone from Ops." in returned.text
    assert tina.open().status_code == 200  # her first link works again too
    tina.propose(["sa1@acme.test", "sa6@acme.test", "tl2@acme.test"])
    [_, carla_again] = links_to(outbox, "ceo@acme.test")
    edited = ["sa1@acme.test", "sa6@acme.test", "tl2@acme.test", "tl3@acme.test"]
    assert LinkVisitor(app.test_client(), carla_again).approve(edited).status_code == 303
    assert raters_by_group(app, campaign_id, "tl1@acme.test")["peers"] == set(edited)


def test_hr_sees_states_and_overrides_the_manager(
    app: Flask, hr: AuthActions, outbox: Path
) -> None:
    with app.app_context():
        campaign_id = make_nomination_campaign(("tl1@acme.test", "tl2@acme.test"))
        subject_id = db.session.get(Campaign, campaign_id).subjects[0].id  # type: ignore[union-attr]
    dashboard = hr.client.get(f"/admin/campaigns/{campaign_id}")
    assert "Not sent yet (2):" in dashboard.text
    send_nomination_mails(hr, campaign_id)
    [tina_link] = links_to(outbox, "tl1@acme.test")
    LinkVisitor(app.test_client(), tina_link).propose(CHOSEN)
    dashboard = hr.client.get(f"/admin/campaigns/{campaign_id}")
    assert "Proposed (1):" in dashboard.text and "Not started (1):" in dashboard.text
    page = f"/admin/campaigns/{campaign_id}/subjects/{subject_id}"
    subject_page = hr.client.get(page)
    assert "proposed, waiting for a decision" in subject_page.text
    assert "Sana Aalto" in subject_page.text
    approved = hr.post_form(page, f"{page}/nomination/approve", {})
    assert "approved" in hr.client.get(approved.headers["Location"]).text
    assert raters_by_group(app, campaign_id, "tl1@acme.test")["peers"] == set(CHOSEN)
    [carla_link] = links_to(outbox, "ceo@acme.test")
    assert LinkVisitor(app.test_client(), carla_link).open().status_code == 404


def test_second_send_mails_only_new_subjects(app: Flask, hr: AuthActions, outbox: Path) -> None:
    with app.app_context():
        campaign_id = make_nomination_campaign()
    send_nomination_mails(hr, campaign_id)
    send_nomination_mails(hr, campaign_id)
    assert len(links_to(outbox, "tl1@acme.test")) == 1


def test_links_get_and_head_change_nothing_and_bad_links_look_the_same(
    app: Flask, client: FlaskClient, hr: AuthActions, outbox: Path
) -> None:
    with app.app_context():
        campaign_id = make_nomination_campaign()
    send_nomination_mails(hr, campaign_id)
    [tina_link] = links_to(outbox, "tl1@acme.test")
    before = nomination_rows(app)
    visitor = app.test_client()
    assert visitor.get(tina_link).status_code == 200
    assert visitor.head(tina_link).status_code == 200
    assert visitor.get(tina_link).headers["Cache-Control"] == "no-store"
    assert nomination_rows(app) == before

    LinkVisitor(app.test_client(), tina_link).propose(CHOSEN)
    [carla_link] = links_to(outbox, "ceo@acme.test")
    LinkVisitor(app.test_client(), carla_link).approve(CHOSEN)
    stranger = app.test_client()
    pages = {
        "unknown": stranger.get(UNKNOWN),
        "malformed": stranger.get("/n/<script>"),
        "used subject link": stranger.get(tina_link),
        "used manager link": stranger.get(carla_link),
        "done, other browser": stranger.get(carla_link + "/done"),
    }
    reference = pages["unknown"].get_data()
    assert b"This link is not active" in reference
    for name, page in pages.items():
        assert page.status_code == 404, name
        assert page.get_data() == reference, name
    assert b"Tina" not in reference


def test_repeated_bad_nomination_links_are_rate_limited(app: Flask, client: FlaskClient) -> None:
    for _ in range(20):
        assert client.get(UNKNOWN).status_code == 404
    assert client.get(UNKNOWN).status_code == 429
    other = app.test_client()
    assert other.get(UNKNOWN, environ_base={"REMOTE_ADDR": "10.0.0.9"}).status_code == 404


def test_after_launch_the_subject_learns_nothing_from_their_link(
    app: Flask, hr: AuthActions, outbox: Path
) -> None:
    with app.app_context():
        campaign_id = make_nomination_campaign()
    send_nomination_mails(hr, campaign_id)
    [tina_link] = links_to(outbox, "tl1@acme.test")
    tina = LinkVisitor(app.test_client(), tina_link)
    tina.propose(CHOSEN)
    assert "Your list is sent." in tina.open().text
    hr.post_form(
        f"/admin/campaigns/{campaign_id}/launch", f"/admin/campaigns/{campaign_id}/launch", {}
    )
    after = tina.open()
    assert after.status_code == 404
    assert after.get_data() == app.test_client().get(UNKNOWN).get_data()
    mails_to_tina = [m for m in read_outbox(outbox) if m["To"] == "tl1@acme.test"]
    for message in mails_to_tina:
        body = message.get_body(preferencelist=("plain",))
        assert body is not None
        for name in ("Sana Aalto", "Sami Berg", "Xena Extra"):  # never named back to her
            assert name not in str(body.get_content())


def test_the_subject_form_needs_its_csrf_token(app: Flask, hr: AuthActions, outbox: Path) -> None:
    with app.app_context():
        campaign_id = make_nomination_campaign()
    send_nomination_mails(hr, campaign_id)
    [tina_link] = links_to(outbox, "tl1@acme.test")
    visitor = app.test_client()
    assert visitor.post(tina_link, data={"peers": CHOSEN}).status_code == 400
    with app.app_context():
        status = db.session.scalar(select(Nomination.status))
    assert status is NominationStatus.NOT_STARTED
    assert csrf_token(visitor.get(tina_link))
