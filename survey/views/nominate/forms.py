"""Forms of the nomination pages (Flask-WTF: CSRF on every one).

SPEC §13: the subject's form posts `peers` (repeated, e-mail addresses); the manager's form
posts `peers` and `action` = `approve` or `reject`. `q` and `action=search` look people up
without changing anything.
"""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from wtforms import Field, StringField, TextAreaField
from wtforms.validators import Length, Optional
from wtforms.widgets import HiddenInput

from survey.i18n import lazy_gettext

NOTE_MAX_LENGTH = 1000


class EmailListField(Field):
    """Every value posted under the field's name, as typed (checkboxes named `peers`)."""

    widget = HiddenInput()
    data: list[str]

    def process_formdata(self, valuelist: list[str]) -> None:
        self.data = [value.strip()[:254] for value in valuelist if value.strip()]

    def process_data(self, value: Any) -> None:
        self.data = list(value or [])

    def _value(self) -> str:
        return ""


class ProposeForm(FlaskForm):
    """The subject's list, and a search for colleagues to add."""

    peers = EmailListField()
    q = StringField(
        lazy_gettext("Find a colleague by name or team"), validators=[Optional(), Length(max=100)]
    )
    action = StringField(validators=[Optional(), Length(max=20)])

    @property
    def searching(self) -> bool:
        """The search button was pressed: show matches, store nothing."""
        return bool(self.action.data == "search")


class ReviewForm(ProposeForm):
    """The manager's decision on the list (approve as edited, or send back with a note)."""

    note = TextAreaField(
        lazy_gettext("Note to send back with the list (optional)"),
        validators=[Optional(), Length(max=NOTE_MAX_LENGTH)],
    )
