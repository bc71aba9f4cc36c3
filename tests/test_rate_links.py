"""The link itself: scanners change nothing, dead links look alike, failures are rate-limited."""

from __future__ import annotations

import itertools
import logging
import re
from datetime import timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import text
from werkzeug.test import TestResponse

from survey.extensions import db
from survey.models import CampaignStatus
from tests.helpers_rate import (
    RaterActions,
    World,
    build_world,
    counts,
    invitation_row,
    item_keys,
    move_deadline,
    set_status,
)
from tests.helpers_security import csrf_of

UNKNOWN = "QmFkVG9rZW5CYWRUb2tlbkJhZFRva2Vu"


@pytest.fixture
def world(app: Flask) -> World:
    return build_world(app)


def _snapshot(app: Flask) -> list[tuple[object, ...]]:
    """Every row a rater's visit could change, for before/after comparison."""
    with app.app_context():
        rows = []
        for table in ("invitation", "draft", "submission_receipt", "response", "answer", "rater"):
            rows += [(table, *row) for row in db.session.execute(text(f"SELECT * FROM {table}"))]
        return sorted(rows, key=repr)


def _headers(page: TestResponse) -> dict[str, str]:
    return {name: value for name, value in page.headers.items() if name != "Date"}


def _without_csrf(html: str) -> str:
    return re.sub(r'name="csrf_token" type="hidden" value="[^"]+"', "", html)


def test_link_scanner_get_and_head_change_nothing(
    app: Flask, client: FlaskClient, world: World
) -> None:
    before = _snapshot(app)
    for path in (
        f"/r/{world.boss_token}",
        f"/r/{world.boss_token}/{world.boss_invitation}",
        f"/r/{world.boss_token}/{world.boss_invitation}/decline",
        f"/r/{world.boss_token}/{world.boss_invitation}/thanks",
    ):
        assert client.get(path).status_code in (200, 302)
        assert client.head(path).status_code in (200, 302)
    assert _snapshot(app) == before
    assert invitation_row(app, world.boss_invitation)["status"] == "pending"
    assert counts(app)["drafts"] == 0


def _finish(app: Flask, token: str, invitation_id: int) -> str:
    """Submit an invitation from a browser of its own; returns where it was sent next."""
    done = RaterActions(app.test_client(), token).submit(
        invitation_id, {item_keys(app, invitation_id)[0]: "4"}
    )
    assert done.status_code == 303
    return str(done.headers["Location"])


def test_unknown_expired_used_and_foreign_links_look_identical(
    app: Flask, client: FlaskClient
) -> None:
    open_world = build_world(app)
    pages = {"unknown": client.get(f"/r/{UNKNOWN}"), "malformed": client.get("/r/<script>")}
    pages["unknown form"] = client.get(f"/r/{UNKNOWN}/{open_world.boss_invitation}")
    pages["someone else's form"] = client.get(
        f"/r/{open_world.peer_token}/{open_world.boss_invitation}"
    )
    used = f"/r/{open_world.peer_token}"  # Pia's only request, answered in another browser
    _finish(app, open_world.peer_token, open_world.peer_invitation)
    pages["used"] = client.get(used)
    for suffix in ("", "/decline", "/thanks"):
        pages["used " + (suffix or "form")] = client.get(f"{used}/{open_world.peer_invitation}")
    stranger = app.test_client()
    data = {"csrf_token": csrf_of(stranger), "action": "save"}  # any page's token will do
    pages["used, posted"] = stranger.post(f"{used}/{open_world.peer_invitation}", data=data)
    move_deadline(app, open_world.campaign_id, -timedelta(days=15))
    pages["past deadline"] = client.get(f"/r/{open_world.boss_token}")
    pages["past deadline form"] = client.get(
        f"/r/{open_world.boss_token}/{open_world.boss_invitation}"
    )
    for status in (CampaignStatus.CLOSED, CampaignStatus.RELEASED, CampaignStatus.DRAFT):
        set_status(app, open_world.campaign_id, status)
        pages[status.value] = client.get(f"/r/{open_world.peer_token}")
    reference = pages["unknown"].get_data()
    assert b"This link is not active" in reference
    headers = _headers(pages["unknown"])
    for name, page in pages.items():
        assert page.status_code == 404, name
        assert page.get_data() == reference, name
        assert _headers(page) == headers or name == "used, posted", name
    assert b"Tom Lead" not in reference and b"Pia" not in reference


