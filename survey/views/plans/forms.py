"""The development plan form (Flask-WTF, CSRF checked). SPEC §12 field names: `focus`
(repeated, `area:<key>` or `item:<key>`), `actions`, `target_date` (YYYY-MM-DD),
`share_with_manager` (checkbox). The rules themselves are `survey.domain.plans`'."""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, Field, TextAreaField
from wtforms.validators import InputRequired
from wtforms.widgets import HiddenInput

from survey.domain.plans import MAX_ACTIONS
from survey.i18n import lazy_gettext


class FocusField(Field):
    """Every value posted as `focus` (the page draws the checkboxes itself)."""

    widget = HiddenInput()
    data: list[str]

    def process_formdata(self, valuelist: list[str]) -> None:
        self.data = [value.strip()[:100] for value in valuelist if value.strip()]

    def process_data(self, value: Any) -> None:
        self.data = list(value or [])

    def _value(self) -> str:
        return ""


class PlanForm(FlaskForm):
    """What the subject will work on, how, and by when."""

    focus = FocusField()
    actions = TextAreaField(
        lazy_gettext("Actions"),
        validators=[InputRequired(message=lazy_gettext("Write at least one action."))],
        render_kw={"rows": 8, "maxlength": MAX_ACTIONS},
    )
    target_date = DateField(
        lazy_gettext("Target date"),
        validators=[InputRequired(message=lazy_gettext("Give a target date (YYYY-MM-DD)."))],
        format="%Y-%m-%d",
    )
    share_with_manager = BooleanField(lazy_gettext("Share this plan with my manager"))
