"""HR pages on a 360 px phone: nothing scrolls sideways, key columns stay in view (issue 5)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask

from survey.extensions import db
from survey.models import Campaign
from tests.e2e.conftest import LiveServer
from tests.factories import make_hr_user
from tests.helpers_campaigns import PASSWORD, make_draft, make_org

IN_VIEW = """label => [...document.querySelectorAll(`td[data-label="${label}"]`)].map(td => {
  const r = td.getBoundingClientRect();
  return r.width > 0 && r.left >= 0 && r.right <= window.innerWidth;
})"""


@pytest.fixture
def phone(app: Flask, live_server: LiveServer, make_page: Callable[..., Any]) -> Any:
    """HR signed in on a 360 × 740 page; `phone.ids` = (draft id, a draft subject id)."""
    with app.app_context():
        make_hr_user()
        make_org()
        draft = make_draft()
        subject_id = db.session.get(Campaign, draft).subjects[0].id
        db.session.commit()
    page = make_page(width=360, height=740)
    page.goto(live_server.url + "/sign-in")
    page.get_by_label("E-mail").fill("hr@example.test")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.ids = (draft, subject_id)
    page.base = live_server.url
    return page


def open_page(page: Any, path: str) -> None:
    page.goto(page.base + path)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360, path
    tops = page.evaluate("[...document.querySelectorAll('.nav li')].map(li => li.offsetTop)")
    assert len(set(tops)) == 1, "the nav wraps onto a second line"


def test_hr_pages_fit_a_phone_and_show_key_columns(phone: Any) -> None:
    draft, subject = phone.ids
    open_page(phone, "/admin/campaigns")
    rates = phone.evaluate(IN_VIEW, "Response rate")
    assert rates and all(rates)
    assert "not launched yet" in phone.inner_text("table.campaigns")
    open_page(phone, f"/admin/campaigns/{draft}/subjects/{subject}")  # has the Remove column
    status = phone.evaluate(IN_VIEW, "Status")
    assert status and all(status)
    open_page(phone, "/admin/people")
    for label in ("Level", "Manager", "Team"):
        shown = phone.evaluate(IN_VIEW, label)
        assert shown and all(shown), label
    open_page(phone, f"/admin/campaigns/{draft}")
