"""The demo's files: a SQLite database marked as the demo's, and the outbox folder beside it.

The mark is SQLite's own header field for this, `PRAGMA application_id`, set to "360D" when the
demo creates the file. `survey demo` replaces a database only when it carries that mark (or with
`--force`), so pointing `--database` at a real database by mistake destroys nothing.
"""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path
from urllib.parse import quote

from survey.errors import SurveyError

DEMO_APPLICATION_ID = int.from_bytes(b"360D", "big")  # 0x33363044
SIDECARS = ("-wal", "-shm", "-journal")


class DemoFileError(SurveyError):
    """The demo would replace a file it did not make."""


def outbox_of(database: Path) -> Path:
    """The folder beside `database` that the file mail backend writes to: `<stem>-outbox/`."""
    return database.parent / f"{database.stem}-outbox"


def is_demo_database(path: Path) -> bool:
    """True when `path` is a SQLite file carrying the demo's mark; never writes to the file."""
    # immutable=1: SQLite reads the main file only, takes no locks, creates no -wal/-shm files
    uri = f"file:{quote(str(path.absolute()))}?mode=ro&immutable=1"
    try:
        connection = sqlite3.connect(uri, uri=True)
        try:
            application_id: int = connection.execute("PRAGMA application_id").fetchone()[0]
        finally:
            connection.close()
    except sqlite3.DatabaseError:
        return False
    return application_id == DEMO_APPLICATION_ID


def check_replaceable(database: Path, force: bool) -> None:
    """DemoFileError (one line) unless the demo may delete `database` and its outbox folder.

    Allowed: nothing there yet, a database an earlier demo made, or anything with `force`.
    """
    if force:
        return
    if database.exists() or database.is_symlink():
        if not is_demo_database(database):
            raise DemoFileError(
                f"{database} exists and is not a database an earlier demo made; "
                "choose another --database, or add --force to replace it"
            )
        return
    outbox = outbox_of(database)
    if outbox.exists() and any(outbox.iterdir()):
        raise DemoFileError(
            f"{outbox} already holds files and no demo database is beside it; "
            "remove it, or add --force to replace it"
        )


def reset_demo_files(database: Path) -> None:
    """Delete `database` (with its -wal/-shm/-journal files) and its outbox; create it marked."""
    for path in (database, *(Path(f"{database}{suffix}") for suffix in SIDECARS)):
        path.unlink(missing_ok=True)
    shutil.rmtree(outbox_of(database), ignore_errors=True)
    database.parent.mkdir(parents=True, exist_ok=True)
    try:
        connection = sqlite3.connect(database)
        try:
            connection.execute(f"PRAGMA application_id = {DEMO_APPLICATION_ID}")
            connection.commit()
        finally:
            connection.close()
    except sqlite3.Error as error:
        raise DemoFileError(f"cannot create {database}: {error}") from None
