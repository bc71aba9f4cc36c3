"""What a report page says in plain words: who answered, comparisons, rankings (SPEC §7-8)."""

from __future__ import annotations

import re

from flask import Flask
from flask.testing import FlaskClient

from survey.extensions import db
from survey.models import CampaignStatus
from tests.factories import add_response, add_subject, make_campaign, make_hr_user, make_person
from tests.helpers_reports import ic_answers, report_url, sign_in, worked_example


def text_of(page: str) -> str:
    """The page's visible words on one line (tags dropped, spaces collapsed)."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page))


def hr_reads(client: FlaskClient, app: Flask, build) -> tuple[str, str]:
    """Build a report with `build()` in the app, sign HR in, return (raw HTML, visible text)."""
    with app.app_context():
        subject = build()
        url, hr = report_url(subject), make_hr_user().id
        db.session.commit()
    sign_in(client, hr)
    page = client.get(url)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    return html, text_of(html)


def test_an_individual_contributor_report_has_no_direct_reports_line(
    client: FlaskClient, app: Flask
) -> None:
    _, text = hr_reads(client, app, lambda: worked_example().subject)
    assert "Peers: 3 answered; shown as a group" in text
    assert "Direct reports" not in text  # the IC questionnaire asks direct reports nothing


def test_a_team_leaders_silent_direct_reports_are_still_mentioned(
    client: FlaskClient, app: Flask
) -> None:
    def build():
        campaign = make_campaign(status=CampaignStatus.RELEASED, min_raters=3)
        person = make_person("tl@example.test", "Tea Lead", level="team_leader")
        return add_subject(campaign, person)

    _, text = hr_reads(client, app, build)
    assert "Direct reports: nobody answered." in text


def test_without_self_assessment_only_the_explanation_shows(
    client: FlaskClient, app: Flask
) -> None:
    def build():
        campaign = make_campaign(status=CampaignStatus.RELEASED, min_raters=3)
        subject = add_subject(campaign, make_person("nina@example.test", "Nina Noself"))
        for values in (
            (3, 3, 2, 2, 3, 3, 4, 4),
            (4, 4, 3, 3, 3, 3, 4, 5),
            (2, 3, 2, 3, 4, 4, 5, 5),
        ):
            add_response(subject, "peers", ic_answers(*values))
        return subject

    html, text = hr_reads(client, app, build)
    assert 'data-figure="gaps"' not in html
    assert '"gaps"' not in html  # no bar chart data either
    assert "No comparison: Nina Noself did not complete a self-assessment" in text


def test_gap_chart_shows_with_a_self_assessment(client: FlaskClient, app: Flask) -> None:
    html, _ = hr_reads(client, app, lambda: worked_example().subject)
    assert 'data-figure="gaps"' in html


def test_a_manager_alone_gives_no_ranking_and_the_page_says_why(
    client: FlaskClient, app: Flask
) -> None:
    def build():
        campaign = make_campaign(status=CampaignStatus.RELEASED, min_raters=3)
        subject = add_subject(campaign, make_person("mo@example.test", "Mo Manageronly"))
        add_response(subject, "manager", ic_answers(5, 5, 1, 1, 4, 4, 2, 2))
        return subject

    _, text = hr_reads(client, app, build)
    why = (
        "No item was rated by at least 3 people other than Mo Manageronly, so there is "
        "nothing to rank"
    )
    assert text.count(why) == 2  # strengths and development alike
    assert "Only items that at least 3 people other than Mo Manageronly rated are ranked" in text


def test_items_only_the_manager_rated_stay_out_of_the_lists(
    client: FlaskClient, app: Flask
) -> None:
    # Worked example: all others 4.00 on acts_on_feedback and 2.00 on follows_processes rest on
    # the manager alone (n = 1); strengths 4.75, 4.50 and development 3.00, 3.50 have n = 4.
    _, text = hr_reads(client, app, lambda: worked_example().subject)
    strengths = text.split("Strengths", 1)[1].split("Development items", 1)[0]
    development = text.split("Development items", 1)[1].split("Every statement", 1)[0]
    assert "4.75 · 4 answers" in strengths and "4.50 · 4 answers" in strengths
    assert "4.00 · 1 answers" not in strengths
    assert "3.00 · 4 answers" in development and "3.50 · 4 answers" in development
    assert "2.00 · 1 answers" not in development
