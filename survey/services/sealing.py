"""Sealing a closed campaign: nothing left in the database can tie a response to its rater.

While a campaign is open, a response and the invitation's receipt are written in one
transaction. SQLite keeps no trace of that, but PostgreSQL stamps every row with the id of the
transaction that wrote it (`xmin`), so someone reading the raw tables could join a response to
its receipt and so to the rater. At close every response of the campaign is rewritten, with a
fresh random id, in the closing transaction: all of them then carry the same stamp. Drafts that
were never submitted are deleted too (a draft names its invitation). SPEC §6.
"""

from __future__ import annotations

from sqlalchemy import delete, select, text

from survey.extensions import db
from survey.models import Campaign, Draft, Invitation, Response, new_response_id


def seal_campaign(campaign: Campaign) -> int:
    """Delete unsubmitted drafts; on PostgreSQL rewrite the responses. Returns responses sealed.

    Adds and flushes in the caller's (closing) transaction; never commits.
    """
    invitations = select(Invitation.id).where(Invitation.campaign_id == campaign.id)
    db.session.execute(delete(Draft).where(Draft.invitation_id.in_(invitations)))
    if db.session.get_bind().dialect.name != "postgresql":
        return 0
    return _rewrite_responses(campaign.id)


def _rewrite_responses(campaign_id: int) -> int:
    old_ids = db.session.scalars(select(Response.id).where(Response.campaign_id == campaign_id))
    pairs = [{"old": old, "new": new_response_id()} for old in old_ids]
    if not pairs:
        return 0
    run = db.session.execute
    run(text("CREATE TEMPORARY TABLE response_map (old_id text PRIMARY KEY, new_id text) "
             "ON COMMIT DROP"))
    run(text("INSERT INTO response_map (old_id, new_id) VALUES (:old, :new)"), pairs)
    run(text("INSERT INTO response (id, campaign_id, subject_id, rater_group) "
             "SELECT m.new_id, r.campaign_id, r.subject_id, r.rater_group FROM response r "
             "JOIN response_map m ON m.old_id = r.id ORDER BY m.new_id"))
    run(text("INSERT INTO answer (response_id, item, area, value) "
             "SELECT m.new_id, a.item, a.area, a.value FROM answer a "
             "JOIN response_map m ON m.old_id = a.response_id ORDER BY m.new_id, a.item"))
    run(text('INSERT INTO "comment" (response_id, question, text) '
             'SELECT m.new_id, c.question, c.text FROM "comment" c '
             "JOIN response_map m ON m.old_id = c.response_id ORDER BY m.new_id, c.question"))
    for table, column in (("answer", "response_id"), ('"comment"', "response_id")):
        run(text(f"DELETE FROM {table} WHERE {column} IN (SELECT old_id FROM response_map)"))
    run(text("DELETE FROM response WHERE id IN (SELECT old_id FROM response_map)"))
    return len(pairs)
