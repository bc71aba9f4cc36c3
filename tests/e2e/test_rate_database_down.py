"""The database goes down while a rater answers: nothing typed is lost (issue 7 point 2).

The rater answers with autosave failing, submits into a 503 page that says the answers are
kept in this browser, comes back once the database is up, finds every answer filled in again,
and submits. The browser's copy is gone afterwards. The page runs under the real CSP.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from survey.extensions import db
from survey.models import Answer, Comment
from tests.e2e.conftest import LiveServer
from tests.helpers_rate import build_world, counts, item_keys
from tests.helpers_server import break_database

COMMENT = "Gives clear priorities every Monday."


def stored_answers(app: Flask) -> tuple[dict[str, int | None], list[str]]:
    with app.app_context():
        answers = {a.item: a.value for a in db.session.scalars(select(Answer))}
        comments = [c.text for c in db.session.scalars(select(Comment))]
    return answers, comments


def test_answers_survive_a_database_outage(
    app: Flask,
    live_server: LiveServer,
    make_page: Callable[..., Any],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    world = build_world(app)
    keys = item_keys(app, world.peer_invitation)[:3]
    form_url = f"{live_server.url}/r/{world.peer_token}/{world.peer_invitation}"
    page = make_page(bypass_csp=False)
    page.goto(form_url)
    break_database(app, monkeypatch)

    for key, value in zip(keys, ("2", "4", "na"), strict=True):
        page.check(f"input[name='{key}'][value='{value}']")
    page.fill("textarea[name='comment-keep_doing']", COMMENT)
    page.wait_for_function(
        "() => /Not saved/.test(document.getElementById('save-status').textContent)"
    )
    page.click("button[value='submit']")
    page.wait_for_load_state()
    assert "Please retry in a moment" in page.title()
    assert "kept in this browser" in page.inner_text("main")

    monkeypatch.undo()  # the database is back
    assert counts(app)["responses"] == 0 and counts(app)["drafts"] == 0
    page.click("text=Back to the form")
    page.wait_for_function(
        "() => /Restored/.test(document.getElementById('save-status').textContent)"
    )
    assert page.is_checked(f"input[name='{keys[0]}'][value='2']")
    assert page.is_checked(f"input[name='{keys[1]}'][value='4']")
    assert page.is_checked(f"input[name='{keys[2]}'][value='na']")
    assert page.input_value("textarea[name='comment-keep_doing']") == COMMENT

    page.click("button[value='submit']")
    page.wait_for_url("**/thanks")
    answers, comments = stored_answers(app)
    assert answers == {keys[0]: 2, keys[1]: 4, keys[2]: None}
    assert comments == [COMMENT]
    assert page.evaluate("() => Object.keys(localStorage).length") == 0


def test_a_newer_server_draft_wins_over_an_older_browser_copy(
    app: Flask, live_server: LiveServer, make_page: Callable[..., Any]
) -> None:
    world = build_world(app)
    key = item_keys(app, world.peer_invitation)[0]
    form_url = f"{live_server.url}/r/{world.peer_token}/{world.peer_invitation}"
    page = make_page(bypass_csp=False)
    page.goto(form_url)
    page.check(f"input[name='{key}'][value='5']")
    page.wait_for_function(
        "() => /Draft saved/.test(document.getElementById('save-status').textContent)"
    )
    page.evaluate(
        "([k, item]) => localStorage.setItem(k, JSON.stringify("
        "{saved: Date.now() - 3600e3, synced: false, values: {[item]: '1'}}))",
        [f"survey-answers:/r/{world.peer_token}/{world.peer_invitation}", key],
    )
    page.reload()
    assert page.is_checked(f"input[name='{key}'][value='5']")
    assert "Restored" not in page.inner_text("#save-status")
