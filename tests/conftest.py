"""Shared fixtures: an app on a fresh database (SQLite by default, PostgreSQL when
TEST_DATABASE_URL is set), its client and CLI runner, and a mail outbox folder."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import create_engine, text

from survey import create_app
from survey.extensions import db

TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL", "")


def pytest_configure(config: pytest.Config) -> None:
    """When a PostgreSQL run is asked for, an unreachable server fails the run (never skips)."""
    if TEST_DATABASE_URL.startswith("postgres"):
        engine = create_engine(_psycopg(TEST_DATABASE_URL))
        try:
            with engine.connect() as connection:
                connection.execute(text("SELECT 1"))
        except Exception as error:  # noqa: BLE001 - report any connection failure plainly
            raise pytest.UsageError(
                f"TEST_DATABASE_URL={TEST_DATABASE_URL} is unreachable: {error}"
            ) from error
        finally:
            engine.dispose()


def _psycopg(url: str) -> str:
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def database_url(tmp_path: Path) -> str:
    """The database a test runs on: the PostgreSQL test database, or a fresh SQLite file."""
    if TEST_DATABASE_URL:
        return _psycopg(TEST_DATABASE_URL)
    return f"sqlite:///{tmp_path / 'test.sqlite'}"


def wait_for_background_freezes(timeout: float = 120.0) -> None:
    """Join the threads the HR page's close starts to freeze reports (no Redis in tests).

    Called before an app's engine is disposed: a freeze still running would otherwise return
    its connection to the discarded pool, where it is garbage-collected while open (psycopg's
    ResourceWarning, an error here) or holds a lock the next test's schema reset waits on.
    """
    for thread in threading.enumerate():
        if thread.name.startswith("freeze-campaign-"):
            thread.join(timeout)
            assert not thread.is_alive(), f"{thread.name} still running after {timeout} s"


def reset_postgres(url: str) -> None:
    """Drop every table in the PostgreSQL test database (tests there run one at a time)."""
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()


@pytest.fixture
def outbox(tmp_path: Path) -> Path:
    """The folder the file mail backend writes `.eml` files to."""
    path = tmp_path / "outbox"
    path.mkdir()
    return path


@pytest.fixture
def app_config(tmp_path: Path, outbox: Path) -> dict[str, object]:
    """Test configuration; tests may change it before `app` is built."""
    return {
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "SQLALCHEMY_DATABASE_URI": database_url(tmp_path),
        "MAIL_OUTBOX": str(outbox),
        "BASE_URL": "http://localhost",
        "RATELIMIT_ENABLED": True,
    }


@pytest.fixture
def app(app_config: dict[str, object]) -> Iterator[Flask]:
    """An app with the schema created from the models."""
    uri = str(app_config["SQLALCHEMY_DATABASE_URI"])
    if uri.startswith("postgres"):
        reset_postgres(uri)
    application = create_app(app_config)
    with application.app_context():
        db.create_all()
    yield application
    wait_for_background_freezes()
    with application.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def runner(app: Flask) -> FlaskCliRunner:
    return app.test_cli_runner()
