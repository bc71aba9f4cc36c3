"""Default rater assignment and pre-launch warnings (SPEC §4), table-driven, no app."""

from __future__ import annotations

import pytest

from survey.domain.raters import (
    GroupWarning,
    OrgPerson,
    assign_default_raters,
    group_warnings,
)

BL, TL, IC = "business_leader", "team_leader", "individual_contributor"

# 1 CEO (BL) → managers 2, 3 (TL) and 9 (BL). 2 → ICs 4, 5; 3 → ICs 6, 7, 8; 9 → TL 10 → IC 11.
ORG = [
    OrgPerson(1, BL, None),
    OrgPerson(2, TL, 1),
    OrgPerson(3, TL, 1),
    OrgPerson(4, IC, 2),
    OrgPerson(5, IC, 2),
    OrgPerson(6, IC, 3),
    OrgPerson(7, IC, 3),
    OrgPerson(8, IC, 3),
    OrgPerson(9, BL, 1),
    OrgPerson(10, TL, 9),
    OrgPerson(11, IC, 10),
]


def raters_of(
    subject: int, k: int = 3, max_peers: int = 5, org: list[OrgPerson] = ORG
) -> dict[str, list[int]]:
    groups: dict[str, list[int]] = {}
    for a in assign_default_raters(org, [subject], k=k, max_peers=max_peers):
        groups.setdefault(a.group, []).append(a.rater_id)
    return groups


@pytest.mark.parametrize(
    ("subject", "k", "expected"),
    [
        # TL 2: boss 1, reports 4 5; peer 3 (same boss, same level), no grand-boss to top up from.
        (2, 3, {"self": [2], "manager": [1], "direct_reports": [4, 5], "peers": [3]}),
        # IC 6: peers 7 8 (same boss); fewer than k=3 → topped up from cousin ICs 4 (least id).
        (6, 3, {"self": [6], "manager": [3], "peers": [4, 7, 8]}),
        # same with k=2: already enough peers, no top-up
        (6, 2, {"self": [6], "manager": [3], "peers": [7, 8]}),
        # IC 4: one sibling (5); top-up from the grand-boss's tree: cousins 6 7 → 3 peers
        (4, 3, {"self": [4], "manager": [2], "peers": [5, 6, 7]}),
        # CEO: no manager, no peers; reports 2 3 9
        (1, 3, {"self": [1], "direct_reports": [2, 3, 9]}),
        # TL 10: boss 9, no sibling TL; top-up from TLs under the grand-boss 1's tree: 2, 3
        (10, 3, {"self": [10], "manager": [9], "direct_reports": [11], "peers": [2, 3]}),
    ],
)
def test_default_raters(subject: int, k: int, expected: dict[str, list[int]]) -> None:
    assert raters_of(subject, k) == expected


def test_at_most_max_peers_least_loaded_first() -> None:
    org = [OrgPerson(1, TL, None)] + [OrgPerson(i, IC, 1) for i in range(2, 10)]
    assert raters_of(2, max_peers=3, org=org)["peers"] == [3, 4, 5]


def test_load_spreads_evenly_and_deterministically() -> None:
    # 8 ICs under one boss, everyone reviewed, 3 peers each: 24 peer ratings, 2 to 4 per IC
    # (greedy in subject order; without spreading, ICs 2-4 would rate everyone: 7 each).
    org = [OrgPerson(1, TL, None)] + [OrgPerson(i, IC, 1) for i in range(2, 10)]
    subjects = list(range(2, 10))
    first = assign_default_raters(org, subjects, k=3, max_peers=3)
    again = assign_default_raters(org, list(reversed(subjects)), k=3, max_peers=3)
    assert first == again
    load: dict[int, int] = {}
    for a in first:
        if a.group == "peers":
            load[a.rater_id] = load.get(a.rater_id, 0) + 1
    assert sorted(load.values()) == [2, 3, 3, 3, 3, 3, 3, 4]


def test_existing_load_is_respected() -> None:
    org = [OrgPerson(1, TL, None)] + [OrgPerson(i, IC, 1) for i in range(2, 7)]
    chosen = assign_default_raters(org, [2], k=2, max_peers=2, initial_load={3: 5, 4: 5})
    assert [a.rater_id for a in chosen if a.group == "peers"] == [5, 6]


