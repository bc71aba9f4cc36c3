"""SPEC §7.1-2, §7.6 and §7.9: rater, item and area scores, the half rule, N/A, rounding."""

from decimal import Decimal
from fractions import Fraction

import pytest

from survey.domain.rounding import exact_mean, round_decimal, round_score
from survey.domain.scoring import (
    AreaCell,
    Rater,
    counts_for_area,
    pool_area,
    score_area,
    score_item,
    score_rater_area,
    tally,
)

ITEMS = ("a", "b", "c", "d")


def rater(shown: str = "abcd", **answers: int | None) -> Rater:
    return Rater(answers, frozenset(shown))


@pytest.mark.parametrize(
    ("shown", "answers", "expected"),
    [
        ("abcd", {"a": 4, "b": 2, "c": 3, "d": 5}, Fraction(7, 2)),  # 14 / 4
        ("abcd", {"a": 4, "b": 2}, Fraction(3)),  # exactly half of 4 counts: (4+2)/2
        ("abcd", {"a": 4, "b": 2, "c": None, "d": None}, Fraction(3)),  # N/A is not 0
        ("abcd", {"a": 4}, None),  # 1 of 4 < half
        ("abcd", {"a": 4, "b": None, "c": None, "d": None}, None),  # N/A is not an answer
        ("abc", {"a": 4}, None),  # 1 of 3 < 1.5
        ("abc", {"a": 4, "c": 1}, Fraction(5, 2)),  # 2 of 3 >= 1.5
        ("ab", {"a": 4}, Fraction(4)),  # shown 2 (observer filter), answered 1 = half
        ("ab", {"a": 4, "c": 1, "d": 1}, Fraction(4)),  # answers on unshown items ignored
        ("xy", {"a": 4, "b": 4}, None),  # shown none of the area's items: never counts
        ("", {}, None),
    ],
)
def test_rater_area_score_and_half_rule(
    shown: str, answers: dict[str, int | None], expected: Fraction | None
) -> None:
    assert score_rater_area(rater(shown, **answers), ITEMS) == expected


@pytest.mark.parametrize(
    ("shown", "answers", "counts"),
    [
        ("abcd", {"a": 1, "b": 1}, True),  # 2 of 4: exactly half
        ("abcd", {"a": 1, "b": None, "c": None}, False),  # N/A is not an answer
        ("ab", {"a": 1}, True),  # half of what the group was shown
        ("xy", {"a": 1}, False),  # shown none of the area's items
    ],
)
def test_who_counts_for_an_area(shown: str, answers: dict[str, int | None], counts: bool) -> None:
    assert counts_for_area(rater(shown, **answers), ITEMS) is counts


def test_pooled_area_is_the_mean_of_the_answers_in_the_shown_item_cells() -> None:
    # Shown cells a (4, 2, 5) and b (3, 1); c is hidden. Pooled: (11 + 4) / 5 = 3.
    # The mean of raters' means would be ((4+3)/2 + (2+1)/2 + 5) / 3 = 11/3: a different number.
    raters = [rater(a=4, b=3, c=1), rater(a=2, b=1, c=5), rater(a=5)]
    shown = {"a": score_item(raters, "a"), "b": score_item(raters, "b")}
    cell = pool_area(raters, ITEMS, shown)
    # n: the first two answered 3 of 4 and count; the third answered 1 of 4 (< half) and does
    # not, yet their answer on a is in the a cell and so in the score.
    assert cell == AreaCell(Fraction(3), 2)


def test_pooled_area_without_shown_answers_is_absent() -> None:
    raters = [rater(c=4, d=4)] * 3
    assert pool_area(raters, ITEMS, {"a": score_item(raters, "a")}) is None
    # Counts by the half rule but has no answer in a shown cell: neither in the score nor in n.
    both = [rater(c=4, d=4), rater(a=2, b=2)]
    assert pool_area(both, ITEMS, {"a": score_item(both, "a")}) == AreaCell(Fraction(2), 1)


@pytest.mark.parametrize(
    ("raters", "expected"),
    [
        # three numeric answers 2, 3, 5 -> 10/3; one N/A, one missing -> na = 2
        ([rater(a=2), rater(a=3), rater(a=5), rater(a=None), rater(b=1)], (Fraction(10, 3), 3, 2)),
        # raters not shown the item are neither n nor na
        ([rater("bcd", a=5), rater(a=1)], (Fraction(1), 1, 0)),
        ([rater(a=None), rater(a=None)], (None, 0, 2)),
    ],
)
def test_item_tally_counts_na_separately(
    raters: list[Rater], expected: tuple[Fraction | None, int, int]
) -> None:
    t = score_item(raters, "a")
    assert (t.score if t.n else None, t.n, t.na) == expected


def test_group_area_score_is_mean_of_counting_raters() -> None:
    # Rater scores: 3.5 (4,3), 2 (2,2), and 4 (a only of 4 < half -> not counted): (3.5+2)/2.
    area = score_area([rater(a=4, b=3), rater(a=2, b=2), rater(a=4)], ITEMS)
    assert (area.score, area.n) == (Fraction(11, 4), 2)


def test_tallies_pool_exactly() -> None:
    pooled = tally([3, 4], na=1) + tally([3])
    assert (pooled.score, pooled.n, pooled.na) == (Fraction(10, 3), 3, 1)
    # 3, 4, 3: squares 9 + 16 + 9 = 34; variance 34/3 - (10/3)^2 = 2/9
    assert pooled.variance == Fraction(2, 9)


def test_variance_of_equal_answers_is_zero_and_of_the_extremes_is_four() -> None:
    assert tally([3, 3, 3, 3, 3]).variance == 0
    assert tally([1, 5, 1, 5]).variance == 4


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (Fraction(25, 8), 3.13),  # 3.125 half up
        (Decimal("2.675"), 2.68),  # float(2.675) is 2.67499.. and would give 2.67
        (2.675, 2.68),  # a float is read as its decimal repr
        (Fraction(107, 40), 2.68),  # 2.675 exactly
        (Fraction(1, 3), 0.33),
        (Fraction(2, 3), 0.67),
        (Fraction(-107, 40), -2.68),  # half away from zero, symmetric for deltas
        (Fraction(12345, 1000), 12.35),
        (4, 4.0),
        (Fraction(1, 1000), 0.0),
    ],
)
def test_round_score_half_up_on_exact_values(
    value: Fraction | Decimal | float, expected: float
) -> None:
    assert round_score(value) == expected


def test_round_of_real_means() -> None:
    # Area scores 3, 3, 3, 3.5 -> mean 12.5 / 4 = 3.125 -> 3.13
    assert round_score(exact_mean([3, 3, 3, Fraction(7, 2)])) == 3.13
    # (2.5 + 2.85) / 2 = 2.675 -> 2.68
    assert round_score(exact_mean([Fraction(5, 2), Fraction(57, 20)])) == 2.68
    assert str(round_decimal(Fraction(5, 2))) == "2.50"


def test_mean_of_nothing_is_an_error() -> None:
    with pytest.raises(ValueError):
        exact_mean([])
