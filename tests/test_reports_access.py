"""Who sees what (issue 5 point 4): own released report only; HR after close; nothing while open."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner

from survey.extensions import db
from survey.models import CampaignStatus, Response
from tests.factories import add_response, add_subject, make_hr_user, make_person, make_subject_user
from tests.helpers_reports import ic_answers, sign_in, worked_example

NUMBER_FROM_ANSWERS = "4.63"  # all others' culture score in the worked example


@dataclass
class World:
    campaign_id: int
    alice_id: int  # Alice's subject id
    bob_id: int  # Bob's subject id, same campaign
    alice_user: int
    bob_user: int
    hr_user: int
    response_id: str


def build_world(status: CampaignStatus) -> World:
    ex = worked_example(status=status)
    bob = make_person("bob@example.test", "Bob Other")
    bob_subject = add_subject(ex.campaign, bob)
    for _ in range(3):
        add_response(bob_subject, "peers", ic_answers(1, 1, 1, 1, 1, 1, 1, 1))
    world = World(
        ex.campaign.id,
        ex.subject.id,
        bob_subject.id,
        make_subject_user(ex.person).id,
        make_subject_user(bob).id,
        make_hr_user().id,
        db.session.scalars(db.select(Response.id)).first(),
    )
    db.session.commit()
    return world


@pytest.fixture
def world_for(app: Flask):
    def build(status: CampaignStatus) -> World:
        with app.app_context():
            return build_world(status)

    return build


def without_csrf(body: bytes) -> bytes:
    return re.sub(rb'name="csrf_token" value="[^"]+"', b"", body)


def paths(world: World, subject_id: int) -> list[str]:
    return [
        f"/reports/{world.campaign_id}/{subject_id}",
        f"/api/campaigns/{world.campaign_id}/subjects/{subject_id}/report",
    ]


def test_subject_reads_own_released_report(client: FlaskClient, world_for) -> None:
    world = world_for(CampaignStatus.RELEASED)
    sign_in(client, world.alice_user)
    page = client.get(f"/reports/{world.campaign_id}/{world.alice_id}")
    assert page.status_code == 200
    assert NUMBER_FROM_ANSWERS in page.get_data(as_text=True)
    listing = client.get("/reports").get_data(as_text=True)
    assert f"/reports/{world.campaign_id}/{world.alice_id}" in listing
    assert f"/reports/{world.campaign_id}/{world.bob_id}" not in listing


def test_changing_ids_gives_the_same_404_as_a_missing_report(
    client: FlaskClient, world_for
) -> None:
    world = world_for(CampaignStatus.RELEASED)
    sign_in(client, world.alice_user)
    someone_else = [client.get(p) for p in paths(world, world.bob_id)]
    missing = [client.get(p) for p in paths(world, 999)]
    wrong_campaign = client.get(f"/reports/{world.campaign_id + 1}/{world.alice_id}")
    for theirs, nothing in zip(someone_else, missing, strict=True):
        assert theirs.status_code == nothing.status_code == 404
        # The nav's CSRF token is signed with a timestamp: it may differ across a second.
        assert without_csrf(theirs.get_data()) == without_csrf(nothing.get_data())
    assert wrong_campaign.status_code == 404
    by_email = client.get(f"/api/campaigns/{world.campaign_id}/report?subject=bob@example.test")
    assert by_email.status_code == 404


def test_no_route_returns_a_response_by_its_id(client: FlaskClient, world_for) -> None:
    world = world_for(CampaignStatus.RELEASED)
    sign_in(client, world.hr_user)
    for path in (
        f"/reports/{world.campaign_id}/{world.response_id}",
        f"/api/responses/{world.response_id}",
        f"/api/campaigns/{world.campaign_id}/responses",
    ):
        assert client.get(path).status_code == 404


def test_subject_sees_nothing_before_release(client: FlaskClient, world_for) -> None:
    world = world_for(CampaignStatus.CLOSED)
    sign_in(client, world.alice_user)
    for path in paths(world, world.alice_id):
        assert client.get(path).status_code == 404
    assert "No report has been released" in client.get("/reports").get_data(as_text=True)


def test_hr_reads_every_report_once_closed(client: FlaskClient, world_for) -> None:
    world = world_for(CampaignStatus.CLOSED)
    sign_in(client, world.hr_user)
    page = client.get(f"/reports/{world.campaign_id}/{world.alice_id}").get_data(as_text=True)
    assert NUMBER_FROM_ANSWERS in page and "Preview for HR" in page
    api = client.get(f"/api/campaigns/{world.campaign_id}/subjects/{world.bob_id}/report")
    assert api.status_code == 200 and api.get_json()["subject"]["name"] == "Bob Other"


def test_subject_cannot_reach_the_organisation_view(client: FlaskClient, world_for) -> None:
    world = world_for(CampaignStatus.RELEASED)
    sign_in(client, world.alice_user)
    for path in (
        "/reports/organisation",
        f"/reports/organisation/{world.campaign_id}",
        f"/reports/organisation/{world.campaign_id}/export.csv",
    ):
        assert client.get(path).status_code == 404


@pytest.mark.parametrize("status", [CampaignStatus.DRAFT, CampaignStatus.OPEN])
def test_nothing_aggregate_while_not_closed(
    client: FlaskClient, runner: FlaskCliRunner, world_for, tmp_path, status
) -> None:
    world = world_for(status)
    sign_in(client, world.hr_user)
    responses = [client.get(p) for p in paths(world, world.alice_id)] + [
        client.get(f"/reports/organisation/{world.campaign_id}"),
        client.get(f"/reports/organisation/{world.campaign_id}/export.csv"),
        client.get(f"/reports/organisation/{world.campaign_id}/export.xlsx"),
    ]
    for response in responses:
        assert response.status_code in (404, 409)
        assert NUMBER_FROM_ANSWERS not in response.get_data(as_text=True)
    index = client.get("/reports/organisation").get_data(as_text=True)
    assert "Available once the campaign is closed" in index
    assert f"/reports/organisation/{world.campaign_id}" not in index
    out = tmp_path / "x.csv"
    cli = [
        runner.invoke(args=["report", "--campaign", str(world.campaign_id),
                            "--subject", "alice@example.test"]),
        runner.invoke(args=["campaign", "export", str(world.campaign_id), "--format", "csv",
                            "--output", str(out)]),
    ]
    for result in cli:
        assert result.exit_code != 0 and NUMBER_FROM_ANSWERS not in result.output
    assert not out.exists()


def test_signed_out_users_are_sent_to_sign_in(client: FlaskClient, world_for) -> None:
    world = world_for(CampaignStatus.RELEASED)
    for path in ("/reports", f"/reports/{world.campaign_id}/{world.alice_id}",
                 "/reports/organisation"):
        response = client.get(path)
        assert response.status_code == 302
        assert "/sign-in" in response.headers["Location"]
    api = client.get(f"/api/campaigns/{world.campaign_id}/subjects/{world.alice_id}/report")
    assert api.status_code == 401 and NUMBER_FROM_ANSWERS not in api.get_data(as_text=True)
