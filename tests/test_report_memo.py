"""Report pages render their frozen body once per process, and the memo never widens access."""

from __future__ import annotations

import re

import pytest
from flask import Flask, template_rendered
from flask.testing import FlaskClient

from survey.extensions import db
from survey.models import Campaign, CampaignStatus, Subject
from survey.views.report_pages import LRUMemo, RenderedReport
from tests.factories import NOW
from tests.helpers_reports import sign_in
from tests.test_reports_access import NUMBER_FROM_ANSWERS, World, build_world, paths

BODY = "reports/_report_body.html"
PREVIEW = "Preview for HR"


@pytest.fixture
def world_for(app: Flask):
    def build(status: CampaignStatus) -> World:
        with app.app_context():
            return build_world(status)

    return build


def bodies_rendered(app: Flask, client: FlaskClient, path: str) -> tuple[int, str, int]:
    """GET `path`: status, page text, and how many times the report body was rendered."""
    seen: list[str] = []

    def record(sender: Flask, template, context, **extra) -> None:
        seen.append(template.name)

    with template_rendered.connected_to(record, app):
        response = client.get(path)
    return response.status_code, response.get_data(as_text=True), seen.count(BODY)


def test_report_viewed_by_its_subject_stays_404_for_another_subject(
    app: Flask, client: FlaskClient, world_for
) -> None:
    """Alice's report is memoised after she reads it; Bob asking for the same URLs still gets
    the 404 of a report that does not exist, with none of Alice's figures."""
    world: World = world_for(CampaignStatus.RELEASED)
    sign_in(client, world.alice_user)
    for path in paths(world, world.alice_id):
        assert client.get(path).status_code == 200
    other = app.test_client()
    sign_in(other, world.bob_user)
    missing = [other.get(p) for p in paths(world, 999)]
    for path, nothing in zip(paths(world, world.alice_id), missing, strict=True):
        theirs = other.get(path)
        assert theirs.status_code == nothing.status_code == 404
        assert NUMBER_FROM_ANSWERS not in theirs.get_data(as_text=True)
        assert "Alice" not in theirs.get_data(as_text=True)


def test_hr_reading_first_never_hands_the_subject_the_hr_page(
    app: Flask, client: FlaskClient, world_for
) -> None:
    """HR's page speaks about Alice by name; Alice's own page, read after it, says "you"."""
    world: World = world_for(CampaignStatus.RELEASED)
    sign_in(client, world.hr_user)
    hr_page = client.get(paths(world, world.alice_id)[0]).get_data(as_text=True)
    assert "their manager, peers and team experience Alice Example" in hr_page
    alice = app.test_client()
    sign_in(alice, world.alice_user)
    own = alice.get(paths(world, world.alice_id)[0]).get_data(as_text=True)
    assert "your manager, peers and team experience you" in own
    assert "experience Alice Example" not in own
    assert NUMBER_FROM_ANSWERS in own


def test_second_view_reuses_the_body_and_release_renders_it_again(
    app: Flask, client: FlaskClient, world_for
) -> None:
    world: World = world_for(CampaignStatus.CLOSED)
    sign_in(client, world.hr_user)
    path = paths(world, world.alice_id)[0]
    status, first, rendered = bodies_rendered(app, client, path)
    assert (status, rendered) == (200, 1) and PREVIEW in first
    status, again, rendered = bodies_rendered(app, client, path)
    assert (status, rendered) == (200, 0)
    assert strip_csrf(again) == strip_csrf(first)
    with app.app_context():
        db.session.get(Campaign, world.campaign_id).release(NOW)
        db.session.commit()
    status, released, rendered = bodies_rendered(app, client, path)
    assert (status, rendered) == (200, 1)
    assert PREVIEW not in released and NUMBER_FROM_ANSWERS in released


def test_sign_out_works_from_a_memoised_page(
    app: Flask, client: FlaskClient, world_for
) -> None:
    """The layout around the memoised body (nav, CSRF token) is still rendered per request."""
    world: World = world_for(CampaignStatus.RELEASED)
    sign_in(client, world.alice_user)
    path = paths(world, world.alice_id)[0]
    client.get(path)
    page = client.get(path).get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert token is not None
    signed_out = client.post("/sign-out", data={"csrf_token": token.group(1)})
    assert signed_out.status_code in (302, 303)
    assert client.get(path).status_code in (302, 401)


def test_nothing_is_memoised_while_the_campaign_is_open(
    app: Flask, client: FlaskClient, world_for
) -> None:
    world: World = world_for(CampaignStatus.OPEN)
    sign_in(client, world.hr_user)
    for _ in range(2):
        status, _page, rendered = bodies_rendered(app, client, paths(world, world.alice_id)[0])
        assert status == 409 and rendered == 0
    with app.app_context():
        assert db.session.get(Subject, world.alice_id) is not None
        assert len(app.extensions.get("survey_report_pages", ())) == 0


def test_memo_keeps_the_most_recently_used_within_its_size() -> None:
    memo = LRUMemo(2)
    pages = {key: RenderedReport(key, "", "") for key in "abc"}
    memo.put("a", pages["a"])
    memo.put("b", pages["b"])
    assert memo.get("a") is pages["a"]  # a is now the most recently used
    memo.put("c", pages["c"])
    assert memo.get("b") is None
    assert memo.get("a") is pages["a"] and memo.get("c") is pages["c"]
    assert len(memo) == 2


def strip_csrf(page: str) -> str:
    return re.sub(r'name="csrf_token" value="[^"]+"', "", page)
