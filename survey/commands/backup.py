"""`survey backup create FILE` / `survey backup restore FILE --yes` (issue 7 point 6).

SQLite: `create` copies the live database with sqlite3's online backup API (consistent while the
app keeps serving, WAL included); `restore` checks the file is a survey database, then copies it
back over the configured one, only with `--yes`. Stop the app before a restore. A backup file
is always new (an existing path, symbolic links included, is refused) and mode 0600. PostgreSQL:
backups belong to `pg_dump -Fc` / `pg_restore`; both commands print those and exit non-zero.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import click

from survey.cli import SurveyGroup
from survey.commands.files import create_private_file
from survey.errors import SurveyError
from survey.extensions import db

backup_cli = SurveyGroup("backup", help="Back up and restore the database (SQLite; see pg_dump).")
REQUIRED_TABLES = {"campaign", "person", "response", "answer", "invitation"}


class BackupError(SurveyError):
    """A backup or restore that cannot be done as asked."""


def sqlite_path() -> Path:
    """The configured SQLite file; BackupError naming pg_dump/pg_restore for PostgreSQL.

    The path is the one the app opens: Flask-SQLAlchemy puts a relative SQLite path in the
    instance folder.
    """
    url = db.engine.url
    if url.get_backend_name() == "postgresql":
        target = url.render_as_string(hide_password=True).replace("+psycopg", "")
        raise BackupError(
            "PostgreSQL: use `pg_dump -Fc -f survey.dump "
            f"{target}` and `pg_restore --clean --if-exists -d {target} survey.dump`"
        )
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        raise BackupError("only a SQLite file database can be backed up with this command")
    return Path(url.database)


def copy_database(source: Path, target: Path) -> int:
    """Online-backup `source` into `target` (replaced); returns the pages copied."""
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
        pages: int = dst.execute("PRAGMA page_count").fetchone()[0]
    src.close()
    dst.close()
    return pages


def check_survey_database(path: Path) -> None:
    """BackupError unless `path` is a readable SQLite file holding the survey tables."""
    if not path.is_file():
        raise BackupError(f"{path} does not exist")
    try:
        connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master")}
            integrity = connection.execute("PRAGMA quick_check").fetchone()[0]
        finally:
            connection.close()
    except sqlite3.DatabaseError as error:
        raise BackupError(f"{path} is not a SQLite database ({error})") from None
    missing = REQUIRED_TABLES - tables
    if missing:
        raise BackupError(f"{path} is not a survey database (missing {', '.join(sorted(missing))})")
    if integrity != "ok":
        raise BackupError(f"{path} fails SQLite's integrity check: {integrity}")


@backup_cli.command("create")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
def create_backup(file: Path) -> None:
    """Copy the live SQLite database to FILE (safe while the app runs)."""
    source = sqlite_path()
    if not source.is_file():  # sqlite3 would create it empty
        raise BackupError(f"the database {source} does not exist")
    # created empty first, 0600 and never through a symbolic link; the copy then fills it
    os.close(create_private_file(file, "choose a new file name"))
    try:
        pages = copy_database(source, file)
        _use_rollback_journal(file)
        check_survey_database(file)
    except BaseException:
        file.unlink(missing_ok=True)
        raise
    click.echo(f"Backed up {source} to {file} ({pages} pages).")


def _use_rollback_journal(path: Path) -> None:
    """Keep the backup one self-contained file: WAL mode would leave -wal/-shm files beside it
    whenever it is opened."""
    connection = sqlite3.connect(path)
    try:
        connection.execute("PRAGMA journal_mode=DELETE")
    finally:
        connection.close()


@backup_cli.command("restore")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Really replace the current database.")
def restore_backup(file: Path, yes: bool) -> None:
    """Replace the SQLite database with FILE (a backup); stop the app first."""
    target = sqlite_path()
    check_survey_database(file)
    if not yes:
        raise BackupError(f"this replaces {target} and everything in it; add --yes to go ahead")
    db.session.remove()
    db.engine.dispose()
    copy_database(file, target)
    click.echo(f"Restored {target} from {file}.")
