"""Nomination in Chromium: the subject chooses on a 390 px phone, the manager approves on a
desktop; screenshots in test-artifacts/nomination/ (SPEC §13, issue 18)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from flask import Flask

from survey.extensions import db
from survey.mail import send_mails
from survey.models import Campaign
from survey.services.nominations import start_nominations
from tests.e2e.conftest import LiveServer
from tests.factories import NOW, make_hr_user
from tests.helpers_campaigns import PASSWORD
from tests.helpers_nomination import (
    links_to,
    make_nomination_campaign,
    make_nomination_org,
    raters_by_group,
)


def test_subject_nominates_on_a_phone_and_manager_approves_on_a_desktop(
    app: Flask,
    live_server: LiveServer,
    make_page: Callable[..., Any],
    outbox: Path,
    artifacts_dir: Callable[[str], Path],
    axe: Callable[[Any], list[str]],
) -> None:
    shots = artifacts_dir("nomination")
    with app.app_context():
        make_hr_user()
        make_nomination_org()
        campaign_id = make_nomination_campaign(("tl1@acme.test", "tl2@acme.test"))
        campaign = db.session.get(Campaign, campaign_id)
        assert campaign is not None
        result = start_nominations(campaign, NOW)
        db.session.commit()
        send_mails(result.mails)
    [subject_link] = links_to(outbox, "tl1@acme.test")

    phone = make_page(width=390, height=844, is_mobile=True, has_touch=True)
    phone.goto(live_server.url + subject_link)
    assert phone.get_by_role("heading", name="Choose who gives you feedback").is_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    phone.screenshot(path=str(shots / "1-subject-phone-open.png"), full_page=True)
    assert axe(phone) == []

    phone.get_by_label("Tom Lead").check()
    phone.get_by_label("Tara Lead").check()
    assert phone.locator("[data-count-value]").inner_text() == "2"
    phone.get_by_label("Find a colleague by name or team").fill("sales")
    phone.get_by_role("button", name="Search").click()
    assert phone.get_by_role("group", name="Results for “sales”").is_visible()
    phone.get_by_label("Sana Aalto").check()
    assert phone.locator("[data-count-value]").inner_text() == "3"
    assert phone.get_by_label("Tom Lead").is_checked()  # kept across the search
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    phone.screenshot(path=str(shots / "2-subject-phone-chosen.png"), full_page=True)
    assert axe(phone) == []

    phone.get_by_role("button", name="Send to Carla Ceo").click()
    assert phone.get_by_text("Your list is with Carla Ceo for approval").is_visible()
    phone.screenshot(path=str(shots / "3-subject-phone-sent.png"), full_page=True)

    [manager_link] = links_to(outbox, "ceo@acme.test")
    desktop = make_page(width=1280, height=900)
    desktop.goto(live_server.url + manager_link)
    assert desktop.get_by_role("heading", name="Review Tina Lead's raters").is_visible()
    for name in ("Tom Lead", "Tara Lead", "Sana Aalto"):
        assert desktop.get_by_label(name).is_checked()
    desktop.screenshot(path=str(shots / "4-manager-desktop-review.png"), full_page=True)
    assert axe(desktop) == []
    desktop.get_by_role("button", name="Approve this list").click()
    assert desktop.get_by_role("heading", name="List approved").is_visible()
    desktop.screenshot(path=str(shots / "5-manager-desktop-approved.png"), full_page=True)

    peers = raters_by_group(app, campaign_id, "tl1@acme.test")["peers"]
    assert peers == {"tl2@acme.test", "tl3@acme.test", "sa1@acme.test"}

    hr = make_page(width=1280, height=900)
    hr.goto(live_server.url + "/sign-in")
    hr.get_by_label("E-mail").fill("hr@example.test")
    hr.get_by_label("Password").fill(PASSWORD)
    hr.get_by_role("button", name="Sign in").click()
    hr.goto(f"{live_server.url}/admin/campaigns/{campaign_id}")
    section = hr.locator("section.nomination")
    assert "Approved (1): Tina Lead" in section.inner_text()
    assert "Not started (1): Tom Lead" in section.inner_text()
    assert (
        "1 subject without an approved list keeps their default raters: Tom Lead (not started)"
        in hr.locator("section.warnings").first.inner_text()
    )
    hr.screenshot(path=str(shots / "6-hr-dashboard.png"), full_page=True)
    assert axe(hr) == []
