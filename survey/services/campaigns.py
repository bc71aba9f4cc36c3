"""Campaign set-up while `draft`: create, edit, subjects and raters (SPEC §4, §5).

Services add/flush and never commit; the view or CLI command commits once, then sends the
returned mail. Bulk work (subjects, raters, invitations) uses Core inserts so a campaign over
thousands of people is set up in a few set-based statements. The lifecycle actions (launch,
remind, close, release) live in `survey.services.lifecycle` and are re-exported here.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import delete, func, insert, select, update

from survey.domain.agreement import effective_spread_min
from survey.domain.content import LEVELS
from survey.domain.deadlines import check_deadline, check_timezone, closes_at
from survey.domain.nomination import PeerLimits
from survey.domain.orgchart import normalise_email
from survey.domain.raters import Assignment, assign_default_raters
from survey.domain.schedule import check_release_after, parse_reminder_days
from survey.domain.text import name_problems
from survey.errors import InvalidState, NotFound, SurveyError
from survey.extensions import db
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
from survey.services.orgchart import find_people, org_people
from survey.services.questionnaire_sets import check_launchable

MIN_K = 2


class CampaignError(SurveyError):
    """Campaign settings or set-up that cannot be used (bad name, k, subjects, raters)."""


@dataclass(frozen=True)
class CampaignSettings:
    """What HR sets on a draft campaign (SPEC §5)."""

    name: str
    deadline: date
    timezone: str
    min_raters: int = 3
    max_peers: int = 5
    questionnaire_set_id: int | None = None  # None: the built-in set (issue 21)
    # nomination and the clock (SPEC §13, issue 18)
    nomination: bool = False
    min_peers: int = 3
    max_requests_per_rater: int = 8
    nomination_deadline: date | None = None
    reminder_days: Sequence[int] = ()
    release_after_days: int | None = None
    spread_min: int | None = None  # SPEC §10 agreement; None: 5, or min_raters when larger


@dataclass(frozen=True)
class SubjectChoice:
    """Who to review: everyone at `levels`, plus people by e-mail; `next_level` also asks
    about the next level's areas (readiness) for those e-mails."""

    levels: Sequence[str] = ()
    emails: Sequence[str] = ()
    next_level: Sequence[str] = field(default_factory=tuple)


def get_campaign(campaign_id: int) -> Campaign:
    """The campaign with this id; raises NotFound."""
    campaign = db.session.get(Campaign, campaign_id)
    if campaign is None:
        raise NotFound(f"no campaign {campaign_id}")
    return campaign


def list_campaigns() -> Sequence[Campaign]:
    """Every campaign, newest first."""
    return db.session.scalars(select(Campaign).order_by(Campaign.id.desc())).all()


def create_campaign(
    settings: CampaignSettings, subjects: SubjectChoice | None = None, *, now: datetime
) -> Campaign:
    """A new draft campaign with its subjects and default raters (SPEC §4, §5).

    Raises CampaignError/DeadlineError for bad settings (k < 2, unknown zone, past deadline),
    SetError for a questionnaire set without a saved version, and NotFound for e-mails that
    are not in the org chart.
    """
    campaign = Campaign(status=CampaignStatus.DRAFT)
    _apply_settings(campaign, settings, now)
    db.session.add(campaign)
    db.session.flush()
    if subjects is not None:
        add_subjects(campaign, subjects)
    return campaign


def update_campaign(campaign: Campaign, settings: CampaignSettings, *, now: datetime) -> None:
    """Change a draft campaign's settings; raises InvalidState once launched."""
    require_draft(campaign, "edited")
    _apply_settings(campaign, settings, now)
    db.session.flush()


def require_draft(campaign: Campaign, verb: str) -> None:
    """Raise InvalidState unless the campaign is still a draft."""
    if campaign.status is not CampaignStatus.DRAFT:
        raise InvalidState(
            f"campaign {campaign.id} is {campaign.status.value}; only a draft can be {verb}"
        )


