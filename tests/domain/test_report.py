"""SPEC §7 end to end: worked examples of a subject report, values computed by hand."""

import itertools
from collections.abc import Sequence
from typing import Any

import pytest

from survey.domain.anonymity import GroupSummary
from survey.domain.report import AreaScore, ItemScore, SubjectReport, build_subject_report
from survey.domain.scoring import AreaSpec, RaterResponse
from survey.errors import SurveyError

AREAS = (AreaSpec("results", "Results", ("r1", "r2")), AreaSpec("people", "People", ("p1", "p2")))
WIDE = (
    AreaSpec("results", "Results", ("r1", "r2")),
    AreaSpec("people", "People", ("p1", "p2", "p3", "p4")),
)


def R(group: str, comments: dict[str, str] | None = None, **answers: int | None) -> RaterResponse:
    return RaterResponse(group, answers, comments or {})


def build(
    responses: Sequence[RaterResponse], k: int = 3, areas: Sequence[AreaSpec] = AREAS, **kw: Any
) -> SubjectReport:
    return build_subject_report(areas, kw.pop("observed", {}), responses, k=k, **kw)


def cells(report: SubjectReport, group: str) -> dict[str, tuple[float, int]]:
    """Shown area cells of one group: area -> (score, n)."""
    return {c.area: (c.score, c.n) for c in report.area_scores if c.group == group}


def items(report: SubjectReport, group: str) -> dict[str, tuple[float, int, int]]:
    """Shown item cells of one group: item -> (score, n, na)."""
    return {c.item: (c.score, c.n, c.na) for c in report.item_scores if c.group == group}


def shown_figures(report: SubjectReport) -> dict[str, Any]:
    return report.to_json_parts()


def test_na_is_excluded_never_zero() -> None:
    peers = [R("peers", r1=4, r2=4), R("peers", r1=4, r2=4), R("peers", r1=4, r2=4)]
    report = build([R("manager", r1=4, r2=None, p1=None, p2=None), *peers])
    # Manager on results: 1 of 2 answered = half, so counts: mean(4) = 4.00 (N/A as 0 would be 2).
    assert cells(report, "manager") == {"results": (4.0, 1)}  # people: 0 of 2 -> no cell
    # Item r2: manager's N/A has no cell of its own but is counted as na in all_others.
    assert items(report, "manager") == {"r1": (4.0, 1, 0)}
    assert items(report, "all_others")["r2"] == (4.0, 3, 1)
    assert cells(report, "all_others") == {"results": (4.0, 4)}


def test_self_is_never_inside_all_others() -> None:
    report = build([R("self", r1=5, r2=5, p1=5, p2=5), R("manager", r1=1, r2=1, p1=2, p2=2)])
    # all_others = the manager alone: 1.00 and 2.00 with n = 1; self's 5s are not in it.
    assert cells(report, "all_others") == {"results": (1.0, 1), "people": (2.0, 1)}
    assert cells(report, "self") == {"results": (5.0, 1), "people": (5.0, 1)}
    assert [(g.area, g.delta, g.kind) for g in report.gaps] == [
        ("results", 4.0, "blind_spot"),
        ("people", 3.0, "blind_spot"),
    ]


def test_two_small_groups_merge_into_others() -> None:
    # k = 3: peers 2, direct reports 2 -> neither shown; others has 4 raters.
    report = build(
        [
            R("peers", r1=4, r2=4),
            R("peers", r1=2, r2=2),
            R("direct_reports", r1=5, r2=5),
            R("direct_reports", r1=3, r2=3),
        ]
    )
    assert report.groups[2:] == (
        GroupSummary("peers", "Peers", 2, False, "others"),
        GroupSummary("direct_reports", "Direct reports", 2, False, "others"),
        GroupSummary("others", "Others (small groups combined)", 4, True),
        GroupSummary("all_others", "All others (everyone but self)", 4, True),
    )
    # (4 + 2 + 5 + 3) / 4 = 3.50
    assert cells(report, "others") == {"results": (3.5, 4)}
    assert report.score("results", "peers") is None
    assert report.shown_groups() == ["others", "all_others"]


