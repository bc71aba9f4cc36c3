"""Tables, relationships and guarded state changes (SPEC §2, §4–§6); no scoring rules here.

Anonymity by schema (SPEC §6): `Response`, `Answer` and `Comment` carry campaign, subject and
rater group only. Who has answered is recorded on `Invitation` and `SubmissionReceipt`, which
share no column with a response. Response ids are random, and the response tables are created
WITHOUT ROWID on SQLite, so neither ids nor storage order reveal submission order.
"""

from __future__ import annotations

import enum
import secrets
from datetime import UTC, date, datetime
from typing import Any

from flask_login import UserMixin
from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Enum,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator

from survey.domain.content import LEVELS as LEVELS  # re-exported: one source
from survey.domain.content import RATER_GROUPS as RATER_GROUPS
from survey.errors import InvalidState
from survey.extensions import db


def utcnow() -> datetime:
    """Now, timezone-aware UTC."""
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """A DateTime stored as naive UTC and always read back timezone-aware (SQLite drops tz)."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; pass an aware UTC datetime")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        return None if value is None else value.replace(tzinfo=UTC)


def _enum(cls: type[enum.Enum]) -> Enum:
    """A string column holding the enum's values, checked by a named constraint."""
    return Enum(
        cls,
        name=cls.__name__.lower(),
        values_callable=lambda members: [m.value for m in members],
        native_enum=False,
        validate_strings=True,
        create_constraint=True,
        length=20,
    )


def new_response_id() -> str:
    """A random 128-bit id: says nothing about when or in what order a response came."""
    return secrets.token_hex(16)


class CampaignStatus(str, enum.Enum):
    """SPEC §5: draft → open → closed → released; never backwards."""

    DRAFT = "draft"
    OPEN = "open"
    CLOSED = "closed"
    RELEASED = "released"


class InvitationStatus(str, enum.Enum):
    """SPEC §2: pending → opened → submitted, or declined."""

    PENDING = "pending"
    OPENED = "opened"
    SUBMITTED = "submitted"
    DECLINED = "declined"


class UserRole(str, enum.Enum):
    """HR runs campaigns; a subject reads their own released report."""

    HR = "hr"
    SUBJECT = "subject"


