"""Campaign lifecycle: launch, remind, close, release (SPEC §5).

Each action checks the state through the model's guarded transitions, adds/flushes only, and
returns the mail to send: the caller commits first, then calls `survey.mail.send_mails`, so no
e-mail ever goes out for a change that was rolled back. Token writes are set-based (one
executemany per action), never a query per rater.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from itertools import groupby
from typing import Any

from sqlalchemy import bindparam, insert, or_, select, update

from survey.domain.deadlines import format_deadline
from survey.errors import InvalidState
from survey.extensions import db
from survey.i18n import gettext, in_language, lazy_gettext
from survey.mail import OutgoingMail, compose
from survey.models import (
    Campaign,
    CampaignStatus,
    EarlierLink,
    Invitation,
    InvitationStatus,
    Person,
    Rater,
    Subject,
)
from survey.services.questionnaire_sets import launch_snapshot
from survey.tokens import hash_token, new_token

Progress = Callable[[int], None]
OPEN_STATUSES = (InvitationStatus.PENDING, InvitationStatus.OPENED)
RELATIONSHIPS = {
    "self": lazy_gettext("your self-assessment"),
    "manager": lazy_gettext("as their manager"),
    "peers": lazy_gettext("as a peer"),
    "direct_reports": lazy_gettext("as a member of their team"),
}


@dataclass(frozen=True)
class LaunchResult:
    """Raters invited and invitations sent by a launch; `already_open` for a repeated launch."""

    raters: int
    invitations: int
    mails: Sequence[OutgoingMail] = field(default=(), repr=False)
    already_open: bool = False

    def __str__(self) -> str:
        if self.already_open:
            return "already launched: nothing sent"
        return f"launched: {self.invitations} invitations, {self.raters} e-mails"


@dataclass(frozen=True)
class RemindResult:
    """Raters reminded, and raters with open invitations skipped inside the interval."""

    reminded: int
    skipped: int
    mails: Sequence[OutgoingMail] = field(default=(), repr=False)

    def __str__(self) -> str:
        return f"reminded {self.reminded} raters ({self.skipped} reminded recently)"


@dataclass(frozen=True)
class _Row:
    rater_id: int
    email: str
    rater_name: str
    subject_name: str
    group: str
    language: str | None  # the rater's (SPEC §14); None = DEFAULT_LANGUAGE


def launch_campaign(
    campaign: Campaign, now: datetime, progress: Progress | None = None
) -> LaunchResult:
    """draft → open: snapshot the questionnaire (of the campaign's set, SPEC §3), give every
    rater a token, one e-mail each.

    A repeated launch of an open campaign changes nothing and sends nothing. Raises
    InvalidState for a closed/released campaign, one without raters, or a passed deadline;
    SetError if its questionnaire set has no saved version.
    """
    if campaign.status is CampaignStatus.OPEN:
        return LaunchResult(raters=0, invitations=0, already_open=True)
    rows = _invitation_rows(campaign, only_open=False)
    if not rows:
        raise InvalidState(f"campaign {campaign.id} has no subjects with raters yet")
    campaign.questionnaire_snapshot = launch_snapshot(campaign)
    campaign.open(now)
    mails = _mail_raters(campaign, rows, "invitation", now, progress)
    db.session.flush()
    return LaunchResult(raters=len(mails), invitations=len(rows), mails=mails)


def remind_campaign(
    campaign: Campaign, now: datetime, interval: timedelta, progress: Progress | None = None
) -> RemindResult:
    """Remind raters with unsubmitted, undeclined invitations, at most once per `interval`.

    Each reminder lists only what is still open and carries a fresh link (tokens are stored
    only as hashes, so the first one cannot be repeated); earlier links keep working. Raises
    InvalidState unless the campaign is open and before its deadline.
    """
    if not campaign.accepts_answers(now):
        raise InvalidState(_not_remindable(campaign))
    rows = _invitation_rows(campaign, only_open=True)
    due = set(_due_raters(campaign, now - interval))
    waiting = {row.rater_id for row in rows}
    mails = _mail_raters(
        campaign, [r for r in rows if r.rater_id in due], "reminder", now, progress
    )
    db.session.flush()
    return RemindResult(reminded=len(mails), skipped=len(waiting - due), mails=mails)


def _not_remindable(campaign: Campaign) -> str:
    """Why a campaign that accepts no answers cannot be reminded, and what to do instead."""
    if campaign.status is CampaignStatus.DRAFT:
        return f"campaign {campaign.id} is a draft: launch it first"
    if campaign.status is CampaignStatus.OPEN:
        return (
            f"campaign {campaign.id} is past its deadline and accepts no more answers; "
            "nothing to remind: close it"
        )
    return (
        f"campaign {campaign.id} is {campaign.status.value} and not accepting answers; "
        "nothing to remind"
    )


def close_campaign(
    campaign: Campaign, now: datetime, *, freeze: bool = True, seal: bool = True
) -> int:
    """open → closed: no more answers; responses sealed (`survey.services.sealing`); every
    subject's report computed and frozen (`survey.services.frozen_reports.freeze_reports`,
    about 5–10 ms per subject). `freeze=False` leaves that to `survey.tasks.freeze_reports`
    (the RQ job, or the thread the HR page starts without Redis; `survey tick` resumes it);
    until it has run, each read computes the report in memory.

    `seal=False` (only with `freeze=False`) leaves the seal to that job too, which seals
    before it freezes (`seal_closed_campaign`): the HR page's close, as on PostgreSQL the seal
    rewrites every response (102 s at 10,000 subjects).

    Returns the number of reports stored. Raises InvalidState unless the campaign is open.
    """
    from survey.services.frozen_reports import freeze_reports

    campaign.close(now)
    db.session.flush()
    if seal:
        seal_closed_campaign(campaign, now)
    return freeze_reports(campaign) if freeze else 0


def seal_closed_campaign(campaign: Campaign, now: datetime) -> bool:
    """Seal the responses of a closed campaign once (`survey.services.sealing`) and stamp
    `sealed_at`; returns False when it was sealed already. Never commits."""
    from survey.services.sealing import seal_campaign

    if campaign.sealed_at is not None:
        return False
    seal_campaign(campaign)
    campaign.sealed_at = now
    db.session.flush()
    return True


def release_campaign(campaign: Campaign, now: datetime) -> list[OutgoingMail]:
    """closed → released; returns each subject's 'your report is ready' sign-in e-mail."""
    from survey.services.accounts import release_sign_in_mails

    campaign.release(now)
    db.session.flush()
    return release_sign_in_mails(campaign, now)


