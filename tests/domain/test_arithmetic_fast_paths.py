"""The integer fast paths of `tally`, `exact_mean` and `round_decimal` (issue 8: close spent
44% of its time in Fraction arithmetic) give exactly what the plain Fraction formulas give."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from survey.domain.rounding import exact_mean, round_decimal, round_mean, round_score, to_exact
from survey.domain.scoring import Tally, tally

answers = st.lists(st.integers(min_value=1, max_value=5), min_size=1, max_size=40)
fractions = st.fractions(min_value=-10, max_value=10, max_denominator=10_000)
mixed = st.lists(st.one_of(st.integers(-5, 5), fractions), min_size=1, max_size=20)


def plain_round(x: Fraction | int | float | Decimal) -> Decimal:
    hundredths = to_exact(x) * 100
    num, den = abs(hundredths.numerator), hundredths.denominator
    units = (2 * num + den) // (2 * den)
    return Decimal(-units if hundredths < 0 else units).scaleb(-2)


@given(st.one_of(fractions, st.integers(-1000, 1000), st.floats(-100, 100)))
def test_round_decimal_is_the_plain_formula(x) -> None:
    assert str(round_decimal(x)) == str(plain_round(x))


@given(st.one_of(answers, mixed))
def test_tally_and_mean_are_the_plain_fraction_sums(values) -> None:
    exact = [Fraction(v) for v in values]
    total = sum(exact, Fraction(0))
    squares = sum((v * v for v in exact), Fraction(0))
    assert tally(values, na=2) == Tally(total, len(values), 2, squares)
    assert exact_mean(iter(values)) == total / len(values)


def test_worked_rounding_half_up() -> None:
    assert str(round_decimal(Fraction(3125, 1000))) == "3.13"
    assert str(round_decimal(Fraction(-3125, 1000))) == "-3.13"
    assert str(round_decimal(2.675)) == "2.68"
    assert exact_mean([4, 5, 5]) == Fraction(14, 3)


@given(st.integers(-10_000, 10_000), st.integers(1, 500), st.integers(1, 50))
def test_round_mean_is_round_score_of_the_quotient(total, n, den) -> None:
    for value in (total, Fraction(total, den)):
        assert round_mean(value, n) == round_score(Fraction(value) / n)
