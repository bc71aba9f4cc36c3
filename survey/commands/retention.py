"""`survey retention purge [--now ISO] [--skip-warning]`: apply RETENTION_MONTHS (issue 20;
services/retention.py). Meant to run daily, from cron or beside `survey tick`.
"""

from __future__ import annotations

from datetime import datetime

import click
from flask import current_app

from survey.cli import SurveyGroup, instant_option
from survey.database import purge_deleted_rows
from survey.extensions import db
from survey.services import audit
from survey.services.retention import RetentionSettings, apply_retention

retention_cli = SurveyGroup("retention", help="Delete campaigns past RETENTION_MONTHS.")


@retention_cli.command("purge")
@click.option(
    "--now",
    callback=instant_option,
    help="Act as if it were this instant (ISO 8601; UTC unless it names an offset).",
)
@click.option(
    "--skip-warning",
    is_flag=True,
    help="Delete every campaign past the period now, without announcing it first.",
)
def purge_command(now: datetime, skip_warning: bool) -> None:
    """Announce upcoming deletions on the HR pages and delete campaigns whose date has come."""
    settings = RetentionSettings.from_config(current_app.config)
    result = apply_retention(
        settings, now, actor=audit.command_line_actor(), skip_warning=skip_warning
    )
    db.session.commit()
    if result.deleted:
        purge_deleted_rows()  # after the commit: the deleted rows leave no trace on disk
    if settings.months is None:
        click.echo("RETENTION_MONTHS is not set: every campaign is kept")
    for line in [*result.lines(), str(result)]:
        click.echo(line)
