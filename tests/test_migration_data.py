"""Upgrading a database that holds the first release's data loses nothing.

The database is built at the first revision (fe8bd7ef8804, the initial schema) and filled with
plain SQL as that release wrote it: people, an HR account, a released campaign with Alice's
five responses (the worked example), answers, comments, invitations and receipts. Then every
later migration runs; each row is still there and Alice's report computes the same figures.
"""

from __future__ import annotations

import json
import secrets
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import flask_migrate
from flask import Flask
from sqlalchemy import text

from survey import create_app
from survey.domain.questionnaire import default_content
from survey.extensions import db
from survey.models import Subject
from survey.services.reports import report_document
from tests.conftest import database_url, reset_postgres
from tests.helpers_reports import ic_answers

FIRST = "fe8bd7ef8804"
THEN = datetime(2025, 5, 1, 9, 0)
ROWS = [  # (group, answers, comments) of the worked example in tests/helpers_reports.py
    ("self", ic_answers(4, 4, 3, 3, 5, 5, 4, 4), {"keep_doing": "I keep my promises."}),
    ("manager", ic_answers(3, 4, 2, None, 4, 4, 5, 5), {}),
    ("peers", ic_answers(3, 3, 2, 2, 3, 3, 4, 4), {"keep_doing": "Helpful reviews"}),
    ("peers", ic_answers(4, 4, 3, 3, 3, None, 4, 5), {"keep_doing": "always on time"}),
    ("peers", ic_answers(2, 3, None, None, 4, 4, 5, 5), {}),
]
RATER_PERSON = (2, 1, 3, 4, 5)  # self is Alice, manager is Bea, then three peers
TABLES = ("person", '"user"', "campaign", "subject", "rater", "invitation",
          "submission_receipt", "response", "answer", "comment")  # fmt: skip


def insert(table: str, **values: Any) -> None:
    columns = ", ".join(values)
    params = ", ".join(f":{name}" for name in values)
    db.session.execute(text(f"INSERT INTO {table} ({columns}) VALUES ({params})"), values)


def first_release_data() -> None:
    """What the first release stored for one released campaign, column by column."""
    ic_items = default_content().level("individual_contributor").items
    area_of = {item.key: item.area for item in ic_items}
    insert("person", id=1, email="boss@example.test", name="Bea Boss", level="team_leader",
           team="Blue", manager_id=None, updated_at=THEN)
    insert("person", id=2, email="alice@example.test", name="Alice Example",
           level="individual_contributor", team="Blue", manager_id=1, updated_at=THEN)
    for person in (3, 4, 5):
        insert("person", id=person, email=f"peer{person}@example.test", name=f"Peer {person}",
               level="individual_contributor", team="Blue", manager_id=1, updated_at=THEN)
    insert('"user"', id=1, email="hr@example.test", role="hr", password_hash="x", person_id=None,
           active=True, created_at=THEN)
    insert("campaign", id=1, name="Spring 2025", status="released", deadline=date(2025, 5, 30),
           timezone="Europe/Paris", closes_at=THEN + timedelta(days=29), min_raters=3,
           max_peers=5, gap_threshold=1.0,
           questionnaire_snapshot=json.dumps(default_content().to_snapshot()),
           created_at=THEN, launched_at=THEN, closed_at=THEN + timedelta(days=30),
           released_at=THEN + timedelta(days=31))
    insert("subject", id=1, campaign_id=1, person_id=2, level="individual_contributor",
           name="Alice Example", include_next_level=False)
    for number, (group, answers, comments) in enumerate(ROWS, start=1):
        insert("rater", id=number, campaign_id=1, person_id=RATER_PERSON[number - 1],
               token_hash=None, invited_at=THEN, last_reminded_at=None)
        insert("invitation", id=number, campaign_id=1, subject_id=1, rater_id=number,
               rater_group=group, status="submitted", added_by_hr=False, decline_reason=None)
        insert("submission_receipt", invitation_id=number)
        response = secrets.token_hex(16)
        insert("response", id=response, campaign_id=1, subject_id=1, rater_group=group)
        for item, value in answers.items():
            insert("answer", response_id=response, item=item, area=area_of[item], value=value)
        for question, words in comments.items():
            insert("comment", response_id=response, question=question, text=words)
    db.session.commit()  # fmt: skip


def count_rows() -> dict[str, int]:
    return {
        table: db.session.scalar(text(f"SELECT count(*) FROM {table}")) or 0 for table in TABLES
    }


def test_upgrading_keeps_the_first_releases_data(
    app_config: dict[str, object], tmp_path: Path
) -> None:
    url = database_url(tmp_path)
    if url.startswith("postgres"):
        reset_postgres(url)
    app: Flask = create_app({**app_config, "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        flask_migrate.upgrade(revision=FIRST)
        first_release_data()
        before = count_rows()
        db.session.commit()  # end the read: dropping a table waits for readers on PostgreSQL
        flask_migrate.upgrade()
        assert count_rows() == before
        assert before["answer"] == 40 and before["response"] == 5 and before["comment"] == 3
        subject = db.session.get(Subject, 1)
        assert subject is not None
        campaign = subject.campaign  # runs as before: no nomination, no clock
        assert (campaign.nomination, campaign.min_peers, campaign.max_requests_per_rater) == (
            False,
            3,
            8,
        )
        assert (campaign.reminder_days, campaign.release_after_days) == ([], None)
        document = report_document(subject)
        db.session.commit()
        db.session.remove()
        db.engine.dispose()
    scores = {(s["area"], s["group"]): s["score"] for s in document["area_scores"]}
    assert scores[("culture", "peers")] == 4.5  # (4+4)/2, (4+5)/2, (5+5)/2 → 4, 4.5, 5
    assert scores[("results", "self")] == 4.0
    texts = sorted(c["text"] for c in document["comments"])
    assert texts == ["Helpful reviews", "I keep my promises.", "always on time"]
