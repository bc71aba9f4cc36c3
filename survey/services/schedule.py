"""The campaign clock behind `survey tick` (issue 18): scheduled reminders, closing at the
deadline, release N days after close.

`run_tick(now, interval)` looks at every campaign the clock may act on and does what is due:
nomination reminders (draft), answer reminders through `remind_campaign` (open), close once
`closes_at` has passed in the campaign's own zone (open), release when the campaign says so
(closed). Each step is recorded in `ScheduleStep` in the same transaction, so a second run, or
two runs at once, cannot repeat it (the second one's insert conflicts and rolls back). Adds
and flushes only: the command commits, then sends the returned mail.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import and_, or_, select

from survey.domain.deadlines import format_deadline
from survey.domain.schedule import DueReminder, due_reminder, release_due
from survey.extensions import db
from survey.mail import OutgoingMail
from survey.models import Campaign, CampaignStatus
from survey.models_nomination import ScheduleStep
from survey.services.lifecycle import close_campaign, release_campaign, remind_campaign
from survey.services.nominations import remind_nominations

ANSWERS, NOMINATION = "answers", "nomination"


@dataclass
class TickResult:
    """What one run did: a line per action, the mail to send after the commit, and the
    campaigns it closed (their deleted rows are purged after the commit)."""

    lines: list[str] = field(default_factory=list)
    mails: list[OutgoingMail] = field(default_factory=list, repr=False)
    closed: list[int] = field(default_factory=list)


def run_tick(now: datetime, interval: timedelta) -> TickResult:
    """Do everything due at `now` (aware UTC) for every campaign; idempotent.

    `interval` is the least time between two reminders to one rater (REMINDER_INTERVAL_HOURS).
    """
    result = TickResult()
    for campaign in _campaigns_to_watch():
        if campaign.status is CampaignStatus.DRAFT:
            _remind_nominations(campaign, now, result)
        elif campaign.status is CampaignStatus.OPEN:
            _remind_or_close(campaign, now, interval, result)
        if campaign.status is CampaignStatus.CLOSED:
            _release_if_due(campaign, now, result)
    return result


def _campaigns_to_watch() -> Sequence[Campaign]:
    query = (
        select(Campaign)
        .where(
            or_(
                Campaign.status == CampaignStatus.OPEN,
                and_(
                    Campaign.status == CampaignStatus.CLOSED,
                    Campaign.release_after_days.is_not(None),
                ),
                and_(
                    Campaign.status == CampaignStatus.DRAFT,
                    Campaign.nominations_sent_at.is_not(None),
                ),
            )
        )
        .order_by(Campaign.id)
    )
    return db.session.scalars(query).all()


def _remind_nominations(campaign: Campaign, now: datetime, result: TickResult) -> None:
    if not campaign.nomination or campaign.nomination_closes_at is None:
        return
    started = campaign.nominations_sent_at
    assert started is not None  # selected for it
    due = _due(campaign, NOMINATION, campaign.nomination_closes_at, started, now)
    if due is None:
        return
    _record_reminder(campaign, NOMINATION, due, now)
    subjects, managers, mails = remind_nominations(campaign, now)
    result.mails += mails
    result.lines.append(
        f"{_name(campaign)}: nomination reminders to {subjects} subject(s) and {managers} "
        f"manager(s) ({_days(due.days)} before the nomination deadline)"
    )


def _remind_or_close(
    campaign: Campaign, now: datetime, interval: timedelta, result: TickResult
) -> None:
    if not campaign.accepts_answers(now):
        _record(campaign, "close", now)
        stored = close_campaign(campaign, now)
        result.closed.append(campaign.id)
        deadline = format_deadline(campaign.closes_at, campaign.timezone)
        result.lines.append(
            f"{_name(campaign)} closed: its deadline ({deadline}) has passed; "
            f"{stored} report(s) computed and frozen"
        )
        return
    assert campaign.launched_at is not None  # open campaigns were launched
    due = _due(campaign, ANSWERS, campaign.closes_at, campaign.launched_at, now)
    if due is None:
        return
    _record_reminder(campaign, ANSWERS, due, now)
    reminded = remind_campaign(campaign, now, interval)
    result.mails += reminded.mails
    result.lines.append(f"{_name(campaign)}: {reminded} ({_days(due.days)} before the deadline)")


def _release_if_due(campaign: Campaign, now: datetime, result: TickResult) -> None:
    if not release_due(campaign.closed_at, campaign.release_after_days, now):
        return
    _record(campaign, "release", now)
    mails = release_campaign(campaign, now)
    result.mails += mails
    result.lines.append(
        f"{_name(campaign)} released {_days(campaign.release_after_days or 0)} after close: "
        f"{len(mails)} subject(s) notified"
    )


def _due(
    campaign: Campaign, kind: str, closes_at: datetime, started_at: datetime, now: datetime
) -> DueReminder | None:
    prefix = f"remind:{kind}:"
    steps = select(ScheduleStep.step).where(
        ScheduleStep.campaign_id == campaign.id, ScheduleStep.step.startswith(prefix)
    )
    done = [int(step.removeprefix(prefix)) for step in db.session.scalars(steps)]
    return due_reminder(
        campaign.reminder_days, closes_at=closes_at, started_at=started_at, done=done, now=now
    )


def _record_reminder(campaign: Campaign, kind: str, due: DueReminder, now: datetime) -> None:
    for days in due.settles:
        _record(campaign, f"remind:{kind}:{days}", now)


def _record(campaign: Campaign, step: str, now: datetime) -> None:
    """Claim the step first: a concurrent run that claimed it makes this flush fail."""
    db.session.add(ScheduleStep(campaign_id=campaign.id, step=step, done_at=now))
    db.session.flush()


def _name(campaign: Campaign) -> str:
    return f"campaign {campaign.id} {campaign.name!r}"


def _days(count: int) -> str:
    return f"{count} day{'' if count == 1 else 's'}"
