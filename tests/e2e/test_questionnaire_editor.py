"""HR generates a questionnaire from a levels document and refines it in a real browser (issue
21): upload, edit one item's wording, preview as a peer, save, launch a campaign on the set; the
rater sees the edited wording; an edit after launch leaves the launched campaign as it was.
Screenshots (desktop and a 390 px phone) go to test-artifacts/questionnaires/."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from tests.e2e.conftest import LiveServer
from tests.factories import make_hr_user
from tests.helpers_campaigns import PASSWORD, link_token, make_org, read_outbox

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "leadership-levels.txt"
ITEM = "tl_delegates_work_avoids_becoming"
EDITED = "{name} hands whole tasks to the team and never becomes a bottleneck."
AFTER_LAUNCH = "{name} delegates everything, always."
PHONE = 390


@pytest.fixture
def hr_page(app: Flask, live_server: LiveServer, make_page: Callable[..., Any]) -> Any:
    """HR signed in on a desktop page; `hr_page.base` is the server's URL."""
    with app.app_context():
        make_hr_user()
        make_org()
    page = make_page()
    page.base = live_server.url
    sign_in(page)
    return page


def sign_in(page: Any) -> None:
    page.goto(page.base + "/sign-in")
    page.get_by_label("E-mail").fill("hr@example.test")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def fits(page: Any, width: int = PHONE) -> None:
    """Nothing on the page scrolls sideways at this width (once the page has loaded)."""
    page.wait_for_load_state("load")
    assert page.evaluate("document.documentElement.scrollWidth") <= width, page.url


def edit_other_wording(page: Any, set_url: str, text: str) -> None:
    page.goto(set_url)
    page.get_by_role("link", name=f"Edit {ITEM}").click()
    page.get_by_label("Others' wording").fill(text)
    page.get_by_role("button", name="Save to the draft").click()
    assert "Item saved to the draft." in page.inner_text(".flashes")


def rater_sees(make_page: Callable[..., Any], base: str, outbox: Path) -> Any:
    """Tom Lead, Tina's peer, opens his e-mailed link on a phone and her questionnaire."""
    mail = next(m for m in read_outbox(outbox) if "tl2@acme.test" in str(m["To"]))
    phone = make_page(width=PHONE, height=844, is_mobile=True, has_touch=True)
    phone.goto(f"{base}/r/{link_token(mail)}")
    phone.get_by_role("link", name=re.compile("Tina Lead")).click()
    phone.wait_for_selector(f'fieldset#item-{ITEM}')
    return phone


