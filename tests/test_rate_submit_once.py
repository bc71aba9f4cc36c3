"""Submitting happens once: double clicks, replays, second browsers and races (SPEC §6)."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from survey.services import responses
from tests.helpers_rate import RaterActions, World, build_world, counts, invitation_row, item_keys


@pytest.fixture
def world(app: Flask) -> World:
    return build_world(app)


def test_same_form_posted_twice_stores_one_response(
    app: Flask, client: FlaskClient, world: World
) -> None:
    boss = RaterActions(client, world.boss_token)
    first, second = item_keys(app, world.boss_invitation)[:2]
    data = boss.form_data(
        world.boss_invitation, {first: "4", second: "5"}, {"keep_doing": "Coaching"}
    )
    url = f"/r/{world.boss_token}/{world.boss_invitation}"
    assert client.post(url, data=data).status_code == 303
    replay = client.post(url, data=data)
    html = replay.get_data(as_text=True)
    assert replay.status_code == 409
    assert "Already submitted" in html and "nothing more was stored" in html
    assert counts(app) == {"responses": 1, "answers": 2, "comments": 1, "drafts": 0, "receipts": 1}


def test_second_browser_gets_already_submitted(app: Flask, world: World) -> None:
    laptop = RaterActions(app.test_client(), world.peer_token)
    phone = RaterActions(app.test_client(), world.peer_token)
    first = item_keys(app, world.peer_invitation)[0]
    phone_csrf = phone.csrf(world.peer_invitation)  # opened on the phone, left there
    laptop.submit(world.peer_invitation, {first: "2"})
    late = phone.submit(world.peer_invitation, {first: "5"}, csrf=phone_csrf)
    assert late.status_code == 409 and "Already submitted" in late.get_data(as_text=True)
    assert counts(app)["responses"] == 1


def test_draft_save_after_submit_is_refused(app: Flask, client: FlaskClient, world: World) -> None:
    boss = RaterActions(client, world.boss_token)
    first = item_keys(app, world.boss_invitation)[0]
    csrf = boss.csrf(world.boss_invitation)
    boss.submit(world.boss_invitation, {first: "3"}, csrf=csrf)
    late = client.post(
        f"/r/{world.boss_token}/{world.boss_invitation}/draft",
        data={"csrf_token": csrf, first: "1"},
    )
    assert late.status_code == 409
    assert late.get_json() == {"error": "These answers were already submitted."}
    assert counts(app)["drafts"] == 0


def test_decline_after_submit_keeps_the_submission(
    app: Flask, client: FlaskClient, world: World
) -> None:
    boss = RaterActions(client, world.boss_token)
    boss.submit(world.boss_invitation, {item_keys(app, world.boss_invitation)[0]: "3"})
    page = client.post(
        f"/r/{world.boss_token}/{world.boss_invitation}/decline",
        data={"csrf_token": boss.csrf(world.other_subject_invitation), "reason": "oops"},
    )
    assert page.status_code == 409
    assert invitation_row(app, world.boss_invitation) == {
        "status": "submitted",
        "decline_reason": None,
    }


def _race(app: Flask, world: World, monkeypatch: pytest.MonkeyPatch) -> list[TestResponse]:
    """Two browsers submit the same invitation at once; both pass every check before writing."""
    barrier = threading.Barrier(2, timeout=10)
    original: Callable[[int], None] = responses._write_receipt

    def both_arrive_then_write(invitation_id: int) -> None:
        barrier.wait()  # neither request has written anything yet
        original(invitation_id)

    monkeypatch.setattr(responses, "_write_receipt", both_arrive_then_write)
    first = item_keys(app, world.boss_invitation)[0]
    raters = [RaterActions(app.test_client(), world.boss_token) for _ in range(2)]
    forms = [r.form_data(world.boss_invitation, {first: str(n + 3)}) for n, r in enumerate(raters)]
    results: list[TestResponse] = []
    url = f"/r/{world.boss_token}/{world.boss_invitation}"

    def post(rater: RaterActions, data: dict[str, str]) -> None:
        results.append(rater.client.post(url, data=data))

    threads = [threading.Thread(target=post, args=pair) for pair in zip(raters, forms, strict=True)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def test_concurrent_submits_store_exactly_one_response(
    app: Flask, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    results = _race(app, world, monkeypatch)
    assert sorted(r.status_code for r in results) == [303, 409]
    loser = next(r for r in results if r.status_code == 409)
    assert "Already submitted" in loser.get_data(as_text=True)
    assert counts(app) == {"responses": 1, "answers": 1, "comments": 0, "drafts": 0, "receipts": 1}
    assert invitation_row(app, world.boss_invitation)["status"] == "submitted"