def _apply_settings(campaign: Campaign, settings: CampaignSettings, now: datetime) -> None:
    name = settings.name.strip()
    if not name or len(name) > 200:
        raise CampaignError("a campaign needs a name of 1 to 200 characters")
    problems = name_problems(name, "the campaign name")
    if problems:
        raise CampaignError("; ".join(problems))
    if settings.min_raters < MIN_K:
        raise CampaignError(f"k (minimum raters) must be at least {MIN_K}")
    if settings.max_peers < 1:
        raise CampaignError("at most-peers must be at least 1")
    spread_min = effective_spread_min(settings.spread_min, settings.min_raters)
    if settings.spread_min is not None and settings.spread_min < settings.min_raters:
        raise CampaignError(
            "agreement can only be shown from at least the minimum group size "
            f"({settings.min_raters}) answers"
        )
    check_timezone(settings.timezone)
    check_launchable(settings.questionnaire_set_id)
    campaign.questionnaire_set_id = settings.questionnaire_set_id
    campaign.closes_at = check_deadline(settings.deadline, settings.timezone, now)
    campaign.name, campaign.deadline, campaign.timezone = name, settings.deadline, settings.timezone
    campaign.min_raters, campaign.max_peers = settings.min_raters, settings.max_peers
    campaign.spread_min = spread_min
    _apply_nomination_and_clock(campaign, settings, now)


def _apply_nomination_and_clock(
    campaign: Campaign, settings: CampaignSettings, now: datetime
) -> None:
    """Peer limits, the nomination deadline, reminder days and release delay (SPEC §13)."""
    limits = PeerLimits(settings.min_peers, settings.max_peers, settings.max_requests_per_rater)
    if settings.nomination:
        limits.check()
    elif limits.max_requests < 1:
        raise CampaignError("the most requests per rater must be at least 1")
    campaign.nomination_closes_at = _nomination_closes_at(campaign, settings, now)
    campaign.nomination, campaign.nomination_deadline = (
        settings.nomination,
        settings.nomination_deadline,
    )
    campaign.min_peers, campaign.max_requests_per_rater = limits.min_peers, limits.max_requests
    campaign.reminder_days = list(parse_reminder_days(settings.reminder_days))
    campaign.release_after_days = check_release_after(settings.release_after_days)


def _nomination_closes_at(
    campaign: Campaign, settings: CampaignSettings, now: datetime
) -> datetime | None:
    if settings.nomination_deadline is None:
        return None
    if not settings.nomination:
        raise CampaignError("a nomination deadline needs the nomination step switched on")
    day, zone = settings.nomination_deadline, settings.timezone
    closes = closes_at(day, zone)
    if closes <= now and day != campaign.nomination_deadline:  # an unchanged one may be past
        raise CampaignError(f"the nomination deadline {day.isoformat()} ({zone}) has passed")
    if closes >= closes_at(settings.deadline, zone):
        raise CampaignError("the nomination deadline must come before the answer deadline")
    return closes


def add_subjects(campaign: Campaign, choice: SubjectChoice) -> int:
    """Add subjects by level and e-mail with their default raters; returns how many are new.

    People already reviewed stay (their `include_next_level` is switched on when listed in
    `choice.next_level`). Raises NotFound naming every unknown e-mail, CampaignError for an
    unknown level, InvalidState once launched.
    """
    require_draft(campaign, "changed")
    person_ids = _chosen_people(choice)
    next_ids = set(_people_by_email(choice.next_level).values()) if choice.next_level else set()
    existing = set(_subject_people(campaign))
    new_ids = sorted((person_ids | next_ids) - existing)
    _insert_subjects(campaign, new_ids, next_ids)
    _mark_next_level(campaign, next_ids & existing)
    assignments = assign_default_raters(
        org_people(),
        new_ids,
        k=campaign.min_raters,
        max_peers=campaign.max_peers,
        initial_load=_rater_load(campaign),
        max_requests=campaign.max_requests_per_rater,
    )
    _insert_invitations(campaign, assignments)
    return len(new_ids)


def _chosen_people(choice: SubjectChoice) -> set[int]:
    unknown = [level for level in choice.levels if level not in LEVELS]
    if unknown:
        raise CampaignError(f"unknown level {', '.join(unknown)}; use one of {', '.join(LEVELS)}")
    ids: set[int] = set()
    if choice.levels:
        query = select(Person.id).where(Person.level.in_(list(choice.levels)))
        ids.update(db.session.scalars(query))
    ids.update(_people_by_email(choice.emails).values())
    return ids


def _people_by_email(emails: Iterable[str]) -> dict[str, int]:
    wanted = [normalise_email(e) for e in emails if e.strip()]
    found = {email: person.id for email, person in find_people(wanted).items()}
    missing = sorted({e for e in wanted if e not in found})
    if missing:
        raise NotFound(f"not in the org chart: {', '.join(missing)}")
    return found


