"""SPEC §11: the report's change against the subject's previous campaign, by hand."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner

from survey.domain.report import AreaScore, SubjectReport
from survey.domain.trend import find_trend
from survey.extensions import db
from survey.models import Campaign, CampaignStatus
from tests.factories import (
    add_response,
    add_subject,
    make_campaign,
    make_person,
    make_subject_user,
)
from tests.helpers_reports import api_url, ic_answers, report_url, sign_in, worked_example


def second_campaign(person, status: CampaignStatus = CampaignStatus.RELEASED):
    """Alice again, a month later: self all 5, manager all 4, three peers all 4 except that the
    third says "don't know" on growth, so peers' growth is hidden this time (2 raters < k)."""
    later = datetime.now(UTC) + timedelta(days=30)
    campaign = make_campaign(name="Spring 360", status=status, now=later)
    subject = add_subject(campaign, person)
    add_response(subject, "self", ic_answers(5, 5, 5, 5, 5, 5, 5, 5))
    add_response(subject, "manager", ic_answers(4, 4, 4, 4, 4, 4, 4, 4))
    add_response(subject, "peers", ic_answers(4, 4, 4, 4, 4, 4, 4, 4))
    add_response(subject, "peers", ic_answers(4, 4, 4, 4, 4, 4, 4, 4))
    add_response(subject, "peers", ic_answers(4, 4, 4, 4, None, None, 4, 4))
    db.session.commit()
    return subject


def signed_in_on_second_report(
    app: Flask, client: FlaskClient, first_status: CampaignStatus = CampaignStatus.RELEASED
) -> tuple[str, str, int]:
    """Alice's worked-example campaign (`first_status`), then her second one (released), and
    `client` signed in as Alice; returns her second report's API URL, page URL and campaign id."""
    with app.app_context():
        first = worked_example(status=first_status)
        second = second_campaign(first.person)
        user = make_subject_user(first.person)
        db.session.commit()
        user_id, url, page = user.id, api_url(second), report_url(second)
        second_id = second.campaign_id
    sign_in(client, user_id)
    return url, page, second_id


@pytest.fixture
def two_campaigns(app: Flask):
    with app.app_context():
        first = worked_example()
        second = second_campaign(first.person)
        return first.campaign.id, second.campaign_id, second.id


def report_json(runner: FlaskCliRunner, campaign_id: int) -> dict:
    result = runner.invoke(
        args=["report", "--campaign", str(campaign_id), "--subject", "alice@example.test"]
    )
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def trend_of(document: dict, group: str) -> dict[str, tuple[float, float, float]]:
    return {
        c["area"]: (c["previous"], c["current"], c["delta"])
        for c in document["trend"]
        if c["group"] == group
    }


def test_previous_lists_the_first_campaigns_shown_cells(runner, two_campaigns) -> None:
    first_id, second_id, _ = two_campaigns
    doc = report_json(runner, second_id)
    assert doc["previous"]["campaign"] == {"id": first_id, "name": "Autumn 360"}
    shown = doc["previous"]["area_scores"]
    previous = {(c["area"], c["group"]): (c["score"], c["n"]) for c in shown}
    # the first report's shown cells (tests/test_reports_json.py), peers' improvement hidden
    assert previous[("results", "peers")] == (3.17, 3)
    assert previous[("culture", "all_others")] == (4.63, 4)
    assert ("improvement", "peers") not in previous
    first = report_json(runner, first_id)
    assert first["previous"] is None and first["trend"] == []


def test_trend_is_current_minus_previous_on_cells_shown_in_both(runner, two_campaigns) -> None:
    doc = report_json(runner, two_campaigns[1])
    assert trend_of(doc, "self") == {
        "results": (4.0, 5.0, 1.0),
        "improvement": (3.0, 5.0, 2.0),
        "growth": (5.0, 5.0, 0.0),
        "culture": (4.0, 5.0, 1.0),
    }
    assert trend_of(doc, "manager") == {
        "results": (3.5, 4.0, 0.5),
        "improvement": (2.0, 4.0, 2.0),
        "growth": (4.0, 4.0, 0.0),
        "culture": (5.0, 4.0, -1.0),
    }
    # improvement was hidden for peers the first time, growth is hidden this time: both absent
    assert trend_of(doc, "peers") == {"results": (3.17, 4.0, 0.83), "culture": (4.5, 4.0, -0.5)}
    # all others now: growth is the manager's 4, 4 alone (peers' growth cells hidden)
    assert trend_of(doc, "all_others") == {
        "results": (3.25, 4.0, 0.75),
        "improvement": (2.0, 4.0, 2.0),
        "growth": (3.6, 4.0, 0.4),
        "culture": (4.63, 4.0, -0.63),
    }


def test_subject_sees_no_previous_when_the_first_was_never_released(
    app: Flask, client: FlaskClient, runner: FlaskCliRunner
) -> None:
    url, page, second_id = signed_in_on_second_report(app, client, CampaignStatus.CLOSED)
    mine = client.get(url).get_json()
    assert mine["previous"] is None and mine["trend"] == []
    assert "Change since" not in client.get(page).get_data(as_text=True)
    assert report_json(runner, second_id)["previous"]["campaign"]["name"] == "Autumn 360"


