"""Development plan rules (SPEC §12): 1–3 focus keys of the report, actions, a target date."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from survey.domain.languages import N_, unchanged
from survey.errors import SurveyError

MIN_FOCUS, MAX_FOCUS = 1, 3
MAX_ACTIONS = 5000  # characters
AREA, ITEM = "area", "item"


class PlanError(SurveyError):
    """A plan that cannot be kept as written; the message says what to change.

    `template` is the English message with `{name}` fields (marked for the catalogs, SPEC §14)
    and `params` fills them; `worded(gettext)` gives it in the page's language.
    """

    def __init__(self, template: str, **params: object) -> None:
        self.template, self.params = template, params
        super().__init__(template.format(**params))

    def worded(self, words: Callable[[str], str] = unchanged) -> str:
        """The message in the language `words` translates to (English by default)."""
        return words(self.template).format(**self.params)


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
        raise PlanError(N_("{key!r} is not an area or item of this report."), key=unknown[0])
    if not MIN_FOCUS <= len(distinct) <= MAX_FOCUS:
        raise PlanError(
            N_("Choose between {low} and {high} things to focus on."), low=MIN_FOCUS, high=MAX_FOCUS
        )
    return distinct


def check_actions(actions: str) -> str:
    """The actions text, trimmed; PlanError when empty or longer than MAX_ACTIONS characters."""
    text = actions.strip()
    if not text:
        raise PlanError(N_("Write at least one action."))
    if len(text) > MAX_ACTIONS:
        raise PlanError(
            N_("The actions are {length} characters; keep them to {limit}."),
            length=len(text),
            limit=MAX_ACTIONS,
        )
    return text


def check_target_date(target: date, today: date) -> date:
    """The target date; PlanError when it is already past."""
    if target < today:
        raise PlanError(
            N_("The target date {day} has already passed."), day=target.isoformat()
        )
    return target
