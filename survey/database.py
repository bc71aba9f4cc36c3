"""Database binding: Flask-SQLAlchemy plus SQLite settings for concurrent use."""

from __future__ import annotations

from typing import Any

from flask import Flask
from sqlalchemy import event

from survey.extensions import db


def init_app(app: Flask) -> None:
    """Bind the database; SQLite gets WAL, a busy timeout, enforced foreign keys, no pre-ping."""
    uri: str = app.config["SQLALCHEMY_DATABASE_URI"]
    if uri.startswith("sqlite"):
        options = dict(app.config.get("SQLALCHEMY_ENGINE_OPTIONS", {}))
        connect_args = dict(options.get("connect_args", {}))
        connect_args.setdefault("timeout", 30)
        options["connect_args"] = connect_args
        # A SQLite file cannot drop a connection: the ping before each checkout (a SELECT 1 on
        # every request) is only worth it for a database server.
        options["pool_pre_ping"] = False
        app.config["SQLALCHEMY_ENGINE_OPTIONS"] = options
    db.init_app(app)
    with app.app_context():
        engine = db.engine
        if engine.dialect.name == "sqlite" and not event.contains(
            engine, "connect", _sqlite_pragmas
        ):
            event.listen(engine, "connect", _sqlite_pragmas)
    from survey import models  # noqa: F401  (register the tables on the metadata)


def _sqlite_pragmas(dbapi_connection: Any, connection_record: Any) -> None:
    """WAL lets readers run beside one writer; busy_timeout waits instead of failing."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA secure_delete=ON")  # deleted drafts are overwritten, not left behind
    cursor.execute("PRAGMA busy_timeout=30000")
    if not _is_memory(dbapi_connection):
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _is_memory(dbapi_connection: Any) -> bool:
    cursor = dbapi_connection.cursor()
    rows = cursor.execute("PRAGMA database_list").fetchall()
    cursor.close()
    return any(row[1] == "main" and not row[2] for row in rows)


def purge_deleted_rows() -> None:
    """After a committed close: make deleted rows unrecoverable from the database files.

    SQLite: checkpoint and truncate the write-ahead log (it still holds deleted draft pages).
    PostgreSQL: VACUUM the response tables so the rows replaced at sealing are gone from disk,
    and ANALYZE the frozen report tables close filled.
    """
    engine = db.engine
    with engine.connect() as connection:
        if engine.dialect.name == "sqlite":
            connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        elif engine.dialect.name == "postgresql":
            autocommit = connection.execution_options(isolation_level="AUTOCOMMIT")
            autocommit.exec_driver_sql('VACUUM response, answer, "comment", draft')
            # fresh statistics for the rows close just wrote, for the plans of the reads after it
            autocommit.exec_driver_sql("ANALYZE report_snapshot, org_norms")
