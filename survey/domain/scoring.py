"""Rater, area and item scores with their `n`; N/A never counts as a number (SPEC §7.1-2).

Sums are kept exact (`Tally`) so that groups can be pooled without rounding drift; only the
report rounds, once, with `round_score`.
"""

from collections.abc import Container, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction

from survey.domain.rounding import exact_mean


@dataclass(frozen=True)
class AreaSpec:
    """One responsibility area (radar spoke) with its item keys in questionnaire order."""

    key: str
    title: str
    items: tuple[str, ...]


@dataclass(frozen=True)
class RaterResponse:
    """One submitted response: its rater group, answers (None = N/A) and open-question texts."""

    group: str
    answers: Mapping[str, int | None]
    comments: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Rater:
    """A response together with the item keys its rater group was shown."""

    answers: Mapping[str, int | None]
    shown: frozenset[str]

    def numeric(self, item: str) -> int | None:
        """Return the numeric answer on a shown item, None for N/A, unanswered or not shown."""
        return self.answers.get(item) if item in self.shown else None


@dataclass(frozen=True)
class Tally:
    """An exact sum of `n` values plus `na` N/A answers; poolable by `+`."""

    total: Fraction = Fraction(0)
    n: int = 0
    na: int = 0

    @property
    def score(self) -> Fraction:
        """The exact mean; only meaningful when n > 0."""
        return self.total / self.n

    def __add__(self, other: "Tally") -> "Tally":
        return Tally(self.total + other.total, self.n + other.n, self.na + other.na)


def tally(values: Iterable[Fraction | int], na: int = 0) -> Tally:
    """Return the tally of `values` with `na` N/A answers."""
    items = [Fraction(v) for v in values]
    return Tally(sum(items, Fraction(0)), len(items), na)


def score_item(raters: Sequence[Rater], item: str) -> Tally:
    """Tally one item over the raters shown it: n = numeric answers, na = N/A or unanswered."""
    seen = [r for r in raters if item in r.shown]
    numeric = [v for r in seen if (v := r.numeric(item)) is not None]
    return tally(numeric, na=len(seen) - len(numeric))


def score_rater_area(
    rater: Rater, items: Sequence[str], scored: Container[str] | None = None
) -> Fraction | None:
    """Return a rater's area score, or None unless they answered at least half the items shown.

    The half rule counts every item of the area the rater's group was shown; the mean uses only
    the items in `scored` (all of them by default), and a rater with no numeric answer there
    does not count.
    """
    shown = [i for i in items if i in rater.shown]
    numeric = {i: v for i in shown if (v := rater.numeric(i)) is not None}
    if not shown or 2 * len(numeric) < len(shown):
        return None
    used = [v for i, v in numeric.items() if scored is None or i in scored]
    return exact_mean(used) if used else None


def score_area(
    raters: Sequence[Rater], items: Sequence[str], scored: Container[str] | None = None
) -> Tally:
    """Tally the area scores of the raters who count for the area (n = those raters)."""
    scores = [s for r in raters if (s := score_rater_area(r, items, scored)) is not None]
    return tally(scores)
