"""SPEC §7 end to end: worked examples of a subject report, values computed by hand."""

import itertools
from collections.abc import Callable, Sequence
from fractions import Fraction
from typing import Any

import pytest

from survey.domain.anonymity import GroupSummary
from survey.domain.report import AreaScore, ItemScore, SubjectReport, build_subject_report
from survey.domain.rounding import round_score
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
    # all_others people pools only units whose people cell is shown: the manager, 12 / 4 = 3.00,
    # n = 1. The peers' shown p1 cell stays out with their hidden area (answers and n alike).
    assert cells(report, "all_others") == {"results": (3.0, 4), "people": (3.0, 1)}
    assert items(report, "all_others")["p1"] == (3.5, 4, 0)  # (3 + 4 + 2 + 5) / 4
    assert shown_figures(build(responses(*values), areas=WIDE)) == shown_figures(report)


ENGAGEMENT = (AreaSpec("engagement", "Engagement", ("e1", "e2")),)
IMPROVEMENT = (AreaSpec("improvement", "Improvement", ("i1", "i2", "i3", "i4")),)


def lone_peer(p: int) -> list[RaterResponse]:
    """1 peer (not shown e2) merged into others with 3 direct reports (k = 3)."""
    return [
        R("manager", e1=3, e2=3),
        R("peers", e1=p),
        R("direct_reports", e1=4, e2=2),
        R("direct_reports", e1=3, e2=5),
        R("direct_reports", e1=5, e2=3),
    ]


def one_na(o: int) -> list[RaterResponse]:
    """4 peers; the last answers N/A on r2."""
    return [
        R("manager", r1=4, r2=4),
        R("peers", r1=4, r2=2),
        R("peers", r1=2, r2=5),
        R("peers", r1=3, r2=3),
        R("peers", r1=o, r2=None),
    ]


def below_half(o: int) -> list[RaterResponse]:
    """3 direct reports answer all 4 items; a 4th answers i1 only (1 of 4 < half)."""
    return [
        R("manager", i1=3, i2=3, i3=3, i4=3),
        R("direct_reports", i1=4, i2=2, i3=3, i4=5),
        R("direct_reports", i1=2, i2=2, i3=4, i4=4),
        R("direct_reports", i1=5, i2=3, i3=1, i4=2),
        R("direct_reports", i1=o),
    ]


# The three leaks of the security review (tests/test_attack_differencing.py), by hand. With
# SPEC §7.1's mean of raters' means the unit's area was an independent equation: lone peer
# p = 1 gave (1 + 3 + 4 + 4) / 4 = 3.00 and 8 x 3.00 - 4 x 3.25 - 3 x 3.33 = 1 = p. Now the area
# is the pooled mean of the answers in the unit's shown item cells (sum of score x n over the
# items / sum of n), so it follows from the item cells and solves nothing.
@pytest.mark.parametrize(
    ("responses", "areas", "observed", "unit", "expected_items", "expected_area", "all_others"),
    [
        pytest.param(
            lone_peer(1),
            ENGAGEMENT,
            {"peers": frozenset({"e1"})},
            "others",
            # e1 (1+4+3+5)/4 = 3.25, e2 (2+5+3)/3 = 3.33; area (13 + 10) / 7 = 3.2857 -> 3.29,
            # n = 4 (the peer answered the 1 item shown to them). all_others adds the
            # manager's 3 + 3: (6 + 23) / 9 = 3.2222 -> 3.22, n = 1 + 4.
            {"e1": (3.25, 4, 0), "e2": (3.33, 3, 0)},
            (3.29, 4),
            (3.22, 5),
            id="lone-peer-answers-1",
        ),
        pytest.param(
            lone_peer(5),
            ENGAGEMENT,
            {"peers": frozenset({"e1"})},
            "others",
            # e1 17/4 = 4.25; area (17 + 10) / 7 = 3.857 -> 3.86; all_others 33/9 = 3.67.
            {"e1": (4.25, 4, 0), "e2": (3.33, 3, 0)},
            (3.86, 4),
            (3.67, 5),
            id="lone-peer-answers-5",
        ),
        pytest.param(
            one_na(1),
            AREAS,
            {},
            "peers",
            # r1 (4+2+3+1)/4 = 2.50, r2 (2+5+3)/3 = 3.33 with 1 N/A; area (10 + 10) / 7 = 2.857
            # -> 2.86, n = 4 (1 of 2 answered is half). Old rule: (3 + 3.5 + 3 + 1) / 4 = 2.63.
            # all_others: (8 + 20) / 9 = 3.11, n = 5.
            {"r1": (2.5, 4, 0), "r2": (3.33, 3, 1)},
            (2.86, 4),
            (3.11, 5),
            id="na-peer-answers-1",
        ),
        pytest.param(
            one_na(5),
            AREAS,
            {},
            "peers",
            # r1 14/4 = 3.50; area (14 + 10) / 7 = 3.43; all_others (8 + 24) / 9 = 3.56.
            {"r1": (3.5, 4, 0), "r2": (3.33, 3, 1)},
            (3.43, 4),
            (3.56, 5),
            id="na-peer-answers-5",
        ),
        pytest.param(
            below_half(1),
            IMPROVEMENT,
            {},
            "direct_reports",
            # i1 (4+2+5+1)/4 = 3.00, i2 7/3, i3 8/3, i4 11/3; area (12 + 7 + 8 + 11) / 13 =
            # 38/13 = 2.923 -> 2.92, n = 3 (the 4th is below the half rule). Old rule:
            # (3.5 + 3 + 2.75) / 3 = 3.08. all_others: (12 + 38) / 17 = 2.94, n = 4.
            # The 4th left i2..i4 unanswered: na = 1 there.
            {"i1": (3.0, 4, 0), "i2": (2.33, 3, 1), "i3": (2.67, 3, 1), "i4": (3.67, 3, 1)},
            (2.92, 3),
            (2.94, 4),
            id="below-half-answers-1",
        ),
        pytest.param(
            below_half(5),
            IMPROVEMENT,
            {},
            "direct_reports",
            # i1 16/4 = 4.00; area 42/13 = 3.23; all_others 54/17 = 3.18.
            {"i1": (4.0, 4, 0), "i2": (2.33, 3, 1), "i3": (2.67, 3, 1), "i4": (3.67, 3, 1)},
            (3.23, 3),
            (3.18, 4),
            id="below-half-answers-5",
        ),
    ],
)
def test_anonymous_area_is_the_pooled_mean_of_its_shown_item_cells(
    responses: list[RaterResponse],
    areas: tuple[AreaSpec, ...],
    observed: dict[str, frozenset[str]],
    unit: str,
    expected_items: dict[str, tuple[float, int, int]],
    expected_area: tuple[float, int],
    all_others: tuple[float, int],
) -> None:
    report = build(responses, areas=areas, observed=observed)
    key = areas[0].key
    assert items(report, unit) == expected_items
    assert cells(report, unit) == {key: expected_area}
    assert cells(report, "all_others") == {key: all_others}
    # The area follows from the shown item cells: their totals (score x n, integers) pooled.
    totals = sum(round(score * n) for score, n, _ in expected_items.values())
    answers = sum(n for _, n, _ in expected_items.values())
    assert expected_area[0] == round_score(Fraction(totals, answers))


