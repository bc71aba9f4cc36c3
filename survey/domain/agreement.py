"""How much the raters of a shown cell agree: `sd` and an agreement word (SPEC §10).

A cell of an anonymous unit (`peers`, `direct_reports`, `others`) or of `all_others` with
`n ≥ spread_min` carries `sd`, the population standard deviation of the very numeric answers its
score pools, rounded half up to 2 decimals, and `agreement`, the index of rater agreement on
the 1–5 scale `1 − sd/2`: `high` at ≥ 0.70, `moderate` at ≥ 0.50, else `low`. The word is taken
from the ROUNDED sd, so a reader can check it on the page (sd ≤ 0.60 high, sd ≤ 1.00
moderate). Self and manager cells never carry either: one person has no spread. No
distribution, minimum or maximum is ever derived here.

`spread_min` is the campaign's setting (default 5); the effective value is never below `k`.

No differencing (SPEC §7.6, applied to spread): a cell's sd is a function of the sums of
squares of the item cells it pools, so subtracting shown sds could give the spread (hence,
with its mean and n, often the very answers) of a pooled part that shows none. A cell
therefore carries sd only when every anonymous item cell it pools has n ≥ spread_min itself
(`parts_carry_spread`): an area cell of a unit, all its item cells in the area; an
`all_others` cell, those of every anonymous unit. One manager's answers are shown one by one
anyway (each manager item cell is that answer), so they never stop it; but HR may add a second
manager, whose item cells then show a mean of two, and all others' sd would split it (1 and 5
against 3 and 3): an `all_others` cell therefore also needs every manager item cell it pools to
hold at most one answer. Chosen where SPEC §10 is silent: show less.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Context, Decimal
from math import isqrt
from typing import NamedTuple

from survey.domain.anonymity import ALL_OTHERS, ANONYMOUS, MANAGER, OTHERS, UnitCells
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

    `answers.n` must be > 0. Integer sums (answers, the case of every cell at close) are rounded
    exactly in integers: 100·sd = √(10000·(n·Σx² − (Σx)²))/n, so the half-up units are
    ⌊(⌊√(40000·(n·Σx² − (Σx)²))⌋ + n) / 2n⌋. Otherwise the exact variance's square root is taken
    to 60 digits, which matches the true value except on a tie it cannot tell from one (none at
    the scale's answer counts).
    """
    total, n, total_sq = answers.total, answers.n, answers.total_sq
    if type(total) is int and type(total_sq) is int:
        spread_sum = n * total_sq - total * total  # n² · variance, an integer ≥ 0
        return ((isqrt(40000 * spread_sum) + n) // (2 * n)) / 100
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


def parts_carry_spread(
    unit: str, items: Sequence[str], cells: Mapping[str, UnitCells], spread_min: int
) -> bool:
    """True when every anonymous item cell that `unit`'s cell over `items` pools has at least
    `spread_min` answers and, for `all_others`, every manager item cell it pools at most one
    (see the module docstring); False for self and manager."""
    return SpreadParts.of(cells, spread_min).carry(unit, items)


@dataclass(frozen=True)
class SpreadParts:
    """One report's anonymous item cells too small to carry a spread, found once so each
    cell's `parts_carry_spread` test is a set lookup: unit → item keys with 0 < n < spread_min;
    `anywhere` adds the manager's item cells with more than one answer (two managers' answers
    must not be told apart by all others' spread).
    """

    short: Mapping[str, frozenset[str]]
    anywhere: frozenset[str]  # the union, with shared manager cells: what stops `all_others`

    @classmethod
    def of(cls, cells: Mapping[str, UnitCells], spread_min: int) -> SpreadParts:
        """Find the short item cells of every anonymous unit in `cells`."""
        short = {
            unit: frozenset(i for i, t in found.items.items() if 0 < t.n < spread_min)
            for unit, found in cells.items()
            if unit in SPREAD_GROUPS and unit != ALL_OTHERS
        }
        manager = cells[MANAGER].items if MANAGER in cells else {}
        shared = frozenset(i for i, t in manager.items() if t.n > 1)
        return cls(short, frozenset().union(shared, *short.values()))

    def carry(self, unit: str, items: Sequence[str]) -> bool:
        """`parts_carry_spread` for `unit`'s cell over `items`."""
        if unit == ALL_OTHERS:
            return self.anywhere.isdisjoint(items)
        found = self.short.get(unit)
        return found is not None and found.isdisjoint(items)


class Spread(NamedTuple):
    """A cell's (sd, agreement); both None when the cell may not carry them."""

    sd: float | None = None
    agreement: str | None = None


def may_spread(group: str, n: int, answers: Tally | None, spread_min: int) -> bool:
    """True when a cell of `group` with `n` and these answers is big enough to carry a spread
    (the checks of `spread` before any arithmetic); `parts_carry_spread` must hold as well."""
    return group in SPREAD_GROUPS and n >= spread_min and answers is not None and answers.n > 0


def spread(group: str, n: int, answers: Tally | None, spread_min: int) -> Spread:
    """Return the cell's Spread: set only for anonymous units and `all_others` at
    `n ≥ spread_min` with answers, else (None, None)."""
    if answers is None or not may_spread(group, n, answers, spread_min):
        return Spread()
    sd = round_sd(answers)
    return Spread(sd, agreement_word(sd))
