"""Raters answering: find a link's rater, keep drafts, submit once, decline (SPEC §5, §6).

Services add and flush; the view commits once. Whether an invitation was answered lives on
`Invitation` and `SubmissionReceipt`; the `Response` written beside them shares nothing with
either, so a stored response cannot be traced back to its rater (SPEC §6).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import TypeVar, cast

from sqlalchemy import (
    ColumnElement,
    Connection,
    Executable,
    Table,
    bindparam,
    delete,
    insert,
    or_,
    select,
    update,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import contains_eager, defer, joinedload
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.sql._typing import ColumnExpressionArgument

from survey.domain.questionnaire import Questionnaire
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
from survey.services.driver_sql import (
    DriverQuery,
    DriverStatement,
    compile_query,
    compile_statement,
)
from survey.services.questionnaires import unnamed_questionnaire
from survey.tokens import hash_token, looks_like_token, tokens_match

_Found = TypeVar("_Found", Rater, Invitation)
OPEN_STATUSES = (InvitationStatus.PENDING, InvitationStatus.OPENED)


def is_open_status(status: ColumnExpressionArgument[InvitationStatus]) -> ColumnElement[bool]:
    """`status` is one of OPEN_STATUSES, as plain equality tests: an IN list is expanded into
    the SQL text on every execution, a cost the rater form's hot statements skip."""
    column = cast("ColumnElement[InvitationStatus]", status)
    return or_(*(column == value for value in OPEN_STATUSES))

# An answer as the form gives it: 1..5, or None for "don't know / not observed".
Answers = Mapping[str, int | None]


class AnswersClosed(InvalidState):
    """The campaign no longer accepts answers (closed, released, or past its deadline)."""


class AlreadySubmitted(InvalidState):
    """This invitation was answered before; the first submission stands."""


class AlreadyDeclined(InvalidState):
    """This invitation was declined; it takes no answers."""


def find_rater(token: str) -> Rater | None:
    """The rater whose link carries `token`, or None (bad shape, unknown). Never logs the token."""
    return _by_link(token, lambda column, value: _load_rater(getattr(Rater, column) == value))


def find_link_invitation(token: str, invitation_id: int) -> Invitation | None:
    """Invitation `invitation_id` of the rater whose link carries `token`, or None.

    None for a token of the wrong shape, an unknown token, or someone else's invitation (which
    counts as unknown). One SELECT loads the invitation with its rater, campaign (questionnaire
    snapshot unread), subject and draft; the rater's other invitations are read only if asked
    for (`link_is_used` on an invitation that is no longer open). Never logs the token.
    """
    return _by_link(
        token, lambda column, value: _load_invitation(column, value, invitation_id)
    )


def _by_link(token: str, load: Callable[[str, object], _Found | None]) -> _Found | None:
    """What `load(rater column, value)` finds for the rater whose current or earlier link
    (from before a reminder) is `token`; None for a bad shape or an unknown token."""
    if not looks_like_token(token):
        return None
    hashed = hash_token(token)
    found = load("token_hash", hashed)
    if found is not None:
        current = _rater_of(found).token_hash
        return found if current is not None and tokens_match(token, current) else None
    earlier = db.session.get(EarlierLink, hashed)
    if earlier is None or not tokens_match(token, earlier.token_hash):
        return None
    return load("id", earlier.rater_id)


def _rater_of(found: Rater | Invitation) -> Rater:
    return found if isinstance(found, Rater) else found.rater


def _load_invitation(rater_column: str, value: object, invitation_id: int) -> Invitation | None:
    """The invitation whose rater has `rater_column` = `value`, with what its pages show."""
    parameters = {"rater_key": value, "invitation_id": invitation_id}
    statement = _invitation_query(rater_column)
    invitation: Invitation | None = db.session.scalars(statement, parameters).first()
    if invitation is not None and invitation.subject.campaign_id == invitation.rater.campaign_id:
        set_committed_value(invitation.subject, "campaign", invitation.rater.campaign)
    return invitation


@functools.cache
def _invitation_query(rater_column: str) -> Executable:
    """Built once per process (building it cost more than running it)."""
    return (
        select(Invitation)
        .join(Invitation.rater)
        .join(Rater.campaign)
        .where(
            getattr(Rater, rater_column) == bindparam("rater_key"),
            Invitation.id == bindparam("invitation_id"),
        )
        .options(
            contains_eager(Invitation.rater)
            .contains_eager(Rater.campaign)
            .defer(Campaign.questionnaire_snapshot),
            joinedload(Invitation.subject),
            joinedload(Invitation.draft),
        )
    )


def _load_rater(condition: object) -> Rater | None:
    """One SELECT: the rater, its campaign, and its invitations with their subjects and drafts.

    The campaign's questionnaire snapshot stays unread (questionnaires are cached per launch).
    """
    query = (
        select(Rater)
        .where(condition)  # type: ignore[arg-type]
        .options(
            joinedload(Rater.campaign).options(defer(Campaign.questionnaire_snapshot)),
            joinedload(Rater.invitations).options(
                joinedload(Invitation.subject), joinedload(Invitation.draft)
            ),
        )
    )
    rater: Rater | None = db.session.scalars(query).unique().first()
    if rater is not None:
        _link_loaded(rater)
    return rater


