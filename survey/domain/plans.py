"""Development plan rules (SPEC §12): 1–3 focus keys of the report, actions, a target date."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from survey.errors import SurveyError

MIN_FOCUS, MAX_FOCUS = 1, 3
MAX_ACTIONS = 5000  # characters
AREA, ITEM = "area", "item"


class PlanError(SurveyError):
    """A plan that cannot be kept as written; the message says what to change."""


@dataclass(frozen=True)
class FocusChoice:
    """One area or item of the report a plan may focus on: `key` is `area:<k>` or `item:<k>`."""

    key: str
    text: str
    area: str  # the area key it belongs to (an area's own key for an area)


def focus_key(kind: str, key: str) -> str:
    """`area:<key>` or `item:<key>`, the form field's value (SPEC §12)."""
    return f"{kind}:{key}"


def check_focus(chosen: Sequence[str], choices: Mapping[str, FocusChoice]) -> list[str]:
    """The chosen focus keys, distinct and in order; PlanError unless 1–3 of `choices`."""
    distinct = list(dict.fromkeys(key.strip() for key in chosen if key.strip()))
    unknown = [key for key in distinct if key not in choices]
    if unknown:
        raise PlanError(f"{unknown[0]!r} is not an area or item of this report")
    if not MIN_FOCUS <= len(distinct) <= MAX_FOCUS:
        raise PlanError(f"choose between {MIN_FOCUS} and {MAX_FOCUS} things to focus on")
    return distinct


def check_actions(actions: str) -> str:
    """The actions text, trimmed; PlanError when empty or longer than MAX_ACTIONS characters."""
    text = actions.strip()
    if not text:
        raise PlanError("write at least one action")
    if len(text) > MAX_ACTIONS:
        raise PlanError(f"actions are {len(text)} characters; keep them to {MAX_ACTIONS}")
    return text


def check_target_date(target: date, today: date) -> date:
    """The target date; PlanError when it is already past."""
    if target < today:
        raise PlanError(f"the target date {target.isoformat()} has already passed")
    return target