def test_others_below_k_absorbs_the_smallest_shown_group() -> None:
    # k = 3: peers 3 (shown alone), direct reports 1 -> others {dr} < 3 -> merged with peers.
    report = build(
        [
            R("manager", r1=1, r2=1),
            R("peers", r1=2, r2=2),
            R("peers", r1=3, r2=3),
            R("peers", r1=4, r2=4),
            R("direct_reports", r1=5, r2=5),
        ]
    )
    assert cells(report, "peers") == {}
    assert cells(report, "others") == {"results": (3.5, 4)}  # (2 + 3 + 4 + 5) / 4
    assert cells(report, "all_others") == {"results": (3.0, 5)}  # (1 + 2 + 3 + 4 + 5) / 5
    assert report.shown_groups() == ["manager", "others", "all_others"]
    assert [g.merged_into for g in report.groups[2:4]] == ["others", "others"]


def test_fewer_than_k_anonymous_raters_shows_nothing_anonymous() -> None:
    report = build(
        [
            R("manager", r1=2, r2=2),
            R("peers", {"start": "delegate more"}, r1=5, r2=5),
            R("peers", r1=5, r2=5),
        ]
    )
    assert {c.group for c in report.area_scores + report.item_scores} == {"manager", "all_others"}
    assert cells(report, "all_others") == {"results": (2.0, 1)}  # not (2 + 5 + 5) / 3 = 4.00
    assert report.comments == ()
    assert report.groups[2] == GroupSummary("peers", "Peers", 2, False, None)


def test_cell_with_n_below_k_is_hidden_inside_a_shown_group() -> None:
    # Peers shown (3 >= k). Item r2 has 2 numeric answers < 3: hidden, and left out of the
    # peers' area score, which is then the mean of r1 answers: (2 + 3 + 4) / 3 = 3.00
    # (with r2 it would be (3.5 + 4 + 4) / 3 = 3.83, leaking the hidden r2 cell).
    report = build([R("peers", r1=2, r2=5), R("peers", r1=3, r2=5), R("peers", r1=4, r2=None)])
    assert items(report, "peers") == {"r1": (3.0, 3, 0)}
    assert cells(report, "peers") == {"results": (3.0, 3)}
    assert "r2" not in items(report, "all_others")


@pytest.mark.parametrize("hidden", [(1, 1), (5, 5), (1, 5), (None, 3)])
def test_differencing_a_hidden_group_recovers_nothing(hidden: tuple[int | None, int]) -> None:
    # k = 3, manager + 2 peers. A naive all_others (2 + both peers) / 3 minus the manager's
    # shown 2.00 would give away the peers' mean; here every shown figure stays the same.
    a, b = hidden
    base = [R("manager", r1=2, r2=2), R("peers", r1=3, r2=3), R("peers", r1=3, r2=3)]
    changed = [base[0], R("peers", r1=a, r2=b), R("peers", r1=b, r2=b)]
    assert shown_figures(build(changed)) == shown_figures(build(base))


@pytest.mark.parametrize("values", [(1, 1, 1), (5, 5, 5), (2, 4, 1)])
def test_differencing_hidden_cells_of_a_shown_group_recovers_nothing(
    values: tuple[int, int, int],
) -> None:
    # Peers shown (3). People has 4 items: peers A and B answer all, C answers p1 only, so
    # item p1 has n = 3 (shown) but p2, p3, p4 have n = 2 (hidden), and the people area has
    # n = 2 (C answered 1 of 4 < half): hidden. Naively all_others people would be
    # (manager + A + B) / 3 and subtracting the manager would reveal A and B.
    def responses(x: int, y: int, z: int) -> list[RaterResponse]:
        return [
            R("manager", r1=3, r2=3, p1=3, p2=3, p3=3, p4=3),
            R("peers", r1=4, r2=4, p1=4, p2=x, p3=y, p4=z),
            R("peers", r1=2, r2=2, p1=2, p2=z, p3=x, p4=y),
            R("peers", r1=3, r2=3, p1=5),
        ]

    report = build(responses(3, 3, 3), areas=WIDE)
    assert cells(report, "peers") == {"results": (3.0, 3)}
    assert cells(report, "all_others") == {"results": (3.0, 4), "people": (3.0, 1)}
    assert items(report, "all_others")["p1"] == (3.5, 4, 0)  # (3 + 4 + 2 + 5) / 4
    assert shown_figures(build(responses(*values), areas=WIDE)) == shown_figures(report)


