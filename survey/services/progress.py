"""Campaign progress for HR: counts per subject and rater group, who has not answered (SPEC §5).

Progress counts are not answers: HR may see them while a campaign is open. Two grouped
queries, whatever the campaign's size.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import and_, func, select

from survey.domain.raters import ANONYMOUS_GROUPS, GroupWarning, group_warnings
from survey.extensions import db
from survey.i18n import gettext, ngettext
from survey.models import (
    RATER_GROUPS,
    Campaign,
    CampaignStatus,
    Invitation,
    InvitationStatus,
    Person,
    Rater,
    Subject,
)


@dataclass
class GroupProgress:
    """One rater group of one subject: invited, submitted and declined raters."""

    group: str
    invited: int = 0
    submitted: int = 0
    declined: int = 0

    @property
    def waiting(self) -> int:
        """Invitations neither submitted nor declined."""
        return self.invited - self.submitted - self.declined

    @property
    def rate(self) -> float | None:
        """Response rate 0..1 (submitted / invited), None without invitations."""
        return self.submitted / self.invited if self.invited else None

    def add(self, status: InvitationStatus, count: int) -> None:
        """Count `count` invitations with `status`."""
        self.invited += count
        self.submitted += count if status is InvitationStatus.SUBMITTED else 0
        self.declined += count if status is InvitationStatus.DECLINED else 0


@dataclass
class SubjectProgress:
    """A subject's progress by group, with the names still to answer (HR only)."""

    subject_id: int
    name: str
    email: str
    level: str
    include_next_level: bool
    groups: dict[str, GroupProgress] = field(default_factory=dict)
    not_answered: list[tuple[str, str]] = field(default_factory=list)  # (name, group)

    @property
    def total(self) -> GroupProgress:
        """All groups together."""
        total = GroupProgress("all")
        for group in self.groups.values():
            total.invited += group.invited
            total.submitted += group.submitted
            total.declined += group.declined
        return total


@dataclass
class CampaignProgress:
    """Every subject's progress plus the campaign totals."""

    subjects: list[SubjectProgress]
    total: GroupProgress


def campaign_progress(campaign: Campaign) -> CampaignProgress:
    """Invited / submitted / declined per subject and group, and who has not answered."""
    subjects = _subjects(campaign)
    total = GroupProgress("all")
    query = (
        select(Invitation.subject_id, Invitation.rater_group, Invitation.status, func.count())
        .where(Invitation.campaign_id == campaign.id)
        .group_by(Invitation.subject_id, Invitation.rater_group, Invitation.status)
    )
    for subject_id, group, status, count in db.session.execute(query):
        subjects[subject_id].groups[group].add(status, count)
        total.add(status, count)
    for subject_id, name, group in _not_answered(campaign):
        subjects[subject_id].not_answered.append((name, group))
    return CampaignProgress(subjects=list(subjects.values()), total=total)


def _subjects(campaign: Campaign) -> dict[int, SubjectProgress]:
    query = (
        select(Subject, Person.email)
        .join(Person, Subject.person_id == Person.id)
        .where(Subject.campaign_id == campaign.id)
        .order_by(Subject.name, Subject.id)
    )
    return {
        subject.id: SubjectProgress(
            subject.id,
            subject.name,
            email,
            subject.level,
            subject.include_next_level,
            {group: GroupProgress(group) for group in RATER_GROUPS},
        )
        for subject, email in db.session.execute(query)
    }


def _not_answered(campaign: Campaign) -> list[tuple[int, str, str]]:
    query = (
        select(Invitation.subject_id, Person.name, Invitation.rater_group)
        .join(Rater, Invitation.rater_id == Rater.id)
        .join(Person, Rater.person_id == Person.id)
        .where(
            Invitation.campaign_id == campaign.id,
            Invitation.status.in_([InvitationStatus.PENDING, InvitationStatus.OPENED]),
        )
        .order_by(Invitation.rater_group, Person.name)
    )
    return [(subject_id, name, group) for subject_id, name, group in db.session.execute(query)]


def launch_warnings(campaign: Campaign, progress: CampaignProgress) -> list[str]:
    """Sentences for HR about anonymous groups below k, before launch, each naming the raters
    it counts (SPEC §4)."""
    counts = {s.subject_id: {g: p.invited for g, p in s.groups.items()} for s in progress.subjects}
    managers = [s.subject_id for s in progress.subjects if s.level != "individual_contributor"]
    names = {s.subject_id: s.name for s in progress.subjects}
    warnings: list[GroupWarning] = group_warnings(
        counts, campaign.min_raters, expect_reports=managers, names=_small_group_names(campaign)
    )
    return [_warning_sentence(warning, names[warning.subject_id]) for warning in warnings]


def _warning_sentence(warning: GroupWarning, name: str) -> str:
    """`GroupWarning.message` in the current language (SPEC §14): HR's page in HR's language,
    the CLI (no request) in the default language, English."""
    group = warning.group
    if warning.count == 0:
        if group == "peers":
            return gettext("%(name)s: no peers.", name=name)
        return gettext("%(name)s: no direct reports.", name=name)
    named = f" ({', '.join(warning.raters)})" if warning.raters else ""
    if group == "peers":
        return ngettext(
            "%(name)s: %(num)d peer%(named)s, below k = %(k)s; their answers will be merged "
            "with other small groups or not shown.",
            "%(name)s: %(num)d peers%(named)s, below k = %(k)s; their answers will be merged "
            "with other small groups or not shown.",
            warning.count,
            name=name,
            named=named,
            k=warning.k,
        )
    return ngettext(
        "%(name)s: %(num)d direct report%(named)s, below k = %(k)s; their answers will be "
        "merged with other small groups or not shown.",
        "%(name)s: %(num)d direct reports%(named)s, below k = %(k)s; their answers will be "
        "merged with other small groups or not shown.",
        warning.count,
        name=name,
        named=named,
        k=warning.k,
    )


def _small_group_names(campaign: Campaign) -> dict[tuple[int, str], list[str]]:
    """(subject id, group) → rater names, by name, for the anonymous groups below k only."""
    small = (
        select(Invitation.subject_id, Invitation.rater_group)
        .where(
            Invitation.campaign_id == campaign.id,
            Invitation.rater_group.in_(ANONYMOUS_GROUPS),
        )
        .group_by(Invitation.subject_id, Invitation.rater_group)
        .having(func.count() < campaign.min_raters)
        .subquery()
    )
    query = (
        select(Invitation.subject_id, Invitation.rater_group, Person.name)
        .join(
            small,
            and_(
                small.c.subject_id == Invitation.subject_id,
                small.c.rater_group == Invitation.rater_group,
            ),
        )
        .join(Rater, Invitation.rater_id == Rater.id)
        .join(Person, Rater.person_id == Person.id)
        .order_by(Person.name, Person.id)
    )
    names: dict[tuple[int, str], list[str]] = {}
    for subject_id, group, name in db.session.execute(query):
        names.setdefault((subject_id, group), []).append(name)
    return names


def next_action(campaign: Campaign, now: datetime) -> str | None:
    """The one thing HR does next: launch, remind, close, release, or nothing once released."""
    if campaign.status is CampaignStatus.DRAFT:
        return "launch"
    if campaign.status is CampaignStatus.OPEN:
        return "remind" if campaign.accepts_answers(now) else "close"
    if campaign.status is CampaignStatus.CLOSED:
        return "release"
    return None
