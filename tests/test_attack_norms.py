"""Security review: a subject reads ANOTHER subject's figures through the organisation norm.

The finding: every subject's report (HTML table, radar chart data and the JSON `org_norms`)
carried the level norm with its `n`. With two subjects at a level, 2 x norm - own all_others =
the other subject's all_others score; with n = 1 on an area the norm IS the other subject's
score. README: a subject sees "their own [report] only". Fixed: subject-facing channels show a
norm only when at least ORG_NORM_MIN_SUBJECTS (5) subjects contribute, so n x norm - own is a
sum over 4 or more colleagues; HR's organisation view keeps every norm, labelled with its n.
"""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient

from survey.extensions import db
from survey.models import CampaignStatus
from tests.factories import (
    add_response,
    add_subject,
    make_campaign,
    make_hr_user,
    make_person,
    make_subject_user,
)
from tests.helpers_reports import api_url, report_url, sign_in

ITEMS = ("tl_team_results", "tl_results_business_link")
MINE = [("manager", 4), ("peers", 4), ("peers", 5), ("peers", 3)]  # all_others results 4.00


def _subject(campaign, email: str, values: list[tuple[str, int]]):
    person = make_person(email, level="team_leader")
    subject = add_subject(campaign, person)
    for group, value in values:
        add_response(subject, group, dict.fromkeys(ITEMS, value))
    return person, subject


def _own_results(doc: dict) -> float:
    return next(
        c["score"]
        for c in doc["area_scores"]
        if c["area"] == "results" and c["group"] == "all_others"
    )


def test_subject_cannot_compute_another_subjects_score_from_the_norm(
    app: Flask, client: FlaskClient
) -> None:
    with app.app_context():
        campaign = make_campaign(status=CampaignStatus.RELEASED, min_raters=3)
        me, mine = _subject(campaign, "me@example.test", MINE)
        _subject(  # the other team leader: all_others results (1 + 2 + 1 + 2) / 4 = 1.50
            campaign,
            "them@example.test",
            [("manager", 1), ("peers", 2), ("peers", 1), ("peers", 2)],
        )
        user = make_subject_user(me)
        hr = make_hr_user()
        db.session.commit()
        my_url, page_url, user_id, hr_id = api_url(mine), report_url(mine), user.id, hr.id
        campaign_id = campaign.id
    sign_in(client, user_id)
    doc = client.get(my_url).get_json()
    own = _own_results(doc)
    # The attack: for every norm the subject is shown, n x norm - own is what the others
    # scored together; it must never be one colleague's score (n = 2) or the norm itself (n = 1).
    for norm in doc["org_norms"]:
        assert norm["n"] >= 5, f"norm over {norm['n']} subjects shown to a subject: {norm}"
    assert [n for n in doc["org_norms"] if n["area"] == "results"] == []
    assert own == 4.0  # the subject's own figure is still there
    # Nor on the page: no norm column, no note, no dotted radar trace in the chart data.
    page = client.get(page_url).get_data(as_text=True)
    assert "Results" in page and "Organisation norm" not in page
    # HR's organisation view shows no norm of 2 team leaders either (SPEC §10, issue 15): it
    # would be (4.00 + (1 + 2 + 1 + 2) / 4 = 1.50) / 2 = 2.75, two people, not a norm.
    sign_in(client, hr_id)
    org = client.get(f"/reports/organisation/{campaign_id}").get_data(as_text=True)
    assert "2.75" not in org
    assert '<span class="not-shown">too few managers for a norm</span>' in org
    assert '<td class="num" data-label="Managers with a shown score">2</td>' in org


def test_a_norm_of_five_subjects_is_shown_and_only_sums_four_colleagues(
    app: Flask, client: FlaskClient
) -> None:
    others = [1, 2, 3, 5]  # each colleague: manager and 3 peers all answering this value
    with app.app_context():
        campaign = make_campaign(status=CampaignStatus.RELEASED, min_raters=3)
        me, mine = _subject(campaign, "me@example.test", MINE)
        for i, value in enumerate(others):
            _subject(campaign, f"tl{i}@example.test", [("manager", value)] + [("peers", value)] * 3)
        user = make_subject_user(me)
        db.session.commit()
        my_url, page_url, user_id = api_url(mine), report_url(mine), user.id
    sign_in(client, user_id)
    doc = client.get(my_url).get_json()
    # (4 + 1 + 2 + 3 + 5) / 5 = 3.00 with n = 5: shown to the subject.
    assert [n for n in doc["org_norms"] if n["area"] == "results"] == [
        {"area": "results", "score": 3.0, "n": 5}
    ]
    # 5 x 3.00 - 4.00 = 11 = 1 + 2 + 3 + 5: four colleagues together, none of them alone.
    assert 5 * 3.0 - _own_results(doc) == sum(others)
    page = client.get(page_url).get_data(as_text=True)
    assert "Organisation norm" in page and "at least 5 managers contribute" in page
