"""`survey pulse launch|remind|close|report` (SPEC §12): one line per result; `launch` prints
the pulse id alone on its last line."""

from __future__ import annotations

import json
from datetime import datetime

import click

from survey.cli import SurveyGroup
from survey.extensions import db
from survey.mail import OutgoingMail, send_mails
from survey.models import utcnow
from survey.services import pulses as service
from survey.services.campaigns import get_campaign

pulse_cli = SurveyGroup("pulse", help="Progress pulses on development plans.")


@pulse_cli.command("launch")
@click.argument("campaign_id", type=int)
@click.option("--subject", "emails", multiple=True, help="Only this subject (e-mail); repeatable.")
@click.option(
    "--deadline", required=True, type=click.DateTime(["%Y-%m-%d"]), help="Last day (YYYY-MM-DD)."
)
@click.option("--timezone", "zone", required=True, help="IANA time zone, e.g. Europe/Paris.")
def launch_command(
    campaign_id: int, emails: tuple[str, ...], deadline: datetime, zone: str
) -> None:
    """Ask the raters of the campaign's subjects who have a plan how they have progressed."""
    launch = service.launch_pulse(
        get_campaign(campaign_id), deadline=deadline.date(), zone=zone, now=utcnow(), emails=emails
    )
    _commit_and_send(launch.mails)
    click.echo(
        f"pulse launched for {launch.subjects} subject(s); {launch.raters} rater(s) e-mailed",
        err=True,
    )
    click.echo(str(launch.pulse.id))


@pulse_cli.command("remind")
@click.argument("pulse_id", type=int)
def remind_command(pulse_id: int) -> None:
    """Remind raters with something unanswered (at most once per reminder interval)."""
    mails = service.remind_pulse(service.get_pulse(pulse_id), utcnow())
    _commit_and_send(mails)
    click.echo(f"pulse {pulse_id}: {len(mails)} reminder(s) sent")


@pulse_cli.command("close")
@click.argument("pulse_id", type=int)
def close_command(pulse_id: int) -> None:
    """Close the pulse: no more answers; each subject is told their results are ready."""
    mails = service.close_pulse(service.get_pulse(pulse_id), utcnow())
    _commit_and_send(mails)
    click.echo(f"pulse {pulse_id} closed: {len(mails)} subject(s) notified")


@pulse_cli.command("report")
@click.argument("pulse_id", type=int)
@click.option("--subject", "email", required=True, help="The subject's e-mail.")
@click.option("--format", "fmt", type=click.Choice(["json"]), default="json")
def report_command(pulse_id: int, email: str, fmt: str) -> None:
    """Print a closed pulse's pooled results for one subject as JSON (SPEC §12)."""
    document = service.pulse_document(service.get_pulse(pulse_id), email)
    click.echo(json.dumps(document, ensure_ascii=False, indent=2))


def _commit_and_send(mails: list[OutgoingMail]) -> None:
    db.session.commit()
    send_mails(mails)
