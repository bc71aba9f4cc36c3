"""Forms of the sign-in pages (Flask-WTF: CSRF on every one)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, SubmitField
from wtforms.validators import DataRequired, EqualTo, Length

from survey.i18n import lazy_gettext
from survey.services.accounts import MIN_PASSWORD_LENGTH


class SignInForm(FlaskForm):
    """HR e-mail and password."""

    email = EmailField(lazy_gettext("E-mail"), validators=[DataRequired(), Length(max=254)])
    password = PasswordField(lazy_gettext("Password"), validators=[DataRequired(), Length(max=500)])
    submit = SubmitField(lazy_gettext("Sign in"))


class ConfirmLinkForm(FlaskForm):
    """One button: using a link happens on POST, never on GET (mail scanners prefetch)."""

    submit = SubmitField(lazy_gettext("Sign in"))


class SetPasswordForm(FlaskForm):
    """A new password, typed twice."""

    password = PasswordField(
        lazy_gettext("New password"),
        validators=[DataRequired(), Length(min=MIN_PASSWORD_LENGTH, max=500)],
        description=f"At least {MIN_PASSWORD_LENGTH} characters.",
    )
    confirm = PasswordField(
        lazy_gettext("Repeat the password"),
        validators=[
            DataRequired(),
            EqualTo("password", message=lazy_gettext("The passwords differ.")),
        ],
    )
    submit = SubmitField(lazy_gettext("Set password and sign in"))


class RequestLinkForm(FlaskForm):
    """The e-mail address a new sign-in link should go to."""

    email = EmailField(
        lazy_gettext("Your work e-mail"), validators=[DataRequired(), Length(max=254)]
    )
    submit = SubmitField(lazy_gettext("Send me a sign-in link"))
