"""Test data builders: people, campaigns, subjects, raters with tokens, invitations, responses.

They write straight to the database (no HTTP) so a test can start from any state; they add and
flush, and the caller commits (or uses `commit=True`).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from survey.extensions import db
from survey.models import (
    Answer,
    Campaign,
    CampaignStatus,
    Comment,
    Invitation,
    InvitationStatus,
    Person,
    Rater,
    Response,
    Subject,
    SubmissionReceipt,
    User,
    UserRole,
)
from survey.tokens import hash_token, new_token

NOW = datetime(2026, 11, 29, 12, 0, tzinfo=UTC)


def make_person(
    email: str,
    name: str | None = None,
    level: str = "individual_contributor",
    manager: Person | None = None,
    team: str = "Team",
) -> Person:
    """A person in the org chart."""
    person = Person(
        email=email.lower(),
        name=name or email.split("@")[0].replace(".", " ").title(),
        level=level,
        manager=manager,
        team=team,
    )
    db.session.add(person)
    db.session.flush()
    return person


def make_campaign(
    name: str = "Spring 360",
    status: CampaignStatus = CampaignStatus.OPEN,
    min_raters: int = 3,
    closes_in: timedelta = timedelta(days=14),
    now: datetime | None = None,
    timezone_name: str = "Europe/Paris",
) -> Campaign:
    """A campaign in the given state; launched ones carry the questionnaire snapshot."""
    from survey.domain.questionnaire import default_content

    now = now or datetime.now(UTC)
    closes_at = now + closes_in
    campaign = Campaign(
        name=name,
        status=status,
        deadline=closes_at.date(),
        timezone=timezone_name,
        closes_at=closes_at,
        min_raters=min_raters,
    )
    if status is not CampaignStatus.DRAFT:
        campaign.questionnaire_snapshot = default_content().to_snapshot()
        campaign.launched_at = now - timedelta(days=1)
    if status in (CampaignStatus.CLOSED, CampaignStatus.RELEASED):
        campaign.closed_at = now
    if status is CampaignStatus.RELEASED:
        campaign.released_at = now
    db.session.add(campaign)
    db.session.flush()
    return campaign


def add_subject(
    campaign: Campaign, person: Person, include_next_level: bool = False
) -> Subject:
    """Put a person in a campaign as a subject at their current level."""
    subject = Subject(
        campaign=campaign,
        person=person,
        level=person.level,
        name=person.name,
        include_next_level=include_next_level,
    )
    db.session.add(subject)
    db.session.flush()
    return subject


def rater_link(campaign: Campaign, person: Person) -> tuple[Rater, str]:
    """The rater's personal link record for a campaign, with a fresh token (returned in clear)."""
    rater = db.session.scalar(
        db.select(Rater).filter_by(campaign_id=campaign.id, person_id=person.id)
    )
    token = new_token()
    if rater is None:
        rater = Rater(campaign=campaign, person=person)
        db.session.add(rater)
    rater.token_hash = hash_token(token)
    rater.invited_at = campaign.launched_at or datetime.now(UTC)
    db.session.flush()
    return rater, token


def invite(
    subject: Subject,
    rater_person: Person,
    group: str,
    status: InvitationStatus = InvitationStatus.PENDING,
) -> tuple[Invitation, str]:
    """Invite a person to rate a subject; returns the invitation and the rater's link token."""
    rater, token = rater_link(subject.campaign, rater_person)
    invitation = Invitation(
        campaign_id=subject.campaign_id,
        subject=subject,
        rater=rater,
        rater_group=group,
        status=status,
    )
    db.session.add(invitation)
    db.session.flush()
    return invitation, token


def add_response(
    subject: Subject,
    group: str,
    answers: dict[str, int | None],
    comments: dict[str, str] | None = None,
    invitation: Invitation | None = None,
) -> Response:
    """Store a submitted response directly (as if submitted), optionally marking an invitation."""
    content = _content()
    area_of = {
        item.key: item.area
        for level in content.levels
        for responsibility in level.responsibilities
        for item in responsibility.items
    }
    response = Response(campaign_id=subject.campaign_id, subject_id=subject.id, rater_group=group)
    db.session.add(response)
    db.session.flush()
    for key, value in answers.items():
        db.session.add(Answer(response_id=response.id, item=key, area=area_of[key], value=value))
    for key, text in (comments or {}).items():
        db.session.add(Comment(response_id=response.id, question=key, text=text))
    if invitation is not None:
        invitation.status = InvitationStatus.SUBMITTED
        db.session.add(SubmissionReceipt(invitation_id=invitation.id))
    db.session.flush()
    return response


def make_hr_user(email: str = "hr@example.test", password: str = "correct horse battery") -> User:
    """An HR account with a hashed password."""
    from werkzeug.security import generate_password_hash

    user = User(email=email, role=UserRole.HR, password_hash=generate_password_hash(password))
    db.session.add(user)
    db.session.flush()
    return user


def make_subject_user(person: Person) -> User:
    """A subject's account (signs in with a one-time link)."""
    user = User(email=person.email, role=UserRole.SUBJECT, person=person)
    db.session.add(user)
    db.session.flush()
    return user


def _content() -> Any:
    from survey.domain.questionnaire import default_content

    return default_content()


def deadline_date(days: int = 14) -> date:
    """A date `days` from today."""
    return (datetime.now(UTC) + timedelta(days=days)).date()
