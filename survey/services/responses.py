"""Raters answering: find a link's invitation, keep drafts, submit once, decline (SPEC §5, §6).

Services add and flush; the view commits once. Whether an invitation was answered lives on
`Invitation` and `SubmissionReceipt`; the `Response` written beside them shares nothing with
either, so a stored response cannot be traced back to its rater (SPEC §6).

Pages read ORM objects, and a draft is one; the writes of a submission, a decline and a status
change are Core statements run on the session's connection, in the caller's transaction.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from sqlalchemy import CompoundSelect, delete, insert, select, union_all, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import contains_eager, defer, joinedload
from sqlalchemy.orm.attributes import set_committed_value

from survey.errors import InvalidState
from survey.extensions import db
from survey.models import (
    Answer,
    Campaign,
    CampaignStatus,
    Comment,
    Draft,
    EarlierLink,
    Invitation,
    InvitationStatus,
    Rater,
    Response,
    SubmissionReceipt,
    new_response_id,
)
from survey.services.questionnaires import questionnaire_for
from survey.tokens import hash_token, looks_like_token, tokens_match

OPEN_STATUSES = (InvitationStatus.PENDING, InvitationStatus.OPENED)

# An answer as the form gives it: 1..5, or None for "don't know / not observed".
Answers = Mapping[str, int | None]


class AnswersClosed(InvalidState):
    """The campaign no longer accepts answers (closed, released, or past its deadline)."""


class AlreadySubmitted(InvalidState):
    """This invitation was answered before; the first submission stands."""


class AlreadyDeclined(InvalidState):
    """This invitation was declined; it takes no answers."""


def find_rater(token: str) -> Rater | None:
    """The rater whose current or earlier link (from before a reminder) carries `token`, or None.

    Loads the campaign (questionnaire snapshot unread) and the invitations with their subjects
    and drafts. None for a token of the wrong shape or an unknown one. Never logs the token.
    """
    if not looks_like_token(token):
        return None
    query = (
        select(Rater)
        .where(Rater.id.in_(_raters_linked_by(token)))
        .options(
            joinedload(Rater.campaign).defer(Campaign.questionnaire_snapshot),
            joinedload(Rater.invitations).options(
                joinedload(Invitation.subject), joinedload(Invitation.draft)
            ),
        )
    )
    rater: Rater | None = db.session.scalars(query).unique().first()
    return rater if rater is not None and _is_link_of(token, rater) else None


def find_link_invitation(token: str, invitation_id: int) -> Invitation | None:
    """Invitation `invitation_id` of the rater whose link carries `token`, or None.

    None for a token of the wrong shape, an unknown token, or someone else's invitation (which
    counts as unknown). One SELECT loads the invitation with its rater, campaign (questionnaire
    snapshot unread), subject and draft. Never logs the token.
    """
    if not looks_like_token(token):
        return None
    query = (
        select(Invitation)
        .join(Invitation.rater)
        .join(Rater.campaign)
        .where(Invitation.id == invitation_id, Rater.id.in_(_raters_linked_by(token)))
        .options(
            contains_eager(Invitation.rater)
            .contains_eager(Rater.campaign)
            .options(defer(Campaign.questionnaire_snapshot)),
            joinedload(Invitation.subject),
            joinedload(Invitation.draft),
        )
    )
    invitation: Invitation | None = db.session.scalars(query).first()
    return invitation if invitation is not None and _is_link_of(token, invitation.rater) else None


def _raters_linked_by(token: str) -> CompoundSelect[tuple[int]]:
    """The id of the rater whose current link, or an earlier one, is `token` (at most one)."""
    hashed = hash_token(token)
    return union_all(
        select(Rater.id).where(Rater.token_hash == hashed),
        select(EarlierLink.rater_id).where(EarlierLink.token_hash == hashed),
    )


def _is_link_of(token: str, rater: Rater) -> bool:
    """`token` is the rater's current or an earlier link, compared in constant time (SPEC §5)."""
    if rater.token_hash is not None and tokens_match(token, rater.token_hash):
        return True
    earlier = db.session.get(EarlierLink, hash_token(token))
    return (
        earlier is not None
        and earlier.rater_id == rater.id
        and tokens_match(token, earlier.token_hash)
    )


def rater_invitations(rater: Rater) -> list[Invitation]:
    """The rater's invitations in their campaign, by subject name then id."""
    return sorted(
        rater.invitations, key=lambda invitation: (invitation.subject.name, invitation.id)
    )


def link_is_live(rater: Rater, now: datetime) -> bool:
    """True while the rater's campaign accepts answers; otherwise the link is expired (SPEC §5)."""
    campaign: Campaign = rater.campaign
    return campaign.accepts_answers(now)


def link_is_used(rater: Rater) -> bool:
    """True once none of the rater's invitations is open (each submitted or declined).

    A used link then looks like an unknown or expired one to whoever holds it (SPEC §5).
    """
    return not any(invitation.is_open for invitation in rater.invitations)


def save_draft(
    invitation: Invitation, answers: Mapping[str, str], comments: Mapping[str, str], now: datetime
) -> Draft:
    """Keep unsubmitted answers (`{item: "1".."5"|"na"}`, `{question: text}`); marks it opened.

    pending → opened happens here, on a real interaction, never on GET/HEAD (SPEC §5).
    Raises AnswersClosed, AlreadySubmitted or AlreadyDeclined; a draft never counts (SPEC §6).
    """
    _check_accepts(invitation, now)
    _claim(invitation, InvitationStatus.OPENED)
    draft = invitation.draft or Draft(invitation=invitation)
    draft.answers = dict(answers)
    draft.comments = {key: text for key, text in comments.items() if text.strip()}
    draft.saved_at = now
    db.session.add(draft)
    db.session.flush()
    return draft


