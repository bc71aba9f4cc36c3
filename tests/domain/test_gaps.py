"""SPEC §7.8: blind spots, hidden strengths, strengths and development items."""

from decimal import Decimal

import pytest

from survey.domain.gaps import (
    Gap,
    RankedItem,
    check_gap_threshold,
    classify_gap,
    find_gaps,
    rank_items,
)
from survey.errors import SurveyError

ONE = Decimal("1.0")


@pytest.mark.parametrize(
    ("delta", "threshold", "kind"),
    [
        ("1.00", ONE, "blind_spot"),  # exactly the threshold counts
        ("2.30", ONE, "blind_spot"),
        ("0.99", ONE, "aligned"),
        ("0.00", ONE, "aligned"),
        ("-0.99", ONE, "aligned"),
        ("-1.00", ONE, "hidden_strength"),  # exactly the threshold counts
        ("-1.75", ONE, "hidden_strength"),
        ("0.50", Decimal("0.5"), "blind_spot"),
    ],
)
def test_classify_gap(delta: str, threshold: Decimal, kind: str) -> None:
    assert classify_gap(Decimal(delta), threshold) == kind


def test_gap_delta_is_exact_difference_of_rounded_scores() -> None:
    # 3.30 - 2.30 in floats is 0.9999999999999998; on decimals it is exactly 1.00.
    self_scores = {"results": Decimal("3.30"), "people": Decimal("2.00"), "growth": Decimal("4")}
    others = {"results": Decimal("2.30"), "people": Decimal("3.25"), "culture": Decimal("3")}
    assert find_gaps(["results", "people", "growth", "culture"], self_scores, others, ONE) == [
        Gap("results", 3.3, 2.3, 1.0, "blind_spot"),
        Gap("people", 2.0, 3.25, -1.25, "hidden_strength"),
    ]  # growth has no others score, culture no self score: no gap row


@pytest.mark.parametrize("threshold", [0, -1.0, 0.0])
def test_gap_threshold_must_be_positive(threshold: float) -> None:
    with pytest.raises(SurveyError):
        check_gap_threshold(threshold)


def test_gap_threshold_is_read_as_written() -> None:
    assert check_gap_threshold(0.1) == Decimal("0.1")


def items(*scores: float) -> list[RankedItem]:
    """Items i1, i2, ... in questionnaire order with the given all-others scores."""
    return [RankedItem(f"i{n}", "area", s, 3) for n, s in enumerate(scores, start=1)]


def keys(ranked: list[RankedItem]) -> list[str]:
    return [r.item for r in ranked]


@pytest.mark.parametrize(
    ("scores", "strengths", "development"),
    [
        # 12 items: top 5 by score, ties (4.5 at i2, i5, i9) in questionnaire order
        (
            (3.0, 4.5, 2.0, 1.5, 4.5, 3.3, 4.8, 2.0, 4.5, 3.9, 1.5, 2.2),
            ["i7", "i2", "i5", "i9", "i10"],
            ["i4", "i11", "i3", "i8", "i12"],
        ),
        # 4 items: half each, so no item is both a strength and a development area
        ((2.0, 3.0, 4.0, 5.0), ["i4", "i3"], ["i1", "i2"]),
        # all tied: questionnaire order, and development never repeats a strength
        ((3.0, 3.0, 3.0), ["i1"], ["i2"]),
        ((4.0,), [], []),
        ((), [], []),
    ],
)
def test_strengths_and_development(
    scores: tuple[float, ...], strengths: list[str], development: list[str]
) -> None:
    best, worst = rank_items(items(*scores), min_n=3)
    assert (keys(best), keys(worst)) == (strengths, development)


@pytest.mark.parametrize(
    ("counts", "k", "strengths", "development"),
    [
        # scores i1..i6 = 5, 4, 3, 2, 1.5, 1 (see below); n per item varies
        ((3, 3, 3, 3, 3, 3), 3, ["i1", "i2", "i3"], ["i6", "i5", "i4"]),
        # i1 (5.0) and i6 (1.0) rest on one person: 4 items left -> 2 each
        ((1, 3, 3, 3, 3, 1), 3, ["i2", "i3"], ["i5", "i4"]),
        # n = k qualifies, n = k - 1 does not
        ((2, 4, 4, 2, 2, 2), 4, ["i2"], ["i3"]),
        ((1, 1, 1, 1, 1, 4), 2, [], []),  # one qualifying item: half of 1 is 0
        ((1, 1, 1, 1, 1, 1), 2, [], []),  # nothing qualifies: both lists empty
    ],
)
def test_only_items_rated_by_at_least_k_rank(
    counts: tuple[int, ...], k: int, strengths: list[str], development: list[str]
) -> None:
    scores = (5.0, 4.0, 3.0, 2.0, 1.5, 1.0)
    ranked = [
        RankedItem(f"i{n}", "area", s, c)
        for n, (s, c) in enumerate(zip(scores, counts, strict=True), 1)
    ]
    best, worst = rank_items(ranked, min_n=k)
    assert (keys(best), keys(worst)) == (strengths, development)
