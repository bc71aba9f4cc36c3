"""Frozen report results of closed campaigns: one document, the shown cells and their export
text per subject.

Results never change once a campaign is closed (no answers are accepted, SPEC §5), so each
subject's domain report is computed once and stored. Only SHOWN cells are stored: a hidden cell
never reaches these tables, so no channel can read it from here (SPEC §7 "hidden means absent").
The export text holds exactly the shown cells, as CSV text, and nothing else.
Rows are written only for closed or released campaigns; see `survey.services.report_cache`.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from survey.extensions import db


class ReportSnapshot(db.Model):
    """One subject's domain report (and readiness report) as JSON data, written at close."""

    __tablename__ = "report_snapshot"

    subject_id: Mapped[int] = mapped_column(
        ForeignKey("subject.id", ondelete="CASCADE"), primary_key=True
    )
    campaign_id: Mapped[int] = mapped_column(
        ForeignKey("campaign.id", ondelete="CASCADE"), index=True
    )
    document: Mapped[dict[str, Any]] = mapped_column(JSON)


class ShownScore(db.Model):
    """One shown cell of one subject's report, for the HR organisation view and exports.

    `section` is `level` or `readiness`; `kind` is `area` or `item` (`item` is "" for an area
    cell). `score_centi` is the shown score × 100 as an exact integer (scores are rounded to 2
    decimals), so sums for org norms are exact (SPEC §7.9-10).
    """

    __tablename__ = "shown_score"

    subject_id: Mapped[int] = mapped_column(
        ForeignKey("subject.id", ondelete="CASCADE"), primary_key=True
    )
    section: Mapped[str] = mapped_column(String(10), primary_key=True)
    kind: Mapped[str] = mapped_column(String(4), primary_key=True)
    area: Mapped[str] = mapped_column(String(32), primary_key=True)
    item: Mapped[str] = mapped_column(String(64), primary_key=True)
    rater_group: Mapped[str] = mapped_column(String(20), primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaign.id", ondelete="CASCADE"))
    level: Mapped[str] = mapped_column(String(30))
    team: Mapped[str] = mapped_column(String(200))
    score_centi: Mapped[int] = mapped_column(Integer)
    n: Mapped[int] = mapped_column(Integer)
    na: Mapped[int] = mapped_column(Integer)

    __table_args__ = (
        Index("ix_shown_score_org", "campaign_id", "kind", "rater_group", "section"),
        # exports stream a campaign's cells in subject order without sorting them all first
        Index("ix_shown_score_subject", "campaign_id", "subject_id"),
    )


class ExportText(db.Model):
    """One subject's shown cells as the CSV export writes them, after the person columns.

    `body` is one line per shown cell, in export order (SPEC §8): section, kind, area,
    area_title, item, group, score, n, na, neutralised and quoted as the export does, each line
    ending in CRLF; "" when nothing is shown. The person columns are not stored: the export
    puts the current campaign name, subject name and e-mail, and `level` and `team` as they were
    at close (the values `shown_score` holds), in front of every line. `format` is the report
    `FORMAT` the text was computed with. Written with the snapshot and shown cells.
    """

    __tablename__ = "export_text"

    subject_id: Mapped[int] = mapped_column(
        ForeignKey("subject.id", ondelete="CASCADE"), primary_key=True
    )
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaign.id", ondelete="CASCADE"))
    format: Mapped[int] = mapped_column(Integer)
    level: Mapped[str] = mapped_column(String(30))
    team: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)

    # the export reads a campaign's subjects in id order without sorting them first
    __table_args__ = (Index("ix_export_text_campaign", "campaign_id", "subject_id"),)
