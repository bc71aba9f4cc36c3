"""Every role through one campaign in a real browser (issue: the main job end to end).

HR signs in, imports a small organisation, creates and launches a campaign; raters open their
e-mailed links and answer (one saves a draft and resumes); HR closes and releases; the manager
opens their sign-in link and sees the radar chart and table; another manager cannot open it.
"""

from __future__ import annotations

import email
import re
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from flask import Flask

from survey.extensions import db
from tests.e2e.conftest import LiveServer
from tests.factories import make_hr_user

ORG = """email,name,level,manager_email,team
bo.boss@example.test,Bo Boss,business_leader,,Leadership
tina.lead@example.test,Tina Lead,team_leader,bo.boss@example.test,Platform
tom.lead@example.test,Tom Lead,team_leader,bo.boss@example.test,Mobile
tia.lead@example.test,Tia Lead,team_leader,bo.boss@example.test,Data
ida.one@example.test,Ida One,individual_contributor,tina.lead@example.test,Platform
ian.two@example.test,Ian Two,individual_contributor,tina.lead@example.test,Platform
ivy.three@example.test,Ivy Three,individual_contributor,tina.lead@example.test,Platform
max.four@example.test,Max Four,individual_contributor,tom.lead@example.test,Mobile
"""
HR_PASSWORD = "correct horse battery"
TINA = "Tina Lead"


def _messages(outbox: Path) -> list[email.message.Message]:
    return [email.message_from_bytes(p.read_bytes()) for p in sorted(outbox.glob("*.eml"))]


def _text(message: email.message.Message) -> str:
    for part in message.walk():
        if part.get_content_type() == "text/plain":
            return str(part.get_payload(decode=True).decode())
    return ""


def _link(outbox: Path, to: str, pattern: str, server: LiveServer) -> str:
    """The latest link matching `pattern` e-mailed to `to`, pointed at the live server."""
    found = ""
    for message in _messages(outbox):
        if to in str(message["To"]):
            match = re.search(r"https?://[^/\s]+(" + pattern + r")", _text(message))
            found = match.group(1) if match else found
    assert found, f"no {pattern} e-mail to {to}"
    return server.url + found


def _answer_all(page: Any, value: str, leave: int = 0) -> int:
    """Choose `value` on every statement but the last `leave`; returns how many were chosen."""
    names: list[str] = page.evaluate(
        "() => [...new Set([...document.querySelectorAll('input[type=radio]')].map(i => i.name))]"
    )
    chosen = names[: len(names) - leave]
    for name in chosen:
        page.locator(f'input[name="{name}"][value="{value}"]').check()
    return len(chosen)


def _answer_request(page: Any, url: str, subject: str, value: str) -> None:
    """Open a rater link, go to the request about `subject`, answer everything, submit."""
    page.goto(url)
    page.get_by_role("link", name=re.compile(subject)).first.click()
    _answer_all(page, value)
    page.get_by_label(re.compile("keep doing", re.I)).first.fill(f"Keep it up ({value}).")
    page.get_by_role("button", name="Submit answers").click()
    page.wait_for_url(re.compile(r"/thanks$"))


