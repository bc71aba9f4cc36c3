"""`campaign export ID --format csv|xlsx --output FILE [--table areas|items] [--delimiter ';']`:
shown figures only (SPEC §8, §9).

FILE is created readable by its owner only (0600); an existing FILE is kept unless `--force`,
and a symbolic link at FILE is never followed (see survey/commands/files.py).
"""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import with_appcontext

from survey.cli import SurveyCommand
from survey.commands.files import private_output
from survey.errors import NotFound
from survey.extensions import db
from survey.models import Campaign
from survey.services.export import DELIMITERS, FORMATS, TABLES, export_chunks
from survey.services.frozen_reports import require_results


@click.command("export", cls=SurveyCommand)
@click.argument("campaign_id", type=int)
@click.option("--format", "fmt", type=click.Choice(sorted(FORMATS)), default="csv")
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path), required=True)
@click.option(
    "--table",
    type=click.Choice(TABLES),
    default="areas",
    help="CSV: the Areas table (one row per person and group) or Items (per statement).",
)
@click.option(
    "--delimiter",
    type=click.Choice(DELIMITERS),
    default=",",
    help="CSV: ';' for a European Excel.",
)
@click.option("--force", is_flag=True, help="Replace FILE if it exists.")
@with_appcontext
def export_command(
    campaign_id: int, fmt: str, output: Path, table: str, delimiter: str, force: bool
) -> None:
    """Export a closed or released campaign's shown figures to FILE (XLSX: every table)."""
    campaign = db.session.get(Campaign, campaign_id)
    if campaign is None:
        raise NotFound(f"no campaign with id {campaign_id}")
    require_results(campaign)  # InvalidState while draft or open: no file is made
    with private_output(output, force, "add --force to replace it") as handle:
        for chunk in export_chunks(campaign, fmt, table, delimiter):
            handle.write(chunk)
    click.echo(f"wrote {output}")
