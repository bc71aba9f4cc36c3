"""`survey demo --no-serve` builds a released campaign whose reports show every rater group."""

from __future__ import annotations

import json
import re
import socket
from pathlib import Path

from flask import Flask
from flask.testing import FlaskCliRunner
from sqlalchemy import create_engine, text

from survey import create_app


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_demo_builds_a_released_campaign_and_prints_working_links(
    runner: FlaskCliRunner, tmp_path: Path
) -> None:
    database = tmp_path / "demo.sqlite"
    result = runner.invoke(
        args=["demo", "--no-serve", "--database", str(database), "--port", str(_free_port())]
    )
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert re.search(r"e-mail hr@example\.test\s+password demo-\S+", out)
    assert re.search(r"Manager:\s+http://127\.0\.0\.1:\d+/link/[\w-]{32}", out)
    assert re.search(r"Rater:\s+http://127\.0\.0\.1:\d+/r/[\w-]{32}", out)

    engine = create_engine(f"sqlite:///{database}")
    with engine.connect() as connection:
        statuses = dict(connection.execute(text("SELECT id, status FROM campaign")).all())
        counts = dict(
            connection.execute(
                text(
                    "SELECT status, count(*) FROM invitation WHERE campaign_id = 1 "
                    "GROUP BY status"
                )
            ).all()
        )
        drafts = connection.execute(text("SELECT count(*) FROM draft")).scalar_one()
        people = connection.execute(text("SELECT count(*) FROM person")).scalar_one()
    engine.dispose()
    assert statuses == {1: "released", 2: "open"}
    assert people == 76
    assert counts["submitted"] > 100 and counts["declined"] >= 1 and counts.get("pending", 0) >= 1
    assert counts["opened"] >= 1  # a few raters saved drafts and never submitted ...
    assert drafts == 0  # ... and closing deleted those drafts (they never count anywhere)


def test_demo_manager_report_shows_all_four_groups(runner: FlaskCliRunner, tmp_path: Path) -> None:
    database = tmp_path / "demo.sqlite"
    result = runner.invoke(
        args=["demo", "--no-serve", "--database", str(database), "--port", str(_free_port())]
    )
    assert result.exit_code == 0, result.output
    manager = re.search(r"\((.+)'s released report", result.stdout)
    assert manager is not None
    demo_app: Flask = create_app(
        {"SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{database}"}
    )
    with demo_app.app_context():
        from survey.extensions import db

        email = db.session.execute(
            text("SELECT email FROM person WHERE name = :n"), {"n": manager.group(1)}
        ).scalar_one()
        db.engine.dispose()
    report = demo_app.test_cli_runner().invoke(
        args=["report", "--campaign", "1", "--subject", email, "--format", "json"]
    )
    assert report.exit_code == 0, report.output
    document = json.loads(report.stdout)
    shown = {g["key"] for g in document["groups"] if g["shown"]}
    assert {"self", "manager", "peers", "direct_reports"} <= shown
    assert document["campaign"]["status"] == "released"
    assert {s["group"] for s in document["area_scores"]} >= {"self", "manager", "peers"}
