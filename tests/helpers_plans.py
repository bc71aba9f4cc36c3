"""Plan and pulse test helpers: a released campaign where two ICs share their raters."""

from __future__ import annotations

import re
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path

from flask.testing import FlaskClient, FlaskCliRunner

from survey.extensions import db
from survey.models import CampaignStatus, InvitationStatus, Person, Subject
from tests.factories import add_response, add_subject, invite, make_campaign, make_person
from tests.helpers_campaigns import csrf_token, read_outbox, text_of
from tests.helpers_reports import ic_answers

ACTIONS = "Zebra-7731 plan: run the weekly demo myself; ask Dana for feedback; finish the course"


@dataclass
class Team:
    campaign_id: int
    alice: int  # subject ids
    carl: int
    alice_person: int
    bob_person: int  # the manager of both
    peer_emails: list[str]


def released_team() -> Team:
    """Alice and Carl (ICs, managed by Bob) in a released campaign with k = 3: each rated by
    self, Bob and the same three peers, all submitted. Alice's figures are the worked example's
    (tests/helpers_reports.py): All others results 3.25 (n=4), deepens_expertise 3.5 (n=4)."""
    campaign = make_campaign(name="Autumn 360", status=CampaignStatus.RELEASED, min_raters=3)
    bob = make_person("bob@example.test", "Bob Boss", level="team_leader")
    alice = make_person("alice@example.test", "Alice Example", manager=bob)
    carl = make_person("carl@example.test", "Carl Coder", manager=bob)
    peers = [make_person(f"peer{i}@example.test", f"Peer {i}", manager=bob) for i in (1, 2, 3)]
    subjects = {}
    for person in (alice, carl):
        subject = add_subject(campaign, person)
        subjects[person.email] = subject
        invite(subject, person, "self", InvitationStatus.SUBMITTED)
        invite(subject, bob, "manager", InvitationStatus.SUBMITTED)
        for peer in peers:
            invite(subject, peer, "peers", InvitationStatus.SUBMITTED)
    a = subjects[alice.email]
    add_response(a, "self", ic_answers(4, 4, 3, 3, 5, 5, 4, 4))
    add_response(a, "manager", ic_answers(3, 4, 2, None, 4, 4, 5, 5))
    add_response(a, "peers", ic_answers(3, 3, 2, 2, 3, 3, 4, 4))
    add_response(a, "peers", ic_answers(4, 4, 3, 3, 3, None, 4, 5))
    add_response(a, "peers", ic_answers(2, 3, None, None, 4, 4, 5, 5))
    c = subjects[carl.email]
    for group in ("self", "manager", "peers", "peers", "peers"):
        add_response(c, group, ic_answers(4, 4, 4, 4, 4, 4, 4, 4))
    db.session.commit()
    return Team(campaign.id, a.id, c.id, alice.id, bob.id, [p.email for p in peers])


def person_id(email: str) -> int:
    person = db.session.scalar(db.select(Person).filter_by(email=email))
    assert person is not None
    return person.id


def subject_of(subject_id: int) -> Subject:
    return db.session.get_one(Subject, subject_id)


def write_plan(
    client: FlaskClient,
    subject_id: int,
    focus: list[str],
    *,
    share: bool = False,
    actions: str = ACTIONS,
    target: str = "2099-06-30",
):
    """Post the plan form as the signed-in subject; returns the response."""
    page = client.get(f"/plans/{subject_id}")
    data: dict[str, object] = {
        "csrf_token": csrf_token(page),
        "focus": focus,
        "actions": actions,
        "target_date": target,
    }
    if share:
        data["share_with_manager"] = "y"
    return client.post(f"/plans/{subject_id}", data=data)


def pulse_links(outbox: Path) -> dict[str, str]:
    """Recipient → the pulse link path (/p/<token>) of the latest pulse e-mail to them."""
    found = {}
    for message in read_outbox(outbox):
        match = re.search(r"http://localhost(/p/[A-Za-z0-9_-]+)", text_of(message))
        if match:
            found[str(message["To"])] = match.group(1)
    return found


def mails_to(outbox: Path, address: str) -> list[EmailMessage]:
    return [m for m in read_outbox(outbox) if address in str(m["To"])]


def invitation_url(client: FlaskClient, link: str, name: str) -> str:
    """From a pulse rater's home page, the address of the questions about `name`."""
    home = client.get(link).get_data(as_text=True)
    match = re.search(
        rf'href="({re.escape(link)}/\d+)">(?:Start|Continue)<span[^>]*> about {name}', home
    )
    assert match, home
    return match.group(1)


def answer_pulse(
    client: FlaskClient,
    link: str,
    name: str,
    answers: dict[str, str],
    comment: str = "",
    action: str = "submit",
):
    """Answer the pulse questions about `name` through the rater's pages; returns the POST's
    response."""
    url = invitation_url(client, link, name)
    page = client.get(url)
    data = {"csrf_token": csrf_token(page), **answers, "comment": comment, "action": action}
    return client.post(url, data=data)


def launch_pulse(runner: FlaskCliRunner, campaign_id: int) -> int:
    """`survey pulse launch` for the campaign's subjects with a plan (deadline 2099-01-31,
    Europe/Paris); returns the pulse id the command prints last."""
    result = runner.invoke(
        args=[
            "pulse",
            "launch",
            str(campaign_id),
            "--deadline",
            "2099-01-31",
            "--timezone",
            "Europe/Paris",
        ]
    )
    assert result.exit_code == 0, result.output
    return int(result.stdout.strip().splitlines()[-1])
