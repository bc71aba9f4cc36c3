"""`survey demo`: a released campaign whose reports show every rater group, built without a
port (`--no-serve`), replacing only a database an earlier demo made."""

from __future__ import annotations

import errno
import json
import re
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from click.testing import Result
from flask import Flask
from flask.testing import FlaskCliRunner
from sqlalchemy import create_engine, text

from survey import create_app
from survey.demo.files import is_demo_database


@contextmanager
def port_5000_taken() -> Iterator[None]:
    """Another listener on 127.0.0.1:5000 for the duration (or whoever already holds it)."""
    try:
        listener = socket.create_server(("127.0.0.1", 5000))
    except OSError as error:
        if error.errno != errno.EADDRINUSE:
            raise
        yield  # someone else is listening there already: just as good
        return
    with listener:
        yield


def demo(runner: FlaskCliRunner, database: Path, *extra: str) -> Result:
    return runner.invoke(args=["demo", "--no-serve", "--database", str(database), *extra])


def test_demo_builds_a_released_campaign_and_prints_working_links(
    runner: FlaskCliRunner, tmp_path: Path
) -> None:
    database = tmp_path / "demo.sqlite"
    with port_5000_taken():
        result = demo(runner, database)
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert re.search(r"e-mail hr@example\.test\s+password demo-\S+", out)
    assert re.search(r"Manager:\s+http://127\.0\.0\.1:5000/link/[\w-]{32}", out)
    assert re.search(r"Rater:\s+http://127\.0\.0\.1:5000/r/[\w-]{32}", out)
    outbox = tmp_path / "demo-outbox"
    assert f"E-mails:  {outbox}\n" in out and len(list(outbox.glob("*.eml"))) > 76
    assert out.endswith(f"To serve it later: survey serve --database {database} --port 5000\n")
    assert "serving" not in result.output.lower() and "INFO" not in result.output
    assert is_demo_database(database)

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
    assert statuses == {1: "released", 2: "released", 3: "open"}  # 2: last year's round
    assert people == 76
    assert counts["submitted"] > 100 and counts["declined"] >= 1 and counts.get("pending", 0) >= 1
    assert counts["opened"] >= 1  # a few raters saved drafts and never submitted ...
    assert drafts == 0  # ... and closing deleted those drafts (they never count anywhere)


def test_demo_replaces_with_force_then_its_own_database_and_reports_show_four_groups(
    runner: FlaskCliRunner, tmp_path: Path
) -> None:
    database = tmp_path / "demo.sqlite"
    database.write_bytes(b"not a demo")
    assert demo(runner, database, "--force").exit_code == 0
    result = demo(runner, database)  # the mark lets a demo replace its own database
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
    # last year's round for the same managers: the report shows the change since (SPEC §11)
    assert document["previous"]["campaign"]["name"] == "Leadership 360 (last year)"
    assert {c["group"] for c in document["trend"]} >= {"self", "manager", "all_others"}
    # and this manager wrote a plan whose progress pulse is closed with results (SPEC §12)
    with demo_app.app_context():
        pulse_id = db.session.execute(text("SELECT id FROM pulse")).scalar_one()
        db.engine.dispose()
    pulse = demo_app.test_cli_runner().invoke(
        args=["pulse", "report", str(pulse_id), "--subject", email, "--format", "json"]
    )
    assert pulse.exit_code == 0, pulse.output
    assert json.loads(pulse.stdout)["shown"] is True


@pytest.mark.parametrize(
    "content",
    [b"", b"a spreadsheet, not a database" * 50, "survey database"],
    ids=["empty file", "other file", "survey database"],
)
def test_demo_leaves_a_file_it_did_not_make_byte_identical(
    runner: FlaskCliRunner, tmp_path: Path, content: bytes | str
) -> None:
    database = tmp_path / "survey.sqlite"
    if isinstance(content, str):  # a real survey database, made by the app, not by the demo
        real = create_app({"SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{database}"})
        with real.app_context():
            from survey.extensions import db

            db.create_all()
            db.engine.dispose()
    else:
        database.write_bytes(content)
    (tmp_path / "survey-outbox").mkdir()
    (tmp_path / "survey-outbox" / "keep.eml").write_text("kept")
    before = database.read_bytes()
    result = demo(runner, database)
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: {database} exists and is not a database an earlier demo made; "
        "choose another --database, or add --force to replace it\n"
    )
    assert database.read_bytes() == before
    assert (tmp_path / "survey-outbox" / "keep.eml").read_text() == "kept"


def test_demo_leaves_an_outbox_folder_without_its_database_alone(
    runner: FlaskCliRunner, tmp_path: Path
) -> None:
    outbox = tmp_path / "demo-outbox"
    outbox.mkdir()
    (outbox / "notes.txt").write_text("mine")
    result = demo(runner, tmp_path / "demo.sqlite")
    assert result.exit_code == 1 and "add --force" in result.stderr
    assert (outbox / "notes.txt").read_text() == "mine"
    assert not (tmp_path / "demo.sqlite").exists()
