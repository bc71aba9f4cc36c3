"""Test helpers for the security suites: one world holding every kind of object a route takes,
and clients signed in as each role through the real sign-in pages."""

from __future__ import annotations

import re
from dataclasses import dataclass

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from survey.extensions import db
from survey.models import (
    Answer,
    Campaign,
    CampaignStatus,
    Comment,
    Draft,
    Invitation,
    LoginToken,
    Person,
    Response,
    Subject,
    SubmissionReceipt,
    User,
    utcnow,
)
from survey.services import accounts
from tests.factories import (
    add_response,
    add_subject,
    invite,
    make_campaign,
    make_hr_user,
    make_person,
    make_subject_user,
)
from tests.helpers_reports import ic_answers, worked_example

CSRF = re.compile(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"')
HR_EMAIL, HR_PASSWORD = "hr@example.test", "correct horse battery"


@dataclass
class SecurityWorld:
    """Ids and tokens: a released campaign (Alice, Bob), an open one (raters), a draft (HR)."""

    released: int
    alice_subject: int
    bob_subject: int
    alice_user: int
    bob_user: int
    open_campaign: int
    rater_token: str  # Pia's link: she rates Tom
    own_invitation: int
    other_invitation: int  # Rob's invitation for Tom: not Pia's
    draft: int
    draft_subject: int
    draft_invitation: int


def build_security_world(app: Flask) -> SecurityWorld:
    with app.app_context():
        example = worked_example(status=CampaignStatus.RELEASED)
        bob = make_person("bob@example.test", "Bob Other")
        bob_subject = add_subject(example.campaign, bob)
        for _ in range(3):
            add_response(bob_subject, "peers", ic_answers(1, 2, 3, 4, 5, 1, 2, 3))
        make_hr_user(HR_EMAIL, HR_PASSWORD)
        opened = make_campaign("Open 360", status=CampaignStatus.OPEN)
        boss = make_person("boss@example.test", "Bea Boss", "business_leader")
        tom = make_person("tom@example.test", "Tom Lead", "team_leader", manager=boss)
        tom_subject = add_subject(opened, tom)
        pia = make_person("pia@example.test", "Pia Peer", "team_leader", manager=boss)
        rob = make_person("rob@example.test", "Rob Report", manager=tom)
        own, token = invite(tom_subject, pia, "peers")
        other, _ = invite(tom_subject, rob, "direct_reports")
        draft = make_campaign("Draft 360", status=CampaignStatus.DRAFT)
        draft_subject = add_subject(draft, tom)
        draft_invitation, _ = invite(draft_subject, boss, "manager")
        world = SecurityWorld(
            example.campaign.id,
            example.subject.id,
            bob_subject.id,
            make_subject_user(example.person).id,
            make_subject_user(bob).id,
            opened.id,
            token,
            own.id,
            other.id,
            draft.id,
            draft_subject.id,
            draft_invitation.id,
        )
        db.session.commit()
    return world


def csrf_of(client: FlaskClient, page: str = "/sign-in") -> str:
    """A CSRF token valid for this client's session, read from a rendered form."""
    match = CSRF.search(client.get(page).get_data(as_text=True))
    assert match, f"no csrf_token on {page}"
    return match.group(1)


def sign_in_hr(client: FlaskClient) -> None:
    data = {"csrf_token": csrf_of(client), "email": HR_EMAIL, "password": HR_PASSWORD}
    assert client.post("/sign-in", data=data).status_code == 302


def new_sign_in_link(app: Flask, user_id: int, minutes: int | None = None) -> str:
    """A fresh one-time sign-in token for a user (as the release e-mail would carry)."""
    with app.app_context():
        user = db.session.get(User, user_id)
        assert user is not None
        token = accounts.issue_link_token(user, accounts.SIGN_IN, utcnow(), minutes)
        db.session.commit()
    return token


def sign_in_subject(app: Flask, client: FlaskClient, user_id: int) -> None:
    token = new_sign_in_link(app, user_id)
    data = {"csrf_token": csrf_of(client, f"/link/{token}")}
    assert client.post(f"/link/{token}", data=data).status_code == 302


def state_of(app: Flask) -> dict[str, object]:
    """Every row count and every status: what a refused request must leave untouched."""
    models = (
        Person, User, LoginToken, Campaign, Subject, Invitation, Draft, Response, Answer,
        Comment, SubmissionReceipt,
    )  # fmt: skip
    with app.app_context():
        state: dict[str, object] = {
            m.__name__: db.session.scalar(select(func.count()).select_from(m)) for m in models
        }
        state["campaigns"] = sorted(db.session.execute(select(Campaign.id, Campaign.status)))
        state["invitations"] = sorted(
            db.session.execute(select(Invitation.id, Invitation.status, Invitation.rater_group))
        )
        state["used_links"] = db.session.scalar(
            select(func.count()).where(LoginToken.used_at.is_not(None))
        )
        state["subjects"] = sorted(
            db.session.execute(select(Subject.id, Subject.include_next_level))
        )
    return state
