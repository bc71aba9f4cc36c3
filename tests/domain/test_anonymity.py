"""SPEC §7.3-4: threshold, which anonymous groups are shown and how small groups merge."""

import pytest

from survey.domain.anonymity import (
    GroupSummary,
    check_threshold,
    plan_units,
    summarise_groups,
)
from survey.errors import SurveyError

P, D = "peers", "direct_reports"


@pytest.mark.parametrize(
    ("counts", "k", "expected"),
    [
        # both groups reach k: each shown on its own
        ({P: 3, D: 3}, 3, {P: (P,), D: (D,)}),
        ({P: 5, D: 5}, 5, {P: (P,), D: (D,)}),
        # 2 + 2 < k each, together 4 >= 3: merged into others
        ({P: 2, D: 2}, 3, {"others": (P, D)}),
        ({P: 4, D: 4}, 5, {"others": (P, D)}),
        ({P: 1, D: 1}, 2, {"others": (P, D)}),
        # others = {dr: 1} < 3 -> merged with the smallest shown group (peers), which disappears
        ({P: 3, D: 1}, 3, {"others": (P, D)}),
        ({P: 2, D: 4}, 3, {"others": (P, D)}),
        # anonymous raters fewer than k in total: nothing anonymous
        ({P: 2}, 3, {}),
        ({P: 2, D: 2}, 5, {}),
        ({P: 1, D: 1}, 3, {}),
        # a group with no raters is neither shown nor merged
        ({P: 3, D: 0}, 3, {P: (P,)}),
        ({D: 4}, 3, {D: (D,)}),
        # identifiable groups are shown whenever they answered, whatever k
        ({"self": 1, "manager": 1, P: 2}, 3, {"self": ("self",), "manager": ("manager",)}),
        ({}, 3, {}),
    ],
)
def test_plan_units(counts: dict[str, int], k: int, expected: dict[str, tuple[str, ...]]) -> None:
    assert plan_units(counts, k) == expected


def test_summaries_for_merged_groups() -> None:
    counts = {"self": 1, "manager": 1, P: 3, D: 1}
    assert summarise_groups(counts, plan_units(counts, 3)) == [
        GroupSummary("self", "Self", 1, True),
        GroupSummary("manager", "Manager (identifiable)", 1, True),
        GroupSummary(P, "Peers", 3, False, "others"),
        GroupSummary(D, "Direct reports", 1, False, "others"),
        GroupSummary("others", "Others (small groups combined)", 4, True),
    ]


def test_summaries_when_nothing_anonymous_is_shown() -> None:
    counts = {P: 2}
    assert summarise_groups(counts, plan_units(counts, 3)) == [
        GroupSummary("self", "Self", 0, False),
        GroupSummary("manager", "Manager (identifiable)", 0, False),
        GroupSummary(P, "Peers", 2, False),
        GroupSummary(D, "Direct reports", 0, False),
    ]


@pytest.mark.parametrize("k", [2, 3, 10])
def test_threshold_accepted(k: int) -> None:
    check_threshold(k)


@pytest.mark.parametrize("k", [1, 0, -3, True, 2.5, "3"])
def test_threshold_below_two_rejected(k: object) -> None:
    with pytest.raises(SurveyError, match="at least 2"):
        check_threshold(k)  # type: ignore[arg-type]
