"""Campaign deadlines: a date in an IANA zone, closing at the end of that day there (SPEC §5).

Representation (one rule everywhere): `closes_at` is the first instant AFTER the deadline day,
i.e. the next local midnight, stored as aware UTC. A campaign is open while `now < closes_at`.
For 2025-03-31 in Europe/Paris, `closes_at` is 2025-03-31T22:00:00Z: 21:59:59Z (23:59:59 in
Paris) is still open, 22:00:00Z is closed. Pages and e-mails show the last open second,
`closes_at - 1 s`, in the campaign's zone ("31 March 2025, 23:59 (Europe/Paris)").
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from survey.domain.languages import DEFAULT_LANGUAGE, format_day
from survey.errors import SurveyError

ONE_SECOND = timedelta(seconds=1)


class DeadlineError(SurveyError):
    """A deadline or time zone that cannot be used."""


def check_timezone(name: str) -> ZoneInfo:
    """Return the IANA zone called `name`; raises DeadlineError for an unknown one."""
    if not name or name != name.strip() or name.startswith(("/", ".")) or ".." in name:
        raise DeadlineError(f"unknown time zone {name!r}; use an IANA name such as Europe/Paris")
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):  # OSError: a name too long for a path
        raise DeadlineError(
            f"unknown time zone {name!r}; use an IANA name such as Europe/Paris"
        ) from None


def closes_at(deadline: date, zone: str) -> datetime:
    """The aware UTC instant the deadline day ends in `zone` (next local midnight; exclusive)."""
    local_midnight = datetime.combine(deadline + timedelta(days=1), time(0), check_timezone(zone))
    return local_midnight.astimezone(UTC)


def is_open_at(closes: datetime, now: datetime) -> bool:
    """True while answers are still on time: `now` is before the closing instant."""
    return now < closes


def last_open_instant(closes: datetime) -> datetime:
    """The last whole second that is still on time (23:59:59 local on the deadline day)."""
    return closes - ONE_SECOND


def check_deadline(deadline: date, zone: str, now: datetime) -> datetime:
    """Return `closes_at` for a deadline that has not passed yet; raises DeadlineError otherwise."""
    closes = closes_at(deadline, zone)
    if not is_open_at(closes, now):
        raise DeadlineError(f"the deadline {deadline.isoformat()} ({zone}) has already passed")
    return closes


def format_deadline(closes: datetime, zone: str, language: str = DEFAULT_LANGUAGE) -> str:
    """The deadline as people of `language` read it (SPEC §14), e.g. 'Monday 31 March 2025,
    23:59 (Europe/Paris)', 'Montag, 31. März 2025, 23:59 (Europe/Paris)'."""
    local = last_open_instant(closes).astimezone(check_timezone(zone))
    return f"{format_day(local, language)}, {local:%H:%M} ({zone})"


def timezone_names() -> list[str]:
    """Every IANA zone name this system knows, sorted (for the time-zone select)."""
    return sorted(name for name in available_timezones() if "/" in name or name == "UTC")