def _subject_people(campaign: Campaign) -> dict[int, int]:
    """person id → subject id for the campaign's subjects."""
    query = select(Subject.person_id, Subject.id).where(Subject.campaign_id == campaign.id)
    return {person_id: subject_id for person_id, subject_id in db.session.execute(query)}


def _insert_subjects(campaign: Campaign, person_ids: Sequence[int], next_ids: set[int]) -> None:
    if not person_ids:
        return
    query = select(Person.id, Person.level, Person.name).where(Person.id.in_(person_ids))
    rows = [
        {
            "campaign_id": campaign.id,
            "person_id": person_id,
            "level": level,
            "name": name,
            "include_next_level": person_id in next_ids,
        }
        for person_id, level, name in db.session.execute(query)
    ]
    db.session.execute(insert(Subject.__table__), rows)
    db.session.expire(campaign, ["subjects"])


def _mark_next_level(campaign: Campaign, person_ids: set[int]) -> None:
    if person_ids:
        db.session.execute(
            update(Subject.__table__)
            .where(Subject.campaign_id == campaign.id, Subject.person_id.in_(person_ids))
            .values(include_next_level=True)
        )


def _rater_load(campaign: Campaign) -> dict[int, int]:
    """person id → invitations they already have in this campaign."""
    query = (
        select(Rater.person_id, func.count(Invitation.id))
        .join(Invitation, Invitation.rater_id == Rater.id)
        .where(Rater.campaign_id == campaign.id)
        .group_by(Rater.person_id)
    )
    return {person_id: count for person_id, count in db.session.execute(query)}


def _rater_ids(campaign: Campaign, person_ids: Iterable[int]) -> dict[int, int]:
    """person id → rater id, creating the campaign's missing Rater rows in one insert."""
    query = select(Rater.person_id, Rater.id).where(Rater.campaign_id == campaign.id)
    known = {person_id: rater_id for person_id, rater_id in db.session.execute(query)}
    missing = sorted(set(person_ids) - set(known))
    if missing:
        rows = [{"campaign_id": campaign.id, "person_id": person_id} for person_id in missing]
        db.session.execute(insert(Rater.__table__), rows)
        known = {person_id: rater_id for person_id, rater_id in db.session.execute(query)}
    return known


def _insert_invitations(
    campaign: Campaign, assignments: Sequence[Assignment], added_by_hr: bool = False
) -> None:
    if not assignments:
        return
    raters = _rater_ids(campaign, {a.rater_id for a in assignments})
    subjects = _subject_people(campaign)
    rows = [
        {
            "campaign_id": campaign.id,
            "subject_id": subjects[a.subject_id],
            "rater_id": raters[a.rater_id],
            "rater_group": a.group,
            "status": InvitationStatus.PENDING,
            "added_by_hr": added_by_hr,
        }
        for a in assignments
    ]
    db.session.execute(insert(Invitation.__table__), rows)


def count_invitations(campaign: Campaign) -> int:
    """How many invitations the campaign has (one count query)."""
    query = select(func.count(Invitation.id)).where(Invitation.campaign_id == campaign.id)
    return db.session.scalar(query) or 0


def get_subject(campaign: Campaign, subject_id: int) -> Subject:
    """One subject of this campaign; raises NotFound."""
    subject = db.session.get(Subject, subject_id)
    if subject is None or subject.campaign_id != campaign.id:
        raise NotFound(f"no subject {subject_id} in campaign {campaign.id}")
    return subject


def remove_subject(campaign: Campaign, subject_id: int) -> None:
    """Take a subject (and their invitations) out of a draft campaign."""
    require_draft(campaign, "changed")
    subject = get_subject(campaign, subject_id)
    db.session.execute(delete(Invitation.__table__).where(Invitation.subject_id == subject.id))
    db.session.delete(subject)
    db.session.flush()
    _drop_idle_raters(campaign)


def set_include_next_level(campaign: Campaign, subject_id: int, value: bool) -> Subject:
    """Ask (or stop asking) about the next level's areas for one subject, while draft."""
    require_draft(campaign, "changed")
    subject = get_subject(campaign, subject_id)
    subject.include_next_level = value
    db.session.flush()
    return subject


