"""Development plans and progress pulses (SPEC §12, issue 17).

A `DevelopmentPlan` belongs to one released report (a `Subject` row): private to its subject,
shared with their manager only when they tick the box; HR can count plans but no HR page,
export or JSON reads their text.

A `Pulse` asks the raters who submitted about a subject one question per focus item. It keeps
the campaign's anonymity by schema (SPEC §6): `PulseInvitation` and `PulseReceipt` record who
has answered; `PulseResponse`, `PulseAnswer` and `PulseComment` carry the pulse subject only —
no rater, invitation, token or time — with random ids, WITHOUT ROWID on SQLite.
"""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from survey.errors import InvalidState
from survey.extensions import db
from survey.models import (
    Campaign,
    InvitationStatus,
    Person,
    Subject,
    UTCDateTime,
    _enum,
    new_response_id,
    utcnow,
)


class DevelopmentPlan(db.Model):
    """A subject's plan on one released report: 1–3 focus keys, actions, a target date."""

    __tablename__ = "development_plan"

    id: Mapped[int] = mapped_column(primary_key=True)
    subject_id: Mapped[int] = mapped_column(
        ForeignKey("subject.id", ondelete="CASCADE"), unique=True
    )
    focus: Mapped[list[str]] = mapped_column(JSON)  # ["area:<key>" | "item:<key>", ...]
    actions: Mapped[str] = mapped_column(Text)
    target_date: Mapped[date] = mapped_column(Date)
    share_with_manager: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    subject: Mapped[Subject] = relationship()


class PulseStatus(str, enum.Enum):
    """open → closed; results are shown only once closed."""

    OPEN = "open"
    CLOSED = "closed"


class Pulse(db.Model):
    """One progress pulse over a campaign's subjects who have a plan (SPEC §12)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(
        ForeignKey("campaign.id", ondelete="CASCADE"), index=True
    )
    status: Mapped[PulseStatus] = mapped_column(_enum(PulseStatus), default=PulseStatus.OPEN)
    deadline: Mapped[date] = mapped_column(Date)
    timezone: Mapped[str] = mapped_column(String(64))
    closes_at: Mapped[datetime] = mapped_column(UTCDateTime)
    min_raters: Mapped[int] = mapped_column(Integer)
    launched_at: Mapped[datetime] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    campaign: Mapped[Campaign] = relationship()
    subjects: Mapped[list[PulseSubject]] = relationship(
        back_populates="pulse", cascade="all, delete-orphan", order_by="PulseSubject.id"
    )

    __table_args__ = (CheckConstraint("min_raters >= 2", name="pulse_min_raters_at_least_2"),)

    def accepts_answers(self, now: datetime) -> bool:
        """True while open and before the deadline instant (SPEC §5)."""
        return self.status is PulseStatus.OPEN and now < self.closes_at

    def close(self, now: datetime) -> None:
        """open → closed: no more answers; results may be shown."""
        if self.status is not PulseStatus.OPEN:
            raise InvalidState(f"pulse {self.id} is already closed")
        self.status = PulseStatus.CLOSED
        self.closed_at = now


class PulseSubject(db.Model):
    """A subject asked about in a pulse, with their plan's focus as it was at launch."""

    __tablename__ = "pulse_subject"

    id: Mapped[int] = mapped_column(primary_key=True)
    pulse_id: Mapped[int] = mapped_column(ForeignKey("pulse.id", ondelete="CASCADE"), index=True)
    subject_id: Mapped[int] = mapped_column(
        ForeignKey("subject.id", ondelete="CASCADE"), index=True
    )
    since: Mapped[date] = mapped_column(Date)  # "Since <date>, has <name> become ..."
    focus: Mapped[list[dict[str, Any]]] = mapped_column(JSON)  # [{key, text}] in plan order

    pulse: Mapped[Pulse] = relationship(back_populates="subjects")
    subject: Mapped[Subject] = relationship()

    __table_args__ = (UniqueConstraint("pulse_id", "subject_id"),)