def test_hr_generates_edits_previews_saves_and_launches_on_a_set(
    hr_page: Any,
    make_page: Callable[..., Any],
    artifacts_dir: Callable[[str], Path],
    outbox: Path,
    axe: Callable[[Any], list[str]],
) -> None:
    shots = artifacts_dir("questionnaires")
    page = hr_page
    page.get_by_role("link", name="Campaigns").click()
    page.get_by_role("link", name="Questionnaires").click()
    page.get_by_label("Name of the set").fill("Acme levels")
    page.get_by_label("Levels document (.txt or .md)").set_input_files(str(EXAMPLE))
    page.get_by_role("button", name="Generate a draft").click()
    assert "Draft “Acme levels” generated" in page.inner_text(".flashes")
    assert "passes survey questionnaire check" in page.inner_text("main")
    set_url = page.url.split("#")[0]
    page.screenshot(path=str(shots / "1-draft-desktop.png"), full_page=False)
    assert axe(page) == []

    edit_other_wording(page, set_url, EDITED)
    page.locator(f"#item-{ITEM}").scroll_into_view_if_needed()
    page.screenshot(path=str(shots / "2-edited-item-desktop.png"))

    page.goto(set_url)
    page.get_by_role("link", name="Preview").click()
    page.get_by_label("Subject's level").select_option("team_leader")
    page.get_by_label("Rater").select_option("peers")
    page.get_by_role("button", name="Show").click()
    statement = page.locator(f"#item-{ITEM} legend")
    assert statement.inner_text() == EDITED.replace("{name}", "Alex Example")
    assert "Nothing here is saved or sent" in page.inner_text(".preview-banner")
    page.screenshot(path=str(shots / "3-preview-peer-desktop.png"))
    assert axe(page) == []
    page.locator(f"#item-{ITEM}").scroll_into_view_if_needed()
    page.screenshot(path=str(shots / "3b-preview-edited-item-desktop.png"))

    page.goto(set_url)
    page.get_by_role("button", name="Save as version 1").click()
    assert "Saved as version 1." in page.inner_text(".flashes")

    page.goto(page.base + "/admin/campaigns/new")
    page.get_by_label("Name").fill("Autumn 360 on Acme levels")
    page.get_by_label("Deadline", exact=True).fill("2099-10-31")
    page.get_by_label("Questionnaire").select_option(label="Acme levels (version 1)")
    page.get_by_label("Review these people").fill("tl1@acme.test")
    page.get_by_role("button", name="Create draft campaign").click()
    assert "Questionnaire: Acme levels (latest version)" in page.inner_text("main")
    page.get_by_role("link", name="Launch campaign").click()
    page.get_by_role("button", name="Yes, launch").click()
    assert "Campaign launched" in page.inner_text(".flashes")
    assert "Questionnaire: Acme levels, version 1" in page.inner_text("main")
    page.screenshot(path=str(shots / "4-campaign-launched-desktop.png"))

    rater = rater_sees(make_page, page.base, outbox)
    seen = EDITED.replace("{name}", "Tina Lead")
    assert rater.locator(f"#item-{ITEM} legend").inner_text() == seen
    fits(rater)
    rater.locator(f"#item-{ITEM}").scroll_into_view_if_needed()
    rater.screenshot(path=str(shots / "5-rater-sees-edit-phone.png"))

    edit_other_wording(page, set_url, AFTER_LAUNCH)
    page.get_by_role("button", name="Save as version 2").click()
    assert "Saved as version 2." in page.inner_text(".flashes")
    rater.reload()
    assert rater.locator(f"#item-{ITEM} legend").inner_text() == seen
    assert "delegates everything" not in rater.inner_text("main")
    page.goto(page.base + "/admin/questionnaires/")
    assert "version 2" in page.inner_text("table.sets")
    page.screenshot(path=str(shots / "0-sets-desktop.png"))


def test_editor_pages_on_a_390px_phone_and_a_bad_document(
    hr_page: Any, make_page: Callable[..., Any], artifacts_dir: Callable[[str], Path]
) -> None:
    shots = artifacts_dir("questionnaires")
    phone = make_page(width=PHONE, height=844, is_mobile=True, has_touch=True)
    phone.base = hr_page.base
    sign_in(phone)
    phone.goto(phone.base + "/admin/questionnaires/")
    fits(phone)
    phone.get_by_label("…or paste it here").fill(
        "Our leadership notes\n\n- listen more\n- decide faster\n"
    )
    phone.get_by_role("button", name="Generate a draft").click()
    problems = phone.inner_text("#document-problems")
    assert "Line 3: the bullet “listen more” is under no heading that names a level" in problems
    fits(phone)
    phone.locator("#document-problems").scroll_into_view_if_needed()
    phone.screenshot(path=str(shots / "6-bad-document-phone.png"))

    phone.get_by_label("Name of the set").fill("Acme levels")
    phone.get_by_label("…or paste it here").fill(EXAMPLE.read_text(encoding="utf-8"))
    phone.get_by_role("button", name="Generate a draft").click()
    phone.locator("#level-team_leader").wait_for()  # the draft's page, not the form's
    fits(phone)
    phone.locator("#level-team_leader").scroll_into_view_if_needed()
    phone.screenshot(path=str(shots / "7-draft-phone.png"))
    phone.get_by_role("link", name=f"Edit {ITEM}").click()
    phone.get_by_label("Others' wording").wait_for()
    fits(phone)
    phone.screenshot(path=str(shots / "8-item-phone.png"), full_page=True)
    phone.goto(phone.url.split("/items/")[0] + "/preview?level=team_leader&group=peers")
    fits(phone)
    phone.screenshot(path=str(shots / "9-preview-phone.png"))
