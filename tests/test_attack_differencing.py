"""Security review: one anonymous rater's exact answer, solved from shown figures (SPEC §7.6).

The finding: an area score used to be a mean of RATERS' means (SPEC §7.1-2) while an item score
is a mean of ANSWERS. When raters of one shown unit answered different sets of shown items
(another rater group's questionnaire in a merged `others`, an N/A, or a rater below the half
rule), the shown area score and the shown item scores of that area were independent linear
equations whose solution was one rater's individual answer, although every cell had n >= k.

Each case now builds two worlds: the original responses, and a twin in which the targeted rater
swapped their answer with another rater of the same unit who answered that item differently.
The subject's report must be identical in both, figure for figure, so no attack (the original
linear one included, which gives the same number in both worlds) can tell which answer the
targeted rater gave. Before the fix every twin moved the area score (the cases were xfail).
"""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient

from survey.extensions import db
from survey.models import CampaignStatus
from tests.factories import add_response, add_subject, make_campaign, make_person, make_subject_user
from tests.helpers_reports import api_url, sign_in

Plan = list[tuple[str, dict[str, int | None]]]
FIGURES = ("groups", "area_scores", "item_scores", "gaps", "strengths", "development")


def _released_team_leader(app: Flask, plan: Plan, email: str) -> tuple[int, str]:
    """A released k=3 campaign with one team leader and the given responses; returns (user, url)."""
    with app.app_context():
        campaign = make_campaign(status=CampaignStatus.RELEASED, min_raters=3)
        person = make_person(email, "Terry Lead", level="team_leader")
        subject = add_subject(campaign, person)
        for group, answers in plan:
            add_response(subject, group, answers)
        user = make_subject_user(person)
        db.session.commit()
        return user.id, api_url(subject)


def _doc(client: FlaskClient, user_id: int, url: str) -> dict:
    sign_in(client, user_id)
    reply = client.get(url)
    assert reply.status_code == 200
    return reply.get_json()


def _both_worlds(
    app: Flask, client: FlaskClient, plan: Plan, target: int, item: str
) -> tuple[dict, dict, int]:
    """Return (report, twin report, the target's answer in the twin) as the subject reads them.

    In the twin the response at `target` exchanged its answer on `item` with the first other
    anonymous response that gave a different numeric answer there (same unit in every case).
    """
    mine = plan[target][1][item]
    partner = next(
        i
        for i, (group, answers) in enumerate(plan)
        if i != target
        and group in ("peers", "direct_reports")
        and answers.get(item) not in (None, mine)
    )
    theirs = plan[partner][1][item]
    assert theirs is not None
    twin = [(group, dict(answers)) for group, answers in plan]
    twin[target][1][item], twin[partner][1][item] = theirs, mine
    doc = _doc(client, *_released_team_leader(app, plan, "tl@example.test"))
    other = _doc(client, *_released_team_leader(app, twin, "twin@example.test"))
    return doc, other, theirs


def _figures(doc: dict) -> dict:
    return {key: doc[key] for key in FIGURES}


def _area(doc: dict, area: str, group: str) -> tuple[float, int]:
    [cell] = [
        (c["score"], c["n"])
        for c in doc["area_scores"]
        if c["area"] == area and c["group"] == group
    ]
    return cell


def _item(doc: dict, item: str, group: str) -> tuple[float, int, int]:
    [cell] = [
        (c["score"], c["n"], c["na"])
        for c in doc["item_scores"]
        if c["item"] == item and c["group"] == group
    ]
    return cell


def _lone_peer_attack(doc: dict) -> int:
    """The original attack: lone peer's answer = 8*area - 4*item1 - 3*item2 (others, engagement)."""
    area, _ = _area(doc, "engagement", "others")
    first, _, _ = _item(doc, "tl_explains_purpose", "others")
    second, _, _ = _item(doc, "tl_notices_motivation", "others")
    return round(8 * area - 4 * first - 3 * second)


