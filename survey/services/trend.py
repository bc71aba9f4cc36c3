"""The previous campaign of a subject and the change since then (SPEC §11).

Both sides are frozen reports (`survey.services.frozen_reports`), so the trend is computed at
read time from cells each report showed; page, JSON, CLI and export all come through here.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from survey.domain.report import SubjectReport
from survey.domain.trend import TrendCell, find_trend
from survey.extensions import db
from survey.models import Campaign, CampaignStatus, Subject
from survey.services.frozen_reports import RESULT_STATUSES, frozen_report


@dataclass(frozen=True)
class PreviousReport:
    """The subject's report in their latest earlier campaign, and the change since."""

    campaign_id: int
    campaign_name: str
    report: SubjectReport
    trend: tuple[TrendCell, ...]


def previous_report(
    subject: Subject, current: SubjectReport, *, to_subject: bool
) -> PreviousReport | None:
    """The latest campaign closed before `subject`'s in which the same person was a subject.

    HR reads the latest closed or released one; the subject only a released one (SPEC §11).
    None when there is none, or while `subject`'s campaign has no results.
    """
    campaign = subject.campaign
    if campaign.status not in RESULT_STATUSES or campaign.closed_at is None:
        return None
    statuses = (CampaignStatus.RELEASED,) if to_subject else RESULT_STATUSES
    earlier: Subject | None = db.session.scalar(
        select(Subject)
        .join(Campaign, Campaign.id == Subject.campaign_id)
        .options(joinedload(Subject.campaign))
        .where(
            Subject.person_id == subject.person_id,
            Campaign.id != campaign.id,
            Campaign.status.in_(statuses),
            Campaign.closed_at < campaign.closed_at,
        )
        .order_by(Campaign.closed_at.desc(), Campaign.id.desc())
        .limit(1)
    )
    if earlier is None:
        return None
    report = frozen_report(earlier).report
    return PreviousReport(
        earlier.campaign_id, earlier.campaign.name, report, tuple(find_trend(current, report))
    )
