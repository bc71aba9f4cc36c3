"""Organisation norms: per level or team, the mean of subjects' shown all-others area scores.

SPEC §7.10. The norm averages the ROUNDED scores each subject's report shows (so HR can check it
from the reports) and rounds once more; `n` is the number of subjects whose `all_others` score is
shown for that area. Subjects without it are left out, never counted as 0.

A subject sees their own all-others score next to the norm, so a norm of n subjects tells them
the SUM of the other n - 1 subjects' scores (n x norm - own): with n = 2 that is one colleague's
score. Every subject-facing channel (report page and chart, report JSON from the CLI and the
API) therefore passes the norms through `norms_for_subjects`, which keeps an area's norm only
when at least `ORG_NORM_MIN_SUBJECTS` subjects contribute; otherwise the norm is absent (never
0). HR's organisation view keeps every norm with its n: HR may read every report anyway.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from survey.domain.anonymity import ALL_OTHERS
from survey.domain.report import AreaScore
from survey.domain.rounding import exact_mean, round_score, to_exact

Key = TypeVar("Key", bound=Hashable)

ORG_NORM_MIN_SUBJECTS = 5
"""Fewest subjects behind a norm a subject may see: n x norm - own then sums 4+ other people."""


@dataclass(frozen=True)
class AreaNorm:
    """One area's organisation norm: mean of `n` subjects' shown all-others scores."""

    area: str
    score: float
    n: int

    def to_data(self) -> dict[str, Any]:
        """Return {area, score, n} (also the report JSON's `org_norms` entry, SPEC §9)."""
        return vars(self) | {}

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> AreaNorm:
        """Rebuild what `to_data` gave; KeyError or TypeError when `data` is malformed."""
        return cls(data["area"], data["score"], data["n"])


def compute_org_norms(area_scores: Iterable[AreaScore]) -> dict[str, AreaNorm]:
    """Return area key → norm over the area cells of one level's subjects' reports.

    Pass every subject's `area_scores` (one cell per subject, area and group): only the
    `all_others` cells count. Areas come in first-seen order.
    """
    scores: dict[str, list[float]] = {}
    for cell in area_scores:
        if cell.group == ALL_OTHERS:
            scores.setdefault(cell.area, []).append(cell.score)
    return {
        area: AreaNorm(area, round_score(exact_mean(to_exact(s) for s in found)), len(found))
        for area, found in scores.items()
    }


def compute_org_norms_by(
    area_scores: Iterable[tuple[Key, AreaScore]],
) -> dict[Key, dict[str, AreaNorm]]:
    """Return norms per key (level, team, ...) of (key, area cell) pairs, keys in first-seen
    order; a key none of whose cells is an `all_others` cell has no entry."""
    grouped: dict[Key, list[AreaScore]] = {}
    for key, cell in area_scores:
        if cell.group == ALL_OTHERS:
            grouped.setdefault(key, []).append(cell)
    return {key: compute_org_norms(found) for key, found in grouped.items()}


def norms_for_subjects(norms: Mapping[str, AreaNorm]) -> dict[str, AreaNorm]:
    """Return the norms a subject may see: those with n >= ORG_NORM_MIN_SUBJECTS, same order."""
    return {area: norm for area, norm in norms.items() if norm.n >= ORG_NORM_MIN_SUBJECTS}
