"""The blank questionnaire page is assembled from a copy kept per questionnaire shape (issue 8):
it must be exactly the page the templates would render for that rater, name and all."""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient

from survey.extensions import db
from survey.models import Invitation, Subject
from survey.services import responses
from survey.views import rate_page
from tests.helpers_rate import RaterActions, World, build_world, move_deadline


@pytest.fixture
def world(app: Flask) -> World:
    return build_world(app)


def _pages(app: Flask, token: str, invitation_id: int) -> tuple[str, str]:
    """(the page as served from the copy, the same page rendered afresh), one request."""
    with app.test_request_context(f"/r/{token}/{invitation_id}"):
        invitation = responses.find_link_invitation(token, invitation_id)
        assert invitation is not None
        sheet = rate_page.AnswerSheet()
        served = rate_page.questionnaire_page(token, invitation, sheet, 2000)
        rendered = rate_page._render(token, invitation, sheet, 2000)
    return served, rendered


def test_the_copy_gives_each_subject_the_page_the_templates_render(
    app: Flask, world: World
) -> None:
    rate_page._BLANK_PAGES.clear()
    # the boss rates Tom Lead and Una Other, both team leaders: one shape, one copy
    tom_served, tom_rendered = _pages(app, world.boss_token, world.boss_invitation)
    una_served, una_rendered = _pages(app, world.boss_token, world.other_subject_invitation)
    assert len(rate_page._BLANK_PAGES) == 1
    assert tom_served == tom_rendered
    assert una_served == una_rendered
    assert "Feedback for Una Other" in una_served and "Tom Lead" not in una_served
    assert f"/r/{world.boss_token}/{world.other_subject_invitation}/draft" in una_served


def test_a_name_with_markup_is_escaped_in_the_copy(
    app: Flask, client: FlaskClient, world: World
) -> None:
    with app.app_context():
        invitation = db.session.get(Invitation, world.peer_invitation)
        assert invitation is not None
        subject = db.session.get(Subject, invitation.subject_id)
        assert subject is not None
        subject.name = 'Zoë <b>"O\'Brien" & Co</b>'
        db.session.commit()
    page = RaterActions(client, world.peer_token).open(world.peer_invitation)
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "<b>" not in html
    assert "Feedback for Zoë &lt;b&gt;&#34;O&#39;Brien&#34; &amp; Co&lt;/b&gt;" in html
    served, rendered = _pages(app, world.peer_token, world.peer_invitation)
    assert served == rendered


def test_a_moved_deadline_shows_on_the_next_page(
    app: Flask, client: FlaskClient, world: World
) -> None:
    rater = RaterActions(client, world.report_token)
    before = rater.open(world.report_invitation).get_data(as_text=True)
    move_deadline(app, world.campaign_id, timedelta(days=3))
    after = rater.open(world.report_invitation).get_data(as_text=True)
    assert before != after
    served, rendered = _pages(app, world.report_token, world.report_invitation)
    assert served == rendered


def test_a_draft_is_never_served_from_the_copy(client: FlaskClient, world: World) -> None:
    rater = RaterActions(client, world.boss_token)
    blank = rater.open(world.boss_invitation).get_data(as_text=True)
    saved = rater.autosave(world.boss_invitation, {}, {"keep_doing": "Calm under pressure"})
    assert saved.status_code == 200
    html = rater.open(world.boss_invitation).get_data(as_text=True)
    assert "Calm under pressure" in html and "Calm under pressure" not in blank


def test_a_draft_saved_after_the_lookup_is_still_deleted_on_submit(
    app: Flask, world: World
) -> None:
    """SPEC §6: the draft goes with the submit, even one saved since the link was read."""
    from datetime import UTC, datetime

    from sqlalchemy import func, select

    from survey.models import Draft
    from survey.services import open_links

    now = datetime.now(UTC)
    with app.test_request_context("/"), db.engine.connect() as connection:
        link = open_links.find_open_link(connection, world.peer_token, world.peer_invitation, now)
        assert link is not None and not link.has_draft
        db.session.add(Draft(invitation_id=world.peer_invitation, answers={}, comments={},
                             saved_at=now))  # an autosave from another tab, meanwhile
        db.session.commit()
        first = open_links.link_questionnaire(link).item_keys()[0]
        open_links.submit_open_link(connection, link, {first: 4}, {}, now)
        connection.commit()
        assert db.session.scalar(select(func.count()).select_from(Draft)) == 0
