"""Frozen reports: a snapshot stored under older scoring rules is computed again, never served.

Format 1 snapshots held anonymous area scores from which one rater's answer could be solved
(security review, SPEC §7.6). Alice's worked example shows the difference: all others' growth
was 3.50 = (manager 4 + 3 peers × 3.33) / 4 and is 3.60 = (4 + 4 + 3 + 3 + 4) / 5 now.
"""

from __future__ import annotations

import copy

from flask import Flask
from sqlalchemy import func, select, update

from survey.extensions import db
from survey.models import Campaign, CampaignStatus, Subject
from survey.models_reports import ReportSnapshot, ShownScore
from survey.services.report_cache import FORMAT, precompute_reports, stored_report
from tests.helpers_reports import worked_example

GROWTH = (
    ShownScore.kind == "area",
    ShownScore.area == "growth",
    ShownScore.rater_group == "all_others",
)


def _freeze_with_old_rules(subject_id: int) -> None:
    """Turn the stored report into what format 1 stored: growth all_others 3.50."""
    snapshot = db.session.get(ReportSnapshot, subject_id)
    assert snapshot is not None and snapshot.document["format"] == FORMAT == 3
    document = copy.deepcopy(snapshot.document)
    document["format"] = 1
    for cell in document["report"]["area_scores"]:
        if cell["area"] == "growth" and cell["group"] == "all_others":
            cell["score"] = 3.5
    snapshot.document = document
    db.session.execute(update(ShownScore).where(*GROWTH).values(score_centi=350))
    db.session.commit()
    db.session.expire_all()


def _stored_growth() -> tuple[int, int]:
    centi = db.session.scalar(select(ShownScore.score_centi).where(*GROWTH))
    rows = db.session.scalar(select(func.count()).select_from(ShownScore))
    return centi, rows


def test_reading_an_old_format_report_computes_it_again(app: Flask) -> None:
    with app.app_context():
        subject_id = worked_example(status=CampaignStatus.RELEASED).subject.id
        subject = db.session.get(Subject, subject_id)
        assert stored_report(subject).report.score("growth", "all_others") == 3.6
        db.session.commit()
        rows = _stored_growth()[1]
        _freeze_with_old_rules(subject_id)
        assert _stored_growth() == (350, rows)

        again = stored_report(db.session.get(Subject, subject_id))
        db.session.commit()
        assert again.report.score("growth", "all_others") == 3.6
        assert db.session.get(ReportSnapshot, subject_id).document["format"] == FORMAT
        assert _stored_growth() == (360, rows)  # the shown cells are replaced, not duplicated


def test_precomputing_replaces_old_format_reports_once(app: Flask) -> None:
    with app.app_context():
        ex = worked_example(status=CampaignStatus.CLOSED)
        campaign_id, subject_id = ex.campaign.id, ex.subject.id
        assert precompute_reports(db.session.get(Campaign, campaign_id)) == 1
        db.session.commit()
        _freeze_with_old_rules(subject_id)

        assert precompute_reports(db.session.get(Campaign, campaign_id)) == 1
        db.session.commit()
        assert _stored_growth()[0] == 360
        assert precompute_reports(db.session.get(Campaign, campaign_id)) == 0
