"""A subject's report: every figure any channel may show, filtered and rounded (SPEC §7, §9).

`build_report_from_answers` is the only way to turn answers into numbers: close feeds it the
per-group sums of the database's GROUP BYs, `build_subject_report` the same sums taken from
whole responses. HTML, JSON, charts and exports read a `SubjectReport` and never recompute, so
hidden cells are absent everywhere.

`all_others` (everyone but self) is pooled from SHOWN cells only: the manager's cells plus the
shown anonymous units' cells for that area or item. It has no threshold of its own: each rater in
it already sits in a shown cell (the manager is identifiable anyway), so it reveals nothing that
subtracting shown figures could not, and nothing about a hidden cell.

Area scores of anonymous units and of `all_others` are pooled means of the answers in their
shown item cells (SPEC §7.6 over §7.1: see `survey.domain.anonymity`), so no area score adds an
equation to the shown item cells; `self` and `manager` area scores follow §7.1-2 exactly.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from survey.domain.agreement import (
    Spread,
    SpreadParts,
    effective_spread_min,
    may_spread,
    spread,
)
from survey.domain.anonymity import (
    ALL_OTHERS,
    DISPLAY_ORDER,
    IDENTIFIABLE,
    LABELS,
    RATER_GROUPS,
    SELF,
    GroupSummary,
    UnitAnswers,
    UnitCells,
    check_threshold,
    gather_unit,
    plan_units,
    pool_all_others,
    score_anonymous_unit,
    score_identifiable_unit,
    summarise_groups,
)
from survey.domain.gaps import Gap, RankedItem, check_gap_threshold, find_gaps, rank_items
from survey.domain.rounding import round_decimal, round_mean, round_score
from survey.domain.scoring import (
    AreaSpec,
    GroupAnswers,
    RaterResponse,
    Tally,
    summarise_responses,
)
from survey.errors import SurveyError


@dataclass(frozen=True)
class AreaScore:
    """One shown area cell, n = raters who count for the area (SPEC §7.1).

    `self`/`manager`: the mean of counting raters' area scores (§7.1-2). Anonymous units and
    `all_others`: the mean of every answer in the group's shown item cells of the area (§7.6).
    `sd`/`agreement` (SPEC §10, `survey.domain.agreement`): only on anonymous units and
    `all_others` with n ≥ spread_min, else None (absent from every channel).
    """

    area: str
    group: str
    score: float
    n: int
    sd: float | None = None
    agreement: str | None = None


@dataclass(frozen=True)
class ItemScore:
    """One shown item cell: mean of numeric answers, n = numeric answers, na = N/A answers.

    `sd`/`agreement` as on `AreaScore` (n here counts answers, the same answers sd spreads).
    """

    item: str
    area: str
    group: str
    score: float
    n: int
    na: int
    sd: float | None = None
    agreement: str | None = None


@dataclass(frozen=True)
class Comment:
    """One open-question answer, labelled by group only (never by rater)."""

    group: str
    question: str
    text: str


@dataclass(frozen=True)
class SubjectReport:
    """Every figure shown about one subject; hidden cells are simply absent."""

    areas: tuple[AreaSpec, ...]
    groups: tuple[GroupSummary, ...]
    area_scores: tuple[AreaScore, ...]
    item_scores: tuple[ItemScore, ...]
    gaps: tuple[Gap, ...]
    strengths: tuple[RankedItem, ...]
    development: tuple[RankedItem, ...]
    comments: tuple[Comment, ...]

    def score(self, area: str, group: str) -> float | None:
        """Return the shown area score of `group`, or None when hidden or absent."""
        found = [c.score for c in self.area_scores if c.area == area and c.group == group]
        return found[0] if found else None

    def shown_groups(self) -> list[str]:
        """Return the shown group keys in display order (self … others, all_others)."""
        shown = {g.key for g in self.groups if g.shown}
        return [key for key in DISPLAY_ORDER if key in shown]

    def to_data(self) -> dict[str, Any]:
        """Return the report as JSON data, field by field (tuples become lists).

        The frozen store's form (`from_data` reads it back into an equal report): `areas`
        [{key, title, items}], `groups`, `area_scores`, `item_scores`, `gaps` [{area,
        self_score, others_score, delta, kind}], `strengths`, `development`, `comments`, each
        entry a dict of that dataclass's fields in field order; a score cell leaves out `sd`
        and `agreement` when it carries none (SPEC §10: the keys are then absent).
        """
        return {
            "areas": [{"key": a.key, "title": a.title, "items": list(a.items)} for a in self.areas],
            "groups": [vars(g) | {} for g in self.groups],
            "area_scores": [_cell_data(c) for c in self.area_scores],
            "item_scores": [_cell_data(c) for c in self.item_scores],
            "gaps": [vars(g) | {} for g in self.gaps],
            "strengths": [vars(i) | {} for i in self.strengths],
            "development": [vars(i) | {} for i in self.development],
            "comments": [vars(c) | {} for c in self.comments],
        }

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> SubjectReport:
        """Rebuild the report `to_data` gave; KeyError or TypeError when `data` is malformed."""
        return cls(
            areas=tuple(AreaSpec(a["key"], a["title"], tuple(a["items"])) for a in data["areas"]),
            groups=tuple(GroupSummary(**g) for g in data["groups"]),
            area_scores=tuple(AreaScore(**c) for c in data["area_scores"]),
            item_scores=tuple(ItemScore(**c) for c in data["item_scores"]),
            gaps=tuple(Gap(**g) for g in data["gaps"]),
            strengths=tuple(RankedItem(**i) for i in data["strengths"]),
            development=tuple(RankedItem(**i) for i in data["development"]),
            comments=tuple(Comment(**c) for c in data["comments"]),
        )

    def to_json_parts(self) -> dict[str, Any]:
        """Return the SPEC §9 report keys from `areas` to `comments` as plain JSON data.

        As `to_data`, except that `areas` are [{key, title}] and `gaps` [{area, self, others,
        delta, kind}].
        """
        parts = self.to_data()
        parts["areas"] = [{"key": a.key, "title": a.title} for a in self.areas]
        parts["gaps"] = [_gap_json(g) for g in self.gaps]
        return parts


def _cell_data(cell: AreaScore | ItemScore) -> dict[str, Any]:
    return {key: value for key, value in vars(cell).items() if value is not None}


def _gap_json(gap: Gap) -> dict[str, Any]:
    return {
        "area": gap.area,
        "self": gap.self_score,
        "others": gap.others_score,
        "delta": gap.delta,
        "kind": gap.kind,
    }


@dataclass(frozen=True)
class ScoredSubject:
    """A subject's report at their level and, when the campaign asked for it, at the next level
    (the readiness section, without comments): the form a report is frozen in at close."""

    report: SubjectReport
    readiness: SubjectReport | None = None
    readiness_level: str | None = None

    def to_data(self) -> dict[str, Any]:
        """Return JSON data: {report, readiness (null or a report), readiness_level}."""
        return {
            "report": self.report.to_data(),
            "readiness": self.readiness.to_data() if self.readiness is not None else None,
            "readiness_level": self.readiness_level,
        }

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> ScoredSubject:
        """Rebuild what `to_data` gave; KeyError or TypeError when `data` is malformed."""
        readiness = data["readiness"]
        return cls(
            SubjectReport.from_data(data["report"]),
            SubjectReport.from_data(readiness) if readiness is not None else None,
            data["readiness_level"],
        )


def build_subject_report(
    areas: Sequence[AreaSpec],
    observed: Mapping[str, frozenset[str]],
    responses: Sequence[RaterResponse],
    *,
    k: int,
    gap_threshold: float = 1.0,
    questions: Sequence[tuple[str, str]] = (),
    scale: tuple[int, int] = (1, 5),
    spread_min: int | None = None,
) -> SubjectReport:
    """Score one subject's submitted responses under the SPEC §7 rules.

    `areas` are the level's areas in spoke order (pass the next level's areas for a readiness
    section; answers on other items are ignored). `observed[group]` holds the item keys that
    group was shown; a group missing from it was shown every item. `questions` (key, text) fixes
    the order of open questions. Strengths and development rank only all_others item cells with
    n ≥ k (`rank_items`). Cells of anonymous units and `all_others` with n ≥ `spread_min`
    (default 5, never below k) carry sd and agreement (SPEC §10); no item scored below the
    scale's midpoint is a strength. Raises SurveyError on k < 2, a non-positive gap
    threshold, duplicate area or item keys, an unknown rater group or an answer outside
    `scale`.

    The responses are summed per group (`summarise_responses`) and scored by
    `build_report_from_answers`, the same rules close applies to the database's GROUP BYs.
    """
    _check_responses(responses, scale)
    return build_report_from_answers(
        areas,
        observed,
        summarise_responses(areas, observed, responses),
        k=k,
        gap_threshold=gap_threshold,
        questions=questions,
        scale=scale,
        spread_min=spread_min,
    )


def build_report_from_answers(
    areas: Sequence[AreaSpec],
    observed: Mapping[str, frozenset[str]],
    groups: Mapping[str, GroupAnswers],
    *,
    k: int,
    gap_threshold: float = 1.0,
    questions: Sequence[tuple[str, str]] = (),
    scale: tuple[int, int] = (1, 5),
    spread_min: int | None = None,
) -> SubjectReport:
    """Score one subject from each rater group's summed answers under the SPEC §7 and §10 rules.

    `groups` maps a rater group to its `GroupAnswers` (a group without responses may be left
    out); the other arguments are those of `build_subject_report`. Raises SurveyError on k < 2,
    a non-positive gap threshold, duplicate area or item keys or an unknown rater group.
    """
    check_threshold(k)
    threshold = check_gap_threshold(gap_threshold)
    _check_areas(areas)
    unknown = sorted(set(groups) - set(RATER_GROUPS))
    if unknown:
        raise SurveyError(f"unknown rater group {unknown[0]!r}")
    counts = Counter({g: found.responses for g, found in groups.items() if found.responses})
    units = plan_units(counts, k)
    cells = {
        unit: _score_unit(unit, gather_unit(members, groups, areas, observed), areas, k)
        for unit, members in units.items()
    }
    cells[ALL_OTHERS] = pool_all_others([c for unit, c in cells.items() if unit != SELF], areas)
    least = effective_spread_min(spread_min, k)
    parts = SpreadParts.of(cells, least)
    area_scores = _area_scores(areas, cells, parts, least)
    item_scores = _item_scores(areas, cells, parts, least)
    all_others = GroupSummary(
        ALL_OTHERS,
        LABELS[ALL_OTHERS],
        sum(counts[g] for unit, members in units.items() if unit != SELF for g in members),
        any(c.group == ALL_OTHERS for c in area_scores + item_scores),
    )
    summaries = summarise_groups(counts, units) + ([all_others] if all_others.responses else [])
    strengths, development = rank_items(
        [RankedItem(c.item, c.area, c.score, c.n) for c in item_scores if c.group == ALL_OTHERS],
        min_n=k,
        midpoint=(scale[0] + scale[1]) / 2,
    )
    return SubjectReport(
        areas=tuple(areas),
        groups=tuple(summaries),
        area_scores=area_scores,
        item_scores=item_scores,
        gaps=tuple(_gaps(areas, cells, threshold)),
        strengths=tuple(strengths),
        development=tuple(development),
        comments=_comments(groups, units, questions),
    )


def _check_areas(areas: Sequence[AreaSpec]) -> None:
    area_keys = [a.key for a in areas]
    item_keys = [i for a in areas for i in a.items]
    for kind, keys in (("area", area_keys), ("item", item_keys)):
        dupes = sorted(key for key, count in Counter(keys).items() if count > 1)
        if dupes:
            raise SurveyError(f"duplicate {kind} key(s) in report areas: {', '.join(dupes)}")


def _check_responses(responses: Sequence[RaterResponse], scale: tuple[int, int]) -> None:
    low, high = scale
    for r in responses:
        if r.group not in RATER_GROUPS:
            raise SurveyError(f"unknown rater group {r.group!r}")
        for item, value in r.answers.items():
            if value is None:
                continue
            if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
                raise SurveyError(f"answer to {item!r} must be {low}..{high} or N/A: {value!r}")


def _score_unit(unit: str, answers: UnitAnswers, areas: Sequence[AreaSpec], k: int) -> UnitCells:
    if unit in IDENTIFIABLE:
        return score_identifiable_unit(answers, areas)
    return score_anonymous_unit(answers, areas, k)


def _ordered_units(cells: Mapping[str, UnitCells]) -> list[tuple[str, UnitCells]]:
    return [(unit, cells[unit]) for unit in DISPLAY_ORDER if unit in cells]


def _area_scores(
    areas: Sequence[AreaSpec],
    cells: Mapping[str, UnitCells],
    parts: SpreadParts,
    spread_min: int,
) -> tuple[AreaScore, ...]:
    return tuple(
        AreaScore(
            a.key,
            unit,
            round_score(cell.score),
            cell.n,
            *_spread(unit, cell.n, cell.answers, a.items, parts, spread_min),
        )
        for a in areas
        for unit, c in _ordered_units(cells)
        if (cell := c.areas.get(a.key)) is not None
    )


def _item_scores(
    areas: Sequence[AreaSpec],
    cells: Mapping[str, UnitCells],
    parts: SpreadParts,
    spread_min: int,
) -> tuple[ItemScore, ...]:
    units = _ordered_units(cells)
    return tuple(
        ItemScore(
            i,
            a.key,
            unit,
            round_mean(t.total, t.n),
            t.n,
            t.na,
            *_spread(unit, t.n, t, (i,), parts, spread_min),
        )
        for a in areas
        for i in a.items
        for unit, c in units
        if (t := c.items.get(i)) is not None and t.n > 0
    )


def _spread(
    unit: str,
    n: int,
    answers: Tally | None,
    items: Sequence[str],
    parts: SpreadParts,
    spread_min: int,
) -> Spread:
    """The cell's sd and agreement, unless a pooled part could be solved by subtraction."""
    if not may_spread(unit, n, answers, spread_min):  # most cells: no arithmetic at all
        return Spread()
    if not parts.carry(unit, items):
        return Spread()
    return spread(unit, n, answers, spread_min)


def _gaps(
    areas: Sequence[AreaSpec], cells: Mapping[str, UnitCells], threshold: Decimal
) -> list[Gap]:
    def rounded(unit: str) -> dict[str, Decimal]:
        found = cells[unit].areas.items() if unit in cells else ()
        return {key: round_decimal(cell.score) for key, cell in found}

    return find_gaps([a.key for a in areas], rounded(SELF), rounded(ALL_OTHERS), threshold)


def _comments(
    groups: Mapping[str, GroupAnswers],
    units: Mapping[str, tuple[str, ...]],
    questions: Sequence[tuple[str, str]],
) -> tuple[Comment, ...]:
    """Comments of displayed units, sorted by group, question, then text (never by rater)."""
    unit_of = {g: unit for unit, members in units.items() for g in members}
    order = {key: pos for pos, (key, _) in enumerate(questions)}
    found = [
        Comment(unit_of[group], question, text.strip())
        for group, found in groups.items()
        if group in unit_of
        for question, text in found.comments
        if text.strip()
    ]
    return tuple(
        sorted(
            found,
            key=lambda c: (
                DISPLAY_ORDER.index(c.group),
                order.get(c.question, len(order)),
                c.question,
                c.text.casefold(),
                c.text,
            ),
        )
    )
