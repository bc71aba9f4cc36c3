"""The `survey` console script and the command classes every command group uses (SPEC §9).

`flask --app survey ...` and `survey ...` offer the same commands. A `SurveyError` (or an
unreachable database) becomes a one-line reason on stderr and a non-zero exit, never a traceback.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

import click
from flask import Flask
from flask.cli import AppGroup, FlaskGroup
from sqlalchemy.exc import ArgumentError, OperationalError

from survey.errors import SurveyError

# (module, attribute, parent group or None): registered when the module exists.
COMMAND_MODULES = (
    ("survey.cli_questionnaire", "questionnaire_cli", None),
    ("survey.commands.org", "org_cli", None),
    ("survey.commands.person", "person_cli", None),
    ("survey.commands.retention", "retention_cli", None),
    ("survey.commands.campaign", "campaign_cli", None),
    ("survey.commands.export", "export_command", "campaign"),
    ("survey.commands.nomination", "nominate_command", "campaign"),
    ("survey.commands.tick", "tick_command", None),
    ("survey.commands.report", "report_command", None),
    ("survey.commands.pulse", "pulse_cli", None),
    ("survey.commands.accounts", "create_admin_command", None),
    ("survey.commands.accounts", "sign_out_everywhere_command", None),
    ("survey.commands.demo", "demo_command", None),
    ("survey.commands.serve", "serve_command", None),
    ("survey.commands.backup", "backup_cli", None),
)


def instant_option(ctx: click.Context, param: click.Parameter, value: str | None) -> datetime:
    """A `--now` option's instant: ISO 8601 (UTC unless it names an offset), or now."""
    if value is None:
        return datetime.now(UTC)
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        message = f"{value!r} is not an ISO date-time such as 2027-03-31T22:00Z"
        raise click.BadParameter(message) from None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


class SurveyCommand(click.Command):
    """A command whose expected errors end as one line on stderr (exit 1)."""

    def invoke(self, ctx: click.Context) -> Any:
        with one_line_errors():
            return super().invoke(ctx)


@contextmanager
def one_line_errors() -> Iterator[None]:
    """Turn a SurveyError, an unreachable database or a failed file operation into a
    ClickException: one line on stderr, exit 1, no traceback."""
    try:
        yield
    except SurveyError as error:
        raise click.ClickException(str(error)) from None
    except OperationalError as error:
        reason = str(error.orig).strip().splitlines()[0] if error.orig else "unreachable"
        raise click.ClickException(f"database unavailable: {reason}") from None
    except OSError as error:  # a missing folder, a full disk, no permission
        where = f"{error.filename}: " if error.filename else ""
        raise click.ClickException(f"{where}{error.strerror or error}") from None


class SurveyCli(FlaskGroup):
    """The `survey` script: commands from other packages (`db ...`) end errors in one line too."""

    def invoke(self, ctx: click.Context) -> Any:
        with one_line_errors():
            return super().invoke(ctx)


class SurveyGroup(AppGroup):
    """A command group whose commands are `SurveyCommand`s run inside the app context."""

    command_class = SurveyCommand


def register_commands(app: Flask) -> None:
    """Add every command module that exists to the app's CLI."""
    for module_name, attribute, parent in COMMAND_MODULES:
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as error:
            if error.name != module_name:
                raise
            continue
        group = app.cli if parent is None else app.cli.commands.get(parent)
        if isinstance(group, click.Group):
            group.add_command(getattr(module, attribute))


def _create_app() -> Flask:
    """The app for the `survey` script; a configuration error is one line and exit 1."""
    from survey import create_app

    try:
        return create_app()
    except SurveyError as error:
        click.echo(f"Error: {error}", err=True)
    except (ArgumentError, ModuleNotFoundError) as error:  # DATABASE_URL unusable (no secret in it)
        click.echo(f"Error: cannot use DATABASE_URL: {error}", err=True)
    sys.exit(1)


@click.group(cls=SurveyCli, create_app=_create_app, add_version_option=False)
def main() -> None:
    """360° feedback for managers: manage questionnaires, people, campaigns and reports."""
