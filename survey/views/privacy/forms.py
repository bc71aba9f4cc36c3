"""Forms of the privacy pages (Flask-WTF: CSRF on every one)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import EmailField, HiddenField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length

from survey.i18n import lazy_gettext


class EraseForm(FlaskForm):
    """Whom to erase; `confirmed` is set on the second step, after HR has read what goes."""

    email = EmailField(
        lazy_gettext("E-mail of the person to erase"), validators=[DataRequired(), Length(max=254)]
    )
    confirmed = HiddenField()
    submit = SubmitField(lazy_gettext("Show what would be erased"))


class RemoveCommentForm(FlaskForm):
    """HR's reason for removing one comment; `digest` names the comment HR read."""

    digest = HiddenField(validators=[DataRequired()])
    reason = TextAreaField(
        lazy_gettext("Why it is removed"),
        validators=[DataRequired(), Length(max=500)],
        description=lazy_gettext(
            "For the audit log (e.g. “names a colleague”, “abusive”). It is never shown "
            "to the subject."
        ),
    )
    submit = SubmitField(lazy_gettext("Remove this comment"))
