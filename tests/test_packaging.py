"""A normal install works anywhere: the wheel carries the questionnaires, the migrations and the
demo organisation, and `survey` runs from an empty folder.

The install tests clone the repository (so they test the committed tree, as CI does in its own
fresh clone), install it without `-e` into a new virtual environment, once from the clone
(`pip install <clone>`) and once from a wheel that `pip wheel` built from the clone's sdist, then
run the README's first commands from an empty folder. Nothing is downloaded: the new environment
borrows this one's installed dependencies (a path in a .pth file) and pip builds with this
environment's setuptools (`--no-index`, `--no-deps`, `--no-build-isolation`).
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import sysconfig
import tomllib
from dataclasses import dataclass
from pathlib import Path

import pytest
from setuptools import find_namespace_packages

from tests.conftest import TEST_DATABASE_URL

ROOT = Path(__file__).resolve().parents[1]


def test_every_folder_under_survey_is_in_the_distribution() -> None:
    """pyproject lists the packages (a package-dir mapping needs it), template and static
    folders too (or the build warns about them): none may be forgotten."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    listed = set(config["packages"])
    found = {
        name
        for name in find_namespace_packages(str(ROOT), include=["survey", "survey.*"])
        if "__pycache__" not in name
    }
    assert found - listed == set(), "add these to [tool.setuptools] packages in pyproject.toml"
    assert set(config["package-dir"]) <= listed


@dataclass
class Installed:
    """A virtual environment with survey installed, and an empty folder to run it from."""

    venv: Path
    folder: Path

    def run(self, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
        clean = {k: v for k, v in os.environ.items() if not _points_at_checkout(k)}
        return subprocess.run(
            args, cwd=self.folder, env={**clean, **env}, capture_output=True, text=True,
            timeout=600,
        )

    def survey(self, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
        return self.run(str(self.venv / "bin" / "survey"), *args, **env)


def _points_at_checkout(variable: str) -> bool:
    """Settings that would let the installed copy lean on this checkout or its configuration."""
    return variable in {"PYTHONPATH", "DATABASE_URL", "VIRTUAL_ENV"} or variable.startswith(
        ("SURVEY_", "FLASK_")
    )


def _build_sdist(source: Path, folder: Path) -> Path:
    """The sdist, built by setuptools' PEP 517 hook (what `python -m build --sdist` calls)."""
    hook = f"from setuptools import build_meta; print(build_meta.build_sdist({str(folder)!r}))"
    done = subprocess.run(
        [sys.executable, "-c", hook], cwd=source, capture_output=True, text=True, timeout=600
    )
    assert done.returncode == 0, done.stderr
    return folder / done.stdout.strip().splitlines()[-1]


def _pip(*args: str) -> None:
    command = [sys.executable, "-m", "pip", "--disable-pip-version-check", *args]
    done = subprocess.run(command, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, f"pip {' '.join(args)}:\n{done.stdout}{done.stderr}"


@pytest.fixture(params=["checkout", "wheel"])
def installed(request: pytest.FixtureRequest, tmp_path: Path) -> Installed:
    """`pip install <fresh clone>` or `pip install <wheel from pip wheel <fresh clone>>`."""
    if not (ROOT / ".git").exists():
        pytest.skip("not a git checkout: nothing to clone")
    source = tmp_path / "clone"
    subprocess.run(["git", "clone", "--quiet", str(ROOT), str(source)], check=True)
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = str(venv / "bin" / "python")
    site = subprocess.run(
        [python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True, capture_output=True, text=True,
    ).stdout.strip()
    # this environment's dependencies, as a plain path: its .pth files (our own editable
    # install among them) are not processed from there
    Path(site, "borrowed-dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    offline = ["--no-index", "--no-deps", "--no-build-isolation", "--quiet"]
    if request.param == "wheel":
        # pip builds the wheel from the sdist: both must carry the content, migrations and demo
        sdist = _build_sdist(source, tmp_path / "sdist")
        wheels = tmp_path / "wheels"
        _pip("wheel", *offline, "--wheel-dir", str(wheels), str(sdist))
        (package,) = wheels.glob("survey-*.whl")
        _pip("--python", python, "install", *offline, str(package))
    else:
        _pip("--python", python, "install", *offline, str(source))
    folder = tmp_path / "empty"
    folder.mkdir()
    return Installed(venv, folder)


@pytest.mark.slow
@pytest.mark.skipif(bool(TEST_DATABASE_URL), reason="no database server involved: SQLite run only")
def test_an_installed_survey_runs_from_an_empty_folder(installed: Installed) -> None:
    where = installed.run(
        str(installed.venv / "bin" / "python"), "-c", "import survey; print(survey.__file__)"
    )
    assert where.stdout.startswith(str(installed.venv)), where.stdout  # not this checkout

    check = installed.survey("questionnaire", "check")
    assert check.returncode == 0, check.stderr
    assert check.stdout.startswith("questionnaires OK: 3 levels")

    upgrade = installed.survey("db", "upgrade", DATABASE_URL="sqlite:///x.sqlite")
    assert upgrade.returncode == 0, upgrade.stderr
    # Flask-SQLAlchemy: a relative SQLite path is in the instance folder, for an installed
    # package <prefix>/var/survey-instance (README, Configuration)
    schema = installed.venv / "var" / "survey-instance" / "x.sqlite"
    with sqlite3.connect(schema) as connection:
        tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master")}
    connection.close()
    assert {"campaign", "person", "response", "alembic_version"} <= tables

    built = installed.survey("demo", "--no-serve", "--database", "y.sqlite")
    assert built.returncode == 0, built.stderr
    database = installed.folder / "y.sqlite"
    assert f"survey serve --database {database} --port 5000" in built.stdout
    assert "INFO" not in built.stderr and "Traceback" not in built.stderr
    assert len(list((installed.folder / "y-outbox").glob("*.eml"))) > 76

    module = installed.run(str(installed.venv / "bin" / "python"), "-m", "survey", "--help")
    assert module.returncode == 0 and "serve" in module.stdout and "demo" in module.stdout

    failed = installed.survey(
        "backup", "create", "/missing/dir/x", DATABASE_URL=f"sqlite:///{database}"
    )
    assert failed.returncode == 1
    assert failed.stderr.splitlines() == [
        "Error: cannot create /missing/dir/x: No such file or directory"
    ]
