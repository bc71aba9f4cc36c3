"""Helpers for the campaign, admin and auth tests: a signed-in client, CSRF, the org chart, mail."""

from __future__ import annotations

import re
from datetime import date
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path

from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from survey.extensions import db
from survey.services.campaigns import CampaignSettings, SubjectChoice, create_campaign
from survey.services.orgchart import import_people
from tests.factories import NOW

DATA = Path(__file__).parent / "data"
EXCEL_CSV = DATA / "org_excel.csv"
PASSWORD = "correct horse battery"
# A small org: CEO → 3 team leaders (TL1, TL2 under CEO; TL3 under BL2) → ICs.
ORG_CSV = b"""email,name,level,manager_email,team
ceo@acme.test,Carla Ceo,business_leader,,Exec
bl2@acme.test,Bob Business,business_leader,ceo@acme.test,Sales
tl1@acme.test,Tina Lead,team_leader,ceo@acme.test,Ops
tl2@acme.test,Tom Lead,team_leader,ceo@acme.test,Ops
tl3@acme.test,Tara Lead,team_leader,bl2@acme.test,Sales
ic1@acme.test,Ian One,individual_contributor,tl1@acme.test,Ops
ic2@acme.test,Ivy Two,individual_contributor,tl1@acme.test,Ops
ic3@acme.test,Ike Three,individual_contributor,tl1@acme.test,Ops
ic4@acme.test,Isa Four,individual_contributor,tl2@acme.test,Ops
ic5@acme.test,Ida Five,individual_contributor,tl3@acme.test,Sales
"""
FUTURE = date(2099, 3, 31)


def csrf_token(response: TestResponse) -> str:
    """The CSRF token of the first form on a page."""
    match = re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', response.text)
    assert match, "no csrf_token on the page"
    return match.group(1)


class AuthActions:
    """Drive sign-in like a user does (after the Flask tutorial)."""

    def __init__(self, client: FlaskClient) -> None:
        self.client = client

    def sign_in(self, email: str = "hr@example.test", password: str = PASSWORD) -> TestResponse:
        token = csrf_token(self.client.get("/sign-in"))
        return self.client.post(
            "/sign-in", data={"csrf_token": token, "email": email, "password": password}
        )

    def sign_out(self) -> TestResponse:
        token = csrf_token(self.client.get("/sign-in"))
        return self.client.post("/sign-out", data={"csrf_token": token})

    def post_form(self, page: str, url: str, data: dict[str, object]) -> TestResponse:
        """Open `page`, take its CSRF token, and post `data` to `url`."""
        token = csrf_token(self.client.get(page))
        return self.client.post(url, data={"csrf_token": token, **data})


def make_org() -> None:
    """Import the small org chart (and commit)."""
    import_people(ORG_CSV)
    db.session.commit()


def make_draft(
    name: str = "Spring 360",
    levels: tuple[str, ...] = ("team_leader",),
    emails: tuple[str, ...] = (),
    min_raters: int = 3,
) -> int:
    """A committed draft campaign over the small org; returns its id."""
    settings = CampaignSettings(name, FUTURE, "Europe/Paris", min_raters=min_raters)
    campaign = create_campaign(settings, SubjectChoice(levels, emails), now=NOW)
    db.session.commit()
    return campaign.id


def read_outbox(outbox: Path) -> list[EmailMessage]:
    """Every message in the outbox, parsed."""
    parser = BytesParser(policy=policy.default)
    paths = sorted(outbox.glob("*.eml"))
    return [parser.parsebytes(path.read_bytes()) for path in paths]  # type: ignore[misc]


def text_of(message: EmailMessage) -> str:
    """The plain-text part."""
    part = message.get_body(preferencelist=("plain",))
    assert part is not None
    return str(part.get_content())


def html_of(message: EmailMessage) -> str:
    """The HTML part."""
    part = message.get_body(preferencelist=("html",))
    assert part is not None
    return str(part.get_content())


def link_token(message: EmailMessage) -> str:
    """The token of the /r/<token> link in a rater e-mail."""
    match = re.search(r"http://localhost/r/([A-Za-z0-9_-]+)", text_of(message))
    assert match, text_of(message)
    return match.group(1)
