"""The agreement word on the report page is exactly where the report JSON carries `sd` (SPEC §10).

A team leader with self, manager, 3 peers and 6 direct reports (k = 3, spread_min 5): the
peers' cells (3 answers) never carry agreement, so neither does any all-others cell that pools
them (only statements the peers were not asked or left hidden do); the direct reports' cells
with 5 or more answers do. The page shows the word beside those
cells and nowhere else; the chart data carries neither sd nor agreement, nor any minimum,
maximum or distribution.
"""

from __future__ import annotations

import json
import re

from flask import Flask
from flask.testing import FlaskClient

from survey.extensions import db
from survey.models import CampaignStatus
from tests.factories import make_campaign, make_hr_user
from tests.helpers_reports import api_url, report_url, sign_in, team_leader_scenario


def test_agreement_words_match_the_json_cells_and_charts_carry_no_spread(
    client: FlaskClient, app: Flask
) -> None:
    with app.app_context():
        campaign = make_campaign(name="Agree 360", status=CampaignStatus.CLOSED, min_raters=3)
        subject = team_leader_scenario(campaign, "tl@example.test", peers=3, reports=6)
        url, api = report_url(subject), api_url(subject)
        hr = make_hr_user().id
        db.session.commit()
    sign_in(client, hr)
    document = client.get(api).get_json()
    cells = document["area_scores"] + document["item_scores"]
    spread = [c for c in cells if "sd" in c]
    assert spread and all("agreement" in c for c in spread)
    assert {c["group"] for c in spread} == {"direct_reports", "all_others"}
    assert all(c["n"] >= 5 for c in spread)
    peers = {c["item"] for c in document["item_scores"] if c["group"] == "peers"}
    pooled = {c["item"] for c in spread if c["group"] == "all_others" and "item" in c}
    assert peers and pooled and not peers & pooled  # never over the peers' 3 answers
    assert not [c for c in cells if c["group"] == "direct_reports" and c["n"] < 5 and "sd" in c]

    page = client.get(url).text
    main = page.split("<main", 1)[1].split("</main>", 1)[0]
    words = re.findall(r'<span class="agree agree-(\w+)">', main)
    assert sorted(words) == sorted(c["agreement"] for c in spread)
    assert "each peer or direct-report group behind it has at least 5 answers on every" in main

    figures = json.loads(
        page.split('<script type="application/json" id="report-figures">', 1)[1].split(
            "</script>", 1
        )[0]
    )
    text = json.dumps(figures)
    for key in ('"sd"', "agreement", '"min"', '"max"', "distribution", "box", "violin"):
        assert key not in text, key


def test_two_managers_answers_are_not_split_by_the_frozen_all_others_spread(app: Flask) -> None:
    """Through close's SQL sums: HR added a second manager; managers answered 1 and 5 on every
    statement, five peers and five direct reports 4. All others' sd would read 0.90 where two
    3s read 0.37 (tests/domain/test_agreement.py): it carries none, on the page and in JSON."""
    from survey.domain.questionnaire import load_content
    from survey.services.frozen_reports import freeze_reports
    from survey.services.reports import report_document
    from tests.factories import add_response, add_subject, make_person

    with app.app_context():
        campaign = make_campaign(name="Two bosses", status=CampaignStatus.CLOSED, min_raters=3)
        subject = add_subject(campaign, make_person("tl@example.test", level="team_leader"))
        items = load_content().level("team_leader").items
        for group, values in (
            ("manager", (1, 5)),
            ("peers", (4,) * 5),
            ("direct_reports", (4,) * 5),
        ):
            for value in values:
                add_response(subject, group, {i.key: value for i in items if group in i.observers})
        assert freeze_reports(campaign) == 1
        db.session.commit()
        document = report_document(subject)
    cells = document["area_scores"] + document["item_scores"]
    manager = [c for c in cells if c["group"] == "manager"]
    assert manager and {(c["score"], c["n"]) for c in manager} == {(3.0, 2)}
    assert [c for c in cells if c["group"] == "peers" and c.get("sd") == 0.0]  # 5 × 4: sd 0
    assert not [c for c in cells if c["group"] == "all_others" and "sd" in c]
