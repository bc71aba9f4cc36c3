"""SPEC §12 development plans: written on a released report, private, shared on request."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from survey.extensions import db
from survey.models import Person, User, UserRole
from survey.models_plans import DevelopmentPlan
from tests.factories import make_hr_user, make_subject_user
from tests.helpers_campaigns import read_outbox, text_of
from tests.helpers_plans import ACTIONS, Team, launch_pulse, mails_to, released_team, write_plan
from tests.helpers_reports import sign_in

UNIQUE = "Zebra-7731"


@pytest.fixture
def team(app: Flask) -> Team:
    with app.app_context():
        return released_team()


def sign_in_as(app: Flask, client: FlaskClient, email: str) -> None:
    with app.app_context():
        user = db.session.scalar(db.select(User).filter_by(email=email))
        if user is None:
            person = db.session.scalar(db.select(Person).filter_by(email=email))
            user = make_subject_user(person)
            db.session.commit()
        user_id = user.id
    sign_in(client, user_id)


def test_report_links_to_the_plan_and_the_plan_shows_current_scores(
    app: Flask, client: FlaskClient, team: Team
) -> None:
    sign_in_as(app, client, "alice@example.test")
    report = client.get(f"/reports/{team.campaign_id}/{team.alice}").get_data(as_text=True)
    assert f'href="/plans/{team.alice}">Development plan</a>' in report
    page = client.get(f"/plans/{team.alice}").get_data(as_text=True)
    assert "70/20/10" in page and "experience" in page and "courses" in page
    response = write_plan(client, team.alice, ["area:results", "item:ic_deepens_expertise"])
    assert response.status_code == 303
    page = client.get(f"/plans/{team.alice}").get_data(as_text=True)
    assert UNIQUE in page
    # All others now: results 3.25 (n=4); deepens expertise (4 + 3 + 3 + 4) / 4 = 3.50 (n=4)
    assert "now <strong>3.25</strong>" in page and "now <strong>3.50</strong>" in page
    assert page.count("All others, n=4") == 2


@pytest.mark.parametrize(
    ("focus", "actions", "message"),
    [
        ([], ACTIONS, "Choose between 1 and 3 things"),
        (
            ["area:results", "area:growth", "area:culture", "area:improvement"],
            ACTIONS,
            "Choose between 1 and 3 things",
        ),
        (["area:people"], ACTIONS, "is not an area or item of this report"),
        (["area:results"], "   ", "Write at least one action"),
    ],
)
def test_a_plan_breaking_a_rule_is_refused_and_nothing_is_kept(
    app: Flask, client: FlaskClient, team: Team, focus, actions, message
) -> None:
    sign_in_as(app, client, "alice@example.test")
    response = write_plan(client, team.alice, focus, actions=actions)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(DevelopmentPlan.id))) == 0


def test_a_past_target_date_is_refused(app: Flask, client: FlaskClient, team: Team) -> None:
    sign_in_as(app, client, "alice@example.test")
    response = write_plan(client, team.alice, ["area:results"], target="2001-01-01")
    assert response.status_code == 422
    assert "has already passed" in response.get_data(as_text=True)


def test_someone_elses_plan_page_is_not_found(app: Flask, client: FlaskClient, team: Team) -> None:
    sign_in_as(app, client, "alice@example.test")
    write_plan(client, team.alice, ["area:results"])
    sign_in_as(app, client, "carl@example.test")
    assert client.get(f"/plans/{team.alice}").status_code == 404
    assert client.get("/plans/999999").status_code == 404


def _every_hr_get(app: Flask, ids: dict[str, int | str]) -> list[str]:
    """Every GET route of the app whose arguments we can fill, with the team's ids."""
    urls = []
    for rule in app.url_map.iter_rules():
        if "GET" not in (rule.methods or ()) or rule.endpoint == "static":
            continue
        if "token" in rule.arguments or not set(rule.arguments) <= set(ids):
            continue
        values = {name: ids[name] for name in rule.arguments}
        with app.test_request_context():
            from flask import url_for

            for fmt in ["csv", "xlsx"] if "fmt" in rule.arguments else [None]:
                if fmt:
                    values["fmt"] = fmt
                urls.append(url_for(rule.endpoint, **values))
    return urls


