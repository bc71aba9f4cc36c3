"""The rater form's common case without ORM objects (issue 8): an open invitation behind a
rater's current link, read in one Core SELECT, then shown blank or submitted.

Loading the invitation, rater, campaign, subject and draft as ORM objects cost more than the
rest of a rater's GET. Everything out of the common case (a draft to show, answers to refuse,
an earlier or used link, a closed campaign) still goes through `responses` and its ORM
objects; this module only recognises the common case and writes with the same statements
(`responses.store_submission`).
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Select, bindparam, select
from sqlalchemy.engine import Dialect

from survey.domain.questionnaire import Questionnaire
from survey.extensions import db
from survey.models import Campaign, CampaignStatus, Draft, Invitation, Rater, Subject
from survey.services.driver_sql import DriverQuery, compile_query
from survey.services.questionnaires import cached_unnamed_questionnaire, unnamed_questionnaire
from survey.services.responses import (
    Answers,
    SubmissionTarget,
    is_open_status,
    store_submission,
)
from survey.tokens import hash_token, looks_like_token, tokens_match


@dataclass(frozen=True)
class OpenLink:
    """An invitation that can take answers now, with what its page and response need.

    Times are timezone-aware UTC; `has_draft` says a draft is saved (its answers are not read).
    """

    invitation_id: int
    rater_group: str
    has_draft: bool
    subject_id: int
    subject_name: str
    level: str
    include_next_level: bool
    campaign_id: int
    launched_at: datetime
    closes_at: datetime
    timezone: str
    min_raters: int


def find_open_link(
    connection: Connection, token: str, invitation_id: int, now: datetime
) -> OpenLink | None:
    """The invitation if `token` is its rater's current link, it is still open and its campaign
    accepts answers at `now` (SPEC §5); otherwise None, and the caller takes the ORM path,
    which tells every other case apart. Never logs the token.

    `connection` is a Core connection of the caller's (`db.engine.connect()`): the common case
    never opens the ORM session, whose set-up and tear-down cost as much as this SELECT."""
    if not looks_like_token(token):
        return None
    parameters = {"token_hash": hash_token(token), "invitation_id": invitation_id}
    row = _open_link_query(connection.dialect).first(connection, parameters)
    if row is None or not tokens_match(token, row["token_hash"]):
        return None
    if row["campaign_status"] is not CampaignStatus.OPEN or now >= row["closes_at"]:
        return None
    if row["launched_at"] is None:
        return None
    return OpenLink(
        invitation_id=row["invitation_id"],
        rater_group=row["rater_group"],
        has_draft=row["draft_id"] is not None,
        subject_id=row["subject_id"],
        subject_name=row["subject_name"],
        level=row["level"],
        include_next_level=row["include_next_level"],
        campaign_id=row["campaign_id"],
        launched_at=row["launched_at"],
        closes_at=row["closes_at"],
        timezone=row["timezone"],
        min_raters=row["min_raters"],
    )


def link_questionnaire(link: OpenLink) -> Questionnaire:
    """The invitation's questionnaire, unnamed (`questionnaires.unnamed_questionnaire`)."""
    questionnaire = cached_unnamed_questionnaire(
        link.campaign_id, link.launched_at, link.level, link.rater_group, link.include_next_level
    )
    if questionnaire is None:  # first time in this process: build it from the snapshot
        subject = db.session.get(Subject, link.subject_id)
        assert subject is not None  # the row above joined it
        questionnaire = unnamed_questionnaire(subject, link.rater_group)
    return questionnaire


def submit_open_link(
    connection: Connection,
    link: OpenLink,
    answers: Answers,
    comments: Mapping[str, str],
    now: datetime,
) -> str:
    """Store the submission in the transaction of `connection` (the one that found `link`);
    its draft, if any, is deleted.

    Same statements, guards and errors as `responses.submit_response`: AlreadySubmitted,
    AnswersClosed, or InvalidState when the invitation was declined meanwhile; the caller rolls
    back on any of them, and commits otherwise. Returns the response id.
    """
    target = SubmissionTarget(
        link.invitation_id,
        link.campaign_id,
        link.subject_id,
        link.rater_group,
        link_questionnaire(link),
    )
    return store_submission(target, answers, comments, now, connection)


@functools.lru_cache(maxsize=16)
def _open_link_query(dialect: Dialect) -> DriverQuery:
    """`open_link_select()` compiled once per dialect."""
    return compile_query(open_link_select(), dialect)


def open_link_select() -> Select[Any, *tuple[Any, ...]]:
    """One row per open invitation of a current link (`token_hash`, `invitation_id`)."""
    return (
        select(
            Invitation.id.label("invitation_id"),
            Invitation.rater_group,
            Rater.token_hash,
            Subject.id.label("subject_id"),
            Subject.name.label("subject_name"),
            Subject.level,
            Subject.include_next_level,
            Campaign.id.label("campaign_id"),
            Campaign.status.label("campaign_status"),
            Campaign.launched_at,
            Campaign.closes_at,
            Campaign.timezone,
            Campaign.min_raters,
            Draft.id.label("draft_id"),
        )
        .join(Rater, Rater.id == Invitation.rater_id)
        .join(Subject, Subject.id == Invitation.subject_id)
        .join(Campaign, Campaign.id == Subject.campaign_id)
        .outerjoin(Draft, Draft.invitation_id == Invitation.id)
        .where(
            Rater.token_hash == bindparam("token_hash"),
            Invitation.id == bindparam("invitation_id"),
            is_open_status(Invitation.status),
            Rater.campaign_id == Subject.campaign_id,
        )
    )
