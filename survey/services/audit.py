"""The audit log (issue 20): one line per action on people's data; add/flush only.

Actions are stable keys (`ACTIONS`); `detail` says what happened in words and never names a
person an erasure or redaction is about.
"""

from __future__ import annotations

import getpass
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select

from survey.extensions import db
from survey.models import Campaign
from survey.models_audit import AuditEntry

ACTIONS = {
    "person.erased": "Person erased",
    "campaign.deleted": "Campaign deleted (retention)",
    "retention.scheduled": "Campaign deletion scheduled (retention)",
    "comment.redacted": "Comment removed",
    "sessions.ended": "Signed out everywhere",
}
PAGE_SIZE = 200


def record(
    action: str,
    *,
    actor: str,
    now: datetime,
    detail: str = "",
    campaign: Campaign | None = None,
) -> AuditEntry:
    """Add one line; `action` is a key of ACTIONS (ValueError otherwise)."""
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action {action!r}")
    entry = AuditEntry(
        at=now,
        actor=actor[:254],
        action=action,
        campaign_id=campaign.id if campaign is not None else None,
        campaign_name=campaign.name if campaign is not None else None,
        detail=detail,
    )
    db.session.add(entry)
    db.session.flush()
    return entry


def command_line_actor() -> str:
    """Who acts from the CLI: 'command line (<system user>)'."""
    try:
        return f"command line ({getpass.getuser()})"
    except (OSError, KeyError):  # no user name in this environment
        return "command line"


def recent_entries(before_id: int | None = None, limit: int = PAGE_SIZE) -> Sequence[AuditEntry]:
    """Lines newest first, `limit` of them, older than line `before_id` when given."""
    query = select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit)
    if before_id is not None:
        query = query.where(AuditEntry.id < before_id)
    return db.session.scalars(query).all()
