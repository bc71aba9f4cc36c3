"""Security review: one anonymous rater's exact answer, solved from shown figures (SPEC §7.6).

An area score is a mean of RATERS' means (SPEC §7.1-2) while an item score is a mean of
ANSWERS. When raters of one shown unit answered different sets of shown items (another rater
group's questionnaire in a merged `others`, an N/A, or a rater below the half rule), the shown
area score and the shown item scores of that area are linear equations whose solution is one
rater's individual answer. Every cell involved has n >= k, so nothing is hidden; the individual
answer is still recovered exactly (SPEC §7.4-6, README: "One rater's individual answers:
never"). Each test asserts the promise, so it fails today: marked xfail(strict) as a FINDING.
"""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient

from survey.extensions import db
from survey.models import CampaignStatus
from tests.factories import add_response, add_subject, make_campaign, make_person, make_subject_user
from tests.helpers_reports import api_url, sign_in


def _released_team_leader(
    app: Flask, plan: list[tuple[str, dict[str, int | None]]]
) -> tuple[int, str]:
    """A released k=3 campaign with one team leader and the given responses; returns (user, url)."""
    with app.app_context():
        campaign = make_campaign(status=CampaignStatus.RELEASED, min_raters=3)
        person = make_person("tl@example.test", "Terry Lead", level="team_leader")
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


@pytest.mark.xfail(
    strict=True,
    reason="FINDING: merged 'others' (1 peer + 3 direct reports): the lone peer's answer on "
    "tl_explains_purpose = 8*area - 4*item1 - 3*item2 from shown cells (engagement area)",
)
@pytest.mark.parametrize("peer_answer", [1, 2, 5])
def test_subject_cannot_solve_the_lone_peers_answer_in_others(
    app: Flask, client: FlaskClient, peer_answer: int
) -> None:
    # Peers do not see tl_notices_motivation; direct reports see both engagement items.
    plan = [
        ("self", {"tl_explains_purpose": 4, "tl_notices_motivation": 4}),
        ("manager", {"tl_explains_purpose": 3, "tl_notices_motivation": 3}),
        ("peers", {"tl_explains_purpose": peer_answer}),
        ("direct_reports", {"tl_explains_purpose": 4, "tl_notices_motivation": 2}),
        ("direct_reports", {"tl_explains_purpose": 3, "tl_notices_motivation": 5}),
        ("direct_reports", {"tl_explains_purpose": 5, "tl_notices_motivation": 3}),
    ]
    doc = _doc(client, *_released_team_leader(app, plan))
    groups = {g["key"]: g for g in doc["groups"]}
    assert groups["peers"]["responses"] == 1  # the page says "Peers: 1 answered"
    assert groups["peers"]["merged_into"] == "others"
    area, area_n = _area(doc, "engagement", "others")
    first, first_n, _ = _item(doc, "tl_explains_purpose", "others")
    second, second_n, _ = _item(doc, "tl_notices_motivation", "others")
    assert (area_n, first_n, second_n) == (4, 4, 3)  # every cell is at or above k=3
    solved = round(8 * area - 4 * first - 3 * second)
    assert solved != peer_answer, "the lone peer's individual answer is recovered exactly"


@pytest.mark.xfail(
    strict=True,
    reason="FINDING: 4 peers, one answers N/A on the 2nd results item: that peer's answer on "
    "the 1st item = 8*area - 4*item1 - 3*item2 (all cells n>=3)",
)
@pytest.mark.parametrize("odd_answer", [1, 3, 5])
def test_one_na_in_a_shown_group_does_not_expose_that_raters_answer(
    app: Flask, client: FlaskClient, odd_answer: int
) -> None:
    both = ("tl_team_results", "tl_results_business_link")
    plan = [
        ("manager", dict.fromkeys(both, 4)),
        ("peers", {both[0]: 4, both[1]: 2}),
        ("peers", {both[0]: 2, both[1]: 5}),
        ("peers", {both[0]: 3, both[1]: 3}),
        ("peers", {both[0]: odd_answer, both[1]: None}),  # "don't know" on the second item
    ]
    doc = _doc(client, *_released_team_leader(app, plan))
    area, area_n = _area(doc, "results", "peers")
    first, first_n, _ = _item(doc, both[0], "peers")
    second, second_n, second_na = _item(doc, both[1], "peers")
    assert (area_n, first_n, second_n, second_na) == (4, 4, 3, 1)
    solved = round(8 * area - 4 * first - 3 * second)
    assert solved != odd_answer, "the N/A rater's individual answer is recovered exactly"


@pytest.mark.xfail(
    strict=True,
    reason="FINDING: a direct report below the half rule still counts in item cells but not in "
    "the area: their answer = 4*itemA + 3*(itemB+itemC+itemD) - 12*area",
)
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
    plan = [
        ("manager", dict.fromkeys(items, 3)),
        ("direct_reports", dict(zip(items, (4, 2, 3, 5), strict=True))),
        ("direct_reports", dict(zip(items, (2, 2, 4, 4), strict=True))),
        ("direct_reports", dict(zip(items, (5, 3, 1, 2), strict=True))),
        ("direct_reports", {items[0]: odd_answer}),  # 1 of 4 answered: not counted in the area
    ]
    doc = _doc(client, *_released_team_leader(app, plan))
    area, area_n = _area(doc, "improvement", "direct_reports")
    a, a_n, _ = _item(doc, items[0], "direct_reports")
    rest = [_item(doc, key, "direct_reports") for key in items[1:]]
    assert (area_n, a_n, [c[1] for c in rest]) == (3, 4, [3, 3, 3])
    solved = round(4 * a + 3 * sum(c[0] for c in rest) - 12 * area)
    assert solved != odd_answer, "the non-counting rater's individual answer is recovered exactly"