@pytest.mark.parametrize("peer_answer", [1, 2, 5])
def test_subject_cannot_solve_the_lone_peers_answer_in_others(
    app: Flask, client: FlaskClient, peer_answer: int
) -> None:
    # Peers do not see tl_notices_motivation; direct reports see both engagement items.
    plan: Plan = [
        ("self", {"tl_explains_purpose": 4, "tl_notices_motivation": 4}),
        ("manager", {"tl_explains_purpose": 3, "tl_notices_motivation": 3}),
        ("peers", {"tl_explains_purpose": peer_answer}),
        ("direct_reports", {"tl_explains_purpose": 4, "tl_notices_motivation": 2}),
        ("direct_reports", {"tl_explains_purpose": 3, "tl_notices_motivation": 5}),
        ("direct_reports", {"tl_explains_purpose": 5, "tl_notices_motivation": 3}),
    ]
    doc, twin, twin_answer = _both_worlds(app, client, plan, 2, "tl_explains_purpose")
    groups = {g["key"]: g for g in doc["groups"]}
    assert groups["peers"]["responses"] == 1  # the page says "Peers: 1 answered"
    assert groups["peers"]["merged_into"] == "others"
    area_n = _area(doc, "engagement", "others")[1]
    first_n = _item(doc, "tl_explains_purpose", "others")[1]
    second_n = _item(doc, "tl_notices_motivation", "others")[1]
    assert (area_n, first_n, second_n) == (4, 4, 3)  # every cell is at or above k=3
    assert twin_answer != peer_answer
    assert _figures(twin) == _figures(doc), "the lone peer's answer moves a shown figure"
    assert _lone_peer_attack(twin) == _lone_peer_attack(doc)  # so it solves neither answer


@pytest.mark.parametrize("odd_answer", [1, 3, 5])
def test_one_na_in_a_shown_group_does_not_expose_that_raters_answer(
    app: Flask, client: FlaskClient, odd_answer: int
) -> None:
    both = ("tl_team_results", "tl_results_business_link")
    plan: Plan = [
        ("manager", dict.fromkeys(both, 4)),
        ("peers", {both[0]: 4, both[1]: 2}),
        ("peers", {both[0]: 2, both[1]: 5}),
        ("peers", {both[0]: 3, both[1]: 3}),
        ("peers", {both[0]: odd_answer, both[1]: None}),  # "don't know" on the second item
    ]
    doc, twin, twin_answer = _both_worlds(app, client, plan, 4, both[0])
    area_n = _area(doc, "results", "peers")[1]
    _, first_n, _ = _item(doc, both[0], "peers")
    _, second_n, second_na = _item(doc, both[1], "peers")
    assert (area_n, first_n, second_n, second_na) == (4, 4, 3, 1)
    assert twin_answer != odd_answer
    assert _figures(twin) == _figures(doc), "the N/A rater's answer moves a shown figure"

    def attack(d: dict) -> int:  # the original: 8*area - 4*item1 - 3*item2
        return round(
            8 * _area(d, "results", "peers")[0]
            - 4 * _item(d, both[0], "peers")[0]
            - 3 * _item(d, both[1], "peers")[0]
        )

    assert attack(twin) == attack(doc)


@pytest.mark.parametrize("odd_answer", [1, 4, 5])
def test_rater_below_half_rule_does_not_expose_their_answer(
    app: Flask, client: FlaskClient, odd_answer: int
) -> None:
    items = (
        "tl_improves_processes",
        "tl_acts_on_suggestions",
        "tl_efficiency",
        "tl_stops_low_value_work",
    )
    plan: Plan = [
        ("manager", dict.fromkeys(items, 3)),
        ("direct_reports", dict(zip(items, (4, 2, 3, 5), strict=True))),
        ("direct_reports", dict(zip(items, (2, 2, 4, 4), strict=True))),
        ("direct_reports", dict(zip(items, (5, 3, 1, 2), strict=True))),
        ("direct_reports", {items[0]: odd_answer}),  # 1 of 4 answered: not counted in the area
    ]
    doc, twin, twin_answer = _both_worlds(app, client, plan, 4, items[0])
    area_n = _area(doc, "improvement", "direct_reports")[1]
    a_n = _item(doc, items[0], "direct_reports")[1]
    rest_n = [_item(doc, key, "direct_reports")[1] for key in items[1:]]
    assert (area_n, a_n, rest_n) == (3, 4, [3, 3, 3])
    assert twin_answer != odd_answer
    assert _figures(twin) == _figures(doc), "the non-counting rater's answer moves a figure"

    def attack(d: dict) -> int:  # the original: 4*itemA + 3*(itemB+itemC+itemD) - 12*area
        a = _item(d, items[0], "direct_reports")[0]
        rest = sum(_item(d, key, "direct_reports")[0] for key in items[1:])
        return round(4 * a + 3 * rest - 12 * _area(d, "improvement", "direct_reports")[0])

    assert attack(twin) == attack(doc)
