"""When the clock acts on a campaign (issue 18): reminder moments, closing, release.

A reminder set as `d` days before a deadline is due at `closes_at - d days` (the deadline's
closing instant, SPEC §5, minus whole days), once the step it reminds about has started and
while the deadline has not passed. When the clock was stopped past several moments, only one
reminder goes out and every moment passed counts as done. A campaign set to release `n` days
after close is due at `closed_at + n days`. Times are aware UTC.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from survey.errors import SurveyError

MAX_DAYS = 365


class ScheduleError(SurveyError):
    """Reminder days or a release delay that cannot be used."""


def parse_reminder_days(text: str | Iterable[int]) -> tuple[int, ...]:
    """'7,2' (or [7, 2]) → (7, 2): distinct whole days before a deadline, largest first.

    Raises ScheduleError naming the bad value; '' → () (no scheduled reminders).
    """
    parts = [p.strip() for p in text.split(",")] if isinstance(text, str) else list(text)
    days = set()
    for part in parts:
        if part == "":
            continue
        try:
            value = int(part)
        except ValueError:
            raise ScheduleError(
                f"reminder days {part!r} is not a whole number of days; write e.g. 7,2"
            ) from None
        if not 1 <= value <= MAX_DAYS:
            raise ScheduleError(f"reminder days must be between 1 and {MAX_DAYS}, not {value}")
        days.add(value)
    return tuple(sorted(days, reverse=True))


def check_release_after(days: int | None) -> int | None:
    """None (release by hand) or 0..365 days after close; raises ScheduleError otherwise."""
    if days is not None and not 0 <= days <= MAX_DAYS:
        raise ScheduleError(f"release after days must be between 0 and {MAX_DAYS}, not {days}")
    return days


@dataclass(frozen=True)
class DueReminder:
    """The reminder to send now (`days` before the deadline) and every moment it settles."""

    days: int
    settles: tuple[int, ...]


def due_reminder(
    reminder_days: Sequence[int],
    *,
    closes_at: datetime,
    started_at: datetime,
    done: Iterable[int],
    now: datetime,
) -> DueReminder | None:
    """The reminder due at `now`, or None.

    A moment counts when it lies after `started_at` (invitations sent), at or before `now`,
    and `now` is still before `closes_at`; moments in `done` were handled by an earlier run.
    """
    if now >= closes_at:
        return None
    handled = set(done)
    passed = [
        d
        for d in reminder_days
        if d not in handled and started_at < closes_at - timedelta(days=d) <= now
    ]
    if not passed:
        return None
    return DueReminder(days=min(passed), settles=tuple(sorted(passed, reverse=True)))


def release_due(closed_at: datetime | None, release_after_days: int | None, now: datetime) -> bool:
    """True when a campaign closed at `closed_at` is set to release by now."""
    if closed_at is None or release_after_days is None:
        return False
    return now >= closed_at + timedelta(days=release_after_days)
