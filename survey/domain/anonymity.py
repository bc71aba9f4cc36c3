"""Who may be shown: the anonymity threshold, group merging and cell suppression (SPEC §7.3-6).

Rules chosen where SPEC §7 is silent:
- A group with no responses is listed (responses 0, not shown) and is never merged.
- `others` is formed from the anonymous groups with 1..k-1 responses. When it still has fewer
  than k it absorbs the shown anonymous group with the fewest responses; ties go to the group
  first in `ANONYMOUS` order (peers before direct reports).
- Inside a shown anonymous unit an item cell with n < k is hidden.

Area scores of anonymous units (`peers`, `direct_reports`, `others`) and of `all_others` are the
POOLED mean of every numeric answer in the unit's shown item cells of the area, not the mean of
raters' area means of SPEC §7.1-2. SPEC §7.6 (no differencing) takes precedence: when raters of
one unit answered different shown items (a lone peer merged into `others` who was not asked an
item, an N/A, a rater below the half rule who still counts in item cells), a mean of raters'
means weights answers differently from the item cells, and "area score, item scores, n" became
equations whose solution was one rater's answer. A pooled mean is a function of the shown item
cells (score x n per item) and reveals nothing they do not; with complete answers it equals the
mean of raters' means, so such reports are unchanged. The area's n stays the number of raters
who count under §7.1 (at least half of the area items they were shown) and have an answer in a
shown item cell; the area cell is shown only when n >= k. What stays visible is participation:
n may reflect whether raters answered hidden items, never what they answered. Identifiable
groups (`self`, `manager`) keep §7.1-2 exactly: nobody is anonymous there.

`all_others` pools, per area, the units whose area cell is shown (the manager and shown
anonymous units): score = pooled mean of their item cells of the area, n = sum of their area
n. When every unit answering the area also shows its area cell (the usual case), this is the
pooled mean of the shown `all_others` item cells; a unit whose area cell is hidden adds neither
answers nor raters, so score and n describe the same raters.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from survey.domain.scoring import (
    AreaCell,
    AreaSpec,
    GroupAnswers,
    RaterArea,
    Tally,
    pool_rater_areas,
    tally_rater_areas,
)
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
    """The cells of one displayed unit: item key → tally and area key → area cell (exact).

    Anonymous units hold only their shown cells; identifiable units also keep N/A-only item
    tallies (n = 0), which the report never lists.
    """

    items: dict[str, Tally]
    areas: dict[str, AreaCell]


NO_ANSWERS = Tally()


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


@dataclass(frozen=True)
class UnitAnswers:
    """The answers of one displayed unit's raters, summed: item key → tally over the raters
    shown the item (na = those without a numeric answer), area key → each rater's `RaterArea`
    (raters without a numeric answer in the area left out: they never count)."""

    items: dict[str, Tally]
    raters: dict[str, list[RaterArea]]


def gather_unit(
    members: Sequence[str],
    groups: Mapping[str, GroupAnswers],
    areas: Sequence[AreaSpec],
    observed: Mapping[str, frozenset[str]],
) -> UnitAnswers:
    """Pool the member groups' answers into one unit; a group missing from `observed` was shown
    every item. Answers on items of no area in `areas` are ignored."""
    every_item = frozenset(i for a in areas for i in a.items)
    items: dict[str, Tally] = {}
    raters: dict[str, list[RaterArea]] = {a.key: [] for a in areas}
    for group in members:
        found = groups[group]
        shown = observed.get(group, every_item)
        shown_in = {a.key: shown.intersection(a.items) for a in areas}
        for i in every_item & shown:
            t = found.items.get(i, NO_ANSWERS)
            cell = Tally(t.total, t.n, found.responses - t.n, t.total_sq)
            items[i] = items[i] + cell if i in items else cell
        for r in found.raters:
            if (in_area := shown_in.get(r.area)) is not None:
                raters[r.area].append(RaterArea(len(in_area), r.answered & in_area, r.total))
    return UnitAnswers(items, raters)


def score_identifiable_unit(unit: UnitAnswers, areas: Sequence[AreaSpec]) -> UnitCells:
    """Score `self` or `manager` by SPEC §7.1-2: area = mean of raters' area means.

    Every item tally is kept, even one with only N/A (n = 0), so `all_others` counts its N/A;
    an area cell exists when at least one rater counts for the area.
    """
    cells = {a.key: tally_rater_areas(unit.raters[a.key]) for a in areas}
    return UnitCells(
        dict(unit.items), {key: AreaCell(t.score, t.n) for key, t in cells.items() if t.n}
    )


def score_anonymous_unit(unit: UnitAnswers, areas: Sequence[AreaSpec], k: int) -> UnitCells:
    """Score a shown anonymous unit: cells with n < k hidden, areas pooled from shown items.

    Item cell: mean of numeric answers, shown when n >= k (§7.5). Area cell: pooled mean of the
    answers in the shown item cells of the area (§7.6, see the module docstring), shown when
    its n (raters counting under §7.1) >= k.
    """
    items = {i: t for i, t in unit.items.items() if t.n >= k}
    cells = {a.key: pool_rater_areas(unit.raters[a.key], a.items, items) for a in areas}
    return UnitCells(items, {key: c for key, c in cells.items() if c is not None and c.n >= k})


def pool_all_others(units: Sequence[UnitCells], areas: Sequence[AreaSpec]) -> UnitCells:
    """Return `all_others` from the shown cells of the manager and the anonymous units.

    Item cell: the units' item tallies added up. Area cell: the pooled mean of the item cells
    of the units whose area cell is shown, n = the sum of those area cells' n (SPEC §7.6).
    """
    items: dict[str, Tally] = {}
    for unit in units:
        for key, t in unit.items.items():
            items[key] = items.get(key, Tally()) + t
    cells = {a.key: _pool_area_cells(units, a) for a in areas}
    return UnitCells(items, {key: c for key, c in cells.items() if c is not None})


def _pool_area_cells(units: Sequence[UnitCells], area: AreaSpec) -> AreaCell | None:
    counted = [u for u in units if area.key in u.areas]
    tallies = [u.items[i] for u in counted for i in area.items if i in u.items]
    answers = sum(tallies, Tally())
    n = sum(u.areas[area.key].n for u in counted)
    return AreaCell(answers.score, n, answers) if answers.n and n else None
