"""`survey retention purge [--now]`: apply RETENTION_MONTHS (issue 20; services/retention.py).

`survey tick` runs the same step; this command is for running it by hand or from cron.
"""

from __future__ import annotations

import click
from flask import current_app

from survey.cli import SurveyGroup
from survey.database import purge_deleted_rows
from survey.extensions import db
from survey.models import utcnow
from survey.services import audit
from survey.services.retention import RetentionSettings, apply_retention

retention_cli = SurveyGroup("retention", help="Delete campaigns past RETENTION_MONTHS.")


@retention_cli.command("purge")
@click.option(
    "--now",
    "immediately",
    is_flag=True,
    help="Delete every campaign past the period now, without the warning period first.",
)
def purge_command(immediately: bool) -> None:
    """Announce upcoming deletions on the HR pages and delete campaigns whose date has come."""
    settings = RetentionSettings.from_config(current_app.config)
    result = apply_retention(
        settings, utcnow(), actor=audit.command_line_actor(), immediately=immediately
    )
    db.session.commit()
    if result.deleted:
        purge_deleted_rows()  # after the commit: the deleted rows leave no trace on disk
    if settings.months is None:
        click.echo("RETENTION_MONTHS is not set: every campaign is kept")
    for campaign_id, name, when in result.scheduled:
        click.echo(f"campaign {campaign_id} “{name}” will be deleted on or after {when:%Y-%m-%d}")
    for campaign_id, name in result.deleted:
        click.echo(f"deleted campaign {campaign_id} “{name}”")
    click.echo(str(result))
