"""`campaign export ID --format csv|xlsx --output FILE`: shown figures only (SPEC §8, §9)."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import with_appcontext

from survey.cli import SurveyCommand
from survey.errors import NotFound
from survey.extensions import db
from survey.models import Campaign
from survey.services.export import FORMATS, write_export


@click.command("export", cls=SurveyCommand)
@click.argument("campaign_id", type=int)
@click.option("--format", "fmt", type=click.Choice(sorted(FORMATS)), default="csv")
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path), required=True)
@with_appcontext
def export_command(campaign_id: int, fmt: str, output: Path) -> None:
    """Export a closed or released campaign's shown figures to FILE."""
    campaign = db.session.get(Campaign, campaign_id)
    if campaign is None:
        raise NotFound(f"no campaign with id {campaign_id}")
    write_export(campaign, fmt, output)
    click.echo(f"wrote {output}")