class PulseRater(db.Model):
    """A person asked in a pulse, reached by personal links (`/p/<token>`, `PulseLink`)."""

    __tablename__ = "pulse_rater"

    id: Mapped[int] = mapped_column(primary_key=True)
    pulse_id: Mapped[int] = mapped_column(ForeignKey("pulse.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    invited_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    pulse: Mapped[Pulse] = relationship()
    person: Mapped[Person] = relationship()
    invitations: Mapped[list[PulseInvitation]] = relationship(back_populates="rater")

    __table_args__ = (UniqueConstraint("pulse_id", "person_id"),)


class PulseLink(db.Model):
    """One e-mailed link of a pulse rater (SHA-256 of the token only); a reminder adds one and
    the earlier links keep working until the pulse closes (SPEC §5)."""

    __tablename__ = "pulse_link"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    rater_id: Mapped[int] = mapped_column(
        ForeignKey("pulse_rater.id", ondelete="CASCADE"), index=True
    )


class PulseInvitation(db.Model):
    """One pulse rater asked about one pulse subject; tracks progress, never answers."""

    __tablename__ = "pulse_invitation"

    id: Mapped[int] = mapped_column(primary_key=True)
    pulse_subject_id: Mapped[int] = mapped_column(
        ForeignKey("pulse_subject.id", ondelete="CASCADE"), index=True
    )
    rater_id: Mapped[int] = mapped_column(
        ForeignKey("pulse_rater.id", ondelete="CASCADE"), index=True
    )
    status: Mapped[InvitationStatus] = mapped_column(
        _enum(InvitationStatus), default=InvitationStatus.PENDING
    )

    pulse_subject: Mapped[PulseSubject] = relationship()
    rater: Mapped[PulseRater] = relationship(back_populates="invitations")
    draft: Mapped[PulseDraft | None] = relationship(
        cascade="all, delete-orphan", uselist=False, back_populates="invitation"
    )

    __table_args__ = (UniqueConstraint("pulse_subject_id", "rater_id"),)

    @property
    def is_open(self) -> bool:
        """Still waiting for an answer."""
        return self.status in (InvitationStatus.PENDING, InvitationStatus.OPENED)


class PulseReceipt(db.Model):
    """The record that a pulse invitation was answered: the database refuses a second one."""

    __tablename__ = "pulse_receipt"

    invitation_id: Mapped[int] = mapped_column(
        ForeignKey("pulse_invitation.id", ondelete="CASCADE"), primary_key=True
    )


class PulseDraft(db.Model):
    """Unsubmitted pulse answers of one invitation; never counted, deleted on submit."""

    __tablename__ = "pulse_draft"

    invitation_id: Mapped[int] = mapped_column(
        ForeignKey("pulse_invitation.id", ondelete="CASCADE"), primary_key=True
    )
    answers: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    comment: Mapped[str] = mapped_column(Text, default="")

    invitation: Mapped[PulseInvitation] = relationship(back_populates="draft")


class PulseResponse(db.Model):
    """One submitted pulse: the pulse subject and nothing else (no rater, token or time)."""

    __tablename__ = "pulse_response"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_response_id)
    pulse_subject_id: Mapped[int] = mapped_column(
        ForeignKey("pulse_subject.id", ondelete="CASCADE"), index=True
    )

    __table_args__ = ({"sqlite_with_rowid": False},)


class PulseAnswer(db.Model):
    """One focus item of a pulse response: −2 … +2, or NULL for "don't know"."""

    __tablename__ = "pulse_answer"

    response_id: Mapped[str] = mapped_column(
        ForeignKey("pulse_response.id", ondelete="CASCADE"), primary_key=True
    )
    focus: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[int | None] = mapped_column(Integer)

    __table_args__ = (
        CheckConstraint("value IS NULL OR (value BETWEEN -2 AND 2)", name="pulse_value_on_scale"),
        {"sqlite_with_rowid": False},
    )


class PulseComment(db.Model):
    """The optional comment of a pulse response."""

    __tablename__ = "pulse_comment"

    response_id: Mapped[str] = mapped_column(
        ForeignKey("pulse_response.id", ondelete="CASCADE"), primary_key=True
    )
    text: Mapped[str] = mapped_column(Text)

    __table_args__ = ({"sqlite_with_rowid": False},)
