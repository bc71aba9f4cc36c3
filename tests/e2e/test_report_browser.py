"""A report in a real browser: charts refit when the window changes and print whole (SPEC §8).

HR reads a closed team leader's report (self, manager, 3 peers, 4 direct reports, k = 3).
"""

from __future__ import annotations

import base64
import re
import urllib.parse
from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask

from survey.extensions import db
from survey.models import CampaignStatus
from tests.e2e.conftest import LiveServer, serious_violations
from tests.factories import make_campaign, make_hr_user
from tests.helpers_reports import (
    HR_EMAIL,
    HR_PASSWORD,
    open_report_as_hr,
    report_url,
    team_leader_scenario,
)

BOXES = """() => [...document.querySelectorAll('[data-figure]')].map(el => {
  const svg = el.querySelector('.main-svg');
  let next = el.nextElementSibling;
  while (next && next.matches('img.chart-print')) { next = next.nextElementSibling; }
  next = next || el.parentElement.nextElementSibling;
  return {
    name: el.dataset.figure, boxWidth: el.clientWidth, boxHeight: el.clientHeight,
    svgWidth: +svg.getAttribute('width'), svgHeight: +svg.getAttribute('height'),
    bottom: el.getBoundingClientRect().bottom,
    nextTop: next ? next.getBoundingClientRect().top : Infinity,
  };
})"""


@pytest.fixture
def report_page(
    app: Flask, live_server: LiveServer, make_page: Callable[..., Any]
) -> Callable[..., Any]:
    """`report_page(width)` → a page where HR has the team leader's report open."""
    with app.app_context():
        campaign = make_campaign(name="Print 360", status=CampaignStatus.CLOSED, min_raters=3)
        url = report_url(team_leader_scenario(campaign, "tl@example.test", peers=3, reports=4))
        make_hr_user(HR_EMAIL, HR_PASSWORD)
        db.session.commit()

    def open_report(width: int = 1280) -> Any:
        page = make_page(width=width, height=900)
        open_report_as_hr(page, live_server.url, url)
        return page

    return open_report


def assert_charts_fit(page: Any, width: int) -> None:
    boxes = page.evaluate(BOXES)
    assert {b["name"] for b in boxes} == {"radar", "gaps"}
    for box in boxes:
        assert box["svgWidth"] <= box["boxWidth"] <= width, box
        assert box["svgHeight"] <= box["boxHeight"], box  # never spills out of its box
        assert box["bottom"] <= box["nextTop"] + 1, box  # never covers what follows
    assert page.evaluate("document.documentElement.scrollWidth") <= width


def resize(page: Any, width: int) -> None:
    page.set_viewport_size({"width": width, "height": 900})
    page.wait_for_function(
        "w => [...document.querySelectorAll('[data-figure] .main-svg')]"
        ".every(s => +s.getAttribute('width') <= w)",
        arg=width,
    )
    page.wait_for_timeout(300)  # the debounced refit


def test_charts_refit_when_the_window_narrows_and_widens(report_page) -> None:
    page = report_page(1280)
    assert_charts_fit(page, 1280)
    resize(page, 360)
    assert_charts_fit(page, 360)
    radar = page.evaluate(BOXES)[0]
    assert radar["boxHeight"] < 640  # the phone form, not the 640 px desktop radar
    resize(page, 1280)
    assert_charts_fit(page, 1280)
    assert page.evaluate(BOXES)[0]["boxHeight"] == 640


DISC = """() => Math.round(document.querySelector('[data-figure="radar"] .polarsublayer.plotbg')
  .getBoundingClientRect().width)"""

# Every part of the score tables, and whether it is cut at the window's edges or sits in a box
# that scrolls sideways (a phone would hide it behind an unhinted scroll).
TABLE_PARTS = """() => {
  document.querySelectorAll('details').forEach(d => { d.open = true; });
  const out = [];
  const scrolls = el => { for (let a = el.parentElement; a; a = a.parentElement) {
      const x = getComputedStyle(a).overflowX;
      if ((x === 'auto' || x === 'scroll' || x === 'hidden') && a.scrollWidth > a.clientWidth + 1)
        return a.tagName + '.' + a.className; }
    return null; };
  document.querySelectorAll('table.scores caption, table.scores tbody th, table.scores td')
    .forEach(el => { const r = el.getBoundingClientRect();
      if (r.width <= 1) return;  // a phone's caption, kept for screen readers only
      out.push({text: el.textContent.trim().slice(0, 40), left: r.left, right: r.right,
                width: el.scrollWidth, box: el.clientWidth, scroller: scrolls(el)}); });
  return {parts: out, inner: window.innerWidth,
          scrollWidth: document.documentElement.scrollWidth};
}"""


