"""`survey create-admin EMAIL`: an HR account with a password, or a one-time set-password link."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from survey.cli import SurveyCommand
from survey.extensions import db
from survey.models import utcnow
from survey.services.accounts import SET_PASSWORD, create_hr_user, issue_link_token, link_url


@click.command("create-admin", cls=SurveyCommand)
@click.argument("email")
@click.option("--link", is_flag=True, help="Print a one-time set-password link instead of asking.")
@with_appcontext
def create_admin_command(email: str, link: bool) -> None:
    """Create an HR account for EMAIL."""
    if link:
        user = create_hr_user(email)
        token = issue_link_token(user, SET_PASSWORD, utcnow())
        db.session.commit()
        click.echo(f"created HR account {user.email}; set the password within 24 hours at:")
        click.echo(link_url(token))
        return
    password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    user = create_hr_user(email, password)
    db.session.commit()
    click.echo(f"created HR account {user.email}")