def add_rater(campaign: Campaign, subject_id: int, email: str, group: str) -> Invitation:
    """HR adds a rater for a subject before launch (SPEC §4).

    Raises CampaignError for an unknown group, a subject rating themself as anyone but `self`
    (or someone else as `self`), or a person already asked about this subject; NotFound for an
    e-mail outside the org chart; InvalidState once launched.
    """
    require_draft(campaign, "changed")
    subject = get_subject(campaign, subject_id)
    person_id = _people_by_email([email])[normalise_email(email)]
    _check_rater(subject, person_id, group)
    from survey.services.nominations import check_rater_load

    check_rater_load(campaign, person_id)
    _insert_invitations(
        campaign, [Assignment(subject.person_id, person_id, group)], added_by_hr=True
    )
    rater_id = _rater_ids(campaign, [person_id])[person_id]
    query = select(Invitation).where(
        Invitation.subject_id == subject.id, Invitation.rater_id == rater_id
    )
    return db.session.scalars(query).one()


def _check_rater(subject: Subject, person_id: int, group: str) -> None:
    if group not in RATER_GROUPS:
        raise CampaignError(f"unknown rater group {group!r}; use one of {', '.join(RATER_GROUPS)}")
    if (person_id == subject.person_id) != (group == "self"):
        raise CampaignError(f"{subject.name} can only rate themself as 'self'")
    query = (
        select(Invitation.rater_group)
        .join(Rater, Invitation.rater_id == Rater.id)
        .where(Invitation.subject_id == subject.id, Rater.person_id == person_id)
    )
    already = db.session.scalar(query)
    if already is not None:
        label = already.replace("_", " ")
        raise CampaignError(f"that person already rates {subject.name} (as {label})")


def replace_peers(campaign: Campaign, subject: Subject, person_ids: Iterable[int]) -> None:
    """Make exactly `person_ids` the subject's peers in a draft (an approved nomination)."""
    require_draft(campaign, "changed")
    db.session.execute(
        delete(Invitation.__table__).where(
            Invitation.subject_id == subject.id, Invitation.rater_group == "peers"
        )
    )
    assignments = [Assignment(subject.person_id, p, "peers") for p in sorted(set(person_ids))]
    _insert_invitations(campaign, assignments)
    _drop_idle_raters(campaign)


def same_name_campaigns(campaign: Campaign) -> list[Campaign]:
    """Other campaigns with the same name (case and spaces aside), newest first."""
    query = (
        select(Campaign)
        .where(
            func.lower(func.trim(Campaign.name)) == campaign.name.strip().lower(),
            Campaign.id != campaign.id,
        )
        .order_by(Campaign.id.desc())
    )
    return list(db.session.scalars(query))


def remove_invitation(campaign: Campaign, invitation_id: int) -> None:
    """HR removes one rater from one subject before launch; raises NotFound/InvalidState."""
    require_draft(campaign, "changed")
    invitation = db.session.get(Invitation, invitation_id)
    if invitation is None or invitation.campaign_id != campaign.id:
        raise NotFound(f"no invitation {invitation_id} in campaign {campaign.id}")
    db.session.delete(invitation)
    db.session.flush()
    _drop_idle_raters(campaign)


def _drop_idle_raters(campaign: Campaign) -> None:
    """Delete the campaign's Rater rows left without any invitation."""
    busy = select(Invitation.rater_id).where(Invitation.campaign_id == campaign.id)
    db.session.execute(
        delete(Rater.__table__).where(Rater.campaign_id == campaign.id, Rater.id.not_in(busy))
    )
    db.session.expire(campaign, ["raters"])


def subject_invitations(subject: Subject) -> list[tuple[Invitation, Person]]:
    """A subject's invitations with the rater's person, by group then name."""
    query = (
        select(Invitation, Person)
        .join(Rater, Invitation.rater_id == Rater.id)
        .join(Person, Rater.person_id == Person.id)
        .where(Invitation.subject_id == subject.id)
        .order_by(Invitation.rater_group, Person.name)
    )
    return [(invitation, person) for invitation, person in db.session.execute(query)]


from survey.services.lifecycle import (  # noqa: E402  (re-exported for callers)
    LaunchResult,
    RemindResult,
    close_campaign,
    launch_campaign,
    release_campaign,
    remind_campaign,
)

__all__ = [
    "CampaignError",
    "CampaignSettings",
    "LaunchResult",
    "RemindResult",
    "SubjectChoice",
    "add_rater",
    "add_subjects",
    "close_campaign",
    "count_invitations",
    "create_campaign",
    "get_campaign",
    "get_subject",
    "launch_campaign",
    "list_campaigns",
    "release_campaign",
    "remind_campaign",
    "remove_invitation",
    "remove_subject",
    "replace_peers",
    "require_draft",
    "same_name_campaigns",
    "set_include_next_level",
    "subject_invitations",
    "update_campaign",
]