@pytest.mark.parametrize(("width", "disc"), [(1280, 420), (390, 260)])
def test_radar_disc_is_large_and_no_table_scrolls_sideways(
    report_page, width: int, disc: int
) -> None:
    page = report_page(width)
    assert page.evaluate(DISC) >= disc  # the polar area itself, not its figure
    found = page.evaluate(TABLE_PARTS)
    assert found["scrollWidth"] <= width
    assert len(found["parts"]) > 100  # area table and every statement's cells
    for part in found["parts"]:
        assert part["scroller"] is None, part
        assert 0 <= part["left"] and part["right"] <= found["inner"], part
        assert part["width"] <= part["box"] + 1, part  # nothing cut inside the cell


def test_self_and_all_others_are_drawn_at_first_other_groups_one_click_away(
    report_page,
) -> None:
    page = report_page(1280)
    drawn = """() => document.querySelector('[data-figure="radar"]').data
      .filter(t => t.mode === 'lines+markers' && t.visible === true).map(t => t.name)"""
    assert page.evaluate(drawn) == ["Self", "All others (everyone but self)"]
    entry = page.locator(
        '[data-figure="radar"] g.traces', has=page.locator(".legendtext", has_text="Peers")
    )
    entry.locator(".legendtoggle").click()
    page.wait_for_function(f"() => ({drawn})().includes('Peers')")  # after Plotly's 300 ms


@pytest.mark.parametrize("width", [1280, 390])
def test_report_page_has_no_serious_accessibility_violation(report_page, width: int) -> None:
    page = report_page(width)
    assert serious_violations(page) == []


def test_a_phone_radar_shows_whole_spoke_labels(report_page) -> None:
    page = report_page(360)
    assert_charts_fit(page, 360)
    labels = page.evaluate(
        """() => [...document.querySelectorAll('[data-figure="radar"] .angularaxistick text')]
        .map(t => { const r = t.getBoundingClientRect(),
                        box = t.closest('[data-figure]').getBoundingClientRect();
                    return {text: t.textContent, left: r.left - box.left,
                            right: box.right - r.right}; })"""
    )
    assert len(labels) == 10
    for label in labels:
        assert label["left"] >= 0 and label["right"] >= 0, label  # not cut at the edge


def print_images(page: Any) -> dict[str, str]:
    """The SVG text of each chart's print image, by figure name."""
    found: dict[str, str] = page.evaluate(
        """() => Object.fromEntries([...document.querySelectorAll('img.chart-print')]
        .map(img => [img.previousElementSibling.dataset.figure, img.src]))"""
    )
    return {name: _svg(url) for name, url in found.items()}


def _svg(url: str) -> str:
    head, _, data = url.partition(",")
    return base64.b64decode(data).decode() if ";base64" in head else urllib.parse.unquote(data)


@pytest.mark.parametrize("width", [1280, 360])
def test_printed_charts_keep_their_whole_scale_and_overlap_nothing(report_page, width: int) -> None:
    page = report_page(width)
    svgs = print_images(page)
    assert set(svgs) == {"radar", "gaps"}
    ticks = re.findall(r'class="xtick">.*?>([0-9.]+)</text>', svgs["gaps"])
    assert ticks == ["1", "2", "3", "4", "5"]  # from 1 to 5, whatever the window (SPEC §10)
    page.emulate_media(media="print")
    page.set_viewport_size({"width": 700, "height": 1000})  # about A4's printable width
    shown = page.evaluate(
        """() => [...document.querySelectorAll('img.chart-print')].map(img => {
          const r = img.getBoundingClientRect();
          const next = img.nextElementSibling || img.parentElement.nextElementSibling;
          return {width: r.width, natural: img.naturalWidth, bottom: r.bottom,
                  nextTop: next ? next.getBoundingClientRect().top : Infinity,
                  live: getComputedStyle(img.previousElementSibling).display};
        })"""
    )
    for img in shown:
        assert img["live"] == "none"  # the live chart gives way to its fixed-size image
        assert 0 < img["width"] <= 700 and img["natural"] > 0
        assert img["bottom"] <= img["nextTop"] + 1, img
    assert page.pdf(format="A4")[:4] == b"%PDF"


def test_a_team_leaders_report_prints_on_at_most_five_a4_pages(report_page) -> None:
    """10 areas, 28 statements, self, manager, peers, direct reports and all others."""
    page = report_page(1280)
    page.emulate_media(media="print")
    pdf = page.pdf(format="A4")
    pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
    assert 1 < pages <= 5, pages
    # a heading never ends a page with what it heads on the next (comments' "Self" did)
    loose = page.evaluate(
        """() => [...document.querySelectorAll('main h2, main h3, main h4')]
          .filter(h => getComputedStyle(h).breakAfter !== 'avoid').map(h => h.textContent)"""
    )
    assert loose == []
