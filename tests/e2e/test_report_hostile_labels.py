"""Markup in content, names and comments stays text on the report page and in its charts.

Plotly renders a subset of HTML in labels and hover text (issue 15): a campaign whose area
title, statement wording, subject name and comments carry `<b>`, `<img onerror>` and
`<a href=javascript:>` must show those characters, never make an element of them.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

from flask import Flask
from sqlalchemy import select

from survey.extensions import db
from survey.models import CampaignStatus, Response
from tests.e2e.conftest import LiveServer
from tests.factories import make_campaign, make_hr_user
from tests.helpers_reports import (
    HR_EMAIL,
    HR_PASSWORD,
    open_report_as_hr,
    report_url,
    team_leader_scenario,
)

TITLE = "<b>Results</b><img src=x onerror=window.pwned=1>"
NAME = "<a href=javascript:window.pwned=2>Tina</a> Lead"
STATEMENT = "<b>bold</b> <img src=y onerror=window.pwned=3> keeps the team focused."
COMMENT = "<img src=z onerror=window.pwned=4><a href=javascript:alert(1)>click</a>"

FOUND = """() => ({
  pwned: window.pwned || null,
  images: [...document.querySelectorAll('img')].filter(i => /\\/(x|y|z)$/.test(i.src)).length,
  links: document.querySelectorAll('a[href^="javascript"]').length,
  bold: [...document.querySelectorAll('svg text b, svg text tspan')]
    .filter(t => getComputedStyle(t).fontWeight === '700' && /Results|bold/.test(t.textContent))
    .length,
  radarText: document.querySelector('[data-figure="radar"] .main-svg').textContent,
  page: document.querySelector('main').innerText,
  html: document.querySelector('main').innerHTML,
})"""


def hostile_campaign() -> Any:
    campaign = make_campaign(name="Hostile 360", status=CampaignStatus.CLOSED, min_raters=3)
    snapshot: dict[str, Any] = copy.deepcopy(campaign.questionnaire_snapshot or {})
    for area in snapshot["areas"]:
        if area["key"] == "results":
            area["title"] = TITLE
    first = snapshot["levels"]["team_leader"]["responsibilities"][0]["items"][0]
    first["other"] = "{name} " + STATEMENT
    first.pop("you", None)
    first["self"] = "I " + STATEMENT
    campaign.questionnaire_snapshot = snapshot
    return campaign


def test_markup_in_titles_names_statements_and_comments_stays_text(
    app: Flask, live_server: LiveServer, make_page: Callable[..., Any]
) -> None:
    with app.app_context():
        campaign = hostile_campaign()
        subject = team_leader_scenario(campaign, "tl@example.test", peers=3, reports=4)
        subject.name = NAME
        for response in db.session.scalars(select(Response).filter_by(subject_id=subject.id)):
            for comment in response.comments:
                comment.text = COMMENT
        url = report_url(subject)
        make_hr_user(HR_EMAIL, HR_PASSWORD)
        db.session.commit()
    dialogs: list[str] = []

    def on_dialog(dialog: Any) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    for width in (1280, 390):
        page = make_page(width=width, height=900)
        page.on("dialog", on_dialog)
        open_report_as_hr(page, live_server.url, url)
        page.locator('[data-figure="radar"]').hover()  # hover labels drawn too
        found = page.evaluate(FOUND)
        assert found["pwned"] is None and found["images"] == 0 and found["links"] == 0, found
        assert found["bold"] == 0
        assert "<b>Results</b>" in found["radarText"] or width == 390  # phones number spokes
        assert "<b>Results</b><img src=x onerror=window.pwned=1>" in found["page"]
        assert NAME in found["page"]
        assert "&lt;b&gt;bold&lt;/b&gt; &lt;img" in found["html"]  # phones fold statements
    assert dialogs == []
