"""Rater, area and item scores with their `n`; N/A never counts as a number (SPEC §7.1-2).

Sums are kept exact (`Tally`) so that groups can be pooled without rounding drift; only the
report rounds, once, with `round_score`. Two area rules live here: `score_area` is SPEC §7.1-2
to the letter (the mean of counting raters' own area means), used for the identifiable groups;
`pool_area` is the pooled mean of the answers in shown item cells, used for anonymous units and
`all_others` so that an area score adds nothing to the shown item cells (SPEC §7.6, see
`survey.domain.anonymity`).
"""

from collections.abc import Iterable, Mapping, Sequence
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
    """An exact sum (and sum of squares) of `n` values plus `na` N/A answers; poolable by `+`.

    `total_sq` lets a pooled cell give the spread of the very answers its score pools
    (SPEC §10 agreement) without keeping the answers themselves.
    """

    total: Fraction = Fraction(0)
    n: int = 0
    na: int = 0
    total_sq: Fraction = Fraction(0)

    @property
    def score(self) -> Fraction:
        """The exact mean; only meaningful when n > 0."""
        return self.total / self.n

    @property
    def variance(self) -> Fraction:
        """The exact population variance of the `n` values (≥ 0); only meaningful when n > 0."""
        mean = self.score
        return self.total_sq / self.n - mean * mean

    def __add__(self, other: "Tally") -> "Tally":
        return Tally(
            self.total + other.total,
            self.n + other.n,
            self.na + other.na,
            self.total_sq + other.total_sq,
        )


@dataclass(frozen=True)
class AreaCell:
    """One area cell before rounding: its exact score (1..5) and n = raters counted (§7.1).

    For an identifiable group the score is the mean of its raters' area scores; for an anonymous
    unit or `all_others` it is the pooled mean of the answers in its shown item cells, so `n`
    (raters who answered at least half the area) is not the denominator of the score.
    """

    score: Fraction
    n: int
    # the pooled answers behind `score` (anonymous units, all_others): their spread, SPEC §10
    answers: Tally | None = field(default=None, compare=False)


def tally(values: Iterable[Fraction | int], na: int = 0) -> Tally:
    """Return the tally of `values` with `na` N/A answers."""
    items = list(values)
    if all(type(v) is int for v in items):  # answers: integer sums, made exact once
        return Tally(Fraction(sum(items)), len(items), na, Fraction(sum(v * v for v in items)))
    exact = [Fraction(v) for v in items]
    return Tally(sum(exact, Fraction(0)), len(items), na, sum((v * v for v in exact), Fraction(0)))


def score_item(raters: Sequence[Rater], item: str) -> Tally:
    """Tally one item over the raters shown it: n = numeric answers, na = N/A or unanswered."""
    seen = [r for r in raters if item in r.shown]
    numeric = [v for r in seen if (v := r.numeric(item)) is not None]
    return tally(numeric, na=len(seen) - len(numeric))


def counts_for_area(rater: Rater, items: Sequence[str]) -> bool:
    """True when the rater answered (numerically) at least half the area items they were shown.

    SPEC §7.1. A rater shown none of the area's items never counts; N/A is not an answer.
    """
    shown = [i for i in items if i in rater.shown]
    answered = [i for i in shown if rater.numeric(i) is not None]
    return bool(shown) and 2 * len(answered) >= len(shown)


def score_rater_area(rater: Rater, items: Sequence[str]) -> Fraction | None:
    """Return a rater's area score (mean of their numeric answers), None unless they count."""
    if not counts_for_area(rater, items):
        return None
    return exact_mean(v for i in items if (v := rater.numeric(i)) is not None)


def score_area(raters: Sequence[Rater], items: Sequence[str]) -> Tally:
    """Tally the area scores of the raters who count for the area (n = those raters), §7.1-2."""
    scores = [s for r in raters if (s := score_rater_area(r, items)) is not None]
    return tally(scores)


def pool_area(
    raters: Sequence[Rater], items: Sequence[str], shown: Mapping[str, Tally]
) -> AreaCell | None:
    """Return the pooled area cell of one unit from its shown item cells, None when empty.

    score = all numeric answers in the `shown` item cells of the area / their number, i.e. a
    function of those cells' tallies alone; n = raters who count for the area (§7.1) and have
    at least one answer in those cells. A rater below the half rule still counts in the item
    cells, hence in the score, but not in n.
    """
    cells = [shown[i] for i in items if i in shown]
    answers = sum(cells, Tally())
    counted = [
        r
        for r in raters
        if counts_for_area(r, items) and any(r.numeric(i) is not None for i in items if i in shown)
    ]
    return AreaCell(answers.score, len(counted), answers) if answers.n else None