def _text(body: bytes) -> str:
    if body[:2] == b"PK":  # an XLSX: every part of the zip
        with zipfile.ZipFile(io.BytesIO(body)) as archive:
            return "".join(archive.read(n).decode("utf-8", "replace") for n in archive.namelist())
    return body.decode("utf-8", "replace")


def test_no_hr_page_export_or_json_returns_a_plans_text(
    app: Flask, client: FlaskClient, runner, team: Team, outbox: Path
) -> None:
    sign_in_as(app, client, "alice@example.test")
    write_plan(client, team.alice, ["area:results"], share=True)
    with app.app_context():
        hr = make_hr_user()
        db.session.commit()
        plan_id = db.session.scalar(db.select(DevelopmentPlan.id))
        hr_id = hr.id
    hr_client = app.test_client()
    sign_in(hr_client, hr_id)
    # launch a pulse too, so its HR pages exist
    pulse_id = launch_pulse(runner, team.campaign_id)
    ids = {
        "campaign_id": team.campaign_id,
        "subject_id": team.alice,
        "pulse_id": pulse_id,
        "plan_id": plan_id,
        "person_id": team.alice_person,
        "fmt": "csv",
    }
    urls = _every_hr_get(app, ids)
    assert any("/pulses" in u for u in urls) and any("export.xlsx" in u for u in urls)
    fetched = 0
    for url in urls:
        response = hr_client.get(url)
        assert UNIQUE not in _text(response.get_data()), url
        fetched += response.status_code == 200
    assert fetched >= 10
    # and the CLI's report JSON and export
    report = runner.invoke(
        args=["report", "--campaign", str(team.campaign_id), "--subject", "alice@example.test"]
    )
    assert report.exit_code == 0 and UNIQUE not in report.output
    # HR's pulse page says how many have a plan, never what is in it
    page = hr_client.get(f"/admin/campaigns/{team.campaign_id}/pulses").get_data(as_text=True)
    assert "<strong>1</strong> of 2 subjects has written a development plan" in page
    # no e-mail carries it either (the manager's says it was shared, not what it says)
    assert all(UNIQUE not in text_of(m) for m in read_outbox(outbox))


def test_the_manager_sees_the_plan_only_once_shared(
    app: Flask, client: FlaskClient, team: Team, outbox: Path
) -> None:
    sign_in_as(app, client, "alice@example.test")
    write_plan(client, team.alice, ["area:results"])
    with app.app_context():
        plan_id = db.session.scalar(db.select(DevelopmentPlan.id))
    bob = app.test_client()
    sign_in_as(app, bob, "bob@example.test")
    assert UNIQUE not in bob.get("/plans/shared").get_data(as_text=True)
    assert bob.get(f"/plans/shared/{plan_id}").status_code == 404
    assert mails_to(outbox, "bob@example.test") == []

    write_plan(client, team.alice, ["area:results"], share=True)
    (mail,) = mails_to(outbox, "bob@example.test")
    assert "Alice Example shared their development plan with you" in str(mail["Subject"])
    # Bob signs in from the e-mail with his own account, and reads it
    fresh = app.test_client()
    token = link_token_any(mail)
    page = fresh.get(f"/link/{token}")
    from tests.helpers_campaigns import csrf_token

    fresh.post(f"/link/{token}", data={"csrf_token": csrf_token(page)})
    listing = fresh.get("/plans/shared").get_data(as_text=True)
    assert "Alice Example" in listing
    shown = fresh.get(f"/plans/shared/{plan_id}").get_data(as_text=True)
    assert UNIQUE in shown and "Results" in shown
    with app.app_context():
        bob_user = db.session.scalar(db.select(User).filter_by(email="bob@example.test"))
        assert bob_user is not None and bob_user.role is UserRole.SUBJECT
    # a peer (not Alice's manager) never sees it
    peer = app.test_client()
    sign_in_as(app, peer, "peer1@example.test")
    assert peer.get(f"/plans/shared/{plan_id}").status_code == 404
    assert UNIQUE not in peer.get("/plans/shared").get_data(as_text=True)


def link_token_any(message) -> str:
    import re

    match = re.search(r"http://localhost/link/([A-Za-z0-9_-]+)", text_of(message))
    assert match
    return match.group(1)
