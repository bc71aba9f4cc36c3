"""Forms of the sign-in pages (Flask-WTF: CSRF on every one)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, SubmitField
from wtforms.validators import DataRequired, EqualTo, Length

from survey.services.accounts import MIN_PASSWORD_LENGTH


class SignInForm(FlaskForm):
    """HR e-mail and password."""

    email = EmailField("E-mail", validators=[DataRequired(), Length(max=254)])
    password = PasswordField("Password", validators=[DataRequired(), Length(max=500)])
    submit = SubmitField("Sign in")


class ConfirmLinkForm(FlaskForm):
    """One button: using a link happens on POST, never on GET (mail scanners prefetch)."""

    submit = SubmitField("Sign in")


class SetPasswordForm(FlaskForm):
    """A new password, typed twice."""

    password = PasswordField(
        "New password",
        validators=[DataRequired(), Length(min=MIN_PASSWORD_LENGTH, max=500)],
        description=f"At least {MIN_PASSWORD_LENGTH} characters.",
    )
    confirm = PasswordField(
        "Repeat the password",
        validators=[DataRequired(), EqualTo("password", message="The passwords differ.")],
    )
    submit = SubmitField("Set password and sign in")


class RequestLinkForm(FlaskForm):
    """The e-mail address a new sign-in link should go to."""

    email = EmailField("Your work e-mail", validators=[DataRequired(), Length(max=254)])
    submit = SubmitField("Send me a sign-in link")
