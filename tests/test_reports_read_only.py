"""Reading results never writes: report pages, report JSON, the organisation view and exports
send no INSERT, UPDATE or DELETE to the database, whether the reports are frozen yet or not."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import event

from survey.extensions import db
from survey.models import Campaign, CampaignStatus
from survey.services.frozen_reports import freeze_reports
from tests.helpers_reports import sign_in
from tests.test_reports_access import NUMBER_FROM_ANSWERS, World, build_world

WRITES = ("INSERT", "UPDATE", "DELETE")


@contextmanager
def statements(app: Flask) -> Iterator[list[str]]:
    """Collect the SQL statements the app's engine runs inside the block."""
    seen: list[str] = []

    def record(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        seen.append(statement.lstrip().upper())

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", record)


def hr_paths(world: World) -> list[str]:
    c = world.campaign_id
    return [
        f"/reports/{c}/{world.alice_id}",
        f"/api/campaigns/{c}/subjects/{world.alice_id}/report",
        f"/reports/organisation/{c}",
        f"/reports/organisation/{c}/export.csv",
        f"/reports/organisation/{c}/export.xlsx",
    ]


def read(client: FlaskClient, path: str) -> Any:
    """GET `path` and read the whole body (exports stream), then close the response."""
    response = client.get(path)
    response.get_data()
    response.close()
    return response


@pytest.mark.parametrize("frozen", [True, False], ids=["frozen", "not-frozen-yet"])
def test_hr_reads_write_nothing(
    app: Flask, client: FlaskClient, runner: FlaskCliRunner, frozen: bool, tmp_path
) -> None:
    with app.app_context():
        world = build_world(CampaignStatus.CLOSED)
        if frozen:
            freeze_reports(db.session.get(Campaign, world.campaign_id))
            db.session.commit()
    sign_in(client, world.hr_user)
    client.get("/reports/organisation")  # signed in, session settled
    with statements(app) as seen:
        responses = [read(client, path) for path in hr_paths(world)]
        report = runner.invoke(args=["report", "--campaign", str(world.campaign_id),
                                     "--subject", "alice@example.test"])
        export = runner.invoke(args=["campaign", "export", str(world.campaign_id),
                                     "--format", "csv", "--output", str(tmp_path / "x.csv")])
    assert [r.status_code for r in responses] == [200] * 5
    assert NUMBER_FROM_ANSWERS in responses[0].text and report.exit_code == export.exit_code == 0
    assert seen and [s for s in seen if s.startswith(WRITES)] == []


def test_a_subject_reading_their_report_writes_nothing(app: Flask, client: FlaskClient) -> None:
    with app.app_context():
        world = build_world(CampaignStatus.RELEASED)
    sign_in(client, world.alice_user)
    client.get("/reports")
    with statements(app) as seen:
        page = client.get(f"/reports/{world.campaign_id}/{world.alice_id}")
    assert page.status_code == 200 and NUMBER_FROM_ANSWERS in page.text
    assert [s for s in seen if s.startswith(WRITES)] == []
