"""The frozen report document written at close is exactly what `report_to_data` gives.

`report_cache.report_data` is a hand-written (fast) conversion of a domain report to JSON data;
it must give the same keys in the same order and the same values as the generic
`report_data.report_to_data`, so every stored document reads back the same way.
"""

from __future__ import annotations

import json

from flask import Flask

from survey.extensions import db
from survey.models import CampaignStatus
from survey.models_reports import ReportSnapshot
from survey.services.report_cache import precompute_reports, report_data
from survey.services.report_data import report_from_data, report_to_data
from survey.services.report_scoring import CampaignScorer, load_responses
from tests.helpers_reports import team_leader_scenario, worked_example


def test_report_data_matches_report_to_data_key_for_key(app: Flask) -> None:
    with app.app_context():
        example = worked_example(status=CampaignStatus.CLOSED)
        leader = team_leader_scenario(
            example.campaign, "lead@example.test", peers=4, reports=5, include_next_level=True
        )
        db.session.commit()
        scorer = CampaignScorer(example.campaign)
        responses = load_responses([example.subject.id, leader.id])
        alice = scorer.score(example.subject.level, False, responses[example.subject.id])
        lead = scorer.score(leader.level, True, responses[leader.id])
    reports = [alice.report, lead.report, lead.readiness]
    assert lead.readiness is not None and alice.report.comments and alice.report.gaps
    for report in reports:
        assert json.dumps(report_data(report)) == json.dumps(report_to_data(report))
        assert report_from_data(json.loads(json.dumps(report_data(report)))) == report


def test_precomputed_documents_read_back_as_the_scored_reports(app: Flask) -> None:
    with app.app_context():
        example = worked_example(status=CampaignStatus.CLOSED)
        assert precompute_reports(example.campaign) == 1
        db.session.commit()
        stored = db.session.get(ReportSnapshot, example.subject.id).document
        scorer = CampaignScorer(example.campaign)
        responses = load_responses([example.subject.id])[example.subject.id]
        scored = scorer.score(example.subject.level, False, responses)
    assert stored["format"] == 3 and stored["readiness"] is None
    assert report_from_data(stored["report"]) == scored.report
