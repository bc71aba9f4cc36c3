"""`report --campaign ID --subject EMAIL --format json`: one subject's report (SPEC §9)."""

from __future__ import annotations

import json

import click
from flask.cli import with_appcontext

from survey.cli import SurveyCommand
from survey.services.reports import find_subject_by_email, report_document


@click.command("report", cls=SurveyCommand)
@click.option("--campaign", "campaign_id", type=int, required=True, help="Campaign id.")
@click.option("--subject", "email", required=True, help="The subject's e-mail.")
@click.option("--format", "fmt", type=click.Choice(["json"]), default="json")
@with_appcontext
def report_command(campaign_id: int, email: str, fmt: str) -> None:
    """Print a closed or released campaign's report for one subject as JSON."""
    subject = find_subject_by_email(campaign_id, email)
    document = report_document(subject)
    click.echo(json.dumps(document, ensure_ascii=False, indent=2))
