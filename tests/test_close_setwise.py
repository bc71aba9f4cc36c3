"""Close sums answers in SQL (issue 16): the same reports as the domain summing whole responses."""

from __future__ import annotations

from collections import Counter

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


def test_one_streamed_pass_gives_each_subject_the_sums_of_its_own_queries(app: Flask) -> None:
    """Close reads the whole campaign in one pass ordered by subject; every subject gets the
    same sums as querying it alone, a subject without responses gets none, and a level filter
    keeps only that level's subjects."""
    with app.app_context():
        campaign = worked_example(status=CampaignStatus.CLOSED).campaign
        for index, (peers, reports) in enumerate([(1, 2), (4, 3), (2, 2)]):
            team_leader_scenario(campaign, f"lead{index}@example.test", peers=peers,
                                 reports=reports, include_next_level=index == 1,
                                 base=2 + index)
        db.session.commit()
        scorer = CampaignScorer(campaign)
        subjects = list(db.session.scalars(
            db.select(Subject).where(Subject.campaign_id == campaign.id).order_by(Subject.id)))
        streamed = list(scorer.stream())
        assert [sid for sid, _ in streamed] == sorted(
            s.id for s in subjects if scorer.load([s.id]))
        for subject_id, answers in streamed:
            alone = scorer.load([subject_id])[subject_id]
            assert answers.responses == alone.responses
            assert answers.items == alone.items
            # a multiset: frozensets have no total order, so sorted() would depend on row order
            assert {g: Counter(r) for g, r in answers.raters.items()} == {
                g: Counter(r) for g, r in alone.raters.items()}
            assert {g: sorted(c) for g, c in answers.comments.items()} == {
                g: sorted(c) for g, c in alone.comments.items()}
        levels = {s.id: s.level for s in subjects}
        for level in set(levels.values()):
            assert [sid for sid, _ in scorer.stream(level)] == [
                sid for sid, _ in streamed if levels[sid] == level]
