"""The migrations build the same schema as the models, on SQLite and on PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask import Flask
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect

from survey import create_app
from survey.extensions import db
from tests.conftest import database_url, reset_postgres


@pytest.fixture
def empty_app(tmp_path: Path) -> Iterator[Flask]:
    """An app on an empty database: no tables until the migrations run."""
    uri = database_url(tmp_path)
    if uri.startswith("postgres"):
        reset_postgres(uri)
    app = create_app({"TESTING": True, "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": uri})
    yield app
    with app.app_context():
        db.engine.dispose()


def test_upgrade_builds_schema_matching_the_models(empty_app: Flask) -> None:
    app = empty_app
    with app.app_context():
        upgrade()
        with db.engine.connect() as connection:
            context = MigrationContext.configure(
                connection, opts={"compare_type": True, "render_as_batch": True}
            )
            differences = compare_metadata(context, db.metadata)
        assert differences == [], f"models and migrations disagree: {differences}"
        tables = set(inspect(db.engine).get_table_names())
    assert {"person", "campaign", "invitation", "response", "answer", "comment"} <= tables


def test_downgrade_to_base_removes_every_table(empty_app: Flask) -> None:
    app = empty_app
    with app.app_context():
        upgrade()
        downgrade(revision="base")
        remaining = set(inspect(db.engine).get_table_names()) - {"alembic_version"}
    assert remaining == set()


@pytest.mark.skipif(
    not database_url(Path("/tmp")).startswith("sqlite"), reason="SQLite storage detail"
)
def test_response_tables_have_no_rowid_on_sqlite(empty_app: Flask) -> None:
    """SQLite's implicit rowid would keep responses in submission order; SPEC §6 forbids it."""
    with empty_app.app_context():
        upgrade()
        with db.engine.connect() as connection:
            for table in ("response", "answer", "comment"):
                sql = connection.exec_driver_sql(
                    "SELECT sql FROM sqlite_master WHERE name = ?", (table,)
                ).scalar_one()
                assert "WITHOUT ROWID" in sql.upper(), table