def _link_loaded(rater: Rater) -> None:
    """Point each invitation at its rater and each subject at the campaign already loaded.

    The session only holds objects weakly: without these references the rater and campaign
    could be collected once the view keeps just the invitation, and be read again.
    """
    for invitation in rater.invitations:
        set_committed_value(invitation, "rater", rater)
        if invitation.subject.campaign_id == rater.campaign_id:
            set_committed_value(invitation.subject, "campaign", rater.campaign)


def rater_invitations(rater: Rater) -> list[Invitation]:
    """The rater's invitations in their campaign, by subject name then id."""
    return sorted(
        rater.invitations, key=lambda invitation: (invitation.subject.name, invitation.id)
    )


def find_invitation(rater: Rater, invitation_id: int) -> Invitation | None:
    """One of the rater's own invitations by id, or None (someone else's counts as unknown)."""
    return next((i for i in rater.invitations if i.id == invitation_id), None)


def link_is_live(rater: Rater, now: datetime) -> bool:
    """True while the rater's campaign accepts answers; otherwise the link is expired (SPEC §5)."""
    campaign: Campaign = rater.campaign
    return campaign.accepts_answers(now)


def link_is_used(rater: Rater) -> bool:
    """True once none of the rater's invitations is open (each submitted or declined).

    A used link then looks like an unknown or expired one to whoever holds it (SPEC §5).
    """
    return not any(invitation.is_open for invitation in rater.invitations)


def mark_opened(invitation: Invitation) -> None:
    """pending → opened, on a real interaction (a POST), never on GET/HEAD (SPEC §5).

    Raises AlreadySubmitted or AlreadyDeclined when the invitation is no longer open.
    """
    _claim(invitation, InvitationStatus.OPENED)


