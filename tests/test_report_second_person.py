"""SPEC §10: the subject reads their own report as "you"; HR reads the subject's name.

The subject signs in from the release e-mail, as a manager would. Every statement, strength,
development item and comment heading of their page is in its `you` wording (from the content or
derived from the self wording), their own API JSON too; HR's page of the same report names them.
"""

from __future__ import annotations

import re

from flask import Flask
from flask.testing import FlaskClient
from markupsafe import escape

from survey.domain.questionnaire import load_content
from survey.extensions import db
from survey.models import CampaignStatus, utcnow
from survey.services.lifecycle import release_campaign
from tests.factories import add_response, add_subject, make_campaign, make_hr_user, make_person
from tests.helpers_campaigns import csrf_token
from tests.helpers_reports import api_url, report_url, sign_in

NAME = "Quinn Zephyrine"


def build_and_release(app: Flask) -> tuple[str, str, str, int]:
    """A released team leader with 5 peers and 5 direct reports; (page, api, sign-in link, HR)."""
    with app.app_context():
        campaign = make_campaign(status=CampaignStatus.CLOSED, min_raters=3)
        person = make_person("quinn@example.test", NAME, level="team_leader")
        subject = add_subject(campaign, person)
        items = load_content().level("team_leader").items
        for group, count in (("self", 1), ("manager", 1), ("peers", 5), ("direct_reports", 5)):
            for r in range(count):
                answers = {
                    it.key: 1 + (i + r) % 5 for i, it in enumerate(items) if group in it.observers
                }
                comments = {"keep_doing": f"{group} {r}", "stop_doing": f"stop {group} {r}"}
                add_response(subject, group, answers, comments)
        mails = release_campaign(campaign, utcnow())
        hr = make_hr_user().id
        urls = report_url(subject), api_url(subject)
        db.session.commit()
    mail = next(m for m in mails if m.to == "quinn@example.test")
    link = re.search(r"/link/[A-Za-z0-9_-]+", mail.text)
    assert link, mail.text
    return *urls, link.group(0), hr


def esc(text: str) -> str:
    """Text as the page's templates write it (Jinja's escaping)."""
    return str(escape(text))


def main_of(page: str) -> str:
    return page.split("<main", 1)[1].split("</main>", 1)[0]


def test_the_subject_reads_you_and_hr_reads_the_name(client: FlaskClient, app: Flask) -> None:
    url, api, link, hr = build_and_release(app)
    client.post(link, data={"csrf_token": csrf_token(client.get(link))})
    mine = client.get(url)
    assert mine.status_code == 200
    content = load_content()
    items = content.level("team_leader").items
    page = main_of(mine.text)
    assert NAME not in page and esc(NAME) not in page
    for item in items:
        assert esc(item.you_wording) in page, item.key
    headings = re.findall(r"<h4>(.*?)</h4>", page)
    assert headings and all(h.startswith("What ") and " you" in h for h in headings)
    lists = page.split('id="strengths"', 1)[1].split('id="items"', 1)[0]
    assert lists.count("<li>") >= 6 and all(
        '<span class="item-text">You ' in li or "you" in li for li in lists.split("<li>")[1:]
    )
    own = client.get(api).get_json()
    assert own["strengths"] and all(NAME not in e["text"] for e in own["strengths"])
    assert {e["text"] for e in own["development"]} <= {it.you_wording for it in items}

    sign_in(client, hr)
    theirs = main_of(client.get(url).text)
    for item in items:
        assert esc(item.text_for("manager", NAME)) in theirs, item.key
        assert esc(item.you_wording) not in theirs, item.key
    assert f"<h4>{esc(content.open_questions[0].text_for('manager', NAME))}</h4>" in theirs
    hr_json = client.get(api).get_json()
    assert all(NAME in e["text"] for e in hr_json["strengths"] + hr_json["development"])
    # numbers are the same for both readers
    assert own["item_scores"] == hr_json["item_scores"]
