"""When the clock acts: reminder moments, release delay, reminder-day parsing, no app."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from survey.domain.schedule import (
    DueReminder,
    ScheduleError,
    check_release_after,
    due_reminder,
    parse_reminder_days,
    release_due,
)

CLOSES = datetime(2027, 3, 31, 22, 0, tzinfo=UTC)  # end of 31 March in Europe/Paris
LAUNCHED = CLOSES - timedelta(days=14)


def at(days_before: float) -> datetime:
    return CLOSES - timedelta(days=days_before)


@pytest.mark.parametrize(
    ("now", "done", "expected"),
    [
        (at(8), [], None),  # nothing due yet
        (at(7), [], DueReminder(7, (7,))),  # exactly at the moment
        (at(6), [7], None),  # already sent
        (at(2), [7], DueReminder(2, (2,))),
        (at(1), [], DueReminder(2, (7, 2))),  # the clock was stopped: one reminder, both settled
        (at(1), [7, 2], None),
        (CLOSES, [], None),  # deadline passed: closing, not reminding
    ],
)
def test_due_reminder(now: datetime, done: list[int], expected: DueReminder | None) -> None:
    assert due_reminder((7, 2), closes_at=CLOSES, started_at=LAUNCHED, done=done, now=now) == (
        expected
    )


def test_moments_before_the_start_are_never_due() -> None:
    late_launch = at(5)
    assert (
        due_reminder((7, 2), closes_at=CLOSES, started_at=late_launch, done=[], now=at(4)) is None
    )
    assert due_reminder((7, 2), closes_at=CLOSES, started_at=late_launch, done=[], now=at(2)) == (
        DueReminder(2, (2,))
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [("7,2", (7, 2)), (" 2, 7 ,7", (7, 2)), ("", ()), ([1, 3], (3, 1))],
)
def test_parse_reminder_days(text: str, expected: tuple[int, ...]) -> None:
    assert parse_reminder_days(text) == expected


@pytest.mark.parametrize("text", ["seven", "0", "-1", "400", "7;2"])
def test_bad_reminder_days_are_refused(text: str) -> None:
    with pytest.raises(ScheduleError):
        parse_reminder_days(text)


def test_release_due_after_whole_days() -> None:
    closed = datetime(2027, 4, 1, 9, 0, tzinfo=UTC)
    assert not release_due(closed, None, closed + timedelta(days=99))
    assert not release_due(closed, 3, closed + timedelta(days=3) - timedelta(seconds=1))
    assert release_due(closed, 3, closed + timedelta(days=3))
    assert release_due(closed, 0, closed)
    assert check_release_after(None) is None
    with pytest.raises(ScheduleError):
        check_release_after(366)
