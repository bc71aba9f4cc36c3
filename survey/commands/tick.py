"""`survey tick [--now ISO]`: the campaign clock (issue 18), safe to run every few minutes.

Sends scheduled reminders, closes campaigns whose deadline has passed in their own zone, and
releases those set to release N days after close, closes progress pulses past their deadline
(SPEC §12), and applies RETENTION_MONTHS (announces, then deletes campaigns past the period, as
`survey retention purge` does); then finishes freezing the reports of any closed campaign whose
freeze was cut short (the HR page's close computes them in a worker or thread after answering).
A second run does nothing. Run it from cron (`*/5 * * * * survey tick`) or a systemd timer.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from survey.cli import SurveyCommand, instant_option
from survey.database import purge_deleted_rows
from survey.extensions import db
from survey.mail import send_mails
from survey.services.frozen_reports import unfrozen_campaigns
from survey.services.pulses import close_due_pulses
from survey.services.retention import RetentionSettings, apply_retention
from survey.services.schedule import run_tick


@click.command("tick", cls=SurveyCommand)
@click.option(
    "--now",
    callback=instant_option,
    help="Act as if it were this instant (ISO 8601; UTC unless it names an offset).",
)
@with_appcontext
def tick_command(now: datetime) -> None:
    """Send due reminders, close campaigns past their deadline, release those due, and apply
    the retention period."""
    interval = timedelta(hours=float(current_app.config["REMINDER_INTERVAL_HOURS"]))
    result = run_tick(now, interval)
    pulse_lines, pulse_mails = close_due_pulses(now)
    settings = RetentionSettings.from_config(current_app.config)
    retention = apply_retention(settings, now, actor="survey tick")
    try:
        db.session.commit()
    except IntegrityError:  # another tick claimed the same steps first: it does the work
        db.session.rollback()
        click.echo("another `survey tick` is doing this work; nothing done", err=True)
        return
    if result.closed or retention.deleted:
        purge_deleted_rows()  # after the commit: the deleted rows leave no trace on disk
    send_mails([*result.mails, *pulse_mails])
    resumed = _resume_freezes()
    for line in [*result.lines, *pulse_lines, *retention.lines(), *resumed] or ["nothing due"]:
        click.echo(line)


def _resume_freezes() -> list[str]:
    """Freeze the reports of every closed campaign whose freeze has not finished (the HR page's
    close computes them after answering; a stopped worker or process leaves them part-done)."""
    from survey.tasks import freeze_reports

    lines = []
    for campaign in unfrozen_campaigns():
        label = f"campaign {campaign.id} ({campaign.name})"
        try:
            written = freeze_reports(campaign.id)
        except SQLAlchemyError as error:  # e.g. a freeze in another process stored them first
            db.session.rollback()
            lines.append(f"{label}: freezing its reports stopped ({type(error).__name__}); "
                         "the next tick resumes it")
        else:
            lines.append(f"{label}: {written} report(s) computed and frozen (resumed)")
    return lines
