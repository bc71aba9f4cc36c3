"""Blind spots, hidden strengths and the strongest / weakest items (SPEC §7.8).

Deltas are taken between the ROUNDED shown scores, so a reader can check on the page that
delta = self − all others; a delta of exactly the threshold counts as a gap.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from survey.domain.rounding import to_exact
from survey.errors import SurveyError

BLIND_SPOT, HIDDEN_STRENGTH, ALIGNED = "blind_spot", "hidden_strength", "aligned"
TOP_ITEMS = 5


@dataclass(frozen=True)
class Gap:
    """Self versus all others on one area; `kind` is blind_spot, hidden_strength or aligned."""

    area: str
    self_score: float
    others_score: float
    delta: float
    kind: str


@dataclass(frozen=True)
class RankedItem:
    """One item in the strengths or development list, scored by all others."""

    item: str
    area: str
    score: float
    n: int


def check_gap_threshold(threshold: float) -> Decimal:
    """Return the gap threshold as an exact Decimal; raises SurveyError unless positive."""
    if not threshold > 0:
        raise SurveyError(f"gap threshold must be positive, got {threshold!r}")
    exact = to_exact(threshold)
    return Decimal(exact.numerator) / Decimal(exact.denominator)


def classify_gap(delta: Decimal, threshold: Decimal) -> str:
    """Return the kind of gap for delta = self − all others (SPEC §7.8)."""
    if delta >= threshold:
        return BLIND_SPOT
    if delta <= -threshold:
        return HIDDEN_STRENGTH
    return ALIGNED


def find_gaps(
    areas: Sequence[str],
    self_scores: Mapping[str, Decimal],
    others_scores: Mapping[str, Decimal],
    threshold: Decimal,
) -> list[Gap]:
    """Return one Gap per area (spoke order) where both rounded scores are shown."""
    gaps = []
    for area in areas:
        if area in self_scores and area in others_scores:
            mine, theirs = self_scores[area], others_scores[area]
            delta = mine - theirs
            kind = classify_gap(delta, threshold)
            gaps.append(Gap(area, float(mine), float(theirs), float(delta), kind))
    return gaps


def rank_items(items: Sequence[RankedItem]) -> tuple[list[RankedItem], list[RankedItem]]:
    """Return (strengths, development): highest and lowest scores, at most 5 each.

    `items` come in questionnaire order, which breaks ties on the rounded score. When there are
    fewer than 10 items each list takes half (rounded down); development never repeats a
    strength, even among ties.
    """
    size = min(TOP_ITEMS, len(items) // 2)
    order = {it.item: pos for pos, it in enumerate(items)}
    best = sorted(items, key=lambda it: (-it.score, order[it.item]))[:size]
    rest = [it for it in items if it not in best]
    worst = sorted(rest, key=lambda it: (it.score, order[it.item]))[:size]
    return best, worst