class Person(db.Model):
    """Someone in the imported org chart; e-mail is the identity (stored lower-case)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    level: Mapped[str] = mapped_column(String(30))
    team: Mapped[str] = mapped_column(String(200), default="")
    # A key of survey.domain.languages.LANGUAGES; None = the app's DEFAULT_LANGUAGE (SPEC §14).
    language: Mapped[str | None] = mapped_column(String(16))
    manager_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"), index=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    manager: Mapped[Person | None] = relationship(remote_side=[id], back_populates="reports")
    reports: Mapped[list[Person]] = relationship(back_populates="manager")

    __table_args__ = (
        CheckConstraint(
            "level IN ('individual_contributor', 'team_leader', 'business_leader')",
            name="level_known",
        ),
    )


class User(UserMixin, db.Model):
    """An account that signs in: HR with a password, a subject with a one-time link."""

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    role: Mapped[UserRole] = mapped_column(_enum(UserRole))
    password_hash: Mapped[str | None] = mapped_column(String(255))
    person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"), index=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Part of every session's user id: raising it (sign-out, new password, "sign out
    # everywhere") ends every session signed in before, even a copied cookie.
    session_version: Mapped[int] = mapped_column(Integer, default=0, server_default="0")

    person: Mapped[Person | None] = relationship()

    @property
    def is_active(self) -> bool:
        """Flask-Login refuses a deactivated account."""
        return self.active

    def get_id(self) -> str:
        """The id a session stores: `<id>:<session_version>` (Flask-Login's alternative id)."""
        return f"{self.id}:{self.session_version}"

    @property
    def is_hr(self) -> bool:
        return self.role is UserRole.HR


class LoginToken(db.Model):
    """A single-use, short-lived link token (sign-in or set-password); only its hash is kept."""

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    purpose: Mapped[str] = mapped_column(String(20))  # "sign_in" | "set_password"
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()


class Campaign(db.Model):
    """One HR-run round of 360° feedback across many subjects (SPEC §5)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    status: Mapped[CampaignStatus] = mapped_column(
        _enum(CampaignStatus), default=CampaignStatus.DRAFT
    )
    deadline: Mapped[date] = mapped_column(Date)
    timezone: Mapped[str] = mapped_column(String(64))
    closes_at: Mapped[datetime] = mapped_column(UTCDateTime)  # end of deadline day, in UTC
    min_raters: Mapped[int] = mapped_column(Integer, default=3)
    max_peers: Mapped[int] = mapped_column(Integer, default=5)
    gap_threshold: Mapped[float] = mapped_column(default=1.0)
    # fewest answers behind a cell that shows its sd/agreement (SPEC §10); in force: max(it, k)
    spread_min: Mapped[int] = mapped_column(Integer, default=5, server_default="5")
    # tens of KB of JSON, read only when its parsed content is not at hand (`campaign_content`)
    questionnaire_snapshot: Mapped[dict[str, Any] | None] = mapped_column(JSON, deferred=True)
    # the questionnaire set to launch with (None: the built-in set, the shipped files), and
    # the number of its version the snapshot was taken from
    questionnaire_set_id: Mapped[int | None] = mapped_column(
        ForeignKey("questionnaire_set.id"), index=True
    )
    questionnaire_version: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    launched_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # responses sealed (SPEC §6): at close, or after it by the job that freezes the reports
    sealed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    released_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Nomination and the clock (SPEC §13, issue 18): survey.services.nominations, .schedule
    nomination: Mapped[bool] = mapped_column(Boolean, default=False)
    min_peers: Mapped[int] = mapped_column(Integer, default=3)
    max_requests_per_rater: Mapped[int] = mapped_column(Integer, default=8)
    nomination_deadline: Mapped[date | None] = mapped_column(Date)
    nomination_closes_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    nominations_sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reminder_days: Mapped[list[int]] = mapped_column(JSON, default=list)  # days before a deadline
    release_after_days: Mapped[int | None] = mapped_column(Integer)
    # RETENTION_MONTHS: when it will be deleted, set once HR is warned (services/retention.py)
    delete_after: Mapped[datetime | None] = mapped_column(UTCDateTime)

    subjects: Mapped[list[Subject]] = relationship(
        back_populates="campaign", cascade="all, delete-orphan", order_by="Subject.id"
    )
    raters: Mapped[list[Rater]] = relationship(
        back_populates="campaign", cascade="all, delete-orphan"
    )

    __table_args__ = (CheckConstraint("min_raters >= 2", name="min_raters_at_least_2"),)

    def _move(self, allowed_from: CampaignStatus, to: CampaignStatus, verb: str) -> None:
        if self.status is not allowed_from:
            article = "an" if allowed_from.value[0] in "aeiou" else "a"
            raise InvalidState(
                f"campaign {self.id} is {self.status.value}; only {article} "
                f"{allowed_from.value} campaign can be {verb}"
            )
        self.status = to

    def open(self, now: datetime) -> None:
        """draft → open; the caller has stored the questionnaire snapshot and invitations."""
        if now >= self.closes_at:
            raise InvalidState(f"campaign {self.id}'s deadline has passed; move it first")
        self._move(CampaignStatus.DRAFT, CampaignStatus.OPEN, "launched")
        self.launched_at = now

    def close(self, now: datetime) -> None:
        """open → closed: no more answers are accepted."""
        self._move(CampaignStatus.OPEN, CampaignStatus.CLOSED, "closed")
        self.closed_at = now

    def release(self, now: datetime) -> None:
        """closed → released: subjects may read their reports; results are frozen."""
        self._move(CampaignStatus.CLOSED, CampaignStatus.RELEASED, "released")
        self.released_at = now

    def accepts_answers(self, now: datetime) -> bool:
        """True while open and before the deadline instant (SPEC §5)."""
        return self.status is CampaignStatus.OPEN and now < self.closes_at


class Subject(db.Model):
    """A person reviewed in a campaign, at the level they held when the campaign was set up."""

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaign.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    level: Mapped[str] = mapped_column(String(30))
    name: Mapped[str] = mapped_column(String(200))  # as shown in the questionnaire
    include_next_level: Mapped[bool] = mapped_column(Boolean, default=False)
    # comments HR removed from the report before release (services/moderation.py): every
    # channel says how many, never whose
    comments_removed: Mapped[int] = mapped_column(Integer, default=0, server_default="0")

    campaign: Mapped[Campaign] = relationship(back_populates="subjects")
    person: Mapped[Person] = relationship()
    invitations: Mapped[list[Invitation]] = relationship(
        back_populates="subject", cascade="all, delete-orphan"
    )

    __table_args__ = (UniqueConstraint("campaign_id", "person_id"),)


class Rater(db.Model):
    """A person asked to give feedback in a campaign: one personal link (`/r/<token>`) each.

    Only the SHA-256 of the token is stored (SPEC §5).
    """

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaign.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    invited_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    campaign: Mapped[Campaign] = relationship(back_populates="raters")
    person: Mapped[Person] = relationship()
    invitations: Mapped[list[Invitation]] = relationship(back_populates="rater")

    __table_args__ = (UniqueConstraint("campaign_id", "person_id"),)


class EarlierLink(db.Model):
    """A rater's earlier link that keeps working after a reminder sent a fresh one.

    Tokens are stored only as hashes, so a reminder cannot repeat the original link; without
    this table the link in the first e-mail would stop working the moment a reminder went out.
    """

    __tablename__ = "earlier_link"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    rater_id: Mapped[int] = mapped_column(
        ForeignKey("rater.id", ondelete="CASCADE"), index=True
    )


class Invitation(db.Model):
    """One rater asked about one subject, in one rater group; tracks progress, never answers."""

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(
        ForeignKey("campaign.id", ondelete="CASCADE"), index=True
    )
    subject_id: Mapped[int] = mapped_column(ForeignKey("subject.id", ondelete="CASCADE"))
    rater_id: Mapped[int] = mapped_column(
        ForeignKey("rater.id", ondelete="CASCADE"), index=True
    )
    rater_group: Mapped[str] = mapped_column(String(20))
    status: Mapped[InvitationStatus] = mapped_column(
        _enum(InvitationStatus), default=InvitationStatus.PENDING
    )
    added_by_hr: Mapped[bool] = mapped_column(Boolean, default=False)
    decline_reason: Mapped[str | None] = mapped_column(Text)  # HR only

    subject: Mapped[Subject] = relationship(back_populates="invitations")
    rater: Mapped[Rater] = relationship(back_populates="invitations")
    draft: Mapped[Draft | None] = relationship(
        back_populates="invitation", cascade="all, delete-orphan", uselist=False
    )

    __table_args__ = (
        UniqueConstraint("subject_id", "rater_id"),
        CheckConstraint(
            "rater_group IN ('self', 'manager', 'peers', 'direct_reports')", name="group_known"
        ),
    )

    @property
    def is_open(self) -> bool:
        """Still waiting for an answer (not submitted, not declined)."""
        return self.status in (InvitationStatus.PENDING, InvitationStatus.OPENED)


class SubmissionReceipt(db.Model):
    """The record that an invitation was answered: the database refuses a second one.

    Written in the same transaction as the anonymous `Response`, and sharing nothing with it.
    """

    invitation_id: Mapped[int] = mapped_column(
        ForeignKey("invitation.id", ondelete="CASCADE"), primary_key=True
    )


class Draft(db.Model):
    """A rater's unsubmitted answers for one invitation; never counted, deleted on submit."""

    id: Mapped[int] = mapped_column(primary_key=True)
    invitation_id: Mapped[int] = mapped_column(
        ForeignKey("invitation.id", ondelete="CASCADE"), unique=True
    )
    answers: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    comments: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    saved_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    invitation: Mapped[Invitation] = relationship(back_populates="draft")


class Response(db.Model):
    """One submitted questionnaire: campaign, subject, rater group and answers — nothing else.

    No rater, token, invitation, IP, user agent or time (SPEC §6). The id is random.
    """

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_response_id)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaign.id", ondelete="CASCADE"))
    subject_id: Mapped[int] = mapped_column(ForeignKey("subject.id", ondelete="CASCADE"))
    rater_group: Mapped[str] = mapped_column(String(20))

    answers: Mapped[list[Answer]] = relationship(cascade="all, delete-orphan")
    comments: Mapped[list[Comment]] = relationship(cascade="all, delete-orphan")

    __table_args__ = (
        Index("ix_response_subject_group", "subject_id", "rater_group"),
        Index("ix_response_campaign", "campaign_id"),
        {"sqlite_with_rowid": False},
    )


