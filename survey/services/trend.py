"""The previous campaign of a subject and the change since then (SPEC §11).

Both sides are frozen reports (`survey.services.frozen_reports`), so the trend is computed at
read time from cells each report showed; page, JSON, CLI and export all come through here.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from survey.domain.norms import AreaNorm, norms_for_subjects
from survey.domain.report import SubjectReport
from survey.domain.trend import TrendCell, find_trend, norm_trend
from survey.extensions import db
from survey.models import Campaign, CampaignStatus, Subject
from survey.services.frozen_reports import (
    RESULT_STATUSES,
    campaign_norms,
    frozen_report,
    stored_reports,
)


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


@dataclass(frozen=True)
class OrgTrend:
    """HR's organisation view against the previous campaign: per level, the change of each
    area norm shown in both (`levels`), and per team shown in both (`teams`)."""

    campaign_id: int
    campaign_name: str
    levels: dict[str, dict[str, float]]
    teams: dict[str, dict[str, dict[str, float]]]


def previous_campaign(campaign: Campaign) -> Campaign | None:
    """The latest other campaign with results that closed before `campaign`, or None."""
    if campaign.closed_at is None:
        return None
    found: Campaign | None = db.session.scalar(
        select(Campaign)
        .where(
            Campaign.id != campaign.id,
            Campaign.status.in_(RESULT_STATUSES),
            Campaign.closed_at < campaign.closed_at,
        )
        .order_by(Campaign.closed_at.desc(), Campaign.id.desc())
        .limit(1)
    )
    return found


def org_trend(campaign: Campaign) -> OrgTrend | None:
    """The change of every level and team norm shown in both this campaign and the previous
    one (SPEC §11 for HR's organisation view; a norm of fewer managers than the norm rule
    allows is not shown, so it has no change); None without a previous campaign."""
    previous = previous_campaign(campaign)
    if previous is None:
        return None
    now, before = campaign_norms(campaign), campaign_norms(previous)
    levels: dict[str, dict[str, float]] = {}
    teams: dict[str, dict[str, dict[str, float]]] = {}
    for level, norms in now.items():
        if level not in before:
            continue
        levels[level] = norm_trend(_scores(norms.norms), _scores(before[level].norms))
        teams[level] = {
            team: norm_trend(_scores(team_norms), _scores(before[level].teams[team]))
            for team, team_norms in norms.teams.items()
            if team in before[level].teams
        }
    return OrgTrend(previous.id, previous.name, levels, teams)


def _scores(norms: Mapping[str, AreaNorm]) -> dict[str, float]:
    """The norms the organisation view shows (SPEC §10: none from fewer managers than the
    norm rule allows), by area."""
    return {area: norm.score for area, norm in norms_for_subjects(norms).items()}


def previous_reports(campaign: Campaign) -> dict[int, PreviousReport]:
    """Subject id → that person's previous report (HR's view: closed or released), for every
    subject of `campaign`, set-wise: one query finds each person's latest earlier campaign,
    one reads the frozen reports (any missing one is computed, as `frozen_report` does).
    `trend` is left empty: the caller pairs each with its current report (`find_trend`)."""
    if campaign.closed_at is None:
        return {}
    current = select(Subject.id, Subject.person_id).where(Subject.campaign_id == campaign.id)
    mine = current.subquery()
    rank = (
        func.row_number()
        .over(
            partition_by=Subject.person_id,
            order_by=(Campaign.closed_at.desc(), Campaign.id.desc()),
        )
        .label("rank")
    )
    earlier = (
        select(mine.c.id.label("current_id"), Subject.id.label("earlier_id"), rank)
        .join(Subject, Subject.person_id == mine.c.person_id)
        .join(Campaign, Campaign.id == Subject.campaign_id)
        .where(
            Campaign.id != campaign.id,
            Campaign.status.in_(RESULT_STATUSES),
            Campaign.closed_at < campaign.closed_at,
        )
        .subquery()
    )
    pairs = dict(
        db.session.execute(
            select(earlier.c.current_id, earlier.c.earlier_id).where(earlier.c.rank == 1)
        ).all()
    )
    if not pairs:
        return {}
    subjects = db.session.scalars(
        select(Subject)
        .options(joinedload(Subject.campaign))
        .where(Subject.id.in_(pairs.values()))
    ).all()
    stored = stored_reports(list(pairs.values()))
    by_id = {s.id: s for s in subjects}
    found = {}
    for current_id, earlier_id in pairs.items():
        subject = by_id[earlier_id]
        scored = stored.get(earlier_id) or frozen_report(subject)
        found[current_id] = PreviousReport(
            subject.campaign_id, subject.campaign.name, scored.report, ()
        )
    return found
