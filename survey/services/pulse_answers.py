"""Raters answering a pulse (SPEC §12 with §5–§6): find a link, keep a draft, submit once.

The same rules as a campaign (`survey.services.responses`): GET never writes; a submission
writes the receipt first (its primary key refuses a second one), re-reads the pulse under lock,
moves the invitation to submitted in one conditional UPDATE, stores the response (pulse subject
only: no rater, invitation, token or time) and deletes the draft. The caller commits once.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from sqlalchemy import delete, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload
from sqlalchemy.orm.attributes import set_committed_value

from survey.extensions import db
from survey.models import InvitationStatus, new_response_id
from survey.models_plans import (
    Pulse,
    PulseAnswer,
    PulseComment,
    PulseDraft,
    PulseInvitation,
    PulseLink,
    PulseRater,
    PulseReceipt,
    PulseResponse,
    PulseStatus,
    PulseSubject,
)
from survey.services.responses import AlreadySubmitted, AnswersClosed
from survey.tokens import hash_token, looks_like_token

OPEN_STATUSES = (InvitationStatus.PENDING, InvitationStatus.OPENED)


def find_pulse_rater(token: str) -> PulseRater | None:
    """The pulse rater whose link carries `token` (with pulse, invitations, subjects, drafts),
    or None for a token of the wrong shape or an unknown one. Never logs the token."""
    if not looks_like_token(token):
        return None
    rater_id = select(PulseLink.rater_id).where(PulseLink.token_hash == hash_token(token))
    query = (
        select(PulseRater)
        .where(PulseRater.id.in_(rater_id))
        .options(
            joinedload(PulseRater.pulse).joinedload(Pulse.campaign),
            joinedload(PulseRater.invitations).options(
                joinedload(PulseInvitation.pulse_subject).joinedload(PulseSubject.subject),
                joinedload(PulseInvitation.draft),
            ),
        )
    )
    return db.session.scalars(query).unique().first()


def find_pulse_invitation(token: str, invitation_id: int) -> PulseInvitation | None:
    """Invitation `invitation_id` of the rater whose link carries `token`, or None (someone
    else's invitation counts as unknown)."""
    rater = find_pulse_rater(token)
    if rater is None:
        return None
    return next((i for i in rater.invitations if i.id == invitation_id), None)


def rater_invitations(rater: PulseRater) -> list[PulseInvitation]:
    """The rater's pulse invitations by subject name, then id."""
    return sorted(rater.invitations, key=lambda i: (i.pulse_subject.subject.name, i.id))


def link_is_live(rater: PulseRater, now: datetime) -> bool:
    """True while the pulse accepts answers and something is still unanswered (SPEC §5)."""
    return rater.pulse.accepts_answers(now) and any(i.is_open for i in rater.invitations)


def save_pulse_draft(
    invitation: PulseInvitation, answers: Mapping[str, str], comment: str, now: datetime
) -> PulseDraft:
    """Keep unsubmitted answers (`{focus key: "-2".."2"|"na"}`) and the comment; marks the
    invitation opened. Raises AnswersClosed or AlreadySubmitted; a draft never counts."""
    _check_accepts(invitation, now)
    _claim(invitation, InvitationStatus.OPENED)
    draft = invitation.draft or PulseDraft(invitation=invitation)
    draft.answers, draft.comment = dict(answers), comment.strip()
    db.session.add(draft)
    db.session.flush()
    return draft


def submit_pulse(
    invitation: PulseInvitation,
    answers: Mapping[str, int | None],
    comment: str,
    now: datetime,
) -> str:
    """Store one anonymous pulse response and the receipt; returns the response id (random).

    `answers` maps the subject's focus keys to −2…2 or None (don't know); other keys are
    dropped. Raises AlreadySubmitted (second submit, a concurrent one included) or
    AnswersClosed (the pulse closed meanwhile). The caller rolls back on error, commits once.
    """
    _check_accepts(invitation, now)
    connection = db.session.connection()
    try:
        connection.execute(insert(PulseReceipt).values(invitation_id=invitation.id))
    except IntegrityError as error:
        raise AlreadySubmitted("these answers were already submitted") from error
    _lock_open_pulse(invitation.pulse_subject.pulse_id, now)
    _claim(invitation, InvitationStatus.SUBMITTED)
    response_id = new_response_id()
    connection.execute(
        insert(PulseResponse).values(id=response_id, pulse_subject_id=invitation.pulse_subject_id)
    )
    keys = {f["key"] for f in invitation.pulse_subject.focus}
    rows = [
        {"response_id": response_id, "focus": key, "value": value}
        for key, value in answers.items()
        if key in keys
    ]
    if rows:
        connection.execute(insert(PulseAnswer), rows)
    if comment.strip():
        text = comment.strip()
        connection.execute(insert(PulseComment).values(response_id=response_id, text=text))
    connection.execute(delete(PulseDraft).where(PulseDraft.invitation_id == invitation.id))
    if invitation.draft is not None:
        db.session.expunge(invitation.draft)
        set_committed_value(invitation, "draft", None)
    return response_id


def _check_accepts(invitation: PulseInvitation, now: datetime) -> None:
    if not invitation.pulse_subject.pulse.accepts_answers(now):
        raise AnswersClosed("this progress check no longer accepts answers")
    if invitation.status is InvitationStatus.SUBMITTED:
        raise AlreadySubmitted("these answers were already submitted")


def _lock_open_pulse(pulse_id: int, now: datetime) -> None:
    """Re-read the pulse inside the write transaction (FOR SHARE on PostgreSQL), so a submit
    cannot slip past a close."""
    row = (
        db.session.connection()
        .execute(
            select(Pulse.status, Pulse.closes_at)
            .where(Pulse.id == pulse_id)
            .with_for_update(read=True)
        )
        .first()
    )
    if row is None or row.status is not PulseStatus.OPEN or now >= row.closes_at:
        raise AnswersClosed("this progress check no longer accepts answers")


def _claim(invitation: PulseInvitation, status: InvitationStatus) -> None:
    """Move a still-open invitation to `status` in one conditional UPDATE."""
    result = db.session.connection().execute(
        update(PulseInvitation)
        .where(PulseInvitation.id == invitation.id, PulseInvitation.status.in_(OPEN_STATUSES))
        .values(status=status)
    )
    if result.rowcount != 1:
        raise AlreadySubmitted("these answers were already submitted")
    set_committed_value(invitation, "status", status)
