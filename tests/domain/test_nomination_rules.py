"""Rules for a proposed list of raters and the per-rater cap (SPEC §13), no app."""

from __future__ import annotations

import pytest

from survey.domain.nomination import (
    Candidate,
    NominationError,
    PeerLimits,
    default_max_peers,
    list_problems,
)

LIMITS = PeerLimits(min_peers=3, max_peers=4, max_requests=2)
ADA, BO, CY, DI, ED = (Candidate(i, name) for i, name in enumerate("Ada Bo Cy Di Ed".split(), 1))


@pytest.mark.parametrize(
    ("peers", "taken", "load", "expected"),
    [
        ([BO, CY, DI], {}, {}, []),
        ([BO, CY, DI, ED], {}, {2: 1, 3: 1}, []),
        ([BO, CY], {}, {}, ["choose at least 3 people (the list has 2)"]),
        (
            [ADA, BO, CY, DI, ED],
            {1: "self"},
            {},
            [
                "Ada is the person reviewed (their self-assessment is asked for already)",
                "choose at most 4 people (the list has 5)",
            ],
        ),
        ([BO, CY, DI], {3: "manager"}, {}, ["Cy already gives feedback as manager"]),
        ([BO, CY, DI], {4: "direct_reports"}, {}, ["Di already gives feedback as a direct report"]),
        (
            [BO, CY, DI],
            {},
            {3: 2},
            [
                "Cy is already asked for feedback 2 times in this campaign, the most anyone is "
                "asked; choose someone else",
            ],
        ),
    ],
)
def test_list_problems_name_each_person(
    peers: list[Candidate], taken: dict[int, str], load: dict[int, int], expected: list[str]
) -> None:
    # Problems first name people, then the count; a count problem still lists the rest.
    problems = list_problems(peers, taken=taken, load=load, limits=LIMITS)
    assert problems[: len(expected)] == expected
    assert len(problems) == len(expected)


@pytest.mark.parametrize(
    ("limits", "fails"),
    [
        (PeerLimits(3, 8, 8), False),
        (PeerLimits(1, 1, 1), False),
        (PeerLimits(0, 8, 8), True),
        (PeerLimits(4, 3, 8), True),
        (PeerLimits(3, 8, 0), True),
    ],
)
def test_peer_limits_check(limits: PeerLimits, fails: bool) -> None:
    if fails:
        with pytest.raises(NominationError):
            limits.check()
    else:
        limits.check()


def test_nomination_allows_more_peers_by_default() -> None:
    assert (default_max_peers(True), default_max_peers(False)) == (8, 5)