class Answer(db.Model):
    """One rated item of a response; `value` 1..5, or NULL for "don't know / not observed"."""

    response_id: Mapped[str] = mapped_column(
        ForeignKey("response.id", ondelete="CASCADE"), primary_key=True
    )
    item: Mapped[str] = mapped_column(String(64), primary_key=True)
    area: Mapped[str] = mapped_column(String(32))
    value: Mapped[int | None] = mapped_column(Integer)

    __table_args__ = (
        CheckConstraint("value IS NULL OR (value BETWEEN 1 AND 5)", name="value_on_scale"),
        {"sqlite_with_rowid": False},
    )


class Comment(db.Model):
    """One open-question answer of a response."""

    response_id: Mapped[str] = mapped_column(
        ForeignKey("response.id", ondelete="CASCADE"), primary_key=True
    )
    question: Mapped[str] = mapped_column(String(64), primary_key=True)
    text: Mapped[str] = mapped_column(Text)

    __table_args__ = ({"sqlite_with_rowid": False},)


class ReportSnapshot(db.Model):
    """One subject's frozen report, written when the campaign closes (SPEC §5, §7).

    `document` is {format, report, readiness, readiness_level}: the domain's
    `ScoredSubject.to_data()` and the report `FORMAT` it was computed under
    (`survey.services.frozen_reports`). Only shown figures are in it, so no channel can read a
    hidden cell from here. `team` is the subject's team as at close (exports and team norms).
    """

    __tablename__ = "report_snapshot"

    subject_id: Mapped[int] = mapped_column(
        ForeignKey("subject.id", ondelete="CASCADE"), primary_key=True
    )
    campaign_id: Mapped[int] = mapped_column(
        ForeignKey("campaign.id", ondelete="CASCADE"), index=True
    )
    team: Mapped[str] = mapped_column(String(200))
    document: Mapped[dict[str, Any]] = mapped_column(JSON)


class OrgNorms(db.Model):
    """One level's organisation norms in a closed campaign, frozen with its reports (SPEC §7.10).

    `norms` is [{area, score, n}] in spoke order, every norm whatever its n (HR's figures);
    `teams` maps each team (as at close) to its own such list. `format` is the report `FORMAT`
    of the frozen reports they were computed from.
    """

    __tablename__ = "org_norms"

    campaign_id: Mapped[int] = mapped_column(
        ForeignKey("campaign.id", ondelete="CASCADE"), primary_key=True
    )
    level: Mapped[str] = mapped_column(String(30), primary_key=True)
    format: Mapped[int] = mapped_column(Integer)
    norms: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    teams: Mapped[dict[str, list[dict[str, Any]]]] = mapped_column(JSON)


# Questionnaire sets, nomination and the audit log live in their own modules.
from survey import (  # noqa: E402,F401
    models_audit,
    models_nomination,
    models_plans,
    models_questionnaire_sets,
)
