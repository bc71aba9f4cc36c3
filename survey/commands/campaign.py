"""`survey campaign create|launch|remind|close|release` (SPEC §9): one line per result."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from typing import Any

import click
from flask import current_app

from survey.cli import SurveyGroup
from survey.commands.nomination import echo_same_name, nomination_options
from survey.database import purge_deleted_rows
from survey.domain.nomination import default_max_peers
from survey.domain.wording import counted
from survey.extensions import db
from survey.mail import OutgoingMail, send_mails
from survey.models import Campaign, CampaignStatus, utcnow
from survey.services import campaigns as service
from survey.services.nominations import nomination_warnings
from survey.services.progress import campaign_progress, launch_warnings

campaign_cli = SurveyGroup("campaign", help="Create and run feedback campaigns.")


@campaign_cli.command("create")
@click.argument("name")
@click.option(
    "--deadline",
    required=True,
    type=click.DateTime(["%Y-%m-%d"]),
    help="Last day to answer (YYYY-MM-DD).",
)
@click.option("--timezone", "zone", required=True, help="IANA time zone, e.g. Europe/Paris.")
@click.option("--min-raters", default=3, show_default=True, type=int, help="Anonymity threshold k.")
@click.option(
    "--spread-min",
    type=int,
    help="Fewest answers behind a figure that shows how much raters agree.  [default: 5, "
    "or --min-raters when larger]",
)
@click.option(
    "--max-peers", type=int, help="Peers per subject at most.  [default: 5; 8 with --nomination]"
)
@click.option("--level", "levels", multiple=True, help="Review everyone at this level.")
@click.option("--subject", "subjects", multiple=True, help="Review this person (e-mail).")
@click.option(
    "--next-level",
    "next_level",
    multiple=True,
    help="Review this person and ask about the next level too (e-mail).",
)
@nomination_options
def create_command(
    name: str,
    deadline: datetime,
    zone: str,
    min_raters: int,
    spread_min: int | None,
    max_peers: int | None,
    levels: tuple[str, ...],
    subjects: tuple[str, ...],
    next_level: tuple[str, ...],
    **clock: Any,
) -> None:
    """Create a draft campaign; prints its id alone on the last line."""
    settings = service.CampaignSettings(
        name,
        date.fromordinal(deadline.toordinal()),
        zone,
        min_raters,
        max_peers or default_max_peers(clock["nomination"]),
        **clock,
        spread_min=spread_min,
    )
    choice = service.SubjectChoice(levels, subjects, next_level)
    campaign = service.create_campaign(settings, choice, now=utcnow())
    db.session.commit()
    count = counted(len(campaign.subjects), "subject")
    click.echo(f"created draft campaign {campaign.name!r} with {count}", err=True)
    echo_same_name(campaign)
    _echo_warnings(campaign)
    click.echo(str(campaign.id))


def _echo_warnings(campaign: Campaign) -> None:
    """The dashboard's before-launch warnings (groups below k), on stderr (SPEC §4)."""
    warnings = launch_warnings(campaign, campaign_progress(campaign))
    if warnings:
        click.echo(
            f"warning: {counted(len(warnings), 'group')} below k = {campaign.min_raters} "
            "(add raters before launch, or launch anyway):",
            err=True,
        )
    for warning in warnings:
        click.echo(f"  {warning}", err=True)



@campaign_cli.command("launch")
@click.argument("campaign_id", type=int)
def launch_command(campaign_id: int) -> None:
    """Send every rater their invitation e-mail and open the campaign."""
    campaign = service.get_campaign(campaign_id)
    if campaign.status is CampaignStatus.DRAFT:
        for note in nomination_warnings(campaign):
            click.echo(f"note: {note}", err=True)
    with _progress(service.count_invitations(campaign), "Preparing") as update:
        result = service.launch_campaign(campaign, utcnow(), progress=update)
    _commit_and_send(result.mails)
    click.echo(f"campaign {campaign_id} {result}")


@campaign_cli.command("remind")
@click.argument("campaign_id", type=int)
def remind_command(campaign_id: int) -> None:
    """Remind raters who still have something open (once per REMINDER_INTERVAL_HOURS)."""
    campaign = service.get_campaign(campaign_id)
    interval = timedelta(hours=float(current_app.config["REMINDER_INTERVAL_HOURS"]))
    now = utcnow()
    if not campaign.accepts_answers(now):  # the service's one-line reason, before any progress bar
        service.remind_campaign(campaign, now, interval)
    with _progress(service.count_invitations(campaign), "Preparing") as update:
        result = service.remind_campaign(campaign, now, interval, progress=update)
    _commit_and_send(result.mails)
    click.echo(f"campaign {campaign_id}: {result}")


@campaign_cli.command("close")
@click.argument("campaign_id", type=int)
def close_command(campaign_id: int) -> None:
    """Stop accepting answers."""
    stored = service.close_campaign(service.get_campaign(campaign_id), utcnow())
    db.session.commit()
    purge_deleted_rows()
    click.echo(f"campaign {campaign_id} closed: {counted(stored, 'report')} computed and frozen")


@campaign_cli.command("release")
@click.argument("campaign_id", type=int)
def release_command(campaign_id: int) -> None:
    """Let subjects read their reports; e-mails each subject a sign-in link."""
    mails = service.release_campaign(service.get_campaign(campaign_id), utcnow())
    _commit_and_send(mails)
    click.echo(f"campaign {campaign_id} released: {counted(len(mails), 'subject')} notified")


def _commit_and_send(mails: Sequence[OutgoingMail]) -> None:
    """Commit first: no e-mail goes out for a change that did not persist."""
    db.session.commit()
    batch = list(mails)
    if not batch:
        return
    with click.progressbar(length=len(batch), label="Sending e-mail", file=sys.stderr) as bar:
        for start in range(0, len(batch), 500):
            send_mails(batch[start : start + 500])
            bar.update(len(batch[start : start + 500]))


@contextmanager
def _progress(length: int, label: str) -> Iterator[Callable[[int], None]]:
    with click.progressbar(length=max(length, 1), label=label, file=sys.stderr) as bar:
        yield bar.update
