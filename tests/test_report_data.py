"""The report JSON read straight from the stored data equals the domain report's own JSON."""

from __future__ import annotations

import json

from survey.domain.report import build_subject_report
from survey.domain.scoring import AreaSpec, RaterResponse
from survey.services.report_data import document_parts, report_from_data, report_to_data

AREAS = (
    AreaSpec("results", "Results", ("r1", "r2")),
    AreaSpec("people", "People", ("p1",)),
    AreaSpec("culture", "Culture", ("c1",)),
)


def stored(responses: list[RaterResponse]) -> tuple[dict, dict]:
    """(the domain report's §9 parts, the stored data as the database hands it back)."""
    report = build_subject_report(
        AREAS, {}, responses, k=3, questions=[("keep_doing", "Keep doing?")]
    )
    return report.to_json_parts(), json.loads(json.dumps(report_to_data(report)))


def test_parts_from_stored_data_equal_the_domain_reports_json_key_order_included() -> None:
    """Self far above others on Results (a blind spot), 3 peers, comments, a hidden cell."""
    expected, data = stored(
        [
            RaterResponse("self", {"r1": 5, "r2": 5, "p1": 4, "c1": 3}, {"keep_doing": "Me"}),
            RaterResponse("manager", {"r1": 3, "r2": 2, "p1": None, "c1": 2}),
            RaterResponse("peers", {"r1": 2, "r2": 3, "p1": 4, "c1": 4}, {"keep_doing": "b"}),
            RaterResponse("peers", {"r1": 3, "r2": 3, "p1": 4, "c1": None}, {"keep_doing": "a"}),
            RaterResponse("peers", {"r1": 2, "r2": 4, "p1": 5, "c1": 5}),
        ]
    )
    parts = document_parts(data)
    assert json.dumps(parts) == json.dumps(expected)
    assert parts["gaps"][0]["kind"] == "blind_spot"
    assert [c["text"] for c in parts["comments"] if c["group"] == "peers"] == ["a", "b"]
    assert report_from_data(data).to_json_parts() == expected


def test_parts_of_a_report_with_nothing_shown_are_empty_lists() -> None:
    expected, data = stored([RaterResponse("peers", {"r1": 4})])
    parts = document_parts(data)
    assert parts == expected
    assert parts["area_scores"] == parts["item_scores"] == parts["strengths"] == []
