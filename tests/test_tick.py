"""`survey tick` with the clock moved: each due reminder once, close at the deadline in the
campaign's own zone and not before, release N days after close; a second run does nothing."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskCliRunner
from sqlalchemy import func, select

from survey.extensions import db
from survey.models import Campaign, CampaignStatus, InvitationStatus
from survey.models_nomination import ScheduleStep
from survey.services.campaigns import (
    CampaignSettings,
    SubjectChoice,
    create_campaign,
    launch_campaign,
)
from survey.services.nominations import propose_list, start_nominations
from survey.services.schedule import run_tick
from tests.factories import NOW
from tests.helpers_campaigns import ORG_CSV, read_outbox
from tests.helpers_nomination import links_to, make_nomination_campaign, make_nomination_org

DEADLINE = date(2026, 12, 20)  # NOW is 2026-11-29 12:00 UTC
PARIS_CLOSE = datetime(2026, 12, 20, 23, 0, tzinfo=UTC)  # midnight after the 20th in Paris
INTERVAL = timedelta(hours=72)


def launched(
    zone: str = "Europe/Paris",
    deadline: date = DEADLINE,
    name: str = "Spring 360",
    **settings: object,
) -> int:
    """A campaign over the small org, launched at NOW; returns its id (committed)."""
    campaign = create_campaign(
        CampaignSettings(name, deadline, zone, **settings),  # type: ignore[arg-type]
        SubjectChoice(emails=("tl1@acme.test",)),
        now=NOW,
    )
    launch_campaign(campaign, NOW)
    db.session.commit()
    return campaign.id


@pytest.fixture
def ctx(app: Flask):  # type: ignore[no-untyped-def]
    with app.app_context():
        from survey.services.orgchart import import_people

        import_people(ORG_CSV)
        db.session.commit()
        yield app


def tick(runner: FlaskCliRunner, now: datetime) -> list[str]:
    result = runner.invoke(args=["tick", "--now", now.isoformat()])
    assert result.exit_code == 0, result.output
    return result.stdout.splitlines()


def mail_count(outbox: Path) -> int:
    return len(list(outbox.glob("*.eml")))


def test_each_scheduled_reminder_goes_once_however_often_tick_runs(
    ctx: Flask, runner: FlaskCliRunner, outbox: Path
) -> None:
    campaign_id = launched(reminder_days=(7, 2))
    invited = mail_count(outbox)
    assert tick(runner, PARIS_CLOSE - timedelta(days=7, seconds=1)) == ["nothing due"]
    assert mail_count(outbox) == invited
    [line] = tick(runner, PARIS_CLOSE - timedelta(days=7))
    assert line.startswith(f"campaign {campaign_id} 'Spring 360': reminded ")
    assert line.endswith("(7 days before the deadline)")
    after_first = mail_count(outbox)
    assert after_first > invited
    for minutes in (0, 5, 10, 60 * 24):  # cron every few minutes, and a day later
        assert tick(runner, PARIS_CLOSE - timedelta(days=7) + timedelta(minutes=minutes)) == [
            "nothing due"
        ]
    assert mail_count(outbox) == after_first
    [line] = tick(runner, PARIS_CLOSE - timedelta(days=2))
    assert "(2 days before the deadline)" in line
    after_second = mail_count(outbox)
    assert after_second == after_first + (after_first - invited)
    assert tick(runner, PARIS_CLOSE - timedelta(days=1)) == ["nothing due"]
    reminders = [m for m in read_outbox(outbox) if str(m["Subject"]).startswith("Reminder:")]
    assert len(reminders) == after_second - invited


def test_reminders_skip_raters_who_answered(ctx: Flask, outbox: Path) -> None:
    campaign_id = launched(reminder_days=(7,))
    campaign = db.session.get(Campaign, campaign_id)
    assert campaign is not None
    for rater in campaign.raters:
        for invitation in rater.invitations:
            invitation.status = InvitationStatus.SUBMITTED
    db.session.commit()
    result = run_tick(PARIS_CLOSE - timedelta(days=6), INTERVAL)
    assert result.mails == [] and "reminded 0 raters" in result.lines[0]


def test_a_stopped_clock_sends_one_reminder_for_every_moment_it_missed(
    ctx: Flask, runner: FlaskCliRunner, outbox: Path
) -> None:
    launched(reminder_days=(7, 2))
    invited = mail_count(outbox)
    [line] = tick(runner, PARIS_CLOSE - timedelta(days=1))
    assert "(2 days before the deadline)" in line
    once = mail_count(outbox) - invited
    assert tick(runner, PARIS_CLOSE - timedelta(hours=1)) == ["nothing due"]
    assert mail_count(outbox) - invited == once


def test_closes_after_the_deadline_in_its_own_zone_and_not_before(
    ctx: Flask, runner: FlaskCliRunner
) -> None:
    auckland = launched("Pacific/Auckland", name="Auckland")  # 20 Dec ends at 11:00 UTC
    los_angeles = launched("America/Los_Angeles", name="Los Angeles")  # ends 21 Dec 08:00 UTC
    auckland_close = datetime(2026, 12, 20, 11, 0, tzinfo=UTC)
    assert tick(runner, auckland_close - timedelta(seconds=1)) == ["nothing due"]
    [line] = tick(runner, auckland_close)
    assert line.startswith(f"campaign {auckland} 'Auckland' closed: its deadline (Sunday 20 ")
    assert "23:59 (Pacific/Auckland)) has passed" in line
    statuses = dict(db.session.execute(select(Campaign.id, Campaign.status)).all())
    assert statuses == {auckland: CampaignStatus.CLOSED, los_angeles: CampaignStatus.OPEN}
    la_close = datetime(2026, 12, 21, 8, 0, tzinfo=UTC)
    assert tick(runner, la_close - timedelta(seconds=1)) == ["nothing due"]
    [line] = tick(runner, la_close)
    assert f"campaign {los_angeles} 'Los Angeles' closed" in line
    assert tick(runner, la_close + timedelta(days=30)) == ["nothing due"]


def test_releases_n_days_after_close_when_the_campaign_says_so(
    ctx: Flask, runner: FlaskCliRunner, outbox: Path
) -> None:
    by_clock = launched(name="By the clock", release_after_days=2)
    by_hand = launched(name="By hand")
    assert len(tick(runner, PARIS_CLOSE)) == 2  # both close
    assert tick(runner, PARIS_CLOSE + timedelta(days=2, seconds=-1)) == ["nothing due"]
    before = mail_count(outbox)
    [line] = tick(runner, PARIS_CLOSE + timedelta(days=2))
    assert (
        line
        == f"campaign {by_clock} 'By the clock' released 2 days after close: 1 subject(s) notified"
    )
    assert mail_count(outbox) == before + 1
    db.session.expire_all()
    assert db.session.get(Campaign, by_clock).status is CampaignStatus.RELEASED  # type: ignore[union-attr]
    assert db.session.get(Campaign, by_hand).status is CampaignStatus.CLOSED  # type: ignore[union-attr]
    assert tick(runner, PARIS_CLOSE + timedelta(days=40)) == ["nothing due"]
    assert mail_count(outbox) == before + 1


def test_release_after_zero_days_follows_the_close_in_the_same_run(
    ctx: Flask, runner: FlaskCliRunner
) -> None:
    campaign_id = launched(release_after_days=0)
    lines = tick(runner, PARIS_CLOSE)
    assert len(lines) == 2
    assert "'Spring 360' closed:" in lines[0] and "'Spring 360' released 0 days" in lines[1]
    steps = db.session.scalars(
        select(ScheduleStep.step).where(ScheduleStep.campaign_id == campaign_id)
    )
    assert sorted(steps) == ["close", "release"]


def test_a_second_run_in_the_same_transaction_claims_nothing_twice(ctx: Flask) -> None:
    launched(reminder_days=(7,), release_after_days=0)
    moment = PARIS_CLOSE - timedelta(days=6)
    first = run_tick(moment, INTERVAL)
    second = run_tick(moment, INTERVAL)
    assert len(first.lines) == 1 and second.lines == []
    assert db.session.scalar(select(func.count()).select_from(ScheduleStep)) == 1


def test_tick_rejects_a_bad_instant(runner: FlaskCliRunner) -> None:
    result = runner.invoke(args=["tick", "--now", "tomorrow"])
    assert result.exit_code == 2
    assert "'tomorrow' is not an ISO date-time" in result.stderr


def test_nomination_reminders_go_to_who_has_something_to_do(
    app: Flask, runner: FlaskCliRunner, outbox: Path
) -> None:
    with app.app_context():
        make_nomination_org()
        campaign_id = make_nomination_campaign(
            ("tl1@acme.test", "tl2@acme.test"),
            reminder_days=(2,),
            nomination_deadline=date(2099, 3, 10),
        )
        campaign = db.session.get(Campaign, campaign_id)
        assert campaign is not None
        sent = start_nominations(campaign, NOW)
        db.session.commit()
        from survey.mail import send_mails

        send_mails(sent.mails)
        tina = campaign.subjects[0]
        from survey.services.nominations import nomination_of

        nomination = nomination_of(tina)
        assert nomination is not None
        propose_list(nomination, ["sa1@acme.test", "sa2@acme.test", "sa3@acme.test"], NOW)
        db.session.commit()
    closes = datetime(2099, 3, 10, 23, 0, tzinfo=UTC)  # end of 10 March in Paris
    assert tick(runner, closes - timedelta(days=2, seconds=1)) == ["nothing due"]
    [line] = tick(runner, closes - timedelta(days=2))
    assert "nomination reminders to 1 subject(s) and 1 manager(s)" in line
    assert len(links_to(outbox, "tl2@acme.test")) == 2  # Tom: first link and a reminder
    assert len(links_to(outbox, "ceo@acme.test")) == 1  # Carla: a reminder for Tina's list
    assert tick(runner, closes - timedelta(days=1)) == ["nothing due"]
