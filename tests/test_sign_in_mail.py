"""Sign-in e-mails read like a person wrote them: link lifetime in words, the right reassurance."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from survey.extensions import db
from survey.mail import send_mails
from survey.models import CampaignStatus, utcnow
from survey.services.accounts import human_duration
from survey.services.lifecycle import release_campaign
from tests.factories import add_subject, make_campaign, make_person, make_subject_user
from tests.helpers_campaigns import csrf_token, html_of, read_outbox, text_of

IGNORE = "If you did not ask for this, you can ignore this e-mail."


@pytest.mark.parametrize(
    ("minutes", "words"),
    [
        (1, "1 minute"),
        (45, "45 minutes"),
        (60, "1 hour"),
        (90, "90 minutes"),
        (120, "2 hours"),
        (1440, "24 hours"),
        (1500, "25 hours"),
        (2880, "2 days"),
        (10080, "7 days"),
    ],
)
def test_link_lifetime_in_words(minutes: int, words: str) -> None:
    assert human_duration(minutes) == words


@pytest.fixture
def app_config(app_config: dict[str, object]) -> dict[str, object]:
    return {**app_config, "SIGN_IN_LINK_MINUTES": 1440}


def test_report_ready_mail_says_24_hours_and_does_not_tell_to_ignore(
    app: Flask, outbox: Path
) -> None:
    with app.app_context():
        campaign = make_campaign(name="Autumn 360", status=CampaignStatus.CLOSED)
        add_subject(campaign, make_person("ana@example.test", "Ana Alves"))
        mails = release_campaign(campaign, utcnow())
        db.session.commit()
        send_mails(mails)
    [message] = read_outbox(outbox)
    for body in (text_of(message), html_of(message)):
        assert 'report for "Autumn 360" is ready' in body or "<strong>Autumn 360</strong>" in body
        assert "valid for 24 hours" in body and "minutes" not in body
        assert "did not ask" not in body  # the manager never asked: HR released the report


def test_requested_link_mail_keeps_the_reassurance(
    app: Flask, client: FlaskClient, outbox: Path
) -> None:
    with app.app_context():
        make_subject_user(make_person("ana@example.test", "Ana Alves"))
        db.session.commit()
    token = csrf_token(client.get("/request-link"))
    answer = client.post("/request-link", data={"csrf_token": token, "email": "ana@example.test"})
    answer.close()  # as a server does once the answer is sent: the link goes out then
    [message] = read_outbox(outbox)
    assert "valid for 24 hours" in text_of(message)
    assert IGNORE in text_of(message) and IGNORE in html_of(message)