def test_subject_page_shows_the_change_and_the_radar_can_overlay_last_time(
    app: Flask, client: FlaskClient
) -> None:
    _, page, _ = signed_in_on_second_report(app, client)
    html = client.get(page).get_data(as_text=True)
    assert "Change since Autumn 360" in html
    assert "3.17 → 4.00" in html and "+0.83" in html and "-0.63" in html
    assert html.count("<strong>+2.00</strong>") == 3  # improvement: self, manager, all others
    assert "All others, Autumn 360" in html  # the radar's previous trace, off until clicked


def test_a_subject_who_moved_up_keeps_the_shared_areas() -> None:
    def report(cells: list[tuple[str, float]]) -> SubjectReport:
        scores = tuple(AreaScore(area, "all_others", score, 4) for area, score in cells)
        return SubjectReport((), (), scores, (), (), (), (), ())

    before = report([("results", 3.1), ("growth", 3.9), ("culture", 4.0)])  # IC areas
    after = report([("results", 3.6), ("people", 3.0), ("culture", 3.75)])  # team leader
    assert [(c.area, c.delta) for c in find_trend(after, before)] == [
        ("results", 0.5),
        ("culture", -0.25),
    ]


def colleagues(first_id: int, second_id: int, count: int = 4) -> None:
    """`count` more ICs of team Blue in both campaigns: three peers all 3 the first time and all
    4 the second, so each one's All others is 3.00 → 4.00 on every area."""
    for number in range(count):
        person = make_person(f"colleague{number}@example.test", f"Colleague {number}", team="Blue")
        for campaign_id, value in ((first_id, 3), (second_id, 4)):
            subject = add_subject(db.session.get(Campaign, campaign_id), person)
            for _ in range(3):
                add_response(subject, "peers", ic_answers(*[value] * 8))
    db.session.commit()


def test_hr_organisation_view_shows_the_change_per_level_and_team(
    app: Flask, client: FlaskClient
) -> None:
    from tests.factories import make_hr_user

    with app.app_context():
        first = worked_example()  # team Blue
        second = second_campaign(first.person)
        hr = make_hr_user()
        db.session.commit()
        hr_id, first_id, campaign_id = hr.id, first.campaign.id, second.campaign_id
    sign_in(client, hr_id)
    alone = client.get(f"/reports/organisation/{campaign_id}").get_data(as_text=True)
    # Alice alone is too few managers for a norm (SPEC §10), so there is no change to show
    assert "too few managers for a norm" in alone
    assert not [cell for cell in ("+0.75", "+2.00", "+0.40", "-0.63") if cell in alone]

    with app.app_context():
        colleagues(first_id, campaign_id)
    page = client.get(f"/reports/organisation/{campaign_id}").get_data(as_text=True)
    assert "Change since Autumn 360" in page
    # norms of 5 managers, each the mean of their shown All others (Alice's, then 4 colleagues'):
    # results   (3.25 + 4×3)/5 = 3.05 → (4.00 + 4×4)/5 = 4.00: +0.95
    # improvement (2.00 + 12)/5 = 2.80 → 4.00: +1.20;  growth (3.60 + 12)/5 = 3.12 → 4.00: +0.88
    # culture   (4.63 + 12)/5 = 3.326 → 4.00: +0.67
    row = page.split("Whole level", 1)[1].split("</tr>", 1)[0]
    assert [c for c in ("+0.95", "+1.20", "+0.88", "+0.67") if c in row] == [
        "+0.95",
        "+1.20",
        "+0.88",
        "+0.67",
    ]
    blue = page.split('<th scope="row">Blue</th>')[-1].split("</tr>", 1)[0]
    assert "+0.95" in blue and "+0.67" in blue


AREAS = ("Results", "Improvement", "Own growth", "Culture and values")


def test_the_export_lists_the_change_of_cells_shown_in_both(
    app: Flask, runner: FlaskCliRunner, tmp_path
) -> None:
    with app.app_context():
        first = worked_example()
        second = second_campaign(first.person)
        campaign_id = second.campaign_id
    target = tmp_path / "export.csv"
    result = runner.invoke(
        args=["campaign", "export", str(campaign_id), "--format", "csv", "--output", str(target)]
    )
    assert result.exit_code == 0, result.output
    import csv

    rows = list(csv.DictReader(target.read_text("utf-8-sig").splitlines()))
    change = {r["Group"]: r for r in rows if r["Section"] == "Change since Autumn 360"}
    assert list(change) == ["Self", "Manager", "Peers", "All others"]
    assert change["Peers"]["Results"] == "0.83"
    assert change["All others"]["Culture and values"] == "-0.63"
    # peers' improvement was hidden the first time, their growth is hidden now: both empty
    assert change["Peers"]["Improvement"] == "" and change["Peers"]["Own growth"] == ""
    filled = [v for r in change.values() for k, v in r.items() if k in AREAS and v != ""]
    assert len(filled) == 14  # 4 self + 4 manager + 2 peers + 4 all others