def _invitation_rows(campaign: Campaign, *, only_open: bool) -> list[_Row]:
    query = (
        select(
            Rater.id,
            Person.email,
            Person.name,
            Subject.name,
            Invitation.rater_group,
            Person.language,
        )
        .join(Rater, Invitation.rater_id == Rater.id)
        .join(Person, Rater.person_id == Person.id)
        .join(Subject, Invitation.subject_id == Subject.id)
        .where(Invitation.campaign_id == campaign.id)
        .order_by(Rater.id, Invitation.rater_group != "self", Subject.name)
    )
    if only_open:
        query = query.where(Invitation.status.in_(OPEN_STATUSES))
    return [_Row(*row) for row in db.session.execute(query)]


def _due_raters(campaign: Campaign, reminded_before: datetime) -> list[int]:
    query = select(Rater.id).where(
        Rater.campaign_id == campaign.id,
        or_(Rater.last_reminded_at.is_(None), Rater.last_reminded_at <= reminded_before),
    )
    return list(db.session.scalars(query))


def _mail_raters(
    campaign: Campaign, rows: list[_Row], template: str, now: datetime, progress: Progress | None
) -> list[OutgoingMail]:
    """One new token and one e-mail per rater in `rows`; token hashes written in one batch."""
    base_url = _base_url()
    mails, updates = [], []
    for rater_id, group in groupby(rows, key=lambda row: row.rater_id):
        items = list(group)
        token = new_token()
        updates.append({"rater": rater_id, "token_hash": hash_token(token), "at": now})
        mails.append(_compose(template, items, campaign, f"{base_url}/r/{token}"))
        if progress is not None:
            progress(len(items))
    _store_tokens(updates, "invited_at" if template == "invitation" else "last_reminded_at")
    return mails


def _compose(template: str, items: list[_Row], campaign: Campaign, link: str) -> OutgoingMail:
    """One rater's invitation or reminder, worded in the rater's language (SPEC §14)."""
    with in_language(items[0].language) as language:
        subjects = [
            {"name": row.subject_name, "relationship": str(RELATIONSHIPS[row.group])}
            for row in items
        ]
        return compose(
            template,
            to=items[0].email,
            subject=_subject_line(template, campaign),
            rater_name=items[0].rater_name,
            campaign_name=campaign.name,
            subjects=subjects,
            link=link,
            deadline=format_deadline(campaign.closes_at, campaign.timezone, language),
        )


def _subject_line(template: str, campaign: Campaign) -> str:
    if template == "reminder":
        return gettext("Reminder: your feedback for %(campaign)s", campaign=campaign.name)
    return gettext("Your feedback is requested: %(campaign)s", campaign=campaign.name)


ID_CHUNK = 10_000


def _store_tokens(updates: list[dict[str, Any]], stamp_column: str) -> None:
    """Write the new token hashes; the hashes they replace stay valid as earlier links."""
    if not updates:
        return
    table = Rater.__table__
    ids = [row["rater"] for row in updates]
    for start in range(0, len(ids), ID_CHUNK):  # PostgreSQL allows 65,535 parameters
        keep = select(table.c.token_hash, table.c.id).where(
            table.c.id.in_(ids[start : start + ID_CHUNK]), table.c.token_hash.is_not(None)
        )
        db.session.execute(
            insert(EarlierLink.__table__).from_select(["token_hash", "rater_id"], keep)
        )
    statement = (
        update(table)
        .where(table.c.id == bindparam("rater"))
        .values({"token_hash": bindparam("token_hash"), stamp_column: bindparam("at")})
    )
    db.session.execute(statement, updates)
    db.session.expire_all()


def _base_url() -> str:
    from flask import current_app

    return str(current_app.config["BASE_URL"]).rstrip("/")
