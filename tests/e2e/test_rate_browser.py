"""A rater answers in headless Chromium: 360 px phone, keyboard, autosave, axe-core (issue 4)."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.conftest import LiveServer
from tests.helpers_rate import build_world, counts, invitation_row, item_keys

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 740, "has_touch": True, "is_mobile": True}


def _no_sideways_scroll(page: Any) -> bool:
    return bool(page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth"))


def test_rater_answers_on_a_phone_with_the_keyboard(
    live_server: LiveServer,
    make_page: Callable[..., Any],
    axe: Callable[[Any], list[str]],
    artifacts_dir: Callable[[str], Path],
) -> None:
    app, url = live_server.app, live_server.url
    world = build_world(app, include_next_level=True)
    keys = item_keys(app, world.boss_invitation)
    shots = artifacts_dir("rate")
    page = make_page(**PHONE)

    page.goto(f"{url}/r/{world.boss_token}")
    assert axe(page) == []
    assert _no_sideways_scroll(page)
    page.screenshot(path=str(shots / "phone-1-requests.png"), full_page=True)
    page.get_by_role("link", name="Start feedback about Tom Lead").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Feedback for Tom Lead"

    page.get_by_role("button", name="Submit answers").click()  # nothing answered yet
    assert page.locator("#error-summary").is_visible()
    assert axe(page) == []
    page.screenshot(path=str(shots / "phone-2-nothing-answered.png"))

    # Keyboard only: Space selects, arrows move within a radio group, Tab goes to the next one.
    page.focus(f"#{keys[0]}-0")
    page.keyboard.press("Space")
    for _ in range(3):
        page.keyboard.press("ArrowDown")
    focus_outline = page.evaluate(
        "() => getComputedStyle(document.activeElement.closest('label')).outlineStyle"
    )
    page.keyboard.press("Tab")
    page.keyboard.press("Space")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Tab")
    page.keyboard.press("ArrowUp")  # wraps round to "Don't know / not observed"
    assert focus_outline == "solid"
    assert page.is_checked(f"#{keys[0]}-3") and page.is_checked(f"#{keys[1]}-1")
    assert page.is_checked(f"#{keys[2]}-5")
    page.locator(f"label[for='{keys[3]}-4']").tap()
    page.locator(f"label[for='{keys[-1]}-2']").tap()  # a readiness item
    page.focus("#comment-keep_doing")
    page.keyboard.type("Clear weekly plans, and she listens.")
    assert page.locator("[data-answered-total]").inner_text() == "5"

    page.locator("#save-status", has_text="Draft saved at").wait_for()
    assert re.fullmatch(  # the campaign's clock, as the "Save draft" banner says it
        r"Draft saved at \d\d:\d\d \(Europe/Paris time\)", page.inner_text("#save-status")
    )
    assert invitation_row(app, world.boss_invitation)["status"] == "opened"
    page.goto(page.url)  # come back with the link: the draft returns, comment included
    assert page.is_checked(f"#{keys[0]}-3") and page.is_checked(f"#{keys[-1]}-2")
    assert page.input_value("#comment-keep_doing") == "Clear weekly plans, and she listens."
    assert _no_sideways_scroll(page)
    buttons = page.locator(".submit-bar button").all()
    assert all(b.bounding_box()["height"] < 56 for b in buttons)  # no label wrapped in two
    assert axe(page) == []
    page.screenshot(path=str(shots / "phone-3-questionnaire.png"), full_page=True)

    page.focus("button[value=submit]")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/thanks$"))
    assert "Thank you" in page.inner_text("h1")
    assert axe(page) == []
    page.screenshot(path=str(shots / "phone-4-thanks.png"), full_page=True)
    assert counts(app) == {"responses": 1, "answers": 5, "comments": 1, "drafts": 0, "receipts": 1}


def test_rater_pages_on_a_desktop(
    live_server: LiveServer,
    page: Any,
    axe: Callable[[Any], list[str]],
    artifacts_dir: Callable[[str], Path],
) -> None:
    world = build_world(live_server.app, include_next_level=True)
    shots = artifacts_dir("rate")
    base = f"{live_server.url}/r/{world.boss_token}"
    page.goto(base)
    assert axe(page) == []
    page.screenshot(path=str(shots / "desktop-1-requests.png"), full_page=True)
    page.goto(f"{base}/{world.boss_invitation}")
    assert page.get_by_role("heading", name="Readiness for the next level").is_visible()
    assert axe(page) == []
    page.screenshot(path=str(shots / "desktop-2-questionnaire.png"), full_page=True)
    page.get_by_role("link", name="Decline this request").click()
    assert axe(page) == []
    page.get_by_label("Reason (optional — only HR sees this)").fill("I started last week")
    page.get_by_role("button", name="Decline this request").click()
    page.wait_for_url(re.compile(r"/thanks$"))
    assert page.get_by_role("heading", level=1).inner_text() == "Request declined"
    assert page.get_by_text("You declined to give feedback about Tom Lead.").is_visible()
    assert axe(page) == []
    page.screenshot(path=str(shots / "desktop-3-declined.png"), full_page=True)
    page.get_by_role("link", name="See your other requests").click()
    badges = page.locator(".request-state .badge")
    assert badges.all_inner_texts() == ["Declined", "Not started"]
    rights = [box["x"] + box["width"] for box in (b.bounding_box() for b in badges.all())]
    assert rights[0] == rights[1]  # states line up down the list, with or without a button
    page.goto(f"{live_server.url}/r/NotARealTokenNotARealToken")
    assert axe(page) == []
    page.screenshot(path=str(shots / "desktop-4-link-not-active.png"))


def test_autosave_works_under_the_content_security_policy(
    live_server: LiveServer, make_page: Callable[..., Any]
) -> None:
    world = build_world(live_server.app)
    first = item_keys(live_server.app, world.peer_invitation)[0]
    page = make_page(bypass_csp=False)
    console: list[str] = []
    page.on("console", lambda message: console.append(message.text))
    page.goto(f"{live_server.url}/r/{world.peer_token}/{world.peer_invitation}")
    page.locator(f"label[for='{first}-1']").click()
    page.locator("#save-status", has_text="Draft saved at").wait_for()
    assert not [line for line in console if "Content Security Policy" in line]
    assert counts(live_server.app)["drafts"] == 1


@pytest.mark.parametrize("width", [360, 390])
def test_a_phone_scale_reads_never_to_always_and_says_how_many_are_left(
    live_server: LiveServer, make_page: Callable[..., Any], width: int
) -> None:
    """Issue 15: one row of five left to right, "don't know" below; a line, not a block,
    says how many statements are unanswered before the final submit."""
    app, url = live_server.app, live_server.url
    world = build_world(app)
    keys = item_keys(app, world.boss_invitation)
    page = make_page(**{**PHONE, "width": width})
    page.goto(f"{url}/r/{world.boss_token}")
    page.get_by_role("link", name="Start feedback about Tom Lead").click()
    page.wait_for_selector("fieldset.item")  # the click only starts the navigation
    options = page.evaluate(
        """() => Array.from(document.querySelector('fieldset.item').querySelectorAll('.option'),
          o => { const r = o.getBoundingClientRect();
            return {text: o.querySelector('.option-text').textContent, left: r.left, top: r.top,
                    right: r.right, cut: o.scrollWidth > o.clientWidth + 1}; })"""
    )
    scale, dont_know = options[:5], options[5]
    assert [o["text"] for o in scale] == ["Never", "Rarely", "Sometimes", "Often", "Always"]
    assert len({round(o["top"]) for o in scale}) == 1  # one row
    assert [o["left"] for o in scale] == sorted(o["left"] for o in scale)  # Never → Always
    assert not any(o["cut"] for o in options) and scale[-1]["right"] <= width
    assert dont_know["top"] > scale[0]["top"]
    assert _no_sideways_scroll(page)

    line = page.locator("#unanswered")
    total = len(keys)
    assert line.inner_text() == f"{total} statements unanswered — submit anyway?"
    page.check(f"#{keys[0]}-0")
    page.check(f"#{keys[1]}-4")
    assert line.inner_text() == f"{total - 2} statements unanswered — submit anyway?"
    assert page.get_by_role("button", name="Submit answers").is_enabled()  # never blocks
