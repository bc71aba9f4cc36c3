"""The folders that ship inside the package: questionnaire content, migrations, demo organisation.

The repository keeps them at its top level (`questionnaires/`, `migrations/`, `examples/`); the
build maps each to a package (`survey.questionnaires`, ...), so a wheel carries them and an
editable install finds them in the checkout. Either way they are located by importing, never
from the current folder.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

QUESTIONNAIRES = "survey.questionnaires"
MIGRATIONS = "survey.migrations"
EXAMPLES = "survey.examples"


def packaged_folder(package: str) -> Path:
    """The folder on disk of one of the data packages above (e.g. `QUESTIONNAIRES`).

    Raises ModuleNotFoundError when survey is not installed (`pip install .` or `-e .`).
    """
    return Path(str(resources.files(package)))
