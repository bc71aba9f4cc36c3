"""Stored responses cannot be traced back to a rater (SPEC §6, issue 4 point 6).

Checked twice: on the SQLAlchemy metadata and mappers, and on the live database schema (which
is what an attacker with a database dump would see).
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from flask import Flask
from sqlalchemy import Date, DateTime, Time, inspect, select, text
from sqlalchemy.exc import DatabaseError

from survey.extensions import db
from survey.models import Answer, Comment, Invitation, Response
from survey.services import responses
from tests.factories import add_subject, invite, make_campaign, make_person

RESPONSE_TABLES = {
    "response": {"id", "campaign_id", "subject_id", "rater_group"},
    "answer": {"response_id", "item", "area", "value"},
    "comment": {"response_id", "question", "text"},
}
ALLOWED_TARGETS = {"campaign", "subject", "response"}
IDENTIFYING = (
    "invitation",
    "rater_id",
    "person",
    "user",
    "draft",
    "receipt",
    "login",
    "token",
    "ip",
    "agent",
    "email",
    "name",
    "created",
    "updated",
    "submitted",
    "_at",
)
TIME_TYPES = (DateTime, Date, Time)


@pytest.mark.parametrize("table_name", sorted(RESPONSE_TABLES))
def test_metadata_columns_are_only_campaign_subject_group_and_answers(
    app: Flask, table_name: str
) -> None:
    table = db.metadata.tables[table_name]
    assert {column.name for column in table.columns} == RESPONSE_TABLES[table_name]
    for column in table.columns:
        assert not any(word in column.name for word in IDENTIFYING), column.name
        assert not isinstance(column.type, TIME_TYPES), column.name
        assert column.server_default is None and column.onupdate is None, column.name
    assert {fk.column.table.name for fk in table.foreign_keys} <= ALLOWED_TARGETS


def test_no_table_points_at_a_response_except_its_answers_and_comments(app: Flask) -> None:
    pointing = {
        (table.name, fk.column.table.name)
        for table in db.metadata.tables.values()
        for fk in table.foreign_keys
        if fk.column.table.name in RESPONSE_TABLES
    }
    assert pointing == {("answer", "response"), ("comment", "response")}


@pytest.mark.parametrize("model", [Response, Answer, Comment])
def test_mapper_relationships_never_reach_raters(app: Flask, model: type) -> None:
    targets = {rel.mapper.class_.__name__ for rel in inspect(model).relationships}
    assert targets <= {"Answer", "Comment", "Response"}
    for mapper in db.Model.registry.mappers:  # nothing else maps a path into the response tables
        for rel in mapper.relationships:
            if rel.mapper.class_ in (Response, Answer, Comment):
                assert mapper.class_ in (Response, Answer, Comment), (mapper.class_, rel.key)


def test_only_the_response_id_has_a_default_and_it_is_random(app: Flask) -> None:
    defaults = {
        f"{name}.{column.name}"
        for name in RESPONSE_TABLES
        for column in db.metadata.tables[name].columns
        if column.default is not None
    }
    assert defaults == {"response.id"}
    assert db.metadata.tables["response"].c.id.autoincrement in (False, "auto")
    assert not isinstance(db.metadata.tables["response"].c.id.type, db.Integer)


@pytest.mark.parametrize("table_name", sorted(RESPONSE_TABLES))
def test_live_schema_has_no_link_to_raters_and_no_time(app: Flask, table_name: str) -> None:
    with app.app_context():
        inspector = inspect(db.engine)
        columns = inspector.get_columns(table_name)
        assert {c["name"] for c in columns} == RESPONSE_TABLES[table_name]
        for column in columns:
            assert not isinstance(column["type"], TIME_TYPES), column["name"]
            assert column["default"] is None, column["name"]  # no serial, no clock default
        targets = {fk["referred_table"] for fk in inspector.get_foreign_keys(table_name)}
        assert targets <= ALLOWED_TARGETS
        for other in inspector.get_table_names():
            for fk in inspector.get_foreign_keys(other):
                if fk["referred_table"] in RESPONSE_TABLES:
                    assert other in ("answer", "comment"), other


@pytest.fixture
def fifty_submitted(app: Flask) -> list[str]:
    """Fifty peers submit one after another; returns the response ids in submission order."""
    with app.app_context():
        campaign = make_campaign()
        boss = make_person("boss@example.test", level="business_leader")
        subject = add_subject(
            campaign, make_person("tl@example.test", level="team_leader", manager=boss)
        )
        ids = []
        for n in range(50):
            invitation, _ = invite(
                subject, make_person(f"peer{n}@example.test", level="team_leader"), "peers"
            )
            response_id = responses.submit_response(
                invitation,
                {"tl_team_results": (n % 5) + 1, "tl_results_business_link": None},
                {"keep_doing": f"comment {n}"},
                datetime.now(UTC),
            )
            ids.append(response_id)
            db.session.commit()
        return ids


def test_response_ids_are_random_and_do_not_follow_submission_order(
    fifty_submitted: list[str],
) -> None:
    assert all(re.fullmatch(r"[0-9a-f]{32}", rid) for rid in fifty_submitted)
    assert len(set(fifty_submitted)) == 50
    assert sorted(fifty_submitted) != fifty_submitted  # 1 in 50! chance of a false failure


def test_na_is_stored_as_null(app: Flask, fifty_submitted: list[str]) -> None:
    with app.app_context():
        values = db.session.scalars(
            select(Answer.value).where(Answer.item == "tl_results_business_link")
        ).all()
        assert values == [None] * 50


def test_receipts_and_responses_share_no_column(app: Flask, fifty_submitted: list[str]) -> None:
    with app.app_context():
        inspector = inspect(db.engine)
        receipt = {c["name"] for c in inspector.get_columns("submission_receipt")}
        assert receipt == {"invitation_id"}
        assert not receipt & RESPONSE_TABLES["response"]
        assert db.session.scalar(select(db.func.count()).select_from(Invitation)) == 50


def test_sqlite_storage_order_does_not_reveal_submission_order(
    app: Flask, fifty_submitted: list[str]
) -> None:
    with app.app_context():
        if db.engine.dialect.name != "sqlite":
            pytest.skip("rowid and storage order are SQLite properties (PostgreSQL has no rowid)")
        for table in RESPONSE_TABLES:
            sql = db.session.scalar(
                text("SELECT sql FROM sqlite_master WHERE name = :t"), {"t": table}
            )
            assert "WITHOUT ROWID" in sql, table
            with pytest.raises(DatabaseError):
                db.session.execute(text(f"SELECT rowid FROM {table}"))
            db.session.rollback()
        stored = list(db.session.scalars(text("SELECT id FROM response")))
        assert stored != fifty_submitted and stored == sorted(fifty_submitted)
        comments = list(db.session.scalars(text("SELECT text FROM comment")))
        assert comments != [f"comment {n}" for n in range(50)]