def save_draft(
    invitation: Invitation, answers: Mapping[str, str], comments: Mapping[str, str], now: datetime
) -> Draft:
    """Keep unsubmitted answers (`{item: "1".."5"|"na"}`, `{question: text}`); marks it opened.

    Raises AnswersClosed, AlreadySubmitted or AlreadyDeclined; a draft never counts (SPEC §6).
    """
    _check_accepts(invitation, now)
    mark_opened(invitation)
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
    unanswered items are left out. Blank comments are dropped. The receipt's primary key makes
    a second submission fail in the database (AlreadySubmitted; the caller must roll back).
    Raises AnswersClosed when the campaign no longer accepts answers (nothing stored).
    Returns the new response's id (32 random hex digits). Rows go in with Core inserts.
    """
    _check_accepts(invitation, now)
    subject = invitation.subject
    target = SubmissionTarget(
        invitation.id,
        subject.campaign_id,
        subject.id,
        invitation.rater_group,
        unnamed_questionnaire(subject, invitation.rater_group),
    )
    try:
        response_id = store_submission(target, answers, comments, now)
    except (AnswersClosed, AlreadySubmitted):
        raise
    except InvalidState:  # answered or declined meanwhile: say which
        db.session.refresh(invitation)
        _check_open(invitation.status)
        raise
    set_committed_value(invitation, "status", InvitationStatus.SUBMITTED)
    if invitation.draft is not None:  # store_submission deleted its row
        db.session.expunge(invitation.draft)
        set_committed_value(invitation, "draft", None)
    return response_id


@dataclass(frozen=True)
class SubmissionTarget:
    """Where one submission goes: the invitation it answers, and what its response records.

    `questionnaire` is the invitation's questionnaire (unnamed is enough: it gives each item's
    area). Nothing here identifies the rater (SPEC §6).
    """

    invitation_id: int
    campaign_id: int
    subject_id: int
    rater_group: str
    questionnaire: Questionnaire


def store_submission(
    target: SubmissionTarget,
    answers: Answers,
    comments: Mapping[str, str],
    now: datetime,
    connection: Connection | None = None,
) -> str:
    """Write one submission in the caller's transaction, with Core statements built once.

    In order: the receipt (its primary key refuses a second submission: AlreadySubmitted),
    the campaign re-read under lock (AnswersClosed if it closed meanwhile), the invitation
    moved to submitted only if still open (InvalidState otherwise), then the response, its
    answers (1..5, or None for N/A) and non-blank comments, and the invitation's draft, if any
    (always asked: one saved since the caller last looked must go too, SPEC §6). The caller
    rolls back on any error and commits once. Returns the response id.

    `connection` is the caller's transaction: the ORM session's unless given (the rater form's
    common case runs on a Core connection of its own, `services.open_links`).
    """
    connection = connection or db.session.connection()
    if not connection.in_transaction():
        connection.begin()  # the statements run on the driver's cursor: see driver_sql
    _write_receipt(connection, target.invitation_id)
    _recheck_campaign_open(connection, target.campaign_id, now)
    if not _claim_row(connection, target.invitation_id, {"status": InvitationStatus.SUBMITTED}):
        raise InvalidState("this request is no longer open")
    response_id = _store_response(connection, target, answers, comments)
    _statements(connection.dialect).delete_draft.execute(
        connection, {"invitation_id": target.invitation_id}
    )
    return response_id


def decline(invitation: Invitation, reason: str | None, now: datetime) -> None:
    """Decline an invitation; the optional reason is kept for HR only (SPEC §5)."""
    _check_accepts(invitation, now)
    _claim(invitation, InvitationStatus.DECLINED, decline_reason=(reason or "").strip() or None)
    if invitation.draft is not None:
        db.session.delete(invitation.draft)
    db.session.flush()


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


def _recheck_campaign_open(connection: Connection, campaign_id: int, now: datetime) -> None:
    """Re-read the campaign inside the write transaction, so a submit cannot slip past a close.

    On PostgreSQL the row is read FOR SHARE: a close that already updated it makes us wait and
    then refuse; a close that comes later waits for this submit, so its frozen reports include
    it. On SQLite the receipt insert before this already holds the database's write lock.
    """
    state = _statements(connection.dialect).campaign_state
    row = state.first(connection, {"campaign_id": campaign_id})
    if row is None or row["status"] is not CampaignStatus.OPEN or now >= row["closes_at"]:
        raise AnswersClosed("this feedback round no longer accepts answers")


def _write_receipt(connection: Connection, invitation_id: int) -> None:
    """Insert the receipt first: a concurrent second submit fails here, before anything else."""
    receipt = _statements(connection.dialect).receipt
    try:
        receipt.execute(connection, {"invitation_id": invitation_id})
    except IntegrityError as error:
        raise AlreadySubmitted("these answers were already submitted") from error


def _claim(invitation: Invitation, status: InvitationStatus, **values: object) -> None:
    """Move a still-open invitation to `status` in one conditional UPDATE.

    The UPDATE takes the row's write lock and re-reads its status, so a submit, decline or
    draft racing another one in a second request sees the winner's status and is refused.
    """
    written = {"status": status, **values}
    if not _claim_row(db.session.connection(), invitation.id, written):
        db.session.refresh(invitation)
        _check_open(invitation.status)
        raise InvalidState("this request is no longer open")
    for name, value in written.items():  # what the UPDATE wrote
        set_committed_value(invitation, name, value)


def _claim_row(connection: Connection, invitation_id: int, written: dict[str, object]) -> bool:
    """UPDATE the invitation with `written` if it is still open; False if it was not."""
    statement = _claim_statement(tuple(sorted(written)), connection.dialect)
    return statement.execute(connection, {"invitation_id": invitation_id, **written}) == 1


@dataclass(frozen=True)
class _Statements:
    """The submit path's statements, compiled once per dialect and run on the driver's cursor
    (`driver_sql`): building and running them through SQLAlchemy's execution per request cost
    more than the statements themselves (issue 8's benchmark)."""

    campaign_state: DriverQuery  # SELECT status, closes_at … FOR SHARE
    receipt: DriverStatement
    response: DriverStatement
    answers: DriverStatement
    comments: DriverStatement
    delete_draft: DriverStatement


@functools.lru_cache(maxsize=16)
def _statements(dialect: Dialect) -> _Statements:
    campaign = Campaign.__table__

    def insert_into(table: Table, *names: str) -> DriverStatement:
        return compile_statement(insert(table).values({n: bindparam(n) for n in names}), dialect)

    return _Statements(
        campaign_state=compile_query(
            select(Campaign.status, Campaign.closes_at)
            .where(campaign.c.id == bindparam("campaign_id"))
            .with_for_update(read=True),
            dialect,
        ),
        receipt=insert_into(SubmissionReceipt.__table__, "invitation_id"),
        response=insert_into(Response.__table__, "id", "campaign_id", "subject_id", "rater_group"),
        answers=insert_into(Answer.__table__, "response_id", "item", "area", "value"),
        comments=insert_into(Comment.__table__, "response_id", "question", "text"),
        delete_draft=compile_statement(
            delete(Draft.__table__).where(
                Draft.__table__.c.invitation_id == bindparam("invitation_id")
            ),
            dialect,
        ),
    )


@functools.lru_cache(maxsize=64)
def _claim_statement(names: tuple[str, ...], dialect: Dialect) -> DriverStatement:
    """UPDATE invitation SET <names> WHERE id = :invitation_id AND it is still open."""
    table = Invitation.__table__
    return compile_statement(
        update(table)
        .where(table.c.id == bindparam("invitation_id"), is_open_status(table.c.status))
        .values({name: bindparam(name) for name in names}),
        dialect,
    )


def _store_response(
    connection: Connection, target: SubmissionTarget, answers: Answers, comments: Mapping[str, str]
) -> str:
    """Insert the response, its answers and comments (executemany); returns the id."""
    area_of = target.questionnaire.item_areas
    response_id = new_response_id()
    statements = _statements(connection.dialect)
    statements.response.execute(connection, {
        "id": response_id,
        "campaign_id": target.campaign_id,
        "subject_id": target.subject_id,
        "rater_group": target.rater_group,
    })
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
    for statement, values in ((statements.answers, rows), (statements.comments, texts)):
        if values:
            statement.execute_many(connection, values)
    return response_id

