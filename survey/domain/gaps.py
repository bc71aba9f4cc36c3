"""Blind spots, hidden strengths and the strongest / weakest items (SPEC §7.8).

Strengths and development items rank only `all_others` item cells rated by at least k people
(see `rank_items`). Deltas are taken between the ROUNDED shown scores, so a reader can check on
the page that delta = self − all others; a delta of exactly the threshold counts as a gap.
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


def rank_items(
    items: Sequence[RankedItem], *, min_n: int, midpoint: float | None = None
) -> tuple[list[RankedItem], list[RankedItem]]:
    """Return (strengths, development): highest and lowest scores, at most 5 each (SPEC §7.8).

    `items` are the shown `all_others` item cells in questionnaire order, which breaks ties on
    the rounded score. Only cells with `n >= min_n` (the campaign's k) rank: SPEC §7.8 says "the
    5 highest/lowest all_others item scores"; we add n ≥ k so a ranking never rests on one
    identifiable person (an item only the manager rated, the peers' cell being hidden, has
    all_others n = 1). When fewer than 10 items qualify each list takes half of them (rounded
    down), so both lists may be shorter or empty; development never repeats a strength, even
    among ties. SPEC §10: with `midpoint` (the scale's middle, 3 on 1–5) an item scored below
    it is never a strength, so the strengths list may be shorter still.
    """
    ranked = [it for it in items if it.n >= min_n]
    size = min(TOP_ITEMS, len(ranked) // 2)
    order = {it.item: pos for pos, it in enumerate(ranked)}
    best = sorted(ranked, key=lambda it: (-it.score, order[it.item]))[:size]
    if midpoint is not None:
        best = [it for it in best if it.score >= midpoint]
    chosen = {it.item for it in best}  # one ranked cell per item key
    rest = [it for it in ranked if it.item not in chosen]
    worst = sorted(rest, key=lambda it: (it.score, order[it.item]))[:size]
    return best, worst
