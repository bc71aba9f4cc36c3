"""Deadlines close at the end of the day in the campaign's time zone (SPEC §5)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from survey.domain.deadlines import (
    DeadlineError,
    check_deadline,
    check_timezone,
    closes_at,
    format_deadline,
    is_open_at,
    last_open_instant,
)


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def test_paris_deadline_closes_after_2159_59_utc_both_sides() -> None:
    closes = closes_at(date(2025, 3, 31), "Europe/Paris")  # CEST, UTC+2
    assert last_open_instant(closes) == utc("2025-03-31T21:59:59")
    assert is_open_at(closes, utc("2025-03-31T21:59:59"))
    assert not is_open_at(closes, utc("2025-03-31T22:00:00"))


@pytest.mark.parametrize(
    ("deadline", "zone", "last_second"),
    [
        (date(2025, 1, 15), "Europe/Paris", "2025-01-15T22:59:59"),  # winter, UTC+1
        (date(2025, 3, 30), "Europe/Paris", "2025-03-30T21:59:59"),  # the day clocks go forward
        (date(2025, 3, 31), "America/New_York", "2025-04-01T03:59:59"),
        (date(2025, 3, 31), "Asia/Kolkata", "2025-03-31T18:29:59"),
        (date(2025, 3, 31), "UTC", "2025-03-31T23:59:59"),
    ],
)
def test_last_open_second_in_other_zones(deadline: date, zone: str, last_second: str) -> None:
    closes = closes_at(deadline, zone)
    assert last_open_instant(closes) == utc(last_second)
    assert is_open_at(closes, utc(last_second))
    assert not is_open_at(closes, closes)


def test_deadline_is_shown_in_the_campaign_zone() -> None:
    closes = closes_at(date(2025, 3, 31), "Europe/Paris")
    assert format_deadline(closes, "Europe/Paris") == "Monday 31 March 2025, 23:59 (Europe/Paris)"


@pytest.mark.parametrize("zone", ["Mars/Olympus", "", "../etc/passwd", "europe/paris "])
def test_unknown_time_zone_is_refused(zone: str) -> None:
    with pytest.raises(DeadlineError, match="unknown time zone"):
        check_timezone(zone)


def test_a_passed_deadline_is_refused() -> None:
    with pytest.raises(DeadlineError, match="already passed"):
        check_deadline(date(2025, 3, 31), "Europe/Paris", utc("2025-03-31T22:00:00"))
    assert check_deadline(date(2025, 3, 31), "Europe/Paris", utc("2025-03-31T21:59:59")) == utc(
        "2025-03-31T22:00:00"
    )
