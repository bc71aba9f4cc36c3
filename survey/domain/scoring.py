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
from typing import NamedTuple


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


class Tally(NamedTuple):
    """An exact sum (and sum of squares) of `n` values plus `na` N/A answers; poolable by `+`.

    `total_sq` lets a pooled cell give the spread of the very answers its score pools
    (SPEC §10 agreement) without keeping the answers themselves. Sums of answers stay `int`
    (exact and cheap); sums of means are `Fraction`s.
    """

    total: Fraction | int = 0
    n: int = 0
    na: int = 0
    total_sq: Fraction | int = 0

    @property
    def score(self) -> Fraction:
        """The exact mean; only meaningful when n > 0."""
        return Fraction(self.total, self.n)

    @property
    def variance(self) -> Fraction:
        """The exact population variance of the `n` values (≥ 0); only meaningful when n > 0."""
        mean = self.score
        return Fraction(self.total_sq, self.n) - mean * mean

    def __add__(self, other: "Tally") -> "Tally":  # type: ignore[override]
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
        return Tally(sum(items), len(items), na, sum(v * v for v in items))
    exact = [Fraction(v) for v in items]
    if len(exact) == 1:  # one rater's mean: the common case of an identifiable group
        return Tally(exact[0], 1, na, exact[0] * exact[0])
    return Tally(sum(exact, Fraction(0)), len(items), na, sum((v * v for v in exact), Fraction(0)))


def score_item(raters: Sequence[Rater], item: str) -> Tally:
    """Tally one item over the raters shown it: n = numeric answers, na = N/A or unanswered."""
    seen = [r for r in raters if item in r.shown]
    numeric = [v for r in seen if (v := r.numeric(item)) is not None]
    return tally(numeric, na=len(seen) - len(numeric))


class AreaAnswers(NamedTuple):
    """One rater's numeric answers (1..5) on one area: their sum and the item keys answered.

    What a `GROUP BY response, area` gives; a rater without a numeric answer in the area has
    none. `total` is the sum of the answers on `answered` (SPEC §7.1 needs no more of a rater).
    """

    area: str
    total: int
    answered: frozenset[str]


class RaterArea(NamedTuple):
    """One rater on one area: how many of its items they were shown, which of those they
    answered numerically, and the sum of those answers."""

    shown: int
    answered: frozenset[str]
    total: int

    @property
    def counts(self) -> bool:
        """SPEC §7.1: at least half the area items shown answered; never when shown none."""
        return self.shown > 0 and 2 * len(self.answered) >= self.shown

    @property
    def score(self) -> Fraction | None:
        """The rater's exact area mean, None unless they count."""
        return Fraction(self.total, len(self.answered)) if self.counts else None


def summarise_rater(rater: Rater, items: Sequence[str]) -> RaterArea:
    """Return what SPEC §7.1 needs of one rater on an area with `items`."""
    shown = [i for i in items if i in rater.shown]
    answered = {i: v for i in shown if (v := rater.numeric(i)) is not None}
    return RaterArea(len(shown), frozenset(answered), sum(answered.values()))


def counts_for_area(rater: Rater, items: Sequence[str]) -> bool:
    """True when the rater answered (numerically) at least half the area items they were shown.

    SPEC §7.1. A rater shown none of the area's items never counts; N/A is not an answer.
    """
    return summarise_rater(rater, items).counts


def score_rater_area(rater: Rater, items: Sequence[str]) -> Fraction | None:
    """Return a rater's area score (mean of their numeric answers), None unless they count."""
    return summarise_rater(rater, items).score


def score_area(raters: Sequence[Rater], items: Sequence[str]) -> Tally:
    """Tally the area scores of the raters who count for the area (n = those raters), §7.1-2."""
    return tally_rater_areas([summarise_rater(r, items) for r in raters])


def tally_rater_areas(raters: Iterable[RaterArea]) -> Tally:
    """Tally the area means of the raters who count (SPEC §7.1-2): n = those raters."""
    return tally([s for r in raters if (s := r.score) is not None])


def pool_area(
    raters: Sequence[Rater], items: Sequence[str], shown: Mapping[str, Tally]
) -> AreaCell | None:
    """Return the pooled area cell of one unit from its shown item cells, None when empty.

    As `pool_rater_areas`, from whole responses.
    """
    return pool_rater_areas([summarise_rater(r, items) for r in raters], items, shown)


def pool_rater_areas(
    raters: Iterable[RaterArea], items: Sequence[str], shown: Mapping[str, Tally]
) -> AreaCell | None:
    """Return the pooled area cell of one unit from its shown item cells, None when empty.

    score = all numeric answers in the `shown` item cells of the area / their number, i.e. a
    function of those cells' tallies alone; n = raters who count for the area (§7.1) and have
    at least one answer in those cells. A rater below the half rule still counts in the item
    cells, hence in the score, but not in n.
    """
    cells = [shown[i] for i in items if i in shown]
    answers = sum(cells, Tally())
    if not answers.n:
        return None
    in_cells = frozenset(i for i in items if i in shown)
    counted = sum(1 for r in raters if r.counts and not r.answered.isdisjoint(in_cells))
    return AreaCell(answers.score, counted, answers)


@dataclass(frozen=True)
class GroupAnswers:
    """One rater group's submitted answers about one subject, summed: all SPEC §7 needs of them.

    `responses`: submitted responses. `items`: item key → Tally of its numeric answers
    (`na` is not read: a rater shown an item without a numeric answer on it is N/A). `raters`:
    one `AreaAnswers` per rater and area with a numeric answer. `comments`: (question, text) of
    the group's open-question answers, in no particular order. Only answers on items the group
    was shown are read for item cells; `raters` must hold shown items only (the stored answers
    do: a rater is never given another group's items).
    """

    responses: int
    items: Mapping[str, Tally]
    raters: Sequence[AreaAnswers] = ()
    comments: Sequence[tuple[str, str]] = ()


def summarise_responses(
    areas: Sequence[AreaSpec],
    observed: Mapping[str, frozenset[str]],
    responses: Sequence[RaterResponse],
) -> dict[str, GroupAnswers]:
    """Return group → its `GroupAnswers` from whole responses, answers on unshown items or on
    items of no area in `areas` left out (what the database's GROUP BYs give at close)."""
    every_item = frozenset(i for a in areas for i in a.items)
    found: dict[str, GroupAnswers] = {}
    for group in dict.fromkeys(r.group for r in responses):
        members = [r for r in responses if r.group == group]
        shown = observed.get(group, every_item) & every_item
        values: dict[str, list[int]] = {}
        raters = []
        for r in members:
            for a in areas:
                answered = {
                    i: v for i in a.items if i in shown and (v := r.answers.get(i)) is not None
                }
                for i, v in answered.items():
                    values.setdefault(i, []).append(v)
                if answered:
                    raters.append(AreaAnswers(a.key, sum(answered.values()), frozenset(answered)))
        found[group] = GroupAnswers(
            len(members),
            {i: tally(v) for i, v in values.items()},
            tuple(raters),
            tuple(c for r in members for c in r.comments.items()),
        )
    return found