def test_hr_raters_and_managers_walk_through_a_campaign(
    app: Flask,
    live_server: LiveServer,
    make_page: Callable[..., Any],
    outbox: Path,
    artifacts_dir: Callable[[str], Path],
    tmp_path: Path,
) -> None:
    shots = artifacts_dir("journey")
    with app.app_context():
        make_hr_user("hr@example.test", HR_PASSWORD)
        db.session.commit()

    # (a) HR signs in, imports the organisation, creates and launches a campaign
    hr = make_page()
    hr.goto(live_server.url + "/sign-in")
    hr.get_by_label("E-mail").fill("hr@example.test")
    hr.get_by_label("Password").fill(HR_PASSWORD)
    hr.get_by_role("button", name="Sign in").click()
    hr.goto(live_server.url + "/admin/people")
    org_file = tmp_path / "org.csv"
    org_file.write_text(ORG, encoding="utf-8")
    hr.locator("input[type=file]").set_input_files(str(org_file))
    hr.get_by_role("button", name="Import").click()
    assert "8 created" in hr.content()
    hr.goto(live_server.url + "/admin/campaigns/new")
    hr.get_by_label("Name").fill("Browser 360")
    hr.get_by_label("Deadline", exact=True).fill((date.today() + timedelta(days=10)).isoformat())
    hr.get_by_label("Minimum group size (k)").fill("2")
    hr.get_by_label("Review these people").fill("tina.lead@example.test, tom.lead@example.test")
    hr.get_by_role("button", name="Create draft campaign").click()
    hr.get_by_role("link", name="Launch").first.click()
    hr.get_by_role("button", name=re.compile("Yes, launch")).click()
    hr.screenshot(path=str(shots / "a-dashboard-launched.png"), full_page=True)
    assert "open" in hr.content().lower()

    # (b) raters answer from their e-mailed links; Ida saves a draft and resumes later
    rater = make_page(width=390, height=844)
    for address, value in [
        ("tina.lead@example.test", "5"),
        ("bo.boss@example.test", "3"),
        ("tom.lead@example.test", "4"),
        ("tia.lead@example.test", "4"),
        ("ian.two@example.test", "3"),
        ("ivy.three@example.test", "4"),
    ]:
        _answer_request(rater, _link(outbox, address, r"/r/[\w-]+", live_server), TINA, value)
    ida_link = _link(outbox, "ida.one@example.test", r"/r/[\w-]+", live_server)
    rater.goto(ida_link)
    rater.get_by_role("link", name=re.compile(TINA)).first.click()
    answered = _answer_all(rater, "2", leave=3)
    rater.get_by_role("button", name="Save draft").click()
    rater.get_by_text(re.compile("Draft saved at")).first.wait_for()  # the saved page is back
    rater.screenshot(path=str(shots / "b-draft-saved.png"), full_page=False)
    resumed = make_page(width=390, height=844)  # later, another browser session
    resumed.goto(ida_link)
    assert "draft" in resumed.content().lower()
    resumed.get_by_role("link", name=re.compile(TINA)).first.click()
    assert resumed.locator("input[type=radio]:checked").count() == answered
    _answer_all(resumed, "2")
    resumed.get_by_role("button", name="Submit answers").click()
    resumed.wait_for_url(re.compile(r"/thanks$"))

    # (c) HR closes and releases
    for action in ("close", "release"):
        hr.goto(hr.url.split("/admin/")[0] + hr.url[hr.url.index("/admin/"):].split("?")[0])
        hr.get_by_role("link", name=re.compile(action, re.I)).first.click()
        hr.get_by_role("button", name=re.compile(f"Yes, {action}")).click()
    assert "released" in hr.content().lower()

    # (d) Tina opens her sign-in link and sees her radar chart and table
    tina = make_page(bypass_csp=False)
    tina.goto(_link(outbox, "tina.lead@example.test", r"/link/[\w-]+", live_server))
    tina.get_by_role("button", name=re.compile("Sign in|Continue|Open", re.I)).first.click()
    tina.get_by_role("link", name="Browser 360").click()
    tina.wait_for_selector("html[data-print-ready]")  # report.js has drawn every chart
    legend = set(
        tina.evaluate(
            "() => [...document.querySelectorAll('[data-figure=radar] .legendtext')]"
            ".map(e => e.textContent)"
        )
    )
    assert {"Self", "Manager (identifiable)", "Peers", "Direct reports"} <= legend, legend
    assert tina.locator("table").first.is_visible()
    report_url = tina.url
    tina.screenshot(path=str(shots / "d-manager-report.png"), full_page=True)

    # (e) Tom, the other manager, cannot open Tina's report
    tom = make_page()
    tom.goto(_link(outbox, "tom.lead@example.test", r"/link/[\w-]+", live_server))
    tom.get_by_role("button", name=re.compile("Sign in|Continue|Open", re.I)).first.click()
    denied = tom.goto(report_url)
    assert denied is not None and denied.status == 404
    assert TINA not in tom.content()
    tom.screenshot(path=str(shots / "e-other-manager-denied.png"))
