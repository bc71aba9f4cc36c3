"""Security review: a subject reads ANOTHER subject's figures through the organisation norm.

Every subject's report (HTML table, radar chart data and the JSON `org_norms`) carries the level
norm with its `n`. With two subjects at a level, norm*2 - own all_others = the other subject's
all_others score; with n=1 on an area the subject's own score is hidden on, the norm IS the
other subject's score. README: a subject sees "their own [report] only". Marked xfail(strict)
as a FINDING: the assertions state the promise and fail today.
"""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient

from survey.extensions import db
from survey.models import CampaignStatus
from tests.factories import add_response, add_subject, make_campaign, make_person, make_subject_user
from tests.helpers_reports import api_url, sign_in

ITEMS = ("tl_team_results", "tl_results_business_link")


def _subject(campaign, email: str, values: list[tuple[str, int]]):
    person = make_person(email, level="team_leader")
    subject = add_subject(campaign, person)
    for group, value in values:
        add_response(subject, group, dict.fromkeys(ITEMS, value))
    return person, subject


@pytest.mark.xfail(
    strict=True,
    reason="FINDING: org norm with n=2 in a subject's own report reveals the other subject's "
    "all_others score (2*norm - own)",
)
def test_subject_cannot_compute_another_subjects_score_from_the_norm(
    app: Flask, client: FlaskClient
) -> None:
    with app.app_context():
        campaign = make_campaign(status=CampaignStatus.RELEASED, min_raters=3)
        me, mine = _subject(
            campaign, "me@example.test", [("manager", 4), ("peers", 4), ("peers", 5), ("peers", 3)]
        )
        _, theirs = _subject(
            campaign,
            "them@example.test",
            [("manager", 1), ("peers", 2), ("peers", 1), ("peers", 2)],
        )
        user = make_subject_user(me)
        db.session.commit()
        my_url, their_id, user_id = api_url(mine), theirs.id, user.id
    sign_in(client, user_id)
    doc = client.get(my_url).get_json()
    own = next(
        c["score"]
        for c in doc["area_scores"]
        if c["area"] == "results" and c["group"] == "all_others"
    )
    norm = next(n for n in doc["org_norms"] if n["area"] == "results")
    assert norm["n"] == 2
    inferred = 2 * norm["score"] - own
    # the other team leader's all_others "results" score: (1 + 2 + 1 + 2) / 4 = 1.5
    assert abs(inferred - 1.5) > 0.02, (
        f"subject {their_id}'s score read from the norm: {inferred:.2f}"
    )
