"""The nomination and clock options of `campaign create`, and `campaign nominate ID`."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskCliRunner

from survey.extensions import db
from survey.models import Campaign
from survey.services.campaigns import (
    CampaignError,
    CampaignSettings,
    create_campaign,
    update_campaign,
)
from tests.factories import NOW
from tests.helpers_nomination import NOMINATION_ORG, links_to


def create(runner: FlaskCliRunner, tmp_path: Path, *extra: str) -> tuple[str, str]:
    """Import the org, create a campaign; returns (its id, stderr)."""
    org = tmp_path / "org.csv"
    org.write_bytes(NOMINATION_ORG)
    assert runner.invoke(args=["org", "import", str(org)]).exit_code == 0
    args = ["campaign", "create", "Spring 360", "--deadline", "2099-03-31"]
    result = runner.invoke(args=[*args, "--timezone", "Europe/Paris", *extra])
    assert result.exit_code == 0, result.output
    return result.stdout.strip().splitlines()[-1], result.stderr


def test_create_with_nomination_and_the_clock(
    app: Flask, runner: FlaskCliRunner, tmp_path: Path, outbox: Path
) -> None:
    campaign_id, _ = create(
        runner,
        tmp_path,
        "--subject",
        "tl1@acme.test",
        "--nomination",
        "--nomination-deadline",
        "2099-03-01",
        "--remind-days",
        "7,2",
        "--release-after-days",
        "3",
        "--max-requests-per-rater",
        "6",
    )
    with app.app_context():
        campaign = db.session.get(Campaign, int(campaign_id))
        assert campaign is not None
        assert campaign.nomination and (campaign.min_peers, campaign.max_peers) == (3, 8)
        assert campaign.max_requests_per_rater == 6
        assert campaign.reminder_days == [7, 2] and campaign.release_after_days == 3
        assert campaign.nomination_deadline is not None
    result = runner.invoke(args=["campaign", "nominate", campaign_id])
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        f"campaign {campaign_id}: nomination links sent to 1 subject (0 had theirs already)\n"
    )
    assert len(links_to(outbox, "tl1@acme.test")) == 1
    again = runner.invoke(args=["campaign", "nominate", campaign_id])
    assert "sent to 0 subjects (1 had theirs already)" in again.stdout


def test_without_nomination_defaults_stay_as_before(
    app: Flask, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    campaign_id, _ = create(runner, tmp_path, "--subject", "tl1@acme.test")
    with app.app_context():
        campaign = db.session.get(Campaign, int(campaign_id))
        assert campaign is not None
        assert (campaign.nomination, campaign.max_peers, campaign.reminder_days) == (False, 5, [])
    result = runner.invoke(args=["campaign", "nominate", campaign_id])
    assert result.exit_code == 1
    assert f"campaign {campaign_id} has no nomination step" in result.stderr


def test_bad_clock_options_exit_with_one_line(runner: FlaskCliRunner, tmp_path: Path) -> None:
    args = ["campaign", "create", "X", "--deadline", "2099-03-31", "--timezone", "UTC"]
    bad_days = runner.invoke(args=[*args, "--remind-days", "7,soon"])
    assert bad_days.exit_code == 2 and "'soon' is not a whole number of days" in bad_days.stderr
    late = runner.invoke(args=[*args, "--nomination", "--nomination-deadline", "2099-04-01"])
    assert late.exit_code == 1
    assert "the nomination deadline must come before the answer deadline" in late.stderr
    no_step = runner.invoke(args=[*args, "--nomination-deadline", "2099-03-01"])
    assert "a nomination deadline needs the nomination step switched on" in no_step.stderr
    peers = runner.invoke(args=[*args, "--nomination", "--min-peers", "9"])
    assert "the most peers (8) cannot be below the fewest (9)" in peers.stderr


def test_a_second_campaign_with_the_same_name_is_warned_with_dates(
    runner: FlaskCliRunner, tmp_path: Path
) -> None:
    first, _ = create(runner, tmp_path)
    args = ["campaign", "create", " spring 360", "--deadline", "2099-06-30"]
    result = runner.invoke(args=[*args, "--timezone", "UTC"])
    assert result.exit_code == 0
    assert f"warning: campaign {first} is also called 'Spring 360' (created " in result.stderr
    assert "deadline 2099-03-31, draft)" in result.stderr


def test_a_past_nomination_deadline_may_stay_but_not_be_set(app: Flask) -> None:
    def settings(name: str, day: date) -> CampaignSettings:
        return CampaignSettings(
            name, date(2027, 3, 31), "UTC", nomination=True, nomination_deadline=day
        )

    with app.app_context():
        campaign = create_campaign(settings("Spring", date(2027, 3, 1)), now=NOW)
        later = datetime(2027, 3, 5, tzinfo=UTC)
        update_campaign(campaign, settings("Renamed", date(2027, 3, 1)), now=later)
        assert campaign.name == "Renamed"
        with pytest.raises(
            CampaignError, match=r"nomination deadline 2027-03-02 \(UTC\) has passed"
        ):
            update_campaign(campaign, settings("Renamed", date(2027, 3, 2)), now=later)