def test_rounding_half_up_through_real_means() -> None:
    # Peers' results scores 3, 3, 3, 3.5 -> 12.5 / 4 = 3.125 -> 3.13; item r2 13 / 4 = 3.25.
    peers = [R("peers", r1=3, r2=3)] * 3 + [R("peers", r1=3, r2=4)]
    # Direct reports' people scores: 7 x (3,3,3,2) = 2.75 and 3 x (3,2,3,2) = 2.5
    # -> (19.25 + 7.5) / 10 = 2.675 exactly -> 2.68 (through floats it would be 2.67).
    reports = [R("direct_reports", p1=3, p2=3, p3=3, p4=2)] * 7
    reports += [R("direct_reports", p1=3, p2=2, p3=3, p4=2)] * 3
    report = build(peers + reports, areas=WIDE)
    assert cells(report, "peers") == {"results": (3.13, 4)}
    assert items(report, "peers")["r2"] == (3.25, 4, 0)
    assert cells(report, "direct_reports") == {"people": (2.68, 10)}
    assert items(report, "direct_reports")["p2"] == (2.7, 10, 0)  # 27 / 10


def test_empty_campaign_gives_an_empty_valid_report() -> None:
    report = build([])
    assert report.to_json_parts() == {
        "areas": [{"key": "results", "title": "Results"}, {"key": "people", "title": "People"}],
        "groups": [
            {"key": g, "label": label, "responses": 0, "shown": False, "merged_into": None}
            for g, label in [
                ("self", "Self"),
                ("manager", "Manager (identifiable)"),
                ("peers", "Peers"),
                ("direct_reports", "Direct reports"),
            ]
        ],
        "area_scores": [],
        "item_scores": [],
        "gaps": [],
        "strengths": [],
        "development": [],
        "comments": [],
    }
    assert report.shown_groups() == []
    assert report.score("results", "all_others") is None


def test_group_without_raters_is_listed_not_shown() -> None:
    report = build([R("peers", r1=1, r2=2)] * 3)
    assert report.groups[3] == GroupSummary("direct_reports", "Direct reports", 0, False, None)
    assert report.shown_groups() == ["peers", "all_others"]


def test_observed_items_drive_the_half_rule_and_na() -> None:
    # Direct reports were shown only p1, p2 of people; answering p1 is half of what they saw.
    observed = {"direct_reports": frozenset({"r1", "p1", "p2"})}
    dr = [R("direct_reports", r1=4, p1=4, p3=1)] * 3  # p3 was not shown: ignored, not na
    report = build(dr, areas=WIDE, observed=observed)
    assert cells(report, "direct_reports") == {"results": (4.0, 3), "people": (4.0, 3)}
    assert items(report, "direct_reports") == {"r1": (4.0, 3, 0), "p1": (4.0, 3, 0)}


def test_readiness_section_uses_the_next_levels_areas() -> None:
    readiness = (AreaSpec("direction", "Direction", ("d1", "d2")),)
    responses = [R("self", r1=5, d1=2, d2=3), R("manager", r1=1, d1=4, d2=4)]
    report = build(responses, areas=readiness)
    assert [c.area for c in report.area_scores] == ["direction"] * 3
    assert report.gaps[0].delta == -1.5  # self 2.50 - others 4.00


def test_gaps_both_kinds_and_exact_threshold() -> None:
    # results: self 4.50, manager 3.50 -> +1.00 exactly: blind spot.
    # people: self 2.00, manager 3.00 -> -1.00 exactly: hidden strength.
    report = build([R("self", r1=4, r2=5, p1=2, p2=2), R("manager", r1=3, r2=4, p1=3, p2=3)])
    assert report.to_json_parts()["gaps"] == [
        {"area": "results", "self": 4.5, "others": 3.5, "delta": 1.0, "kind": "blind_spot"},
        {"area": "people", "self": 2.0, "others": 3.0, "delta": -1.0, "kind": "hidden_strength"},
    ]
    wide = build([R("self", r1=4, r2=5), R("manager", r1=3, r2=4)], gap_threshold=1.5)
    assert [g.kind for g in wide.gaps] == ["aligned"]


def test_gap_delta_uses_the_rounded_shown_scores() -> None:
    # Self results (3 + 4) / 2 = 3.50. Others: 3 peers 3, 3, 4 -> 3.333 -> shown 3.33.
    # delta = 3.50 - 3.33 = 0.17 exactly, which a reader can check on the page.
    peers = [R("peers", r1=3, r2=3), R("peers", r1=3, r2=3), R("peers", r1=4, r2=4)]
    report = build([R("self", r1=3, r2=4), *peers])
    assert (report.gaps[0].self_score, report.gaps[0].others_score) == (3.5, 3.33)
    assert report.gaps[0].delta == 0.17


