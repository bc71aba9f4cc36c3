"""Files the CLI writes: `campaign export --output` and `backup create` never replace a file by
surprise, never write through a symbolic link, are readable by their owner only, and a failure
is one line on stderr."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from click.testing import Result
from flask import Flask
from flask.testing import FlaskCliRunner

from tests.conftest import TEST_DATABASE_URL
from tests.helpers_reports import worked_example

on_sqlite = pytest.mark.skipif(bool(TEST_DATABASE_URL), reason="SQLite backups")


@pytest.fixture
def campaign_id(app: Flask) -> int:
    with app.app_context():
        return worked_example().campaign.id


def export(runner: FlaskCliRunner, campaign_id: int, output: Path, *extra: str) -> Result:
    return runner.invoke(
        args=["campaign", "export", str(campaign_id), "--output", str(output), *extra]
    )


def mode(path: Path) -> int:
    return stat.S_IMODE(path.lstat().st_mode)


def one_error_line(result: Result) -> str:
    """The single stderr line of a failed command (and no traceback anywhere)."""
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit)  # not an uncaught exception
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_is_readable_by_its_owner_only(
    runner: FlaskCliRunner, campaign_id: int, tmp_path: Path, fmt: str
) -> None:
    output = tmp_path / f"figures.{fmt}"
    result = export(runner, campaign_id, output, "--format", fmt)
    assert result.exit_code == 0, result.output
    assert mode(output) == 0o600 and output.stat().st_size > 0


def test_export_onto_an_existing_file_changes_nothing(
    runner: FlaskCliRunner, campaign_id: int, tmp_path: Path
) -> None:
    output = tmp_path / "figures.csv"
    output.write_bytes(b"last year's figures")
    line = one_error_line(export(runner, campaign_id, output))
    assert line == f"Error: {output} already exists; add --force to replace it"
    assert output.read_bytes() == b"last year's figures"


def test_export_with_force_replaces_the_file_and_makes_it_private(
    runner: FlaskCliRunner, campaign_id: int, tmp_path: Path
) -> None:
    exports = tmp_path / "exports"
    exports.mkdir()
    output = exports / "figures.csv"
    output.write_bytes(b"last year's figures")
    output.chmod(0o644)
    result = export(runner, campaign_id, output, "--force")
    assert result.exit_code == 0, result.output
    assert output.read_bytes().startswith(b"\xef\xbb\xbf") and mode(output) == 0o600
    assert [p.name for p in exports.iterdir()] == ["figures.csv"]  # no temporary file left


def test_export_never_writes_through_a_symbolic_link(
    runner: FlaskCliRunner, campaign_id: int, tmp_path: Path
) -> None:
    target = tmp_path / "elsewhere.txt"
    target.write_bytes(b"someone else's file")
    link = tmp_path / "figures.csv"
    link.symlink_to(target)
    one_error_line(export(runner, campaign_id, link))
    assert link.is_symlink()
    forced = export(runner, campaign_id, link, "--force")
    assert forced.exit_code == 0, forced.output
    assert not link.is_symlink() and mode(link) == 0o600  # the link is replaced, not followed
    assert target.read_bytes() == b"someone else's file"


def test_export_into_a_missing_folder_is_one_line(
    runner: FlaskCliRunner, campaign_id: int, tmp_path: Path
) -> None:
    output = tmp_path / "missing" / "figures.csv"
    line = one_error_line(export(runner, campaign_id, output))
    assert line == f"Error: cannot create {output}: No such file or directory"


@on_sqlite
def test_backup_is_readable_by_its_owner_only_and_one_file(
    app: Flask, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    with app.app_context():
        worked_example()
    backups = tmp_path / "backups"
    backups.mkdir()
    result = runner.invoke(args=["backup", "create", str(backups / "survey.sqlite")])
    assert result.exit_code == 0, result.output
    assert [p.name for p in backups.iterdir()] == ["survey.sqlite"]  # no -wal/-shm beside it
    assert mode(backups / "survey.sqlite") == 0o600


@on_sqlite
def test_backup_into_a_missing_folder_is_one_line(
    app: Flask, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    target = tmp_path / "missing" / "dir" / "x"
    line = one_error_line(runner.invoke(args=["backup", "create", str(target)]))
    assert line == f"Error: cannot create {target}: No such file or directory"


@on_sqlite
def test_backup_never_writes_through_a_symbolic_link(
    app: Flask, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    target = tmp_path / "elsewhere.txt"
    link = tmp_path / "backup.sqlite"
    link.symlink_to(target)  # dangling: the backup must not create the file it points to
    line = one_error_line(runner.invoke(args=["backup", "create", str(link)]))
    assert line == f"Error: {link} already exists; choose a new file name"
    assert not target.exists()
