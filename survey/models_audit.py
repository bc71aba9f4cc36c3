"""The audit log: who did what to people's data, when, in which campaign (issue 20).

A line never holds personal data of a person it is about: an erasure says what kind of records
went and how many, not whose. `campaign_id` is a plain number, not a foreign key, so the line
outlives the campaign it names (retention deletes campaigns); `campaign_name` keeps the name
it had then.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from survey.extensions import db
from survey.models import UTCDateTime, utcnow


class AuditEntry(db.Model):
    """One action on people's data: erasure, retention, comment redaction, sessions ended."""

    __tablename__ = "audit_entry"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    actor: Mapped[str] = mapped_column(String(254))  # an HR account's e-mail, or the CLI
    action: Mapped[str] = mapped_column(String(40))
    campaign_id: Mapped[int | None] = mapped_column(Integer)
    campaign_name: Mapped[str | None] = mapped_column(String(200))
    detail: Mapped[str] = mapped_column(Text, default="")
