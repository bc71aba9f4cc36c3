"""A reminder sends a fresh link, and the link in the first e-mail keeps working."""

from __future__ import annotations

import email
import re
from datetime import timedelta
from pathlib import Path

from flask import Flask
from flask.testing import FlaskClient

from survey.extensions import db
from survey.mail import send_mails
from survey.models import utcnow
from survey.services.lifecycle import remind_campaign
from tests.factories import add_subject, invite, make_campaign, make_person


def _link_in(path: Path) -> str:
    message = email.message_from_bytes(path.read_bytes())
    text = next(
        part.get_payload(decode=True).decode()
        for part in message.walk()
        if part.get_content_type() == "text/plain"
    )
    match = re.search(r"/r/([A-Za-z0-9_\-]+)", text)
    assert match, text
    return match.group(1)


def test_first_and_reminder_links_both_open_the_rater_page(
    app: Flask, client: FlaskClient, outbox: Path
) -> None:
    with app.app_context():
        campaign = make_campaign()
        boss = make_person("boss@example.test", "Bea Boss", "team_leader")
        subject = add_subject(campaign, boss)
        rater = make_person("pia@example.test", "Pia Peer", manager=boss)
        _, first_token = invite(subject, rater, "direct_reports")
        db.session.commit()
        result = remind_campaign(campaign, utcnow(), timedelta(hours=72))
        db.session.commit()
        send_mails(result.mails)
    (reminder,) = outbox.glob("*.eml")
    second_token = _link_in(reminder)
    assert second_token != first_token
    for token in (first_token, second_token):
        page = client.get(f"/r/{token}")
        assert page.status_code == 200, token
        assert "Bea Boss" in page.get_data(as_text=True)
    assert client.get("/r/" + "x" * 32).status_code == 404
