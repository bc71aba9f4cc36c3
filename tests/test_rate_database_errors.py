"""A database that is locked in the middle of a submission gets the rater a clear page: "your
answers have not been sent yet", 503 with Retry-After, nothing half-written, and the retry goes
through (SPEC §6). On SQLite a write lock held elsewhere; on PostgreSQL (TEST_DATABASE_URL) a
lock wait that times out."""

from __future__ import annotations

import sqlite3
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import create_engine, event, text

from survey.extensions import db
from tests.helpers_rate import RaterActions, build_world, counts, invitation_row, item_keys


def _short_waits(app: Flask) -> Any:
    """New connections of the app give up on a lock after a fraction of a second."""
    with app.app_context():
        engine = db.engine
        db.session.remove()
        engine.dispose()

        @event.listens_for(engine, "connect")
        def _short(dbapi_connection: Any, _record: Any) -> None:
            cursor = dbapi_connection.cursor()
            if engine.dialect.name == "sqlite":
                cursor.execute("PRAGMA busy_timeout=200")
            else:
                cursor.execute("SET lock_timeout = '300ms'")
            cursor.close()
            if engine.dialect.name != "sqlite":
                dbapi_connection.commit()

        return engine.url


def test_a_locked_database_mid_submit_keeps_the_answers(app: Flask, client: FlaskClient) -> None:
    world = build_world(app)
    rater = RaterActions(client, world.peer_token)
    data = rater.form_data(
        world.peer_invitation, {k: "4" for k in item_keys(app, world.peer_invitation)}
    )
    url = _short_waits(app)
    path = f"/r/{world.peer_token}/{world.peer_invitation}"
    if url.get_backend_name() == "sqlite":
        holder = sqlite3.connect(url.database, isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")  # the database's write lock, held
        try:
            page = client.post(path, data=data)
        finally:
            holder.rollback()
            holder.close()
    else:
        engine = create_engine(url.render_as_string(hide_password=False))
        try:
            with engine.connect() as holder:
                holder.execute(text("SELECT id FROM campaign FOR UPDATE"))  # blocks FOR SHARE
                page = client.post(path, data=data)
                holder.rollback()
        finally:
            engine.dispose()
    assert page.status_code == 503
    assert page.headers["Retry-After"] == "60"
    assert "answers have not been sent" in page.get_data(as_text=True)
    assert counts(app)["responses"] == counts(app)["receipts"] == 0
    assert invitation_row(app, world.peer_invitation)["status"] == "pending"
    retry = client.post(path, data=data)
    assert retry.status_code == 303
    assert counts(app)["responses"] == counts(app)["receipts"] == 1
    assert invitation_row(app, world.peer_invitation)["status"] == "submitted"
