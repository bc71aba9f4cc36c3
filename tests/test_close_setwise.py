"""Close sums answers in SQL (issue 16): the same reports as the domain summing whole responses."""

from __future__ import annotations

from flask import Flask

from survey.domain.questionnaire import next_level
from survey.domain.report import ScoredSubject, build_subject_report
from survey.domain.scoring import RaterResponse
from survey.extensions import db
from survey.models import CampaignStatus, Response, Subject
from survey.services.frozen_reports import CampaignScorer
from tests.helpers_reports import team_leader_scenario, worked_example


def from_whole_responses(scorer: CampaignScorer, subject: Subject) -> ScoredSubject:
    """The report built the way the domain tests build it: from each response's answers."""
    responses = [
        RaterResponse(r.rater_group, {a.item: a.value for a in r.answers},
                      {c.question: c.text for c in r.comments})
        for r in db.session.scalars(db.select(Response).where(Response.subject_id == subject.id))
    ]

    def build(level: str, comments: bool) -> object:
        inputs = scorer.inputs(level)
        return build_subject_report(
            inputs.areas, inputs.observed,
            responses if comments else [RaterResponse(r.group, r.answers) for r in responses],
            k=scorer.campaign.min_raters, gap_threshold=scorer.campaign.gap_threshold,
            questions=[(q.key, q.other_text) for q in scorer.content.open_questions],
        )

    above = next_level(subject.level) if subject.include_next_level else None
    report = build(subject.level, True)
    if above is None:
        return ScoredSubject(report)  # type: ignore[arg-type]
    return ScoredSubject(report, build(above, False), above)  # type: ignore[arg-type]


def test_sql_sums_give_the_reports_whole_responses_give(app: Flask) -> None:
    with app.app_context():
        campaign = worked_example(status=CampaignStatus.CLOSED).campaign
        # peers 1 + reports 2 (merged into others), 2 + 1, 4 + 3 with readiness, 1 + 1
        for index, (peers, reports) in enumerate([(1, 2), (2, 1), (4, 3), (1, 1)]):
            team_leader_scenario(campaign, f"lead{index}@example.test", peers=peers,
                                 reports=reports, include_next_level=index % 2 == 0,
                                 base=2 + index)
        db.session.commit()
        scorer = CampaignScorer(campaign)
        subjects = list(db.session.scalars(
            db.select(Subject).where(Subject.campaign_id == campaign.id)))
        summed = scorer.load(s.id for s in subjects)
        for subject in subjects:
            by_sql = scorer.score(subject.level, subject.include_next_level, summed[subject.id])
            assert by_sql == from_whole_responses(scorer, subject), subject.name
        assert any(g.merged_into for s in subjects
                   for g in scorer.score(s.level, s.include_next_level,
                                         summed[s.id]).report.groups)
