"""Retention (issue 20): campaigns closed longer than RETENTION_MONTHS are deleted with
everything in them, never before HR pages have announced it for RETENTION_WARNING_DAYS."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from flask import Flask
from flask.testing import FlaskCliRunner
from sqlalchemy import func, select

from survey.domain.retention import add_months, deletion_to_schedule
from survey.extensions import db
from survey.models import Campaign, CampaignStatus, Response, Subject, utcnow
from survey.models_audit import AuditEntry
from survey.services.retention import RetentionSettings, apply_retention
from tests.factories import add_response, add_subject, make_campaign, make_hr_user, make_person
from tests.helpers_campaigns import PASSWORD, AuthActions
from tests.helpers_privacy import tables_mentioning
from tests.helpers_reports import ic_answers

DAY = timedelta(days=1)


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (datetime(2025, 1, 31, 9, 30), 1, datetime(2025, 2, 28, 9, 30)),
        (datetime(2024, 1, 31), 1, datetime(2024, 2, 29)),
        (datetime(2025, 12, 15), 1, datetime(2026, 1, 15)),
        (datetime(2025, 3, 1), 24, datetime(2027, 3, 1)),
        (datetime(2025, 3, 1), 0, datetime(2025, 3, 1)),
    ],
)
def test_months_are_calendar_months(start: datetime, months: int, expected: datetime) -> None:
    assert add_months(start, months) == expected


def test_a_deletion_is_announced_a_warning_period_ahead_and_never_sooner() -> None:
    closed, warning = datetime(2025, 1, 10, tzinfo=UTC), timedelta(days=30)
    due = datetime(2026, 1, 10, tzinfo=UTC)
    assert deletion_to_schedule(closed, 12, due - warning - DAY, warning) is None
    assert deletion_to_schedule(closed, 12, due - warning, warning) == due
    late = due + 100 * DAY  # never warned: announced now, deleted a warning period later
    assert deletion_to_schedule(closed, 12, late, warning) == late + warning


def ended(name: str, closed_ago: timedelta, status: CampaignStatus) -> int:
    """A campaign closed `closed_ago`, with one subject and three peer answers."""
    campaign = make_campaign(name, status=status, now=utcnow() - closed_ago)
    key = name.split()[0].lower()
    person = make_person(f"{key}@example.test", f"Sam {key[::-1].title()}")
    subject = add_subject(campaign, person)
    for _ in range(3):
        add_response(subject, "peers", ic_answers(4, 4, 3, 3, 5, 5, 4, 4), {"keep_doing": name})
    return campaign.id


@pytest.fixture
def campaigns(app: Flask) -> dict[str, int]:
    app.config.update(RETENTION_MONTHS=12, RETENTION_WARNING_DAYS=30)
    with app.app_context():
        make_hr_user("hr@example.test", PASSWORD)
        ids = {
            "old": ended("Oldest 360", 400 * DAY, CampaignStatus.RELEASED),
            "soon": ended("Soon 360", 350 * DAY, CampaignStatus.CLOSED),
            "recent": ended("Recent 360", 60 * DAY, CampaignStatus.RELEASED),
            "open": make_campaign("Open 360", status=CampaignStatus.OPEN).id,
        }
        db.session.commit()
    return ids


def settings(app: Flask) -> RetentionSettings:
    return RetentionSettings.from_config(app.config)


def remaining(app: Flask) -> set[str]:
    with app.app_context():
        return set(db.session.scalars(select(Campaign.name)))


def test_the_first_run_only_announces_then_hr_pages_warn(
    app: Flask, runner: FlaskCliRunner, campaigns: dict[str, int]
) -> None:
    result = runner.invoke(args=["retention", "purge"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith(f"campaign {campaigns['old']} “Oldest 360” will be deleted on or")
    assert lines[-1] == "0 campaigns deleted, 2 newly scheduled for deletion, 0 no longer scheduled"
    assert remaining(app) == {"Oldest 360", "Soon 360", "Recent 360", "Open 360"}
    client = app.test_client()
    AuthActions(client).sign_in()
    page = client.get("/admin/campaigns").text
    assert "To be deleted (retention: 12 months after closing)" in page
    assert "Oldest 360</a> on or after" in page and "Soon 360</a> on or after" in page
    assert "Recent 360</a> on or after" not in page
    dashboard = client.get(f"/admin/campaigns/{campaigns['soon']}").text
    assert "This campaign will be deleted on or after" in dashboard
    assert "export what must be kept before then" in dashboard


def test_after_the_warning_period_the_campaigns_and_all_in_them_are_gone(
    app: Flask, runner: FlaskCliRunner, campaigns: dict[str, int]
) -> None:
    assert runner.invoke(args=["retention", "purge"]).exit_code == 0
    later = (utcnow() + 29 * DAY).isoformat()
    early = runner.invoke(args=["retention", "purge", "--now", later])
    assert early.output.splitlines()[-1].startswith("0 campaigns deleted")
    with app.app_context():
        result = apply_retention(settings(app), utcnow() + 31 * DAY, actor="survey tick")
        db.session.commit()
        assert sorted(name for _, name in result.deleted) == ["Oldest 360", "Soon 360"]
        assert db.session.scalar(select(func.count()).select_from(Response)) == 3
        assert db.session.scalar(select(func.count()).select_from(Subject)) == 1
        lines = db.session.scalars(select(AuditEntry).filter_by(action="campaign.deleted")).all()
    assert remaining(app) == {"Recent 360", "Open 360"}
    assert tables_mentioning(app, "Oldest 360", "Soon 360") == {
        "audit_entry": ["Oldest 360", "Soon 360"]
    }
    assert {(line.campaign_name, line.actor) for line in lines} == {
        ("Oldest 360", "survey tick"),
        ("Soon 360", "survey tick"),
    }
    assert all("kept 12 months" in line.detail for line in lines)


def test_skip_warning_deletes_what_is_past_the_period_at_once(
    app: Flask, runner: FlaskCliRunner, campaigns: dict[str, int]
) -> None:
    result = runner.invoke(args=["retention", "purge", "--skip-warning"])
    assert result.exit_code == 0, result.output
    assert f"deleted campaign {campaigns['old']} “Oldest 360”" in result.output
    assert remaining(app) == {"Soon 360", "Recent 360", "Open 360"}  # Soon is not due yet


def test_without_a_retention_period_nothing_is_deleted_and_announcements_are_withdrawn(
    app: Flask, runner: FlaskCliRunner, campaigns: dict[str, int]
) -> None:
    runner.invoke(args=["retention", "purge"])
    app.config["RETENTION_MONTHS"] = 0
    result = runner.invoke(args=["retention", "purge", "--skip-warning"])
    assert result.output.splitlines()[0] == "RETENTION_MONTHS is not set: every campaign is kept"
    assert result.output.splitlines()[-1].endswith("2 no longer scheduled")
    assert remaining(app) == {"Oldest 360", "Soon 360", "Recent 360", "Open 360"}
    with app.app_context():
        assert db.session.scalar(select(Campaign).where(Campaign.delete_after.is_not(None))) is None


def test_a_longer_period_withdraws_an_announcement(
    app: Flask, runner: FlaskCliRunner, campaigns: dict[str, int]
) -> None:
    runner.invoke(args=["retention", "purge"])
    app.config["RETENTION_MONTHS"] = 24
    with app.app_context():
        result = apply_retention(settings(app), utcnow() + 31 * DAY, actor="survey tick")
        db.session.commit()
    assert result.deleted == [] and result.unscheduled == 2
    assert remaining(app) == {"Oldest 360", "Soon 360", "Recent 360", "Open 360"}


def test_survey_tick_applies_the_retention_period_too(
    app: Flask, runner: FlaskCliRunner, campaigns: dict[str, int]
) -> None:
    first = runner.invoke(args=["tick"])
    assert first.exit_code == 0, first.output
    assert f"campaign {campaigns['old']} “Oldest 360” will be deleted on or after" in first.output
    assert remaining(app) == {"Oldest 360", "Soon 360", "Recent 360", "Open 360"}
    later = runner.invoke(args=["tick", "--now", (utcnow() + 31 * DAY).isoformat()])
    assert later.exit_code == 0, later.output
    assert f"deleted campaign {campaigns['old']} “Oldest 360”" in later.output
    assert f"deleted campaign {campaigns['soon']} “Soon 360”" in later.output
    assert remaining(app) == {"Recent 360", "Open 360"}
    with app.app_context():
        actors = db.session.scalars(select(AuditEntry.actor).filter_by(action="campaign.deleted"))
        assert set(actors) == {"survey tick"}
    assert runner.invoke(args=["tick", "--now", (utcnow() + 32 * DAY).isoformat()]).output == (
        "nothing due\n"
    )


@pytest.mark.parametrize(
    ("setting", "value"),
    [("RETENTION_WARNING_DAYS", 0), ("RETENTION_WARNING_DAYS", -5), ("RETENTION_MONTHS", -1)],
)
def test_a_setting_that_would_delete_unannounced_stops_the_app_at_start(
    app_config: dict[str, object], setting: str, value: int
) -> None:
    """With no warning period (0 or fewer days) the run that announced a campaign's deletion
    also deleted it: HR pages never warned. A negative period is a typo, not a policy."""
    from survey import create_app
    from survey.config import ConfigError

    with pytest.raises(ConfigError, match=f"{setting} {value} "):
        create_app({**app_config, "RETENTION_MONTHS": 12, setting: value})


def test_a_longer_period_is_kept_even_when_the_deletion_was_announced_already(
    app: Flask,
) -> None:
    """Lengthening the period (12 → 16 months) while the new date also fell within the warning
    period kept the old announcement: the campaign went 27 days before its 16 months."""
    app.config.update(RETENTION_MONTHS=12, RETENTION_WARNING_DAYS=60)
    now = utcnow()
    with app.app_context():
        campaign_id = ended("Old 360", 400 * DAY, CampaignStatus.RELEASED)
        db.session.commit()
        apply_retention(settings(app), now, actor="survey tick")  # announced for now + 60 days
        closed_at = db.session.get(Campaign, campaign_id).closed_at  # type: ignore[union-attr]
        db.session.commit()
    app.config["RETENTION_MONTHS"] = 16
    due = add_months(closed_at, 16)
    assert now + 60 * DAY < due - DAY  # the new period ends after the old announcement
    with app.app_context():
        for day in (30, 61):
            result = apply_retention(settings(app), now + day * DAY, actor="survey tick")
            db.session.commit()
            assert result.deleted == []
        campaign = db.session.get(Campaign, campaign_id)
        assert campaign is not None and campaign.delete_after == due
        result = apply_retention(settings(app), due, actor="survey tick")
        db.session.commit()
    assert result.deleted == [(campaign_id, "Old 360")]