def test_answers_after_close_are_refused_and_nothing_stored(
    app: Flask, client: FlaskClient, world: World
) -> None:
    boss = RaterActions(client, world.boss_token)
    csrf = boss.csrf(world.boss_invitation)  # the form was open when HR closed the campaign
    first = item_keys(app, world.boss_invitation)[0]
    set_status(app, world.campaign_id, CampaignStatus.CLOSED)
    for action in ("submit", "save"):
        page = boss.submit(world.boss_invitation, {first: "4"}, action=action, csrf=csrf)
        assert page.status_code == 404
        assert "If you sent answers from this page just now, they have not been saved." in (
            page.get_data(as_text=True)
        )
    refused = client.post(
        f"/r/{world.boss_token}/{world.boss_invitation}/draft",
        data={"csrf_token": csrf, first: "4"},
    )
    assert refused.status_code == 404
    assert counts(app) == {"responses": 0, "answers": 0, "comments": 0, "drafts": 0, "receipts": 0}
    assert invitation_row(app, world.boss_invitation)["status"] == "pending"


def test_answers_after_the_deadline_are_refused(
    app: Flask, client: FlaskClient, world: World
) -> None:
    peer = RaterActions(client, world.peer_token)
    csrf = peer.csrf(world.peer_invitation)
    first = item_keys(app, world.peer_invitation)[0]
    move_deadline(
        app, world.campaign_id, -timedelta(days=14, minutes=1)
    )  # closes_at now in the past
    page = peer.submit(world.peer_invitation, {first: "4"}, csrf=csrf)
    assert page.status_code == 404
    assert counts(app)["responses"] == 0
    declined = client.post(
        f"/r/{world.peer_token}/{world.peer_invitation}/decline", data={"csrf_token": csrf}
    )
    assert declined.status_code == 404
    assert invitation_row(app, world.peer_invitation)["status"] == "pending"


def test_link_with_one_request_left_lists_the_done_ones(
    app: Flask, client: FlaskClient, world: World
) -> None:
    boss = RaterActions(client, world.boss_token)
    boss.submit(world.boss_invitation, {item_keys(app, world.boss_invitation)[0]: "3"})
    home = boss.home()
    html = home.get_data(as_text=True)
    assert home.status_code == 200
    assert "Submitted" in html and "Not started" in html and "1 of 2 done" in html
    assert "Tom Lead" in html and "Una Other" in html


def test_used_link_shows_the_neutral_page(app: Flask, client: FlaskClient, world: World) -> None:
    boss = RaterActions(client, world.boss_token)
    boss.submit(world.boss_invitation, {item_keys(app, world.boss_invitation)[0]: "3"})
    boss.decline(world.other_subject_invitation, "On leave")
    for page in (
        boss.home(),
        boss.open(world.boss_invitation),
        boss.open(world.other_subject_invitation),
    ):
        html = page.get_data(as_text=True)
        assert page.status_code == 404
        assert "This link is not active" in html
        assert "Tom Lead" not in html and "Una Other" not in html and "Bea Boss" not in html


def test_thanks_after_the_last_request_shows_once_to_the_submitting_browser(
    app: Flask, client: FlaskClient, world: World
) -> None:
    thanks = _finish(app, world.peer_token, world.peer_invitation)  # another browser finishes
    stranger = client.get(thanks)  # this one only has the link
    assert stranger.status_code == 404 and "Tom Lead" not in stranger.get_data(as_text=True)

    laptop = RaterActions(app.test_client(), world.report_token)
    thanks = laptop.submit(
        world.report_invitation, {item_keys(app, world.report_invitation)[0]: "2"}
    ).headers["Location"]
    page = laptop.client.get(thanks)
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Your feedback about Tom Lead has been submitted" in html
    assert "You have answered every request in this round" in html
    assert "Back to your feedback requests" not in html  # the list is gone for good
    again = laptop.client.get(thanks)
    assert again.status_code == 404 and "Tom Lead" not in again.get_data(as_text=True)
    phone = app.test_client()  # a second browser with the same link, after completion
    for path in (thanks, f"/r/{world.report_token}"):
        late = phone.get(path)
        assert late.status_code == 404 and "Tom Lead" not in late.get_data(as_text=True)


def test_thanks_after_declining_the_last_request(
    app: Flask, client: FlaskClient, world: World
) -> None:
    peer = RaterActions(client, world.peer_token)
    declined = peer.decline(world.peer_invitation, "")
    assert declined.status_code == 303
    page = client.get(declined.headers["Location"]).get_data(as_text=True)
    assert "You declined to give feedback about Tom Lead." in page
    assert "You have answered every request in this round" in page
    assert peer.home().status_code == 404


