"""Security review: sign-in link tokens (`/link/<token>`) reach the development and app logs.

Found by review: the werkzeug request log and the app logger used to redact `/r/` only. Now
`survey.logs.init_app` installs `RedactTokens` (both `/r/` and `/link/`) on both, as gunicorn's
error log already had; and the engine hides SQL parameters, so a database error never copies
answers or comments into a log.
"""

from __future__ import annotations

import logging

import pytest
from flask import Flask

from survey.tokens import new_token


class _Capture(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))  # message + traceback, as a log file gets it


@pytest.mark.parametrize("logger_name", ["werkzeug", "app"])
def test_sign_in_link_tokens_never_reach_a_log(app: Flask, logger_name: str) -> None:
    logger = app.logger if logger_name == "app" else logging.getLogger("werkzeug")
    capture = _Capture()
    logger.addHandler(capture)
    old_level = logger.level
    logger.setLevel(logging.INFO)
    token, rater_token = new_token(), new_token()
    try:
        logger.info('127.0.0.1 - - "GET /r/%s/7 HTTP/1.1" 200 -', rater_token)
        logger.error("Exception on /link/%s [POST]", token)
    finally:
        logger.removeHandler(capture)
        logger.setLevel(old_level)
    assert rater_token not in capture.lines[0]  # rater links are redacted...
    assert token not in capture.lines[1], capture.lines[1]  # ...sign-in links are not


def test_a_failed_submit_logs_nothing_that_links_rater_and_text(app: Flask) -> None:
    from survey.extensions import db
    from tests.helpers_rate import RaterActions, build_world, item_keys

    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            pytest.skip("run with TEST_DATABASE_URL=postgresql+psycopg://...")
    app.config["PROPAGATE_EXCEPTIONS"] = False
    world = build_world(app)
    capture = _Capture()
    app.logger.addHandler(capture)
    try:
        peer = RaterActions(app.test_client(), world.peer_token)
        answers = dict.fromkeys(item_keys(app, world.peer_invitation), "4")
        reply = peer.submit(world.peer_invitation, answers, {"keep_doing": "Tom hoards work\x00"})
    finally:
        app.logger.removeHandler(capture)
    logged = "\n".join(capture.lines)
    assert reply.status_code == 303  # the NUL is dropped at the request edge: answers kept
    assert "Tom hoards work" not in logged, logged[-600:]


def test_database_errors_never_carry_sql_parameters(app: Flask) -> None:
    """A failing statement's message (what a 500 logs) hides the values it was given."""
    from sqlalchemy import text
    from sqlalchemy.exc import DBAPIError

    from survey.extensions import db

    with app.app_context():
        with pytest.raises(DBAPIError) as failure:
            db.session.execute(
                text("INSERT INTO person (id, email) VALUES (:i, :e)"),
                {"i": "not a number", "e": "secret words of a rater"},
            )
        db.session.rollback()
    assert "secret words of a rater" not in str(failure.value)
