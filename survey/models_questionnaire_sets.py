"""Questionnaire sets: content HR generated or adapted, saved in numbered versions (issue 21).

A set keeps one working draft (content as plain data in `Content.to_snapshot()` shape, valid or
not, with notes on items still to word) and the versions saved from it. A saved version never
changes. The shipped `questionnaires/` folder is the built-in set and is not stored here. A
campaign names the set it uses; at launch it copies the set's latest version into its own
snapshot (SPEC §3), so later versions never change a launched campaign.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from survey.extensions import db
from survey.models import UTCDateTime, utcnow


class QuestionnaireSet(db.Model):
    """A named questionnaire set with its working draft and saved versions."""

    __tablename__ = "questionnaire_set"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    source_name: Mapped[str] = mapped_column(String(255), default="")  # the document's file name
    draft: Mapped[dict[str, Any]] = mapped_column(JSON)
    notes: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)  # item key → to do
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    versions: Mapped[list[QuestionnaireSetVersion]] = relationship(
        back_populates="questionnaire_set",
        cascade="all, delete-orphan",
        order_by="QuestionnaireSetVersion.number",
    )


class QuestionnaireSetVersion(db.Model):
    """One saved, valid, unchanging version of a set: version 1, 2, …"""

    __tablename__ = "questionnaire_set_version"

    id: Mapped[int] = mapped_column(primary_key=True)
    set_id: Mapped[int] = mapped_column(
        ForeignKey("questionnaire_set.id", ondelete="CASCADE"), index=True
    )
    number: Mapped[int] = mapped_column(Integer)
    content: Mapped[dict[str, Any]] = mapped_column(JSON)
    saved_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    questionnaire_set: Mapped[QuestionnaireSet] = relationship(back_populates="versions")

    __table_args__ = (UniqueConstraint("set_id", "number"),)
