"""HR organisation view: org norms per level and team equal the domain's, response rates, page."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient

from survey.domain.norms import compute_org_norms, compute_org_norms_by
from survey.extensions import db
from survey.models import (
    Campaign,
    CampaignStatus,
    InvitationStatus,
    OrgNorms,
    ReportSnapshot,
    Subject,
)
from survey.services.frozen_reports import freeze_reports, frozen_report
from survey.services.org_overview import organisation_overview
from tests.factories import invite, make_campaign, make_hr_user, make_person
from tests.helpers_reports import sign_in, team_leader_scenario


@pytest.fixture
def campaign_id(app: Flask) -> int:
    with app.app_context():
        campaign = make_campaign(status=CampaignStatus.CLOSED)
        team_leader_scenario(campaign, "a@example.test", peers=3, reports=4, team="Blue")
        team_leader_scenario(campaign, "b@example.test", peers=2, reports=4, team="Blue", base=1)
        team_leader_scenario(campaign, "c@example.test", peers=1, reports=1, team="Red", base=4)
        subject = db.session.scalars(db.select(Subject)).first()
        rater = make_person("rater@example.test")
        invite(subject, rater, "peers", InvitationStatus.SUBMITTED)
        invite(subject, make_person("late@example.test"), "peers", InvitationStatus.DECLINED)
        invite(subject, make_person("slow@example.test"), "direct_reports")
        db.session.commit()
        return campaign.id


def test_norms_equal_the_domain_computation_over_the_reports(app: Flask, campaign_id) -> None:
    with app.app_context():
        campaign = db.session.get(Campaign, campaign_id)
        assert freeze_reports(campaign) == 3
        db.session.commit()
        subjects = db.session.scalars(db.select(Subject).order_by(Subject.id)).all()
        cells = [(s.person.team, c) for s in subjects for c in frozen_report(s).report.area_scores]
        (level,) = organisation_overview(campaign)
        assert level.level == "team_leader"
        assert level.norms == compute_org_norms(c for _, c in cells)
        assert level.teams == compute_org_norms_by(cells)
        assert list(level.teams) == ["Blue", "Red"]
        assert list(level.norms) == [key for key, _ in level.areas if key in level.norms]
        # Subject c: 1 peer + 1 report < k, so only the manager counts in all others.
        assert level.norms["results"].n == 3
        # HR sees every norm; the subjects' own reports show none of these (n = 3 < 5).
        assert level.norms_for_subjects == {}


def test_norms_of_a_campaign_not_frozen_yet_are_computed_and_not_stored(
    app: Flask, campaign_id
) -> None:
    with app.app_context():
        campaign = db.session.get(Campaign, campaign_id)
        (computed,) = organisation_overview(campaign)
        db.session.commit()
        assert db.session.scalars(db.select(ReportSnapshot)).all() == []
        assert db.session.scalars(db.select(OrgNorms)).all() == []
        freeze_reports(campaign)
        db.session.commit()
        (frozen,) = organisation_overview(campaign)
    assert (computed.norms, computed.teams) == (frozen.norms, frozen.teams)
    assert computed.norms["results"].n == 3


def test_response_rates_count_invitations_not_answers(app: Flask, campaign_id) -> None:
    with app.app_context():
        (level,) = organisation_overview(db.session.get(Campaign, campaign_id))
        assert (level.rates.subjects, level.rates.invited) == (3, 3)
        assert (level.rates.submitted, level.rates.declined, level.rates.percent) == (1, 1, 33)


def test_organisation_page_shows_radar_heatmap_and_rates(
    app: Flask, client: FlaskClient, campaign_id
) -> None:
    with app.app_context():
        hr = make_hr_user().id
        db.session.commit()
    sign_in(client, hr)
    index = client.get("/reports/organisation").get_data(as_text=True)
    assert f"/reports/organisation/{campaign_id}" in index
    page = client.get(f"/reports/organisation/{campaign_id}").get_data(as_text=True)
    # 3 managers: too few for a norm (SPEC §10), so no radar, no heatmap, and the page says so
    assert (
        'data-figure="org-team_leader"' not in page
        and 'data-figure="teams-team_leader"' not in page
    )
    assert (
        page.count('<span class="not-shown">too few managers for a norm</span>') == 10
    )  # each area
    assert "2 teams with too few managers for a norm" in page
    assert "1 of 3 invitations answered (33%), 1 declined" in page
    assert '<script type="application/json" id="report-figures">' in page
    assert "<script>" not in page  # CSP: no inline executable script


def test_five_managers_make_a_norm_and_a_team_of_one_stays_out(
    app: Flask, client: FlaskClient
) -> None:
    with app.app_context():
        campaign = make_campaign(status=CampaignStatus.CLOSED)
        for i in range(5):
            team_leader_scenario(campaign, f"b{i}@example.test", peers=3, reports=3, team="Blue")
        team_leader_scenario(campaign, "r@example.test", peers=3, reports=3, team="Red", base=2)
        hr, campaign_id = make_hr_user().id, campaign.id
        db.session.commit()
    sign_in(client, hr)
    page = client.get(f"/reports/organisation/{campaign_id}").get_data(as_text=True)
    assert 'data-figure="org-team_leader"' in page and 'data-figure="teams-team_leader"' in page
    assert "too few managers for a norm" not in page.split("Areas by team")[0]
    figures = page.split('id="report-figures">', 1)[1].split("</script>", 1)[0]
    assert '"Blue"' in figures and '"Red"' not in figures  # one manager is not a team norm
    assert "1 team with too few managers for a norm (fewer than 5) is not shown by team." in page
