"""Frozen reports: stored once at close, never written by a read, never served when stale.

Format 1 snapshots held anonymous area scores from which one rater's answer could be solved
(security review, SPEC §7.6). Alice's worked example shows the difference: all others' growth
was 3.50 = (manager 4 + 3 peers × 3.33) / 4 and is 3.60 = (4 + 4 + 3 + 3 + 4) / 5 now.
"""

from __future__ import annotations

import copy

from flask import Flask
from sqlalchemy import func, select

from survey.extensions import db
from survey.models import Campaign, CampaignStatus, OrgNorms, ReportSnapshot, Subject
from survey.services.frozen_reports import FORMAT, freeze_reports, frozen_report
from survey.services.reports import report_document
from tests.helpers_reports import worked_example


def _freeze_with_old_rules(subject_id: int) -> None:
    """Turn the stored report into what format 1 stored: growth all_others 3.50."""
    snapshot = db.session.get(ReportSnapshot, subject_id)
    assert snapshot is not None and snapshot.document["format"] == FORMAT == 5
    document = copy.deepcopy(snapshot.document)
    document["format"] = 1
    for cell in document["report"]["area_scores"]:
        if cell["area"] == "growth" and cell["group"] == "all_others":
            cell["score"] = 3.5
    snapshot.document = document
    db.session.commit()
    db.session.expire_all()


def _stored_growth(subject_id: int) -> tuple[int, float]:
    """(format, all others' growth) of the stored document."""
    document = db.session.get(ReportSnapshot, subject_id).document
    (growth,) = [
        c["score"]
        for c in document["report"]["area_scores"]
        if c["area"] == "growth" and c["group"] == "all_others"
    ]
    return document["format"], growth


def _stored_rows() -> tuple[int, int]:
    reports = db.session.scalar(select(func.count()).select_from(ReportSnapshot))
    norms = db.session.scalar(select(func.count()).select_from(OrgNorms))
    return int(reports or 0), int(norms or 0)


def test_reading_an_old_format_report_computes_it_and_stores_nothing(app: Flask) -> None:
    with app.app_context():
        subject_id = worked_example(status=CampaignStatus.RELEASED).subject.id
        assert freeze_reports(db.session.get(Subject, subject_id).campaign) == 1
        db.session.commit()
        _freeze_with_old_rules(subject_id)

        subject = db.session.get(Subject, subject_id)
        assert frozen_report(subject).report.score("growth", "all_others") == 3.6
        cells = report_document(subject)["area_scores"]
        scores = {(c["area"], c["group"]): c["score"] for c in cells}
        assert scores[("growth", "all_others")] == 3.6
        assert not (db.session.new or db.session.dirty or db.session.deleted)
        db.session.commit()
        assert _stored_growth(subject_id) == (1, 3.5)  # untouched by the reads


def test_freezing_replaces_old_format_reports_once(app: Flask) -> None:
    with app.app_context():
        ex = worked_example(status=CampaignStatus.CLOSED)
        campaign_id, subject_id = ex.campaign.id, ex.subject.id
        assert freeze_reports(db.session.get(Campaign, campaign_id)) == 1
        db.session.commit()
        _freeze_with_old_rules(subject_id)

        assert freeze_reports(db.session.get(Campaign, campaign_id)) == 1
        db.session.commit()
        assert _stored_growth(subject_id) == (FORMAT, 3.6)
        assert _stored_rows() == (1, 1)  # replaced, not duplicated; one level's norms
        assert freeze_reports(db.session.get(Campaign, campaign_id)) == 0


def test_a_report_not_frozen_yet_is_computed_for_each_read(app: Flask) -> None:
    """Closed without freezing (the queue job has not run): the figures are there, unstored."""
    with app.app_context():
        subject = worked_example(status=CampaignStatus.CLOSED).subject
        db.session.commit()
        document = report_document(subject)
        db.session.commit()
        assert _stored_rows() == (0, 0)
    scores = {(c["area"], c["group"]): c["score"] for c in document["area_scores"]}
    assert scores[("growth", "all_others")] == 3.6 and scores[("culture", "all_others")] == 4.63
