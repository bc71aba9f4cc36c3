"""Closing from the HR page with REDIS_URL set: the close commits at once and the frozen reports
are computed by the worker afterwards (a 10,000-subject campaign takes longer than a request
may). Without Redis the page computes them inline, as `survey campaign close` always does."""

from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from survey.extensions import db
from survey.models import Campaign, CampaignStatus, OrgNorms, ReportSnapshot
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


def test_without_redis_the_page_computes_the_reports(
    app: Flask, client: FlaskClient, open_campaign: tuple[int, str]
) -> None:
    campaign_id, _ = open_campaign
    page = close(client, campaign_id)
    assert "Campaign closed: no more answers are accepted; 1 report is ready." in page
    assert stored(app, campaign_id) == (CampaignStatus.CLOSED, 1, 1)


def test_with_redis_the_worker_computes_the_reports_after_the_close(
    app: Flask, client: FlaskClient, open_campaign: tuple[int, str], queue_name: str
) -> None:
    campaign_id, report_url = open_campaign
    from redis import Redis
    from rq import Queue, SimpleWorker

    page = close(client, campaign_id)
    assert "Campaign closed: no more answers are accepted; computing results…" in page
    assert stored(app, campaign_id) == (CampaignStatus.CLOSED, 0, 0)
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


def test_redis_down_still_closes(
    app: Flask, client: FlaskClient, open_campaign: tuple[int, str]
) -> None:
    campaign_id, report_url = open_campaign
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    app.config.update(REDIS_URL=f"redis://127.0.0.1:{port}/0")
    page = close(client, campaign_id)
    assert "computing results…" in page
    assert stored(app, campaign_id) == (CampaignStatus.CLOSED, 0, 0)
    # each read computes the report in memory; reading stores nothing
    assert "4.63" in client.get(report_url).text
    assert stored(app, campaign_id) == (CampaignStatus.CLOSED, 0, 0)
