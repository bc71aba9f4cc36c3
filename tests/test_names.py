"""Names people read (campaign, person, team) hold no control characters or text-direction
overrides, and no name can break an e-mail header (issue 20, fix 4 and 5)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import select

from survey.domain.text import name_problems
from survey.extensions import db
from survey.models import Campaign, Person
from tests.factories import make_hr_user
from tests.helpers_campaigns import AuthActions, csrf_token, make_draft, make_org
from tests.test_mail import Sink, smtp_server  # noqa: F401 - the SMTP sink fixture

RLO = "\u202e"


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("Spring 360\r\nBcc: x@example.test", "contains a control character"),
        ("Spring\t360", "contains a control character"),
        ("Spring\u2028360", "contains a control character"),
        (f"Anna {RLO}nnA", "text-direction override"),
        ("Anna \u2066Bob\u2069", "text-direction override"),
    ],
)
def test_names_with_breaks_or_direction_overrides_are_refused(value: str, reason: str) -> None:
    (problem,) = name_problems(value, "the name")
    assert problem.startswith("the name ") and reason in problem


@pytest.mark.parametrize("value", ["Zoë Ångström", "דנה כהן\u200f", "José (Ops) – 360°", "李雷"])
def test_ordinary_names_in_any_script_are_fine(value: str) -> None:
    assert name_problems(value, "the name") == []


def test_hr_form_refuses_a_campaign_name_with_a_line_break(app: Flask, client: FlaskClient) -> None:
    with app.app_context():
        make_hr_user()
        db.session.commit()
    auth = AuthActions(client)
    auth.sign_in()
    form = {
        "name": "Spring 360\r\nBcc: all@example.test",
        "deadline": "2099-10-31",
        "timezone": "Europe/Paris",
        "min_raters": "3",
        "max_peers": "5",
    }
    response = auth.post_form("/admin/campaigns/new", "/admin/campaigns/new", form)
    assert response.status_code == 200
    assert "The name contains a control character (such as a line break or a tab)." in response.text
    with app.app_context():
        assert db.session.scalar(select(Campaign)) is None


def test_cli_refuses_a_campaign_name_with_a_direction_override(
    app: Flask, runner: FlaskCliRunner
) -> None:
    args = ["campaign", "create", f"Spring {RLO}063", "--deadline", "2099-01-01",
            "--timezone", "UTC"]  # fmt: skip
    result = runner.invoke(args=args)
    assert result.exit_code == 1
    assert "the campaign name contains a text-direction override" in result.output
    with app.app_context():
        assert db.session.scalar(select(Campaign)) is None


def test_org_import_refuses_a_name_with_a_direction_override(
    app: Flask, client: FlaskClient
) -> None:
    with app.app_context():
        make_hr_user()
        db.session.commit()
    AuthActions(client).sign_in()
    csv = f"email,name,level,manager_email,team\na@example.test,Anna {RLO}nnA,team_leader,,Ops\n"
    data = {
        "csrf_token": csrf_token(client.get("/admin/people")),
        "file": (io.BytesIO(csv.encode()), "org.csv"),
    }
    response = client.post("/admin/people", data=data, content_type="multipart/form-data")
    assert response.status_code == 422
    assert '<td class="num">2</td><td>name contains a text-direction override' in response.text
    with app.app_context():
        assert db.session.scalar(select(Person)) is None


def test_launch_over_smtp_with_a_name_holding_a_line_break_sends_every_invitation(
    app: Flask, client: FlaskClient, smtp_server: tuple[int, Sink]  # noqa: F811
) -> None:
    """The review: such a name (stored before names were checked) made launch commit, then
    answer 500 with no e-mail sent; the name cannot be edited after launch, so no rater could
    ever get a link."""
    port, sink = smtp_server
    app.config.update(MAIL_BACKEND="smtp", MAIL_SMTP_HOST="127.0.0.1", MAIL_SMTP_PORT=port)
    with app.app_context():
        make_hr_user()
        make_org()
        campaign_id = make_draft()
        campaign = db.session.get(Campaign, campaign_id)
        assert campaign is not None
        campaign.name = "Spring 360\r\nBcc: all@example.test"
        db.session.commit()
    auth = AuthActions(client)
    auth.sign_in()
    url = f"/admin/campaigns/{campaign_id}/launch"
    response = auth.post_form(url, url, {})
    assert response.status_code == 302
    assert "Campaign launched" in client.get(response.location).text
    assert len(sink.envelopes) == 10
    headers = sink.envelopes[0].content.split(b"\r\n\r\n")[0]
    assert b"Subject: Your feedback is requested: Spring 360 Bcc: all@example.test" in headers
    assert not any(line.startswith(b"Bcc:") for line in headers.split(b"\r\n"))


def test_a_mail_server_that_refuses_is_a_banner_not_a_500(
    app: Flask, client: FlaskClient, tmp_path: Path
) -> None:
    import socket

    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    app.config.update(MAIL_BACKEND="smtp", MAIL_SMTP_HOST="127.0.0.1", MAIL_SMTP_PORT=port)
    with app.app_context():
        make_hr_user()
        make_org()
        campaign_id = make_draft()
    auth = AuthActions(client)
    auth.sign_in()
    url = f"/admin/campaigns/{campaign_id}/launch"
    response = auth.post_form(url, url, {})
    assert response.status_code == 302
    page = client.get(response.location).text
    assert "could not be sent: the mail server refused them" in page
    assert "then use Remind" in page
