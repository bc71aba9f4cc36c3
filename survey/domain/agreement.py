"""How much the raters of a shown cell agree: `sd` and an agreement word (SPEC §10).

A cell of an anonymous unit (`peers`, `direct_reports`, `others`) or of `all_others` with
`n ≥ spread_min` carries `sd`, the population standard deviation of the very numeric answers its
score pools, rounded half up to 2 decimals, and `agreement`, the index of rater agreement on
the 1–5 scale `1 − sd/2`: `high` at ≥ 0.70, `moderate` at ≥ 0.50, else `low`. The word is taken
from the ROUNDED sd, so a reader can check it on the page (sd ≤ 0.60 high, sd ≤ 1.00
moderate). Self and manager cells never carry either: one person has no spread. No
distribution, minimum or maximum is ever derived here.

`spread_min` is the campaign's setting (default 5); the effective value is never below `k`.
"""

from __future__ import annotations

from decimal import Context, Decimal
from typing import NamedTuple

from survey.domain.anonymity import ALL_OTHERS, ANONYMOUS, OTHERS
from survey.domain.rounding import round_decimal
from survey.domain.scoring import Tally

SPREAD_MIN_DEFAULT = 5
SPREAD_GROUPS = frozenset((*ANONYMOUS, OTHERS, ALL_OTHERS))
HIGH, MODERATE, LOW = "high", "moderate", "low"
_EXACT = Context(prec=60)  # far beyond 2 decimals: the half-up rounding below stays exact


def effective_spread_min(spread_min: int | None, k: int) -> int:
    """Return the spread threshold in force: the campaign's (default 5), never below `k`."""
    return max(SPREAD_MIN_DEFAULT if spread_min is None else spread_min, k)


def round_sd(answers: Tally) -> float:
    """Return the population sd of the tallied answers, rounded half up to 2 decimals.

    `answers.n` must be > 0. The variance is exact; its square root is taken to 60 digits, so
    the rounding matches the true value except on a tie it cannot tell from one (none at the
    scale's answer counts).
    """
    variance = answers.variance
    root = (Decimal(variance.numerator) / Decimal(variance.denominator)).sqrt(_EXACT)
    return float(round_decimal(root))


def agreement_word(sd: float) -> str:
    """Return high / moderate / low for a rounded sd: 1 − sd/2 ≥ 0.70 / ≥ 0.50 / else."""
    index = 1 - Decimal(repr(sd)) / 2
    if index >= Decimal("0.70"):
        return HIGH
    if index >= Decimal("0.50"):
        return MODERATE
    return LOW


class Spread(NamedTuple):
    """A cell's (sd, agreement); both None when the cell may not carry them."""

    sd: float | None = None
    agreement: str | None = None


def spread(group: str, n: int, answers: Tally | None, spread_min: int) -> Spread:
    """Return the cell's Spread: set only for anonymous units and `all_others` at
    `n ≥ spread_min` with answers, else (None, None)."""
    if group not in SPREAD_GROUPS or n < spread_min or answers is None or answers.n == 0:
        return Spread()
    sd = round_sd(answers)
    return Spread(sd, agreement_word(sd))
