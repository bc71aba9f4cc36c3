"""`survey tick [--now ISO]`: the campaign clock (issue 18), safe to run every few minutes.

Sends scheduled reminders, closes campaigns whose deadline has passed in their own zone, and
releases those set to release N days after close; a second run does nothing. Run it from cron
(`*/5 * * * * survey tick`) or a systemd timer.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy.exc import IntegrityError

from survey.cli import SurveyCommand
from survey.database import purge_deleted_rows
from survey.extensions import db
from survey.mail import send_mails
from survey.models import utcnow
from survey.services.schedule import run_tick


def _instant(ctx: click.Context, param: click.Parameter, value: str | None) -> datetime:
    if value is None:
        return utcnow()
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        message = f"{value!r} is not an ISO date-time such as 2027-03-31T22:00Z"
        raise click.BadParameter(message) from None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


@click.command("tick", cls=SurveyCommand)
@click.option(
    "--now",
    callback=_instant,
    help="Act as if it were this instant (ISO 8601; UTC unless it names an offset).",
)
@with_appcontext
def tick_command(now: datetime) -> None:
    """Send due reminders, close campaigns past their deadline, release those due."""
    interval = timedelta(hours=float(current_app.config["REMINDER_INTERVAL_HOURS"]))
    result = run_tick(now, interval)
    try:
        db.session.commit()
    except IntegrityError:  # another tick claimed the same steps first: it does the work
        db.session.rollback()
        click.echo("another `survey tick` is doing this work; nothing done", err=True)
        return
    if result.closed:
        purge_deleted_rows()
    send_mails(result.mails)
    for line in result.lines or ["nothing due"]:
        click.echo(line)
