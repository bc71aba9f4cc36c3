"""Forms of the privacy pages (Flask-WTF: CSRF on every one)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import EmailField, HiddenField, SubmitField
from wtforms.validators import DataRequired, Length


class EraseForm(FlaskForm):
    """Whom to erase; `confirmed` is set on the second step, after HR has read what goes."""

    email = EmailField(
        "E-mail of the person to erase", validators=[DataRequired(), Length(max=254)]
    )
    confirmed = HiddenField()
    submit = SubmitField("Show what would be erased")
