"""Closing from the HR page: the close commits at once and the frozen reports are computed
afterwards (a 10,000-subject campaign takes longer than a request may), by the RQ worker with
REDIS_URL, else by a thread of the web process; the campaign page shows "Reports computed: X of
Y" and refreshes until done, reports read meanwhile are computed in memory (reads never write),
and `survey tick` finishes a freeze that was cut short."""

from __future__ import annotations

import re
import socket
import threading
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from survey.extensions import db
from survey.models import Campaign, CampaignStatus, OrgNorms, ReportSnapshot
from tests.conftest import wait_for_background_freezes
from tests.factories import make_hr_user
from tests.helpers_campaigns import AuthActions
from tests.helpers_queue import REDIS_URL, private_queue
from tests.helpers_reports import worked_example


@pytest.fixture
def open_campaign(app: Flask) -> tuple[int, str]:
    """The worked example, still open: (campaign id, its subject's report URL)."""
    with app.app_context():
        make_hr_user("hr@example.test")
        example = worked_example(status=CampaignStatus.OPEN)
        db.session.commit()
        return example.campaign.id, f"/reports/{example.campaign.id}/{example.subject.id}"


@pytest.fixture
def queue_name(app: Flask) -> Iterator[str]:
    with private_queue(app, "test-close") as name:
        yield name


def close(client: FlaskClient, campaign_id: int) -> str:
    auth = AuthActions(client)
    auth.sign_in()
    page = f"/admin/campaigns/{campaign_id}/close"
    response = auth.post_form(page, page, {})
    assert response.status_code in (302, 303)
    return client.get(response.location).text


def stored(app: Flask, campaign_id: int) -> tuple[CampaignStatus, int, int]:
    with app.app_context():
        campaign = db.session.get(Campaign, campaign_id)
        assert campaign is not None
        reports = db.session.scalar(
            select(func.count()).select_from(ReportSnapshot).filter_by(campaign_id=campaign_id)
        )
        norms = db.session.scalar(
            select(func.count()).select_from(OrgNorms).filter_by(campaign_id=campaign_id)
        )
        return campaign.status, int(reports or 0), int(norms or 0)


def sealed(app: Flask, campaign_id: int) -> bool:
    with app.app_context():
        campaign = db.session.get(Campaign, campaign_id)
        assert campaign is not None
        return campaign.sealed_at is not None


def computed(page: str) -> str:
    found = re.search(r"Reports computed: ([\d,]+ of [\d,]+)", page)
    assert found is not None, page
    return found.group(1)


