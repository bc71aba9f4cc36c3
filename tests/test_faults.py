"""Faults, issue 7 point 2: a worker killed mid-submission, and a database that is unreachable.

The kill test runs the real app under gunicorn; a test-only server hook (in the test's own
gunicorn config, never in the product) pauses the one worker that has just written a response,
before its commit, and writes its pid to a file; the test SIGKILLs that pid. Nothing of the
half-done submission may remain, and the rater's retry with the same form must succeed.
"""

from __future__ import annotations

import os
import signal
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from survey.extensions import db
from tests.helpers_rate import RaterActions, build_world, counts, invitation_row, item_keys
from tests.helpers_server import GunicornServer, HttpRater, Reply, break_database, submission

# Appended to the project's gunicorn.conf.py for this test only.
PAUSE_BEFORE_COMMIT = '''
PAUSE_FILE = {pause_file!r}


def post_worker_init(worker):
    """Test only: hold the first transaction that wrote a Response just before its commit."""
    import time

    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    @event.listens_for(Engine, "after_cursor_execute")
    def _mark(conn, cursor, statement, parameters, context, executemany):
        if statement.startswith("INSERT INTO response "):
            conn.info["wrote_response"] = True

    @event.listens_for(Engine, "commit")
    def _pause(conn):
        if conn.info.pop("wrote_response", False) and not os.path.exists(PAUSE_FILE):
            with open(PAUSE_FILE, "w") as marker:
                marker.write(str(os.getpid()))
            time.sleep(120)
'''


def wait_for(path: Path, seconds: float = 30) -> str:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if path.exists() and path.read_text():
            return path.read_text()
        time.sleep(0.05)
    raise AssertionError(f"{path} never appeared")


@pytest.mark.slow
def test_worker_killed_mid_submission_leaves_nothing_and_retry_succeeds(
    app: Flask, tmp_path: Path
) -> None:
    world = build_world(app)
    keys = item_keys(app, world.peer_invitation)
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
    pause_file = tmp_path / "paused.pid"
    extra = PAUSE_BEFORE_COMMIT.format(pause_file=str(pause_file))
    url = str(app.config["SQLALCHEMY_DATABASE_URI"])
    with GunicornServer(url, tmp_path, workers=2, extra_config=extra) as server:
        rater = HttpRater(server.url, world.peer_token, timeout=150)
        page, csrf = rater.form(world.peer_invitation)
        assert page.status == 200 and csrf
        data = submission(csrf, keys, comment="Explains the why behind priorities.")
        outcome: dict[str, Any] = {}

        def first_attempt() -> None:
            try:
                outcome["reply"] = rater.post_form(world.peer_invitation, data)
            except OSError as error:  # the worker died with the connection open
                outcome["error"] = error

        thread = threading.Thread(target=first_attempt)
        thread.start()
        pid = int(wait_for(pause_file))
        assert counts(app)["responses"] == 0  # paused before its commit
        os.kill(pid, signal.SIGKILL)
        thread.join(timeout=30)
        assert "reply" not in outcome or outcome["reply"].status >= 500
        assert counts(app) == {
            "responses": 0, "answers": 0, "comments": 0, "drafts": 0, "receipts": 0,
        }  # fmt: skip
        assert invitation_row(app, world.peer_invitation)["status"] == "pending"

        retry: Reply = rater.post_form(world.peer_invitation, data)
        assert retry.status == 303 and retry.location.endswith("/thanks")
        again = rater.post_form(world.peer_invitation, data)
        assert again.status == 409
        server.wait_for_log("Booting worker", 3)  # gunicorn replaced the killed worker
    assert counts(app) == {
        "responses": 1, "answers": len(keys), "comments": 1, "drafts": 0, "receipts": 1,
    }  # fmt: skip
    assert invitation_row(app, world.peer_invitation)["status"] == "submitted"


def test_database_down_on_submit_says_answers_are_kept(
    app: Flask, client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    world = build_world(app)
    rater = RaterActions(client, world.peer_token)
    keys = item_keys(app, world.peer_invitation)
    data = rater.form_data(world.peer_invitation, {key: "4" for key in keys})
    break_database(app, monkeypatch)
    reply = client.post(f"/r/{world.peer_token}/{world.peer_invitation}", data=data)
    page = reply.get_data(as_text=True)
    assert reply.status_code == 503
    assert reply.headers["Retry-After"] == "60"
    assert "Your answers have not been sent yet" in page
    assert "kept in this browser" in page
    assert "Traceback" not in page and "OperationalError" not in page
    monkeypatch.undo()
    assert counts(app)["responses"] == 0
    retry = client.post(f"/r/{world.peer_token}/{world.peer_invitation}", data=data)
    assert retry.status_code == 303
    assert counts(app)["responses"] == 1


def test_database_down_on_autosave_answers_503_json(
    app: Flask, client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    world = build_world(app)
    rater = RaterActions(client, world.peer_token)
    data = rater.form_data(world.peer_invitation, {}, {"keep_doing": "Listening"}, action="")
    break_database(app, monkeypatch)
    reply = client.post(f"/r/{world.peer_token}/{world.peer_invitation}/draft", data=data)
    assert reply.status_code == 503
    assert "kept in this browser" in reply.get_json()["error"]


def test_database_down_on_a_rater_page_asks_to_retry(
    app: Flask, client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    world = build_world(app)
    break_database(app, monkeypatch)
    reply = client.get(f"/r/{world.peer_token}/{world.peer_invitation}")
    page = reply.get_data(as_text=True)
    assert reply.status_code == 503
    assert "Please retry in a moment" in page and "Traceback" not in page
