"""Screenshots of a report with all four groups and of one with suppressed groups (issue 5).

Written to test-artifacts/reports/. Each test also asserts what the reader must see: which
groups are drawn as traces and which are explained as merged.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from survey.extensions import db
from survey.models import CampaignStatus
from tests.e2e.conftest import LiveServer
from tests.factories import make_campaign, make_hr_user
from tests.helpers_reports import (
    HR_EMAIL,
    HR_PASSWORD,
    open_report_as_hr,
    report_url,
    team_leader_scenario,
)

LEGEND = (
    "() => [...document.querySelectorAll('[data-figure=radar] .legendtext')]"
    ".map(e => e.textContent)"
)


@pytest.mark.parametrize(
    ("name", "peers", "reports", "drawn", "absent"),
    [
        ("all-four-groups", 3, 4, {"Self", "Manager (identifiable)", "Peers", "Direct reports"},
         set()),
        # 2 peers < k = 3: combined with the 3 direct reports into "Others"; neither alone
        ("suppressed-groups", 2, 3, {"Self", "Manager (identifiable)"},
         {"Peers", "Direct reports"}),
    ],
)
def test_report_screenshot(
    app: Flask,
    live_server: LiveServer,
    make_page: Callable[..., Any],
    artifacts_dir: Callable[[str], Path],
    name: str,
    peers: int,
    reports: int,
    drawn: set[str],
    absent: set[str],
) -> None:
    with app.app_context():
        campaign = make_campaign(name="Screens 360", status=CampaignStatus.CLOSED, min_raters=3)
        url = report_url(team_leader_scenario(campaign, "tl@example.test", peers=peers,
                                              reports=reports))
        make_hr_user(HR_EMAIL, HR_PASSWORD)
        db.session.commit()
    for width in (1280, 360):
        page = make_page(width=width, height=900)
        open_report_as_hr(page, live_server.url, url)  # waits until every chart is drawn
        legend = set(page.evaluate(LEGEND))
        assert drawn <= legend, legend
        assert not (absent & legend), legend
        if absent:
            assert "Others (small groups combined)" in legend
        page.screenshot(path=str(artifacts_dir("reports") / f"{name}-{width}.png"),
                        full_page=True)
