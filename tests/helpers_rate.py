"""Test helpers for the rater pages: a small world to rate in, and a rater driving the UI."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select
from werkzeug.test import TestResponse

from survey.extensions import db
from survey.models import (
    Answer,
    Campaign,
    CampaignStatus,
    Comment,
    Draft,
    Invitation,
    Response,
    SubmissionReceipt,
)
from survey.services.questionnaires import questionnaire_for
from tests.factories import add_subject, invite, make_campaign, make_person

CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


@dataclass
class World:
    """One open campaign: Tom Lead (team leader) rated by his boss, a peer and a report."""

    campaign_id: int
    boss_token: str
    boss_invitation: int
    peer_token: str
    peer_invitation: int
    report_token: str
    report_invitation: int
    other_subject_invitation: int  # the boss also rates Una Other


def build_world(
    app: Flask,
    status: CampaignStatus = CampaignStatus.OPEN,
    closes_in: timedelta = timedelta(days=14),
    include_next_level: bool = False,
) -> World:
    """Create the campaign, people and invitations, commit, and return ids and tokens."""
    with app.app_context():
        campaign = make_campaign(status=status, closes_in=closes_in, timezone_name="Europe/Paris")
        boss = make_person("bea.boss@example.test", "Bea Boss", level="business_leader")
        tom = make_person("tom.lead@example.test", "Tom Lead", "team_leader", manager=boss)
        una = make_person("una.other@example.test", "Una Other", "team_leader", manager=boss)
        peer = make_person("pia.peer@example.test", "Pia Peer", "team_leader", manager=boss)
        report = make_person("rob.report@example.test", "Rob Report", manager=tom)
        subject = add_subject(campaign, tom, include_next_level=include_next_level)
        other = add_subject(campaign, una)
        boss_inv, _ = invite(subject, boss, "manager")
        other_inv, boss_token = invite(other, boss, "manager")  # a fresh token replaces the old
        peer_inv, peer_token = invite(subject, peer, "peers")
        report_inv, report_token = invite(subject, report, "direct_reports")
        world = World(
            campaign.id,
            boss_token,
            boss_inv.id,
            peer_token,
            peer_inv.id,
            report_token,
            report_inv.id,
            other_inv.id,
        )
        db.session.commit()
    return world


def item_keys(app: Flask, invitation_id: int) -> list[str]:
    """The item keys of the questionnaire this invitation answers, in display order."""
    with app.app_context():
        invitation = db.session.get(Invitation, invitation_id)
        assert invitation is not None
        return questionnaire_for(invitation.subject, invitation.rater_group).item_keys()


def counts(app: Flask) -> dict[str, int]:
    """Rows in the tables a rater's actions can write."""
    with app.app_context():
        tables = {
            "responses": Response,
            "answers": Answer,
            "comments": Comment,
            "drafts": Draft,
            "receipts": SubmissionReceipt,
        }
        return {
            name: db.session.scalar(select(func.count()).select_from(model)) or 0
            for name, model in tables.items()
        }


def invitation_row(app: Flask, invitation_id: int) -> dict[str, Any]:
    """An invitation's status and decline reason, read fresh."""
    with app.app_context():
        invitation = db.session.get(Invitation, invitation_id)
        assert invitation is not None
        return {"status": invitation.status.value, "decline_reason": invitation.decline_reason}


def move_deadline(app: Flask, campaign_id: int, by: timedelta) -> None:
    """Shift a campaign's closing instant (e.g. into the past while a form is open)."""
    with app.app_context():
        campaign = db.session.get(Campaign, campaign_id)
        assert campaign is not None
        campaign.closes_at = campaign.closes_at + by
        db.session.commit()


def set_status(app: Flask, campaign_id: int, status: CampaignStatus) -> None:
    """Force a campaign's status (closing it as HR would)."""
    with app.app_context():
        campaign = db.session.get(Campaign, campaign_id)
        assert campaign is not None
        campaign.status = status
        db.session.commit()


class RaterActions:
    """A rater using their e-mailed link, through the test client (CSRF really checked)."""

    def __init__(self, client: FlaskClient, token: str) -> None:
        self.client = client
        self.token = token

    def home(self) -> TestResponse:
        return self.client.get(f"/r/{self.token}")

    def open(self, invitation_id: int) -> TestResponse:
        return self.client.get(f"/r/{self.token}/{invitation_id}")

    def csrf(self, invitation_id: int) -> str:
        """The CSRF token of the questionnaire form, read from the page like a browser would."""
        match = CSRF.search(self.open(invitation_id).get_data(as_text=True))
        assert match, "the questionnaire page has no CSRF token"
        return match.group(1)

    def form_data(
        self,
        invitation_id: int,
        answers: dict[str, str],
        comments: dict[str, str] | None = None,
        action: str = "submit",
        csrf: str | None = None,
    ) -> dict[str, str]:
        data = {"csrf_token": csrf or self.csrf(invitation_id), "action": action, **answers}
        data.update({f"comment-{key}": text for key, text in (comments or {}).items()})
        return data

    def submit(
        self,
        invitation_id: int,
        answers: dict[str, str],
        comments: dict[str, str] | None = None,
        *,
        action: str = "submit",
        csrf: str | None = None,
        follow: bool = False,
    ) -> TestResponse:
        data = self.form_data(invitation_id, answers, comments, action, csrf)
        return self.client.post(
            f"/r/{self.token}/{invitation_id}", data=data, follow_redirects=follow
        )

    def autosave(
        self, invitation_id: int, answers: dict[str, str], comments: dict[str, str] | None = None
    ) -> TestResponse:
        data = self.form_data(invitation_id, answers, comments, action="")
        return self.client.post(f"/r/{self.token}/{invitation_id}/draft", data=data)

    def decline(self, invitation_id: int, reason: str = "") -> TestResponse:
        page = self.client.get(f"/r/{self.token}/{invitation_id}/decline")
        match = CSRF.search(page.get_data(as_text=True))
        assert match, "the decline page has no CSRF token"
        return self.client.post(
            f"/r/{self.token}/{invitation_id}/decline",
            data={"csrf_token": match.group(1), "reason": reason},
        )
