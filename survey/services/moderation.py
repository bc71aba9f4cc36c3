"""Comment moderation (issue 20): HR removes an abusive or identifying comment from a subject's
report while the campaign is closed and not yet released; add/flush only, the caller commits.

HR sees the comments as the report shows them (grouped, sorted, never by rater) and picks one
by its place in that list; `comment_digest` makes sure it is still the comment HR read. Removing
it deletes the comment from the stored answers and from the frozen report, so no channel (page,
print, JSON, export) can show it again, and counts it on the subject: every channel then says
how many comments HR removed, never which group or who wrote them. The audit line holds HR's
reason, not the comment and not its group (a group such as the manager's would name the author).
"""

from __future__ import annotations

import hashlib
from dataclasses import replace
from datetime import datetime

from sqlalchemy import delete, select

from survey.domain.report import Comment as ReportComment
from survey.domain.report import SubjectReport
from survey.errors import InvalidState, NotFound
from survey.extensions import db
from survey.models import CampaignStatus, Comment, Response, Subject
from survey.services import audit
from survey.services.frozen_reports import frozen_report, rewrite_frozen_report

MAX_REASON = 500


class ModerationError(InvalidState):
    """A comment cannot be removed now (campaign not closed, released, or the list changed)."""


def comment_digest(comment: ReportComment) -> str:
    """A short fingerprint of one shown comment, carried by HR's confirmation form."""
    text = "\x1f".join((comment.group, comment.question, comment.text))
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def require_moderation(subject: Subject) -> None:
    """Raise ModerationError unless the subject's campaign is closed and not yet released."""
    status = subject.campaign.status
    if status is CampaignStatus.RELEASED:
        raise ModerationError(
            "the report is released: its subject may already have read every comment"
        )
    if status is not CampaignStatus.CLOSED:
        raise ModerationError("comments can be removed once the campaign is closed")


def shown_comment(subject: Subject, index: int) -> ReportComment:
    """The comment at `index` (from 0) of the report's list; NotFound past its end."""
    comments = frozen_report(subject).report.comments
    if not 0 <= index < len(comments):
        raise NotFound("that comment is not in the report")
    return comments[index]


def remove_comment(
    subject: Subject, index: int, digest: str, *, reason: str, actor: str, now: datetime
) -> None:
    """Remove the report's comment at `index` (see the module docstring).

    Raises ModerationError when the campaign is not closed or is released, when `digest` no
    longer matches the comment there, or without a reason; NotFound past the list's end.
    """
    require_moderation(subject)
    reason = " ".join(reason.split())
    if not reason or len(reason) > MAX_REASON:
        raise ModerationError(f"give a reason of 1 to {MAX_REASON} characters")
    scored = frozen_report(subject)
    comments = scored.report.comments
    if not 0 <= index < len(comments) or comment_digest(comments[index]) != digest:
        raise ModerationError("the comments changed since the page was opened; look again")
    removed = comments[index]
    _delete_stored_answer(subject, removed, _members(scored.report, removed.group))
    report = replace(scored.report, comments=comments[:index] + comments[index + 1 :])
    rewrite_frozen_report(subject, replace(scored, report=report))
    subject.comments_removed = (subject.comments_removed or 0) + 1
    audit.record(
        "comment.redacted",
        actor=actor,
        now=now,
        campaign=subject.campaign,
        detail=f"a comment removed from the report of subject {subject.id}: {reason}",
    )
    db.session.flush()


def _members(report: SubjectReport, unit: str) -> list[str]:
    """The rater groups whose comments the report shows under `unit` (a shown group, or
    `others` with the groups merged into it)."""
    return [
        g.key for g in report.groups if g.merged_into == unit or (g.key == unit and g.shown)
    ]


def _delete_stored_answer(subject: Subject, removed: ReportComment, groups: list[str]) -> None:
    """Delete one stored comment that reads as `removed` among the subject's responses from
    `groups` (the report shows it stripped; several raters of the group may have written the
    very same words: they are one and the same to read). A hidden group's comment with the
    same words is not the one HR removed: a report computed again from the stored answers
    would show the removed one again."""
    candidates = db.session.execute(
        select(Comment.response_id, Comment.text)
        .join(Response, Response.id == Comment.response_id)
        .where(
            Response.subject_id == subject.id,
            Response.rater_group.in_(groups),
            Comment.question == removed.question,
        )
    )
    for response_id, text in candidates:
        if text.strip() == removed.text:
            db.session.execute(
                delete(Comment).where(
                    Comment.response_id == response_id, Comment.question == removed.question
                )
            )
            return
