"""`survey demo`: run a whole 360° campaign on the example organisation, then serve it."""

from __future__ import annotations

import logging
import socket
import time
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from survey.cli import SurveyCommand
from survey.demo.scenario import DemoResult, build_demo_app, run_scenario, start_server
from survey.errors import SurveyError

EXAMPLE_ORG = Path(__file__).resolve().parents[2] / "examples" / "org.csv"


@click.command("demo", cls=SurveyCommand)
@click.option("--database", type=click.Path(dir_okay=False, path_type=Path),
              help="SQLite file to (re)create. Default: instance/demo.sqlite.")
@click.option("--org", "org_file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              default=None, help="Org chart CSV (default: examples/org.csv).")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--no-serve", is_flag=True, help="Stop after building the demo data.")
@with_appcontext
def demo_command(
    database: Path | None, org_file: Path | None, host: str, port: int, no_serve: bool
) -> None:
    """Import an organisation, run a campaign through the real pages, release it, serve it."""
    started = time.monotonic()
    database = database or Path(current_app.instance_path) / "demo.sqlite"
    org_path = org_file or EXAMPLE_ORG
    if not org_path.exists():
        raise SurveyError(f"organisation file not found: {org_path}")
    base_url = f"http://{host}:{port}"
    _check_port_free(host, port)
    app = build_demo_app(database.resolve(), current_app.config["SECRET_KEY"], base_url)
    server, thread = start_server(app, host, port)
    _say(f"Building the demo in {database} (serving on {base_url})")
    request_log = logging.getLogger("werkzeug")
    level = request_log.level
    request_log.setLevel(logging.WARNING)  # hundreds of simulated requests are noise
    try:
        result = run_scenario(app, org_path.read_bytes(), _say)
    finally:
        request_log.setLevel(level)
    _say(f"Demo data ready in {time.monotonic() - started:.1f} s.")
    _print_links(result)
    if no_serve:
        server.shutdown()
        return
    _say("Serving; press Ctrl+C to stop.")
    try:
        thread.join()
    except KeyboardInterrupt:
        server.shutdown()


def _check_port_free(host: str, port: int) -> None:
    """Fail with one line before building anything when the port is taken."""
    with socket.socket() as probe:
        # as the server will: connections of a previous run in TIME_WAIT must not count
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as error:
            reason = f"cannot listen on {host}:{port} ({error.strerror}); try --port"
            raise SurveyError(reason) from None


def _say(message: str) -> None:
    click.echo(message, err=True)


def _print_links(result: DemoResult) -> None:
    lines = [
        "",
        "Where to go:",
        f"  HR:       {result.base_url}/sign-in",
        f"            e-mail {result.hr_email}   password {result.hr_password}",
        f"  Manager:  {result.manager_link}",
        f"            ({result.manager_name}'s released report; one-time sign-in link)",
        f"  Rater:    {result.rater_link}",
        f"            ({result.rater_name}'s link: asked about {result.rater_subject} in a "
        "campaign that is still open)",
        "  E-mails:  the outbox folder beside the database holds every message sent",
    ]
    click.echo("\n".join(lines))
