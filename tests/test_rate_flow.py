"""A rater answers through the e-mailed link: list, draft, resume, submit, decline (SPEC §5, §6)."""

from __future__ import annotations

import copy
import re
from datetime import UTC, datetime, timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from survey.extensions import db
from survey.models import Answer, Campaign, Comment, Draft, Invitation, Response, Subject
from survey.services import responses
from survey.views.rate import routes
from tests.helpers_rate import (
    RaterActions,
    World,
    build_world,
    counts,
    invitation_row,
    item_keys,
    move_deadline,
)


@pytest.fixture
def world(app: Flask) -> World:
    return build_world(app)


def _checked(html: str, key: str) -> str | None:
    """The value of the checked radio of item `key` in a rendered form, if any."""
    match = re.search(
        rf'<input checked id="{key}-\d" name="{key}" type="radio" value="(\w+)">', html
    )
    return match.group(1) if match else None


def test_rater_page_lists_subjects_with_status_and_deadline(
    app: Flask, client: FlaskClient, world: World
) -> None:
    boss = RaterActions(client, world.boss_token)
    page = boss.home()
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Tom Lead" in html and "Una Other" in html
    assert "You are Tom Lead’s manager" in html
    assert html.count("Not started") == 2
    assert "(Europe/Paris time)" in html
    assert page.headers["Cache-Control"] == "no-store"


def test_open_link_draft_resume_submit_thank_you(
    app: Flask, client: FlaskClient, world: World
) -> None:
    boss = RaterActions(client, world.boss_token)
    first, second, third = item_keys(app, world.boss_invitation)[:3]
    saved = boss.submit(
        world.boss_invitation,
        {first: "4", second: "na"},
        {"keep_doing": "Clear weekly plans"},
        action="save",
    )
    assert saved.status_code == 303
    assert invitation_row(app, world.boss_invitation)["status"] == "opened"
    assert "Draft saved" in boss.home().get_data(as_text=True)

    resumed = boss.open(world.boss_invitation).get_data(as_text=True)
    assert _checked(resumed, first) == "4" and _checked(resumed, second) == "na"
    assert "Clear weekly plans</textarea>" in resumed
    assert counts(app)["responses"] == 0  # a draft never counts

    done = boss.submit(
        world.boss_invitation,
        {first: "4", second: "na", third: "2"},
        {"keep_doing": "Clear weekly plans"},
    )
    assert done.status_code == 303 and done.headers["Location"].endswith(
        f"/r/{world.boss_token}/{world.boss_invitation}/thanks"
    )
    thanks = client.get(done.headers["Location"]).get_data(as_text=True)
    assert "Thank you" in thanks and "1 more request" in thanks
    assert counts(app) == {"responses": 1, "answers": 3, "comments": 1, "drafts": 0, "receipts": 1}
    assert invitation_row(app, world.boss_invitation)["status"] == "submitted"
    assert "Submitted" in boss.home().get_data(as_text=True)


def test_submitted_answers_store_na_as_null_with_area_and_group(
    app: Flask, client: FlaskClient, world: World
) -> None:
    peer = RaterActions(client, world.peer_token)
    first, second = item_keys(app, world.peer_invitation)[:2]
    peer.submit(world.peer_invitation, {first: "5", second: "na"}, {"stop_doing": "  "})
    with app.app_context():
        response = db.session.scalars(select(Response)).one()
        values = {a.item: (a.area, a.value) for a in db.session.scalars(select(Answer))}
        assert response.rater_group == "peers"
        assert values[first][1] == 5 and values[second][1] is None
        assert values[first][0] == "results"
        assert db.session.scalars(select(Comment)).all() == []  # blank comments are not stored


def test_autosave_keeps_typed_comments_and_marks_opened(
    app: Flask, client: FlaskClient, world: World
) -> None:
    report = RaterActions(client, world.report_token)
    first = item_keys(app, world.report_invitation)[0]
    saved = report.autosave(
        world.report_invitation, {first: "3"}, {"start_doing": "Say no more often"}
    )
    assert saved.status_code == 200 and saved.get_json()["message"].startswith("Draft saved at")
    with app.app_context():
        draft = db.session.scalars(select(Draft)).one()
        assert draft.answers == {first: "3"}
        assert draft.comments == {"start_doing": "Say no more often"}
    assert invitation_row(app, world.report_invitation)["status"] == "opened"
    page = report.open(world.report_invitation).get_data(as_text=True)
    assert "Say no more often</textarea>" in page


