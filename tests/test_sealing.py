"""Closing seals a campaign: unsubmitted drafts go, answers stay, and on PostgreSQL every
response is rewritten in the closing transaction (no per-rater transaction stamp survives)."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import func, select, text

from survey.extensions import db
from survey.models import Answer, Campaign, Comment, Draft, Response, utcnow
from survey.services.lifecycle import close_campaign
from tests.factories import add_response, add_subject, invite, make_campaign, make_person

ITEMS = {"ic_delivers_commitments": 4, "ic_finishes_work": None}


def _campaign_with_answers_and_a_draft() -> tuple[int, set[str]]:
    campaign = make_campaign()
    lead = make_person("lead@example.test", level="team_leader")
    subject = add_subject(campaign, make_person("ic@example.test", manager=lead))
    for index in range(3):
        peer = make_person(f"peer{index}@example.test", manager=lead)
        invitation, _ = invite(subject, peer, "peers")
        add_response(subject, "peers", ITEMS, {"keep_doing": f"Words {index}"}, invitation)
    waiting, _ = invite(subject, lead, "manager")
    db.session.add(Draft(invitation_id=waiting.id, answers={"ic_finishes_work": "2"}))
    db.session.commit()
    return campaign.id, set(db.session.scalars(select(Response.id)))


def _count(model: type) -> int:
    return int(db.session.scalar(select(func.count()).select_from(model)) or 0)


def test_close_deletes_drafts_and_keeps_every_answer(app: Flask) -> None:
    with app.app_context():
        campaign_id, before = _campaign_with_answers_and_a_draft()
        counts = (_count(Response), _count(Answer), _count(Comment))
        close_campaign(db.session.get(Campaign, campaign_id), utcnow())
        db.session.commit()
        assert _count(Draft) == 0
        assert (_count(Response), _count(Answer), _count(Comment)) == counts == (3, 6, 3)
        values = sorted(
            (a.item, a.value) for a in db.session.scalars(select(Answer)) if a.value is not None
        )
        assert values == [("ic_delivers_commitments", 4)] * 3
        after = set(db.session.scalars(select(Response.id)))
        if db.engine.dialect.name == "postgresql":
            assert after.isdisjoint(before)  # fresh ids
            stamps = db.session.execute(
                text("SELECT count(DISTINCT xmin::text) FROM response")
            ).scalar_one()
            assert stamps == 1  # all rewritten by the closing transaction
        else:
            assert after == before  # SQLite keeps no per-row transaction stamp to hide