def test_subject_never_rates_themself_except_as_self() -> None:
    for a in assign_default_raters(ORG, [p.id for p in ORG], k=3):
        assert (a.rater_id == a.subject_id) == (a.group == "self")


def test_people_without_a_manager_get_no_peers_from_another_tree() -> None:
    # Two unrelated trees: BL 1 → TL 2 → IC 3, and BL 10 → TL 11 → ICs 12, 13.
    org = [
        OrgPerson(1, BL, None),
        OrgPerson(2, TL, 1),
        OrgPerson(3, IC, 2),
        OrgPerson(10, BL, None),
        OrgPerson(11, TL, 10),
        OrgPerson(12, IC, 11),
        OrgPerson(13, IC, 11),
    ]
    tree_of = {1: 1, 2: 1, 3: 1, 10: 10, 11: 10, 12: 10, 13: 10}
    assignments = assign_default_raters(org, [p.id for p in org], k=3)
    assert all(tree_of[a.subject_id] == tree_of[a.rater_id] for a in assignments)
    assert raters_of(1, org=org) == {"self": [1], "direct_reports": [2]}
    assert raters_of(10, org=org) == {"self": [10], "direct_reports": [11]}


def test_nobody_at_the_cap_is_chosen_as_a_peer() -> None:
    org = [OrgPerson(1, TL, None)] + [OrgPerson(i, IC, 1) for i in range(2, 7)]
    chosen = assign_default_raters(
        org, [2], k=3, max_peers=3, initial_load={3: 2, 4: 1}, max_requests=2
    )
    assert [a.rater_id for a in chosen if a.group == "peers"] == [4, 5, 6]


def test_the_cap_never_drops_the_manager_or_direct_reports() -> None:
    # Manager 1 has five reports, all reviewed: five "manager" invitations over a cap of 2.
    org = [OrgPerson(1, TL, None)] + [OrgPerson(i, IC, 1) for i in range(2, 7)]
    chosen = assign_default_raters(org, list(range(2, 7)), k=2, max_peers=2, max_requests=2)
    assert sum(a.rater_id == 1 and a.group == "manager" for a in chosen) == 5
    load: dict[int, int] = {}
    for a in chosen:
        load[a.rater_id] = load.get(a.rater_id, 0) + 1
    assert all(count <= 2 for person, count in load.items() if person != 1)


@pytest.mark.parametrize(
    ("counts", "managers", "expected"),
    [
        ({7: {"peers": 3, "direct_reports": 3}}, [7], []),
        ({7: {"peers": 2, "direct_reports": 5}}, [7], [GroupWarning(7, "peers", 2, 3)]),
        ({7: {"peers": 4}}, [], []),  # an IC without reports is normal
        ({7: {"peers": 4}}, [7], [GroupWarning(7, "direct_reports", 0, 3)]),
        (
            {7: {"direct_reports": 1}},
            [7],
            [GroupWarning(7, "peers", 0, 3), GroupWarning(7, "direct_reports", 1, 3)],
        ),
    ],
)
def test_group_warnings(
    counts: dict[int, dict[str, int]], managers: list[int], expected: list[GroupWarning]
) -> None:
    assert group_warnings(counts, 3, expect_reports=managers) == expected


def test_group_warnings_carry_the_names_of_the_raters_they_count() -> None:
    names = {(7, "peers"): ["Bo Berg", "Cy Cole"], (8, "peers"): ["Di Dahl"] * 3}
    warnings = group_warnings({7: {"peers": 2}, 8: {"peers": 3}}, 3, names=names)
    assert warnings == [GroupWarning(7, "peers", 2, 3, ("Bo Berg", "Cy Cole"))]


def test_warning_message_names_the_raters_it_counts() -> None:
    assert GroupWarning(7, "direct_reports", 2, 3, ("Bo Berg", "Cy Cole")).message("Ada") == (
        "Ada: 2 direct reports (Bo Berg, Cy Cole), below k = 3; their answers will be merged "
        "with other small groups or not shown."
    )
    assert (
        GroupWarning(7, "peers", 1, 3, ("Bo Berg",))
        .message("Ada")
        .startswith("Ada: 1 peer (Bo Berg), below k = 3")
    )
    assert GroupWarning(7, "peers", 0, 3).message("Ada") == "Ada: no peers."
