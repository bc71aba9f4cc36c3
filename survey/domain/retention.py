"""When a closed campaign's data is deleted under a retention period (issue 20).

A campaign closed at `closed_at` is due `RETENTION_MONTHS` calendar months later. HR is warned
first: a campaign is only ever deleted at least `warning` after it was scheduled, so lowering
the setting (or setting it on an old database) never deletes anything the same day.
"""

from __future__ import annotations

import calendar
from datetime import datetime, timedelta


def add_months(moment: datetime, months: int) -> datetime:
    """`moment` plus whole calendar months; the day is clamped (31 January + 1 = 28/29 Feb)."""
    index = moment.month - 1 + months
    year, month = moment.year + index // 12, index % 12 + 1
    day = min(moment.day, calendar.monthrange(year, month)[1])
    return moment.replace(year=year, month=month, day=day)


def due_at(closed_at: datetime, months: int) -> datetime:
    """When a campaign closed at `closed_at` has been kept `months` months."""
    return add_months(closed_at, months)


def deletion_to_schedule(
    closed_at: datetime, months: int, now: datetime, warning: timedelta
) -> datetime | None:
    """The deletion date to announce now, or None while the campaign is not yet within
    `warning` of being due: the later of its due date and `now + warning`."""
    due = due_at(closed_at, months)
    if now < due - warning:
        return None
    return max(due, now + warning)
