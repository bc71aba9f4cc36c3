"""Who may be shown: the anonymity threshold, group merging and cell suppression (SPEC §7.3-6).

Rules chosen where SPEC §7 is silent:
- A group with no responses is listed (responses 0, not shown) and is never merged.
- `others` is formed from the anonymous groups with 1..k-1 responses. When it still has fewer
  than k it absorbs the shown anonymous group with the fewest responses; ties go to the group
  first in `ANONYMOUS` order (peers before direct reports).
- Inside a shown anonymous unit an item cell with n < k is hidden, and the unit's area cells are
  computed from its shown item cells only: whether a rater counts for an area follows SPEC §7.1
  (at least half of the items they were shown), but their area score averages only answers on
  items whose cell is shown. Otherwise an area score minus the shown item scores could recover
  a hidden item cell, which SPEC §7.6 forbids. What stays visible is participation: the area's
  n still reflects whether raters answered the hidden items, never what they answered.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from survey.domain.scoring import AreaSpec, Rater, Tally, score_area, score_item
from survey.errors import SurveyError

SELF, MANAGER, PEERS, DIRECT_REPORTS = "self", "manager", "peers", "direct_reports"
OTHERS, ALL_OTHERS = "others", "all_others"
IDENTIFIABLE = (SELF, MANAGER)
ANONYMOUS = (PEERS, DIRECT_REPORTS)
RATER_GROUPS = IDENTIFIABLE + ANONYMOUS
DISPLAY_ORDER = (*RATER_GROUPS, OTHERS, ALL_OTHERS)
LABELS = {
    SELF: "Self",
    MANAGER: "Manager (identifiable)",
    PEERS: "Peers",
    DIRECT_REPORTS: "Direct reports",
    OTHERS: "Others (small groups combined)",
    ALL_OTHERS: "All others (everyone but self)",
}


@dataclass(frozen=True)
class GroupSummary:
    """One rater group as the report lists it (SPEC §9 `groups`)."""

    key: str
    label: str
    responses: int
    shown: bool
    merged_into: str | None = None


@dataclass(frozen=True)
class UnitCells:
    """The shown cells of one displayed unit: item key → tally and area key → tally."""

    items: dict[str, Tally]
    areas: dict[str, Tally]


def check_threshold(k: int) -> None:
    """Raise SurveyError unless the anonymity threshold `k` is an int of at least 2."""
    if isinstance(k, bool) or not isinstance(k, int) or k < 2:
        raise SurveyError(f"anonymity threshold must be a whole number of at least 2, got {k!r}")


def plan_units(counts: Mapping[str, int], k: int) -> dict[str, tuple[str, ...]]:
    """Return the displayed units (unit key → rater groups pooled in it), in display order."""
    units: dict[str, tuple[str, ...]] = {g: (g,) for g in IDENTIFIABLE if counts.get(g, 0) > 0}
    if sum(counts.get(g, 0) for g in ANONYMOUS) < k:
        return units
    big = [g for g in ANONYMOUS if counts.get(g, 0) >= k]
    small = [g for g in ANONYMOUS if 0 < counts.get(g, 0) < k]
    pooled = set(small)
    if small and sum(counts[g] for g in small) < k:
        pooled.add(min(big, key=lambda g: (counts[g], ANONYMOUS.index(g))))
    units.update({g: (g,) for g in big if g not in pooled})
    if pooled:
        units[OTHERS] = tuple(g for g in ANONYMOUS if g in pooled)
    return units


def summarise_groups(
    counts: Mapping[str, int], units: Mapping[str, tuple[str, ...]]
) -> list[GroupSummary]:
    """List every rater group (and `others` when used) with its count and visibility."""
    merged = set(units.get(OTHERS, ()))
    rows = [
        GroupSummary(g, LABELS[g], counts.get(g, 0), g in units, OTHERS if g in merged else None)
        for g in RATER_GROUPS
    ]
    if merged:
        rows.append(GroupSummary(OTHERS, LABELS[OTHERS], sum(counts[g] for g in merged), True))
    return rows


def score_unit(raters: Sequence[Rater], areas: Sequence[AreaSpec], min_n: int) -> UnitCells:
    """Score one unit keeping only cells with n >= min_n.

    Identifiable units pass 0 (cells with only N/A are kept so `all_others` counts their N/A);
    anonymous units pass k, and their area scores then use their shown item cells only.
    """
    every = [(i, score_item(raters, i)) for a in areas for i in a.items]
    items = {i: t for i, t in every if t.n >= min_n}
    scored = items.keys() if min_n > 1 else None
    cells = {a.key: score_area(raters, a.items, scored) for a in areas}
    return UnitCells(items, {key: t for key, t in cells.items() if t.n >= min_n})
