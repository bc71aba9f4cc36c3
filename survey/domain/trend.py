"""Change against the previous campaign, from two frozen reports' shown cells (SPEC §11).

Only a cell (area, group) shown in both reports has a trend: a hidden cell in either campaign is
absent, so a trend never reveals anything the two reports did not already show. Area keys are
shared across levels, so a subject who moved up keeps the areas both levels have. `delta` is
taken on the rounded scores, so it is what a reader gets by subtracting the two shown numbers.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from survey.domain.report import AreaScore, SubjectReport
from survey.domain.rounding import round_score, to_exact


@dataclass(frozen=True)
class TrendCell:
    """One area cell shown in both campaigns: scores 1–5, `delta` = current − previous."""

    area: str
    group: str
    previous: float
    current: float
    delta: float


def find_trend(current: SubjectReport, previous: SubjectReport) -> list[TrendCell]:
    """Cells shown in both reports, in the current report's area order then group order."""
    before = {(c.area, c.group): c.score for c in previous.area_scores}
    return [
        TrendCell(c.area, c.group, before[key], c.score, _difference(c.score, before[key]))
        for c in current.area_scores
        if (key := (c.area, c.group)) in before
    ]


def _difference(current: float, previous: float) -> float:
    """`current − previous` on two 2-decimal scores, exact (no binary float residue)."""
    return round_score(to_exact(current) - to_exact(previous))


def trend_by_area(cells: Iterable[TrendCell], group: str) -> dict[str, TrendCell]:
    """The cells of one group (e.g. `all_others`), by area key."""
    return {c.area: c for c in cells if c.group == group}


def area_scores_data(scores: Iterable[AreaScore]) -> list[dict[str, Any]]:
    """[{area, group, score, n}] as the report JSON lists a previous campaign's shown cells."""
    return [{"area": c.area, "group": c.group, "score": c.score, "n": c.n} for c in scores]


def norm_trend(current: Mapping[str, float], previous: Mapping[str, float]) -> dict[str, float]:
    """Area → change of a norm shown in both campaigns (organisation view), on rounded scores."""
    return {
        area: _difference(score, previous[area])
        for area, score in current.items()
        if area in previous
    }