def test_autosave_and_save_draft_give_the_same_time_in_the_campaign_zone(
    app: Flask, client: FlaskClient, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    with app.app_context():  # India has no summer time: 15:20 UTC is always 20:50 there
        db.session.get(Campaign, world.campaign_id).timezone = "Asia/Kolkata"
        db.session.commit()
    tomorrow = datetime.now(UTC) + timedelta(days=1)
    monkeypatch.setattr(routes, "_now", lambda: tomorrow.replace(hour=15, minute=20))
    report = RaterActions(client, world.report_token)
    first = item_keys(app, world.report_invitation)[0]
    autosaved = report.autosave(world.report_invitation, {first: "3"}).get_json()
    assert autosaved == {
        "saved_at": "20:50 (Asia/Kolkata time)",
        "message": "Draft saved at 20:50 (Asia/Kolkata time)",
    }
    monkeypatch.setattr(routes, "_now", lambda: tomorrow.replace(hour=15, minute=47))
    banner = report.submit(world.report_invitation, {first: "4"}, action="save", follow=True)
    assert "Draft saved at 21:17 (Asia/Kolkata time). You can come back" in banner.get_data(
        as_text=True
    )


def test_autosave_drops_values_off_the_scale(app: Flask, client: FlaskClient, world: World) -> None:
    report = RaterActions(client, world.report_token)
    first, second = item_keys(app, world.report_invitation)[:2]
    report.autosave(world.report_invitation, {first: "7", second: "2"})
    with app.app_context():
        assert db.session.scalars(select(Draft)).one().answers == {second: "2"}


@pytest.mark.parametrize("bad_value", ["7", "0", "often", "-1", "4.5"])
def test_tampered_value_is_rejected_and_other_answers_kept(
    app: Flask, client: FlaskClient, world: World, bad_value: str
) -> None:
    boss = RaterActions(client, world.boss_token)
    first, second = item_keys(app, world.boss_invitation)[:2]
    page = boss.submit(
        world.boss_invitation, {first: bad_value, second: "2"}, {"keep_doing": "Listens"}
    )
    html = page.get_data(as_text=True)
    assert page.status_code == 422
    assert "Please check your answers" in html
    assert "Nothing was sent yet. Your other answers are still filled in below." in html
    assert f'id="{first}-error">That is not one of the answers' in html
    assert _checked(html, second) == "2"
    assert "Listens</textarea>" in html
    assert counts(app)["responses"] == 0
    assert invitation_row(app, world.boss_invitation)["status"] == "pending"


def test_empty_questionnaire_is_not_a_submission(
    app: Flask, client: FlaskClient, world: World
) -> None:
    page = RaterActions(client, world.peer_token).submit(world.peer_invitation, {})
    html = page.get_data(as_text=True)
    assert page.status_code == 422
    assert "<li>Answer at least one statement or question, or decline this request.</li>" in html
    assert "Nothing was sent yet.</p>" in html
    assert "other answers" not in html  # there are none to keep
    assert counts(app)["responses"] == 0


def test_comment_alone_is_a_submission(app: Flask, client: FlaskClient, world: World) -> None:
    page = RaterActions(client, world.peer_token).submit(
        world.peer_invitation, {}, {"keep_doing": "Calm in a crisis"}
    )
    assert page.status_code == 303
    assert counts(app)["responses"] == 1 and counts(app)["comments"] == 1


def test_too_long_comment_gets_a_message_and_answers_stay(
    app: Flask, client: FlaskClient, world: World
) -> None:
    app.config["COMMENT_MAX_LENGTH"] = 20
    first = item_keys(app, world.peer_invitation)[0]
    page = RaterActions(client, world.peer_token).submit(
        world.peer_invitation, {first: "3"}, {"keep_doing": "x" * 25}
    )
    html = page.get_data(as_text=True)
    assert page.status_code == 422
    assert "Please keep this answer under 20 characters (it is now 25)." in html
    assert _checked(html, first) == "3"
    assert counts(app)["responses"] == 0


def test_required_item_gets_a_readable_message(
    app: Flask, client: FlaskClient, world: World
) -> None:
    keys = item_keys(app, world.boss_invitation)
    with (
        app.app_context()
    ):  # this campaign's questionnaire marks its first team-leader item required
        campaign = db.session.get(Campaign, world.campaign_id)
        snapshot = copy.deepcopy(campaign.questionnaire_snapshot)
        level = snapshot["levels"]["team_leader"]
        level["responsibilities"][0]["items"][0]["required"] = True
        campaign.questionnaire_snapshot = snapshot
        campaign.launched_at = campaign.launched_at.replace(microsecond=1)  # new snapshot cache key
        db.session.commit()
    page = RaterActions(client, world.boss_token).submit(world.boss_invitation, {keys[1]: "5"})
    html = page.get_data(as_text=True)
    assert page.status_code == 422
    assert f'id="{keys[0]}-error">Please choose an answer for this statement.' in html
    assert "(required)" in html
    assert _checked(html, keys[1]) == "5"


def test_form_shows_subject_relationship_anonymity_and_scale(
    app: Flask, client: FlaskClient, world: World
) -> None:
    peer = RaterActions(client, world.peer_token).open(world.peer_invitation).get_data(as_text=True)
    assert "Feedback for Tom Lead" in peer
    assert "You are a peer of Tom Lead" in peer
    assert "Your answers are anonymous" in peer and "in a group of at least 3 people" in peer
    assert "<legend>" in peer and "Results</h2>" in peer
    first = item_keys(app, world.peer_invitation)[0]
    assert f'<label class="option" for="{first}-0">' in peer
    assert "Never" in peer and "Always" in peer and "Don&#39;t know / not observed" in peer
    assert 'name="comment-keep_doing"' in peer
    boss = RaterActions(client, world.boss_token).open(world.boss_invitation).get_data(as_text=True)
    assert "Your answers are not anonymous" in boss
    assert "Readiness for the next level" not in boss


def test_readiness_section_for_subjects_aiming_higher(app: Flask, client: FlaskClient) -> None:
    world = build_world(app, include_next_level=True)
    html = RaterActions(client, world.boss_token).open(world.boss_invitation).get_data(as_text=True)
    assert "Readiness for the next level" in html
    keys = item_keys(app, world.boss_invitation)
    assert any(key.startswith("bl_") for key in keys)  # business-leader items asked as readiness
    assert all(f'name="{key}"' in html for key in keys)


def test_decline_with_reason_visible_to_hr_only(
    app: Flask, client: FlaskClient, world: World
) -> None:
    boss = RaterActions(client, world.boss_token)
    page = boss.decline(world.boss_invitation, "I joined the team last week")
    assert page.status_code == 303
    assert page.headers["Location"].endswith(f"/{world.boss_invitation}/thanks")
    assert invitation_row(app, world.boss_invitation) == {
        "status": "declined",
        "decline_reason": "I joined the team last week",
    }
    thanks = client.get(page.headers["Location"]).get_data(as_text=True)
    assert "You declined to give feedback about Tom Lead." in thanks
    assert "You have 1 more request to answer." in thanks
    home = boss.home().get_data(as_text=True)
    assert "Declined" in home and "Not started" in home and "1 of 2 done" in home
    assert "I joined the team last week" not in home
    again = boss.open(world.boss_invitation)
    assert "Request declined" in again.get_data(as_text=True)
    assert counts(app)["responses"] == 0


def test_decline_without_reason(app: Flask, client: FlaskClient, world: World) -> None:
    RaterActions(client, world.report_token).decline(world.report_invitation)
    assert invitation_row(app, world.report_invitation) == {
        "status": "declined",
        "decline_reason": None,
    }


def test_another_raters_invitation_is_not_reachable(
    app: Flask, client: FlaskClient, world: World
) -> None:
    page = RaterActions(client, world.peer_token).open(world.boss_invitation)
    assert page.status_code == 404
    assert "This link is not active" in page.get_data(as_text=True)


def test_a_name_with_markup_is_shown_as_text(app: Flask, client: FlaskClient, world: World) -> None:
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


def test_a_moved_deadline_shows_on_the_next_page(
    app: Flask, client: FlaskClient, world: World
) -> None:
    rater = RaterActions(client, world.report_token)
    before = rater.open(world.report_invitation).get_data(as_text=True)
    move_deadline(app, world.campaign_id, timedelta(days=3))
    after = rater.open(world.report_invitation).get_data(as_text=True)
    deadline = re.compile(r"Please answer by</dt><dd>(?:the end of )?\w+ (\d+ \w+ \d{4})")
    shown_before, shown_after = deadline.search(before), deadline.search(after)
    assert shown_before is not None and shown_after is not None
    moved = datetime.strptime(shown_before.group(1), "%d %B %Y") + timedelta(days=3)
    assert shown_after.group(1) == f"{moved.day} {moved:%B %Y}"


def test_a_draft_saved_after_the_form_was_read_is_deleted_on_submit(
    app: Flask, world: World
) -> None:
    """SPEC §6: the draft goes with the submit, even one saved (another tab) since the read."""
    now = datetime.now(UTC)
    first = item_keys(app, world.peer_invitation)[0]
    with app.app_context():
        invitation = db.session.get(Invitation, world.peer_invitation)
        assert invitation is not None and invitation.draft is None
        other_tab = db.session.get_bind().connect()
        other_tab.execute(Draft.__table__.insert().values(
            invitation_id=world.peer_invitation, answers={}, comments={}, saved_at=now
        ))
        other_tab.commit()
        other_tab.close()
        responses.submit_response(invitation, {first: 4}, {}, now)
        db.session.commit()
    assert counts(app)["drafts"] == 0 and counts(app)["responses"] == 1
