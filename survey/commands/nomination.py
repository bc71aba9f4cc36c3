"""`survey campaign nominate ID`, and the nomination and clock options of `campaign create`
(SPEC §13, issue 18)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any, TypeVar

import click
from flask.cli import with_appcontext

from survey.cli import SurveyCommand
from survey.domain.nomination import DEFAULT_MAX_REQUESTS, DEFAULT_MIN_PEERS
from survey.domain.schedule import ScheduleError, parse_reminder_days
from survey.extensions import db
from survey.mail import send_mails
from survey.models import Campaign, utcnow
from survey.services.campaigns import get_campaign, same_name_campaigns
from survey.services.nominations import start_nominations

F = TypeVar("F", bound=Callable[..., Any])


def _days(ctx: click.Context, param: click.Parameter, value: str) -> tuple[int, ...]:
    try:
        return parse_reminder_days(value)
    except ScheduleError as error:
        raise click.BadParameter(str(error)) from None


def _date(ctx: click.Context, param: click.Parameter, value: datetime | None) -> date | None:
    return None if value is None else value.date()


def nomination_options(command: F) -> F:
    """The options `campaign create` passes on as CampaignSettings' nomination and clock fields."""
    options = [
        click.option(
            "--nomination",
            is_flag=True,
            help="Subjects propose their peers; their manager approves (SPEC §13).",
        ),
        click.option(
            "--nomination-deadline",
            type=click.DateTime(["%Y-%m-%d"]),
            callback=_date,
            help="Last day to propose a list (YYYY-MM-DD, campaign's zone).",
        ),
        click.option(
            "--min-peers",
            default=DEFAULT_MIN_PEERS,
            show_default=True,
            type=int,
            help="Fewest peers a proposed list holds.",
        ),
        click.option(
            "--max-requests-per-rater",
            default=DEFAULT_MAX_REQUESTS,
            show_default=True,
            type=int,
            help="Most invitations one person gets in the campaign.",
        ),
        click.option(
            "--remind-days",
            "reminder_days",
            default="",
            callback=_days,
            help="Reminders sent by `survey tick`: days before each deadline, e.g. 7,2.",
        ),
        click.option(
            "--release-after-days",
            type=click.IntRange(0, 365),
            help="`survey tick` releases the reports this many days after close.",
        ),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def echo_same_name(campaign: Campaign) -> None:
    """Warn on stderr when other campaigns carry the same name, with their dates."""
    for other in same_name_campaigns(campaign):
        click.echo(
            f"warning: campaign {other.id} is also called {other.name!r} (created "
            f"{other.created_at.date().isoformat()}, deadline {other.deadline.isoformat()}, "
            f"{other.status.value})",
            err=True,
        )


@click.command("nominate", cls=SurveyCommand)
@click.argument("campaign_id", type=int)
@with_appcontext
def nominate_command(campaign_id: int) -> None:
    """E-mail each subject a link to propose their raters (a draft with --nomination)."""
    result = start_nominations(get_campaign(campaign_id), utcnow())
    db.session.commit()
    send_mails(result.mails)
    click.echo(f"campaign {campaign_id}: {result}")
