"""A submission that started before HR closed the campaign cannot land after the close."""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import create_engine, func, select, text

from survey.extensions import db
from survey.models import Invitation, Response, utcnow
from survey.services.responses import AnswersClosed, submit_response
from tests.factories import add_subject, invite, make_campaign, make_person


def test_submit_refused_when_campaign_closed_after_the_form_was_loaded(app: Flask) -> None:
    with app.app_context():
        campaign = make_campaign()
        subject = add_subject(campaign, make_person("lead@example.test", level="team_leader"))
        invitation, _ = invite(subject, make_person("pia@example.test"), "direct_reports")
        db.session.commit()
        invitation_id = invitation.id
        invitation = db.session.get(Invitation, invitation_id)
        assert invitation is not None and invitation.subject.campaign.status.value == "open"

        # HR closes the campaign from another connection while this request is under way.
        other = create_engine(app.config["SQLALCHEMY_DATABASE_URI"])
        with other.begin() as connection:
            connection.execute(text("UPDATE campaign SET status = 'closed'"))
        other.dispose()

        with pytest.raises(AnswersClosed):
            submit_response(invitation, {}, {"keep_doing": "Late words"}, utcnow())
        db.session.rollback()
        assert db.session.scalar(select(func.count()).select_from(Response)) == 0
        reloaded = db.session.get(Invitation, invitation_id)
        assert reloaded is not None and reloaded.status.value == "pending"
