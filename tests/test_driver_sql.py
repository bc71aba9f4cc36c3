"""The rater link look-up read on the driver's cursor gives the same row, value for value and
type for type, as SQLAlchemy's own execution of the same SELECT (issue 8), on SQLite and on
PostgreSQL (run with TEST_DATABASE_URL)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from flask import Flask
from sqlalchemy import select

from survey.extensions import db
from survey.models import Campaign, CampaignStatus, Invitation, InvitationStatus
from survey.services import open_links
from survey.services.driver_sql import compile_query
from survey.tokens import hash_token
from tests.helpers_rate import RaterActions, World, build_world


@pytest.fixture
def world(app: Flask) -> World:
    return build_world(app)


def test_the_driver_row_equals_sqlalchemys_row(app: Flask, world: World) -> None:
    RaterActions(app.test_client(), world.peer_token).autosave(
        world.peer_invitation, {}, {"keep_doing": "Listens"}
    )  # a draft, so the outer join has a value too
    parameters = {"token_hash": hash_token(world.peer_token),
                  "invitation_id": world.peer_invitation}
    with app.app_context(), db.engine.connect() as connection:
        query = open_links._open_link_query(connection.dialect)
        driver = query.first(connection, parameters)
        core = connection.execute(open_links.open_link_select(), parameters).mappings().first()
    assert driver is not None and core is not None
    assert driver == dict(core)
    assert {name: type(value) for name, value in driver.items()} == {
        name: type(value) for name, value in core.items()
    }
    assert driver["campaign_status"] is CampaignStatus.OPEN
    assert driver["closes_at"].tzinfo is not None and driver["include_next_level"] is False
    assert driver["draft_id"] is not None


def test_no_row_is_none_and_a_missing_parameter_is_a_key_error(app: Flask, world: World) -> None:
    with app.app_context(), db.engine.connect() as connection:
        query = open_links._open_link_query(connection.dialect)
        assert query.first(connection, {"token_hash": "x" * 64,
                                        "invitation_id": world.peer_invitation}) is None
        with pytest.raises(KeyError):
            query.first(connection, {"token_hash": "x" * 64})


def test_an_in_list_is_refused_at_compile_time(app: Flask) -> None:
    statement = select(Invitation.id).where(
        Invitation.status.in_([InvitationStatus.PENDING, InvitationStatus.OPENED])
    )
    with app.app_context(), pytest.raises(ValueError, match="IN list"):
        compile_query(statement, db.engine.dialect)


def test_a_closed_campaign_is_not_an_open_link(app: Flask, world: World) -> None:
    with app.app_context():
        campaign = db.session.get(Campaign, world.campaign_id)
        assert campaign is not None
        campaign.status = CampaignStatus.CLOSED
        db.session.commit()
        with db.engine.connect() as connection:
            found = open_links.find_open_link(
                connection, world.peer_token, world.peer_invitation, datetime.now(UTC)
            )
    assert found is None
