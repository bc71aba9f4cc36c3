"""Exact means and the one rounding rule behind every shown number (SPEC §7.9).

Scores are averaged as exact fractions of the integer answers and rounded once, half up
(away from zero) to 2 decimals, so 3.125 shows as 3.13 and 2.675 as 2.68 in every channel.
"""

from collections.abc import Iterable
from decimal import Decimal
from fractions import Fraction

Number = Fraction | Decimal | int | float


def to_exact(x: Number) -> Fraction:
    """Return `x` as an exact fraction; a float is read as its shortest decimal repr (2.675)."""
    if isinstance(x, float):
        return Fraction(Decimal(repr(x)))
    return Fraction(x)


def exact_mean(values: Iterable[Fraction | int]) -> Fraction:
    """Return the exact arithmetic mean of `values`; raises ValueError when empty."""
    items = list(values)
    if not items:
        raise ValueError("mean of no values")
    if all(type(v) is int for v in items):  # answers: one integer sum, one fraction
        return Fraction(sum(items), len(items))
    return sum((Fraction(v) for v in items), Fraction(0)) / len(items)


def round_decimal(x: Number) -> Decimal:
    """Round `x` half up (away from zero) to 2 decimals, exactly, as a Decimal."""
    exact = x if isinstance(x, int | Fraction) else to_exact(x)
    num, den = 100 * exact.numerator, exact.denominator  # x * 100, not reduced
    units = (2 * abs(num) + den) // (2 * den)  # floor(|x| * 100 + 1/2)
    return Decimal(-units if num < 0 else units).scaleb(-2)


def round_score(x: Number) -> float:
    """Return `x` rounded half up to 2 decimals: the number every channel shows (SPEC §7.9)."""
    return float(round_decimal(x))


def round_mean(total: Fraction | int, n: int) -> float:
    """Return `round_score(total / n)` without building the fraction (n > 0): the one rule
    applied to a tally's sum, cheaply enough for every cell of a campaign at close."""
    num, den = 100 * total.numerator, total.denominator * n
    units = (2 * abs(num) + den) // (2 * den)  # floor(|x| * 100 + 1/2), as round_decimal
    return (-units if num < 0 else units) / 100
