"""HR's organisation view: org norms per level and team, and response rates (SPEC §7.10, §8).

Norms are computed in SQL from the stored shown cells (`shown_score`): per level (or level and
team) and area, the exact mean of subjects' shown `all_others` scores, rounded half up, exactly
as `survey.domain.norms.compute_org_norms` does over the reports. Hidden cells are not stored,
so they can never enter a norm. Results are frozen after close, so norms are memoised per app.
HR sees every norm with its n; subjects see only those of at least 5 subjects (see norms.py).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, ClassVar

from flask import current_app
from sqlalchemy import func, select

from survey.domain.anonymity import ALL_OTHERS
from survey.domain.norms import ORG_NORM_MIN_SUBJECTS, AreaNorm, norms_for_subjects
from survey.domain.questionnaire import LEVELS, area_items
from survey.domain.rounding import round_score
from survey.extensions import db
from survey.models import Campaign, Invitation, InvitationStatus, Subject
from survey.models_reports import ShownScore
from survey.services.questionnaires import campaign_content
from survey.services.report_cache import precompute_reports, require_results

Norms = dict[str, AreaNorm]


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


def organisation_overview(campaign: Campaign) -> list[LevelOverview]:
    """Return one overview per level that has subjects, in level order.

    Raises InvalidState while the campaign is draft or open (nothing aggregate while open).
    Stores any missing frozen reports first (the caller commits).
    """
    require_results(campaign)
    norms = _campaign_norms(campaign)
    rates = response_rates(campaign)
    content = campaign_content(campaign)
    return [
        LevelOverview(
            level,
            content.level(level).title,
            [(key, title) for key, title, _ in area_items(level, content)],
            norms["levels"].get(level, {}),
            norms["teams"].get(level, {}),
            rates[level],
        )
        for level in LEVELS
        if level in rates
    ]


def level_norms(campaign: Campaign, level: str) -> Norms:
    """Return area → org norm for one level of a closed or released campaign (SPEC §7.10).

    Every norm, whatever its n: HR's figures. A subject-facing channel must pass them through
    `survey.domain.norms.norms_for_subjects` (as `survey.services.reports.report_view` does).
    """
    require_results(campaign)
    found: Norms = _campaign_norms(campaign)["levels"].get(level, {})
    return found


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


def _campaign_norms(campaign: Campaign) -> dict[str, Any]:
    memo = current_app.extensions.setdefault("survey_org_norms", {})
    key = (campaign.id, campaign.closed_at)
    if key not in memo:
        precompute_reports(campaign)
        content = campaign_content(campaign)
        order = {level: [a for a, _, _ in area_items(level, content)] for level in LEVELS}
        memo[key] = {
            "levels": _norms(campaign, order, with_team=False),
            "teams": _norms(campaign, order, with_team=True),
        }
    result: dict[str, Any] = memo[key]
    return result


def _norms(campaign: Campaign, order: dict[str, list[str]], *, with_team: bool) -> dict[str, Any]:
    keys = [ShownScore.level] + ([ShownScore.team] if with_team else [])
    rows = db.session.execute(
        select(*keys, ShownScore.area, func.sum(ShownScore.score_centi), func.count())
        .where(
            ShownScore.campaign_id == campaign.id,
            ShownScore.kind == "area",
            ShownScore.rater_group == ALL_OTHERS,
            ShownScore.section == "level",
        )
        .group_by(*keys, ShownScore.area)
    )
    found: dict[Any, dict[str, AreaNorm]] = defaultdict(dict)
    for *group, area, total, count in rows:
        score = round_score(Fraction(int(total), 100 * int(count)))
        found[tuple(group)][area] = AreaNorm(area, score, int(count))
    return _arrange(found, order, with_team)


def _arrange(
    found: dict[Any, dict[str, AreaNorm]], order: dict[str, list[str]], with_team: bool
) -> dict[str, Any]:
    """Nest as level → (team →) area → norm, areas in spoke order, teams alphabetical."""
    result: dict[str, Any] = {}
    for group in sorted(found):
        level = group[0]
        norms = {a: found[group][a] for a in order.get(level, []) if a in found[group]}
        if with_team:
            result.setdefault(level, {})[group[1]] = norms
        else:
            result[level] = norms
    return result
