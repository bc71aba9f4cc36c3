"""Rater nomination and the campaign clock's record (SPEC §13, issue 18).

A subject proposes the peers who will rate them (`Nomination`, `NominationPeer`); their manager
(or HR) approves, edits or sends the list back. Links to the nomination pages follow the
rater-link rules (SPEC §5): every e-mailed link is a `NominationLink` holding only the token's
hash; a link works while its nomination still waits for that person. `ScheduleStep` records
what `survey tick` has done for a campaign, so each step happens once however often it runs.
"""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from survey.errors import InvalidState
from survey.extensions import db
from survey.models import Person, Subject, UTCDateTime, _enum, utcnow


class NominationStatus(str, enum.Enum):
    """not_started → proposed → approved; a list sent back is rejected until proposed again."""

    NOT_STARTED = "not_started"
    PROPOSED = "proposed"
    APPROVED = "approved"
    REJECTED = "rejected"


class LinkRole(str, enum.Enum):
    """Whose nomination link: the subject proposes, the manager decides."""

    SUBJECT = "subject"
    MANAGER = "manager"


class Nomination(db.Model):
    """One subject's proposed raters in a nomination campaign, and where the list stands."""

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(
        ForeignKey("campaign.id", ondelete="CASCADE"), index=True
    )
    subject_id: Mapped[int] = mapped_column(
        ForeignKey("subject.id", ondelete="CASCADE"), unique=True
    )
    status: Mapped[NominationStatus] = mapped_column(
        _enum(NominationStatus), default=NominationStatus.NOT_STARTED
    )
    invited_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    proposed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decided_by: Mapped[str | None] = mapped_column(String(20))  # "manager" | "hr"
    note: Mapped[str | None] = mapped_column(Text)  # the manager's words when sending it back

    subject: Mapped[Subject] = relationship()
    peers: Mapped[list[NominationPeer]] = relationship(
        cascade="all, delete-orphan", order_by="NominationPeer.person_id"
    )

    @property
    def waits_for_subject(self) -> bool:
        """The subject may (re)propose: nothing sent yet, sent back, or not decided yet."""
        return self.status is not NominationStatus.APPROVED

    @property
    def waits_for_manager(self) -> bool:
        """A proposed list waits for a decision."""
        return self.status is NominationStatus.PROPOSED

    def propose(self, now: datetime) -> None:
        """The subject sends (or changes) their list; raises InvalidState once approved."""
        if not self.waits_for_subject:
            raise InvalidState("this list is approved already")
        self.status = NominationStatus.PROPOSED
        self.proposed_at = now
        self.note = None

    def decide(self, approve: bool, now: datetime, by: str, note: str | None = None) -> None:
        """proposed → approved or rejected; raises InvalidState unless a list waits."""
        if not self.waits_for_manager:
            raise InvalidState(f"the list is {self.status.value.replace('_', ' ')}, not waiting")
        self.status = NominationStatus.APPROVED if approve else NominationStatus.REJECTED
        self.decided_at, self.decided_by, self.note = now, by, note


class NominationPeer(db.Model):
    """One person on a subject's proposed (or approved) list; they rate as `peers`."""

    __tablename__ = "nomination_peer"

    nomination_id: Mapped[int] = mapped_column(
        ForeignKey("nomination.id", ondelete="CASCADE"), primary_key=True
    )
    person_id: Mapped[int] = mapped_column(
        ForeignKey("person.id", ondelete="CASCADE"), primary_key=True, index=True
    )

    person: Mapped[Person] = relationship()


class NominationLink(db.Model):
    """An e-mailed nomination link: only the SHA-256 of its token is kept (SPEC §5)."""

    __tablename__ = "nomination_link"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    nomination_id: Mapped[int] = mapped_column(
        ForeignKey("nomination.id", ondelete="CASCADE"), index=True
    )
    role: Mapped[LinkRole] = mapped_column(_enum(LinkRole))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    nomination: Mapped[Nomination] = relationship()


class ScheduleStep(db.Model):
    """One thing the clock did for a campaign (`remind:answers:7`, `close`, `release`, ...).

    The primary key makes a second run, or two runs at once, unable to do it twice.
    """

    __tablename__ = "schedule_step"

    campaign_id: Mapped[int] = mapped_column(
        ForeignKey("campaign.id", ondelete="CASCADE"), primary_key=True
    )
    step: Mapped[str] = mapped_column(String(40), primary_key=True)
    done_at: Mapped[datetime] = mapped_column(UTCDateTime)
