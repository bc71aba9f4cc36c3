"""Anonymity under attack (issue 7 point 5): each attack must reveal nothing.

Raters answer through the real form; HR and subjects read through the real report JSON (API).
"""

from __future__ import annotations

import random
import re
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner

from survey.extensions import db
from survey.models import CampaignStatus, Response, Subject
from tests.factories import (
    add_subject,
    invite,
    make_campaign,
    make_hr_user,
    make_person,
    make_subject_user,
)
from tests.helpers_rate import RaterActions, counts, item_keys, set_status
from tests.helpers_reports import sign_in

VOLATILE = ("campaign", "subject")  # names and ids differ between two subjects; figures may not


def campaign_with(app: Flask, raters: list[tuple[str, str]]) -> tuple[int, int, list[Any]]:
    """An open campaign; one IC subject with raters [(email, group)]; returns ids and links."""
    with app.app_context():
        campaign = make_campaign(min_raters=3)
        boss = make_person(f"boss{random.random()}@example.test", "Bea Boss", "team_leader")
        alice = make_person(f"alice{random.random()}@example.test", "Alice", manager=boss)
        subject = add_subject(campaign, alice)
        links = []
        for email, group in raters:
            who = alice if group == "self" else boss if group == "manager" else make_person(email)
            invitation, token = invite(subject, who, group)
            links.append((invitation.id, token))
        ids = (campaign.id, subject.id)
        db.session.commit()
    return ids[0], ids[1], links


def answer(app: Flask, link: tuple[int, str], value: str, comment: str = "") -> None:
    client = app.test_client()
    invitation, token = link
    keys = item_keys(app, invitation)
    comments = {"keep_doing": comment} if comment else None
    reply = RaterActions(client, token).submit(invitation, dict.fromkeys(keys, value), comments)
    assert reply.status_code == 303


def hr_client(app: Flask) -> FlaskClient:
    with app.app_context():
        user = make_hr_user(f"hr{random.random()}@example.test")
        db.session.commit()
        user_id = user.id
    client = app.test_client()
    sign_in(client, user_id)
    return client


def report(app: Flask, campaign_id: int, subject_id: int) -> dict[str, Any]:
    reply = hr_client(app).get(f"/api/campaigns/{campaign_id}/subjects/{subject_id}/report")
    assert reply.status_code == 200, reply.status_code
    document: dict[str, Any] = reply.get_json()
    return document


def figures(document: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in document.items() if key not in VOLATILE}


def test_a_lone_anonymous_rater_cannot_be_recovered_from_all_others(app: Flask) -> None:
    """Two subjects alike but for one peer's answers (below k): their reports are identical."""
    documents = []
    for peer_value in ("1", "5"):
        raters = [("s", "self"), ("m", "manager"), (f"p{peer_value}@example.test", "peers")]
        campaign_id, subject_id, links = campaign_with(app, raters)
        answer(app, links[0], "4")
        answer(app, links[1], "3")
        answer(app, links[2], peer_value)
        set_status(app, campaign_id, CampaignStatus.CLOSED)
        documents.append(figures(report(app, campaign_id, subject_id)))
    assert documents[0] == documents[1]
    all_others = [s for s in documents[0]["area_scores"] if s["group"] == "all_others"]
    assert all_others and all(s["score"] == 3.0 for s in all_others)  # the manager alone


def test_nothing_computed_is_shown_while_open(app: Flask, runner: FlaskCliRunner) -> None:
    raters = [(f"p{i}@example.test", "peers") for i in range(3)]
    campaign_id, subject_id, links = campaign_with(app, raters)
    for link in links:
        answer(app, link, "4", "Clear goals")
    client = hr_client(app)
    refused = {
        f"/api/campaigns/{campaign_id}/subjects/{subject_id}/report": 404,
        f"/reports/{campaign_id}/{subject_id}": 409,
        f"/reports/organisation/{campaign_id}": 409,
        f"/reports/organisation/{campaign_id}/export.csv": 409,
        f"/reports/organisation/{campaign_id}/export.xlsx": 409,
    }
    for path, status in refused.items():
        reply = client.get(path)
        page = reply.get_data(as_text=True)
        assert reply.status_code == status, path
        assert "Clear goals" not in page and "4.00" not in page
    with app.app_context():
        email = db.session.get(Subject, subject_id).person.email
    cli = runner.invoke(args=["report", "--campaign", str(campaign_id), "--subject", email])
    assert cli.exit_code != 0 and "Clear goals" not in cli.output