@pytest.mark.parametrize(
    ("make", "target", "item", "partner"),
    [(lone_peer, 1, "e1", 2), (one_na, 4, "r1", 1), (below_half, 4, "i1", 1)],
)
@pytest.mark.parametrize("answer", [1, 3, 5])
def test_swapping_two_raters_answers_changes_no_figure(
    make: Callable[[int], list[RaterResponse]], target: int, item: str, partner: int, answer: int
) -> None:
    # The targeted rater exchanges their answer on `item` with another rater of the unit: the
    # item cells hold the same answers, so every shown figure stays, and nobody can tell which
    # of the two answers was theirs.
    areas = {"e1": ENGAGEMENT, "r1": AREAS, "i1": IMPROVEMENT}[item]
    observed = {"peers": frozenset({"e1"})} if item == "e1" else {}
    base = make(answer)
    swapped = list(base)
    mine, theirs = base[target].answers[item], base[partner].answers[item]
    swapped[target] = RaterResponse(base[target].group, {**base[target].answers, item: theirs})
    swapped[partner] = RaterResponse(base[partner].group, {**base[partner].answers, item: mine})
    report = build(base, areas=areas, observed=observed)
    assert build(swapped, areas=areas, observed=observed).to_json_parts() == shown_figures(report)


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
    # k = 3, manager + 3 peers. all_others items: r1 (5+4+4+4)/4 = 4.25, r2 (2+3+3+3)/4 = 2.75,
    # p1 (4+2+2+2)/4 = 2.50 (n = 4), p2 the peers' 3.00 (n = 3: the manager skipped it).
    # Self's answers play no part. 4 items rank -> 2 each.
    peers = [R("peers", r1=4, r2=3, p1=2, p2=3)] * 3
    report = build([R("self", r1=1, r2=5, p1=1, p2=5), R("manager", r1=5, r2=2, p1=4), *peers])
    parts = report.to_json_parts()
    assert parts["strengths"] == [
        {"item": "r1", "area": "results", "score": 4.25, "n": 4},
        {"item": "p2", "area": "people", "score": 3.0, "n": 3},
    ]
    assert [(d["item"], d["score"]) for d in parts["development"]] == [("p1", 2.5), ("r2", 2.75)]


def test_an_item_only_the_manager_rated_never_ranks() -> None:
    # Two of three peers answer p2 "don't know": the peers' p2 cell (n = 1) is hidden, so
    # all_others p2 = the manager's 1 alone (n = 1). Lowest score, but it rests on one
    # identifiable person: it does not rank. r1 4.25, r2 2.75, p1 2.50 (n = 4): 1 each.
    peers = [R("peers", r1=4, r2=3, p1=2, p2=3)] + [R("peers", r1=4, r2=3, p1=2, p2=None)] * 2
    report = build([R("manager", r1=5, r2=2, p1=4, p2=1), *peers])
    assert items(report, "all_others")["p2"] == (1.0, 1, 0)  # hidden N/As not pooled
    assert [(i.item, i.score, i.n) for i in report.strengths] == [("r1", 4.25, 4)]
    assert [(i.item, i.score, i.n) for i in report.development] == [("p1", 2.5, 4)]


def test_a_manager_alone_gives_no_strengths_or_development() -> None:
    # Only the manager answered: every all_others item has n = 1 < k = 3 -> both lists empty,
    # although the manager's scores (5, 2, 4, 2) are shown in the tables.
    report = build([R("self", r1=1, r2=5, p1=1, p2=5), R("manager", r1=5, r2=2, p1=4, p2=2)])
    assert items(report, "all_others")["r1"] == (5.0, 1, 0)
    assert (report.strengths, report.development) == ((), ())


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