def test_late_post_from_the_browser_that_answered_says_already_submitted(
    app: Flask, client: FlaskClient, world: World
) -> None:
    peer = RaterActions(client, world.peer_token)
    first = item_keys(app, world.peer_invitation)[0]
    data = peer.form_data(world.peer_invitation, {first: "4"})  # the form, open in two tabs
    url = f"/r/{world.peer_token}/{world.peer_invitation}"
    assert client.post(url, data=data).status_code == 303
    second_click = client.post(url, data=data)
    html = second_click.get_data(as_text=True)
    assert second_click.status_code == 409
    assert "Already submitted" in html and "nothing more was stored" in html
    assert "Back to your feedback requests" not in html  # that list is gone now
    autosave = client.post(url + "/draft", data=data)
    assert autosave.status_code == 409
    assert autosave.get_json() == {"error": "These answers were already submitted."}
    assert counts(app)["responses"] == 1


def test_repeated_bad_links_are_rate_limited(app: Flask, client: FlaskClient, world: World) -> None:
    for _ in range(20):
        assert client.get(f"/r/{UNKNOWN}").status_code == 404
    assert client.get(f"/r/{UNKNOWN}").status_code == 429
    blocked = client.get(f"/r/{world.boss_token}")  # the whole link area waits for this client
    assert blocked.status_code == 429
    assert "Too many attempts" in blocked.get_data(as_text=True)
    other_client = app.test_client()
    fresh = other_client.get(f"/r/{world.boss_token}", environ_base={"REMOTE_ADDR": "10.0.0.7"})
    assert fresh.status_code == 200


def test_someone_elses_invitation_counts_as_a_bad_link_on_every_rater_route(
    client: FlaskClient, world: World
) -> None:
    foreign = f"/r/{world.peer_token}/{world.boss_invitation}"  # another rater's invitation
    for _ in range(10):
        assert client.get(foreign).status_code == 404  # as unknown as an unknown link
        assert client.get(foreign + "/decline").status_code == 404
    own = f"/r/{world.peer_token}/{world.peer_invitation}"
    assert client.get(own).status_code == 429
    assert client.get(own + "/decline").status_code == 429


@pytest.mark.parametrize("suffix", ["", "/draft", "/thanks", "/decline"])
def test_an_id_too_large_for_the_database_is_an_unknown_page(
    client: FlaskClient, world: World, suffix: str
) -> None:
    # 2**31: past PostgreSQL's INTEGER ids; 10**20: past any 64-bit integer
    for token, number in itertools.product((world.peer_token, UNKNOWN), (2**31, 10**20)):
        path = f"/r/{token}/{number}{suffix}"
        # not a 500 from the database driver (/draft takes only POST; CSRF comes first)
        assert client.get(path).status_code == (405 if suffix == "/draft" else 404)
        assert client.post(path).status_code in (400, 405 if suffix == "/thanks" else 404)


def test_rater_pages_still_answer_when_the_limit_storage_is_down(
    client: FlaskClient, world: World, monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    from survey.extensions import limiter

    def unavailable(*_args: object, **_kwargs: object) -> bool:
        raise ConnectionError("storage down")

    monkeypatch.setattr(limiter.limiter, "test", unavailable)
    monkeypatch.setattr(limiter.limiter, "hit", unavailable)
    assert client.get(f"/r/{world.peer_token}/{world.peer_invitation}").status_code == 200
    assert client.get(f"/r/{UNKNOWN}").status_code == 404  # still the neutral page, no 500
    assert "Failed to rate limit" in caplog.text  # Flask-Limiter says why in the log


def test_good_links_do_not_use_up_the_limit(client: FlaskClient, world: World) -> None:
    for _ in range(30):
        assert client.get(f"/r/{world.boss_token}").status_code == 200


def test_tokens_never_reach_the_request_log(
    client: FlaskClient, world: World, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    logging.getLogger("werkzeug").info('127.0.0.1 - - "GET /r/%s HTTP/1.1" 200 -', world.boss_token)
    logging.getLogger("werkzeug").info('"GET /r/%s/3/thanks HTTP/1.1" 200 -', world.peer_token)
    assert "/r/[link]" in caplog.text
    assert world.boss_token not in caplog.text and world.peer_token not in caplog.text