def test_comment_order_does_not_follow_submission_order(app: Flask) -> None:
    texts = ["Alpha comment", "Bravo comment", "Charlie comment", "Delta comment"]
    documents = []
    for order in (texts, list(reversed(texts))):
        raters = [(f"p{i}{order[0][0]}@example.test", "peers") for i in range(4)]
        campaign_id, subject_id, links = campaign_with(app, raters)
        for link, text in zip(links, order, strict=True):
            answer(app, link, "4", text)
        set_status(app, campaign_id, CampaignStatus.CLOSED)
        documents.append(figures(report(app, campaign_id, subject_id)))
    assert documents[0]["comments"] == documents[1]["comments"]
    assert documents[0] == documents[1]


def test_reports_carry_no_response_id_and_ids_say_nothing_of_order(app: Flask) -> None:
    raters = [(f"q{i}@example.test", "peers") for i in range(3)]
    campaign_id, subject_id, links = campaign_with(app, raters)
    for link in links:
        answer(app, link, "3")
    set_status(app, campaign_id, CampaignStatus.CLOSED)
    document = str(report(app, campaign_id, subject_id))
    with app.app_context():
        ids = list(db.session.scalars(db.select(Response.id)))
    assert ids and not any(response_id in document for response_id in ids)
    assert all(len(i) == 32 and int(i, 16) for i in ids)  # random 128-bit hex, not a counter


def test_a_used_link_cannot_answer_again(app: Flask) -> None:
    raters = [(f"u{i}@example.test", "peers") for i in range(3)]
    _, _, links = campaign_with(app, raters)
    invitation, token = links[0]
    rater = RaterActions(app.test_client(), token)
    csrf = rater.csrf(invitation)
    keys = item_keys(app, invitation)
    assert rater.submit(invitation, dict.fromkeys(keys, "2"), csrf=csrf).status_code == 303
    again = rater.submit(invitation, dict.fromkeys(keys, "5"), csrf=csrf)
    assert again.status_code == 409
    assert "already submitted" in again.get_data(as_text=True)
    assert counts(app)["responses"] == 1


@pytest.mark.parametrize("signed_in", ["subject", "hr"])
def test_guessing_response_ids_finds_nothing(app: Flask, signed_in: str) -> None:
    raters = [(f"g{i}@example.test", "peers") for i in range(3)]
    campaign_id, subject_id, links = campaign_with(app, raters)
    for link in links:
        answer(app, link, "3")
    set_status(app, campaign_id, CampaignStatus.RELEASED)
    with app.app_context():
        real = db.session.scalars(db.select(Response.id)).first()
        subject = db.session.get(Subject, subject_id)
        user = make_subject_user(subject.person)
        db.session.commit()
        user_id = user.id
    client = hr_client(app) if signed_in == "hr" else app.test_client()
    if signed_in == "subject":
        sign_in(client, user_id)
    made_up = "0" * 32
    bodies = set()
    for response_id in (real, made_up):
        for path in (f"/reports/{campaign_id}/{response_id}", f"/api/responses/{response_id}",
                     f"/responses/{response_id}", f"/reports/responses/{response_id}"):  # fmt: skip
            reply = client.get(path)
            assert reply.status_code == 404, path
            # the sign-out form's CSRF token carries a timestamp: the only part allowed to differ
            bodies.add(re.sub(r'value="[^"]*"', "", reply.get_data(as_text=True)))
    assert len(bodies) == 1, bodies  # a real id and a made-up one look exactly the same


def test_a_late_answer_after_release_is_refused_and_changes_nothing(app: Flask) -> None:
    raters = [(f"l{i}@example.test", "peers") for i in range(4)]
    campaign_id, subject_id, links = campaign_with(app, raters)
    for link in links[:3]:
        answer(app, link, "4")
    client = app.test_client()
    late = RaterActions(client, links[3][1])
    keys = item_keys(app, links[3][0])
    csrf = late.csrf(links[3][0])
    set_status(app, campaign_id, CampaignStatus.CLOSED)
    frozen = report(app, campaign_id, subject_id)
    set_status(app, campaign_id, CampaignStatus.RELEASED)
    reply = late.submit(links[3][0], dict.fromkeys(keys, "1"), csrf=csrf)
    assert reply.status_code == 404
    assert counts(app)["responses"] == 3
    assert figures(report(app, campaign_id, subject_id)) == figures(frozen)
