"""HR's organisation overview of a closed campaign: norms per level and team, response rates
(SPEC §7.10, §8).

The norms are those frozen with the campaign's reports (`survey.services.frozen_reports`),
computed by `survey.domain.norms` from subjects' shown `all_others` area scores, so a hidden
cell never enters a norm. HR sees every norm with its n; subjects see only those of at least
5 subjects (`survey.domain.norms.norms_for_subjects`).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import ClassVar

from sqlalchemy import func, select

from survey.domain.norms import ORG_NORM_MIN_SUBJECTS, AreaNorm, norms_for_subjects
from survey.domain.questionnaire import LEVELS, area_items
from survey.extensions import db
from survey.models import Campaign, Invitation, InvitationStatus, Subject
from survey.services.frozen_reports import LevelNorms, campaign_norms
from survey.services.questionnaires import campaign_content

Norms = dict[str, AreaNorm]
NO_NORMS = LevelNorms({}, {})


@dataclass(frozen=True)
class ResponseRates:
    """Progress counts for one level (not answers: HR may see them, SPEC §5)."""

    subjects: int = 0
    invited: int = 0
    submitted: int = 0
    declined: int = 0

    @property
    def percent(self) -> int:
        """Submitted invitations as a whole percentage of all invitations (0 when none)."""
        return round(100 * self.submitted / self.invited) if self.invited else 0


@dataclass(frozen=True)
class LevelOverview:
    """One level of a campaign: areas in spoke order, norms, norms per team, response rates."""

    level: str
    title: str
    areas: list[tuple[str, str]]
    norms: Norms
    teams: dict[str, Norms]
    rates: ResponseRates
    norm_min_subjects: ClassVar[int] = ORG_NORM_MIN_SUBJECTS

    @property
    def norms_for_subjects(self) -> Norms:
        """The norms this level's subjects see in their own reports (n >= 5 subjects)."""
        return norms_for_subjects(self.norms)

    @property
    def teams_with_norms(self) -> dict[str, Norms]:
        """Team → the area norms of at least 5 managers (SPEC §10: no norm from fewer), teams
        with none left out; the organisation view draws only these."""
        shown = {team: norms_for_subjects(norms) for team, norms in self.teams.items()}
        return {team: norms for team, norms in shown.items() if norms}


def organisation_overview(campaign: Campaign, language: str | None = None) -> list[LevelOverview]:
    """Return one overview per level that has subjects, in level order; level and area titles
    in `language` where the campaign's snapshot has it (SPEC §14), else the base language.

    Raises InvalidState while the campaign is draft or open (nothing aggregate while open).
    """
    norms = campaign_norms(campaign)
    rates = response_rates(campaign)
    content = campaign_content(campaign, language)
    overviews = []
    for level in [lv for lv in LEVELS if lv in rates]:
        found = norms.get(level, NO_NORMS)
        areas = [(key, title) for key, title, _ in area_items(level, content)]
        title = content.level(level).title
        overviews.append(LevelOverview(level, title, areas, found.norms, found.teams, rates[level]))
    return overviews


def response_rates(campaign: Campaign) -> dict[str, ResponseRates]:
    """Return level → subjects and invitations invited / submitted / declined."""
    subjects = dict(
        db.session.execute(
            select(Subject.level, func.count())
            .where(Subject.campaign_id == campaign.id)
            .group_by(Subject.level)
        ).all()
    )
    counts: dict[str, dict[InvitationStatus, int]] = defaultdict(dict)
    for level, status, count in db.session.execute(
        select(Subject.level, Invitation.status, func.count())
        .join(Subject, Invitation.subject_id == Subject.id)
        .where(Invitation.campaign_id == campaign.id)
        .group_by(Subject.level, Invitation.status)
    ):
        counts[level][status] = count
    return {
        level: ResponseRates(
            subjects=int(subjects[level]),
            invited=sum(counts[level].values()),
            submitted=counts[level].get(InvitationStatus.SUBMITTED, 0),
            declined=counts[level].get(InvitationStatus.DECLINED, 0),
        )
        for level in LEVELS
        if level in subjects
    }
