"""Account commands: `survey create-admin EMAIL` (an HR account with a password, or a one-time
set-password link) and `survey sign-out-everywhere EMAIL`."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from survey.cli import SurveyCommand
from survey.errors import NotFound
from survey.extensions import db
from survey.models import utcnow
from survey.services import audit
from survey.services.accounts import (
    SET_PASSWORD,
    create_hr_user,
    end_sessions,
    find_user,
    issue_link_token,
    link_url,
)


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


@click.command("sign-out-everywhere", cls=SurveyCommand)
@click.argument("email")
@with_appcontext
def sign_out_everywhere_command(email: str) -> None:
    """End every session of the account EMAIL (e.g. a lost laptop); it can sign in again."""
    user = find_user(email)
    if user is None:
        raise NotFound(f"no account for {email.strip().lower()}")
    end_sessions(user)
    audit.record(
        "sessions.ended",
        actor=audit.command_line_actor(),
        now=utcnow(),
        detail=f"every session of HR account {user.email} ended"
        if user.is_hr
        else "every session of a subject's account ended",
    )
    db.session.commit()
    click.echo(f"signed out {user.email} everywhere")
