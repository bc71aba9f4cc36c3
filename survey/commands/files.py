"""Files the CLI writes (exports, backups): readable by their owner only, never over a file by
surprise, never through a symbolic link.

A new file is created with O_CREAT|O_EXCL|O_NOFOLLOW and mode 0600: it fails when anything (a
file, a directory, a symbolic link) is already at the path. Replacing is explicit (`--force`):
the content goes to a 0600 temporary file beside the target, which then takes the target's
place (a symbolic link there is replaced, not followed). A failed write leaves no partial file.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from survey.errors import SurveyError

NEW_FILE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC
PRIVATE = 0o600


class OutputError(SurveyError):
    """A file the command was asked to write cannot be written."""


def create_private_file(path: Path, exists_hint: str) -> int:
    """Create `path` empty with mode 0600 and return its descriptor; OutputError (one line) when
    something is already there (`exists_hint` says what to do) or the folder is missing."""
    try:
        return os.open(path, NEW_FILE, PRIVATE)
    except FileExistsError:
        raise OutputError(f"{path} already exists; {exists_hint}") from None
    except OSError as error:
        raise OutputError(f"cannot create {path}: {error.strerror}") from None


@contextmanager
def private_output(path: Path, replace: bool, exists_hint: str) -> Iterator[BinaryIO]:
    """A binary file to write `path` through (mode 0600); `replace` allows an existing path.

    Nothing is left at `path` (or changed there, when replacing) if the block raises.
    """
    if replace:
        try:
            descriptor, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
        except OSError as error:
            raise OutputError(f"cannot create {path}: {error.strerror}") from None
        written = Path(name)
    else:
        descriptor, written = create_private_file(path, exists_hint), path
    try:
        with os.fdopen(descriptor, "wb") as handle:
            yield handle
        if replace:
            os.replace(written, path)
    except BaseException:
        written.unlink(missing_ok=True)
        raise
