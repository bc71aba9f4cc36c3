"""`survey person erase EMAIL --yes`: forget a person (issue 20; see services/erasure.py)."""

from __future__ import annotations

import click

from survey.cli import SurveyGroup
from survey.database import purge_deleted_rows
from survey.extensions import db
from survey.models import utcnow
from survey.services import audit
from survey.services.erasure import erase_person, plan_erasure

person_cli = SurveyGroup("person", help="People's data: erasure.")


@person_cli.command("erase")
@click.argument("email")
@click.option("--yes", is_flag=True, help="Erase; without it, only say what would go.")
def erase_command(email: str, yes: bool) -> None:
    """Erase the person EMAIL: as a rater, their name, e-mail and invitations (their anonymous
    answers stay); as a subject, everything about them; refused while they take part in an
    open campaign."""
    if not yes:
        plan = plan_erasure(email)
        click.echo(f"would erase {plan.email}: {plan}")
        raise click.ClickException("nothing erased; add --yes to erase")
    plan = erase_person(email, actor=audit.command_line_actor(), now=utcnow())
    db.session.commit()
    purge_deleted_rows()  # after the commit: the erased rows leave no trace on disk
    click.echo(f"erased {plan.email}: {plan}")
