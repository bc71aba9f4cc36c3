"""Rules for a proposed list of raters and the per-rater load cap (SPEC §13).

A subject proposes between `min_peers` and `max_peers` people; they rate as `peers`. Nobody may
be proposed who already rates the subject in another group (self, manager, direct report), and
nobody who already holds `max_requests` invitations in the campaign: the message names them.
Pure Python: the caller brings the names, the groups taken and the current load.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from survey.errors import SurveyError

DEFAULT_MIN_PEERS = 3
DEFAULT_MAX_PEERS = 8  # with nomination (SPEC §13)
MAX_PEERS_WITHOUT_NOMINATION = 5  # default assignment alone (SPEC §4)
DEFAULT_MAX_REQUESTS = 8
TAKEN_AS = {
    "self": "is the person reviewed (their self-assessment is asked for already)",
    "manager": "already gives feedback as manager",
    "direct_reports": "already gives feedback as a direct report",
}


def default_max_peers(nomination: bool) -> int:
    """Peers per subject when HR does not say: 8 with nomination, 5 without."""
    return DEFAULT_MAX_PEERS if nomination else MAX_PEERS_WITHOUT_NOMINATION


class NominationError(SurveyError):
    """Peer limits that cannot be used, or a list that breaks the rules (`problems`)."""

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = list(problems)
        super().__init__("; ".join(problems))


@dataclass(frozen=True)
class PeerLimits:
    """How many peers a list holds, and how many invitations one person gets at most."""

    min_peers: int = DEFAULT_MIN_PEERS
    max_peers: int = DEFAULT_MAX_PEERS
    max_requests: int = DEFAULT_MAX_REQUESTS

    def check(self) -> None:
        """Raise NominationError unless 1 ≤ min_peers ≤ max_peers and max_requests ≥ 1."""
        problems = []
        if self.min_peers < 1:
            problems.append("the fewest peers a list may hold must be at least 1")
        if self.max_peers < self.min_peers:
            problems.append(
                f"the most peers ({self.max_peers}) cannot be below the fewest ({self.min_peers})"
            )
        if self.max_requests < 1:
            problems.append("the most requests per rater must be at least 1")
        if problems:
            raise NominationError(problems)


@dataclass(frozen=True)
class Candidate:
    """A person proposed as a rater: person id and name."""

    id: int
    name: str


def over_cap_message(name: str, cap: int) -> str:
    """The refusal for someone who holds `cap` invitations already, naming them."""
    times = "once" if cap == 1 else f"{cap} times"
    return (
        f"{name} is already asked for feedback {times} in this campaign, the most anyone "
        "is asked; choose someone else"
    )


def list_problems(
    peers: Sequence[Candidate],
    *,
    taken: Mapping[int, str],
    load: Mapping[int, int],
    limits: PeerLimits,
) -> list[str]:
    """Every reason the list cannot be used, in a stable order; [] for a good list.

    `taken` maps person id → the group they already rate the subject in (`self`, `manager`,
    `direct_reports`); `load` maps person id → invitations they hold in the campaign without
    this list. Each problem is one sentence fragment naming the person it is about.
    """
    problems = [f"{p.name} {TAKEN_AS[taken[p.id]]}" for p in peers if p.id in taken]
    problems += [
        over_cap_message(p.name, limits.max_requests)
        for p in peers
        if p.id not in taken and load.get(p.id, 0) >= limits.max_requests
    ]
    if len(peers) < limits.min_peers:
        problems.append(f"choose at least {limits.min_peers} people (the list has {len(peers)})")
    if len(peers) > limits.max_peers:
        problems.append(f"choose at most {limits.max_peers} people (the list has {len(peers)})")
    return problems
