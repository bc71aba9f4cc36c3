"""Helpers for the nomination and clock tests: an org with room to choose peers, a campaign
with the nomination step, the e-mailed links, and a browser-like client for the link pages."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from werkzeug.test import TestResponse

from survey.extensions import db
from survey.models import Invitation, Person, Rater, Subject
from survey.services.campaigns import CampaignSettings, SubjectChoice, create_campaign
from survey.services.orgchart import import_people
from tests.factories import NOW
from tests.helpers_campaigns import csrf_token, read_outbox, text_of

# Carla (CEO) → Bob (business leader, Sales) and four team leaders (Ops); Tina leads three ICs;
# Bob leads eight salespeople, who are nobody's default peer: free to be nominated.
NOMINATION_ORG = b"""email,name,level,manager_email,team
ceo@acme.test,Carla Ceo,business_leader,,Exec
bl2@acme.test,Bob Business,business_leader,ceo@acme.test,Sales
tl1@acme.test,Tina Lead,team_leader,ceo@acme.test,Ops
tl2@acme.test,Tom Lead,team_leader,ceo@acme.test,Ops
tl3@acme.test,Tara Lead,team_leader,ceo@acme.test,Ops
tl4@acme.test,Theo Lead,team_leader,ceo@acme.test,Ops
ic1@acme.test,Ian One,individual_contributor,tl1@acme.test,Ops
ic2@acme.test,Ivy Two,individual_contributor,tl1@acme.test,Ops
ic3@acme.test,Ike Three,individual_contributor,tl1@acme.test,Ops
ic4@acme.test,Isa Four,individual_contributor,tl2@acme.test,Ops
sa1@acme.test,Sana Aalto,individual_contributor,bl2@acme.test,Sales
sa2@acme.test,Sami Berg,individual_contributor,bl2@acme.test,Sales
sa3@acme.test,Sara Croft,individual_contributor,bl2@acme.test,Sales
sa4@acme.test,Seth Dunn,individual_contributor,bl2@acme.test,Sales
sa5@acme.test,Sofi Eklund,individual_contributor,bl2@acme.test,Sales
sa6@acme.test,Sten Frost,individual_contributor,bl2@acme.test,Sales
sa7@acme.test,Suvi Grahn,individual_contributor,bl2@acme.test,Sales
xe1@acme.test,Xena Extra,individual_contributor,bl2@acme.test,Sales
"""
FUTURE = date(2099, 3, 31)
LINK = re.compile(r"http://localhost(/n/[A-Za-z0-9_-]+)")
TEAM_LEADERS = ("tl1@acme.test", "tl2@acme.test", "tl3@acme.test", "tl4@acme.test")


def make_nomination_org() -> None:
    """Import the org above (and commit)."""
    import_people(NOMINATION_ORG)
    db.session.commit()


def make_nomination_campaign(
    subjects: tuple[str, ...] = ("tl1@acme.test",), max_requests: int = 8, **settings: object
) -> int:
    """A committed draft with the nomination step over the org above; returns its id."""
    base = CampaignSettings(
        "Spring 360",
        FUTURE,
        "Europe/Paris",
        max_peers=8,
        nomination=True,
        max_requests_per_rater=max_requests,
        **settings,  # type: ignore[arg-type]
    )
    campaign = create_campaign(base, SubjectChoice(emails=subjects), now=NOW)
    db.session.commit()
    return campaign.id


def links_to(outbox: Path, email: str) -> list[str]:
    """The nomination link paths (`/n/<token>`) e-mailed to `email`, oldest first."""
    paths = []
    for message in read_outbox(outbox):
        if message["To"] == email:
            paths += LINK.findall(text_of(message))
    return paths


def subjects_of(outbox: Path, email: str) -> list[str]:
    """The subject lines of the e-mails sent to `email`."""
    return [str(m["Subject"]) for m in read_outbox(outbox) if m["To"] == email]


def raters_by_group(app: Flask, campaign_id: int, subject_email: str) -> dict[str, set[str]]:
    """group → e-mails of the people asked about the subject."""
    with app.app_context():
        subject = db.session.scalar(
            select(Subject)
            .join(Person, Subject.person_id == Person.id)
            .where(Subject.campaign_id == campaign_id, Person.email == subject_email)
        )
        assert subject is not None
        rows = db.session.execute(
            select(Invitation.rater_group, Person.email)
            .join(Rater, Invitation.rater_id == Rater.id)
            .join(Person, Rater.person_id == Person.id)
            .where(Invitation.subject_id == subject.id)
        )
        groups: dict[str, set[str]] = {}
        for group, email in rows:
            groups.setdefault(group, set()).add(email)
        return groups


class LinkVisitor:
    """One person's browser on a nomination link: open it, post a list, decide."""

    def __init__(self, client: FlaskClient, path: str) -> None:
        self.client = client
        self.path = path

    def open(self) -> TestResponse:
        return self.client.get(self.path)

    def post(self, peers: list[str], **fields: str) -> TestResponse:
        token = csrf_token(self.open())
        return self.client.post(self.path, data={"csrf_token": token, "peers": peers, **fields})

    def propose(self, peers: list[str]) -> TestResponse:
        return self.post(peers)

    def approve(self, peers: list[str]) -> TestResponse:
        return self.post(peers, action="approve")

    def send_back(self, note: str = "") -> TestResponse:
        return self.post([], action="reject", note=note)
