"""Retention (issue 20): campaigns closed longer than RETENTION_MONTHS are deleted, after HR
has been warned for RETENTION_WARNING_DAYS; add/flush only, the caller commits.

Each run (`survey retention purge`, or `survey tick`) first schedules the deletion of every
closed or released campaign that comes within the warning period of its due date (HR pages
show the date from then on), drops schedules the setting no longer asks for, then deletes the
campaigns whose date has come: the campaign and everything in it (subjects, raters,
invitations, answers, comments, frozen reports) by the database's cascades. People stay in the
org chart. Each scheduling and deletion leaves an audit line.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, select

from survey.domain.retention import deletion_to_schedule, due_at
from survey.domain.wording import counted
from survey.extensions import db
from survey.models import Campaign, CampaignStatus
from survey.services import audit

ENDED = (CampaignStatus.CLOSED, CampaignStatus.RELEASED)


@dataclass(frozen=True)
class RetentionSettings:
    """`months` None: keep campaigns for ever. `warning`: how long HR is warned first."""

    months: int | None
    warning: timedelta

    @classmethod
    def from_config(cls, config: Any) -> RetentionSettings:
        """RETENTION_MONTHS (unset or 0: keep) and RETENTION_WARNING_DAYS from the app config."""
        months = int(config.get("RETENTION_MONTHS") or 0)
        return cls(months or None, timedelta(days=int(config["RETENTION_WARNING_DAYS"])))


@dataclass
class RetentionResult:
    """What one run did: (id, name, date) scheduled, (id, name) deleted, schedules dropped."""

    scheduled: list[tuple[int, str, datetime]] = field(default_factory=list)
    deleted: list[tuple[int, str]] = field(default_factory=list)
    unscheduled: int = 0

    def lines(self) -> list[str]:
        """One line per campaign newly scheduled for deletion or deleted, for the CLI."""
        return [
            f"campaign {campaign_id} “{name}” will be deleted on or after {when:%Y-%m-%d}"
            for campaign_id, name, when in self.scheduled
        ] + [f"deleted campaign {campaign_id} “{name}”" for campaign_id, name in self.deleted]

    def __str__(self) -> str:
        return (
            f"{counted(len(self.deleted), 'campaign')} deleted, "
            f"{len(self.scheduled)} newly scheduled for deletion, "
            f"{self.unscheduled} no longer scheduled"
        )


def apply_retention(
    settings: RetentionSettings, now: datetime, *, actor: str, skip_warning: bool = False
) -> RetentionResult:
    """Schedule, unschedule and delete campaigns as the module docstring says.

    `skip_warning` deletes every campaign past its due date now, announced or not (an operator's
    explicit choice, `survey retention purge --skip-warning`).
    """
    result = RetentionResult()
    ended = _ended_campaigns()
    for campaign in ended:
        _review(campaign, settings, now, result, actor)
    for campaign in _to_delete(ended, settings, now, skip_warning):
        audit.record(
            "campaign.deleted",
            actor=actor,
            now=now,
            campaign=campaign,
            detail=f"closed {campaign.closed_at:%Y-%m-%d}; kept {settings.months} months",
        )
        result.deleted.append((campaign.id, campaign.name))
        db.session.execute(delete(Campaign).where(Campaign.id == campaign.id))
    db.session.flush()
    db.session.expire_all()
    return result


def scheduled_deletions() -> Sequence[Campaign]:
    """Campaigns whose deletion is announced, soonest first: what HR pages warn about."""
    query = select(Campaign).where(Campaign.delete_after.is_not(None))
    return db.session.scalars(query.order_by(Campaign.delete_after, Campaign.id)).all()


def _ended_campaigns() -> Sequence[Campaign]:
    query = select(Campaign).where(Campaign.status.in_(ENDED), Campaign.closed_at.is_not(None))
    return db.session.scalars(query.order_by(Campaign.id)).all()


def _review(
    campaign: Campaign,
    settings: RetentionSettings,
    now: datetime,
    result: RetentionResult,
    actor: str,
) -> None:
    assert campaign.closed_at is not None
    wanted = (
        None
        if settings.months is None
        else deletion_to_schedule(campaign.closed_at, settings.months, now, settings.warning)
    )
    if wanted is None and campaign.delete_after is not None:
        # no period any more, or a longer one that is not yet within its warning
        campaign.delete_after = None
        result.unscheduled += 1
    elif wanted is not None and campaign.delete_after is not None:
        # announced already: a longer period moves the date later (never sooner)
        assert settings.months is not None
        campaign.delete_after = max(
            campaign.delete_after, due_at(campaign.closed_at, settings.months)
        )
    elif wanted is not None and campaign.delete_after is None:
        campaign.delete_after = wanted
        result.scheduled.append((campaign.id, campaign.name, wanted))
        audit.record(
            "retention.scheduled",
            actor=actor,
            now=now,
            campaign=campaign,
            detail=f"to be deleted on or after {wanted:%Y-%m-%d %H:%M} UTC "
            f"(closed {campaign.closed_at:%Y-%m-%d}; kept {settings.months} months)",
        )


def _to_delete(
    ended: Sequence[Campaign], settings: RetentionSettings, now: datetime, skip_warning: bool
) -> list[Campaign]:
    if settings.months is None:
        return []
    months = settings.months
    return [
        campaign
        for campaign in ended
        if (campaign.delete_after is not None and campaign.delete_after <= now)
        or (skip_warning and campaign.closed_at is not None
            and due_at(campaign.closed_at, months) <= now)
    ]