def test_strengths_and_development_from_all_others_items() -> None:
    # Manager alone: r1 5, r2 2, p1 4, p2 2 -> strengths r1, p1; development r2, p2
    # (ties at 2.00 in questionnaire order); self's answers play no part.
    report = build([R("self", r1=1, r2=5, p1=1, p2=5), R("manager", r1=5, r2=2, p1=4, p2=2)])
    parts = report.to_json_parts()
    assert parts["strengths"] == [
        {"item": "r1", "area": "results", "score": 5.0, "n": 1},
        {"item": "p1", "area": "people", "score": 4.0, "n": 1},
    ]
    assert [d["item"] for d in parts["development"]] == ["r2", "p2"]


def test_comments_follow_visibility_and_sort_by_text() -> None:
    responses = [
        R("self", {"keep": "my 1:1s", "stop": " "}),
        R("manager", {"stop": "late reports"}),
        R("peers", {"keep": "b clear goals", "start": "delegate"}),
        R("peers", {"keep": "A calm"}),
        R("peers", {"keep": "a calm", "start": ""}),
        R("direct_reports", {"keep": "hidden? no: merged"}),
    ]
    report = build(responses, questions=[("start", "Start"), ("keep", "Keep"), ("stop", "Stop")])
    assert [(c.group, c.question, c.text) for c in report.comments] == [
        ("self", "keep", "my 1:1s"),
        ("manager", "stop", "late reports"),
        ("others", "start", "delegate"),
        ("others", "keep", "A calm"),
        ("others", "keep", "a calm"),
        ("others", "keep", "b clear goals"),
        ("others", "keep", "hidden? no: merged"),
    ]


def test_report_does_not_depend_on_submission_order() -> None:
    responses = [
        R("self", {"keep": "x"}, r1=4, r2=5),
        R("manager", {"keep": "Zeal"}, r1=3, p1=None),
        R("peers", {"keep": "zeal", "stop": "b"}, r1=2, r2=2, p1=3),
        R("peers", {"keep": "alpha", "stop": "a"}, r1=5, p2=4),
        R("peers", {"stop": "B"}, r1=1, r2=4, p1=5, p2=5),
    ]
    first = build(responses).to_json_parts()
    for order in itertools.permutations(responses):
        assert build(list(order)).to_json_parts() == first


def test_shown_cells_listed_in_spoke_then_group_order() -> None:
    report = build([R("self", r1=4, r2=4, p1=3, p2=3), R("manager", r1=2, r2=2, p1=5, p2=5)])
    assert report.area_scores[:3] == (
        AreaScore("results", "self", 4.0, 1),
        AreaScore("results", "manager", 2.0, 1),
        AreaScore("results", "all_others", 2.0, 1),
    )
    assert report.item_scores[0] == ItemScore("r1", "results", "self", 4.0, 1, 0)
    assert report.score("people", "manager") == 5.0


@pytest.mark.parametrize(
    ("responses", "kw", "message"),
    [
        ([R("boss", r1=3)], {}, "unknown rater group"),
        ([R("peers", r1=6)], {}, "1..5"),
        ([R("peers", r1=0)], {}, "1..5"),
        ([R("peers", r1=True)], {}, "1..5"),
        ([R("peers", r1=7)], {"scale": (1, 5)}, "1..5"),
        ([], {"k": 1}, "at least 2"),
        ([], {"gap_threshold": 0.0}, "gap threshold"),
        ([], {"areas": (AreaSpec("a", "A", ("x",)), AreaSpec("b", "B", ("x",)))}, "duplicate item"),
        ([], {"areas": (AreaSpec("a", "A", ("x",)), AreaSpec("a", "B", ("y",)))}, "duplicate area"),
    ],
)
def test_bad_input_raises_survey_error(
    responses: list[RaterResponse], kw: dict[str, Any], message: str
) -> None:
    with pytest.raises(SurveyError, match=message):
        build(responses, **kw)


def test_scale_bounds_are_configurable() -> None:
    report = build([R("manager", r1=7, r2=0)], scale=(0, 7))
    assert cells(report, "manager") == {"results": (3.5, 1)}