def submit_response(
    invitation: Invitation, answers: Answers, comments: Mapping[str, str], now: datetime
) -> str:
    """Store one anonymous response and the invitation's receipt in the caller's transaction.

    `answers` maps item keys of the rater's questionnaire to 1..5 or None (N/A, stored NULL);
    keys outside the questionnaire and blank comments are dropped. In order: the receipt (its
    primary key refuses a second submission: AlreadySubmitted), the campaign re-read under lock
    (AnswersClosed if it closed meanwhile), the invitation moved to submitted if still open
    (AlreadyDeclined otherwise), the response with its answers and comments, and the deletion
    of the invitation's draft (one saved since the caller looked goes too, SPEC §6). The caller
    rolls back on any error and commits once. Returns the response id (32 random hex digits).
    """
    _check_accepts(invitation, now)
    _write_receipt(invitation.id)
    _lock_open_campaign(invitation.subject.campaign_id, now)
    _claim(invitation, InvitationStatus.SUBMITTED)
    response_id = _store_response(invitation, answers, comments)
    _delete_draft(invitation)
    return response_id


def decline(invitation: Invitation, reason: str | None, now: datetime) -> None:
    """Decline an invitation; the optional reason is kept for HR only (SPEC §5).

    Raises AnswersClosed, AlreadySubmitted or AlreadyDeclined. The draft, if any, is deleted.
    """
    _check_accepts(invitation, now)
    _claim(invitation, InvitationStatus.DECLINED, decline_reason=(reason or "").strip() or None)
    _delete_draft(invitation)


def _check_accepts(invitation: Invitation, now: datetime) -> None:
    campaign: Campaign = invitation.subject.campaign
    if not campaign.accepts_answers(now):
        raise AnswersClosed("this feedback round no longer accepts answers")
    _check_open(invitation.status)


def _check_open(status: InvitationStatus) -> None:
    if status is InvitationStatus.SUBMITTED:
        raise AlreadySubmitted("these answers were already submitted")
    if status is InvitationStatus.DECLINED:
        raise AlreadyDeclined("this request was declined")


def _write_receipt(invitation_id: int) -> None:
    """Insert the receipt first: a concurrent second submit fails here, before anything else."""
    try:
        db.session.connection().execute(
            insert(SubmissionReceipt).values(invitation_id=invitation_id)
        )
    except IntegrityError as error:
        raise AlreadySubmitted("these answers were already submitted") from error


def _lock_open_campaign(campaign_id: int, now: datetime) -> None:
    """Re-read the campaign inside the write transaction, so a submit cannot slip past a close.

    On PostgreSQL the row is read FOR SHARE: a close that already updated it makes us wait and
    then refuse; a close that comes later waits for this submit, so its frozen reports include
    it. On SQLite the receipt insert before this already holds the database's write lock.
    """
    row = db.session.connection().execute(
        select(Campaign.status, Campaign.closes_at)
        .where(Campaign.id == campaign_id)
        .with_for_update(read=True)
    ).first()
    if row is None or row.status is not CampaignStatus.OPEN or now >= row.closes_at:
        raise AnswersClosed("this feedback round no longer accepts answers")


def _claim(invitation: Invitation, status: InvitationStatus, **values: object) -> None:
    """Move a still-open invitation to `status` in one conditional UPDATE.

    The UPDATE takes the row's write lock and re-reads its status, so a submit, decline or
    draft racing another one in a second request sees the winner's status and is refused
    (AlreadySubmitted or AlreadyDeclined).
    """
    written = {"status": status, **values}
    result = db.session.connection().execute(
        update(Invitation)
        .where(Invitation.id == invitation.id, Invitation.status.in_(OPEN_STATUSES))
        .values(written)
    )
    if result.rowcount != 1:
        db.session.refresh(invitation)
        _check_open(invitation.status)
        raise InvalidState("this request is no longer open")
    for name, value in written.items():  # what the UPDATE wrote
        set_committed_value(invitation, name, value)


def _store_response(
    invitation: Invitation, answers: Answers, comments: Mapping[str, str]
) -> str:
    """Insert the response, its answers (executemany) and its non-blank comments; returns the
    response id. Nothing written identifies the rater (SPEC §6)."""
    subject = invitation.subject
    area_of = questionnaire_for(subject, invitation.rater_group).item_areas
    response_id = new_response_id()
    connection = db.session.connection()
    connection.execute(
        insert(Response).values(
            id=response_id,
            campaign_id=subject.campaign_id,
            subject_id=subject.id,
            rater_group=invitation.rater_group,
        )
    )
    rows = [
        {"response_id": response_id, "item": key, "area": area_of[key], "value": value}
        for key, value in answers.items()
        if key in area_of
    ]
    texts = [
        {"response_id": response_id, "question": key, "text": text.strip()}
        for key, text in comments.items()
        if text.strip()
    ]
    for table, values in ((Answer, rows), (Comment, texts)):
        if values:
            connection.execute(insert(table), values)
    return response_id


def _delete_draft(invitation: Invitation) -> None:
    """Delete the invitation's draft row, one saved since this session loaded it included."""
    db.session.connection().execute(delete(Draft).where(Draft.invitation_id == invitation.id))
    if invitation.draft is not None:  # its row is gone: the session forgets it
        db.session.expunge(invitation.draft)
        set_committed_value(invitation, "draft", None)