def test_without_redis_the_page_answers_at_once_and_shows_the_reports_being_computed(
    app: Flask,
    client: FlaskClient,
    open_campaign: tuple[int, str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    campaign_id, report_url = open_campaign
    go = threading.Event()
    from survey import tasks

    freeze = tasks._freeze
    monkeypatch.setattr(tasks, "_freeze", lambda cid: go.wait(30) and freeze(cid))
    page = close(client, campaign_id)
    assert "Campaign closed: no more answers are accepted; computing the reports…" in page
    assert computed(page) == "0 of 1"
    assert '<meta http-equiv="refresh" content="5">' in page
    assert stored(app, campaign_id) == (CampaignStatus.CLOSED, 0, 0)
    assert not sealed(app, campaign_id)  # the seal (slow on PostgreSQL) is the job's too
    # meanwhile a read computes the report in memory and stores nothing
    assert "4.63" in client.get(report_url).text  # culture, all others
    assert stored(app, campaign_id) == (CampaignStatus.CLOSED, 0, 0)
    go.set()
    wait_for_background_freezes()
    assert stored(app, campaign_id) == (CampaignStatus.CLOSED, 1, 1)
    assert sealed(app, campaign_id)
    page = client.get(f"/admin/campaigns/{campaign_id}").text
    assert computed(page) == "1 of 1"
    assert 'http-equiv="refresh"' not in page
    assert "4.63" in client.get(report_url).text


def test_with_redis_the_worker_computes_the_reports_after_the_close(
    app: Flask, client: FlaskClient, open_campaign: tuple[int, str], queue_name: str
) -> None:
    campaign_id, report_url = open_campaign
    from redis import Redis
    from rq import Queue, SimpleWorker

    page = close(client, campaign_id)
    assert "Campaign closed: no more answers are accepted; computing the reports…" in page
    assert computed(page) == "0 of 1"
    assert stored(app, campaign_id) == (CampaignStatus.CLOSED, 0, 0)
    assert not [t for t in threading.enumerate() if t.name.startswith("freeze-campaign-")]
    connection = Redis.from_url(REDIS_URL)
    queue = Queue(queue_name, connection=connection)
    assert queue.count == 1
    with app.app_context():
        worker = SimpleWorker([queue], connection=connection)
        worker.work(burst=True)
        connection.delete(worker.key)
    connection.close()
    assert stored(app, campaign_id) == (CampaignStatus.CLOSED, 1, 1)
    report = client.get(report_url)
    assert report.status_code == 200 and "4.63" in report.text  # culture, all others


def test_redis_down_still_closes_and_the_web_process_computes_the_reports(
    app: Flask, client: FlaskClient, open_campaign: tuple[int, str]
) -> None:
    campaign_id, report_url = open_campaign
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    app.config.update(REDIS_URL=f"redis://127.0.0.1:{port}/0")
    page = close(client, campaign_id)
    assert "computing the reports…" in page
    wait_for_background_freezes()
    assert stored(app, campaign_id) == (CampaignStatus.CLOSED, 1, 1)
    assert "4.63" in client.get(report_url).text


def test_tick_finishes_a_freeze_that_was_cut_short(
    app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A freeze stopped after its first batch (the process died) keeps what it committed; the
    next `survey tick` stores the rest and the norms, the same reports as one whole freeze."""
    from survey.services import frozen_reports
    from survey.services.frozen_reports import campaign_reports, freeze_reports
    from tests.helpers_reports import team_leader_scenario

    with app.app_context():
        campaign = worked_example(status=CampaignStatus.CLOSED).campaign
        for index in range(4):
            team_leader_scenario(campaign, f"lead{index}@example.test", peers=3, reports=3,
                                 include_next_level=index == 1, base=2 + index)
        db.session.commit()
        campaign_id = campaign.id
        whole = [f.scored for f in campaign_reports(campaign)]  # computed, not stored

    monkeypatch.setattr(frozen_reports, "BATCH", 2)
    store = frozen_reports._store_reports
    batches = 0

    def killed_after_the_first_batch(*args: object) -> None:
        nonlocal batches
        batches += 1
        if batches > 1:
            raise SystemExit("worker killed")
        store(*args)  # type: ignore[arg-type]

    with app.app_context():
        campaign = db.session.get(Campaign, campaign_id)
        campaign.sealed_at = None  # as the HR page's close leaves it for the job
        db.session.commit()
        monkeypatch.setattr(frozen_reports, "_store_reports", killed_after_the_first_batch)
        with pytest.raises(SystemExit):
            freeze_reports(campaign, in_steps=True)
        db.session.rollback()
    monkeypatch.setattr(frozen_reports, "_store_reports", store)
    assert stored(app, campaign_id) == (CampaignStatus.CLOSED, 2, 0)
    result = app.test_cli_runner().invoke(args=["tick", "--now", datetime.now(UTC).isoformat()])
    assert result.exit_code == 0, result.output
    assert f"campaign {campaign_id} (" in result.output
    assert "3 report(s) computed and frozen (resumed)" in result.output
    assert stored(app, campaign_id) == (CampaignStatus.CLOSED, 5, 2)
    assert sealed(app, campaign_id)  # the tick sealed it before freezing the rest
    with app.app_context():
        campaign = db.session.get(Campaign, campaign_id)
        frozen = list(campaign_reports(campaign))
        assert all(f.stored for f in frozen)
        assert [f.scored for f in frozen] == whole
    again = app.test_cli_runner().invoke(args=["tick", "--now", datetime.now(UTC).isoformat()])
    assert "resumed" not in again.output
