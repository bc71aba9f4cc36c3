"""The loop closed in a real browser (SPEC §12): a released report → the subject writes a
plan → HR launches a pulse → three raters answer → HR closes it → the subject reads the pooled
results on the plan page. Screenshots at 1280 and 390 px go to test-artifacts/plans/."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from flask import Flask

from survey.extensions import db
from survey.models import Person, utcnow
from survey.services import accounts
from tests.e2e.conftest import LiveServer
from tests.factories import make_hr_user, make_subject_user
from tests.helpers_plans import pulse_links, released_team
from tests.helpers_reports import HR_EMAIL, HR_PASSWORD

PHONE = 390


def shoot(page: Any, folder: Path, name: str) -> None:
    """A full-page screenshot at the page's width and at 390 px; no sideways scroll on a phone."""
    page.screenshot(path=str(folder / f"{name}-1280.png"), full_page=True)
    page.set_viewport_size({"width": PHONE, "height": 800})
    page.wait_for_timeout(150)
    page.screenshot(path=str(folder / f"{name}-390.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE, name
    page.set_viewport_size({"width": 1280, "height": 900})


def test_release_plan_pulse_answers_close_and_results(
    app: Flask,
    live_server: LiveServer,
    make_page: Callable[..., Any],
    artifacts_dir: Callable[[str], Path],
    axe: Callable[[Any], list[str]],
) -> None:
    folder = artifacts_dir("plans")
    with app.app_context():
        team = released_team()
        make_hr_user(HR_EMAIL, HR_PASSWORD)
        alice = db.session.scalars(db.select(Person).filter_by(email="alice@example.test")).one()
        token = accounts.issue_link_token(make_subject_user(alice), accounts.SIGN_IN, utcnow())
        db.session.commit()
    base = live_server.url

    # the subject signs in from her e-mail, opens her report and writes a plan
    subject = make_page()
    subject.goto(f"{base}/link/{token}")
    subject.get_by_role("button").filter(has_text="Sign in").click()
    subject.goto(f"{base}/reports/{team.campaign_id}/{team.alice}")
    subject.get_by_role("link", name="Development plan").click()
    subject.get_by_label("The whole area: Results").check()
    subject.locator('input[value="item:ic_deepens_expertise"]').check()
    subject.get_by_label("Actions").fill(
        "Experience: lead the weekly demo.\nPeople: ask Bob for feedback.\nCourses: one a term."
    )
    subject.get_by_label("Target date").fill("2099-06-30")
    subject.get_by_role("button", name="Save plan").click()
    subject.get_by_text("Your development plan is saved.").wait_for()
    assert "now 3.25" in subject.locator(".focus-list").first.inner_text()
    assert axe(subject) == []
    shoot(subject, folder, "plan-written")

    # HR sees one plan (never its text) and launches the pulse
    hr = make_page()
    hr.goto(f"{base}/sign-in")
    hr.get_by_label("E-mail").fill(HR_EMAIL)
    hr.get_by_label("Password").fill(HR_PASSWORD)
    hr.get_by_role("button", name="Sign in").click()
    hr.goto(f"{base}/admin/campaigns/{team.campaign_id}/pulses")
    assert "1 of 2 subjects has written" in hr.locator("main").inner_text()
    assert "lead the weekly demo" not in hr.content()
    hr.get_by_label("Deadline").fill("2099-01-31")
    hr.get_by_role("button", name="Launch the progress pulse").click()
    hr.get_by_text("Progress pulse launched for 1 subject; 4 raters e-mailed.").wait_for()
    shoot(hr, folder, "hr-pulse-open")

    # three peers answer from their e-mailed links
    links = pulse_links(Path(app.config["MAIL_OUTBOX"]))
    for number, (results, expertise) in enumerate((("2", "1"), ("1", "na"), ("0", "1")), 1):
        rater = make_page()
        rater.goto(base + links[f"peer{number}@example.test"])
        rater.get_by_role("link", name="Start about Alice Example").click()
        rater.locator(f'input[name="area:results"][value="{results}"]').check()
        rater.locator(f'input[name="item:ic_deepens_expertise"][value="{expertise}"]').check()
        rater.get_by_label("Anything you would like to add? (optional)").fill(f"Note {number}")
        if number == 1:
            assert axe(rater) == []
            shoot(rater, folder, "rater-form")
        rater.get_by_role("button", name="Submit").click()
        rater.get_by_role("heading", name="Thank you").wait_for()
        rater.close()

    # HR closes the pulse and sees the pooled result
    hr.reload()
    hr.get_by_role("button", name="Close pulse").click()
    hr.get_by_text("Pulse closed").wait_for()
    assert "+1.00" in hr.locator("main").inner_text()
    shoot(hr, folder, "hr-pulse-closed")

    # the subject reads the results on her plan page
    subject.reload()
    results = subject.locator(".pulse-results").inner_text()
    assert "3 people answered" in results and "+1.00" in results and "n=3" in results
    assert "not shown: fewer than 3 answers" in results  # expertise: 2 numeric answers
    assert "Note 1" in results
    assert axe(subject) == []
    shoot(subject, folder, "plan-results")
