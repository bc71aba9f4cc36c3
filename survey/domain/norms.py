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
from survey.domain.rounding import round_score, to_exact

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


class NormSums:
    """Running exact sums behind the norms of one level or team (SPEC §7.10): add area cells as
    they come, read the norms at the end; memory grows with the areas, not the subjects.

    Only `all_others` cells count; each adds its score as shown (2 decimals, read exactly) and 1
    to its area's `n`. Areas keep first-seen order.
    """

    def __init__(self) -> None:
        self._totals: dict[str, list[Any]] = {}  # area -> [exact sum, n]

    def add(self, cell: AreaScore) -> bool:
        """Count `cell` if it is an `all_others` cell; return whether it counted."""
        if cell.group != ALL_OTHERS:
            return False
        total = self._totals.get(cell.area)
        if total is None:
            self._totals[cell.area] = [to_exact(cell.score), 1]
        else:
            total[0] += to_exact(cell.score)
            total[1] += 1
        return True

    def norms(self) -> dict[str, AreaNorm]:
        """Return area key → norm: the mean of the counted scores, rounded half up."""
        return {
            area: AreaNorm(area, round_score(total / n), n)
            for area, (total, n) in self._totals.items()
        }


def compute_org_norms(area_scores: Iterable[AreaScore]) -> dict[str, AreaNorm]:
    """Return area key → norm over the area cells of one level's subjects' reports.

    Pass every subject's `area_scores` (one cell per subject, area and group): only the
    `all_others` cells count. Areas come in first-seen order.
    """
    sums = NormSums()
    for cell in area_scores:
        sums.add(cell)
    return sums.norms()


def compute_org_norms_by(
    area_scores: Iterable[tuple[Key, AreaScore]],
) -> dict[Key, dict[str, AreaNorm]]:
    """Return norms per key (level, team, ...) of (key, area cell) pairs, keys in first-seen
    order; a key none of whose cells is an `all_others` cell has no entry."""
    grouped: dict[Key, NormSums] = {}
    for key, cell in area_scores:
        if cell.group == ALL_OTHERS:
            grouped.setdefault(key, NormSums()).add(cell)
    return {key: sums.norms() for key, sums in grouped.items()}


def norms_for_subjects(norms: Mapping[str, AreaNorm]) -> dict[str, AreaNorm]:
    """Return the norms a subject may see: those with n >= ORG_NORM_MIN_SUBJECTS, same order."""
    return {area: norm for area, norm in norms.items() if norm.n >= ORG_NORM_MIN_SUBJECTS}
