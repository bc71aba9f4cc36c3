"""The rater pages' forms: declining a request (Flask-WTF), and the answer scale's radio options.

The questionnaire itself is not a WTForms form: `survey.domain.answer_sheet` reads and checks
the posted answers against the questionnaire (SPEC §6), and the page writes the radio groups
by hand (`rate/_questionnaire_body.html`). CSRF is checked for every POST by Flask-WTF's
CSRFProtect.
"""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from wtforms import Field, TextAreaField
from wtforms.validators import Length, Optional, ValidationError

from survey.domain.answer_sheet import NA
from survey.domain.questionnaire import Scale
from survey.i18n import lazy_gettext


def scale_options(scale: Scale) -> tuple[tuple[int, str, str, bool], ...]:
    """`(index, value, label, is N/A)` per answer: "1" Never … "5" Always, then "na".

    The index gives the input's id (`<item key>-<index>`), as WTForms would number the options.
    """
    options = [(str(value), scale.label(value)) for value in scale.values()]
    options += [(NA, scale.na_label)] if scale.allows_na else []
    return tuple((index, value, label, value == NA) for index, (value, label) in enumerate(options))


class _Length(Length):
    """Length with the current length in the message, so the rater knows how much to cut."""

    def __call__(self, form: Any, field: Field) -> None:
        length = len(field.data or "")
        if length > self.max:
            raise ValidationError(str(self.message) % {"length": length})


class DeclineForm(FlaskForm):
    """Decline one request; the reason is optional and only HR sees it (SPEC §5)."""

    reason = TextAreaField(
        lazy_gettext("Reason (optional — only HR sees this)"),
        validators=[
            Optional(),
            _Length(
                max=2000,
                message=lazy_gettext(
                    "Please keep the reason under 2000 characters (it is now %(length)s)."
                ),
            ),
        ],
    )
