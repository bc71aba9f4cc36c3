"""A frozen report survives its JSON round trip: `from_data(to_data())` rebuilds it exactly."""

from __future__ import annotations

import json

from survey.domain.report import ScoredSubject, SubjectReport, build_subject_report
from survey.domain.scoring import AreaSpec, RaterResponse

AREAS = (
    AreaSpec("results", "Results", ("r1", "r2")),
    AreaSpec("people", "People", ("p1",)),
    AreaSpec("culture", "Culture", ("c1",)),
)
RESPONSES = [  # self far above others on Results (a blind spot), 3 peers, comments
    RaterResponse("self", {"r1": 5, "r2": 5, "p1": 4, "c1": 3}, {"keep_doing": "Me"}),
    RaterResponse("manager", {"r1": 3, "r2": 2, "p1": None, "c1": 2}),
    RaterResponse("peers", {"r1": 2, "r2": 3, "p1": 4, "c1": 4}, {"keep_doing": "b"}),
    RaterResponse("peers", {"r1": 3, "r2": 3, "p1": 4, "c1": None}, {"keep_doing": "a"}),
    RaterResponse("peers", {"r1": 2, "r2": 4, "p1": 5, "c1": 5}),
]


def build(responses: list[RaterResponse]) -> SubjectReport:
    return build_subject_report(
        AREAS, {}, responses, k=3, questions=[("keep_doing", "Keep doing?")]
    )


def through_json(data: dict) -> dict:
    """The data as the database hands it back: JSON text, parsed."""
    return json.loads(json.dumps(data))


def test_a_report_reads_back_equal_with_the_same_json() -> None:
    report = build(RESPONSES)
    again = SubjectReport.from_data(through_json(report.to_data()))
    assert again == report
    assert again.to_json_parts() == report.to_json_parts()
    assert report.gaps[0].kind == "blind_spot"
    assert [c.text for c in again.comments if c.group == "peers"] == ["a", "b"]


def test_a_report_with_nothing_shown_reads_back_empty() -> None:
    report = build([RaterResponse("peers", {"r1": 4})])
    again = SubjectReport.from_data(through_json(report.to_data()))
    assert again == report
    assert again.area_scores == again.item_scores == again.strengths == ()


def test_a_readiness_report_reads_back_with_its_level() -> None:
    scored = ScoredSubject(build(RESPONSES), build(RESPONSES[1:]), "business_leader")
    assert ScoredSubject.from_data(through_json(scored.to_data())) == scored
    alone = ScoredSubject(build(RESPONSES))
    assert ScoredSubject.from_data(through_json(alone.to_data())) == alone
