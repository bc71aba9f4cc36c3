"""Security review: what the database files still link once a campaign is closed (SPEC §6).

Found by review while a campaign is open (README says so, under "what the database itself can
reveal"): on SQLite the deleted draft's page image stays in `<db>-wal` after submit; on
PostgreSQL the response, its answers, the receipt and the invitation's status change share the
hidden system column `xmin`. Closing seals the campaign (survey.services.sealing and
survey.database.purge_deleted_rows): unsubmitted drafts deleted, the SQLite WAL truncated,
PostgreSQL responses rewritten in the closing transaction and vacuumed. These tests attack the
database files after close.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import text

from survey.database import purge_deleted_rows
from survey.extensions import db
from survey.models import Campaign, utcnow
from survey.services.lifecycle import close_campaign
from survey.tasks import freeze_reports
from tests.helpers_rate import RaterActions, build_world, item_keys

MARKER = "MARKER-only-this-peer-wrote-this"


def _dialect(app: Flask) -> str:
    with app.app_context():
        return db.engine.dialect.name


def _peer_submits_after_a_draft(app: Flask) -> tuple[int, dict[str, str], int]:
    world = build_world(app)
    client = app.test_client()
    # another rater keeps a draft open, as in any real campaign
    other = RaterActions(client, world.report_token)
    other.autosave(
        world.report_invitation, dict.fromkeys(item_keys(app, world.report_invitation), "3")
    )
    peer = RaterActions(client, world.peer_token)
    keys = item_keys(app, world.peer_invitation)
    answers = {key: str(1 + i % 5) for i, key in enumerate(keys)}
    assert peer.autosave(world.peer_invitation, answers, {"keep_doing": MARKER}).status_code == 200
    assert peer.submit(world.peer_invitation, answers, {"keep_doing": MARKER}).status_code == 303
    return world.peer_invitation, answers, world.campaign_id


def _close(app: Flask, campaign_id: int, how: str = "cli") -> None:
    """HR closes the campaign the way the CLI does (seal and freeze in the closing transaction)
    or the way the HR page does (commit the close; the job run after it seals, then freezes)."""
    with app.app_context():
        campaign = db.session.get(Campaign, campaign_id)
        if how == "cli":
            close_campaign(campaign, utcnow())
            db.session.commit()
            purge_deleted_rows()
            return
        close_campaign(campaign, utcnow(), freeze=False, seal=False)
        db.session.commit()
        freeze_reports(campaign_id)


@pytest.mark.parametrize("how", ["cli", "hr page"])
def test_sqlite_files_keep_no_draft_after_close(app: Flask, how: str) -> None:
    if _dialect(app) != "sqlite":
        pytest.skip("SQLite file check")
    invitation_id, answers, campaign_id = _peer_submits_after_a_draft(app)
    _close(app, campaign_id, how)
    with app.app_context():
        path = Path(db.engine.url.database)
    raw = b"".join(p.read_bytes() for p in sorted(path.parent.glob(path.name + "*")))
    found = re.search(rb'\{"keep_doing": "' + MARKER.encode(), raw)
    if found:  # the record body: ..., invitation_id (1 byte here), answers JSON, comments JSON
        start = raw.rfind(b'{"tl_', 0, found.start())
        assert raw[start - 1] == invitation_id
        assert raw[start : found.start()].decode() == json.dumps(answers)
    assert found is None, f"draft of invitation {invitation_id} still in the database files"


@pytest.mark.parametrize("how", ["cli", "hr page"])
def test_postgres_rows_do_not_link_a_response_to_its_invitation_after_close(
    app: Flask, how: str
) -> None:
    if _dialect(app) != "postgresql":
        pytest.skip("run with TEST_DATABASE_URL=postgresql+psycopg://...")
    invitation_id, _, campaign_id = _peer_submits_after_a_draft(app)
    _close(app, campaign_id, how)
    with app.app_context():
        linked = db.session.execute(
            text(
                "SELECT r.id, s.invitation_id, p.email FROM response r "
                "JOIN submission_receipt s ON s.xmin = r.xmin "
                "JOIN invitation i ON i.id = s.invitation_id AND i.xmin = r.xmin "
                "JOIN rater ra ON ra.id = i.rater_id JOIN person p ON p.id = ra.person_id"
            )
        ).all()
        comment = db.session.execute(
            text(
                "SELECT c.text FROM comment c JOIN response r ON r.id = c.response_id "
                "WHERE r.id = :id"
            ),
            {"id": linked[0][0]} if linked else {"id": ""},
        ).scalar()
    assert not linked, (
        f"response linked to {linked[0][2]} (invitation {invitation_id}): {comment!r}"
    )
