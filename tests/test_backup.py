"""`survey backup create/restore` (issue 7 point 6): an online copy of the live SQLite database,
a restore that checks the file and asks for --yes, and the pg_dump path for PostgreSQL."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskCliRunner

from tests.conftest import TEST_DATABASE_URL
from tests.helpers_rate import build_world, counts, invitation_row
from tests.helpers_reports import worked_example

on_sqlite = pytest.mark.skipif(bool(TEST_DATABASE_URL), reason="SQLite backups")


def people(path: Path) -> int:
    with sqlite3.connect(path) as connection:
        count: int = connection.execute("SELECT count(*) FROM person").fetchone()[0]
    connection.close()
    return count


@on_sqlite
def test_backup_copies_the_live_database(
    app: Flask, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    with app.app_context():
        worked_example()
    target = tmp_path / "backup.sqlite"
    result = runner.invoke(args=["backup", "create", str(target)])
    assert result.exit_code == 0, result.output
    assert f"to {target}" in result.output
    with sqlite3.connect(target) as copy:
        responses = copy.execute("SELECT count(*) FROM response").fetchone()[0]
        answers = copy.execute("SELECT count(*) FROM answer").fetchone()[0]
    copy.close()
    assert (people(target), responses, answers) == (1, 5, 40)
    again = runner.invoke(args=["backup", "create", str(target)])
    assert again.exit_code == 1 and "already exists" in again.output


@on_sqlite
def test_restore_needs_yes_and_brings_the_data_back(
    app: Flask, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    world = build_world(app)
    target = tmp_path / "before.sqlite"
    assert runner.invoke(args=["backup", "create", str(target)]).exit_code == 0
    from survey.models import CampaignStatus
    from tests.helpers_rate import set_status

    set_status(app, world.campaign_id, CampaignStatus.CLOSED)
    refused = runner.invoke(args=["backup", "restore", str(target)])
    assert refused.exit_code == 1 and "add --yes" in refused.output
    restored = runner.invoke(args=["backup", "restore", str(target), "--yes"])
    assert restored.exit_code == 0, restored.output
    with app.app_context():
        from survey.extensions import db
        from survey.models import Campaign

        assert db.session.get(Campaign, world.campaign_id).status is CampaignStatus.OPEN
    assert invitation_row(app, world.peer_invitation)["status"] == "pending"
    assert counts(app)["responses"] == 0


@on_sqlite
@pytest.mark.parametrize(
    ("content", "reason"),
    [(b"not a database at all" * 100, "not a SQLite database"), (None, "not a survey database")],
)
def test_restore_refuses_a_file_that_is_not_a_survey_database(
    app: Flask, runner: FlaskCliRunner, tmp_path: Path, content: bytes | None, reason: str
) -> None:
    build_world(app)
    bad = tmp_path / "bad.sqlite"
    if content is None:
        with sqlite3.connect(bad) as other:
            other.execute("CREATE TABLE notes (id INTEGER)")
        other.close()
    else:
        bad.write_bytes(content)
    result = runner.invoke(args=["backup", "restore", str(bad), "--yes"])
    assert result.exit_code == 1 and reason in result.output
    assert counts(app) == {"responses": 0, "answers": 0, "comments": 0, "drafts": 0, "receipts": 0}
    assert invitation_row(app, 1)["status"] == "pending"


def test_postgresql_points_to_pg_dump(
    app_config: dict[str, object], runner: FlaskCliRunner, tmp_path: Path
) -> None:
    from survey import create_app

    pg = create_app({**app_config, "SQLALCHEMY_DATABASE_URI": "postgresql://u:secret@db:5432/s"})
    result = pg.test_cli_runner().invoke(args=["backup", "create", str(tmp_path / "x")])
    assert result.exit_code == 1
    assert "pg_dump -Fc" in result.output and "pg_restore" in result.output
    assert "secret" not in result.output
    assert len(result.output.strip().splitlines()) == 1
